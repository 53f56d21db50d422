package scoring

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
)

var (
	lateL1   = []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding", "probe:certificate", "dns:cname_target", "action:enable_ssl_tracking", "escalate:L2"}
	silentL2 = []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding", "probe:certificate", "dns:cname_target", "action:enable_ssl_tracking", "action:send_test_email", "close"}
)

// attemptOf plays the moves live, as train does, and returns the attempt
// file's content and the live session's scorecard.
func attemptOf(t *testing.T, tier, version string, moves []string) (*simulator.Attempt, *Scorecard) {
	t.Helper()
	sl := library(t)
	sc := sl.Find("https-proxy-cname")
	p := sl.Playbook(sc)
	ss, err := simulator.New(p, sc, playbooks.TierName(tier), simulator.ModePractice, 7)
	if err != nil {
		t.Fatal(err)
	}
	a := &simulator.Attempt{Path: "a.attempt", Header: simulator.AttemptHeader{Casebook: simulator.AttemptKind, Scenario: sc.ID,
		Playbook: p.ID, PlaybookVersion: version, Tier: tier, Mode: simulator.ModePractice, Seed: 7, Trainee: "ana", Rules: ss.Rules()}}
	for i, m := range moves {
		if _, err := ss.Play(m); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		a.Moves = append(a.Moves, simulator.AttemptMove{N: i + 1, Move: m})
	}
	return a, Score(FromSession(ss, "ana", SourceAttempt))
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScoreAttemptGivesTheLiveSessionsScorecard(t *testing.T) {
	sl := library(t)
	sc := sl.Find("https-proxy-cname")
	p := sl.Playbook(sc)
	goldens := &Goldens{}
	for _, tc := range []struct {
		tier     string
		moves    []string
		complete bool
	}{{"L1", lateL1, true}, {"L2", silentL2, true}, {"L1", lateL1[:3], false}} {
		a, live := attemptOf(t, tc.tier, p.Version, tc.moves)
		// Alone, and with golden paths remembered from attempts at other
		// tiers: the same scorecard.
		for _, g := range []*Goldens{nil, goldens} {
			card, complete, err := ScoreAttempt(a, sc, p, AttemptOptions{Goldens: g})
			if err != nil {
				t.Fatal(err)
			}
			if complete != tc.complete {
				t.Errorf("%s %d moves: complete %v, want %v", tc.tier, len(tc.moves), complete, tc.complete)
			}
			if got, want := jsonOf(t, card), jsonOf(t, live); got != want {
				t.Errorf("%s %d moves:\n got %s\nwant %s", tc.tier, len(tc.moves), got, want)
			}
		}
	}
}

func TestScoreAttemptForAReport(t *testing.T) {
	sl := library(t)
	sc := sl.Find("https-proxy-cname")
	p := sl.Playbook(sc)
	a, live := attemptOf(t, "L1", p.Version, lateL1)
	card, complete, err := ScoreAttempt(a, sc, p, AttemptOptions{ForReport: true})
	if err != nil || !complete {
		t.Fatalf("complete %v, err %v", complete, err)
	}
	if card.Total != live.Total || !slices.Equal(rules(card), rules(live)) {
		t.Errorf("total %d, rules %v; want %d, %v", card.Total, rules(card), live.Total, rules(live))
	}
	for _, f := range card.Findings {
		if f.Message != "" {
			t.Errorf("finding %s has a message: %q", f.Rule, f.Message)
		}
	}
	var want []PathRow
	for _, r := range live.Path {
		if !r.Auto && !r.OnPath && r.Due != "" {
			want = append(want, PathRow{Due: r.Due})
		}
	}
	if len(want) == 0 {
		t.Fatal("the attempt leaves the golden path nowhere; the test needs one that does")
	}
	if jsonOf(t, card.Path) != jsonOf(t, want) {
		t.Errorf("path %s; want %s", jsonOf(t, card.Path), jsonOf(t, want))
	}
	// What a report counts besides: the skipped golden moves, the golden
	// path that names their steps, the tier handed to.
	if jsonOf(t, card.Golden) != jsonOf(t, live.Golden) || jsonOf(t, card.Progress) != jsonOf(t, live.Progress) || card.HandedTo != "L2" {
		t.Errorf("golden %v, progress %+v, handed to %q; want %v, %+v, L2", card.Golden, card.Progress, card.HandedTo, live.Golden, live.Progress)
	}
	// With Goldens, the golden moves are the remembered ones, not a copy.
	goldens := &Goldens{}
	c1, _, _ := ScoreAttempt(a, sc, p, AttemptOptions{ForReport: true, Goldens: goldens})
	c2, _, _ := ScoreAttempt(a, sc, p, AttemptOptions{ForReport: true, Goldens: goldens})
	if len(c1.Golden) == 0 || &c1.Golden[0] != &c2.Golden[0] {
		t.Error("two scorecards for a report hold copies of the same golden path")
	}

	// Under rules v1 too, the scorecard for a report names the tier
	// handed to (a v1 scorecard does not).
	a.Header.Rules = simulator.RulesV1
	v1, _, err := ScoreAttempt(a, sc, p, AttemptOptions{ForReport: true})
	if err != nil || v1.Rules != simulator.RulesV1 || v1.HandedTo != "L2" {
		t.Errorf("v1: rules %v, handed to %q, err %v; want v1, L2", v1.Rules, v1.HandedTo, err)
	}
	if full, _, _ := ScoreAttempt(a, sc, p, AttemptOptions{}); full.HandedTo != "" {
		t.Errorf("a v1 scorecard names the tier handed to: %q", full.HandedTo)
	}

	// An attempt never closed gets no scorecard.
	open, _ := attemptOf(t, "L1", p.Version, lateL1[:3])
	card, complete, err = ScoreAttempt(open, sc, p, AttemptOptions{ForReport: true})
	if card != nil || complete || err != nil {
		t.Errorf("open attempt: card %v, complete %v, err %v; want none, false, nil", card, complete, err)
	}
}

func TestScoreAttemptTakesAPatchOnlyDifference(t *testing.T) {
	sl := library(t)
	sc := sl.Find("https-proxy-cname")
	p := sl.Playbook(sc)
	v := p.SemVersion()
	patch := v.IncPatch()
	a, live := attemptOf(t, "L1", patch.String(), lateL1)
	card, _, err := ScoreAttempt(a, sc, p, AttemptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, card) != jsonOf(t, live) || a.Header.PlaybookVersion != patch.String() {
		t.Errorf("card version %s, header %s: want the live scorecard and the header untouched", card.PlaybookVersion, a.Header.PlaybookVersion)
	}
	minor := v.IncMinor()
	a, _ = attemptOf(t, "L1", minor.String(), lateL1)
	if _, _, err := ScoreAttempt(a, sc, p, AttemptOptions{}); err == nil || !strings.HasPrefix(err.Error(), "a.attempt:1:1: made on playbook") {
		t.Errorf("a minor difference: %v, want a.attempt:1:1: made on playbook ...", err)
	}
}
