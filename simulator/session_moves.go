package simulator

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// Cost is the simulated time a move of its kind takes on the scenario's
// channel (a trap its own cost): what the move costs unless the world
// refuses it (a refused action or escalation costs Costs.Refused instead,
// which only playing the move tells).
func (s *Session) Cost(mv scenarios.Move) time.Duration {
	class := mv.Kind.Info().Cost
	if class == scenarios.CostTrap {
		if trap := s.sc.Trap(mv.Arg); trap != nil {
			return trap.Cost
		}
		return s.costs.CustomerTurn
	}
	return s.costs.Of(class)
}

// moveHandlers says what the world does with a move, one handler per
// kind of move.
var moveHandlers = map[scenarios.MoveKind]func(*Session, *Turn, scenarios.Move){
	scenarios.MoveAsk:      (*Session).applyAsk,
	scenarios.MoveLookup:   (*Session).applyVerify,
	scenarios.MoveProbe:    (*Session).applyVerify,
	scenarios.MoveDNS:      (*Session).applyVerify,
	scenarios.MoveAction:   (*Session).applyAction,
	scenarios.MoveReply:    (*Session).applyReply,
	scenarios.MoveDoc:      (*Session).applyDoc,
	scenarios.MoveTrap:     (*Session).applyTrap,
	scenarios.MoveEscalate: (*Session).applyEscalate,
	scenarios.MoveClose:    (*Session).applyClose,
}

// apply works out what the world does with a move: its cost on the
// channel, then its kind's handler.
func (s *Session) apply(t *Turn, mv scenarios.Move) {
	t.CostMin = minutes(s.Cost(mv))
	if h := moveHandlers[mv.Kind]; h != nil {
		h(s, t, mv)
	}
}

// applyAsk has the customer answer, saying so when the fact was already
// stated, comes with the ticket or could have been looked up.
func (s *Session) applyAsk(t *Turn, mv scenarios.Move) {
	f := s.pb.Fact(mv.Arg)
	v, ok := s.sc.TruthFor(f)
	if !ok {
		t.Said = "I don't know."
		return
	}
	phrase := s.phrase(f.Name, v)
	switch {
	case f.IsRule():
		t.Said = say(s.voice.ruled, phrase)
		t.Events = append(t.Events, EventDerivable)
	case f.SourceKind() == playbooks.SourceTicket:
		t.Said = say(s.voice.derivable, phrase)
		t.Events = append(t.Events, EventDerivable)
	case s.sc.IsStated(f.Name):
		t.Said = say(s.voice.restated, phrase)
		t.Events = append(t.Events, EventRestated)
	case scenarios.SourceMove(f) != "" && s.canVerify(f):
		t.Said = say(s.voice.knowable, phrase)
		t.Events = append(t.Events, EventKnowable)
		s.notKnown(t, f, phrase)
	default:
		t.Said = say(s.voice.answer, phrase)
		s.notKnown(t, f, phrase)
	}
	s.learn(f.Name, v)
	s.learnDerived()
}

// applyVerify shows the fact a look-up, a probe or a DNS query reads.
func (s *Session) applyVerify(t *Turn, mv scenarios.Move) {
	f := s.pb.Fact(mv.Arg)
	if !s.canVerify(f) {
		s.refuseVerify(t, mv, f)
		return
	}
	v, ok := s.sc.TruthFor(f)
	if !ok {
		t.Result = "nothing to see for " + f.Name
		return
	}
	t.Result = f.Name + " = " + v
	s.learn(f.Name, v)
	s.learnDerived()
}

// applyAction does the action, or refuses it to a tier without the
// capability.
func (s *Session) applyAction(t *Turn, mv scenarios.Move) {
	if !s.tier.Holds(mv.Arg) {
		t.CostMin = minutes(s.costs.Refused)
		t.Events = append(t.Events, EventRefused)
		holder := s.pb.LowestHolding(mv.Arg)
		t.Result = fmt.Sprintf("refused: tier %s does not hold %s", s.tier.Name, mv.Arg)
		if holder != nil {
			t.Result += "; " + string(holder.Name) + " does"
		}
		return
	}
	t.Result = "done: " + actionLabel(s.pb, mv.Arg)
	if !s.inGolden(t.Move) {
		t.Events = append(t.Events, EventNotCalledFor)
	}
	s.markDone(t.Move)
}

// applyReply sends the reply; the customer says so when it is wrong or
// points at removed docs.
func (s *Session) applyReply(t *Turn, mv scenarios.Move) {
	r := s.pb.Reply(mv.Arg)
	s.sent = true
	s.markDone(t.Move)
	if s.removedAny(docRefs(r.Docs)) {
		t.Said = s.voice.removed
		t.Events = append(t.Events, EventRemoved)
		return
	}
	switch plain := scenarios.NewMove(scenarios.MoveReply, mv.Arg).String(); {
	case s.inGolden(t.Move):
		t.Said = s.voice.goodReply
	case mv.Audience != "" && s.inGolden(plain):
		// The reply the case calls for, written for another reader.
		t.Said = s.voice.wrongAudience
		t.Events = append(t.Events, EventWrongAudience)
	case s.rules >= RulesV2 && s.sc.CaseReply(mv.Arg) != nil:
		// A reply the scenario names as wrong for this case, and why.
		cr := s.sc.CaseReply(mv.Arg)
		t.Said = s.voice.wrongReply
		if cr.Answer != "" {
			t.Said = cr.Answer
		}
		t.Events = append(t.Events, EventCaseReply)
		for _, f := range cr.Findings {
			t.Findings = append(t.Findings, f.Value)
		}
	default:
		t.Said = s.voice.wrongReply
		t.Events = append(t.Events, EventWrongReply)
	}
}

// applyDoc sends a doc; the customer says whether it helps.
func (s *Session) applyDoc(t *Turn, mv scenarios.Move) {
	switch {
	case s.sc.IsRemoved("doc:" + mv.Arg):
		t.Said = s.voice.removed
		t.Events = append(t.Events, EventRemoved)
	case slices.Contains(s.goodDocs, mv.Arg):
		t.Said = s.voice.goodReply
	default:
		t.Said = s.voice.readAlready
		t.Events = append(t.Events, EventIrrelevant)
	}
}

// applyTrap plays a wrong move seen in real handling: the customer
// answers as the scenario says.
func (s *Session) applyTrap(t *Turn, mv scenarios.Move) {
	trap := s.sc.Trap(mv.Arg)
	t.Said = trap.Answer
	t.Events = append(t.Events, EventTrap)
	if trap.Reply && s.rules >= RulesV2 {
		s.sent = true // a message to the customer, however wrong
	}
	for _, f := range trap.Findings {
		t.Findings = append(t.Findings, f.Value)
	}
	if s.removedAny(trap.Refs) {
		t.Events = append(t.Events, EventRemoved)
	}
}

// applyEscalate hands the case up with its note, or refuses a handoff to
// a tier that is not above.
func (s *Session) applyEscalate(t *Turn, mv scenarios.Move) {
	to := s.pb.Tier(playbooks.TierName(mv.Arg))
	if to.Rank <= s.tier.Rank {
		t.CostMin = minutes(s.costs.Refused)
		t.Events = append(t.Events, EventRefused)
		t.Result = fmt.Sprintf("refused: %s is not above %s", to.Name, s.tier.Name)
		return
	}
	carry := mv.Carry
	if mv.CarryAll {
		carry = nil
		for _, fv := range s.Verified() {
			carry = append(carry, fv.Fact)
		}
	}
	t.Carry = []string{}
	var left []string
	for _, f := range s.order {
		if slices.Contains(carry, f) {
			t.Carry = append(t.Carry, f)
		} else if fact := s.pb.Fact(f); fact.SourceKind() != playbooks.SourceTicket && !fact.IsRule() {
			left = append(left, f)
		}
	}
	if len(left) > 0 {
		t.Events = append(t.Events, EventIncomplete)
		t.Result = "the note leaves out " + strings.Join(left, ", ")
	}
	s.escalate = to.Name
}

// applyClose ends the case.
func (s *Session) applyClose(t *Turn, mv scenarios.Move) {
	s.close(t)
}

// close ends the case. It reaches the golden outcome when every action of
// the golden path was made, or, where the golden path makes no action (the
// customer has to act), when its reply was sent.
//
// Under RulesV2 the needed moves of the tier the session scores count only
// when they were earned (made on the path, after their evidence); those of
// a tier that took over count when made.
func (s *Session) close(t *Turn) {
	s.closed = true
	s.outcome = s.golden.Outcome
	for _, i := range s.golden.neededIdx() {
		m := s.golden.Moves[i]
		made := s.done[m.Move]
		switch {
		case s.rules >= RulesV2 && m.Tier == s.start.Name:
			// The trainee's own part, made on the path; or, once they handed
			// the case on (needed or not), made by the tier that took it.
			made = s.earned[i] || (s.escalate != "" && s.doneByOther(m.Move))
		case s.rules >= RulesV2:
			// Another tier's part counts when that tier made it, not when
			// the trainee overstepped into it.
			made = slices.Contains(s.doneBy, doneKey{m.Move, m.Tier})
		}
		if !made {
			s.outcome = OutcomeUnresolved
			t.Events = append(t.Events, EventUnresolved)
			break
		}
	}
	if !s.sent {
		t.Events = append(t.Events, EventNoSummary)
	}
}

// doneKey is an action or reply move made by a tier.
type doneKey struct {
	move string
	tier playbooks.TierName
}

// doneByOther reports whether a tier other than the trainee's made the
// move.
func (s *Session) doneByOther(move string) bool {
	for _, k := range s.doneBy {
		if k.move == move && k.tier != s.start.Name {
			return true
		}
	}
	return false
}

// markDone records an action or reply made, and by which tier.
func (s *Session) markDone(move string) {
	s.done[move] = true
	if k := (doneKey{move, s.tier.Name}); s.rules >= RulesV2 && !slices.Contains(s.doneBy, k) {
		s.doneBy = append(s.doneBy, k)
	}
}

// phrase is how the customer words a fact's value.
func (s *Session) phrase(fact, value string) string {
	if a, ok := scenarios.Lookup(s.sc.Answers, fact); ok {
		return a
	}
	return value
}

func docRefs(docs []playbooks.Text) []playbooks.Text {
	out := make([]playbooks.Text, len(docs))
	for i, d := range docs {
		out[i] = playbooks.Text{Value: "doc:" + d.Value, Pos: d.Pos}
	}
	return out
}

func (s *Session) removedAny(refs []playbooks.Text) bool {
	for _, r := range refs {
		if s.sc.IsRemoved(r.Value) {
			return true
		}
	}
	return false
}
