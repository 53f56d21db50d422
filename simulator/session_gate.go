package simulator

import (
	"fmt"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// canVerify reports whether the tier playing may verify the fact from its
// source: under RulesV2 it must hold what the fact needs (the capability
// its source takes when the playbook models it, and the fact's own
// needs); under RulesV1 every tier may.
func (s *Session) canVerify(f *playbooks.Fact) bool {
	return s.rules < RulesV2 || s.pb.CanVerify(s.tier, f)
}

// refuseVerify refuses a look-up, probe or DNS query to a tier without
// the capabilities it takes, like an action the tier lacks, naming the
// lowest tier that could.
func (s *Session) refuseVerify(t *Turn, mv scenarios.Move, f *playbooks.Fact) {
	t.CostMin = minutes(s.costs.Refused)
	t.Events = append(t.Events, EventRefused)
	t.Result = fmt.Sprintf("refused: tier %s cannot %s", s.tier.Name, verifyPhrase(f))
	if holder := s.pb.LowestHoldingAll(s.pb.FactNeeds(f)); holder != nil {
		t.Result += "; " + string(holder.Name) + " can"
	}
}

// learnDerived has the session learn the rule facts that the facts it
// knows now fix (a product rule derives them as soon as their inputs are
// known).
func (s *Session) learnDerived() {
	if !s.derives {
		return // no rule facts: nothing to derive (a report replays millions of moves)
	}
	for _, fv := range derivedFrom(s.pb, s.Verified()) {
		s.learn(fv.Fact, fv.Value)
	}
}
