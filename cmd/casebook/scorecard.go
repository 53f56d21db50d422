package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/casebook/casebook/scoring"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
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

// printScorecard prints the parts, the total and the findings.
func printScorecard(s *ioStreams, card *scoring.Scorecard) error {
	fmt.Fprintf(s.Out, "\nScore %d/100\n", card.Total)
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("part", "score", "max")
	for _, p := range card.Parts {
		t.Row(p.Part, strconv.Itoa(p.Score), strconv.Itoa(p.Max))
	}
	if err := t.Render(); err != nil {
		return err
	}
	if len(card.Findings) == 0 {
		fmt.Fprintln(s.Out, "\nNo findings: the handling follows the golden path.")
		return nil
	}
	fmt.Fprintln(s.Out, "\nFindings")
	for _, f := range card.Findings {
		fmt.Fprintf(s.Out, "  %s\n", f)
	}
	return nil
}

// joinRules lists rule ids with spaces between.
func joinRules(ids []scoring.RuleID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = string(id)
	}
	return strings.Join(parts, " ")
}
