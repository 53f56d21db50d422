// Package simulator is the training engine: the golden path a model agent
// takes through a scenario, the session in which a trainee makes moves and
// the simulated customer answers, the simulated clock, and the attempt
// journal that lets an interrupted session resume.
package simulator

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// A GoldenMove is one move of the golden path: what a model agent does,
// which tier does it, and the playbook step it serves.
type GoldenMove struct {
	Move string             `json:"move"`
	Tier playbooks.TierName `json:"tier"`
	Step string             `json:"step"`
	Why  string             `json:"why"`
}

// A Golden path is the playbook evaluated on a scenario's truth for a tier.
type Golden struct {
	Scenario string               `json:"scenario"`
	Playbook string               `json:"playbook"`
	Version  string               `json:"version"`
	Tier     playbooks.TierName   `json:"tier"`
	Moves    []GoldenMove         `json:"moves"`
	Outcome  string               `json:"outcome"`
	Handoffs []playbooks.TierName `json:"handoffs,omitempty"` // tiers handed to, in order
	Rules    Rules                `json:"-"`

	parsed []scenarios.Move // Moves, parsed once

	// Each move's prerequisites (RulesV2), worked out once.
	prereqOnce sync.Once
	prereq     []prereq

	// The simulated time the path takes at its tier, worked out once
	// (Session.GoldenClock): the path is shared by every session on it.
	clockOnce sync.Once
	clock     time.Duration
}

// parsedMoves returns the golden moves parsed, computing them once.
func (g *Golden) parsedMoves() []scenarios.Move {
	if g.parsed == nil {
		g.parsed = make([]scenarios.Move, len(g.Moves))
		for i, m := range g.Moves {
			g.parsed[i], _ = scenarios.ParseMove(m.Move)
		}
	}
	return g.parsed
}

// knownAtStart are the facts an agent has before any move: ticket metadata
// and what the customer's opening states (for facts only the customer
// knows; the agent still verifies what admin tools, probes or DNS can show).
func knownAtStart(p *playbooks.Playbook, s *scenarios.Scenario) []playbooks.FactValue {
	var out []playbooks.FactValue
	for _, f := range p.Facts {
		v, ok := s.TruthFor(f)
		if !ok {
			continue
		}
		if f.SourceKind() == playbooks.SourceTicket || (f.SourceKind() == playbooks.SourceCustomer && s.IsStated(f.Name)) {
			out = append(out, playbooks.FactValue{Fact: f.Name, Value: v, Source: f.Source})
		}
	}
	return append(out, derivedFrom(p, out)...)
}

// derivedFrom lists the rule facts that a product rule fixes given the
// facts known: fixed ones, and those derived from known facts (in turn).
func derivedFrom(p *playbooks.Playbook, known []playbooks.FactValue) []playbooks.FactValue {
	values := map[string]string{}
	for _, fv := range known {
		values[fv.Fact] = fv.Value
	}
	valueOf := func(f *playbooks.Fact) (string, bool) {
		v, ok := values[f.Name]
		return v, ok
	}
	var out []playbooks.FactValue
	for changed := true; changed; {
		changed = false
		for _, f := range p.Facts {
			if _, had := values[f.Name]; had || !f.IsRule() {
				continue
			}
			if v, ok := f.RuleValue(valueOf); ok {
				values[f.Name] = v
				out = append(out, playbooks.FactValue{Fact: f.Name, Value: v, Source: f.Source})
				changed = true
			}
		}
	}
	return out
}

// verifyPhrase says what verifying the fact from its source is: "look up
// plan", "probe certificate", "query DNS for cname_target".
func verifyPhrase(f *playbooks.Fact) string {
	switch scenarios.SourceMove(f) {
	case scenarios.MoveLookup:
		return "look up " + f.Name
	case scenarios.MoveProbe:
		return "probe " + f.Name
	case scenarios.MoveDNS:
		return "query DNS for " + f.Name
	}
	return "verify " + f.Name
}

// GoldenPath derives the moves a model agent of the tier makes on the
// scenario: verify each fact the playbook checks from its source (never
// asking what the ticket or the opening gave), act, hand off at once where
// the tier lacks a capability (the receiving tier plays on), reply for the
// persona's audience and close.
func GoldenPath(p *playbooks.Playbook, s *scenarios.Scenario, tier *playbooks.Tier) (*Golden, error) {
	return GoldenPathUnder(p, s, tier, CurrentRules)
}

// GoldenPathUnder is the golden path under the rules of a version.
func GoldenPathUnder(p *playbooks.Playbook, s *scenarios.Scenario, tier *playbooks.Tier, rules Rules) (*Golden, error) {
	g := &Golden{Rules: rules.OrV1(), Scenario: s.ID, Playbook: p.ID, Version: p.Version, Tier: tier.Name}
	w := playbooks.NewWalker(p, tier, audienceFor(p, s))
	if g.Rules >= RulesV2 {
		w.GateFacts()
	}
	for _, fv := range knownAtStart(p, s) {
		if err := w.Set(fv.Fact, fv.Value); err != nil {
			return nil, fmt.Errorf("scenario %s: %v", s.ID, err)
		}
	}
	add := func(move scenarios.Move, step, why string) {
		g.Moves = append(g.Moves, GoldenMove{Move: move.String(), Tier: w.Tier().Name, Step: step, Why: why})
	}
	// An error of the scenario's own (verr) is returned as it is; one of
	// the walk is said to be of this scenario on this playbook.
	var verr error
	err := w.Run(func(ev playbooks.Event) error {
		switch ev.Kind {
		case playbooks.EventNeed:
			f := p.Fact(ev.Fact)
			v, ok := s.TruthFor(f)
			if !ok {
				verr = fmt.Errorf("scenario %s gives no truth for %s, which step %s checks", s.ID, f.Name, ev.Step)
				return playbooks.ErrStopWalk
			}
			switch {
			case ev.Ask && s.IsStated(f.Name):
				// The tier cannot verify it, and the opening said it: the
				// customer's word is all it has, and asking again restates.
			case ev.Ask:
				add(scenarios.NewMove(scenarios.MoveAsk, f.Name), ev.Step,
					fmt.Sprintf("%s; tier %s cannot %s, so the customer is asked", stepWhy(p, ev.Step), w.Tier().Name, verifyPhrase(f)))
			default:
				add(scenarios.FactMove(f), ev.Step, stepWhy(p, ev.Step))
			}
			if err := w.Set(f.Name, v); err != nil {
				verr = fmt.Errorf("scenario %s: %v", s.ID, err)
				return playbooks.ErrStopWalk
			}
		case playbooks.EventAction:
			add(scenarios.NewMove(scenarios.MoveAction, ev.Value), ev.Step, stepWhy(p, ev.Step))
		case playbooks.EventReply:
			add(scenarios.NewMove(scenarios.MoveReply, ev.Draft.Template), ev.Step, "reply for "+orDefault(ev.Draft.Audience, "the customer"))
		case playbooks.EventHandoff:
			add(scenarios.NewMove(scenarios.MoveEscalate, string(ev.Handoff.To)), ev.Step, ev.Handoff.Reason)
			g.Handoffs = append(g.Handoffs, ev.Handoff.To)
			w.TakeOver(p.Tier(ev.Handoff.To))
		case playbooks.EventOutcome:
			add(scenarios.CloseMove, ev.Step, "outcome "+ev.Outcome)
			g.Outcome = ev.Outcome
		}
		return nil
	})
	var none *playbooks.NoOutcomeError
	switch {
	case verr != nil:
		return nil, verr
	case errors.As(err, &none) || (err == nil && g.Outcome == ""):
		return nil, fmt.Errorf("playbook %s does not reach an outcome for scenario %s", p.ID, s.ID)
	case err != nil:
		return nil, fmt.Errorf("scenario %s on playbook %s: %v", s.ID, p.ID, err)
	}
	return g, nil
}

func stepWhy(p *playbooks.Playbook, id string) string {
	if s := p.Step(id); s != nil && s.Title != "" {
		return s.Title
	}
	return "step " + id
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// AudienceFor is the reply audience the scenario's customer is: the
// persona's role when the playbook writes for it, else the playbook's
// first ("" when the playbook writes for no particular audience).
func AudienceFor(p *playbooks.Playbook, s *scenarios.Scenario) string { return audienceFor(p, s) }

func audienceFor(p *playbooks.Playbook, s *scenarios.Scenario) string {
	auds := p.Audiences()
	for _, a := range auds {
		if a == s.Persona.Role {
			return a
		}
	}
	if len(auds) > 0 {
		return auds[0]
	}
	return ""
}

// Needed lists the golden moves that resolve the case: its actions, or,
// where the golden path makes no action (the customer has to act), its
// replies.
func (g *Golden) Needed() []string {
	idx := g.neededIdx()
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = g.Moves[j].Move
	}
	return out
}

// neededIdx is Needed as indexes of Moves.
func (g *Golden) neededIdx() []int {
	var actions, replies []int
	for i, mv := range g.parsedMoves() {
		switch mv.Kind {
		case scenarios.MoveAction:
			actions = append(actions, i)
		case scenarios.MoveReply:
			replies = append(replies, i)
		}
	}
	if len(actions) == 0 {
		return replies
	}
	return actions
}
