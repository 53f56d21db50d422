package simulator

import (
	"slices"
	"strings"
	"testing"
)

const rulePlaybook = `casebook: playbook/v1
id: in-app-limits
version: 1.0.0
title: Product rules hold an in-app message back
product: engage
applies_to: ">=5.0"
reviewed_for: "5.4"
owner: customer-reliability
intents: [in-app-limits]
facts:
  plan: {source: admin, values: [free, pro]}
  per_session: {source: rule, value: one, values: [one, many]}
  frequency_cap: {source: rule, from: plan, map: {free: daily, pro: none}, values: [daily, none]}
tiers:
  L1: [lookup, reply, escalate]
steps:
  - id: check-per-session
    check: per_session
    on: {one: check-cap, many: check-cap}
  - id: check-cap
    check: frequency_cap
    on: {daily: reply-cap, none: reply-none}
  - id: reply-cap
    reply: cap
    next: done
  - id: reply-none
    reply: none
    next: done
  - id: done
    outcome: resolved
replies:
  cap: {summary: "Free plans show a message once a day ({frequency_cap}).", cause: c, fix: f}
  none: {summary: No cap holds it back., cause: c, fix: f}
`

const ruleScenario = `casebook: scenario/v1
id: in-app-daily-cap
title: A free plan's daily cap
playbook: in-app-limits@^1
channel: chat
ticket:
  opening: Our message showed once and never again today.
persona: {name: Ada, tone: patient}
truth: {plan: free}
stated: []
traps: []
`

func ruleSession(t *testing.T) *Session {
	t.Helper()
	sl := loadFiles(t, "in-app-limits.yaml", rulePlaybook, "scenarios/in-app-daily-cap.yaml", ruleScenario)
	sc := sl.Find("in-app-daily-cap")
	ss, err := New(sl.Playbook(sc), sc, "L1", ModeExam, 1)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func TestTheGoldenPathNeverAsksForAFactAProductRuleFixes(t *testing.T) {
	ss := ruleSession(t)
	if got, want := strings.Join(moves(ss.Golden()), ", "), "L1 lookup:plan, L1 reply:cap, L1 close"; got != want {
		t.Errorf("golden path\n got: %s\nwant: %s", got, want)
	}
	if v := ss.verified["per_session"]; v != "one" {
		t.Errorf("the fixed rule fact is %q at the start, want one", v)
	}
	if _, ok := ss.verified["frequency_cap"]; ok {
		t.Error("the derived fact is known before its input")
	}
}

func TestTheSessionLearnsADerivedFactWithItsInput(t *testing.T) {
	ss := ruleSession(t)
	turns, err := ss.Play("ask:per_session")
	if err != nil {
		t.Fatal(err)
	}
	if tr := turns[0]; !slices.Contains(tr.Events, EventDerivable) || !strings.Contains(tr.Said, "how your product works") {
		t.Errorf("asking for a fixed rule fact: said %q, events %v; want derivable-asked", tr.Said, tr.Events)
	}
	if _, err := ss.Play("lookup:frequency_cap"); err == nil || !strings.Contains(err.Error(), "follows from plan by a product rule") {
		t.Errorf("looking up a derived fact: %v, want it refused as no move", err)
	}
	if _, err := ss.Play("lookup:plan"); err != nil {
		t.Fatal(err)
	}
	if v := ss.verified["frequency_cap"]; v != "daily" {
		t.Errorf("after looking up the plan the derived cap is %q, want daily", v)
	}
	for _, m := range []string{"reply:cap", "close"} {
		if _, err := ss.Play(m); err != nil {
			t.Fatal(err)
		}
	}
	if ss.Outcome() != "resolved" {
		t.Errorf("outcome %q", ss.Outcome())
	}
}

// A handoff note need not carry what a product rule fixes: the next tier
// knows it as well.
func TestAHandoffNoteNeedNotCarryRuleFacts(t *testing.T) {
	pb := strings.Replace(rulePlaybook, "L1: [lookup, reply, escalate]", "L1: [lookup, reply, escalate]\n  L2: [lookup, reply, escalate]", 1)
	sl := loadFiles(t, "in-app-limits.yaml", pb, "scenarios/in-app-daily-cap.yaml", ruleScenario)
	sc := sl.Find("in-app-daily-cap")
	ss, err := New(sl.Playbook(sc), sc, "L1", ModeExam, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Play("lookup:plan"); err != nil {
		t.Fatal(err)
	}
	turns, err := ss.Play("escalate:L2:plan")
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(turns[0].Events, EventIncomplete) {
		t.Errorf("the note carrying plan was called incomplete: %s", turns[0].Result)
	}
}
