package playbooks

import (
	"strings"
	"testing"
)

// gatePlaybook models the source capability lookup (only L2 and ENG hold
// it) and gives one fact explicit needs (only ENG reads app logs).
const gatePlaybook = `casebook: playbook/v1
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
  seats: {source: admin, values: [few, many]}
  crash_log: {source: customer, needs: [read_app_logs], values: [oom, other]}
tiers:
  L1: [reply, escalate]
  L2: [lookup, reply, escalate]
  ENG: [lookup, reply, escalate, read_app_logs]
steps:
  - id: check-plan
    check: plan
    on: {free: done, pro: check-seats}
  - id: check-seats
    check: seats
    on: {few: check-log, many: check-log}
  - id: check-log
    check: crash_log
    on: {oom: done, other: done}
  - id: done
    outcome: resolved
`

func TestAGatedWalkAsksHandsOffOrVerifies(t *testing.T) {
	p, fs := ParsePlaybook("app-crash.yaml", []byte(gatePlaybook))
	if len(fs) > 0 {
		t.Fatalf("playbook has findings: %v", fs)
	}
	truth := map[string]string{"plan": "pro", "seats": "few", "crash_log": "oom"}
	trail := func(tier TierName, gate bool) string {
		w := NewWalker(p, p.Tier(tier), "")
		if gate {
			w.GateFacts()
		}
		var out []string
		err := w.Run(func(ev Event) error {
			switch ev.Kind {
			case EventNeed:
				if ev.Ask {
					out = append(out, "ask:"+ev.Fact)
				}
				return w.Set(ev.Fact, truth[ev.Fact])
			case EventHandoff:
				out = append(out, "handoff:"+ev.Step+">"+string(ev.Handoff.To)+"("+ev.Handoff.Capability+")")
				w.TakeOver(p.Tier(ev.Handoff.To))
				return nil
			}
			out = append(out, ev.Kind+":"+ev.Step)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name string
		tier TierName
		gate bool
		want string
	}{
		{"ungated, every tier verifies everything", "L1", false,
			"check:check-plan check:check-seats check:check-log outcome:done"},
		{"L1 without lookup asks for a fact with an ask, hands off for one without, ENG reads the log", "L1", true,
			"ask:plan check:check-plan handoff:check-seats>L2(lookup) check:check-seats handoff:check-log>ENG(read_app_logs) check:check-log outcome:done"},
		{"L2 looks up and hands off for the log", "L2", true,
			"check:check-plan check:check-seats handoff:check-log>ENG(read_app_logs) check:check-log outcome:done"},
		{"ENG holds all", "ENG", true,
			"check:check-plan check:check-seats check:check-log outcome:done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trail(tt.tier, tt.gate); got != tt.want {
				t.Errorf("trail\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestASourceCapabilityNoTierListsIsNotModelled(t *testing.T) {
	p, _ := ParsePlaybook("app-crash.yaml", []byte(gatePlaybook))
	if got := p.SourceCapability(p.Fact("plan")); got != CapLookup {
		t.Errorf("admin fact gated by %q, want lookup (L2 lists it)", got)
	}
	src := strings.Replace(strings.Replace(gatePlaybook, "[lookup, reply, escalate]", "[reply, escalate]", 1), "[lookup, reply, escalate, read_app_logs]", "[reply, escalate, read_app_logs]", 1)
	q, fs := ParsePlaybook("app-crash.yaml", []byte(src))
	if len(fs) > 0 {
		t.Fatalf("findings: %v", fs)
	}
	if got := q.SourceCapability(q.Fact("plan")); got != "" {
		t.Errorf("admin fact gated by %q though no tier lists lookup", got)
	}
	if got := q.Lacks(q.Tier("L1"), q.Fact("plan")); len(got) != 0 {
		t.Errorf("L1 lacks %v for plan, want nothing", got)
	}
}

func TestDiffNamesAFactsNewNeeds(t *testing.T) {
	old, _ := ParsePlaybook("a.yaml", []byte(gatePlaybook))
	new, _ := ParsePlaybook("b.yaml", []byte(strings.Replace(gatePlaybook, "needs: [read_app_logs]", "needs: [read_app_logs, debug]", 1)))
	var got []string
	for _, c := range Diff(old, new).Changes {
		got = append(got, c.Code+": "+c.Message)
	}
	if want := "fact-needs-added: Fact crash_log now needs capability debug to verify"; strings.Join(got, "; ") != want {
		t.Errorf("changes %q, want %q", got, want)
	}
}
