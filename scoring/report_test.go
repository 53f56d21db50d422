package scoring

import (
	"encoding/json"
	"fmt"
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
	r := aggregate(entries, 2, 3)
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
		if c := aggregate(entries, 4, 3).Consistency[0]; c.PassK != -1 {
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

// aggregate is the report of the entries, added to one Aggregator.
func aggregate(entries []Entry, k, top int) *Report {
	a := NewAggregator(k, top)
	for _, e := range entries {
		a.Add(e)
	}
	return a.Report()
}

// Workers each aggregate a share of the attempts and merge at the end: the
// report must not depend on how the attempts were shared out.
func TestMergedAggregatorsGiveTheWholeReport(t *testing.T) {
	var entries []Entry
	for i := range 40 {
		trainee := []string{"ana", "ben", "cleo"}[i%3]
		tier := []string{"L1", "L2"}[i%2]
		entries = append(entries, Entry{Card: card(trainee, tier, []string{"s", "t"}[i/20], 40+i, i%4 != 0, []string{"a", "b", "c"}[i%3:]...),
			StartedAt: fmt.Sprintf("2024-01-%02d", 1+i), File: fmt.Sprintf("%02d.attempt", i)})
	}
	want, _ := json.Marshal(aggregate(entries, 2, 3))
	for _, parts := range []int{2, 3, 7} {
		aggs := make([]*Aggregator, parts)
		for i := range aggs {
			aggs[i] = NewAggregator(2, 3)
		}
		for i, e := range entries {
			aggs[(i*5)%parts].Add(e) // out of order, unevenly
		}
		for _, a := range aggs[1:] {
			aggs[0].Merge(a)
		}
		if got, _ := json.Marshal(aggs[0].Report()); string(got) != string(want) {
			t.Errorf("%d merged aggregators give\n%s\nwant\n%s", parts, got, want)
		}
	}
}
