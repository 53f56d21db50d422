package playbooks

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

const renderHeader = `casebook: playbook/v1
id: deep
version: 1.0.0
title: Deep
product: demo
applies_to: ">=1.0"
reviewed_for: "1.2"
owner: support
intents: [deep]
facts:
  plan: {source: admin, values: [a, b]}
tiers:
  L1: [act]
steps:
`

// chainPlaybook is n action steps, each going to the next, then an outcome.
func chainPlaybook(t testing.TB, n int) *Playbook {
	var b strings.Builder
	b.WriteString(renderHeader)
	for i := range n {
		fmt.Fprintf(&b, "  - id: s%d\n    action: act\n    next: s%d\n", i, i+1)
	}
	fmt.Fprintf(&b, "  - id: s%d\n    outcome: resolved\n", n)
	return parseClean(t, b.String())
}

// ladderPlaybook is n checks, each with one branch to an outcome and one
// to the next check.
func ladderPlaybook(t testing.TB, n int) *Playbook {
	var b strings.Builder
	b.WriteString(renderHeader)
	for i := range n {
		fmt.Fprintf(&b, "  - id: c%d\n    check: plan\n    note: rung %d\n    on: {a: o%d, b: c%d}\n  - id: o%d\n    outcome: resolved\n", i, i, i, i+1, i)
	}
	fmt.Fprintf(&b, "  - id: c%d\n    outcome: resolved\n", n)
	return parseClean(t, b.String())
}

func parseClean(t testing.TB, src string) *Playbook {
	t.Helper()
	p, fs := ParsePlaybook("deep.yaml", []byte(src))
	if len(fs) > 0 {
		t.Fatalf("the generated playbook has findings: %v", fs[:min(len(fs), 3)])
	}
	return p
}

func render(t *testing.T, write func(io.Writer, *Playbook) error, p *Playbook) []string {
	t.Helper()
	var out bytes.Buffer
	if err := write(&out, p); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
}

// widest is the width in runes of the longest line.
func widest(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, utf8.RuneCountInString(l))
	}
	return w
}

// definitions counts, per step id, the lines that show the step with its
// label ("ID: kind subject"), as opposed to references to it.
func definitions(lines []string) map[string]int {
	n := map[string]int{}
	for _, l := range lines {
		l = strings.TrimLeft(l, " │├└─")
		if _, rest, ok := strings.Cut(l, " → "); ok {
			l = rest
		}
		if id, _, ok := strings.Cut(l, ": "); ok && !strings.Contains(id, " ") {
			n[id]++
		}
	}
	return n
}

func TestTreeOfALongChainStaysNarrowAndShowsEveryStepOnce(t *testing.T) {
	const n = 40_000
	lines := render(t, WriteTree, chainPlaybook(t, n))
	if w := widest(lines); w > 3*(TreeMaxDepth+1)+60 {
		t.Errorf("the widest line has %d characters; indentation should stop at %d levels", w, TreeMaxDepth)
	}
	if len(lines) > n+10 {
		t.Errorf("%d lines for %d steps; the tree should have about one line per step", len(lines), n+1)
	}
	defs := definitions(lines)
	for i := 0; i <= n; i++ {
		if id := fmt.Sprintf("s%d", i); defs[id] != 1 {
			t.Fatalf("step %s is shown %d times, want once", id, defs[id])
		}
	}
	// Below the deepest level the chain goes on at the same indent.
	if got, want := lines[len(lines)-1], strings.Repeat("   ", TreeMaxDepth-1)+fmt.Sprintf("└─ s%d: outcome resolved", n); got != want {
		t.Errorf("last line\n%q, want\n%q", got, want)
	}
}

func TestTreeOfADeepLadderContinuesInSections(t *testing.T) {
	const n = 3_000
	lines := render(t, WriteTree, ladderPlaybook(t, n))
	if w := widest(lines); w > 3*(TreeMaxDepth+1)+60 {
		t.Errorf("the widest line has %d characters; indentation should stop at %d levels", w, TreeMaxDepth)
	}
	// Each check: its line, its note; each outcome: its line; each
	// section adds a blank line and a repeat of the check it continues.
	if max := 3*n + 4*(n/TreeMaxDepth+1) + 10; len(lines) > max {
		t.Errorf("%d lines for %d steps, want at most %d", len(lines), 2*n+1, max)
	}
	defs := definitions(lines)
	cut, sections := 0, 0
	for _, l := range lines {
		if strings.HasSuffix(l, " (continued below)") {
			cut++
		}
		if strings.HasSuffix(l, " (continued)") && !strings.HasPrefix(l, " ") {
			sections++
		}
	}
	if cut == 0 || cut != sections {
		t.Errorf("%d steps are continued below, and %d sections continue them", cut, sections)
	}
	for i := range n {
		c, o := fmt.Sprintf("c%d", i), fmt.Sprintf("o%d", i)
		if defs[o] != 1 || defs[c] < 1 || defs[c] > 2 {
			t.Fatalf("%s is shown %d times and %s %d times", c, defs[c], o, defs[o])
		}
	}
}

func TestTreeStopsAtStepsAlreadyShownBelowTheDeepestLevel(t *testing.T) {
	// A chain past the deepest level whose last step loops back: the
	// reference is written in place, and nothing is continued below.
	var b strings.Builder
	b.WriteString(renderHeader)
	const n = TreeMaxDepth + 5
	for i := range n {
		fmt.Fprintf(&b, "  - id: s%d\n    check: plan\n    on: {a: s%d, b: end}\n", i, i+1)
	}
	fmt.Fprintf(&b, "  - id: s%d\n    check: plan\n    on: {a: s0, b: end}\n  - id: end\n    outcome: resolved\n", n)
	lines := render(t, WriteTree, parseClean(t, b.String()))
	text := strings.Join(lines, "\n")
	if !strings.Contains(text, "s24: check plan (admin) (continued below)") {
		t.Errorf("the step at the deepest level is not continued below:\n%s", text)
	}
	if !strings.Contains(text, "\ns24: check plan (admin) (continued)\n") {
		t.Errorf("no section continues s24:\n%s", text)
	}
	if !strings.Contains(text, "a → s0 (see above)") {
		t.Errorf("the loop back to s0 is not a reference:\n%s", text)
	}
}

func TestDiagramsHaveOneLinePerStepAndEdge(t *testing.T) {
	const n = 40_000
	p := chainPlaybook(t, n)
	for name, write := range map[string]func(io.Writer, *Playbook) error{"mermaid": WriteMermaid, "dot": WriteDOT} {
		lines := render(t, write, p)
		// n+1 nodes, n edges, and a few lines of header and footer.
		if len(lines) < 2*n+1 || len(lines) > 2*n+8 {
			t.Errorf("%s: %d lines for %d steps and %d edges", name, len(lines), n+1, n)
		}
		if w := widest(lines); w > 80 {
			t.Errorf("%s: the widest line has %d characters", name, w)
		}
	}
}
