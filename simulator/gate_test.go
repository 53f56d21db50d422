package simulator

import (
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// loadFiles loads a small library from file name → text and fails on any
// finding.
func loadFiles(t *testing.T, files ...string) *scenarios.Library {
	t.Helper()
	var fs []playbooks.File
	for i := 0; i+1 < len(files); i += 2 {
		fs = append(fs, playbooks.File{Name: files[i], Src: []byte(files[i+1])})
	}
	lib := playbooks.Load(fs)
	sl := scenarios.Load(lib)
	if len(lib.Findings)+len(sl.Findings) > 0 {
		t.Fatalf("the library has findings: %v %v", lib.Findings, sl.Findings)
	}
	return sl
}

const gatedPlaybook = `casebook: playbook/v1
id: app-crash
version: 1.0.0
title: The app crashes on start
product: engage
applies_to: ">=5.0"
reviewed_for: "5.4"
owner: customer-reliability
intents: [app-crash]
facts:
  plan: {source: admin, ask: "Which plan is the account on?", values: [free, pro]}
  crash_log: {source: admin, needs: [read_app_logs], values: [oom, other]}
tiers:
  L1: [reply, escalate]
  L2: [lookup, reply, escalate]
  ENG: [lookup, reply, escalate, read_app_logs]
steps:
  - id: check-plan
    check: plan
    on: {free: reply-other, pro: check-log}
  - id: check-log
    check: crash_log
    on: {oom: reply-oom, other: reply-other}
  - id: reply-oom
    reply: oom
    next: done
  - id: reply-other
    reply: other
    next: done
  - id: done
    outcome: resolved
replies:
  oom: {summary: The app runs out of memory., cause: c, fix: f}
  other: {summary: Something else., cause: c, fix: f}
`

const gatedScenario = `casebook: scenario/v1
id: app-crash-oom
title: The app runs out of memory
playbook: app-crash@^1
channel: chat
ticket:
  opening: Our app crashes on start.
persona: {name: Ada, tone: patient}
truth: {plan: pro, crash_log: oom}
stated: []
traps: []
`

func gatedSession(t *testing.T, rules Rules) *Session {
	t.Helper()
	sl := loadFiles(t, "app-crash.yaml", gatedPlaybook, "scenarios/app-crash-oom.yaml", gatedScenario)
	sc := sl.Find("app-crash-oom")
	ss, err := NewUnder(sl.Playbook(sc), sc, "L1", ModeExam, 1, rules)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func TestTiersGateWhatTheyCanVerifyUnderV2Only(t *testing.T) {
	for _, tt := range []struct {
		rules Rules
		want  string
	}{
		{RulesV1, "L1 lookup:plan, L1 lookup:crash_log, L1 reply:oom, L1 close"},
		{RulesV2, "L1 ask:plan, L1 escalate:ENG, ENG lookup:crash_log, ENG reply:oom, ENG close"},
	} {
		ss := gatedSession(t, tt.rules)
		if got := strings.Join(moves(ss.Golden()), ", "); got != tt.want {
			t.Errorf("golden path under %s\n got: %s\nwant: %s", tt.rules, got, tt.want)
		}
	}
	g := gatedSession(t, RulesV2).Golden()
	if why := g.Moves[0].Why; !strings.Contains(why, "tier L1 cannot look up plan") {
		t.Errorf("the ask's reason %q does not say L1 cannot look it up", why)
	}
	if why := g.Moves[1].Why; why != "step check-log checks crash_log, which needs capabilities lookup, read_app_logs that tier L1 lacks" {
		t.Errorf("the handoff's reason is %q", why)
	}
}

func TestALookUpTheTierCannotMakeIsRefusedUnderV2(t *testing.T) {
	ss := gatedSession(t, RulesV2)
	turns, err := ss.Play("lookup:plan")
	if err != nil {
		t.Fatal(err)
	}
	tr := turns[0]
	if tr.Result != "refused: tier L1 cannot look up plan; L2 can" || tr.CostMin != 1 || !slices.Contains(tr.Events, EventRefused) {
		t.Errorf("lookup:plan at L1 gave %q, cost %dm, events %v; want refused for 1m", tr.Result, tr.CostMin, tr.Events)
	}
	if _, ok := ss.verified["plan"]; ok {
		t.Error("a refused look-up taught the session the fact")
	}
	turns, _ = ss.Play("ask:plan")
	if tr := turns[0]; slices.Contains(tr.Events, EventKnowable) || !tr.OnPath || tr.Said != "pro" {
		t.Errorf("ask:plan at L1, which cannot look it up: said %q, events %v, on path %v; want the plain answer on the path", tr.Said, tr.Events, tr.OnPath)
	}

	v1 := gatedSession(t, RulesV1)
	turns, _ = v1.Play("lookup:plan")
	if tr := turns[0]; tr.Result != "plan = pro" || len(tr.Events) != 0 {
		t.Errorf("under v1 lookup:plan gave %q %v; want the value, as before tiers gated look-ups", tr.Result, tr.Events)
	}
	turns, _ = v1.Play("ask:plan")
	if !slices.Contains(turns[0].Events, EventKnowable) {
		t.Errorf("under v1 asking for an admin fact is knowable-asked, got %v", turns[0].Events)
	}
}

func TestTheTierHandedToForAFactsNeedsVerifiesIt(t *testing.T) {
	ss := gatedSession(t, RulesV2)
	var got []string
	for _, m := range []string{"ask:plan", "escalate:ENG"} {
		turns, err := ss.Play(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range turns {
			got = append(got, string(tr.By)+" "+tr.Move)
		}
	}
	if want := "L1 ask:plan, L1 escalate:ENG, ENG lookup:crash_log, ENG reply:oom, ENG close"; strings.Join(got, ", ") != want {
		t.Errorf("turns\n got: %s\nwant: %s", strings.Join(got, ", "), want)
	}
	if ss.Outcome() != "resolved" {
		t.Errorf("outcome %q, want resolved", ss.Outcome())
	}
}

// What the opening states and the tier cannot verify is taken from the
// customer: the golden path does not ask it again (that would restate it),
// and it counts as verified for what follows (rules v2).
func TestAStatedFactTheTierCannotVerifyIsTakenFromTheOpening(t *testing.T) {
	sc := strings.Replace(gatedScenario, "stated: []", "stated: [plan]", 1)
	sc = strings.Replace(sc, "Our app crashes on start.", "Our app crashes on start; we are on the pro plan.", 1)
	sl := loadFiles(t, "app-crash.yaml", gatedPlaybook, "scenarios/app-crash-oom.yaml", sc)
	s := sl.Find("app-crash-oom")
	ss, err := New(sl.Playbook(s), s, "L1", ModeExam, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(moves(ss.Golden()), ", "), "L1 escalate:ENG, ENG lookup:crash_log, ENG reply:oom, ENG close"; got != want {
		t.Errorf("golden path\n got: %s\nwant: %s", got, want)
	}
	turns, err := ss.Play("escalate:ENG")
	if err != nil {
		t.Fatal(err)
	}
	if !turns[0].OnPath || slices.Contains(turns[0].Events, EventUnverified) {
		t.Errorf("the handoff after the opening stated the plan: %+v", turns[0])
	}
}
