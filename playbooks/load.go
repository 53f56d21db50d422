package playbooks

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"
)

// The keys each object of the format allows. The JSON Schema printed by
// `casebook schema playbook` is checked against these lists by a test.
var (
	PlaybookKeys = []string{"casebook", "id", "version", "title", "product", "applies_to", "reviewed_for",
		"owner", "intents", "start", "facts", "tiers", "steps", "replies"}
	FactKeys     = []string{"source", "ask", "title", "values", "needs", "type", "value", "from", "map"}
	StepKeys     = []string{"id", "check", "action", "reply", "escalate", "outcome", "on", "otherwise", "next", "needs", "title", "note", "ui", "doc", "setting", "visibility"}
	ReplyKeys    = []string{"summary", "cause", "fix", "docs", "audiences", "visibility"}
	AudienceKeys = []string{"summary", "cause", "fix", "forward"}
)

// ValidID reports whether s is a valid playbook or step id.
func ValidID(s string) bool {
	// ^[a-z0-9][a-z0-9-]*$, without a regexp: ids are checked by the
	// thousand when a library loads.
	if s == "" || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validName reports whether s matches ^[A-Za-z0-9][A-Za-z0-9_.-]*$ (fact,
// tier and ticket field names).
func validName(s string) bool {
	if s == "" || s[0] == '_' || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// ParsePlaybook parses and validates one playbook file. The playbook is
// returned even when there are findings, as complete as the file allowed.
func ParsePlaybook(file string, src []byte) (*Playbook, []Finding) {
	doc, fs := ParseDocument(file, src)
	if doc.Root == nil {
		return nil, fs
	}
	if doc.Kind != KindPlaybook {
		return nil, append(fs, Finding{File: file, Line: doc.KindPos.Line, Col: doc.KindPos.Col, Rule: RuleBadKind,
			Severity: SeverityError, Message: fmt.Sprintf("casebook: %q is not a supported kind here; expected %q", doc.Kind, KindPlaybook)})
	}
	p, more := DecodePlaybook(doc)
	fs = append(fs, more...)
	fs = append(fs, Validate(p)...)
	return p, CapFindings(fs)
}

// DecodePlaybook builds a playbook from a parsed document, reporting schema
// problems (unknown keys, wrong types, bad versions). Graph rules are left to
// Validate.
func DecodePlaybook(doc *Document) (*Playbook, []Finding) {
	d := NewDecoder(doc.File, DefaultMaxNodes)
	p := &Playbook{File: doc.File, Src: doc.Src, Pos: map[string]Pos{},
		facts: map[string]*Fact{}, tiers: map[TierName]*Tier{}, steps: map[string]*Step{}, replies: map[string]*Reply{}}
	present := map[string]bool{}
	d.Mapping(doc.Root, "the playbook", PlaybookKeys, func(key string, k, v *yaml.Node) {
		present[key] = true
		p.Pos[key] = PosOf(v)
		switch key {
		case "casebook":
			// checked by the caller
		case "id":
			if s, ok := d.String(v, "id"); ok {
				p.ID = s
				if !ValidID(s) {
					d.Errorf(v, RuleBadID, "id %q must be lower-case letters, digits and dashes", s)
				}
			}
		case "version":
			if s, ok := d.Scalar(v, "version"); ok {
				p.Version = s
				ver, err := semver.StrictNewVersion(s)
				if err != nil {
					d.Errorf(v, RuleBadVersion, "version %q is not semver; write MAJOR.MINOR.PATCH, e.g. \"1.0.0\"", s)
				}
				p.version = ver
			}
		case "title":
			p.Title, _ = d.String(v, "title")
		case "product":
			p.Product, _ = d.String(v, "product")
		case "owner":
			p.Owner, _ = d.String(v, "owner")
		case "applies_to":
			if s, ok := d.Scalar(v, "applies_to"); ok {
				p.AppliesTo = s
				c, err := parseRange(s)
				if err != nil {
					d.Errorf(v, RuleBadRange, "applies_to %q is not a version range (like \">=2023.6\" or \">=4.2 <5\"): %v", s, err)
				}
				p.appliesTo = c
			}
		case "reviewed_for":
			if s, ok := d.Scalar(v, "reviewed_for"); ok {
				p.ReviewedFor = s
				ver, err := semver.NewVersion(s)
				if err != nil {
					d.Errorf(v, RuleBadVersion, "reviewed_for %q is not a product version (like \"2023.10\")", s)
				}
				p.reviewed = ver
			}
		case "intents":
			p.Intents = d.List(v, "intents")
			for _, in := range p.Intents {
				if !ValidID(in.Value) {
					d.At(in.Pos, RuleBadID, "intent %q must be lower-case letters, digits and dashes", in.Value)
				}
			}
		case "start":
			if s, ok := d.String(v, "start"); ok {
				p.Start = Text{s, PosOf(v)}
			}
		case "facts":
			decodeFacts(d, p, v)
		case "tiers":
			decodeTiers(d, p, v)
		case "steps":
			decodeSteps(d, p, v)
		case "replies":
			decodeReplies(d, p, v)
		}
	})
	d.Require(doc.Root, "the playbook", present, "id", "version", "title", "product", "applies_to", "reviewed_for", "owner", "intents", "facts", "tiers", "steps")
	return p, d.Findings
}

// ranges caches parsed applies_to ranges: a library repeats a few ranges
// across thousands of playbooks, and parsing one takes regexps. Parsed
// constraints are only read, never changed, so sharing them is safe.
var ranges struct {
	sync.Mutex
	m map[string]rangeResult
}

type rangeResult struct {
	c   *semver.Constraints
	err error
}

// ParseVersion reads a version as ranges compare it: "5.2.1", "5.2", "2023.10".
func ParseVersion(s string) (*semver.Version, error) { return semver.NewVersion(strings.TrimSpace(s)) }

func parseRange(s string) (*semver.Constraints, error) {
	ranges.Lock()
	r, ok := ranges.m[s]
	ranges.Unlock()
	if ok {
		return r.c, r.err
	}
	c, err := semver.NewConstraint(s)
	ranges.Lock()
	defer ranges.Unlock()
	if ranges.m == nil || len(ranges.m) >= 4096 {
		ranges.m = map[string]rangeResult{} // bounded: start again
	}
	ranges.m[s] = rangeResult{c, err}
	return c, err
}

func decodeFacts(d *Decoder, p *Playbook, n *yaml.Node) {
	d.Mapping(n, "facts", nil, func(name string, k, v *yaml.Node) {
		f := &Fact{Name: name, Pos: PosOf(k)}
		var typePos Pos
		var rulePos []keyPos // value, from, map: only on rule facts
		if !validName(name) {
			d.Errorf(k, RuleBadID, "fact name %q must be letters, digits, _ . and -", name)
		}
		what := fmt.Sprintf("fact %q", name)
		isMap := d.Mapping(v, what, FactKeys, func(key string, k, v *yaml.Node) {
			switch key {
			case "source":
				if s, ok := d.String(v, "source of "+what); ok {
					f.Source = s
					if !validSource(s) {
						d.Errorf(v, RuleBadSource, "source %q of %s must be customer, admin, probe, dns, rule or ticket.FIELD", s, what)
					}
				}
			case "ask":
				f.Ask, _ = d.String(v, "ask of "+what)
			case "title":
				f.Title, _ = d.String(v, "title of "+what)
			case "needs":
				f.Needs = d.Texts(v, "needs of "+what)
			case "value":
				if val, ok := d.Scalar(v, "value of "+what); ok {
					f.Value = Text{val, PosOf(d.Resolve(v))}
				}
				rulePos = append(rulePos, keyPos{key, PosOf(k)})
			case "from":
				if val, ok := d.String(v, "from of "+what); ok {
					f.From = Text{val, PosOf(d.Resolve(v))}
				}
				rulePos = append(rulePos, keyPos{key, PosOf(k)})
			case "map":
				f.mapPos = PosOf(k)
				d.Mapping(v, "map of "+what, nil, func(key string, k, v *yaml.Node) {
					if val, ok := d.Scalar(v, fmt.Sprintf("the value of %q in the map of %s", key, what)); ok {
						f.Map = append(f.Map, MapEntry{Key: key, Value: val, Pos: PosOf(k)})
					}
				})
				rulePos = append(rulePos, keyPos{key, PosOf(k)})
			case "type":
				if t, ok := d.String(v, "type of "+what); ok {
					if t != TypeVersion {
						d.Errorf(v, RuleBadValue, "type of %s must be version (checks of it branch on version ranges), not %q", what, t)
					} else {
						f.Type, typePos = t, PosOf(v)
					}
				}
			case "values":
				f.Values = d.Scalars(v, "values of "+what)
				f.valuesBroken = f.Values == nil && (d.Resolve(v) == nil || d.Resolve(v).Kind != yaml.SequenceNode)
				seen := map[string]bool{}
				for _, val := range f.Values {
					low := strings.ToLower(val.Value)
					if seen[low] {
						d.At(val.Pos, RuleDuplicateKey, "value %q appears twice in %s", val.Value, what)
					}
					seen[low] = true
				}
			}
		})
		if f.IsVersion() && len(f.Values) > 0 {
			d.At(typePos, RuleBadValue, "%s is of type version and also lists values; a version fact takes any version, and its checks branch on ranges", what)
		}
		if f.Source != "" && !f.IsRule() {
			for _, kp := range rulePos {
				d.At(kp.pos, RuleMisplacedKey, "%s comes from %s; %q belongs only on facts with source: rule", what, f.Source, kp.key)
			}
		}
		if f.Source == "" && isMap {
			d.Errorf(k, RuleNoSource, "%s does not say where its answer comes from; add source: customer, admin, probe, dns, rule or ticket.FIELD", what)
		}
		p.Facts = append(p.Facts, f)
		p.facts[name] = f
	})
	p.linkRules()
}

type keyPos struct {
	key string
	pos Pos
}

func validSource(s string) bool {
	switch s {
	case SourceCustomer, SourceAdmin, SourceProbe, SourceDNS, SourceRule:
		return true
	}
	field, ok := strings.CutPrefix(s, SourceTicket+".")
	return ok && validName(field)
}

func decodeTiers(d *Decoder, p *Playbook, n *yaml.Node) {
	d.Mapping(n, "tiers", nil, func(name string, k, v *yaml.Node) {
		if !validName(name) {
			d.Errorf(k, RuleBadID, "tier name %q must be letters, digits, _ . and -", name)
		}
		t := &Tier{Name: TierName(name), Pos: PosOf(k), Rank: len(p.Tiers)}
		t.Capabilities = d.List(v, fmt.Sprintf("the capabilities of tier %q", name))
		p.Tiers = append(p.Tiers, t)
		p.tiers[t.Name] = t
	})
	if len(p.Tiers) == 0 && d.Resolve(n) != nil && d.Resolve(n).Kind == yaml.MappingNode {
		d.Errorf(n, RuleMissingKey, "tiers is empty; declare at least one tier and its capabilities")
	}
}

func decodeSteps(d *Decoder, p *Playbook, n *yaml.Node) {
	n = d.Resolve(n)
	if n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, RuleWrongType, "steps must be a list, not %s", describe(n))
		return
	}
	if len(n.Content) == 0 {
		d.Errorf(n, RuleMissingKey, "steps is empty; a playbook needs at least one step")
	}
	for i, item := range n.Content {
		before := d.Count()
		s := decodeStep(d, item, i)
		if s != nil {
			s.broken = d.Count() > before
		}
		if s == nil {
			if d.RestLike(n.Content, i, "steps", "a mapping") {
				break
			}
			continue
		}
		p.Steps = append(p.Steps, s)
		if s.ID == "" {
			continue
		}
		if first, dup := p.steps[s.ID]; dup {
			d.At(s.Pos, RuleDuplicateID, "step id %q is used twice (first on line %d)", s.ID, first.Pos.Line)
			continue
		}
		p.steps[s.ID] = s
	}
}

func decodeStep(d *Decoder, n *yaml.Node, index int) *Step {
	s := &Step{Pos: PosOf(n), Visibility: Internal}
	// Steps are decoded by the hundred thousand in a large lint: no maps
	// or fmt here unless something is wrong.
	what := "step " + strconv.Itoa(index+1)
	if id := PeekID(d.Resolve(n)); id != "" {
		what = "step " + strconv.Quote(id)
	}
	var hasID bool
	var kindKeys [2]string
	var kindNodes [2]*yaml.Node
	kinds := 0
	var misplacedPos [len(misplaced)]Pos // zero Line: the key is absent
	ok := d.Mapping(n, what, StepKeys, func(key string, k, v *yaml.Node) {
		for i, m := range misplaced {
			if m.key == key {
				misplacedPos[i] = PosOf(k)
			}
		}
		switch key {
		case "id":
			hasID = true
			if id, ok := d.String(v, "id of "+what); ok {
				s.ID, s.Pos = id, PosOf(v)
				if !ValidID(id) {
					d.Errorf(v, RuleBadID, "step id %q must be lower-case letters, digits and dashes", id)
				}
			}
		case StepCheck, StepAction, StepReply, StepEscalate, StepOutcome:
			if kinds < len(kindKeys) {
				kindKeys[kinds], kindNodes[kinds] = key, k
			}
			kinds++
			if val, ok := d.String(v, key+" of "+what); ok {
				s.Kind, s.Subject = key, Text{val, PosOf(v)}
			}
		case "on":
			d.Mapping(v, "on of "+what, nil, func(value string, k, v *yaml.Node) {
				b := Branch{Value: value, Pos: PosOf(k)}
				if t, ok := d.String(v, fmt.Sprintf("the target of branch %q", value)); ok {
					b.Target = Text{t, PosOf(v)}
				}
				s.On = append(s.On, b)
			})
		case "otherwise":
			if t, ok := d.String(v, "otherwise of "+what); ok {
				s.Otherwise = Text{t, PosOf(v)}
			}
		case "next":
			if t, ok := d.String(v, "next of "+what); ok {
				s.Next = Text{t, PosOf(v)}
			}
		case "needs":
			s.Needs = d.Texts(v, "needs of "+what)
		case "title":
			s.Title, _ = d.String(v, "title of "+what)
		case "note":
			s.Note, _ = d.Prose(v, "note of "+what)
		case "ui":
			s.UI = d.Texts(v, "ui of "+what)
		case "doc":
			s.Doc = d.Texts(v, "doc of "+what)
		case "setting":
			s.Setting = d.Texts(v, "setting of "+what)
		case "visibility":
			s.Visibility = decodeVisibility(d, v, what)
		}
	})
	if !ok {
		return nil
	}
	if !hasID {
		d.Require(n, what, nil, "id")
	}
	switch kinds {
	case 0:
		d.Errorf(n, RuleStepKind, "%s needs one of check, action, reply, escalate, outcome", what)
	case 1:
	default:
		d.Errorf(kindNodes[1], RuleStepKind, "%s has both %s and %s; a step is exactly one kind", what, kindKeys[0], kindKeys[1])
	}
	for i, m := range misplaced {
		if misplacedPos[i].Line != 0 && s.Kind != "" && !strings.Contains(m.kinds, s.Kind) {
			d.At(misplacedPos[i], RuleMisplacedKey, "%s is %s %s step; %q belongs only on %s steps", what, article(s.Kind), s.Kind, m.key, m.kinds)
		}
	}
	return s
}

// PeekID reads a mapping's id before it is decoded, so messages about any
// of its keys (before or after the id) can name it.
func PeekID(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "id" && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// StepKindKeys returns the keys a step of kind allows: its kind key, the
// keys every step takes and the kind-specific keys that belong on it (the
// JSON Schema's branch for the kind is checked against it by a test).
func StepKindKeys(kind string) []string {
	var keys []string
	for _, k := range StepKeys {
		if k != kind && slices.Contains(StepKinds, k) {
			continue
		}
		belongs := true
		for _, m := range misplaced {
			if m.key == k && !strings.Contains(m.kinds, kind) {
				belongs = false
			}
		}
		if belongs {
			keys = append(keys, k)
		}
	}
	return keys
}

// misplaced says which step kinds each kind-specific key belongs to.
var misplaced = [...]struct{ key, kinds string }{
	{"on", StepCheck},
	{"otherwise", StepCheck},
	{"needs", StepEscalate},
	{"next", "check, action, reply and escalate"},
}

func decodeVisibility(d *Decoder, v *yaml.Node, what string) string {
	s, ok := d.String(v, "visibility of "+what)
	if !ok {
		return Internal
	}
	if s != Internal && s != Customer {
		d.Errorf(v, RuleBadValue, "visibility of %s must be internal or customer, not %q", what, s)
		return Internal
	}
	return s
}

func decodeReplies(d *Decoder, p *Playbook, n *yaml.Node) {
	d.Mapping(n, "replies", nil, func(name string, k, v *yaml.Node) {
		what := fmt.Sprintf("reply %q", name)
		r := &Reply{Name: name, Pos: PosOf(k), Visibility: Customer}
		d.Mapping(v, what, ReplyKeys, func(key string, k, v *yaml.Node) {
			switch key {
			case "summary":
				r.Default.Summary = r.part(d, v, "summary of "+what)
			case "cause":
				r.Default.Cause = r.part(d, v, "cause of "+what)
			case "fix":
				r.Default.Fix = r.part(d, v, "fix of "+what)
			case "docs":
				r.Docs = d.Texts(v, "docs of "+what)
			case "visibility":
				r.Visibility = decodeVisibility(d, v, what)
			case "audiences":
				d.Mapping(v, "audiences of "+what, nil, func(aud string, k, v *yaml.Node) {
					a := AudienceParts{Name: aud, Pos: PosOf(k)}
					awhat := fmt.Sprintf("audience %q of %s", aud, what)
					d.Mapping(v, awhat, AudienceKeys, func(key string, k, v *yaml.Node) {
						switch key {
						case "summary":
							a.Parts.Summary = r.part(d, v, "summary of "+awhat)
						case "cause":
							a.Parts.Cause = r.part(d, v, "cause of "+awhat)
						case "fix":
							a.Parts.Fix = r.part(d, v, "fix of "+awhat)
						case "forward":
							if to, ok := d.String(v, "forward of "+awhat); ok {
								a.Forward = Text{to, PosOf(d.Resolve(v))}
							}
						}
					})
					r.Audiences = append(r.Audiences, a)
				})
			}
		})
		p.Replies = append(p.Replies, r)
		p.replies[name] = r
	})
}

// part reads one part of a reply, remembering where it was written.
func (r *Reply) part(d *Decoder, v *yaml.Node, what string) string {
	s, ok := d.Prose(v, what)
	if ok {
		r.texts = append(r.texts, Text{s, PosOf(d.Resolve(v))})
	}
	return s
}
