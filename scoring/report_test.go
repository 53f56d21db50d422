package scoring

import (
	"slices"
	"testing"

	"github.com/casebook/casebook/playbooks"
)

func card(trainee, tier, scenario string, total int, resolved bool, dues ...string) *Scorecard {
	c := &Scorecard{Trainee: trainee, Tier: playbooks.TierName(tier), Scenario: scenario, Total: total, Resolved: resolved, ClockMin: total}
	for i, d := range dues {
		c.Path = append(c.Path, PathRow{N: i + 1, Due: d})
		c.Findings = append(c.Findings, Finding{Rule: "restated-fact"})
	}
	return c
}

func TestAggregate(t *testing.T) {
	entries := []Entry{
		{Card: card("ana", "L1", "s", 90, true, "a"), StartedAt: "1"},
		{Card: card("ana", "L1", "s", 70, true, "a", "b"), StartedAt: "2"},
		{Card: card("ana", "L1", "s", 10, false), StartedAt: "3"},
		{Card: card("ben", "L2", "s", 50, false, "c"), StartedAt: "1"},
		{Card: card("ben", "L2", "s", 60, true), StartedAt: "2"},
	}
	r := Aggregate(entries, 2, 3)
	t.Run("medians per trainee", func(t *testing.T) {
		if g := r.Trainees[0]; g.Key != "ana" || g.Attempts != 3 || g.MedianScore != 70 || g.Resolved != 2 {
			t.Errorf("ana: %+v", g)
		}
		if g := r.Trainees[1]; g.MedianScore != 55 {
			t.Errorf("ben's median of 50 and 60 is %v, want 55", g.MedianScore)
		}
	})
	t.Run("pass^k looks at the first k attempts", func(t *testing.T) {
		if c := r.Consistency[0]; c.Trainee != "ana" || c.Eligible != 1 || c.Consistent != 1 || c.PassK != 1 {
			t.Errorf("ana resolved her first two: %+v", c)
		}
		if c := r.Consistency[1]; c.Consistent != 0 || c.PassK != 0 {
			t.Errorf("ben failed his first: %+v", c)
		}
		if c := Aggregate(entries, 4, 3).Consistency[0]; c.PassK != -1 {
			t.Errorf("with k above every count pass^k is undefined, got %+v", c)
		}
	})
	t.Run("divergence counts each attempt once per step, most frequent first", func(t *testing.T) {
		d := r.Divergence[0]
		if d.Scenario != "s" || len(d.Tiers) != 2 {
			t.Fatalf("%+v", d)
		}
		l1 := d.Tiers[0]
		want := []Count{{"a", 2}, {"b", 1}}
		if l1.Tier != "L1" || l1.Attempts != 3 || !slices.Equal(l1.Steps, want) {
			t.Errorf("L1 departures %+v, want %v", l1, want)
		}
	})
}
