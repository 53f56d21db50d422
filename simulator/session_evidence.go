package simulator

import (
	"slices"

	"github.com/casebook/casebook/scenarios"
)

// Evidence before action (RulesV2). Every golden action, reply and
// handoff has prerequisites: the facts the golden path verifies before it
// (the checks of the branch that leads to it), and for an action or a
// reply the golden actions before it (a reply that follows an action
// announces its result). A move made before its prerequisites are met is
// off the path, even when it is the right move: it is done, but not
// earned, and a later proper move earns it. Look-ups, probes, DNS queries
// and questions stay free of order.
//
// A fact is proven by a move on the golden path that verifies it (a
// look-up, probe or DNS query, or asking the customer where the golden
// path asks): asking the customer for what the agent can see learns the
// answer but proves nothing. Facts known from the start (the ticket, what
// the opening stated) are proven.

// prereq is what one golden move needs first: the indexes of the golden
// moves before it that it depends on.
type prereq struct {
	facts   []int // verifying moves
	actions []int // actions (for an action or a reply)
}

// prereqs returns each golden move's prerequisites, computed once.
func (g *Golden) prereqs() []prereq {
	g.prereqOnce.Do(func() {
		parsed := g.parsedMoves()
		g.prereq = make([]prereq, len(parsed))
		var facts, actions []int
		for i, mv := range parsed {
			switch {
			case mv.Verifies():
				facts = append(facts, i)
			case mv.Kind == scenarios.MoveAction:
				g.prereq[i] = prereq{facts: facts, actions: actions}
				actions = append(actions, i)
			case mv.Kind == scenarios.MoveReply:
				g.prereq[i] = prereq{facts: facts, actions: actions}
			case mv.Kind == scenarios.MoveEscalate:
				g.prereq[i] = prereq{facts: facts}
				// (Closing too early is the case's outcome, unresolved, not
				// a move made before its evidence.)
			}
		}
	})
	return g.prereq
}

// evidence applies to the moves of the tier the session scores (the
// trainee's, or a recording's first tier) under RulesV2: what a tier that
// took over checked before acting is its own part, simulated or not
// recorded.
func (s *Session) evidence() bool {
	return s.rules >= RulesV2 && s.tier == s.start
}

// unmet lists the prerequisites of golden move i not yet met: facts not
// proven and actions not earned, as golden move indexes.
func (s *Session) unmet(i int) (facts, actions []int) {
	pr := s.golden.prereqs()[i]
	parsed := s.golden.parsedMoves()
	for _, j := range pr.facts {
		if !s.proven[parsed[j].Arg] {
			facts = append(facts, j)
		}
	}
	for _, j := range pr.actions {
		if !s.earned[j] {
			actions = append(actions, j)
		}
	}
	return facts, actions
}

// moveIDs names golden moves by their ids, for a turn.
func (s *Session) moveIDs(idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = s.golden.Moves[j].Move
	}
	return out
}

// judge decides whether a move that matches golden move i is on the path
// under evidence before action, and says why not on the turn.
func (s *Session) judge(t *Turn, mv scenarios.Move, i int) (onPath bool, due *GoldenMove) {
	if !s.evidence() || mv.Verifies() {
		return true, nil
	}
	facts, actions := s.unmet(i)
	if len(facts)+len(actions) > 0 {
		t.Evidence = &Evidence{}
	}
	if len(actions) > 0 {
		t.Events = append(t.Events, EventPremature)
		t.Before = s.moveIDs(actions)
		due = &s.golden.Moves[actions[0]]
	}
	if len(facts) > 0 {
		t.Events = append(t.Events, EventUnverified)
		t.Unverified = s.moveIDs(facts)
		due = &s.golden.Moves[facts[0]]
	}
	return due == nil, due
}

// redone reports, under RulesV2, whether an action or reply matching
// golden move i was already made as often as the golden path makes it up
// to i: made again, it changes nothing the first did not (or, for a
// refund, pays twice), so it earns nothing.
func (s *Session) redone(move string, i int) bool {
	if !s.evidence() || !s.done[move] {
		return false
	}
	want := 0
	for j := 0; j <= i; j++ {
		if s.golden.Moves[j].Move == move {
			want++
		}
	}
	made := 0
	for _, t := range s.turns {
		if t.Move == move && !t.Auto && !slices.Contains(t.Events, EventRefused) {
			made++
		}
	}
	return made >= max(want, 1)
}
