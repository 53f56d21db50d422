package scoring

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// att is an attempt of ana at scenario s, tier L1, minute m of a day.
func att(trainee, s string, m, total int, resolved bool) Entry {
	return Entry{Card: &Scorecard{Trainee: trainee, Scenario: s, Playbook: "pb-" + s, Tier: "L1", Total: total, Resolved: resolved},
		StartedAt: time.Date(2026, 11, 2, 9, m, 0, 0, time.UTC).Format(time.RFC3339)}
}

func TestReadinessNeedsKPassesInARow(t *testing.T) {
	entries := []Entry{
		att("ana", "a", 1, 90, true),
		att("ana", "a", 2, 70, true), // under the mark: the run starts again
		att("ana", "a", 3, 85, true),
		att("ana", "a", 4, 95, false), // not resolved: not a pass
		att("ana", "a", 5, 80, true),
		att("ana", "a", 6, 81, true),
		att("ana", "a", 7, 99, true), // the third in a row: ready
		att("ana", "b", 1, 90, true),
		att("ana", "b", 2, 40, true),
	}
	// Whatever order the attempts come in, and however they are split
	// between aggregators, the readiness is the same.
	one := NewAggregator(3, 3)
	for i := len(entries) - 1; i >= 0; i-- {
		one.Add(entries[i])
	}
	x, y := NewAggregator(3, 3), NewAggregator(3, 3)
	for i, e := range entries {
		if i%2 == 0 {
			x.Add(e)
		} else {
			y.Add(e)
		}
	}
	x.Merge(y)
	r1, r2 := one.Report().Readiness, x.Report().Readiness
	if !reflect.DeepEqual(r1, r2) {
		t.Fatalf("readiness depends on the order:\n%+v\n%+v", r1, r2)
	}
	if r1.PassMark != 80 || r1.K != 3 || len(r1.Trainees) != 1 {
		t.Fatalf("readiness = %+v", r1)
	}
	ana := r1.Trainees[0]
	a, b := ana.Scenarios[0], ana.Scenarios[1]
	if !a.Ready || a.Streak != 3 || a.Passed != 5 || a.AttemptsToReady != 7 || a.FirstReadyAt != "2026-11-02T09:07:00Z" || a.BestScore != 99 || a.LastScore != 99 {
		t.Errorf("scenario a: %+v", a)
	}
	if b.Ready || b.Streak != 0 || b.Passed != 1 || b.LastScore != 40 {
		t.Errorf("scenario b: %+v", b)
	}
	if ana.Ready != 1 || ana.Of != 2 {
		t.Errorf("ana is ready for %d of %d", ana.Ready, ana.Of)
	}
	if ana.Next == nil || ana.Next.Scenario != "b" {
		t.Errorf("next = %+v, want b", ana.Next)
	}
	if len(ana.Playbooks) != 2 || !ana.Playbooks[0].Ready || ana.Playbooks[1].Ready {
		t.Errorf("playbooks = %+v", ana.Playbooks)
	}
}

func TestReadinessOfGoals(t *testing.T) {
	agg := NewAggregator(2, 3)
	agg.Add(att("ana", "a", 1, 60, true))
	agg.Add(att("ana", "a", 2, 65, true))
	agg.Add(att("ana", "c", 1, 70, true))
	agg.Add(att("ana", "c", 2, 72, true))
	agg.SetReadiness(ReadinessOptions{PassMark: 90, Goals: []Goal{
		{Trainee: "ana", Scenario: "a", Tier: "L1", PassMark: 60, K: 2}, // its own pass mark
		{Trainee: "ana", Scenario: "b", Playbook: "pb-b", Tier: "L1"},   // never tried
		{Trainee: "bo", Scenario: "b", Playbook: "pb-b", Tier: "L1"},
	}})
	r := agg.Report().Readiness
	if r.PassMark != 90 || r.K != 2 {
		t.Fatalf("defaults %d, %d", r.PassMark, r.K)
	}
	got := map[string][]string{}
	for _, tr := range r.Trainees {
		for _, s := range tr.Scenarios {
			got[tr.Trainee] = append(got[tr.Trainee], fmt.Sprintf("%s ready=%v assigned=%v mark=%d attempts=%d", s.Scenario, s.Ready, s.Assigned, s.PassMark, s.Attempts))
		}
	}
	want := map[string][]string{
		// c is not one of ana's goals: left out.
		"ana": {"a ready=true assigned=true mark=60 attempts=2", "b ready=false assigned=true mark=90 attempts=0"},
		"bo":  {"b ready=false assigned=true mark=90 attempts=0"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if n := r.Trainees[0].Next; n == nil || n.Scenario != "b" || n.Why != "not tried yet" {
		t.Errorf("next = %+v", n)
	}
	// The readiness is part of the report's JSON.
	b, _ := json.Marshal(agg.Report())
	var back struct{ Readiness Readiness }
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back.Readiness, r) {
		t.Errorf("JSON round trip: %v", err)
	}
}

func TestDistributionPerTier(t *testing.T) {
	agg := NewAggregator(3, 3)
	for i, total := range []int{50, 80, 80, 100} {
		e := att("ana", "a", i, total, true)
		e.Card.ClockMin = 10 * (i + 1)
		e.Card.GoldenClockMin = 15
		agg.Add(e)
	}
	tp := agg.Report().Paths[0].Tiers[0]
	want := []ValueCount{{50, 1}, {80, 2}, {100, 1}}
	if !reflect.DeepEqual(tp.Scores, want) || tp.MedianScore != 80 || tp.MedianClockMin != 25 || tp.GoldenClockMin != 15 {
		t.Errorf("tier path: scores %v median %v clock %v golden %d", tp.Scores, tp.MedianScore, tp.MedianClockMin, tp.GoldenClockMin)
	}
}

func TestReadinessOrdersAttemptsOfOneInstantByTheirNumber(t *testing.T) {
	// Three passes, then a failure, all started in the same second (or at
	// an unknown time): the failure is the latest, as its number says.
	for _, started := range []string{"2026-01-01T00:00:00Z", "sometime"} {
		agg := NewAggregator(3, 3)
		for i, total := range []int{100, 100, 100, 0} {
			file := "team/zed/x.attempt"
			if i > 0 {
				file = fmt.Sprintf("team/zed/x-%d.attempt", i+1)
			}
			e := att("zed", "a", 0, total, true)
			e.StartedAt, e.File = started, file
			agg.Add(e)
		}
		// And in a store, by the attempt's number.
		for i, total := range []int{100, 100, 100, 0} {
			e := att("sam", "a", 0, total, true)
			e.StartedAt, e.File = started, fmt.Sprintf("sqlite:team.db#%d", 9-i*2+(i/3)*8)
			if i == 3 {
				e.File = "sqlite:team.db#20"
			}
			agg.Add(e)
		}
		for _, tr := range agg.Report().Readiness.Trainees {
			if s := tr.Scenarios[0]; s.Ready || s.LastScore != 0 {
				t.Errorf("started %s: %s is ready with last score %d; the failure came last", started, tr.Trainee, s.LastScore)
			}
		}
	}
}

func TestReadyForAPlaybookMeansEachOfItsScenarios(t *testing.T) {
	// a2 is pb-a's too (the team practises it: bo tried it); b is a
	// scenario of the library nobody practises, and counts for nobody.
	agg := NewAggregator(1, 3)
	agg.Add(att("ana", "a", 1, 90, true))
	a2 := att("bo", "a2", 1, 90, true)
	a2.Card.Playbook = "pb-a"
	agg.Add(a2)
	agg.SetReadiness(ReadinessOptions{K: 1, Playbooks: map[string]string{"a": "pb-a", "a2": "pb-a", "b": "pb-a"}})
	ana := agg.Report().Readiness.Trainees[0]
	if ana.Ready != 1 || ana.Of != 2 || len(ana.Playbooks) != 1 || ana.Playbooks[0].Ready || ana.Playbooks[0].Scenarios != 2 {
		t.Errorf("ana, who passed one of pb-a's two scenarios: %+v", ana)
	}
	if ana.Next == nil || ana.Next.Scenario != "a2" || ana.Next.Why != "not tried yet" {
		t.Errorf("next = %+v, want a2, not tried yet", ana.Next)
	}
}
