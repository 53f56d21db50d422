package scoring

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

func library(t testing.TB) *scenarios.Library {
	t.Helper()
	files, fs, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		t.Fatal(err, fs)
	}
	lib := playbooks.Load(files)
	sl := scenarios.Load(lib)
	if len(lib.Findings)+len(sl.Findings) > 0 {
		t.Fatal(lib.Findings, sl.Findings)
	}
	return sl
}

// play scores a session of the scenario at the tier after the moves.
func play(t *testing.T, scenario, tier string, moves ...string) *Scorecard {
	t.Helper()
	return playEdited(t, nil, scenario, tier, moves...)
}

func rules(c *Scorecard) []RuleID {
	var out []RuleID
	for _, f := range c.Findings {
		if !slices.Contains(out, f.Rule) {
			out = append(out, f.Rule)
		}
	}
	slices.Sort(out)
	return out
}

func partScores(c *Scorecard) map[string]int {
	out := map[string]int{}
	for _, p := range c.Parts {
		out[p.Part] = p.Score
	}
	return out
}

var goldenL1 = []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding",
	"probe:certificate", "dns:cname_target", "escalate:L2"}

func TestTheGoldenPathScores100(t *testing.T) {
	sl := library(t)
	for _, sc := range sl.Scenarios {
		p := sl.Playbook(sc)
		for _, tier := range p.Tiers {
			ss, err := simulator.New(p, sc, tier.Name, simulator.ModeExam, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ss.Golden().Moves {
				if ss.Over() {
					break
				}
				if m.Tier != tier.Name {
					continue
				}
				if _, err := ss.Play(m.Move); err != nil {
					t.Fatal(err)
				}
			}
			card := Score(FromSession(ss, "", SourceAttempt))
			if card.Total != 100 || len(card.Findings) > 0 {
				t.Errorf("%s at %s: golden path scored %d with %v", sc.ID, tier.Name, card.Total, card.Findings)
			}
		}
	}
}

func TestTheRecordedHandlingScoresLowAndNamesEveryFailure(t *testing.T) {
	sl := library(t)
	sc := sl.Find("https-proxy-cname")
	ss, err := simulator.ReplayRecording(sl.Playbook(sc), sc)
	if err != nil {
		t.Fatal(err)
	}
	card := Score(FromSession(ss, "", SourceRecording))
	if card.Total > 35 {
		t.Errorf("the recording scored %d, want at most 35", card.Total)
	}
	// What went wrong in the case file, as rules.
	// (Under rules v2, closing without any reply takes the place of the
	// missing reply.)
	for _, r := range []RuleID{RuleContextIgnored, RuleRestated, RuleRemoved, RuleDerivable, RuleIrrelevant,
		RuleFalseAlarm, RuleLateEscalation, RuleScatteredDocs, RuleNoSummary, RuleUnverified, RuleChannelSwitch} {
		if !slices.Contains(rules(card), r) {
			t.Errorf("the recording's scorecard does not name %s; it names %v", r, rules(card))
		}
	}
	for _, f := range card.Findings {
		t.Log(f)
	}
	t.Logf("total %d parts %v clock %d golden %d", card.Total, card.Parts, card.ClockMin, card.GoldenClockMin)
}

func TestALateEscalationLosesEscalationPointsOnly(t *testing.T) {
	late := append(slices.Clone(goldenL1[:6]), "action:enable_ssl_tracking", "escalate:L2")
	card := playUnder(t, simulator.RulesV1, nil, "https-proxy-cname", "L1", late...)
	for part, score := range partScores(card) {
		max := partMax(part)
		if part == PartEscalation && score >= max {
			t.Errorf("a late escalation kept all %d escalation points", max)
		}
		if part != PartEscalation && score != max {
			t.Errorf("a late escalation lost %s points: %d of %d (%v)", part, score, max, card.Findings)
		}
	}
	if !slices.Contains(rules(card), RuleLateEscalation) {
		t.Errorf("no late-escalation finding: %v", card.Findings)
	}
	// Under v2 the refused try is named on its own and is not a stall.
	v2 := play(t, "https-proxy-cname", "L1", late...)
	if got := rules(v2); !slices.Equal(got, []RuleID{RuleActionRefused}) || v2.Total != 96 {
		t.Errorf("under v2 a refused try before the handoff scored %d with %v, want 96 with action-refused alone", v2.Total, v2.Findings)
	}
}

func TestSameMovesGiveTheSameScorecard(t *testing.T) {
	moves := []string{"trap:resend-tracking-guide", "ask:browser", "lookup:ssl_tracking", "escalate:L2:ssl_tracking"}
	a, _ := json.Marshal(play(t, "https-proxy-cname", "L1", moves...))
	b, _ := json.Marshal(play(t, "https-proxy-cname", "L1", moves...))
	if string(a) != string(b) {
		t.Errorf("two scorecards of the same moves differ:\n%s\n%s", a, b)
	}
}

// A terse scorecard (report's) is the full one without messages.
func TestTerseScoresTheSameWithoutMessages(t *testing.T) {
	sl := library(t)
	sc := sl.Find("https-proxy-cname")
	ss, err := simulator.ReplayRecording(sl.Playbook(sc), sc)
	if err != nil {
		t.Fatal(err)
	}
	in := FromSession(ss, "", SourceRecording)
	full := Score(in)
	in.Terse = true
	terse := Score(in)
	if len(full.Findings) == 0 || len(terse.Findings) != len(full.Findings) || terse.Total != full.Total {
		t.Fatalf("terse: %d findings, total %d; full: %d findings, total %d", len(terse.Findings), terse.Total, len(full.Findings), full.Total)
	}
	for i, f := range terse.Findings {
		want := full.Findings[i]
		if want.Message == "" || f.Message != "" {
			t.Errorf("finding %d: terse message %q, full message %q", i, f.Message, want.Message)
		}
		want.Message = ""
		if f != want {
			t.Errorf("finding %d: terse %+v, want %+v", i, f, want)
		}
	}
}

// The part a tier that took over plays is not the trainee's, but it is
// checked: a reply of the simulated L2 that sends the customer to a
// removed doc counts (rules v2).
func TestRemovedReferencesInAutoPlayedTurnsCount(t *testing.T) {
	stale := func(s *scenarios.Scenario) {
		s.Removed = append(s.Removed, playbooks.Text{Value: "doc:docs/link-branding/ssl"})
	}
	card := playEdited(t, stale, "https-proxy-cname", "L1", goldenL1...)
	var auto *Finding
	for i, f := range card.Findings {
		if f.Rule == RuleRemoved {
			auto = &card.Findings[i]
		}
	}
	if auto == nil || auto.MoveID != "reply:ssl-enabled" || card.Path[auto.Move-1].Auto != true {
		t.Fatalf("the auto-played stale reply is not named: %v", card.Findings)
	}
	if card.Progress.Earned != card.Progress.Of {
		t.Errorf("the trainee made every golden move of their part, progress %+v", card.Progress)
	}
	v1 := playUnder(t, simulator.RulesV1, stale, "https-proxy-cname", "L1", goldenL1...)
	if slices.Contains(rules(v1), RuleRemoved) {
		t.Errorf("under v1 auto-played turns were never checked, and stay so: %v", v1.Findings)
	}
}
