package simulator

import (
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// takeOver plays the tier that received the handoff along the golden path
// from where the case stands, with the facts the note carried: facts it
// left out are asked of the customer again (or looked up when nobody had
// verified them), and the tier hands on wherever it lacks a capability.
func (s *Session) takeOver(to *playbooks.Tier) {
	carried := map[string]bool{}
	if last := s.turns[len(s.turns)-1]; last.Carry != nil {
		for _, f := range last.Carry {
			carried[f] = true
		}
	}
	s.tier = to
	w := playbooks.NewWalker(s.pb, to, audienceFor(s.pb, s.sc))
	if s.rules >= RulesV2 {
		w.GateFacts()
	}
	for _, fv := range knownAtStart(s.pb, s.sc) {
		_ = w.Set(fv.Fact, fv.Value)
	}
	for f := range carried {
		if _, known := s.verified[f]; known || s.rules < RulesV2 {
			// (Under v1 a note naming a fact nobody verified carried it
			// empty; v2 carries only what is known.)
			_ = w.Set(f, s.verified[f])
		}
	}
	auto := func(t Turn) {
		t.By, t.Auto, t.OnPath = s.tier.Name, true, true
		s.record(t)
	}
	closed := false
	err := w.Run(func(ev playbooks.Event) error {
		switch ev.Kind {
		case playbooks.EventNeed:
			f := s.pb.Fact(ev.Fact)
			v, _ := s.sc.TruthFor(f)
			_, knewIt := s.verified[f.Name]
			t := Turn{Step: ev.Step}
			// Under v2 a fact the trainee looked up but left out of the note
			// is looked up again (the customer was never asked it), not
			// asked of the customer as if they had said it.
			relook := s.rules >= RulesV2 && knewIt && !ev.Ask && scenarios.SourceMove(f) != "" && !s.sc.IsStated(f.Name)
			if !relook && (knewIt || ev.Ask || f.SourceKind() == playbooks.SourceCustomer || s.sc.IsStated(f.Name)) {
				mv := scenarios.NewMove(scenarios.MoveAsk, f.Name)
				t.Move, t.CostMin = mv.String(), minutes(s.Cost(mv))
				t.Said = say(s.voice.reasked, s.phrase(f.Name, v))
				t.Events = []Event{EventReasked}
				if !knewIt && !s.sc.IsStated(f.Name) {
					t.Said, t.Events = say(s.voice.answer, s.phrase(f.Name, v)), nil
					s.notKnown(&t, f, s.phrase(f.Name, v))
				}
			} else {
				// The receiving tier's look-ups all cost Lookup, a probe too.
				t.Move = scenarios.FactMove(f).String()
				t.CostMin = minutes(s.costs.Lookup)
				t.Result = f.Name + " = " + v
			}
			s.learn(f.Name, v)
			s.learnDerived()
			if err := w.Set(f.Name, v); err != nil {
				return err
			}
			auto(t)
		case playbooks.EventAction:
			mv := scenarios.NewMove(scenarios.MoveAction, ev.Value)
			s.markDone(mv.String())
			auto(Turn{Move: mv.String(), Step: ev.Step, CostMin: minutes(s.Cost(mv)),
				Result: "done: " + actionLabel(s.pb, ev.Value)})
		case playbooks.EventReply:
			mv := scenarios.NewMove(scenarios.MoveReply, ev.Draft.Template)
			s.markDone(mv.String())
			s.sent = true
			t := Turn{Move: mv.String(), Step: ev.Step, CostMin: minutes(s.Cost(mv)), Said: s.voice.goodReply}
			if r := s.pb.Reply(ev.Draft.Template); s.rules >= RulesV2 && r != nil && s.removedAny(docRefs(r.Docs)) {
				// The tier that took over is checked like the trainee: a
				// stale reply reaches the customer all the same.
				t.Said, t.Events = s.voice.removed, []Event{EventRemoved}
			}
			auto(t)
		case playbooks.EventHandoff:
			next := s.pb.Tier(ev.Handoff.To)
			carry := make([]string, 0, len(ev.Handoff.Facts))
			for _, fv := range ev.Handoff.Facts {
				carry = append(carry, fv.Fact)
			}
			mv := scenarios.NewMove(scenarios.MoveEscalate, string(next.Name))
			auto(Turn{Move: mv.String(), Step: ev.Step, CostMin: minutes(s.Cost(mv)), Carry: carry})
			s.tier = next
			w.TakeOver(next)
		case playbooks.EventOutcome:
			t := Turn{Move: scenarios.CloseMove.String(), Step: ev.Step, CostMin: minutes(s.Cost(scenarios.CloseMove))}
			s.close(&t)
			auto(t)
			closed = true
		}
		return nil
	})
	if err != nil || !closed {
		// The receiving tier cannot finish the case on this truth.
		s.closed, s.outcome = true, OutcomeUnresolved
	}
}
