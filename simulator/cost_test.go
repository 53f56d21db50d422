package simulator

import (
	"testing"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// Each move kind is charged the channel cost its table entry names, and a
// refused action or escalation the refusal's cost.
func TestEachMoveKindIsChargedItsChannelCost(t *testing.T) {
	for _, c := range []struct{ scenario, trap string }{
		{"https-proxy-cname", "resend-docs"},                 // chat
		{"https-certificate-not-yet-valid", "enable-anyway"}, // email
	} {
		probe := session(t, c.scenario, "L1", ModeExam)
		costs := ChannelCosts[probe.Scenario().Channel]
		trap := probe.Scenario().Trap(c.trap)
		for _, m := range []struct {
			tier    playbooks.TierName
			move    string
			want    time.Duration
			refused bool
		}{
			{"L1", "ask:click_tracking", costs.CustomerTurn, false},
			{"L1", "lookup:ssl_tracking", costs.Lookup, false},
			{"L1", "probe:certificate", costs.Probe, false},
			{"L1", "dns:cname_target", costs.Lookup, false},
			{"L2", "action:enable_ssl_tracking", costs.Action, false},
			{"L1", "action:enable_ssl_tracking", costs.Refused, true},
			{"L1", "reply:ssl-enabled", costs.CustomerTurn, false},
			{"L1", "doc:docs/link-branding", costs.CustomerTurn, false},
			{"L1", "escalate:L2:", costs.Handoff, false},
			{"L2", "escalate:L1", costs.Refused, true},
			{"L1", "trap:" + c.trap, trap.Cost, false},
			{"L1", "close", costs.Close, false},
		} {
			ss := session(t, c.scenario, m.tier, ModeExam)
			turns, err := ss.Play(m.move)
			if err != nil {
				t.Fatalf("%s: %s: %v", c.scenario, m.move, err)
			}
			if got := time.Duration(turns[0].CostMin) * time.Minute; got != m.want {
				t.Errorf("%s (%s) at %s: %s costs %v, want %v", c.scenario, ss.Scenario().Channel, m.tier, m.move, got, m.want)
			}
			mv, _ := scenarios.ParseMove(m.move)
			if !m.refused && ss.Cost(mv) != m.want {
				t.Errorf("%s: Cost(%s) = %v, want %v", c.scenario, m.move, ss.Cost(mv), m.want)
			}
		}
	}
}

// Every kind of move has its handler: a kind added to scenarios without
// one would do nothing in the world.
func TestEveryMoveKindHasAHandler(t *testing.T) {
	for _, k := range scenarios.MoveKinds {
		if moveHandlers[k] == nil {
			t.Errorf("move kind %s has no handler in moveHandlers", k)
		}
	}
	if len(moveHandlers) != len(scenarios.MoveKinds) {
		t.Errorf("%d handlers for %d move kinds", len(moveHandlers), len(scenarios.MoveKinds))
	}
}
