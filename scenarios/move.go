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

// What a move kind's argument names.
const (
	ArgFact       = "fact"
	ArgCapability = "capability"
	ArgReply      = "reply template"
	ArgDoc        = "doc page"
	ArgTier       = "tier"
	ArgTrap       = "trap"
	ArgNone       = "" // close
)

// A CostClass says which of a channel's costs (simulator.Costs) prices a
// move kind.
type CostClass string

// Cost classes.
const (
	CostCustomerTurn CostClass = "customer-turn" // waits for the customer's answer
	CostLookup       CostClass = "lookup"
	CostProbe        CostClass = "probe"
	CostAction       CostClass = "action"
	CostHandoff      CostClass = "handoff"
	CostClose        CostClass = "close"
	CostTrap         CostClass = "trap" // the trap's own cost
)

// A KindInfo is what the rules know of a move kind.
type KindInfo struct {
	Kind MoveKind
	Arg  string // what the argument names (Arg*)
	// Source is the fact source the kind verifies facts from without
	// asking the customer ("" for every kind but look-ups).
	Source string
	// Verifies: the move learns the value of the fact it names.
	Verifies bool
	Cost     CostClass
}

// kinds is the table of move kinds, in the order menus show them.
var kinds = []KindInfo{
	{Kind: MoveAsk, Arg: ArgFact, Verifies: true, Cost: CostCustomerTurn},
	{Kind: MoveLookup, Arg: ArgFact, Source: playbooks.SourceAdmin, Verifies: true, Cost: CostLookup},
	{Kind: MoveProbe, Arg: ArgFact, Source: playbooks.SourceProbe, Verifies: true, Cost: CostProbe},
	{Kind: MoveDNS, Arg: ArgFact, Source: playbooks.SourceDNS, Verifies: true, Cost: CostLookup},
	{Kind: MoveAction, Arg: ArgCapability, Cost: CostAction},
	{Kind: MoveReply, Arg: ArgReply, Cost: CostCustomerTurn},
	{Kind: MoveDoc, Arg: ArgDoc, Cost: CostCustomerTurn},
	{Kind: MoveEscalate, Arg: ArgTier, Cost: CostHandoff},
	{Kind: MoveTrap, Arg: ArgTrap, Cost: CostTrap},
	{Kind: MoveClose, Arg: ArgNone, Cost: CostClose},
}

// MoveKinds lists the move kinds in the order menus show them.
var MoveKinds = func() []MoveKind {
	out := make([]MoveKind, len(kinds))
	for i, k := range kinds {
		out[i] = k.Kind
	}
	return out
}()

// Info is the table's entry for the kind; for an unknown kind, a zero
// KindInfo (Kind "").
func (k MoveKind) Info() KindInfo {
	// A switch, not a scan of the table: a report asks it millions of times.
	i := -1
	switch k {
	case MoveAsk:
		i = 0
	case MoveLookup:
		i = 1
	case MoveProbe:
		i = 2
	case MoveDNS:
		i = 3
	case MoveAction:
		i = 4
	case MoveReply:
		i = 5
	case MoveDoc:
		i = 6
	case MoveEscalate:
		i = 7
	case MoveTrap:
		i = 8
	case MoveClose:
		i = 9
	}
	if i < 0 || kinds[i].Kind != k {
		return KindInfo{}
	}
	return kinds[i]
}

// Verifies reports whether the move learns the value of the fact it names.
func (m Move) Verifies() bool { return m.Kind.Info().Verifies }

// A Move is one thing an agent does in a case, identified by a string such
// as "lookup:click_tracking", "escalate:L2" or "close".
type Move struct {
	Kind MoveKind `json:"kind"`
	Arg  string   `json:"arg,omitempty"`
	// For escalate: the facts the handoff note carries; nil means every
	// verified fact (CarryAll).
	Carry    []string `json:"carry,omitempty"`
	CarryAll bool     `json:"carry_all,omitempty"`
	// For reply: the audience the trainee writes for ("reply:T@developer");
	// "" keeps the persona's own.
	Audience string `json:"audience,omitempty"`
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
func Handoff(tier playbooks.TierName, carry []string) Move {
	if carry == nil {
		carry = []string{}
	}
	return Move{Kind: MoveEscalate, Arg: string(tier), Carry: carry}
}

// String is the move's id.
func (m Move) String() string {
	switch {
	case m.Kind == MoveClose:
		return string(MoveClose)
	case m.Kind == MoveEscalate && !m.CarryAll:
		return string(m.Kind) + ":" + m.Arg + ":" + strings.Join(m.Carry, ",")
	case m.Kind == MoveReply && m.Audience != "":
		return string(m.Kind) + ":" + m.Arg + "@" + m.Audience
	}
	return string(m.Kind) + ":" + m.Arg
}

// Target is the move without its handoff note or its audience: for an
// escalation "escalate:TIER", for a reply "reply:TEMPLATE", for any other
// move its id.
func (m Move) Target() Move {
	if m.Kind == MoveEscalate || m.Kind == MoveReply {
		return NewMove(m.Kind, m.Arg)
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
	if !ok || kind.Info().Arg == ArgNone {
		return Move{}, fmt.Errorf("%q is not a move; a move is KIND:ARG with KIND one of %s, or close", Clip(s), kindList())
	}
	if arg == "" {
		return Move{}, fmt.Errorf("%q names no %s", Clip(s), kind.Info().Arg)
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
	if kind == MoveReply {
		if tmpl, aud, ok := strings.Cut(arg, "@"); ok {
			if tmpl == "" || aud == "" {
				return Move{}, fmt.Errorf("%q: a reply for an audience is reply:TEMPLATE@AUDIENCE", Clip(s))
			}
			m.Arg, m.Audience = tmpl, aud
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

// kindList names the kinds that take an argument, for messages.
func kindList() string {
	var names []string
	for _, k := range kinds {
		if k.Arg != ArgNone {
			names = append(names, string(k.Kind))
		}
	}
	return strings.Join(names, ", ")
}

// SourceMove is the move kind that verifies a fact from its source without
// asking the customer ("lookup" for admin facts), or "" for customer and
// ticket facts.
func SourceMove(f *playbooks.Fact) MoveKind {
	if src := f.SourceKind(); src != "" {
		for _, k := range kinds {
			if k.Source == src {
				return k.Kind
			}
		}
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
	switch m.Kind.Info().Arg {
	case ArgFact:
		f := p.Fact(m.Arg)
		if f == nil {
			return fmt.Errorf("playbook %s has no fact %q%s", p.ID, arg, playbooks.DidYouMean(m.Arg, factNames(p)))
		}
		if m.Kind != MoveAsk && SourceMove(f) != m.Kind {
			if f.SourceKind() == playbooks.SourceTicket {
				return fmt.Errorf("fact %s comes with the ticket (%s); no %s is needed", f.Name, f.Source, m.Kind)
			}
			if f.IsRule() {
				if in := f.Input(); in != nil {
					return fmt.Errorf("fact %s follows from %s by a product rule; no %s is needed", f.Name, in.Name, m.Kind)
				}
				return fmt.Errorf("fact %s is fixed by a product rule; no %s is needed", f.Name, m.Kind)
			}
			return fmt.Errorf("fact %s comes from %s, so %s does not apply; use %s", f.Name, f.Source, m.Kind, FactMove(f))
		}
	case ArgCapability:
		if !slices.Contains(Capabilities(p), m.Arg) {
			return fmt.Errorf("playbook %s has no action %q (actions: %s)%s", p.ID, arg, strings.Join(Capabilities(p), ", "), playbooks.DidYouMean(m.Arg, Capabilities(p)))
		}
	case ArgReply:
		if p.Reply(m.Arg) == nil {
			names := make([]string, len(p.Replies))
			for i, r := range p.Replies {
				names[i] = r.Name
			}
			return fmt.Errorf("playbook %s has no reply template %q%s", p.ID, arg, playbooks.DidYouMean(m.Arg, names))
		}
		if m.Audience != "" && !slices.Contains(p.Audiences(), m.Audience) {
			auds := p.Audiences()
			if len(auds) == 0 {
				return fmt.Errorf("playbook %s writes its replies for no particular audience; use reply:%s", p.ID, arg)
			}
			return fmt.Errorf("playbook %s writes no reply for %q (audiences: %s)%s", p.ID, Clip(m.Audience), strings.Join(auds, ", "), playbooks.DidYouMean(m.Audience, auds))
		}
	case ArgDoc:
		if !slices.Contains(Docs(p), m.Arg) {
			return fmt.Errorf("playbook %s references no doc %q%s", p.ID, arg, playbooks.DidYouMean(m.Arg, Docs(p)))
		}
	case ArgTier:
		if p.Tier(playbooks.TierName(m.Arg)) == nil {
			return fmt.Errorf("playbook %s has no tier %q (tiers: %s)%s", p.ID, arg, strings.Join(p.TierNames(), ", "), playbooks.DidYouMean(m.Arg, p.TierNames()))
		}
		for _, f := range m.Carry {
			if p.Fact(f) == nil {
				return fmt.Errorf("the handoff carries %q, which is not a fact of playbook %s%s", Clip(f), p.ID, playbooks.DidYouMean(f, factNames(p)))
			}
		}
	case ArgTrap:
		if s.Trap(m.Arg) == nil {
			return fmt.Errorf("scenario %s has no trap %q%s", s.ID, arg, playbooks.DidYouMean(m.Arg, trapIDs(s)))
		}
	}
	return nil
}

// factNames lists the playbook's facts, for did-you-mean.
func factNames(p *playbooks.Playbook) []string {
	out := make([]string, len(p.Facts))
	for i, f := range p.Facts {
		out[i] = f.Name
	}
	return out
}

// trapIDs lists the scenario's traps, for did-you-mean.
func trapIDs(s *Scenario) []string {
	out := make([]string, len(s.Traps))
	for i, t := range s.Traps {
		out[i] = t.ID
	}
	return out
}
