package simulator

import (
	"strings"
	"time"

	"github.com/casebook/casebook/scenarios"
)

// Costs are the simulated time each kind of move takes on a channel. A
// customer turn is a move that waits for the customer's answer (a question,
// a reply, a doc, a trap without its own cost): minutes in chat, hours by
// email. Work the agent does alone costs the same on every channel.
type Costs struct {
	CustomerTurn time.Duration // ask, reply, doc
	Lookup       time.Duration // lookup, dns; the receiving tier's every look-up
	Probe        time.Duration
	Action       time.Duration
	Handoff      time.Duration // the receiving tier picks the case up
	Close        time.Duration
	Refused      time.Duration // a refused action or escalation
}

// Of is the cost of a class of moves (scenarios.KindInfo.Cost). A trap
// has its own cost (Session.Cost); Of gives 0 for it.
func (c Costs) Of(class scenarios.CostClass) time.Duration {
	switch class {
	case scenarios.CostCustomerTurn:
		return c.CustomerTurn
	case scenarios.CostLookup:
		return c.Lookup
	case scenarios.CostProbe:
		return c.Probe
	case scenarios.CostAction:
		return c.Action
	case scenarios.CostHandoff:
		return c.Handoff
	case scenarios.CostClose:
		return c.Close
	}
	return 0
}

// ChannelCosts are the costs per channel. They are part of the rules a
// scorer relies on: changing them changes every simulated time.
var ChannelCosts = map[string]Costs{
	scenarios.ChannelChat: {
		CustomerTurn: 4 * time.Minute, Lookup: 2 * time.Minute, Probe: 3 * time.Minute,
		Action: 5 * time.Minute, Handoff: 30 * time.Minute, Close: time.Minute, Refused: time.Minute,
	},
	scenarios.ChannelEmail: {
		CustomerTurn: 4 * time.Hour, Lookup: 2 * time.Minute, Probe: 3 * time.Minute,
		Action: 5 * time.Minute, Handoff: 4 * time.Hour, Close: time.Minute, Refused: time.Minute,
	},
}

// An Event is a fact about a move that a scorer grades, carried by its turn.
type Event string

// Events a turn can carry.
const (
	EventRestated     Event = "restated-fact"         // asked for a fact the opening already gave
	EventDerivable    Event = "derivable-asked"       // asked the customer for a ticket fact, or one a product rule fixes
	EventKnowable     Event = "knowable-asked"        // asked the customer what admin, a probe or DNS shows
	EventRemoved      Event = "removed-reference"     // used a doc, UI or setting the product no longer has
	EventRefused      Event = "refused"               // an action the tier lacks, or an escalation sideways or down
	EventOffPath      Event = "off-path"              // not a move of the golden path at this point
	EventWrongReply   Event = "wrong-reply"           // a reply template that does not fit the truth
	EventIrrelevant   Event = "irrelevant-doc"        // a doc page the case does not call for
	EventIncomplete   Event = "handoff-incomplete"    // the handoff note left out verified facts
	EventReasked      Event = "reasked-after-handoff" // the higher tier asked the customer again
	EventRepeat       Event = "repeated-move"         // the same move again
	EventUnresolved   Event = "closed-unresolved"     // closed before the case was resolved
	EventNoSummary    Event = "closed-without-reply"  // closed without any reply to the customer
	EventTrap         Event = "trap"                  // one of the scenario's traps
	EventNotCalledFor Event = "action-not-called-for" // an action the truth does not call for
	// RulesV2:
	EventUnverified    Event = "unverified"     // made before the facts that lead to it were verified
	EventPremature     Event = "premature"      // a reply or action made before the golden actions it follows
	EventWrongAudience Event = "wrong-audience" // the reply the case calls for, written for another reader
	EventCaseReply     Event = "case-reply"     // a reply the scenario names as wrong for this case
)

// OutcomeUnresolved is the outcome of a case closed before it was resolved.
const OutcomeUnresolved = "unresolved"

// voice words the customer's answers in the persona's tone.
type voice struct {
	answer, restated, derivable, knowable, reasked string // %s is the value
	ruled                                          string // a fact a product rule fixes
	goodReply, wrongReply, removed, readAlready    string
	wrongAudience                                  string
}

var voices = map[string]voice{
	"patient": {
		answer:        "%s",
		restated:      "As I wrote at the start: %s",
		derivable:     "It should be on my ticket already, but sure: %s",
		ruled:         "Isn't that simply how your product works? As far as I know: %s",
		knowable:      "I thought you could see that on your side, but: %s",
		reasked:       "I already told your colleague: %s",
		goodReply:     "Thank you, that is clear.",
		wrongReply:    "Thanks, but I don't think that applies to my case.",
		removed:       "I can't find that anywhere in the product.",
		readAlready:   "I have read that page already; it doesn't answer my question.",
		wrongAudience: "Thank you, but this seems written for someone else; I'm not sure what I should do with it.",
	},
	"terse": {
		answer:        "%s",
		restated:      "Already said: %s",
		derivable:     "It's in the ticket. %s",
		ruled:         "That's your product's rule. %s",
		knowable:      "Check your admin. %s",
		reasked:       "Told your colleague already. %s",
		goodReply:     "OK, thanks.",
		wrongReply:    "Not my problem.",
		removed:       "That doesn't exist.",
		readAlready:   "Read it. Doesn't help.",
		wrongAudience: "Not written for me. What do I do?",
	},
	"annoyed": {
		answer:        "%s",
		restated:      "I said so in my first message! %s",
		derivable:     "You have that in the ticket, why ask? %s",
		ruled:         "That's how your own product works, why ask me? %s",
		knowable:      "Can't you check this yourselves? %s",
		reasked:       "This is the third time: %s",
		goodReply:     "Finally. Thanks.",
		wrongReply:    "That has nothing to do with what I asked.",
		removed:       "That setting is not there. Are your docs out of date?",
		readAlready:   "I read that days ago. It doesn't answer what I asked.",
		wrongAudience: "Who is this written for? Not for me, clearly.",
	},
}

func voiceOf(tone string) voice {
	if v, ok := voices[tone]; ok {
		return v
	}
	return voices["patient"]
}

// say fills a voice line with the value phrase.
func say(line, value string) string {
	return strings.Replace(line, "%s", value, 1)
}
