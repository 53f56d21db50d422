package playbooks

import (
	"fmt"
	"slices"
	"strings"
)

// Event kinds a walk produces.
const (
	EventNeed    = "need"    // a fact is needed before the walk can go on
	EventCheck   = "check"   // a fact was checked and a branch taken
	EventAction  = "action"  // the agent performs an action
	EventReply   = "reply"   // a reply draft is ready to send
	EventPass    = "pass"    // an escalation the agent's tier already covers
	EventHandoff = "handoff" // the agent's tier cannot go on: hand off (ends the walk)
	EventOutcome = "outcome" // the case ends
)

// An Event is one thing that happened while walking a playbook.
type Event struct {
	Kind    string   `json:"kind"`
	Step    string   `json:"step"`
	Fact    string   `json:"fact,omitempty"`
	Value   string   `json:"value,omitempty"`
	Branch  string   `json:"branch,omitempty"`
	Draft   *Draft   `json:"draft,omitempty"`
	Handoff *Handoff `json:"handoff,omitempty"`
	Outcome string   `json:"outcome,omitempty"`
	// Ask, on an EventNeed of a walk that gates facts (GateFacts): the
	// tier cannot verify the fact from its source, so the customer is asked.
	Ask bool `json:"ask,omitempty"`
}

// A FactValue is a verified fact of a case and where it came from.
type FactValue struct {
	Fact   string `json:"fact"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// A Draft is a reply rendered for one audience.
type Draft struct {
	Template string   `json:"template"`
	Audience string   `json:"audience,omitempty"`
	Summary  string   `json:"summary"`
	Cause    string   `json:"cause"`
	Fix      string   `json:"fix"`
	Docs     []string `json:"docs,omitempty"`
	// Forward is the part for another reader the customer passes the reply
	// on to (their developer), when the template carries one.
	Forward *ForwardPart `json:"forward,omitempty"`
}

// A ForwardPart is the cause and fix of a reply written for the reader
// the customer forwards it to.
type ForwardPart struct {
	Audience string `json:"audience"`
	Cause    string `json:"cause"`
	Fix      string `json:"fix"`
}

// A Handoff is the note an agent passes to a higher tier.
type Handoff struct {
	From       TierName    `json:"from"`
	To         TierName    `json:"to"`
	Step       string      `json:"step"`
	Capability string      `json:"capability,omitempty"`
	Reason     string      `json:"reason"`
	Facts      []FactValue `json:"facts"`
	Notes      []string    `json:"notes,omitempty"`
}

// A LoopError says a walk came back to a step it had passed with nothing
// new learned: on the facts it has, it would go round for ever.
type LoopError struct {
	Playbook string
	Step     string
}

func (e *LoopError) Error() string {
	return fmt.Sprintf("playbook %s loops back to step %q with nothing new learned", e.Playbook, e.Step)
}

// A Walker walks one case through a playbook for an agent of a tier. It
// asks for facts only when a step needs them; callers supply them with Set.
type Walker struct {
	pb       *Playbook
	tier     *Tier
	audience string
	known    map[string]string
	order    []string
	cur      *Step
	visited  map[*Step]bool
	notes    []string
	done     bool
	gate     bool
}

// NewWalker starts a walk at the playbook's first step.
func NewWalker(pb *Playbook, tier *Tier, audience string) *Walker {
	w := &Walker{pb: pb, tier: tier, audience: audience, known: map[string]string{},
		cur: pb.StartStep(), visited: map[*Step]bool{}}
	w.derive() // facts a product rule fixes are known from the start
	return w
}

// derive records every rule fact that the facts known now fix.
func (w *Walker) derive() {
	if !w.pb.hasRules {
		return
	}
	valueOf := func(f *Fact) (string, bool) {
		v, ok := w.known[f.Name]
		return v, ok
	}
	for changed := true; changed; {
		changed = false
		for _, f := range w.pb.Facts {
			if _, had := w.known[f.Name]; had || !f.IsRule() {
				continue
			}
			if v, ok := f.RuleValue(valueOf); ok {
				if legal, ok := f.Legal(v); ok {
					w.order = append(w.order, f.Name)
					w.known[f.Name] = legal
					changed = true
				}
			}
		}
	}
}

// ruleInput is the fact to learn before the rule fact f can be told: the
// first unknown fact up its chain of from.
func (w *Walker) ruleInput(s *Step, f *Fact) (*Fact, error) {
	x := f
	for range len(w.pb.Facts) + 1 {
		if !x.IsRule() {
			return x, nil
		}
		in := x.Input()
		if in == nil {
			break
		}
		if v, ok := w.known[in.Name]; ok {
			return nil, fmt.Errorf("step %q checks %s, derived from %s = %q, which its map does not name", s.ID, x.Name, in.Name, v)
		}
		x = in
	}
	return nil, fmt.Errorf("step %q checks %s, which a product rule fixes, but the rule gives no value", s.ID, f.Name)
}

// GateFacts makes the walk respect what a tier may verify: at a check of
// a fact the tier lacks a capability for (Playbook.Lacks), the walk hands
// off to the lowest tier holding what the fact needs, as at an action; but
// when only the capability of the fact's source is missing and the fact
// has an ask, it needs the fact with Ask set: the customer is asked.
func (w *Walker) GateFacts() { w.gate = true }

// Set records the value of a fact. The value must be legal for the fact.
func (w *Walker) Set(fact, value string) error {
	f := w.pb.Fact(fact)
	if f == nil {
		return fmt.Errorf("playbook %s has no fact %q", w.pb.ID, fact)
	}
	legal, ok := f.Legal(value)
	if !ok {
		if f.IsVersion() {
			return fmt.Errorf("%q is not a version (like 5.2.1) for fact %s", value, fact)
		}
		if len(f.Values) > 0 {
			return fmt.Errorf("%q is not a value of fact %s (%s)", value, fact, strings.Join(f.ValueNames(), ", "))
		}
		return fmt.Errorf("fact %s needs a value", fact)
	}
	if _, had := w.known[fact]; !had {
		w.order = append(w.order, fact)
	}
	w.known[fact] = legal
	w.derive()
	return nil
}

// Known returns the facts recorded so far, in the order they were learned.
func (w *Walker) Known() []FactValue {
	out := make([]FactValue, 0, len(w.order))
	for _, name := range w.order {
		out = append(out, FactValue{Fact: name, Value: w.known[name], Source: w.pb.Fact(name).Source})
	}
	return out
}

// Next advances the walk by one step. When the current step checks a fact
// that is not known, it returns an EventNeed and stays on the step until the
// fact is Set. After an outcome or a handoff it returns an error.
func (w *Walker) Next() (Event, error) {
	if w.done {
		return Event{}, fmt.Errorf("the walk has ended")
	}
	s := w.cur
	if s == nil {
		return Event{}, fmt.Errorf("playbook %s has no step to start from", w.pb.ID)
	}
	if w.visited[s] {
		return Event{}, &LoopError{Playbook: w.pb.ID, Step: s.ID}
	}
	switch s.Kind {
	case StepCheck:
		f := w.pb.Fact(s.Subject.Value)
		if f == nil {
			return Event{}, fmt.Errorf("step %q checks undeclared fact %q", s.ID, s.Subject.Value)
		}
		val, ok := w.known[f.Name]
		if !ok {
			if f.IsRule() {
				// Never asked or looked up: the fact it is derived from is.
				in, err := w.ruleInput(s, f)
				if err != nil {
					return Event{}, err
				}
				f = in
			}
			if w.gate {
				if lacks := w.pb.Lacks(w.tier, f); len(lacks) > 0 {
					return w.gated(s, f, lacks)
				}
			}
			return Event{Kind: EventNeed, Step: s.ID, Fact: f.Name}, nil
		}
		w.visit(s)
		branch, target := w.branch(s, val)
		if target == "" {
			return Event{}, fmt.Errorf("step %q has no branch for %s = %q", s.ID, f.Name, val)
		}
		return w.move(Event{Kind: EventCheck, Step: s.ID, Fact: f.Name, Value: val, Branch: branch}, target)
	case StepAction:
		if !w.tier.Holds(s.Subject.Value) {
			to := w.pb.LowestHolding(s.Subject.Value)
			if to == nil {
				return Event{}, fmt.Errorf("step %q needs capability %q, which no tier holds", s.ID, s.Subject.Value)
			}
			return w.handoff(s, to, s.Subject.Value,
				fmt.Sprintf("step %s needs capability %s, which tier %s lacks", s.ID, s.Subject.Value, w.tier.Name)), nil
		}
		w.visit(s)
		return w.move(Event{Kind: EventAction, Step: s.ID, Value: s.Subject.Value}, s.Next.Value)
	case StepReply:
		w.visit(s)
		r := w.pb.Reply(s.Subject.Value)
		if r == nil {
			return Event{}, fmt.Errorf("step %q names unknown reply %q", s.ID, s.Subject.Value)
		}
		return w.move(Event{Kind: EventReply, Step: s.ID, Draft: w.Draft(r)}, s.Next.Value)
	case StepEscalate:
		to := w.pb.Tier(TierName(s.Subject.Value))
		if to == nil {
			return Event{}, fmt.Errorf("step %q escalates to unknown tier %q", s.ID, s.Subject.Value)
		}
		if w.tier.Rank >= to.Rank {
			w.visit(s)
			return w.move(Event{Kind: EventPass, Step: s.ID, Value: string(to.Name)}, s.Next.Value)
		}
		reason := fmt.Sprintf("step %s escalates to %s", s.ID, to.Name)
		if s.Title != "" {
			reason += ": " + s.Title
		}
		return w.handoff(s, to, "", reason), nil
	case StepOutcome:
		w.visit(s)
		w.done = true
		return Event{Kind: EventOutcome, Step: s.ID, Outcome: s.Subject.Value}, nil
	}
	return Event{}, fmt.Errorf("step %q has no kind", s.ID)
}

// gated is the event at a check of fact f that the tier lacks the
// capabilities lacks to verify: the customer is asked when only the
// source's capability is missing and the fact has an ask, else a handoff.
func (w *Walker) gated(s *Step, f *Fact, lacks []string) (Event, error) {
	explicit := false
	for _, n := range f.Needs {
		explicit = explicit || slices.Contains(lacks, n.Value)
	}
	if !explicit && f.Ask != "" {
		return Event{Kind: EventNeed, Step: s.ID, Fact: f.Name, Ask: true}, nil
	}
	to := w.pb.LowestHoldingAll(w.pb.FactNeeds(f))
	if to == nil {
		to = w.pb.LowestHoldingAll(values(f.Needs))
	}
	if to == nil {
		return Event{}, fmt.Errorf("step %q checks fact %q, which needs %s; no tier holds them all", s.ID, f.Name, strings.Join(w.pb.FactNeeds(f), ", "))
	}
	return w.handoff(s, to, strings.Join(lacks, ", "),
		fmt.Sprintf("step %s checks %s, which needs %s %s that tier %s lacks", s.ID, f.Name, plural(len(lacks), "capability", "capabilities"), strings.Join(lacks, ", "), w.tier.Name)), nil
}

func (w *Walker) visit(s *Step) {
	w.visited[s] = true
	if s.Note != "" {
		w.notes = append(w.notes, s.Note)
	}
}

func (w *Walker) branch(s *Step, val string) (label, target string) {
	if f := w.pb.Fact(s.Subject.Value); f != nil && f.IsVersion() {
		if b, ok := RangeBranch(s, val); ok {
			return b.Value, b.Target.Value
		}
		if s.Otherwise.Value != "" {
			return "otherwise", s.Otherwise.Value
		}
		return "", s.Next.Value
	}
	for _, b := range s.On {
		if strings.EqualFold(b.Value, val) {
			return b.Value, b.Target.Value
		}
	}
	if s.Otherwise.Value != "" {
		return "otherwise", s.Otherwise.Value
	}
	return "", s.Next.Value
}

func (w *Walker) move(e Event, target string) (Event, error) {
	next := w.pb.Step(target)
	if next == nil {
		return Event{}, fmt.Errorf("step %q goes to unknown step %q", e.Step, target)
	}
	w.cur = next
	return e, nil
}

// handoff ends the walk for this tier at step s, which stays unvisited so
// that the tier taking over (TakeOver) carries on from it.
func (w *Walker) handoff(s *Step, to *Tier, capability, reason string) Event {
	w.done = true
	notes := slices.Clone(w.notes)
	if s.Note != "" {
		notes = append(notes, s.Note)
	}
	return Event{Kind: EventHandoff, Step: s.ID, Handoff: &Handoff{
		From: w.tier.Name, To: to.Name, Step: s.ID, Capability: capability, Reason: reason,
		Facts: w.Known(), Notes: notes,
	}}
}

// TakeOver lets another tier carry on after a handoff, from the step where
// the walk stopped, with the facts known so far.
func (w *Walker) TakeOver(t *Tier) {
	w.tier = t
	w.done = false
}

// Tier is the tier walking the playbook now.
func (w *Walker) Tier() *Tier { return w.tier }

// Draft renders a reply template for the walker's audience, filling
// {fact} placeholders with the facts known so far.
func (w *Walker) Draft(r *Reply) *Draft {
	parts := r.For(w.audience)
	d := &Draft{Template: r.Name, Audience: w.audience,
		Summary: w.fill(parts.Summary), Cause: w.fill(parts.Cause), Fix: w.fill(parts.Fix)}
	for _, doc := range r.Docs {
		d.Docs = append(d.Docs, doc.Value)
	}
	if to := r.ForwardTo(w.audience); to != "" && to != w.audience {
		fp := r.For(to)
		d.Forward = &ForwardPart{Audience: to, Cause: w.fill(fp.Cause), Fix: w.fill(fp.Fix)}
	}
	return d
}

func (w *Walker) fill(text string) string {
	return FillPlaceholders(text, func(fact string) string {
		if v, ok := w.known[fact]; ok {
			return v
		}
		return "{" + fact + "}"
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// RangeBranch is the branch of a check of a version fact whose range holds
// the version val (the first, should ranges overlap), if any.
func RangeBranch(s *Step, val string) (Branch, bool) {
	v, err := ParseVersion(val)
	if err != nil {
		return Branch{}, false
	}
	for _, b := range s.On {
		if c, err := parseRange(b.Value); err == nil && c.Check(v) {
			return b, true
		}
	}
	return Branch{}, false
}
