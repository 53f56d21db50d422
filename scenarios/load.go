package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/casebook/casebook/playbooks"
	"go.yaml.in/yaml/v3"
)

// The keys each object of the format allows (kept equal to the JSON Schema
// by a test).
var (
	ScenarioKeys  = []string{"casebook", "id", "title", "playbook", "channel", "ticket", "persona", "truth", "stated", "answers", "removed", "traps", "replies", "recording"}
	TicketKeys    = []string{"opening", "metadata"}
	PersonaKeys   = []string{"name", "role", "tone", "does_not_know"}
	UnknownKeys   = []string{"answer", "cost"}
	TrapKeys      = []string{"id", "label", "answer", "cost", "findings", "refs", "reply"}
	ReplyKeys     = []string{"findings", "answer"}
	RecordingKeys = []string{"tier", "moves"}
	MoveKeys      = []string{"at", "move"}
)

// Rule ids of scenario findings (besides the schema rules shared with
// playbooks: unknown-key, wrong-type, ...).
const (
	RulePlaybook   = "scenario-playbook"
	RuleTruth      = "scenario-truth"
	RuleStated     = "scenario-stated"
	RuleTrap       = "scenario-trap"
	RuleCaseReply  = "scenario-reply"
	RuleMove       = "scenario-move"
	RuleReference  = "scenario-reference"
	RulePersona    = "scenario-persona"
	RuleGoldenLoop = "scenario-golden-loop"
)

// Rules lists the scenario rules with a one-line description.
var Rules = []playbooks.Rule{
	{ID: RulePlaybook, Kind: "scenario", Description: "the playbook id@range names no playbook of the library, or no version in the range"},
	{ID: RuleTruth, Kind: "scenario", Description: "truth, answers or ticket metadata for an unknown fact or with an illegal value, or a fact the golden path needs without a value"},
	{ID: RuleStated, Kind: "scenario", Description: "a stated fact the playbook does not declare"},
	{ID: RuleTrap, Kind: "scenario", Description: "a trap with a duplicate id, a bad cost or no findings"},
	{ID: RuleCaseReply, Kind: "scenario", Description: "a case reply (replies:) that names no reply of the playbook or earns no finding"},
	{ID: RuleMove, Kind: "scenario", Description: "a recorded move that is not a legal move for the scenario and its playbook"},
	{ID: RuleReference, Kind: "scenario", Description: "a removed reference, or a reference a trap uses, that is not ui:PATH, doc:PATH or setting:NAME"},
	{ID: RulePersona, Kind: "scenario", Description: "a persona role that is not one of the playbook's audiences, an unknown tone, or a fact the persona does not know that the playbook does not declare (or a bad cost for it)"},
	{ID: RuleGoldenLoop, Kind: "scenario", Description: "the truth leads the golden path round a loop of the playbook for ever (train and show refuse the scenario)"},
}

// Parse reads a scenario document (already parsed by playbooks.ParseDocument)
// and reports schema problems. Checks against the playbook come from Check.
func Parse(doc *playbooks.Document) (*Scenario, []playbooks.Finding) {
	d := playbooks.NewDecoder(doc.File, playbooks.DefaultMaxNodes)
	s := &Scenario{File: doc.File, Src: doc.Src, Pos: map[string]playbooks.Pos{}}
	present := map[string]bool{}
	d.Mapping(doc.Root, "the scenario", ScenarioKeys, func(key string, k, v *yaml.Node) {
		present[key] = true
		s.Pos[key] = playbooks.PosOf(v)
		s.Pos[key+":"] = playbooks.PosOf(k)
		switch key {
		case "casebook":
		case "id":
			if id, ok := d.String(v, "id"); ok {
				s.ID = id
				if !playbooks.ValidID(id) {
					d.Errorf(v, playbooks.RuleBadID, "id %q must be lower-case letters, digits and dashes", id)
				}
			}
		case "title":
			s.Title, _ = d.String(v, "title")
		case "playbook":
			ref, ok := d.String(v, "playbook")
			if !ok {
				return
			}
			id, rng, found := strings.Cut(ref, "@")
			if !found || id == "" || rng == "" {
				// The example is the file's own id where it has one, never
				// the founding case's.
				example := id
				if example == "" || strings.ContainsAny(example, " \t") {
					example = "my-playbook"
				}
				d.Errorf(v, RulePlaybook, "playbook %q must be ID@RANGE, e.g. %s@^1", ref, Clip(example))
				return
			}
			s.Playbook, s.Range = id, rng
			c, err := semver.NewConstraint(rng)
			if err != nil {
				d.Errorf(v, playbooks.RuleBadRange, "playbook range %q is not a version range (like ^2 or \">=2.1 <3\")", rng)
				return
			}
			s.constraint = c
		case "channel":
			if ch, ok := d.String(v, "channel"); ok {
				s.Channel = ch
				if ch != ChannelChat && ch != ChannelEmail {
					d.Errorf(v, playbooks.RuleBadValue, "channel must be chat or email, not %q", ch)
				}
			}
		case "ticket":
			tp := map[string]bool{}
			d.Mapping(v, "ticket", TicketKeys, func(key string, k, v *yaml.Node) {
				tp[key] = true
				switch key {
				case "opening":
					s.Opening, _ = d.Prose(v, "the ticket's opening")
				case "metadata":
					s.Metadata = pairs(d, v, "the ticket's metadata", d.Scalar)
				}
			})
			if d.Resolve(v) != nil && d.Resolve(v).Kind == yaml.MappingNode {
				d.Require(v, "ticket", tp, "opening")
			}
		case "persona":
			d.Mapping(v, "persona", PersonaKeys, func(key string, k, v *yaml.Node) {
				switch key {
				case "name":
					s.Persona.Name, _ = d.String(v, "the persona's name")
				case "role":
					s.Persona.Role, _ = d.String(v, "the persona's role")
					s.Pos["persona.role"] = playbooks.PosOf(v)
				case "tone":
					if t, ok := d.String(v, "the persona's tone"); ok {
						s.Persona.Tone = t
						if !slices.Contains(Tones, t) {
							d.Errorf(v, RulePersona, "tone must be one of %s, not %q", strings.Join(Tones, ", "), t)
						}
					}
				case "does_not_know":
					s.Persona.DoesNotKnow = decodeUnknowns(d, v)
				}
			})
		case "truth":
			s.Truth = pairs(d, v, "truth", d.Scalar)
		case "answers":
			s.Answers = pairs(d, v, "answers", d.ScalarProse)
		case "stated":
			s.Stated = d.List(v, "stated")
		case "removed":
			s.Removed = d.List(v, "removed")
			checkRefs(d, s.Removed, "removed reference")
		case "traps":
			decodeTraps(d, s, v)
		case "replies":
			decodeReplies(d, s, v)
		case "recording":
			decodeRecording(d, s, v)
		}
	})
	d.Require(doc.Root, "the scenario", present, "id", "title", "playbook", "channel", "ticket", "persona", "truth", "stated", "traps")
	return s, d.Findings
}

// decodeUnknowns reads persona.does_not_know: a list of fact names, or
// fact name → {answer, cost} (either optional, the mapping may be empty).
func decodeUnknowns(d *playbooks.Decoder, n *yaml.Node) []Unknown {
	n = d.Resolve(n)
	if n == nil {
		return nil
	}
	const what = "the persona's does_not_know"
	var out []Unknown
	if n.Kind == yaml.SequenceNode {
		for _, t := range d.List(n, what) {
			out = append(out, Unknown{Fact: t, Answer: DefaultUnknownAnswer})
		}
		return out
	}
	d.Mapping(n, what, nil, func(fact string, k, v *yaml.Node) {
		u := Unknown{Fact: playbooks.Text{Value: fact, Pos: playbooks.PosOf(k)}, Answer: DefaultUnknownAnswer}
		uwhat := fmt.Sprintf("%s of %s", fact, what)
		if r := d.Resolve(v); r != nil && !(r.Kind == yaml.ScalarNode && r.Tag == "!!null") {
			d.Mapping(v, uwhat, UnknownKeys, func(key string, k, v *yaml.Node) {
				switch key {
				case "answer":
					if a, ok := d.Prose(v, "answer of "+uwhat); ok {
						u.Answer = a
					}
				case "cost":
					if c, ok := d.String(v, "cost of "+uwhat); ok {
						dur, err := ParseDuration(c)
						if err != nil {
							d.Errorf(v, RulePersona, "cost of %s: %v", uwhat, err)
						}
						u.Cost, u.HasCost = dur, err == nil
					}
				}
			})
		}
		out = append(out, u)
	})
	return out
}

// checkRefs reports each reference that is not ui:PATH, doc:PATH or
// setting:NAME, read as what.
func checkRefs(d *playbooks.Decoder, refs []playbooks.Text, what string) {
	for _, r := range refs {
		kind, path, ok := strings.Cut(r.Value, ":")
		if !ok || path == "" || (kind != "ui" && kind != "doc" && kind != "setting") {
			d.At(r.Pos, RuleReference, "%s %q must be ui:PATH, doc:PATH or setting:NAME", what, r.Value)
		}
	}
}

// checkFindingIDs reports each finding of what (a trap, a case reply)
// that is not a rule id: lower-case letters, digits and dashes.
func checkFindingIDs(d *playbooks.Decoder, findings []playbooks.Text, what string) {
	for _, f := range findings {
		if !playbooks.ValidID(f.Value) {
			d.At(f.Pos, playbooks.RuleBadID, "finding %q of %s must be a rule id: lower-case letters, digits and dashes", f.Value, what)
		}
	}
}

// pairs reads a mapping of scalar values in file order, each with read
// (one-line values or prose).
func pairs(d *playbooks.Decoder, n *yaml.Node, what string, read func(*yaml.Node, string) (string, bool)) []Pair {
	var out []Pair
	d.Mapping(n, what, nil, func(key string, k, v *yaml.Node) {
		if val, ok := read(v, fmt.Sprintf("%s of %s", key, what)); ok {
			out = append(out, Pair{Key: key, Value: val, Pos: playbooks.PosOf(k), ValuePos: playbooks.PosOf(d.Resolve(v))})
		}
	})
	return out
}

func decodeTraps(d *playbooks.Decoder, s *Scenario, n *yaml.Node) {
	n = d.Resolve(n)
	if n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, playbooks.RuleWrongType, "traps must be a list")
		return
	}
	seen := map[string]int{}
	for i, item := range n.Content {
		t := &Trap{Pos: playbooks.PosOf(item)}
		what := fmt.Sprintf("trap %d", i+1)
		if id := playbooks.PeekID(d.Resolve(item)); id != "" {
			what = fmt.Sprintf("trap %q", id)
		}
		var findingsNode *yaml.Node
		present := map[string]bool{}
		ok := d.Mapping(item, what, TrapKeys, func(key string, k, v *yaml.Node) {
			present[key] = true
			switch key {
			case "id":
				if id, ok := d.String(v, "id of "+what); ok {
					t.ID, t.Pos = id, playbooks.PosOf(v)
					if !playbooks.ValidID(id) {
						d.Errorf(v, playbooks.RuleBadID, "trap id %q must be lower-case letters, digits and dashes", id)
					}
					if line, dup := seen[id]; dup {
						d.Errorf(v, RuleTrap, "trap id %q is used twice (first on line %d)", id, line)
					}
					seen[id] = v.Line
				}
			case "label":
				t.Label, _ = d.String(v, "label of "+what)
			case "answer":
				t.Answer, _ = d.Prose(v, "answer of "+what)
			case "cost":
				if c, ok := d.String(v, "cost of "+what); ok {
					dur, err := ParseDuration(c)
					if err != nil {
						d.Errorf(v, RuleTrap, "cost of %s: %v", what, err)
					}
					t.Cost = dur
				}
			case "findings":
				findingsNode = d.Resolve(v)
				t.Findings = d.Texts(v, "findings of "+what)
				checkFindingIDs(d, t.Findings, what)
			case "refs":
				t.Refs = d.Texts(v, "refs of "+what)
				checkRefs(d, t.Refs, "reference of "+what)
			case "reply":
				// A YAML boolean (true, True, false, ...), as the schema
				// says: "true" in quotes is text.
				if b, ok := d.Scalar(v, "reply of "+what); ok {
					if r := d.Resolve(v); r.Tag != "!!bool" {
						d.Errorf(v, playbooks.RuleWrongType, "reply of %s must be true or false, not %q", what, b)
					} else {
						t.Reply = strings.EqualFold(b, "true")
					}
				}
			}
		})
		if !ok {
			if d.RestLike(n.Content, i, "traps", "a mapping") {
				return
			}
			continue
		}
		d.Require(item, what, present, "id", "label", "answer", "cost", "findings")
		if findingsNode != nil && findingsNode.Kind == yaml.SequenceNode && len(findingsNode.Content) == 0 {
			d.Errorf(findingsNode, RuleTrap, "%s earns no finding; name at least one", what)
		}
		s.Traps = append(s.Traps, t)
	}
}

// decodeReplies reads the playbook replies the scenario ties to findings.
func decodeReplies(d *playbooks.Decoder, s *Scenario, n *yaml.Node) {
	d.Mapping(n, "replies", nil, func(key string, k, v *yaml.Node) {
		r := &CaseReply{Template: key, Pos: playbooks.PosOf(k)}
		what := fmt.Sprintf("reply %q", key)
		present := map[string]bool{}
		var findingsNode *yaml.Node
		if !d.Mapping(v, what, ReplyKeys, func(key string, k, v *yaml.Node) {
			present[key] = true
			switch key {
			case "findings":
				findingsNode = d.Resolve(v)
				r.Findings = d.Texts(v, "findings of "+what)
				checkFindingIDs(d, r.Findings, what)
			case "answer":
				r.Answer, _ = d.Prose(v, "answer of "+what)
			}
		}) {
			return
		}
		d.Require(v, what, present, "findings")
		if findingsNode != nil && findingsNode.Kind == yaml.SequenceNode && len(findingsNode.Content) == 0 {
			d.Errorf(findingsNode, RuleCaseReply, "%s earns no finding; name at least one", what)
		}
		s.Replies = append(s.Replies, r)
	})
}

func decodeRecording(d *playbooks.Decoder, s *Scenario, n *yaml.Node) {
	r := &Recording{}
	present := map[string]bool{}
	ok := d.Mapping(n, "recording", RecordingKeys, func(key string, k, v *yaml.Node) {
		present[key] = true
		switch key {
		case "tier":
			if t, ok := d.String(v, "the recording's tier"); ok {
				r.Tier = playbooks.Text{Value: t, Pos: playbooks.PosOf(v)}
			}
		case "moves":
			v = d.Resolve(v)
			if v == nil {
				return
			}
			if v.Kind != yaml.SequenceNode {
				d.Errorf(v, playbooks.RuleWrongType, "moves of the recording must be a list")
				return
			}
			var last time.Time
			for i, item := range v.Content {
				m := RecordedMove{Pos: playbooks.PosOf(item)}
				what := fmt.Sprintf("recorded move %d", i+1)
				mp := map[string]bool{}
				ok := d.Mapping(item, what, MoveKeys, func(key string, k, v *yaml.Node) {
					mp[key] = true
					switch key {
					case "at":
						if at, ok := d.String(v, "at of "+what); ok {
							t, err := time.Parse(time.RFC3339, at)
							if err != nil {
								d.Errorf(v, playbooks.RuleBadValue, "at of %s must be an RFC 3339 time like 2023-10-02T09:00:00Z, not %q", what, at)
							} else if t.Before(last) {
								d.Errorf(v, RuleMove, "%s at %s is earlier than the move before it", what, at)
							}
							m.At = t
							if t.After(last) {
								last = t
							}
						}
					case "move":
						if mv, ok := d.String(v, "move of "+what); ok {
							m.Move, m.Pos = mv, playbooks.PosOf(v)
						}
					}
				})
				if !ok {
					if d.RestLike(v.Content, i, "moves of the recording", "a mapping") {
						return
					}
					continue
				}
				d.Require(item, what, mp, "at", "move")
				r.Moves = append(r.Moves, m)
			}
		}
	})
	if ok {
		d.Require(n, "recording", present, "tier", "moves")
		s.Recording = r
	}
}
