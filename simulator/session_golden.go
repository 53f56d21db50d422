package simulator

import (
	"slices"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// goldenKey names a golden path of a scenario: it depends only on the
// playbook and the tier besides, all immutable once loaded.
type goldenKey struct {
	p     *playbooks.Playbook
	tier  playbooks.TierName
	rules Rules
}

type goldenEntry struct {
	g    *Golden
	docs []string
	err  error
}

// goldenFor is the golden path of the scenario on the playbook at the
// tier, kept with the scenario (Scenario.Derived): a report replays
// thousands of attempts at the same few scenarios and tiers, and the cache
// goes when the library it was loaded with does.
func goldenFor(p *playbooks.Playbook, s *scenarios.Scenario, t *playbooks.Tier, rules Rules) (*Golden, []string, error) {
	key := goldenKey{p, t.Name, rules}
	goldens := &s.Derived
	if e, ok := goldens.Load(key); ok {
		e := e.(*goldenEntry)
		return e.g, e.docs, e.err
	}
	g, err := GoldenPathUnder(p, s, t, rules)
	e := &goldenEntry{g: g, err: err}
	if err == nil {
		e.docs = goldenDocs(p, g)
		g.parsedMoves() // before the path is shared between sessions
	}
	goldens.Store(key, e)
	return e.g, e.docs, e.err
}

// goldenDocs are the canonical doc pages of the replies the golden path
// sends: the pages worth sending this customer. (The docs of check steps
// are the agent's reading.)
func goldenDocs(p *playbooks.Playbook, g *Golden) []string {
	var out []string
	for _, m := range g.Moves {
		if st := p.Step(m.Step); st != nil {
			if st.Kind == playbooks.StepReply {
				if r := p.Reply(st.Subject.Value); r != nil {
					for _, d := range r.Docs {
						out = append(out, d.Value)
					}
				}
			}
		}
	}
	return out
}

// pending looks through the golden moves of the tier playing that are not
// yet satisfied: it returns the first of them (nil when none is left) and
// the index of the first that match accepts (-1 when none does).
func (s *Session) pending(match func(scenarios.Move, GoldenMove) bool) (first *GoldenMove, matched int) {
	parsed := s.golden.parsedMoves()
	for i := range s.golden.Moves {
		m := &s.golden.Moves[i]
		if m.Tier != s.tier.Name || s.satisfied(i, parsed[i], m.Move) {
			continue
		}
		if first == nil {
			first = m
		}
		if match(parsed[i], *m) {
			return first, i
		}
	}
	return first, -1
}

// satisfied reports whether golden move i (mv, id) needs making no more:
// its fact is known (under RulesV2: proven), the case was handed off or
// closed, or the move was made (under RulesV2: earned).
func (s *Session) satisfied(i int, mv scenarios.Move, id string) bool {
	v2 := s.rules >= RulesV2
	switch {
	case mv.Verifies() && v2:
		return s.proven[mv.Arg]
	case mv.Verifies():
		_, ok := s.verified[mv.Arg]
		return ok
	case mv.Kind == scenarios.MoveEscalate:
		return s.escalate != ""
	case mv.Kind == scenarios.MoveClose:
		return s.closed
	case v2:
		return s.earned[i]
	}
	return s.done[id]
}

// earn records under RulesV2 what a move made on the path earned: its
// golden move, and the fact a verifying move proves. A closing move is on
// the path only when it closes the case resolved.
func (s *Session) earn(t *Turn, mv scenarios.Move, gi int) {
	if slices.Contains(t.Events, EventRefused) {
		t.OnPath, t.Step = false, ""
	}
	if mv.Kind == scenarios.MoveClose && t.OnPath && s.outcome == OutcomeUnresolved {
		t.OnPath, t.Step = false, ""
	}
	if !t.OnPath || gi < 0 {
		return
	}
	s.earned[gi] = true
	if mv.Verifies() {
		s.proven[mv.Arg] = true
	}
}

// goldenIndex is the index of the first golden move with the id, or -1.
func (s *Session) goldenIndex(id string) int {
	for i, m := range s.golden.Moves {
		if m.Move == id {
			return i
		}
	}
	return -1
}

func (s *Session) inGolden(id string) bool {
	for _, m := range s.golden.Moves {
		if m.Move == id {
			return true
		}
	}
	return false
}

// GoldenClock is the simulated time the golden path takes. It is played
// once per golden path and kept with it.
func (s *Session) GoldenClock() time.Duration {
	s.golden.clockOnce.Do(func() { s.golden.clock = s.playGolden() })
	return s.golden.clock
}

// playGolden plays the golden path's moves of the session's tier in a
// fresh session and returns the time they take. The seed orders menus
// only, so any seed gives the same time.
func (s *Session) playGolden() time.Duration {
	g, err := NewUnder(s.pb, s.sc, s.start.Name, ModeExam, s.seed, s.rules)
	if err != nil {
		return 0
	}
	for _, m := range s.golden.Moves {
		if g.Over() || m.Tier != s.start.Name {
			break
		}
		if _, err := g.Play(m.Move); err != nil {
			return 0
		}
	}
	return g.Clock()
}

// GoldenMoves is the number of golden moves the session's own players make:
// the trainee's tier, and when a recording is replayed, every tier.
func (s *Session) GoldenMoves() int {
	n := 0
	for _, m := range s.golden.Moves {
		if s.manual || m.Tier == s.start.Name {
			n++
		}
	}
	return n
}
