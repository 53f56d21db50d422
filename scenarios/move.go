package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
)

// A MoveKind is what a move does: ask the customer, look a fact up, act, ...
// It is the part of a move id before the first colon.
type MoveKind string

// Move kinds.
const (
	MoveAsk      MoveKind = "ask"
	MoveLookup   MoveKind = "lookup"
	MoveProbe    MoveKind = "probe"
	MoveDNS      MoveKind = "dns"
	MoveAction   MoveKind = "action"
	MoveReply    MoveKind = "reply"
	MoveDoc      MoveKind = "doc"
	MoveEscalate MoveKind = "escalate"
	MoveTrap     MoveKind = "trap"
	MoveClose    MoveKind = "close"
)

// MoveKinds lists the move kinds in the order menus show them.
var MoveKinds = []MoveKind{MoveAsk, MoveLookup, MoveProbe, MoveDNS, MoveAction, MoveReply, MoveDoc, MoveEscalate, MoveTrap, MoveClose}

// A Move is one thing an agent does in a case, identified by a string such
// as "lookup:click_tracking", "escalate:L2" or "close".
type Move struct {
	Kind MoveKind `json:"kind"`
	Arg  string   `json:"arg,omitempty"`
	// For escalate: the facts the handoff note carries; nil means every
	// verified fact (CarryAll).
	Carry    []string `json:"carry,omitempty"`
	CarryAll bool     `json:"carry_all,omitempty"`
}

// NewMove is the move of the kind on the argument. An escalation carries
// every verified fact; set Carry (and clear CarryAll) for a note that
// names its facts.
func NewMove(kind MoveKind, arg string) Move {
	if kind == MoveClose {
		return Move{Kind: MoveClose}
	}
	return Move{Kind: kind, Arg: arg, CarryAll: kind == MoveEscalate}
}

// CloseMove closes the case; its id is "close".
var CloseMove = Move{Kind: MoveClose}

// Handoff is the escalation to the tier whose note carries exactly the
// facts given ("escalate:TIER:FACT,FACT", or "escalate:TIER:" for none).
func Handoff(tier string, carry []string) Move {
	if carry == nil {
		carry = []string{}
	}
	return Move{Kind: MoveEscalate, Arg: tier, Carry: carry}
}

// String is the move's id.
func (m Move) String() string {
	switch {
	case m.Kind == MoveClose:
		return string(MoveClose)
	case m.Kind == MoveEscalate && !m.CarryAll:
		return string(m.Kind) + ":" + m.Arg + ":" + strings.Join(m.Carry, ",")
	}
	return string(m.Kind) + ":" + m.Arg
}

// Target is the move without its handoff note: for an escalation
// "escalate:TIER", for any other move its id.
func (m Move) Target() Move {
	if m.Kind == MoveEscalate {
		return NewMove(MoveEscalate, m.Arg)
	}
	return m
}

// ParseMove reads a move id.
func ParseMove(s string) (Move, error) {
	s = strings.TrimSpace(s)
	if s == string(MoveClose) {
		return Move{Kind: MoveClose}, nil
	}
	k, arg, ok := strings.Cut(s, ":")
	kind := MoveKind(k)
	if !ok || !slices.Contains(MoveKinds, kind) || kind == MoveClose {
		return Move{}, fmt.Errorf("%q is not a move; a move is KIND:ARG with KIND one of ask, lookup, probe, dns, action, reply, doc, escalate, trap, or close", Clip(s))
	}
	if arg == "" {
		return Move{}, fmt.Errorf("%q names no %s", Clip(s), argName(kind))
	}
	m := Move{Kind: kind, Arg: arg}
	if kind == MoveEscalate {
		tier, carry, hasCarry := strings.Cut(arg, ":")
		m.Arg = tier
		if !hasCarry {
			m.CarryAll = true
		} else {
			m.Carry = []string{}
			for _, f := range strings.Split(carry, ",") {
				if f = strings.TrimSpace(f); f != "" {
					m.Carry = append(m.Carry, f)
				}
			}
		}
		if tier == "" {
			return Move{}, fmt.Errorf("%q names no tier", s)
		}
	}
	return m, nil
}

// Clip shortens text from a file for quoting in a message.
func Clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

func argName(kind MoveKind) string {
	switch kind {
	case MoveAsk, MoveLookup, MoveProbe, MoveDNS:
		return "fact"
	case MoveAction:
		return "capability"
	case MoveReply:
		return "reply template"
	case MoveDoc:
		return "doc page"
	case MoveEscalate:
		return "tier"
	case MoveTrap:
		return "trap"
	}
	return "argument"
}

// SourceMove is the move kind that verifies a fact from its source without
// asking the customer ("lookup" for admin facts), or "" for customer and
// ticket facts.
func SourceMove(f *playbooks.Fact) MoveKind {
	switch f.SourceKind() {
	case playbooks.SourceAdmin:
		return MoveLookup
	case playbooks.SourceProbe:
		return MoveProbe
	case playbooks.SourceDNS:
		return MoveDNS
	}
	return ""
}

// FactMove is the move that learns a fact the right way: from its source,
// or by asking the customer when only the customer knows.
func FactMove(f *playbooks.Fact) Move {
	if k := SourceMove(f); k != "" {
		return NewMove(k, f.Name)
	}
	return NewMove(MoveAsk, f.Name)
}

// Docs lists every doc page the playbook references, in order.
func Docs(p *playbooks.Playbook) []string {
	var out []string
	add := func(ts []playbooks.Text) {
		for _, t := range ts {
			if !slices.Contains(out, t.Value) {
				out = append(out, t.Value)
			}
		}
	}
	for _, s := range p.Steps {
		add(s.Doc)
	}
	for _, r := range p.Replies {
		add(r.Docs)
	}
	return out
}

// Capabilities lists every capability an action step of the playbook needs.
func Capabilities(p *playbooks.Playbook) []string {
	var out []string
	for _, s := range p.Steps {
		if s.Kind == playbooks.StepAction && !slices.Contains(out, s.Subject.Value) {
			out = append(out, s.Subject.Value)
		}
	}
	return out
}

// CheckMove says whether a move exists for the scenario and its playbook
// (whatever the tier: refusing an action the tier lacks is the simulator's
// answer, not an illegal move).
func CheckMove(m Move, p *playbooks.Playbook, s *Scenario) error {
	arg := Clip(m.Arg) // for messages
	switch m.Kind {
	case MoveAsk, MoveLookup, MoveProbe, MoveDNS:
		f := p.Fact(m.Arg)
		if f == nil {
			return fmt.Errorf("playbook %s has no fact %q", p.ID, arg)
		}
		if m.Kind != MoveAsk && SourceMove(f) != m.Kind {
			if f.SourceKind() == playbooks.SourceTicket {
				return fmt.Errorf("fact %s comes with the ticket (%s); no %s is needed", f.Name, f.Source, m.Kind)
			}
			return fmt.Errorf("fact %s comes from %s, so %s does not apply; use %s", f.Name, f.Source, m.Kind, FactMove(f))
		}
	case MoveAction:
		if !slices.Contains(Capabilities(p), m.Arg) {
			return fmt.Errorf("playbook %s has no action %q (actions: %s)", p.ID, arg, strings.Join(Capabilities(p), ", "))
		}
	case MoveReply:
		if p.Reply(m.Arg) == nil {
			names := make([]string, len(p.Replies))
			for i, r := range p.Replies {
				names[i] = r.Name
			}
			return fmt.Errorf("playbook %s has no reply template %q%s", p.ID, arg, playbooks.DidYouMean(arg, names))
		}
	case MoveDoc:
		if !slices.Contains(Docs(p), m.Arg) {
			return fmt.Errorf("playbook %s references no doc %q", p.ID, arg)
		}
	case MoveEscalate:
		if p.Tier(m.Arg) == nil {
			return fmt.Errorf("playbook %s has no tier %q (tiers: %s)%s", p.ID, arg, strings.Join(p.TierNames(), ", "), playbooks.DidYouMean(m.Arg, p.TierNames()))
		}
		for _, f := range m.Carry {
			if p.Fact(f) == nil {
				return fmt.Errorf("the handoff carries %q, which is not a fact of playbook %s", Clip(f), p.ID)
			}
		}
	case MoveTrap:
		if s.Trap(m.Arg) == nil {
			return fmt.Errorf("scenario %s has no trap %q", s.ID, arg)
		}
	}
	return nil
}
