package scoring

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
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
		c := card(trainee, tier, []string{"s", "t"}[i/20], 40+i, i%4 != 0, []string{"a", "b", "c"}[i%3:]...)
		if i%5 != 0 { // some under rules v1, most under v2
			c.Rules, c.Golden = simulator.RulesV2, l1Golden
			if i%7 == 0 {
				c.Golden = l1Golden[:3]
			}
			c.Progress = &Progress{Skipped: []string{"lookup:a", "lookup:b", "escalate:L2"}[i%3:]}
			c.Findings = append(c.Findings, Finding{Rule: ProgressRules[i%len(ProgressRules)]})
		}
		if i%3 == 1 {
			c.HandedTo = "L2"
		}
		entries = append(entries, Entry{Card: c, StartedAt: fmt.Sprintf("2024-01-%02d", 1+i), File: fmt.Sprintf("%02d.attempt", i)})
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

// l1Golden is an L1 golden path that hands off to L2 at step fix.
var l1Golden = []simulator.GoldenMove{
	{Move: "lookup:a", Tier: "L1", Step: "check-a"}, {Move: "lookup:b", Tier: "L1", Step: "check-b"},
	{Move: "escalate:L2", Tier: "L1", Step: "fix"},
	{Move: "action:x", Tier: "L2", Step: "fix"}, {Move: "close", Tier: "L2", Step: "resolved"},
}

// v2card is a card scored under rules v2 on l1Golden: the moves skipped,
// the tier handed to, and findings by rule.
func v2card(trainee string, resolved bool, handedTo string, skipped []string, rules ...RuleID) *Scorecard {
	c := card(trainee, "L1", "s", 50, resolved)
	c.Rules, c.Golden, c.HandedTo = simulator.RulesV2, l1Golden, playbooks.TierName(handedTo)
	c.Progress = &Progress{Of: 3, Earned: 3 - len(skipped), Skipped: skipped}
	for _, r := range rules {
		c.Findings = append(c.Findings, Finding{Rule: r})
	}
	return c
}

func TestReportSeesWhatWasSkipped(t *testing.T) {
	entries := []Entry{
		{Card: v2card("ana", true, "L2", nil, RuleLateEscalation)},
		{Card: v2card("ana", true, "L2", []string{"lookup:b"}, RuleEffortUnearned, RuleCommunicationUnearned, RuleLateEscalation)},
		{Card: v2card("ben", false, "", []string{"lookup:b", "escalate:L2"}, RuleUnearned, RuleEffortUnearned, RuleMissedEscalation)},
		{Card: card("cleo", "L1", "s", 80, true, "check-a")}, // v1: progress unknown, no handoff
	}
	entries[1].Card.Path = []PathRow{{N: 2, Due: "check-b"}}
	r := aggregate(entries, 2, 3)

	t.Run("divergence counts the steps skipped, of the attempts whose progress is known", func(t *testing.T) {
		td := r.Divergence[0].Tiers[0]
		if want := []Count{{"check-b", 2}, {"fix", 1}}; td.Attempts != 4 || td.WithProgress != 3 || !slices.Equal(td.Skipped, want) {
			t.Errorf("attempts %d, with progress %d, skipped %v; want 4, 3, %v", td.Attempts, td.WithProgress, td.Skipped, want)
		}
		if want := []Count{{"check-a", 1}, {"check-b", 1}}; !slices.Equal(td.Steps, want) {
			t.Errorf("off the path at %v, want %v", td.Steps, want)
		}
	})
	t.Run("resolved after a handoff is counted apart from resolved by the trainee", func(t *testing.T) {
		g := r.Tiers[0]
		if g.Resolved != 3 || g.ResolvedAfterHandoff != 2 || g.ResolvedByTrainee != 1 {
			t.Errorf("resolved %d, after handoff %d, by the trainee %d; want 3, 2, 1", g.Resolved, g.ResolvedAfterHandoff, g.ResolvedByTrainee)
		}
		if g := r.Trainees[1]; g.Key != "ben" || g.Resolved != 0 || g.ResolvedAfterHandoff != 0 {
			t.Errorf("ben never resolved nor handed off: %+v", g)
		}
	})
	t.Run("top findings leave out the rules of progress not made", func(t *testing.T) {
		want := []Count{{string(RuleLateEscalation), 2}, {string(RuleMissedEscalation), 1}, {"restated-fact", 1}}
		if got := r.Tiers[0].TopFindings; !slices.Equal(got, want) {
			t.Errorf("top findings %v, want %v", got, want)
		}
	})
	t.Run("the attempts are counted per version of the rules", func(t *testing.T) {
		if want := []RulesCount{{simulator.RulesV1, 1}, {simulator.RulesV2, 3}}; !slices.Equal(r.Rules, want) {
			t.Errorf("rules %v, want %v", r.Rules, want)
		}
	})
	t.Run("the tier's golden path shows, per step of its part, who left or skipped it", func(t *testing.T) {
		tp := r.Paths[0].Tiers[0]
		want := []PathStep{
			{Step: "check-a", Moves: []string{"lookup:a"}, Off: 1},
			{Step: "check-b", Moves: []string{"lookup:b"}, Off: 1, Skipped: 2},
			{Step: "fix", Moves: []string{"escalate:L2"}, HandsOffTo: "L2", Skipped: 1},
		}
		if r.Paths[0].Scenario != "s" || tp.Tier != "L1" || tp.Attempts != 4 || tp.WithProgress != 3 || jsonOf(t, tp.Steps) != jsonOf(t, want) {
			t.Errorf("path %+v, want steps %+v", tp, want)
		}
		if len(tp.Golden) != len(l1Golden) || tp.Golden[3].Tier != "L2" {
			t.Errorf("golden %v, want the whole path, L2's part too", tp.Golden)
		}
	})
}

func TestSkippedStepsAreTheLastOccurrences(t *testing.T) {
	c := &Scorecard{Tier: "L1", Progress: &Progress{Skipped: []string{"lookup:a"}}, Golden: []simulator.GoldenMove{
		{Move: "lookup:a", Tier: "L1", Step: "first"}, {Move: "lookup:b", Tier: "L1", Step: "middle"},
		{Move: "lookup:a", Tier: "L1", Step: "again"}, {Move: "lookup:a", Tier: "L2", Step: "theirs"},
	}}
	var got []string
	skippedSteps(c, func(step string) { got = append(got, step) })
	if !slices.Equal(got, []string{"again"}) {
		t.Errorf("skipped %v, want [again]: the first lookup:a was earned, L2's is not the trainee's", got)
	}
}

func TestTheGoldenPathShownIsTheOneMostAttemptsHad(t *testing.T) {
	older := slices.Clone(l1Golden[:3])
	older[1].Step = "check-b-old"
	var entries []Entry
	for i, g := range [][]simulator.GoldenMove{older, l1Golden, l1Golden} {
		c := v2card("ana", true, "L2", nil)
		c.Golden = g
		entries = append(entries, Entry{Card: c, File: fmt.Sprint(i)})
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}} {
		var in []Entry
		for _, i := range order {
			in = append(in, entries[i])
		}
		if got := aggregate(in, 2, 3).Paths[0].Tiers[0].Steps[1].Step; got != "check-b" {
			t.Errorf("order %v: step 2 is %s, want check-b (two attempts against one)", order, got)
		}
	}
	// A tie goes to the path that sorts first, whatever the order.
	for _, in := range [][]Entry{entries[:2], {entries[1], entries[0]}} {
		if got := aggregate(in, 2, 3).Paths[0].Tiers[0].Steps[1].Step; got != "check-b" {
			t.Errorf("a tie: step 2 is %s, want check-b", got)
		}
	}
}
