package simulator

import (
	"slices"
	"testing"
)

// TestEachTurnMovesTheClockByItsChannelCost plays one move of each kind and
// checks the cost and the clock each turn shows, by chat and by email.
func TestEachTurnMovesTheClockByItsChannelCost(t *testing.T) {
	tests := []struct {
		name, scenario string
		moves          []string
		costs          []int // minutes
	}{
		{"by chat", "https-proxy-cname",
			[]string{"lookup:ssl_tracking", "probe:certificate", "dns:cname_target", "ask:ssl_tracking", "doc:docs/tracking/click-tracking",
				"reply:ssl-enabled", "trap:send-blog-post", "action:enable_ssl_tracking", "escalate:L1", "close"},
			[]int{2, 3, 2, 4, 4, 4, 60, 5, 1, 1}},
		{"by email", "https-certificate-not-yet-valid",
			[]string{"lookup:ssl_tracking", "probe:certificate", "dns:cname_target", "ask:ssl_tracking", "doc:docs/tracking/click-tracking",
				"reply:ssl-enabled", "trap:cname-points-elsewhere", "action:enable_ssl_tracking", "escalate:L1", "close"},
			[]int{2, 3, 2, 240, 240, 240, 240, 5, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := session(t, tt.scenario, "L2", ModeExam)
			clock := 0
			for i, m := range tt.moves {
				turns, err := ss.Play(m)
				if err != nil {
					t.Fatalf("%s: %v", m, err)
				}
				clock += tt.costs[i]
				if tr := turns[0]; tr.CostMin != tt.costs[i] || tr.ClockMin != clock {
					t.Errorf("%s: cost %dm, clock %dm; want %dm and %dm", m, tr.CostMin, tr.ClockMin, tt.costs[i], clock)
				}
			}
		})
	}
	t.Run("a handoff by email", func(t *testing.T) {
		ss := session(t, "https-certificate-not-yet-valid", "L1", ModeExam)
		turns, err := ss.Play("escalate:L2")
		if err != nil {
			t.Fatal(err)
		}
		if tr := turns[0]; tr.CostMin != 240 {
			t.Errorf("escalate:L2 by email cost %dm, want 240m", tr.CostMin)
		}
	})
}

// TestATrapTurnNamesTheTrapAndItsFindings checks a trap's turn carries the
// trap event and the findings the scenario gives it.
func TestATrapTurnNamesTheTrapAndItsFindings(t *testing.T) {
	ss := session(t, "https-proxy-cname", "L1", ModeExam)
	turns, err := ss.Play("trap:browser-cache-incognito")
	if err != nil {
		t.Fatal(err)
	}
	tr := turns[0]
	if !slices.Contains(tr.Events, EventTrap) || tr.OnPath {
		t.Errorf("a trap's turn: events %v, on path %v; want %s, off the path", tr.Events, tr.OnPath, EventTrap)
	}
	if want := []string{"derivable-asked", "irrelevant-troubleshooting"}; !slices.Equal(tr.Findings, want) {
		t.Errorf("a trap's turn carries findings %v, want %v", tr.Findings, want)
	}
	if tr.CostMin != 30 {
		t.Errorf("the trap cost %dm, want its own 30m", tr.CostMin)
	}
}

// TestAnEscalationNotUpwardIsRefused checks a handoff to the agent's own
// tier or below is refused, and nobody takes the case over.
func TestAnEscalationNotUpwardIsRefused(t *testing.T) {
	for _, to := range []string{"L1", "L2"} {
		ss := session(t, "https-proxy-cname", "L2", ModeExam)
		turns, err := ss.Play("escalate:" + to)
		if err != nil {
			t.Fatal(err)
		}
		if len(turns) != 1 || !slices.Contains(turns[0].Events, EventRefused) {
			t.Errorf("escalate:%s at L2: %+v, want one refused turn", to, turns)
		}
		if ss.Over() {
			t.Errorf("escalate:%s at L2 ended the case", to)
		}
	}
}
