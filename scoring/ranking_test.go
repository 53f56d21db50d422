package scoring

import (
	"slices"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// outsideLibrary loads the cases in testdata/outside: written from outside
// the founding product, in the documented format.
func outsideLibrary(t *testing.T) *scenarios.Library {
	t.Helper()
	files, fs, err := playbooks.ListPaths([]string{"testdata/outside"}, playbooks.DefaultMaxFileSize)
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

func scoreIn(t *testing.T, sl *scenarios.Library, scenario, tier string, moves []string) *Scorecard {
	t.Helper()
	sc := sl.Find(scenario)
	if sc == nil {
		t.Fatalf("no scenario %s", scenario)
	}
	ss, err := simulator.New(sl.Playbook(sc), sc, playbooks.TierName(tier), simulator.ModeExam, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range moves {
		if _, err := ss.Play(m); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	return Score(FromSession(ss, "", SourceAttempt))
}

// A ranked handling: what a senior agent would say of it, as the findings
// it must be named by and the most it may score.
type ranked struct {
	name  string
	moves []string
	names []RuleID
	most  int
}

// checkRanking scores the handlings, which are listed best first as a
// trainer ranks them: each must score strictly less than the one before
// unless tie is set for it, stay at or under its most, and be named.
func checkRanking(t *testing.T, sl *scenarios.Library, scenario, tier string, hs []ranked, ties map[string]bool) {
	t.Helper()
	prev := 101
	for i, h := range hs {
		card := scoreIn(t, sl, scenario, tier, h.moves)
		if card.Total > h.most {
			t.Errorf("%s at %s, %s: scored %d, want at most %d; findings %v", scenario, tier, h.name, card.Total, h.most, card.Findings)
		}
		if card.Total > prev || (card.Total == prev && !ties[h.name]) {
			t.Errorf("%s at %s, %s: scored %d, not below %s (%d)", scenario, tier, h.name, card.Total, hs[i-1].name, prev)
		}
		for _, r := range h.names {
			if !slices.Contains(rules(card), r) {
				t.Errorf("%s at %s, %s: not named %s; findings %v", scenario, tier, h.name, r, card.Findings)
			}
		}
		prev = card.Total
		t.Logf("%s at %s, %s: %d %v", scenario, tier, h.name, card.Total, rules(card))
	}
}

// A "clarify the real goal" case from another product: guessed, literal,
// inactive and out-of-order handlings rank as a trainer ranks them.
func TestOutsideCasesRankAsATrainerWould(t *testing.T) {
	sl := outsideLibrary(t)
	golden := []string{"ask:goal", "lookup:throttled_requests", "reply:bulk-endpoint", "close"}
	hs := []ranked{
		{"the golden path", golden, nil, 100},
		{"the golden path with a vague request", append([]string{"trap:ask-for-logs"}, golden...), []RuleID{RuleVague}, 99},
		{"the right reply before asking the goal", []string{"reply:bulk-endpoint", "ask:goal", "lookup:throttled_requests", "close"},
			[]RuleID{RuleGuessedReply, RuleUnresolved}, 50},
		{"the literal answer as a trap", []string{"trap:say-no", "close"}, []RuleID{RuleLiteral, RuleUnresolved}, 10},
		{"the literal answer as a reply", []string{"reply:limit-policy", "close"}, []RuleID{RuleLiteral, RuleUnresolved}, 10},
		{"close at once", []string{"close"}, []RuleID{RuleUnresolved, RuleNoSummary}, 10},
		{"no move at all", nil, []RuleID{RuleNotClosed}, 10},
	}
	checkRanking(t, sl, "api-rate-limit-bulk", "L1", hs, map[string]bool{"the literal answer as a reply": true, "close at once": true, "no move at all": true})

	// A trap that is a message to the customer is a reply: the case was not
	// closed without one.
	card := scoreIn(t, sl, "api-rate-limit-bulk", "L1", []string{"trap:say-no", "close"})
	if slices.Contains(rules(card), RuleNoSummary) {
		t.Errorf("a reply trap counted as closing without a reply: %v", card.Findings)
	}
}

// The reproductions on the embedded library.
func TestGuessingAndInactionScoreLow(t *testing.T) {
	sl := library(t)
	l2 := []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding",
		"probe:certificate", "dns:cname_target", "action:enable_ssl_tracking", "action:send_test_email", "reply:ssl-enabled", "close"}
	hs := []ranked{
		{"the golden path", l2, nil, 100},
		{"the reply before the actions", append(slices.Clone(l2[:6]), "reply:ssl-enabled", "action:enable_ssl_tracking", "action:send_test_email", "close"),
			[]RuleID{RulePrematureReply, RuleMissingReply}, 90},
		{"everything verified, then the wrong reply", append(slices.Clone(l2[:6]), "reply:tracking-off", "close"), []RuleID{RuleWrongReply, RuleUnresolved}, 50},
		{"a wrong reply, nothing verified", []string{"reply:tracking-off", "close"}, []RuleID{RuleWrongReply, RuleUnresolved}, 10},
		{"the fix guessed and announced first", []string{"reply:ssl-enabled", "action:enable_ssl_tracking", "action:send_test_email", "close"},
			[]RuleID{RuleGuessedReply, RulePrematureReply, RuleUnverifiedAction}, 10},
		{"close at once", []string{"close"}, []RuleID{RuleUnresolved}, 10},
		{"no move at all", nil, []RuleID{RuleNotClosed}, 10},
	}
	checkRanking(t, sl, "https-proxy-cname", "L2", hs, map[string]bool{"a wrong reply, nothing verified": true,
		"the fix guessed and announced first": true, "close at once": true, "no move at all": true})

	// The right reply without asking the questions that decide it.
	guess := scoreIn(t, sl, "in-app-message-audience", "L1", []string{"lookup:message_setup", "lookup:trigger_event", "lookup:user_in_audience", "reply:audience", "close"})
	if guess.Total > 50 || !slices.Contains(rules(guess), RuleGuessedReply) {
		t.Errorf("the right reply without asking for the message and the user scored %d: %v", guess.Total, guess.Findings)
	}
	// An unresolved handling never scores above 50, however far it got.
	almost := scoreIn(t, sl, "https-proxy-cname", "L2", append(slices.Clone(l2[:7]), "reply:ssl-enabled", "close"))
	if almost.Resolved || almost.Total > 50 {
		t.Errorf("closed before the test email, the case scored %d (resolved %v)", almost.Total, almost.Resolved)
	}
}

// Another product with three tiers: L1 cannot look the plan up (it asks),
// and only engineering reads crash logs, so L1 hands off.
func TestOutsideTiersGateWhatTheyCanSee(t *testing.T) {
	sl := outsideLibrary(t)
	golden := []string{"ask:plan", "escalate:ENG"}
	hs := []ranked{
		{"the golden path", golden, nil, 100},
		{"a look-up L1 cannot make first", []string{"lookup:plan", "ask:plan", "escalate:ENG"}, []RuleID{RuleLookupRefused}, 99},
		{"irrelevant troubleshooting first", []string{"trap:reinstall", "ask:plan", "escalate:ENG"}, []RuleID{RuleIrrelevant}, 96},
		{"a handoff before asking", []string{"escalate:ENG"}, []RuleID{RuleUnverified}, 10},
		{"the right reply guessed by L1", []string{"reply:oom", "close"}, []RuleID{RuleGuessedReply, RuleMissedEscalation, RuleUnresolved}, 10},
		{"close at once", []string{"close"}, []RuleID{RuleUnresolved}, 10},
	}
	checkRanking(t, sl, "app-crash-oom", "L1", hs, map[string]bool{"the right reply guessed by L1": true, "close at once": true})
	// L2 looks the plan up itself.
	card := scoreIn(t, sl, "app-crash-oom", "L2", []string{"lookup:plan", "escalate:ENG"})
	if card.Total != 100 {
		t.Errorf("L2's golden path scored %d: %v", card.Total, card.Findings)
	}
}

// Cases an outside tester wrote from the docs alone (billing: a request to
// cancel that is really a request for a refund; SSO: a password-reset
// request that is really the identity provider's clock), ranked as the
// tester ranked them before scoring where the scoring principles agree:
// a guess is not redeemed by repeating it, and a refund made twice is
// worse than once.
func TestOutsideTesterCasesRankAsATrainerWould(t *testing.T) {
	sl := outsideLibrary(t)
	golden := []string{"ask:customer_goal", "lookup:duplicate_charge", "lookup:payment_method", "action:issue_refund", "reply:refunded", "close"}
	verify := golden[:3]
	hs := []ranked{
		{"the golden path", golden, nil, 100},
		{"a knowable fact asked", []string{"ask:customer_goal", "ask:payment_method", "lookup:duplicate_charge", "lookup:payment_method", "action:issue_refund", "reply:refunded", "close"}, []RuleID{RuleKnowable}, 99},
		{"the reply for the wrong reader", append(slices.Clone(golden[:4]), "reply:refunded@owner", "close"), []RuleID{RuleWrongAudience}, 96},
		{"the literal answer first", append([]string{"trap:send-cancel-link"}, golden...), []RuleID{RuleLiteral}, 95},
		{"no reply", append(slices.Clone(golden[:4]), "close"), []RuleID{RuleNoSummary}, 85},
		{"the reply before the refund", append(slices.Clone(verify), "reply:refunded", "action:issue_refund", "close"), []RuleID{RulePrematureReply, RuleMissingReply}, 80},
		{"the refund guessed, then verified", append(append([]string{"action:issue_refund"}, verify...), "reply:refunded", "close"), []RuleID{RuleUnverifiedAction, RuleUnresolved}, 50},
		{"the refund guessed, then made again", append(append([]string{"action:issue_refund"}, verify...), "action:issue_refund", "reply:refunded", "close"), []RuleID{RuleUnverifiedAction, RuleRepeated, RuleUnresolved}, 50},
		{"the literal answer alone", []string{"reply:cancel-steps", "close"}, []RuleID{RuleLiteral, RuleUnresolved}, 10},
		{"close at once", []string{"close"}, []RuleID{RuleUnresolved}, 10},
	}
	checkRanking(t, sl, "billing-cancel-means-refund", "BILLING", hs, map[string]bool{"close at once": true})
}
