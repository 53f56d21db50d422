package scoring

import (
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// TestEachRule plays a short handling that breaks one rule and checks the
// scorecard names that rule.
func TestEachRule(t *testing.T) {
	g := goldenL1
	tests := []struct {
		rule     RuleID
		scenario string
		tier     string
		moves    []string
	}{
		{RuleNotClosed, "https-proxy-cname", "L1", g[:3]},
		{RuleUnresolved, "https-proxy-cname", "L1", []string{"lookup:ssl_tracking", "close"}},
		{RuleWrongAction, "https-certificate-not-yet-valid", "L2", []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding", "probe:certificate", "action:enable_ssl_tracking", "reply:certificate-not-yet-valid", "close"}},
		{RulePrematureAction, "https-certificate-not-yet-valid", "L1", []string{"trap:enable-anyway"}},
		{RuleUnearned, "https-proxy-cname", "L1", []string{"close"}},
		{RuleSlow, "https-proxy-cname", "L1", append([]string{"trap:convert-to-email"}, g...)},
		{RuleExtraMoves, "https-proxy-cname", "L1", append([]string{"lookup:ssl_tracking", "lookup:ssl_tracking", "lookup:ssl_tracking", "lookup:ssl_tracking"}, g...)},
		{RuleRestated, "https-proxy-cname", "L1", append([]string{"ask:click_tracking"}, g...)},
		{RuleDerivable, "https-proxy-cname", "L1", append([]string{"ask:browser"}, g...)},
		{RuleKnowable, "https-proxy-cname", "L1", append([]string{"ask:cname_target"}, g...)},
		{RuleContextIgnored, "https-proxy-cname", "L1", append([]string{"trap:resend-tracking-guide"}, g...)},
		{RuleIrrelevant, "https-proxy-cname", "L1", append([]string{"trap:browser-cache-incognito"}, g...)},
		{RuleRemoved, "https-proxy-cname", "L1", append([]string{"doc:docs/tracking/click-tracking"}, g...)},
		{RuleFalseAlarm, "https-proxy-cname", "L1", append([]string{"trap:cname-not-confirmed"}, g...)},
		{RuleChannelSwitch, "https-proxy-cname", "L1", append([]string{"trap:convert-to-email"}, g...)},
		{RuleVague, "in-app-message-audience", "L1", []string{"trap:ask-for-description"}},
		{RuleLiteral, "in-app-message-audience", "L1", []string{"trap:answer-session-limit"}},
		{RuleRepeated, "https-proxy-cname", "L1", append([]string{"lookup:ssl_tracking"}, g...)},
		{RuleOtherTrap, "https-proxy-cname", "L1", append([]string{"trap:send-blog-post"}, g...)},
		{RuleMissedEscalation, "https-proxy-cname", "L1", append(slices.Clone(g[:6]), "close")},
		{RuleLateEscalation, "https-proxy-cname", "L1", append(slices.Clone(g[:6]), "lookup:ssl_tracking", "escalate:L2")},
		{RuleUnverified, "https-proxy-cname", "L1", []string{"escalate:L2"}},
		{RuleIncomplete, "https-proxy-cname", "L1", append(slices.Clone(g[:6]), "escalate:L2:ssl_tracking")},
		{RuleReasked, "https-proxy-cname", "L1", append(slices.Clone(g[:6]), "escalate:L2:ssl_tracking")},
		{RuleActionRefused, "https-proxy-cname", "L1", append(slices.Clone(g[:6]), "action:enable_ssl_tracking", "escalate:L2")},
		{RuleUnneeded, "in-app-message-audience", "L1", []string{"escalate:L2"}},
		{RuleEscalationRefused, "https-proxy-cname", "L2", []string{"escalate:L1", "lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding", "probe:certificate", "dns:cname_target", "action:enable_ssl_tracking", "action:send_test_email", "reply:ssl-enabled", "close"}},
		{RuleMissingReply, "https-proxy-cname", "L2", []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding", "probe:certificate", "dns:cname_target", "action:enable_ssl_tracking", "action:send_test_email", "reply:tracking-off", "close"}},
		{RuleWrongReply, "https-proxy-cname", "L1", append([]string{"reply:tracking-off"}, g...)},
		{RuleNoSummary, "https-proxy-cname", "L1", []string{"close"}},
		{RuleScatteredDocs, "https-proxy-cname", "L1", append([]string{"trap:send-blog-post"}, g...)},
		{RuleIrrelevantDoc, "https-proxy-cname", "L1", append([]string{"doc:docs/tracking/click-tracking"}, g...)},
		// Rules v2.
		{RuleUnverifiedAction, "https-proxy-cname", "L2", []string{"action:enable_ssl_tracking"}},
		{RuleGuessedReply, "https-proxy-cname", "L2", []string{"reply:ssl-enabled"}},
		{RulePrematureReply, "https-proxy-cname", "L2", append(slices.Clone(g[:6]), "reply:ssl-enabled", "action:enable_ssl_tracking", "action:send_test_email", "close")},
		{RuleWrongAudience, "in-app-message-audience", "L1", []string{"ask:message_id", "ask:test_user", "lookup:message_setup", "lookup:user_in_audience", "reply:audience@marketer", "close"}},
		{RuleResolutionUnearned, "https-proxy-cname", "L1", []string{"escalate:L2"}},
		{RuleEffortUnearned, "https-proxy-cname", "L1", []string{"close"}},
		{RuleEscalationUnearned, "https-proxy-cname", "L1", []string{"close"}},
		{RuleCommunicationUnearned, "https-proxy-cname", "L1", []string{"close"}},
	}
	// Rules only v2 has, and those v2 names in another way.
	v2only := map[RuleID]bool{RuleUnverifiedAction: true, RuleGuessedReply: true, RulePrematureReply: true,
		RuleWrongAudience: true, RuleResolutionUnearned: true, RuleEffortUnearned: true, RuleEscalationUnearned: true,
		RuleCommunicationUnearned: true}
	// Changes to a scenario before the case plays: no embedded trap earns
	// a finding that names no rule, and no embedded scenario removes a doc
	// (a trap's removed-reference is its own finding too).
	edits := map[RuleID]func(*scenarios.Scenario){
		RuleRemoved: func(s *scenarios.Scenario) {
			s.Removed = append(s.Removed, playbooks.Text{Value: "doc:docs/tracking/click-tracking"})
		},
		RuleOtherTrap: func(s *scenarios.Scenario) {
			s.Trap("send-blog-post").Findings = []playbooks.Text{{Value: "blog-post-sent"}}
		},
	}
	covered := map[RuleID]bool{}
	for _, version := range []simulator.Rules{simulator.RulesV1, simulator.RulesV2} {
		for _, tt := range tests {
			if version == simulator.RulesV1 && v2only[tt.rule] {
				continue
			}
			t.Run(version.String()+"/"+string(tt.rule), func(t *testing.T) {
				covered[tt.rule] = true
				card := playUnder(t, version, edits[tt.rule], tt.scenario, tt.tier, tt.moves...)
				if !slices.Contains(rules(card), tt.rule) {
					t.Errorf("%s after %v: findings %v", tt.rule, tt.moves, card.Findings)
				}
				for _, f := range card.Findings {
					if f.Message == "" || strings.Contains(f.Message, "%!") {
						t.Errorf("finding %s has a broken message: %q", f.Rule, f.Message)
					}
				}
				if card.Total >= 100 {
					t.Errorf("a handling that breaks %s scored %d", tt.rule, card.Total)
				}
			})
		}
	}
	// Rules no embedded scenario can raise, with the test that covers them.
	elsewhere := map[RuleID]string{RuleLookupRefused: "TestOutsideTiersGateWhatTheyCanSee"}
	for _, r := range Rules {
		if !covered[r.ID] && elsewhere[r.ID] == "" {
			t.Errorf("rule %s has no case here", r.ID)
		}
	}
}

func TestPartsSumTo100(t *testing.T) {
	sum := 0
	for _, p := range Parts {
		sum += p.Max
	}
	if sum != 100 {
		t.Errorf("the parts sum to %d", sum)
	}
	for _, r := range Rules {
		if partMax(r.Part) == 0 {
			t.Errorf("rule %s names unknown part %q", r.ID, r.Part)
		}
	}
}

// A refused move earns the refusal rule of its kind and not the other's.
func TestARefusalIsGradedByTheKindOfMove(t *testing.T) {
	for _, c := range []struct {
		tier, move string
		want, not  RuleID
	}{
		{"L1", "action:enable_ssl_tracking", RuleActionRefused, RuleEscalationRefused},
		{"L2", "escalate:L1", RuleEscalationRefused, RuleActionRefused},
	} {
		got := rules(play(t, "https-proxy-cname", c.tier, c.move))
		if !slices.Contains(got, c.want) || slices.Contains(got, c.not) {
			t.Errorf("%s at %s: rules %v, want %s and not %s", c.move, c.tier, got, c.want, c.not)
		}
	}
}

// Every rule an event raises has words for its finding, and an event
// raises at most one rule on a move of a given kind.
func TestTheRuleTableMapsEachEventOnce(t *testing.T) {
	type key struct{ event, on string }
	seen := map[key]RuleID{}
	for _, r := range Rules {
		if (r.Event != "") != (r.say != nil) {
			t.Errorf("rule %s: event %q but say set: %v", r.ID, r.Event, r.say != nil)
		}
		if r.Event == "" {
			continue
		}
		k := key{string(r.Event), string(r.On)}
		if other, ok := seen[k]; ok {
			t.Errorf("event %s on %q raises both %s and %s", r.Event, r.On, other, r.ID)
		}
		seen[k] = r.ID
	}
}

// playEdited is play on a scenario changed by edit (when not nil) after
// it loaded.
func playEdited(t *testing.T, edit func(*scenarios.Scenario), scenario, tier string, moves ...string) *Scorecard {
	t.Helper()
	return playUnder(t, simulator.CurrentRules, edit, scenario, tier, moves...)
}

// playUnder plays the moves under the rules of a version and scores them.
func playUnder(t *testing.T, rules simulator.Rules, edit func(*scenarios.Scenario), scenario, tier string, moves ...string) *Scorecard {
	t.Helper()
	sl := library(t)
	sc := sl.Find(scenario)
	if edit != nil {
		edit(sc)
	}
	ss, err := simulator.NewUnder(sl.Playbook(sc), sc, playbooks.TierName(tier), simulator.ModeExam, 1, rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range moves {
		if _, err := ss.Play(m); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	return Score(FromSession(ss, "test", SourceAttempt))
}
