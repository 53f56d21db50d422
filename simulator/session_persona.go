package simulator

import (
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// notKnown words the answer to a question the persona cannot answer
// themself (persona.does_not_know): the customer says so, and the answer
// comes back later, from a colleague, so the move costs that much more.
// The fact is still learned: the customer is the only way to it, and the
// wait is the real price of asking. It reports whether the fact was one.
func (s *Session) notKnown(t *Turn, f *playbooks.Fact, phrase string) bool {
	u := s.sc.Unknown(f.Name)
	if u == nil {
		return false
	}
	extra := s.costs.CustomerTurn
	if u.HasCost {
		extra = u.Cost
	}
	t.CostMin += minutes(extra)
	t.Said = u.Answer + " (" + scenarios.FormatDuration(extra) + " later) " + say(s.voice.answer, phrase)
	return true
}
