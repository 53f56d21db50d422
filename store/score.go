package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// Score scores an attempt as a store keeps it: the scorecard as replay -o
// json prints it (indented by two spaces, no HTML escapes, a newline at
// the end) and as a report counts it. Both are nil when the case was never
// closed.
func Score(a *simulator.Attempt, sc *scenarios.Scenario, p *playbooks.Playbook, goldens *scoring.Goldens) ([]byte, *scoring.Scorecard, error) {
	full, complete, err := scoring.ScoreAttempt(a, sc, p, scoring.AttemptOptions{Goldens: goldens})
	if err != nil || !complete {
		return nil, nil, err
	}
	brief, _, err := scoring.ScoreAttempt(a, sc, p, scoring.AttemptOptions{Goldens: goldens, ForReport: true})
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(full); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), brief, nil
}

// ScoreAndSave scores a stored attempt (Score) and stores its scorecard
// when its case was closed.
func ScoreAndSave(ctx context.Context, s Scored, ref string, a *simulator.Attempt, sc *scenarios.Scenario, p *playbooks.Playbook, goldens *scoring.Goldens) error {
	card, brief, err := Score(a, sc, p, goldens)
	if err != nil || card == nil {
		return err
	}
	return s.SaveScorecard(ctx, ref, len(a.Moves), card, brief)
}

// SaveScore stores the scorecard of a stored attempt whose case is
// closed, scored as replay scores it on the library's playbook (the one it
// was made on, or one differing only in the patch). a is the attempt as
// read already, or nil to read it.
func SaveScore(ctx context.Context, s Scored, ref string, a *simulator.Attempt, lib *scenarios.Bundle) error {
	if a == nil {
		var err error
		if a, err = s.Read(ctx, ref); err != nil {
			return err
		}
	}
	sc := lib.Scenarios.Find(a.Header.Scenario)
	if sc == nil {
		return fmt.Errorf("no scenario %q in the library", a.Header.Scenario)
	}
	p, _ := lib.MadeOn(a.Header.Playbook, a.Header.PlaybookVersion)
	if p == nil {
		return fmt.Errorf("made on playbook %s %s, which the library does not have", a.Header.Playbook, a.Header.PlaybookVersion)
	}
	return ScoreAndSave(ctx, s, ref, a, sc, p, nil)
}
