package playbooks

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// placeholderPlaybook is a playbook whose reply "done" says {who}; steps
// is the steps: block.
func placeholderPlaybook(steps string) []byte {
	return []byte(`casebook: playbook/v1
id: t
version: 1.0.0
title: T
product: p
applies_to: ">=1.0.0"
reviewed_for: "1.0.0"
owner: o
intents: [t]
facts:
  who: {source: admin}
  plan: {source: ticket.plan}
  ok: {source: admin, values: [yes, no]}
tiers:
  L1: [lookup, reply]
steps:
` + steps + `
  - id: end
    outcome: resolved
replies:
  done:
    summary: Done for {who} on {plan}.
    cause: c
    fix: f
`)
}

func uncheckedFindings(t *testing.T, src []byte) []Finding {
	t.Helper()
	_, fs := ParsePlaybook("t.yaml", src)
	var out []Finding
	for _, f := range fs {
		if f.Rule == RuleUnchecked {
			out = append(out, f)
		} else {
			t.Errorf("unexpected finding: %s", f)
		}
	}
	return out
}

func TestAPlaceholderIsKnownOnlyWhenEveryPathChecksItsFact(t *testing.T) {
	for _, c := range []struct {
		name, steps string
		want        string // the finding's message, "" for none
	}{
		{"a check before the reply on the only path", `
  - {id: a, check: who, next: r}
  - {id: r, reply: done, next: end}`, ""},
		{"no check at all", `
  - {id: r, reply: done, next: end}`, `step "r" sends reply "done", whose {who} may not be known there: no step checks fact who on the path r, so the customer would read "{who}" as written`},
		{"a check on one branch of two", `
  - {id: a, check: ok, on: {yes: b, no: r}}
  - {id: b, check: who, next: r}
  - {id: r, reply: done, next: end}`, `step "r" sends reply "done", whose {who} may not be known there: no step checks fact who on the path a → r, so the customer would read "{who}" as written`},
		{"a check on both branches", `
  - {id: a, check: ok, on: {yes: b, no: c}}
  - {id: b, check: who, next: r}
  - {id: c, check: who, next: r}
  - {id: r, reply: done, next: end}`, ""},
		{"a check after the reply does not count", `
  - {id: r, reply: done, next: a}
  - {id: a, check: who, next: end}`, `step "r" sends reply "done", whose {who} may not be known there: no step checks fact who on the path r, so the customer would read "{who}" as written`},
		{"a loop back past the check keeps it known", `
  - {id: a, check: who, next: b}
  - {id: b, check: ok, on: {yes: a, no: r}}
  - {id: r, reply: done, next: end}`, ""},
		{"a loop that skips the check the first time round", `
  - {id: b, check: ok, on: {yes: a, no: r}}
  - {id: a, check: who, next: b}
  - {id: r, reply: done, next: end}`, `step "r" sends reply "done", whose {who} may not be known there: no step checks fact who on the path b → r, so the customer would read "{who}" as written`},
		{"two steps send the reply unknown: one finding", `
  - {id: a, check: ok, on: {yes: r1, no: r2}}
  - {id: r1, reply: done, next: end}
  - {id: r2, reply: done, next: end}`, `step "r1" (and 1 more step) sends reply "done", whose {who} may not be known there: no step checks fact who on the path a → r1, so the customer would read "{who}" as written`},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := uncheckedFindings(t, placeholderPlaybook(c.steps))
			switch {
			case c.want == "" && len(fs) > 0:
				t.Errorf("got %s, want no finding", fs[0])
			case c.want != "" && len(fs) != 1:
				t.Errorf("got %d findings %v, want one: %s", len(fs), fs, c.want)
			case c.want != "":
				if fs[0].Message != c.want {
					t.Errorf("got  %s\nwant %s", fs[0].Message, c.want)
				}
				if fs[0].Severity != SeverityWarning {
					t.Errorf("severity %s, want warning", fs[0].Severity)
				}
				if fs[0].Line != strings.Count(string(placeholderPlaybook(c.steps)), "\n")-2 || fs[0].Col != 14 {
					t.Errorf("at %d:%d, want the summary's value", fs[0].Line, fs[0].Col)
				}
			}
		})
	}
}

// A ladder of diamonds has 2^n paths from the start to the reply; the
// dataflow answers in one pass over the graph, and the path it shows is
// elided in the middle.
func TestPlaceholderCostIsBoundedOnAGraphOfManyPaths(t *testing.T) {
	ladder := func(bothSides bool) []byte {
		var b strings.Builder
		const n, mid = 2000, 1000
		for i := range n {
			fmt.Fprintf(&b, "  - {id: s%d, check: ok, on: {yes: l%d, no: r%d}}\n", i, i, i)
			next := fmt.Sprintf("s%d", i+1)
			if i == n-1 {
				next = "reply"
			}
			left, right := "ok", "ok"
			if i == mid {
				left = "who"
				if bothSides {
					right = "who"
				}
			}
			fmt.Fprintf(&b, "  - {id: l%d, check: %s, next: %s}\n", i, left, next)
			fmt.Fprintf(&b, "  - {id: r%d, check: %s, next: %s}\n", i, right, next)
		}
		b.WriteString("  - {id: reply, reply: done, next: end}")
		return placeholderPlaybook(b.String())
	}
	begin := time.Now()
	if fs := uncheckedFindings(t, ladder(true)); len(fs) > 0 {
		t.Errorf("checked on both sides of a rung, got %s", fs[0])
	}
	fs := uncheckedFindings(t, ladder(false))
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "on the path s0 → l0 → s1 → l1 → … 3994 steps … → s1999 → l1999 → reply,") {
		t.Errorf("got %v", fs)
	}
}
