package simulator

import (
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

func coverageOf(t *testing.T, cs []PlaybookCoverage, id string) PlaybookCoverage {
	t.Helper()
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no coverage for playbook %s", id)
	return PlaybookCoverage{}
}

func uncovered(c PlaybookCoverage, step, label string) bool {
	return slices.ContainsFunc(c.UncoveredBranches, func(b BranchRef) bool { return b.Step == step && b.Label == label })
}

func TestCoverageOfTheEmbeddedLibrary(t *testing.T) {
	lib, sl := embedded(t)
	cs := Coverage(lib, sl)
	if got := len(cs); got != 2 {
		t.Fatalf("coverage of %d playbooks, want 2", got)
	}
	if cs[0].ID > cs[1].ID {
		t.Errorf("playbooks not sorted by id: %s before %s", cs[0].ID, cs[1].ID)
	}
	https := coverageOf(t, cs, "https-link-branding")
	inApp := coverageOf(t, cs, "in-app-message-not-displayed")
	tests := []struct {
		name    string
		c       PlaybookCoverage
		step    string
		label   string
		covered bool
	}{
		{"the founding scenario practises a CNAME pointing at the proxy", https, "check-cname", "proxy", true},
		{"the variant practises a certificate not yet valid", https, "check-certificate", "not-yet-valid", true},
		{"the hand-off to L2 practises enabling SSL", https, "enable-ssl", "next", true},
		{"no scenario practises click tracking turned off", https, "check-tracking", "off", false},
		{"no scenario practises SSL tracking already on", https, "check-ssl-tracking", "on", false},
		{"the audience scenario practises a user outside the audience", inApp, "check-audience", "excluded", true},
		{"no scenario practises a frequency cap", inApp, "check-product-limits", "frequency-cap", false},
		{"no scenario practises the per-session rule", inApp, "check-product-limits", "one-per-session", false},
		{"no scenario practises the product limits at all", inApp, "check-product-limits", "none", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := !uncovered(tt.c, tt.step, tt.label); got != tt.covered {
				t.Errorf("%s --%s--> covered = %v, want %v", tt.step, tt.label, got, tt.covered)
			}
		})
	}
	if want := []string{"https-certificate-not-yet-valid", "https-proxy-cname"}; !slices.Equal(https.Scenarios, want) {
		t.Errorf("https scenarios = %v, want %v", https.Scenarios, want)
	}
	if want := []string{"in-app-message-audience"}; !slices.Equal(inApp.Scenarios, want) {
		t.Errorf("in-app scenarios = %v, want %v", inApp.Scenarios, want)
	}
	for _, c := range cs {
		if len(c.Problems) > 0 {
			t.Errorf("%s: problems walking scenarios: %v", c.ID, c.Problems)
		}
		if c.BranchesCovered+len(c.UncoveredBranches) != c.BranchesTotal {
			t.Errorf("%s: %d covered + %d uncovered branches != %d", c.ID, c.BranchesCovered, len(c.UncoveredBranches), c.BranchesTotal)
		}
		if c.StepsCovered+len(c.UncoveredSteps) != c.StepsTotal {
			t.Errorf("%s: %d covered + %d uncovered steps != %d", c.ID, c.StepsCovered, len(c.UncoveredSteps), c.StepsTotal)
		}
	}
	if !slices.Contains(inApp.UncoveredSteps, "check-product-limits") {
		t.Errorf("in-app uncovered steps %v lack check-product-limits", inApp.UncoveredSteps)
	}
}

const tinyPlaybook = `casebook: playbook/v1
id: tiny
version: 1.0.0
title: Repaint a widget
product: widgets
applies_to: ">=1.0"
reviewed_for: "1.0"
owner: paint
intents: [repaint]
facts:
  color:
    source: admin
    ask: Which color is the widget?
    values: [red, blue, green]
tiers:
  L1: [lookup, reply, escalate]
  L2: [lookup, reply, escalate, repaint]
steps:
  - id: check-color
    check: color
    on: {red: repaint}
    otherwise: reply-other
  - id: repaint
    action: repaint
    next: reply-done
  - id: reply-done
    reply: done
    next: resolved
  - id: reply-other
    reply: other
    next: customer-action
  - id: resolved
    outcome: resolved
  - id: customer-action
    outcome: customer-action
replies:
  done:
    summary: Repainted.
    cause: Red widgets fade.
    fix: We repainted it.
  other:
    summary: Nothing to repaint.
    cause: Only red widgets fade.
    fix: Nothing to do.
`

func tinyScenario(id, color string) string {
	return `casebook: scenario/v1
id: ` + id + `
title: A ` + color + ` widget
playbook: tiny@^1
channel: chat
ticket:
  opening: Please repaint my widget.
persona:
  name: Kim
  tone: patient
truth:
  color: ` + color + `
stated: []
traps: []
`
}

func loadTiny(t *testing.T, scenarioFiles ...string) (*playbooks.Library, *scenarios.Library) {
	t.Helper()
	files := []playbooks.File{{Name: "tiny.yaml", Src: []byte(tinyPlaybook)}}
	for i, src := range scenarioFiles {
		files = append(files, playbooks.File{Name: "scenarios/" + string(rune('a'+i)) + ".yaml", Src: []byte(src)})
	}
	lib := playbooks.Load(files)
	sl := scenarios.Load(lib)
	if len(lib.Findings)+len(sl.Findings) > 0 {
		t.Fatalf("the tiny library has findings: %v %v", lib.Findings, sl.Findings)
	}
	return lib, sl
}

func TestCoverageCountsAStepAndBranchOncePractised(t *testing.T) {
	tests := []struct {
		name           string
		scenarios      []string
		ids            []string
		steps          int
		branches       int
		percent        int
		uncoveredSteps []string
		uncovered      []BranchRef
	}{
		{
			name: "a playbook no scenario exercises has every branch uncovered",
			ids:  []string{}, steps: 0, branches: 0, percent: 0,
			uncoveredSteps: []string{"check-color", "repaint", "reply-done", "reply-other", "resolved", "customer-action"},
			uncovered: []BranchRef{
				{"check-color", "red", "repaint"},
				{"check-color", "otherwise", "reply-other"},
				{"repaint", "next", "reply-done"},
				{"reply-done", "next", "resolved"},
				{"reply-other", "next", "customer-action"},
			},
		},
		{
			name:      "a red widget practises the repaint, handed off from L1 to L2",
			scenarios: []string{tinyScenario("red-widget", "red")},
			ids:       []string{"red-widget"}, steps: 4, branches: 3, percent: 60,
			uncoveredSteps: []string{"reply-other", "customer-action"},
			uncovered: []BranchRef{
				{"check-color", "otherwise", "reply-other"},
				{"reply-other", "next", "customer-action"},
			},
		},
		{
			name:      "a red and a green widget practise every branch",
			scenarios: []string{tinyScenario("red-widget", "red"), tinyScenario("green-widget", "green")},
			ids:       []string{"green-widget", "red-widget"}, steps: 6, branches: 5, percent: 100,
			uncoveredSteps: []string{},
			uncovered:      []BranchRef{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := Coverage(loadTiny(t, tt.scenarios...))
			if len(cs) != 1 {
				t.Fatalf("coverage of %d playbooks, want 1", len(cs))
			}
			c := cs[0]
			if c.ID != "tiny" || c.Version != "1.0.0" {
				t.Errorf("playbook %s %s, want tiny 1.0.0", c.ID, c.Version)
			}
			if !slices.Equal(c.Scenarios, tt.ids) {
				t.Errorf("scenarios = %v, want %v", c.Scenarios, tt.ids)
			}
			if c.StepsTotal != 6 || c.StepsCovered != tt.steps {
				t.Errorf("steps %d/%d, want %d/6", c.StepsCovered, c.StepsTotal, tt.steps)
			}
			if c.BranchesTotal != 5 || c.BranchesCovered != tt.branches {
				t.Errorf("branches %d/%d, want %d/5", c.BranchesCovered, c.BranchesTotal, tt.branches)
			}
			if c.Percent != tt.percent {
				t.Errorf("percent = %d, want %d", c.Percent, tt.percent)
			}
			if !slices.Equal(c.UncoveredSteps, tt.uncoveredSteps) {
				t.Errorf("uncovered steps = %v, want %v", c.UncoveredSteps, tt.uncoveredSteps)
			}
			if !slices.Equal(c.UncoveredBranches, tt.uncovered) {
				t.Errorf("uncovered branches = %v, want %v", c.UncoveredBranches, tt.uncovered)
			}
			if len(c.Problems) > 0 {
				t.Errorf("problems: %v", c.Problems)
			}
		})
	}
}

func TestCoverageSkipsAScenarioPinnedToAnOlderVersion(t *testing.T) {
	files := []playbooks.File{
		{Name: "tiny.yaml", Src: []byte(tinyPlaybook)},
		{Name: "tiny2.yaml", Src: []byte(strings.Replace(tinyPlaybook, "version: 1.0.0", "version: 2.0.0", 1))},
		{Name: "scenarios/a.yaml", Src: []byte(tinyScenario("red-widget", "red"))},
	}
	lib := playbooks.Load(files)
	sl := scenarios.Load(lib)
	if p := sl.Playbook(sl.Find("red-widget")); p == nil || p.Version != "1.0.0" {
		t.Fatalf("the scenario resolved to %v, want tiny 1.0.0 (findings %v %v)", p, lib.Findings, sl.Findings)
	}
	cs := Coverage(lib, sl)
	if len(cs) != 1 || cs[0].Version != "2.0.0" {
		t.Fatalf("coverage %+v, want one entry for tiny 2.0.0", cs)
	}
	if len(cs[0].Scenarios) != 0 || cs[0].BranchesCovered != 0 {
		t.Errorf("tiny 2.0.0 practised by %v (%d branches), want none: the scenario pins ^1", cs[0].Scenarios, cs[0].BranchesCovered)
	}
}

func TestCoveragePercentRoundsHonestly(t *testing.T) {
	for _, c := range []struct{ n, total, want int }{
		{0, 10, 0}, {10, 10, 100}, {11, 23, 48}, {7, 31, 23}, {199, 200, 99}, {1, 300, 1}, {1, 2, 50}, {2, 3, 67},
	} {
		if got := honestPercent(c.n, c.total); got != c.want {
			t.Errorf("%d of %d is %d%%, want %d%%", c.n, c.total, got, c.want)
		}
	}
}
