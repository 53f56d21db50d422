package playbooks

import (
	"fmt"
	"strings"
	"testing"
)

func rulesOf(fs []Finding, rule RuleID) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestAFileOfManyUnknownKeysReportsAHundredAndASummary(t *testing.T) {
	const n = 10_000
	var b strings.Builder
	b.WriteString(renderHeader)
	b.WriteString("  - id: done\n    outcome: resolved\n")
	for i := range n {
		fmt.Fprintf(&b, "key%d: 1\n", i)
	}
	_, fs := ParsePlaybook("keys.yaml", []byte(b.String()))
	unknown := rulesOf(fs, RuleUnknownKey)
	if len(unknown) != MaxFindingsPerRule+1 {
		t.Fatalf("%d unknown-key findings, want %d and a summary", len(unknown), MaxFindingsPerRule)
	}
	last := unknown[len(unknown)-1]
	want := fmt.Sprintf("keys.yaml:%d:1: ... and %d more like this [unknown-key]", 17+MaxFindingsPerRule, n-MaxFindingsPerRule)
	if last.String() != want || last.More != n-MaxFindingsPerRule {
		t.Errorf("summary %s (more %d), want %s", last, last.More, want)
	}
	if got := Total(unknown); got != n {
		t.Errorf("Total = %d, want %d", got, n)
	}
}

func TestAListOfWrongItemsIsOneMistake(t *testing.T) {
	src := strings.Replace(renderHeader, "L1: [act]", "L1: ["+strings.Repeat("[x], ", 5000)+"[y]]", 1) +
		"  - id: done\n    outcome: resolved\n"
	_, fs := ParsePlaybook("list.yaml", []byte(src))
	wrong := rulesOf(fs, RuleWrongType)
	if len(wrong) != 2 {
		t.Fatalf("%d wrong-type findings, want 2: %v", len(wrong), wrong[:min(len(wrong), 4)])
	}
	if want := "this and the 4999 items after it in the capabilities of tier \"L1\" are lists too; each must be a string"; wrong[1].Message != want {
		t.Errorf("message %q, want %q", wrong[1].Message, want)
	}
	// Items wrong in different ways are each reported.
	src = strings.Replace(renderHeader, "L1: [act]", "L1: [[x], {y: 1}, [z]]", 1) + "  - id: done\n    outcome: resolved\n"
	_, fs = ParsePlaybook("list.yaml", []byte(src))
	if wrong := rulesOf(fs, RuleWrongType); len(wrong) != 3 {
		t.Errorf("%d wrong-type findings for three different wrong items, want 3", len(wrong))
	}
}

func TestAListOfStepsThatAreNotMappingsIsOneMistake(t *testing.T) {
	src := renderHeader + strings.Repeat("  - x\n", 3000)
	_, fs := ParsePlaybook("steps.yaml", []byte(src))
	if wrong := rulesOf(fs, RuleWrongType); len(wrong) != 2 {
		t.Errorf("%d wrong-type findings, want 2", len(wrong))
	}
}

func TestCapFindingsKeepsAHundredPerRuleAndFileAndMergesSummaries(t *testing.T) {
	var fs []Finding
	for i := range 150 {
		fs = append(fs, ErrorAt("a.yaml", Pos{150 - i, 1}, RuleWrongType, "wrong %d", i))
	}
	for i := range 30 {
		fs = append(fs, ErrorAt("b.yaml", Pos{i + 1, 1}, RuleWrongType, "wrong %d", i))
	}
	fs = append(fs, ErrorAt("a.yaml", Pos{1, 1}, RuleBadID, "bad"))
	// A summary a collector made already: 7 more, at line 200.
	fs = append(fs, Finding{File: "a.yaml", Line: 200, Col: 1, Rule: RuleWrongType, Severity: SeverityError, More: 7, Message: moreMessage(7)})
	out := CapFindings(fs)
	a := 0
	var summary Finding
	for _, f := range out {
		if f.File == "a.yaml" && f.Rule == RuleWrongType {
			if f.More > 0 {
				summary = f
			} else {
				a++
			}
		}
	}
	if a != MaxFindingsPerRule || summary.More != 57 || summary.Line != 101 || summary.Message != "... and 57 more like this" {
		t.Errorf("a.yaml keeps %d and summarises %+v; want 100 kept, 57 more at line 101", a, summary)
	}
	if len(out) != 100+1+30+1 {
		t.Errorf("%d findings left, want %d", len(out), 132)
	}
	if Total(out) != 150+30+1+7 {
		t.Errorf("Total = %d, want %d", Total(out), 188)
	}
	for i := 1; i < len(out); i++ {
		if a, b := out[i-1], out[i]; a.File > b.File || a.File == b.File && a.Line > b.Line {
			t.Fatalf("not sorted: %s before %s", a, b)
		}
	}
	// Capping again changes nothing.
	again := CapFindings(append([]Finding(nil), out...))
	if fmt.Sprint(again) != fmt.Sprint(out) {
		t.Errorf("capping twice differs")
	}
}

func TestALongCycleIsNamedInOneShortLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(renderHeader)
	const n = 5_000
	for i := range n {
		fmt.Fprintf(&b, "  - id: s%d\n    action: act\n    next: s%d\n", i, (i+1)%n)
	}
	_, fs := ParsePlaybook("loop.yaml", []byte(b.String()))
	cycles := rulesOf(fs, RuleCycle)
	if len(cycles) != 1 {
		t.Fatalf("%d cycle findings, want 1: %v", len(cycles), fs)
	}
	if msg := cycles[0].Message; len(msg) > 300 || !strings.Contains(msg, fmt.Sprintf("and %d more", n-10)) {
		t.Errorf("message of %d bytes: %.300s", len(msg), msg)
	}
}

func TestUnknownKeysPastTheCapAreOnlyCounted(t *testing.T) {
	// Past the cap an unknown key costs what parsing it does, not a
	// message and a search for the nearest known key: on a file of
	// 300,000 keys that search tripled the time and memory of lint.
	parse := func(n int) func() {
		var b strings.Builder
		b.WriteString(renderHeader)
		b.WriteString("  - id: done\n    outcome: resolved\n")
		for i := range n {
			fmt.Fprintf(&b, "key%d: 1\n", i)
		}
		src := []byte(b.String())
		return func() { ParsePlaybook("keys.yaml", src) }
	}
	small, large := testing.AllocsPerRun(1, parse(1_000)), testing.AllocsPerRun(1, parse(11_000))
	perKey := (large - small) / 10_000
	t.Logf("%.1f allocations per unknown key", perKey)
	if perKey > 20 {
		t.Errorf("%.1f allocations per unknown key past the cap, want at most 20", perKey)
	}
}

// Past the cap a dangling target is only counted: no did-you-mean search
// over every step id, which made a file of many dangling targets cost
// time quadratic in their number (8,000 took 21 s).
func TestDanglingTargetsPastTheCapCostLittle(t *testing.T) {
	parse := func(n int) func() {
		var b strings.Builder
		b.WriteString("casebook: playbook/v1\nid: dang\nversion: 1.0.0\ntitle: Dangling\nproduct: mailer\napplies_to: \">=1.0\"\nreviewed_for: \"1.0\"\nowner: x\nintents: [x]\nfacts:\n  f: {source: customer, ask: \"F?\"}\ntiers:\n  L1: [reply]\nsteps:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {id: s%05d, check: f, on: {yes: x%05d, no: done}}\n", i, i)
		}
		b.WriteString("  - {id: done, outcome: resolved}\n")
		src := []byte(b.String())
		return func() { ParsePlaybook("dang.yaml", src) }
	}
	small, large := testing.AllocsPerRun(1, parse(1_000)), testing.AllocsPerRun(1, parse(3_000))
	perStep := (large - small) / 2_000
	t.Logf("%.1f allocations per step with a dangling target", perStep)
	// The first hundred are searched (a pass over the ids each); the rest
	// must not be: searching each costs thousands of allocations.
	if perStep > 1000 {
		t.Errorf("%.1f allocations per dangling target past the cap, want at most 1000: the suggestion search runs for each", perStep)
	}
}
