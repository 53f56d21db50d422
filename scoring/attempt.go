package scoring

import (
	"sync"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// Goldens remembers what scoring needs of a golden path (the path, its
// simulated time and its move count) per scenario, tier and playbook
// version, for a caller that scores many attempts. The caller owns it: one
// per run, shared by its workers (it is safe for concurrent use). The zero
// value is ready; a nil *Goldens remembers nothing.
type Goldens struct {
	mu sync.Mutex
	m  map[goldenKey]*goldenFacts
}

type goldenKey struct {
	scenario string
	tier     playbooks.TierName
	version  string
	rules    simulator.Rules
}

type goldenFacts struct {
	golden      *simulator.Golden
	clockMin    int
	goldenMoves int
}

// facts returns the golden facts of the tier, computing them once.
func (g *Goldens) facts(p *playbooks.Playbook, sc *scenarios.Scenario, tier playbooks.TierName, rules simulator.Rules) (*goldenFacts, error) {
	key := goldenKey{sc.ID, tier, p.Version, rules}
	if g != nil {
		g.mu.Lock()
		defer g.mu.Unlock()
		if gf := g.m[key]; gf != nil {
			return gf, nil
		}
	}
	ss, err := simulator.NewUnder(p, sc, tier, simulator.ModeExam, 0, rules)
	if err != nil {
		return nil, err
	}
	gf := &goldenFacts{golden: ss.Golden(), clockMin: int(ss.GoldenClock().Minutes()), goldenMoves: ss.GoldenMoves()}
	if g != nil {
		if g.m == nil {
			g.m = map[goldenKey]*goldenFacts{}
		}
		g.m[key] = gf
	}
	return gf, nil
}

// AttemptOptions say how ScoreAttempt scores.
type AttemptOptions struct {
	// Goldens remembers golden paths across calls; nil computes them for
	// this attempt alone.
	Goldens *Goldens
	// ForReport scores for an Aggregator: the findings have no messages,
	// the scorecard keeps of its path only the rows off the golden path
	// (their Due), its golden moves are those Goldens remembers (shared,
	// not copied), HandedTo is set under every rules version (v1 too, for
	// "resolved after handoff"), and an incomplete attempt gets no
	// scorecard.
	ForReport bool
	// Rules rescores the attempt under the rules of this version; 0 scores
	// it under the rules it was made under (its header's).
	Rules simulator.Rules
}

// ScoreAttempt replays a saved attempt from its moves (the recorded turns
// are not trusted) on the scenario and playbook it was made on and scores
// it. The playbook is the version the attempt names, or one that differs
// only in the patch (playbooks.Library.MadeOn). complete is false when the
// case was never closed. Errors name the attempt's file and line.
func ScoreAttempt(a *simulator.Attempt, sc *scenarios.Scenario, p *playbooks.Playbook, opts AttemptOptions) (card *Scorecard, complete bool, err error) {
	rules := opts.Rules
	if rules == 0 {
		rules = a.Header.Rules.OrV1()
	}
	turns, over, err := simulator.Replay(a, p, sc, true, rules)
	if err != nil {
		return nil, false, err
	}
	if !over && opts.ForReport {
		return nil, false, nil
	}
	h := a.Header
	gf, err := opts.Goldens.facts(p, sc, playbooks.TierName(h.Tier), rules)
	if err != nil {
		return nil, false, err
	}
	card = Score(Input{Scenario: sc, Playbook: p, Tier: playbooks.TierName(h.Tier), Trainee: h.Trainee, Mode: h.Mode,
		Source: SourceAttempt, Turns: turns, Golden: gf.golden, GoldenClockMin: gf.clockMin, GoldenMoves: gf.goldenMoves,
		Terse: opts.ForReport, Rules: rules})
	if opts.ForReport {
		// A report keeps of each scorecard only what it aggregates: the
		// off-path rows, the skipped golden moves (Progress, v2) and the
		// golden path they name steps of (gf's, shared by every attempt).
		card.Path = offPath(card.Path)
		if card.HandedTo == "" {
			card.HandedTo = handoff(card.Tier, turns)
		}
	}
	return card, over, nil
}

// offPath keeps the rows where the trainee left the golden path: all the
// divergence table needs.
func offPath(rows []PathRow) []PathRow {
	var out []PathRow
	for _, r := range rows {
		if !r.Auto && !r.OnPath && r.Due != "" {
			out = append(out, PathRow{Due: r.Due})
		}
	}
	return out
}
