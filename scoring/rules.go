// Package scoring grades a training attempt, or a recorded real handling,
// against the golden path: a scorecard out of 100 in five parts, with
// findings that each name a rule, the move and one plain sentence. It also
// aggregates many scorecards into a team report.
package scoring

import (
	"fmt"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// Parts of the scorecard and their weights (they sum to 100).
const (
	PartResolution    = "resolution"
	PartEfficiency    = "efficiency"
	PartEffort        = "customer-effort"
	PartEscalation    = "escalation"
	PartCommunication = "communication"
)

// A Part is one part of the rubric with its weight.
type Part struct {
	ID          string `json:"id"`
	Max         int    `json:"max"`
	Description string `json:"description"`
}

// Parts lists the rubric in scorecard order.
var Parts = []Part{
	{PartResolution, 25, "the case reached the right outcome for the truth, with no action the truth does not call for"},
	{PartEfficiency, 20, "simulated time (15) and moves (5) against the golden path"},
	{PartEffort, 25, "the customer was not asked what they said, what the ticket shows or what the agent can see, nor sent to removed UI or irrelevant troubleshooting"},
	{PartEscalation, 15, "a handoff at the first step the tier cannot do, carrying the verified facts, after which nobody asks again"},
	{PartCommunication, 15, "the reply for the case and the audience, canonical docs only, and a closing reply before the case is closed"},
}

// A Rule is one scoring rule: its id, the part it deducts from, how many
// points each finding costs (0: computed, see the description) and what it
// A RuleID names a scoring rule ("restated-fact", "late-escalation").
type RuleID string

// means.
type Rule struct {
	ID          RuleID `json:"id"`
	Part        string `json:"part"`
	Points      int    `json:"points"`
	Description string `json:"description"`
	// Event is the simulator event that raises the rule on the turn that
	// carries it; On, when set, limits it to moves of that kind. A rule
	// without an event is worked out by the scorer from the whole
	// handling (resolution, escalation, efficiency, communication) or
	// named by a trap.
	Event simulator.Event    `json:"-"`
	On    scenarios.MoveKind `json:"-"`
	// say words the finding for the turn that raised it.
	say func(c cause) string
}

// Rule ids. Several are also the names scenarios give their traps'
// findings, so a trap earns exactly the finding the real handling earned.
const (
	RuleNotClosed         = "not-closed"
	RuleUnresolved        = "unresolved"
	RuleWrongAction       = "wrong-action"
	RulePrematureAction   = "premature-action"
	RuleSlow              = "slow-handling"
	RuleUnearned          = "efficiency-unearned"
	RuleExtraMoves        = "extra-moves"
	RuleRestated          = "restated-fact"
	RuleDerivable         = "derivable-asked"
	RuleKnowable          = "knowable-asked"
	RuleContextIgnored    = "context-ignored"
	RuleIrrelevant        = "irrelevant-troubleshooting"
	RuleRemoved           = "removed-reference"
	RuleFalseAlarm        = "known-trap-false-alarm"
	RuleChannelSwitch     = "channel-switch"
	RuleVague             = "vague-request"
	RuleLiteral           = "literal-answer"
	RuleRepeated          = "repeated-move"
	RuleOtherTrap         = "trap"
	RuleMissedEscalation  = "missed-escalation"
	RuleLateEscalation    = "late-escalation"
	RuleUnverified        = "unverified-handoff"
	RuleIncomplete        = "handoff-incomplete"
	RuleReasked           = "reasked-after-handoff"
	RuleActionRefused     = "action-refused"
	RuleUnneeded          = "unneeded-escalation"
	RuleEscalationRefused = "escalation-refused"
	RuleMissingReply      = "missing-reply"
	RuleWrongReply        = "wrong-reply"
	RuleNoSummary         = "no-closing-summary"
	RuleScatteredDocs     = "scattered-docs"
	RuleIrrelevantDoc     = "irrelevant-doc"
	// Rules v2.
	RuleUnverifiedAction      = "unverified-action"
	RuleGuessedReply          = "guessed-reply"
	RulePrematureReply        = "premature-reply"
	RuleWrongAudience         = "wrong-audience"
	RuleLookupRefused         = "lookup-refused"
	RuleResolutionUnearned    = "resolution-unearned"
	RuleEffortUnearned        = "effort-unearned"
	RuleEscalationUnearned    = "escalation-unearned"
	RuleCommunicationUnearned = "communication-unearned"
)

// Rules lists every scoring rule (casebook replay --rules).
var Rules = []Rule{
	{RuleNotClosed, PartResolution, 25, "the case was left open", "", "", nil},
	{RuleUnresolved, PartResolution, 25, "the case was closed before the golden path's actions (or, where the customer must act, its reply) were made", "", "", nil},
	{RuleWrongAction, PartResolution, 10, "an action the truth does not call for was made", simulator.EventNotCalledFor, "", sayWrongAction},
	{RulePrematureAction, PartResolution, 10, "an action was pushed through before the case was ready for it (before the golden actions it follows)", simulator.EventPremature, scenarios.MoveAction, sayPremature},
	{RuleUnverifiedAction, PartResolution, 10, "an action was made before the facts that lead to it on the golden path were verified, even if it was the right one (rules v2)", simulator.EventUnverified, scenarios.MoveAction, sayUnverified},
	{RuleResolutionUnearned, PartResolution, 0, "where the tier's part ends in a handoff, resolution is earned by that part: its share of the golden moves not made on the path (rules v2)", "", "", nil},
	{RuleUnearned, PartEfficiency, 20, "the case was not resolved, so its time and moves earn nothing; under rules v2 a resolved case earns efficiency by its share of the golden moves made on the path", "", "", nil},
	{RuleSlow, PartEfficiency, 0, "simulated time over 1.25× the golden path's; the 15 time points fall to 0 at 4×", "", "", nil},
	{RuleExtraMoves, PartEfficiency, 0, "more than 2 moves beyond the golden path's; 1 of the 5 move points per further move", "", "", nil},
	{RuleEffortUnearned, PartEffort, 0, "customer effort is earned by progress: the share of the tier's golden moves not made on the path (at most 90% is earned while the case is unresolved) (rules v2)", "", "", nil},
	{RuleRestated, PartEffort, 5, "the customer was asked for a fact the opening already gave", simulator.EventRestated, "", sayRestated},
	{RuleDerivable, PartEffort, 5, "the customer was asked for a fact the ticket's metadata shows", simulator.EventDerivable, "", sayDerivable},
	{RuleKnowable, PartEffort, 3, "the customer was asked what admin tools, a probe or DNS can show", simulator.EventKnowable, "", sayKnowable},
	{RuleContextIgnored, PartEffort, 5, "steps the customer had already done were sent again", "", "", nil},
	{RuleIrrelevant, PartEffort, 5, "troubleshooting that cannot change the outcome of this case", "", "", nil},
	{RuleRemoved, PartEffort, 5, "the customer was sent to UI, settings or docs the product no longer has", simulator.EventRemoved, "", sayRemoved},
	{RuleFalseAlarm, PartEffort, 5, "a known, expected state was reported as a problem", "", "", nil},
	{RuleChannelSwitch, PartEffort, 3, "the case was moved to a slower channel", "", "", nil},
	{RuleVague, PartEffort, 3, "a description was asked for instead of the exact facts (versions, ids, logs)", "", "", nil},
	{RuleLiteral, PartEffort, 5, "the literal question was answered without asking what the customer wants to achieve", "", "", nil},
	{RuleRepeated, PartEffort, 2, "the same move was made again", simulator.EventRepeat, "", sayRepeated},
	{RuleOtherTrap, PartEffort, 3, "a wrong move seen in real handling (a trap whose finding has no rule of its own)", "", "", nil},
	{RuleEscalationUnearned, PartEscalation, 0, "escalation is earned by progress: the share of the tier's golden moves not made on the path (rules v2)", "", "", nil},
	{RuleMissedEscalation, PartEscalation, 15, "the case needed a higher tier and was never handed off", "", "", nil},
	{RuleLateEscalation, PartEscalation, 8, "the handoff came after moves the tier could not make a difference with", "", "", nil},
	{RuleUnverified, PartEscalation, 4, "the handoff came before the facts the golden path verifies first were verified", simulator.EventUnverified, scenarios.MoveEscalate, sayUnverified},
	{RuleIncomplete, PartEscalation, 4, "the handoff note left verified facts out", simulator.EventIncomplete, "", sayIncomplete},
	{RuleReasked, PartEscalation, 3, "after the handoff the customer was asked again for what was known", simulator.EventReasked, "", sayReasked},
	{RuleActionRefused, PartEscalation, 4, "an action the tier does not hold was tried instead of handing off", simulator.EventRefused, scenarios.MoveAction, sayActionRefused},
	{RuleLookupRefused, PartEscalation, 2, "a look-up, probe or DNS query the tier cannot make was tried instead of asking or handing off (rules v2)", simulator.EventRefused, onVerify, sayLookupRefused},
	{RuleUnneeded, PartEscalation, 8, "the case was handed off although the tier could finish it", "", "", nil},
	{RuleEscalationRefused, PartEscalation, 2, "an escalation to a tier not above the agent's", simulator.EventRefused, scenarios.MoveEscalate, sayEscalationRefused},
	{RuleCommunicationUnearned, PartCommunication, 0, "communication is earned by progress: the share of the tier's golden moves not made on the path (rules v2)", "", "", nil},
	{RuleGuessedReply, PartCommunication, 6, "the reply was sent before the facts that decide it were verified, even if it was the right one (rules v2)", simulator.EventUnverified, scenarios.MoveReply, sayUnverified},
	{RulePrematureReply, PartCommunication, 5, "the reply announced the result of an action before the action was made (rules v2)", simulator.EventPremature, scenarios.MoveReply, sayPremature},
	{RuleWrongAudience, PartCommunication, 5, "the reply the case calls for, written for another reader than the customer (reply:T@AUDIENCE)", simulator.EventWrongAudience, "", sayWrongAudience},
	{RuleMissingReply, PartCommunication, 6, "the reply the golden path sends was never sent", "", "", nil},
	{RuleWrongReply, PartCommunication, 4, "a reply that does not fit the case was sent", simulator.EventWrongReply, "", sayWrongReply},
	{RuleNoSummary, PartCommunication, 5, "the case was closed without any reply to the customer", simulator.EventNoSummary, "", sayNoSummary},
	{RuleScatteredDocs, PartCommunication, 2, "non-canonical material (a blog post, several guides on one topic) was sent", "", "", nil},
	{RuleIrrelevantDoc, PartCommunication, 2, "a doc page the case does not call for was sent", simulator.EventIrrelevant, "", sayIrrelevantDoc},
}

// onVerify, as a rule's On, limits it to the moves that verify a fact
// (look-ups, probes, DNS queries).
const onVerify scenarios.MoveKind = "(verify)"

// eventRules lists, for each simulator event, the rules it raises.
var eventRules = func() map[simulator.Event][]*Rule {
	out := map[simulator.Event][]*Rule{}
	for i := range Rules {
		if r := &Rules[i]; r.Event != "" {
			out[r.Event] = append(out[r.Event], r)
		}
	}
	return out
}()

// ProgressRules are the rules v2 deducts by for progress not made: one
// per part, all for the same golden moves skipped.
var ProgressRules = []RuleID{RuleResolutionUnearned, RuleUnearned, RuleEffortUnearned, RuleEscalationUnearned, RuleCommunicationUnearned}

// RuleByID returns the rule with the id, or nil.
func RuleByID(id string) *Rule { return rulesByID[RuleID(id)] }

var rulesByID = func() map[RuleID]*Rule {
	out := make(map[RuleID]*Rule, len(Rules))
	for i := range Rules {
		out[Rules[i].ID] = &Rules[i]
	}
	return out
}()

func partMax(id string) int {
	for _, p := range Parts {
		if p.ID == id {
			return p.Max
		}
	}
	return 0
}

// CheckTrapFindings warns of every trap that earns a finding no scoring
// rule has: it still counts (as the generic rule "trap"), but is most often
// misspelt. It is a check of the library that lives here because it needs
// the rule table.
func CheckTrapFindings(sl *scenarios.Library) []playbooks.Finding {
	var ids []string
	for _, r := range Rules {
		ids = append(ids, string(r.ID))
	}
	var out []playbooks.Finding
	check := func(s *scenarios.Scenario, what string, fs []playbooks.Text, rule playbooks.RuleID) {
		for _, f := range fs {
			if RuleByID(f.Value) != nil {
				continue
			}
			out = append(out, playbooks.Finding{File: s.File, Line: f.Pos.Line, Col: f.Pos.Col, Rule: rule,
				Severity: playbooks.SeverityWarning,
				Message:  fmt.Sprintf("%s earns %q, which is no scoring rule (casebook replay --rules), so it scores as \"trap\"%s", what, f.Value, playbooks.DidYouMean(f.Value, ids))})
		}
	}
	for _, s := range sl.Scenarios {
		for _, t := range s.Traps {
			check(s, fmt.Sprintf("trap %q", t.ID), t.Findings, scenarios.RuleTrap)
		}
		for _, r := range s.Replies {
			check(s, fmt.Sprintf("reply %q", r.Template), r.Findings, scenarios.RuleCaseReply)
		}
	}
	return out
}
