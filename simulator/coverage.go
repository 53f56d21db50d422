package simulator

import (
	"errors"
	"fmt"
	"slices"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// Edge labels that are not a value of the checked fact.
const (
	LabelOtherwise = "otherwise"
	LabelNext      = "next"
)

// A BranchRef is one edge of a playbook's graph: out of a step, by a label
// (an `on` value, "otherwise" or "next"), to a target step.
type BranchRef struct {
	Step   string `json:"step"`
	Label  string `json:"label"`
	Target string `json:"target"`
}

// A ScenarioProblem is a scenario whose golden path could not be walked
// at a tier, so it practises nothing there.
type ScenarioProblem struct {
	Scenario string             `json:"scenario"`
	Tier     playbooks.TierName `json:"tier"`
	Message  string             `json:"message"`
}

// PlaybookCoverage is how much of a playbook the scenarios practise: the
// steps and edges the golden path of at least one scenario, at any tier,
// goes through.
type PlaybookCoverage struct {
	ID                string            `json:"id"`
	Version           string            `json:"version"`
	File              string            `json:"file"`
	Scenarios         []string          `json:"scenarios"` // that exercise it, sorted
	StepsTotal        int               `json:"steps_total"`
	StepsCovered      int               `json:"steps_covered"`
	BranchesTotal     int               `json:"branches_total"`
	BranchesCovered   int               `json:"branches_covered"`
	Percent           int               `json:"percent"` // of branches covered (honestPercent)
	UncoveredSteps    []string          `json:"uncovered_steps"`
	UncoveredBranches []BranchRef       `json:"uncovered_branches"`
	Problems          []ScenarioProblem `json:"problems,omitempty"`
}

// Coverage reports, for the newest version of each playbook id (sorted by
// id), which steps and branches the scenarios resolved to that version
// exercise on their golden paths, over every tier the playbook has. A
// scenario pinned to an older version practises that version, not this
// one, and is not counted.
func Coverage(lib *playbooks.Library, sl *scenarios.Library) []PlaybookCoverage {
	out := []PlaybookCoverage{}
	for _, id := range lib.IDs() {
		p := lib.Find(id)
		if p == nil {
			continue
		}
		out = append(out, playbookCoverage(p, sl))
	}
	return out
}

// CoverageOf is Coverage of one playbook (of whichever version): which
// of its steps and branches the scenarios resolved to it exercise.
func CoverageOf(p *playbooks.Playbook, sl *scenarios.Library) PlaybookCoverage {
	return playbookCoverage(p, sl)
}

type edgeKey struct{ step, label string }

func playbookCoverage(p *playbooks.Playbook, sl *scenarios.Library) PlaybookCoverage {
	c := PlaybookCoverage{ID: p.ID, Version: p.Version, File: p.File,
		Scenarios: []string{}, UncoveredSteps: []string{}, UncoveredBranches: []BranchRef{}}
	steps := map[string]bool{}
	edges := map[edgeKey]bool{}
	if sl != nil {
		for _, s := range sl.Scenarios {
			if sl.Playbook(s) != p {
				continue
			}
			walked := false
			for _, t := range p.Tiers {
				if err := exercise(p, s, t, steps, edges); err != nil {
					c.Problems = append(c.Problems, ScenarioProblem{Scenario: s.ID, Tier: t.Name, Message: err.Error()})
					continue
				}
				walked = true
			}
			if walked {
				c.Scenarios = append(c.Scenarios, s.ID)
			}
		}
	}
	slices.Sort(c.Scenarios)
	for _, s := range p.Steps {
		c.StepsTotal++
		if steps[s.ID] {
			c.StepsCovered++
		} else {
			c.UncoveredSteps = append(c.UncoveredSteps, s.ID)
		}
		for _, e := range s.Targets() {
			label := e.Label
			if label == "" {
				label = LabelNext
			}
			c.BranchesTotal++
			if edges[edgeKey{s.ID, label}] {
				c.BranchesCovered++
			} else {
				c.UncoveredBranches = append(c.UncoveredBranches, BranchRef{Step: s.ID, Label: label, Target: e.Target.Value})
			}
		}
	}
	switch {
	case c.BranchesTotal > 0:
		c.Percent = honestPercent(c.BranchesCovered, c.BranchesTotal)
	case c.StepsTotal > 0:
		c.Percent = honestPercent(c.StepsCovered, c.StepsTotal)
	}
	return c
}

// honestPercent is n of total as a whole percentage, rounded to the
// nearest, but never 100 while something is left nor 0 once something is
// covered: 199 of 200 is 99%, 1 of 300 is 1%.
func honestPercent(n, total int) int {
	p := (n*200 + total) / (2 * total) // rounded half up
	switch {
	case n < total && p == 100:
		return 99
	case n > 0 && p == 0:
		return 1
	}
	return p
}

// exercise walks the playbook on the scenario's truth as GoldenPath does,
// starting at tier t, and adds the steps it visits and the edges it takes
// to steps and edges once the walk reaches an outcome. A walk that fails
// adds nothing.
func exercise(p *playbooks.Playbook, s *scenarios.Scenario, t *playbooks.Tier, steps map[string]bool, edges map[edgeKey]bool) error {
	w := playbooks.NewWalker(p, t, audienceFor(p, s))
	for _, fv := range knownAtStart(p, s) {
		if err := w.Set(fv.Fact, fv.Value); err != nil {
			return err
		}
	}
	var seen []string
	var took []edgeKey
	reached := false
	err := w.Run(func(ev playbooks.Event) error {
		switch ev.Kind {
		case playbooks.EventNeed:
			f := p.Fact(ev.Fact)
			v, ok := s.TruthFor(f)
			if !ok {
				return fmt.Errorf("no truth for %s, which step %s checks", f.Name, ev.Step)
			}
			return w.Set(f.Name, v)
		case playbooks.EventCheck:
			label := ev.Branch
			if label == "" {
				label = LabelNext
			}
			seen = append(seen, ev.Step)
			took = append(took, edgeKey{ev.Step, label})
		case playbooks.EventAction, playbooks.EventReply, playbooks.EventPass:
			seen = append(seen, ev.Step)
			took = append(took, edgeKey{ev.Step, LabelNext})
		case playbooks.EventHandoff:
			// The receiving tier carries on from the same step.
			w.TakeOver(p.Tier(ev.Handoff.To))
		case playbooks.EventOutcome:
			seen = append(seen, ev.Step)
			reached = true
		}
		return nil
	})
	var none *playbooks.NoOutcomeError
	if err != nil && !errors.As(err, &none) {
		return err
	}
	if !reached {
		return fmt.Errorf("no outcome reached")
	}
	for _, id := range seen {
		steps[id] = true
	}
	for _, e := range took {
		edges[e] = true
	}
	return nil
}
