package playbooks

import (
	"errors"
	"testing"
)

const runBody = `casebook: playbook/v1
id: r
version: 1.0.0
title: R
product: p
applies_to: ">=1"
reviewed_for: "1"
owner: o
intents: [i]
facts:
  on: {source: admin, values: ["yes", "no"]}
tiers:
  L1: [reply]
  L2: [reply, fix]
steps:
  - {id: check, check: on, on: {"yes": fix, "no": done}}
  - {id: fix, action: fix, next: done}
  - {id: done, outcome: resolved}
`

func TestRunDrivesAWalkToItsEnd(t *testing.T) {
	p, fs := ParsePlaybook("r.yaml", []byte(runBody))
	if HasErrors(fs) {
		t.Fatal(fs)
	}
	walk := func(visit func(w *Walker, ev Event) error) ([]string, error) {
		w := NewWalker(p, p.Tiers[0], "")
		var kinds []string
		err := w.Run(func(ev Event) error {
			kinds = append(kinds, ev.Kind)
			return visit(w, ev)
		})
		return kinds, err
	}
	t.Run("a visitor that sets facts and takes over reaches the outcome", func(t *testing.T) {
		kinds, err := walk(func(w *Walker, ev Event) error {
			switch ev.Kind {
			case EventNeed:
				return w.Set(ev.Fact, "yes")
			case EventHandoff:
				w.TakeOver(p.Tier(ev.Handoff.To))
			}
			return nil
		})
		if err != nil || len(kinds) == 0 || kinds[len(kinds)-1] != EventOutcome {
			t.Errorf("events %v, error %v; want the walk to end at the outcome", kinds, err)
		}
	})
	t.Run("a handoff nobody takes over ends the walk", func(t *testing.T) {
		kinds, err := walk(func(w *Walker, ev Event) error {
			if ev.Kind == EventNeed {
				return w.Set(ev.Fact, "yes")
			}
			return nil
		})
		if err != nil || kinds[len(kinds)-1] != EventHandoff {
			t.Errorf("events %v, error %v; want the walk to end at the handoff", kinds, err)
		}
	})
	t.Run("ErrStopWalk stops it without an error", func(t *testing.T) {
		kinds, err := walk(func(*Walker, Event) error { return ErrStopWalk })
		if err != nil || len(kinds) != 1 {
			t.Errorf("events %v, error %v; want one event and no error", kinds, err)
		}
	})
	t.Run("a visitor's error comes back as it is", func(t *testing.T) {
		mine := errors.New("mine")
		if _, err := walk(func(*Walker, Event) error { return mine }); err != mine {
			t.Errorf("error %v, want the visitor's own", err)
		}
	})
	t.Run("a walk that never moves on is bounded", func(t *testing.T) {
		kinds, err := walk(func(*Walker, Event) error { return nil }) // never sets the fact
		var none *NoOutcomeError
		if !errors.As(err, &none) || len(kinds) != 8*(len(p.Steps)+len(p.Tiers)+1) {
			t.Errorf("%d events, error %v; want the bound and a NoOutcomeError", len(kinds), err)
		}
	})
}
