package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// writeJSON writes v as indented JSON, the one way every command prints
// JSON: <, > and & stay as they are (not \u003e), for people and jq alike.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// jsonBytes is writeJSON's output as bytes, for a file.
func jsonBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	err := writeJSON(&b, v)
	return b.Bytes(), err
}

// printPath prints the handling move by move; beside the golden path when
// asked.
func printPath(s *ioStreams, card *scoring.Scorecard, beside bool) error {
	t := newTablePrinter(s.Out, s.OutTTY)
	if beside {
		t.Header("#", "by", "move", "clock", "golden path", "findings")
	} else {
		t.Header("#", "by", "move", "clock", "on path", "findings")
	}
	rows := max(len(card.Path), len(card.Golden))
	if !beside {
		rows = len(card.Path)
	}
	for i := range rows {
		var n, by, move, at, rules string
		on := "yes"
		if i < len(card.Path) {
			r := card.Path[i]
			n, move, at, rules = strconv.Itoa(r.N), r.Move, clock(r.ClockMin), joinRules(r.Rules)
			by = string(r.By)
			if !r.Auto && !beside {
				by = "you"
			}
			if !r.OnPath {
				on = "no"
			}
		}
		third := on
		if beside {
			third = ""
			if i < len(card.Golden) {
				third = string(card.Golden[i].Tier) + " " + card.Golden[i].Move
			}
		}
		t.Row(n, by, move, at, third, rules)
	}
	return t.Render()
}

// outcomeText is the outcome as a person reads it: after whose handoff.
func outcomeText(card *scoring.Scorecard) string {
	if card.HandedTo != "" && card.Outcome != "open" {
		return fmt.Sprintf("%s after the handoff to %s", card.Outcome, card.HandedTo)
	}
	return card.Outcome
}

// printScorecard prints the parts, the total and the findings.
func printScorecard(s *ioStreams, card *scoring.Scorecard) error {
	printScore(s.Out, card.Total)
	if card.Rules.OrV1() != simulator.CurrentRules {
		fmt.Fprintf(s.Out, "scored under rules %s, which the attempt was made under (casebook replay --rescore scores it under the current rules, %s)\n", card.Rules, simulator.CurrentRules)
	}
	if pr := card.Progress; pr != nil {
		fmt.Fprintf(s.Out, "progress: %d of %d golden moves of %s's part made on the path\n", pr.Earned, pr.Of, card.Tier)
	}
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("part", "score", "max")
	for _, p := range card.Parts {
		t.StyledRow([]style{1: partStyle(p.Score, p.Max)}, p.Part, strconv.Itoa(p.Score), strconv.Itoa(p.Max))
	}
	if err := t.Render(); err != nil {
		return err
	}
	if len(card.Findings) == 0 {
		fmt.Fprintln(s.Out, "\nNo findings: the handling follows the golden path.")
		return nil
	}
	fmt.Fprintln(s.Out, "\nFindings")
	// Progress not made costs every part for the same moves: one line.
	var progress []string
	for _, rule := range scoring.ProgressRules {
		for _, f := range card.Findings {
			if f.Move == 0 && f.Rule == rule && isProgressRule(card, f) {
				progress = append(progress, fmt.Sprintf("%s -%d", f.Part, f.Points))
			}
		}
	}
	if pr := card.Progress; pr != nil && len(progress) > 0 {
		what := fmt.Sprintf("%d of the %d golden moves of %s's part made on the path", pr.Earned, pr.Of, card.Tier)
		if len(pr.Skipped) > 0 {
			what += "; not " + strings.Join(pr.Skipped, ", ")
		}
		fmt.Fprintf(s.Out, "  case: points are earned by progress: %s [%s]\n", what, strings.Join(progress, ", "))
	}
	for _, f := range card.Findings {
		if f.Move == 0 && isProgressRule(card, f) && card.Progress != nil {
			continue
		}
		printScoreFinding(s.Out, f)
	}
	return nil
}

// isProgressRule reports whether a finding deducts for progress not made
// (rules v2), rather than for a mistake; the efficiency of an unresolved
// case is its own finding.
func isProgressRule(card *scoring.Scorecard, f scoring.Finding) bool {
	if f.Rule == scoring.RuleUnearned && !card.Resolved {
		return false
	}
	return slices.Contains(scoring.ProgressRules, f.Rule)
}

// joinRules lists rule ids with spaces between.
func joinRules(ids []scoring.RuleID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = string(id)
	}
	return strings.Join(parts, " ")
}
