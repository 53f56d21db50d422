package playbooks

import (
	"strings"
	"testing"
)

const walkPlaybook = `casebook: playbook/v1
id: refund
version: 1.0.0
title: Refund a duplicate charge
product: billing
applies_to: ">=1.0"
reviewed_for: "1.0"
owner: billing
intents: [refund]
facts:
  plan: {source: ticket.plan, values: [free, pro]}
  charged_twice: {source: admin, values: [yes, no]}
  invoice: {source: customer}
tiers:
  L1: [lookup, reply]
  L2: [lookup, reply, refund]
  ENG: [lookup, reply, refund, debug]
steps:
  - id: check-plan
    check: plan
    on: {free: reply-free, pro: check-charge}
  - id: check-charge
    check: charged_twice
    note: Look at the payment log.
    on: {yes: get-invoice, no: to-eng}
  - id: get-invoice
    check: invoice
    next: refund
  - id: refund
    action: refund
    next: reply-refunded
  - id: to-eng
    escalate: ENG
    next: debug
  - id: debug
    action: debug
    next: done
  - id: reply-free
    reply: free
    next: done
  - id: reply-refunded
    reply: refunded
    next: done
  - id: done
    outcome: resolved
replies:
  free:
    summary: Free plans are never charged.
    cause: c
    fix: f
  refunded:
    summary: We refunded invoice {invoice}.
    cause: c
    fix: f
    audiences:
      developer: {fix: "POST /refunds {invoice}"}
`

// walk runs a walker to its end, answering from facts, and returns the
// kinds and steps of its events as "kind:step" strings and the last event.
func walk(t *testing.T, tier TierName, audience string, facts map[string]string) ([]string, Event) {
	t.Helper()
	p, fs := ParsePlaybook("refund.yaml", []byte(walkPlaybook))
	if len(fs) > 0 {
		t.Fatalf("playbook has findings: %v", fs)
	}
	w := NewWalker(p, p.Tier(tier), audience)
	var trail []string
	var last Event
	err := w.Run(func(ev Event) error {
		if ev.Kind == EventNeed {
			v, ok := facts[ev.Fact]
			if !ok {
				t.Fatalf("walk asked for %s, which this path should not need", ev.Fact)
			}
			return w.Set(ev.Fact, v)
		}
		trail = append(trail, ev.Kind+":"+ev.Step)
		last = ev
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return trail, last
}

func TestWalker(t *testing.T) {
	tests := []struct {
		name  string
		tier  TierName
		facts map[string]string
		want  string
	}{
		{"a free plan gets the reply without any look-up", "L1", map[string]string{"plan": "free"},
			"check:check-plan reply:reply-free outcome:done"},
		{"tier 1 hands off at the refund it cannot make", "L1", map[string]string{"plan": "pro", "charged_twice": "yes", "invoice": "INV-1"},
			"check:check-plan check:check-charge check:get-invoice handoff:refund"},
		{"tier 2 refunds and replies", "L2", map[string]string{"plan": "pro", "charged_twice": "yes", "invoice": "INV-1"},
			"check:check-plan check:check-charge check:get-invoice action:refund reply:reply-refunded outcome:done"},
		{"tier 2 escalates to engineering", "L2", map[string]string{"plan": "pro", "charged_twice": "no"},
			"check:check-plan check:check-charge handoff:to-eng"},
		{"engineering passes its own escalation", "ENG", map[string]string{"plan": "pro", "charged_twice": "no"},
			"check:check-plan check:check-charge pass:to-eng action:debug outcome:done"},
		{"values match whatever their case", "L1", map[string]string{"plan": "FREE"},
			"check:check-plan reply:reply-free outcome:done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trail, _ := walk(t, tt.tier, "", tt.facts)
			if got := strings.Join(trail, " "); got != tt.want {
				t.Errorf("trail\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestHandoffCarriesEveryVerifiedFact(t *testing.T) {
	_, last := walk(t, "L1", "", map[string]string{"plan": "pro", "charged_twice": "yes", "invoice": "INV-1"})
	h := last.Handoff
	if h == nil {
		t.Fatal("no handoff")
	}
	if h.From != "L1" || h.To != "L2" || h.Capability != "refund" {
		t.Errorf("handoff %s → %s for %q, want L1 → L2 for refund", h.From, h.To, h.Capability)
	}
	var got []string
	for _, f := range h.Facts {
		got = append(got, f.Fact+"="+f.Value+"/"+f.Source)
	}
	if want := "plan=pro/ticket.plan charged_twice=yes/admin invoice=INV-1/customer"; strings.Join(got, " ") != want {
		t.Errorf("handoff facts %v, want %s", got, want)
	}
	if len(h.Notes) != 1 || h.Notes[0] != "Look at the payment log." {
		t.Errorf("handoff notes %q, want the note of the step visited", h.Notes)
	}
}

func TestDraftFillsFactsForTheAudience(t *testing.T) {
	facts := map[string]string{"plan": "pro", "charged_twice": "yes", "invoice": "INV-1"}
	trail, _ := walk(t, "L2", "developer", facts)
	if len(trail) == 0 {
		t.Fatal("no events")
	}
	p, _ := ParsePlaybook("refund.yaml", []byte(walkPlaybook))
	w := NewWalker(p, p.Tier("L2"), "developer")
	for name, v := range facts {
		if err := w.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	d := w.Draft(p.Reply("refunded"))
	if d.Summary != "We refunded invoice INV-1." {
		t.Errorf("summary %q: the placeholder was not filled", d.Summary)
	}
	if d.Fix != "POST /refunds INV-1" {
		t.Errorf("fix %q: want the developer's override, filled", d.Fix)
	}
	if d.Cause != "c" {
		t.Errorf("cause %q: want the default part where the audience has none", d.Cause)
	}
}

func TestSetRefusesIllegalValues(t *testing.T) {
	p, _ := ParsePlaybook("refund.yaml", []byte(walkPlaybook))
	w := NewWalker(p, p.Tier("L1"), "")
	if err := w.Set("plan", "enterprise"); err == nil || !strings.Contains(err.Error(), "free, pro") {
		t.Errorf("Set(plan, enterprise) = %v, want an error naming the legal values", err)
	}
	if err := w.Set("nope", "x"); err == nil {
		t.Error("Set of an undeclared fact succeeded")
	}
	if err := w.Set("invoice", "  "); err == nil {
		t.Error("Set of an empty free-text value succeeded")
	}
}
