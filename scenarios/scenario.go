// Package scenarios holds recorded cases made replayable: the scenario
// format, its strict loader, and its validation against the playbook it
// exercises.
package scenarios

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/casebook/casebook/playbooks"
)

// Kind is the value of the `casebook:` key of a scenario file.
const Kind = "scenario/v1"

// Channels and their names.
const (
	ChannelChat  = "chat"
	ChannelEmail = "email"
)

// Tones of a persona.
var Tones = []string{"patient", "terse", "annoyed"}

// A Scenario is a recorded case made replayable.
type Scenario struct {
	File     string
	Src      []byte // the file's text; nil from a slim load (lint)
	ID       string
	Title    string
	Playbook string // the playbook id
	Range    string // the version range, as written
	Channel  string
	Opening  string
	Metadata []Pair // ticket metadata, in file order
	Persona  Persona
	Truth    []Pair
	Stated   []playbooks.Text
	Answers  []Pair
	Removed  []playbooks.Text
	Traps    []*Trap
	// Replies ties playbook replies that are wrong for this case to the
	// findings they earn here (answering the literal question, ...).
	Replies   []*CaseReply
	Recording *Recording

	// Pos holds the position of each top-level key's value.
	Pos map[string]playbooks.Pos

	// Derived holds what higher packages work out from the scenario and
	// keep for it (the simulator's golden paths, by playbook and tier), so
	// such caches live and go with the loaded library, not the process.
	Derived sync.Map

	constraint *semver.Constraints
}

// A Pair is a key and a value from the file, with the key's position.
type Pair struct {
	Key      string
	Value    string
	Pos      playbooks.Pos
	ValuePos playbooks.Pos
}

// Persona is who the simulated customer is.
type Persona struct {
	Name string
	Role string
	Tone string
	// DoesNotKnow lists the facts the customer cannot answer themself.
	DoesNotKnow []Unknown
}

// An Unknown is a fact the customer does not know: asked it, they say
// Answer, and the answer comes back Cost later (from a colleague).
type Unknown struct {
	Fact   playbooks.Text
	Answer string
	Cost   time.Duration
	// HasCost: Cost was given; otherwise the answer takes one more
	// customer turn of the channel.
	HasCost bool
}

// DefaultUnknownAnswer is what a customer says of a fact they do not know
// when the scenario gives no words for it.
const DefaultUnknownAnswer = "I don't know that myself; I'll ask a colleague and come back to you."

// Unknown returns what the customer does not know of the fact, or nil.
func (s *Scenario) Unknown(fact string) *Unknown {
	for i := range s.Persona.DoesNotKnow {
		if u := &s.Persona.DoesNotKnow[i]; u.Fact.Value == fact {
			return u
		}
	}
	return nil
}

// A Trap is a wrong move seen in real handling.
type Trap struct {
	ID       string
	Pos      playbooks.Pos
	Label    string
	Answer   string
	Cost     time.Duration
	Findings []playbooks.Text
	Refs     []playbooks.Text
	// Reply: the trap is a message to the customer (an answer, however
	// wrong), so the customer was replied to.
	Reply bool
}

// A CaseReply is a playbook reply that is wrong for this case in a way
// the scenario names: sending it earns these findings (instead of the
// general wrong-reply) and, when given, the customer answers Answer.
type CaseReply struct {
	Template string
	Pos      playbooks.Pos
	Answer   string
	Findings []playbooks.Text
}

// CaseReply returns the scenario's entry for a playbook reply, or nil.
func (s *Scenario) CaseReply(template string) *CaseReply {
	for _, r := range s.Replies {
		if r.Template == template {
			return r
		}
	}
	return nil
}

// A Recording is how real agents handled the case.
type Recording struct {
	Tier  playbooks.Text
	Moves []RecordedMove
}

// A RecordedMove is one move of the real handling.
type RecordedMove struct {
	At   time.Time
	Move string
	Pos  playbooks.Pos
}

// Constraint is the parsed playbook version range (nil if it did not parse).
func (s *Scenario) Constraint() *semver.Constraints { return s.constraint }

// Lookup returns the value of key among pairs.
func Lookup(pairs []Pair, key string) (string, bool) {
	for _, p := range pairs {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}

// IsStated reports whether the opening already gives the fact.
func (s *Scenario) IsStated(fact string) bool {
	for _, t := range s.Stated {
		if t.Value == fact {
			return true
		}
	}
	return false
}

// IsRemoved reports whether the product no longer has a reference
// ("ui:PATH", "doc:PATH", "setting:NAME").
func (s *Scenario) IsRemoved(ref string) bool {
	for _, t := range s.Removed {
		if t.Value == ref {
			return true
		}
	}
	return false
}

// Trap returns the trap with the id, or nil.
func (s *Scenario) Trap(id string) *Trap {
	for _, t := range s.Traps {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// TruthFor returns the hidden value of a playbook fact: from truth, for
// a ticket fact from the ticket metadata, for a rule fact from the rule.
func (s *Scenario) TruthFor(f *playbooks.Fact) (string, bool) {
	if f.IsRule() {
		// A product rule fixes it: from its value, or its input's truth.
		return f.RuleValue(s.TruthFor)
	}
	if v, ok := Lookup(s.Truth, f.Name); ok {
		return v, true
	}
	if field := f.TicketField(); field != "" {
		return Lookup(s.Metadata, field)
	}
	return "", false
}

var durationPart = regexp.MustCompile(`^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$`)

// ParseDuration reads a simulated duration such as 15m, 4h, 1d or 1h30m.
func ParseDuration(s string) (time.Duration, error) {
	m := durationPart.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || strings.TrimSpace(s) == "" {
		return 0, fmt.Errorf("%q is not a duration like 15m, 4h, 1d or 1h30m", s)
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil || n > 10000 {
			return 0, fmt.Errorf("%q is out of range", s)
		}
		d += time.Duration(n) * unit
	}
	return d, nil
}

// FormatDuration writes a simulated duration the way ParseDuration reads it.
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0m"
	}
	var b strings.Builder
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%dd", days)
		d -= days * 24 * time.Hour
	}
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	return b.String()
}
