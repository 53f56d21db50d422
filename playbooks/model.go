package playbooks

import (
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// KindPlaybook is the value of the `casebook:` key of a playbook file.
const KindPlaybook = "playbook/v1"

// Step kinds.
const (
	StepCheck    = "check"
	StepAction   = "action"
	StepReply    = "reply"
	StepEscalate = "escalate"
	StepOutcome  = "outcome"
)

// StepKinds lists the step kinds in the order the format documents them.
var StepKinds = []string{StepCheck, StepAction, StepReply, StepEscalate, StepOutcome}

// Visibility values.
const (
	Internal = "internal"
	Customer = "customer"
)

// Fact sources (a ticket source is "ticket.FIELD").
const (
	SourceCustomer = "customer"
	SourceAdmin    = "admin"
	SourceProbe    = "probe"
	SourceDNS      = "dns"
	SourceTicket   = "ticket"
	SourceRule     = "rule" // fixed by a product rule, or derived from another fact
)

// A MapEntry of a derived fact: when the input fact is Key, the fact is Value.
type MapEntry struct {
	Key   string
	Value string
	Pos   Pos
}

// A Playbook is a versioned decision guide for one kind of case.
type Playbook struct {
	File        string
	Src         []byte
	ID          string
	Version     string
	Title       string
	Product     string
	AppliesTo   string
	ReviewedFor string
	Owner       string
	Intents     []Text
	Start       Text
	Facts       []*Fact
	Tiers       []*Tier
	Steps       []*Step
	Replies     []*Reply

	// Pos holds the position of each top-level key's value, by key.
	Pos map[string]Pos

	// StepCount is the number of steps a slimmed playbook had (NumSteps).
	StepCount int

	// Slimmed is true for a playbook loaded with LoadOptions.Slim and not
	// named by any scenario: it keeps only its file, id, version and
	// product, with the positions of id and version.
	Slimmed bool

	version   *semver.Version
	appliesTo *semver.Constraints
	reviewed  *semver.Version

	facts   map[string]*Fact
	tiers   map[TierName]*Tier
	steps   map[string]*Step
	replies map[string]*Reply

	hasRules bool // some fact has source: rule
}

// A Fact is something the case turns on, with where its answer comes from.
type Fact struct {
	Name   string
	Pos    Pos
	Source string
	Ask    string
	Title  string
	Values []Text
	// Needs are capabilities a tier must hold to verify the fact (besides
	// the capability its source gates, SourceCapability).
	Needs []Text
	// Type is "" (text, or one of Values) or TypeVersion: the value is a
	// version, and checks of the fact branch on version ranges.
	Type string
	// A rule fact (source: rule) has either Value, fixed by a product
	// rule, or From and Map: derived from another fact's value.
	Value Text
	From  Text
	Map   []MapEntry

	mapPos Pos
	input  *Fact // From, resolved (nil if unknown or in a cycle)
	cyclic bool  // From leads back to the fact

	valuesBroken bool // values: was given but could not be read
}

// A TierName names a support tier such as "L1".
type TierName string

// A Tier is a support level and the capabilities it holds.
type Tier struct {
	Name         TierName
	Pos          Pos
	Rank         int // 0 for the lowest tier
	Capabilities []Text
}

// A Branch sends a check to a step when the fact has a value.
type Branch struct {
	Value  string
	Pos    Pos
	Target Text
}

// A Step is one node of the playbook graph.
type Step struct {
	ID         string
	Pos        Pos // position of the id
	Kind       string
	Subject    Text // the fact, capability, template, tier or outcome label
	On         []Branch
	Otherwise  Text
	Next       Text
	Needs      []Text
	Title      string
	Note       string
	UI         []Text
	Doc        []Text
	Setting    []Text
	Visibility string

	broken bool // the loader reported a problem inside the step
}

// Parts are the three parts of a reply.
type Parts struct {
	Summary string `json:"summary"`
	Cause   string `json:"cause"`
	Fix     string `json:"fix"`
}

// An AudienceParts overrides some parts of a reply for one audience.
type AudienceParts struct {
	Name  string
	Pos   Pos
	Parts Parts
	// Forward names another audience whose cause and fix this reader's
	// reply carries for them to pass on (a marketer's reply with the part
	// their developer needs): the three-part answer for two readers.
	Forward Text
}

// A Reply is a customer answer template.
type Reply struct {
	Name       string
	Pos        Pos
	Default    Parts
	Audiences  []AudienceParts
	Docs       []Text
	Visibility string

	texts []Text // every part as written, with its position
}

// slim keeps of a playbook only what lint checks across files (file, id,
// version and their positions, product) and what list shows (title,
// ranges, owner, intents, the number of steps), so that a library of
// thousands lints and lists in little memory.
func (p *Playbook) slim() {
	*p = Playbook{File: p.File, ID: p.ID, Version: p.Version, Product: p.Product, version: p.version,
		Title: p.Title, AppliesTo: p.AppliesTo, ReviewedFor: p.ReviewedFor, Owner: p.Owner, Intents: p.Intents,
		StepCount: len(p.Steps), Pos: map[string]Pos{"id": p.Pos["id"], "version": p.Pos["version"]}, Slimmed: true}
}

// NumSteps is the number of the playbook's steps, slimmed or not.
func (p *Playbook) NumSteps() int {
	if p.Slimmed {
		return p.StepCount
	}
	return len(p.Steps)
}

// SemVersion is the parsed playbook version (nil if it did not parse).
func (p *Playbook) SemVersion() *semver.Version { return p.version }

// Applies reports whether the playbook is valid for product version v.
func (p *Playbook) Applies(v *semver.Version) bool {
	return p.appliesTo != nil && p.appliesTo.Check(v)
}

// Reviewed is the parsed reviewed_for version (nil if it did not parse).
func (p *Playbook) Reviewed() *semver.Version { return p.reviewed }

// Fact returns the fact named name, or nil.
func (p *Playbook) Fact(name string) *Fact { return p.facts[name] }

// Tier returns the tier named name, or nil.
func (p *Playbook) Tier(name TierName) *Tier { return p.tiers[name] }

// Step returns the step with the id, or nil.
func (p *Playbook) Step(id string) *Step { return p.steps[id] }

// Reply returns the reply template named name, or nil.
func (p *Playbook) Reply(name string) *Reply { return p.replies[name] }

// StartStep is the first step of the graph, or nil.
func (p *Playbook) StartStep() *Step {
	if p.Start.Value != "" {
		return p.steps[p.Start.Value]
	}
	if len(p.Steps) > 0 {
		return p.Steps[0]
	}
	return nil
}

// Audiences lists the audiences the reply templates name, in first-seen order.
func (p *Playbook) Audiences() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range p.Replies {
		for _, a := range r.Audiences {
			if !seen[a.Name] {
				seen[a.Name] = true
				out = append(out, a.Name)
			}
		}
	}
	return out
}

// TierNames lists the tiers' names, lowest first, as strings for messages.
func (p *Playbook) TierNames() []string {
	out := make([]string, len(p.Tiers))
	for i, t := range p.Tiers {
		out[i] = string(t.Name)
	}
	return out
}

// Holds reports whether the tier holds capability c.
func (t *Tier) Holds(c string) bool {
	for _, x := range t.Capabilities {
		if x.Value == c {
			return true
		}
	}
	return false
}

// LowestHolding returns the lowest tier that holds capability c, or nil.
func (p *Playbook) LowestHolding(c string) *Tier {
	for _, t := range p.Tiers {
		if t.Holds(c) {
			return t
		}
	}
	return nil
}

// Source capabilities: the capability a fact source gates, when the
// playbook models it (SourceCapability).
const (
	CapLookup = "lookup" // admin facts
	CapProbe  = "probe"  // probe facts
	CapDNS    = "dns"    // dns facts
)

// SourceCapability is the capability verifying the fact from its source
// takes: lookup for admin facts, probe, dns; "" for customer, ticket and
// other facts, and "" when no tier of the playbook lists the capability
// (then the playbook does not model it, and every tier may verify).
func (p *Playbook) SourceCapability(f *Fact) string {
	var c string
	switch f.SourceKind() {
	case SourceAdmin:
		c = CapLookup
	case SourceProbe:
		c = CapProbe
	case SourceDNS:
		c = CapDNS
	default:
		return ""
	}
	if p.LowestHolding(c) == nil {
		return ""
	}
	return c
}

// FactNeeds lists the capabilities verifying the fact takes: the one its
// source gates (SourceCapability), then its own needs.
func (p *Playbook) FactNeeds(f *Fact) []string {
	var out []string
	if c := p.SourceCapability(f); c != "" {
		out = append(out, c)
	}
	for _, n := range f.Needs {
		if !slices.Contains(out, n.Value) {
			out = append(out, n.Value)
		}
	}
	return out
}

// CanVerify reports whether the tier holds every capability of FactNeeds:
// Lacks is empty. It allocates nothing (the simulator asks it per move).
func (p *Playbook) CanVerify(t *Tier, f *Fact) bool {
	if c := p.SourceCapability(f); c != "" && !t.Holds(c) {
		return false
	}
	for _, n := range f.Needs {
		if !t.Holds(n.Value) {
			return false
		}
	}
	return true
}

// Lacks lists the capabilities of FactNeeds the tier does not hold.
func (p *Playbook) Lacks(t *Tier, f *Fact) []string {
	var out []string
	for _, c := range p.FactNeeds(f) {
		if !t.Holds(c) {
			out = append(out, c)
		}
	}
	return out
}

// LowestHoldingAll returns the lowest tier that holds every capability
// of cs, or nil.
func (p *Playbook) LowestHoldingAll(cs []string) *Tier {
	for _, t := range p.Tiers {
		all := true
		for _, c := range cs {
			all = all && t.Holds(c)
		}
		if all {
			return t
		}
	}
	return nil
}

// IsRule reports whether a product rule fixes the fact (source: rule).
func (f *Fact) IsRule() bool { return f.Source == SourceRule }

// Input is the fact a derived rule fact is derived from (nil for any other
// fact, an unknown from, or a from that leads back to the fact).
func (f *Fact) Input() *Fact { return f.input }

// RuleValue is the value a rule fact takes, and whether it can be told
// yet: its fixed value, or its map's value for the value of its input,
// which valueOf gives (false while the input is unknown).
func (f *Fact) RuleValue(valueOf func(*Fact) (string, bool)) (string, bool) {
	if !f.IsRule() || f.cyclic {
		return "", false
	}
	if f.From.Value == "" {
		return f.Value.Value, f.Value.Value != ""
	}
	if f.input == nil {
		return "", false
	}
	v, ok := valueOf(f.input)
	if !ok {
		return "", false
	}
	for _, m := range f.Map {
		if strings.EqualFold(m.Key, strings.TrimSpace(v)) {
			return m.Value, true
		}
	}
	return "", false
}

// linkRules resolves each rule fact's from, marking those whose from
// leads back to them.
func (p *Playbook) linkRules() {
	for _, f := range p.Facts {
		p.hasRules = p.hasRules || f.IsRule()
		if f.IsRule() && f.From.Value != "" {
			f.input = p.facts[f.From.Value]
		}
	}
	for _, f := range p.Facts {
		seen := map[*Fact]bool{}
		for x := f.input; x != nil && !seen[x]; x = x.input {
			seen[x] = true
			if x == f {
				f.cyclic = true
				break
			}
		}
	}
	for _, f := range p.Facts {
		if f.cyclic {
			f.input = nil
		}
	}
}

// SourceKind is the kind of the fact's source: customer, admin, probe, dns or ticket.
func (f *Fact) SourceKind() string {
	if strings.HasPrefix(f.Source, SourceTicket+".") {
		return SourceTicket
	}
	return f.Source
}

// TicketField is the ticket metadata field of a ticket fact ("user_agent"), or "".
func (f *Fact) TicketField() string {
	if field, ok := strings.CutPrefix(f.Source, SourceTicket+"."); ok {
		return field
	}
	return ""
}

// Label is the fact's title, or its name.
func (f *Fact) Label() string {
	if f.Title != "" {
		return f.Title
	}
	return f.Name
}

// ValueNames lists the fact's declared values.
func (f *Fact) ValueNames() []string {
	out := make([]string, len(f.Values))
	for i, v := range f.Values {
		out[i] = v.Value
	}
	return out
}

// TypeVersion is the type of a fact whose value is a version ("5.2.1"):
// a check of it branches on version ranges (`on: {"<5.0": ..., ">=5.0": ...}`).
const TypeVersion = "version"

// IsVersion reports whether the fact's value is a version.
func (f *Fact) IsVersion() bool { return f.Type == TypeVersion }

// Legal returns the declared value matching v (case-insensitively) and
// whether v is legal. A fact without declared values takes any non-empty
// text; a version fact, a version (ParseVersion).
func (f *Fact) Legal(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if f.IsVersion() {
		_, err := ParseVersion(v)
		return v, err == nil
	}
	if len(f.Values) == 0 {
		return v, v != ""
	}
	for _, d := range f.Values {
		if strings.EqualFold(d.Value, v) {
			return d.Value, true
		}
	}
	return v, false
}

// Targets lists the steps a step can continue with, in order, with the
// label of each edge ("" for next).
func (s *Step) Targets() []Edge {
	var out []Edge
	for _, b := range s.On {
		out = append(out, Edge{Label: b.Value, Target: b.Target})
	}
	if s.Otherwise.Value != "" {
		out = append(out, Edge{Label: "otherwise", Target: s.Otherwise})
	}
	if s.Next.Value != "" {
		out = append(out, Edge{Target: s.Next})
	}
	return out
}

// An Edge is one way out of a step.
type Edge struct {
	Label  string
	Target Text
}

// For returns the reply's parts for an audience: the audience's overrides
// over the default parts.
// ForwardTo is the audience whose part a reader's reply carries for them
// to pass on, or "".
func (r *Reply) ForwardTo(audience string) string {
	for _, a := range r.Audiences {
		if a.Name == audience {
			return a.Forward.Value
		}
	}
	return ""
}

func (r *Reply) For(audience string) Parts {
	p := r.Default
	for _, a := range r.Audiences {
		if a.Name == audience {
			if a.Parts.Summary != "" {
				p.Summary = a.Parts.Summary
			}
			if a.Parts.Cause != "" {
				p.Cause = a.Parts.Cause
			}
			if a.Parts.Fix != "" {
				p.Fix = a.Parts.Fix
			}
		}
	}
	return p
}
