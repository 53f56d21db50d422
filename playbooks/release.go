package playbooks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"
)

// KindRelease is the value of the `casebook:` key of a release manifest.
const KindRelease = "release/v1"

// A Manifest is what a product release has: its UI paths, settings, doc
// pages and capabilities, and what it removed.
type Manifest struct {
	File         string
	Product      string
	Version      string
	UI           []string
	Settings     []string
	Docs         []string
	Capabilities []string
	Intents      []string // optional: the customer intents the release must cover
	Removed      []Removal
	Pos          map[string]Pos

	version *semver.Version
	has     map[string]bool // "ui:PATH", "doc:PATH", "setting:NAME", "capability:NAME"
	removal map[string]int  // index in Removed, by Ref
}

// A Removal is a reference the release no longer has, and what replaced it.
type Removal struct {
	Ref        string `json:"ref"`
	ReplacedBy string `json:"replaced_by,omitempty"`
	Note       string `json:"note,omitempty"`
}

// The keys of a manifest.
var (
	ManifestKeys = []string{"casebook", "product", "version", "ui", "settings", "docs", "capabilities", "intents", "removed"}
	RemovalKeys  = []string{"ref", "replaced_by", "note"}
)

// Has reports whether the release has a reference ("ui:PATH", ...).
func (m *Manifest) Has(ref string) bool { return m.has[ref] }

// Removal returns what the manifest says about a removed reference (the
// first entry, if it names the reference twice).
func (m *Manifest) Removal(ref string) *Removal {
	if i, ok := m.removal[ref]; ok {
		return &m.Removed[i]
	}
	return nil
}

// ParseManifest parses a release manifest.
func ParseManifest(file string, src []byte) (*Manifest, []Finding) {
	doc, fs := ParseDocument(file, src)
	if doc.Root == nil {
		return nil, fs
	}
	if doc.Kind != KindRelease {
		return nil, append(fs, Finding{File: file, Line: doc.KindPos.Line, Col: doc.KindPos.Col, Rule: RuleBadKind, Severity: SeverityError,
			Message: fmt.Sprintf("casebook: %q is not a release manifest; expected %q", doc.Kind, KindRelease)})
	}
	m, more := DecodeManifest(doc)
	return m, append(fs, more...)
}

// DecodeManifest builds a manifest from a parsed document.
func DecodeManifest(doc *Document) (*Manifest, []Finding) {
	d := NewDecoder(doc.File, DefaultMaxNodes)
	m := &Manifest{File: doc.File, Pos: map[string]Pos{}, has: map[string]bool{}}
	present := map[string]bool{}
	list := func(v *yaml.Node, what, prefix string) []string {
		var out []string
		for _, t := range d.List(v, what) {
			out = append(out, t.Value)
			m.has[prefix+":"+t.Value] = true
		}
		return out
	}
	d.Mapping(doc.Root, "the release manifest", ManifestKeys, func(key string, k, v *yaml.Node) {
		present[key] = true
		m.Pos[key] = PosOf(v)
		switch key {
		case "product":
			m.Product, _ = d.String(v, "product")
		case "version":
			if s, ok := d.Scalar(v, "version"); ok {
				m.Version = s
				ver, err := semver.NewVersion(s)
				if err != nil {
					d.Errorf(v, RuleBadVersion, "version %q is not a product version (like \"2024.2\")", s)
				}
				m.version = ver
			}
		case "ui":
			m.UI = list(v, "ui", "ui")
		case "settings":
			m.Settings = list(v, "settings", "setting")
		case "docs":
			m.Docs = list(v, "docs", "doc")
		case "capabilities":
			m.Capabilities = list(v, "capabilities", "capability")
		case "intents":
			for _, t := range d.List(v, "intents") {
				m.Intents = append(m.Intents, t.Value)
			}
		case "removed":
			v = d.Resolve(v)
			if v == nil {
				return
			}
			if v.Kind != yaml.SequenceNode {
				d.Errorf(v, RuleWrongType, "removed must be a list of {ref, replaced_by, note}")
				return
			}
			for i, item := range v.Content {
				var r Removal
				what := fmt.Sprintf("removed item %d", i+1)
				rp := map[string]bool{}
				ok := d.Mapping(item, what, RemovalKeys, func(key string, k, v *yaml.Node) {
					rp[key] = true
					switch key {
					case "ref":
						r.Ref, _ = d.String(v, "ref of "+what)
						if !validRef(r.Ref) {
							d.Errorf(v, RuleBadValue, "ref %q must be ui:PATH, doc:PATH, setting:NAME or capability:NAME", r.Ref)
						}
					case "replaced_by":
						r.ReplacedBy, _ = d.String(v, "replaced_by of "+what)
						if !validRef(r.ReplacedBy) {
							d.Errorf(v, RuleBadValue, "replaced_by %q must be ui:PATH, doc:PATH, setting:NAME or capability:NAME", r.ReplacedBy)
						}
					case "note":
						r.Note, _ = d.Prose(v, "note of "+what)
					}
				})
				if !ok {
					if d.RestLike(v.Content, i, "removed", "a mapping") {
						return
					}
					continue
				}
				d.Require(item, what, rp, "ref")
				m.Removed = append(m.Removed, r)
			}
		}
	})
	d.Require(doc.Root, "the release manifest", present, "product", "version", "ui", "settings", "docs", "capabilities")
	// An index, so a release check stays linear however long the list.
	m.removal = make(map[string]int, len(m.Removed))
	for i := len(m.Removed) - 1; i >= 0; i-- {
		m.removal[m.Removed[i].Ref] = i
	}
	return m, d.Findings
}

func validRef(ref string) bool {
	kind, rest, ok := strings.Cut(ref, ":")
	return ok && rest != "" && slices.Contains([]string{"ui", "doc", "setting", "capability"}, kind)
}

// Release rule ids.
const (
	RuleReleaseMissing   = "release-missing-reference"
	RuleReleaseRemoved   = "release-removed-reference"
	RuleReleaseStale     = "release-stale-review"
	RuleReleaseGap       = "release-coverage-gap"
	RuleReleaseDuplicate = "release-duplicate-guidance"
)

// ReleaseRules lists the release gate's rules on playbooks (CheckRelease);
// the gate's scenario rule is simulator's, which derives golden paths.
var ReleaseRules = []Rule{
	{RuleReleaseRemoved, "release", "a playbook references UI, a setting, a doc or a capability the release removed (the manifest names the replacement)"},
	{RuleReleaseMissing, "release", "a playbook references UI, a setting, a doc or a capability the release does not have"},
	{RuleReleaseStale, "release", "a playbook valid for the release was last reviewed for an older release"},
	{RuleReleaseGap, "release", "a customer intent has no playbook valid for the release"},
	{RuleReleaseDuplicate, "release", "a customer intent has two or more playbooks valid for the release (one source of truth)"},
}

// Valid lists the playbooks of the manifest's product whose applies_to
// includes the release version, newest first per id.
func (l *Library) Valid(m *Manifest) []*Playbook {
	var out []*Playbook
	if m.version == nil {
		return nil
	}
	for _, p := range l.Sorted() {
		if p.Product == m.Product && p.Applies(m.version) {
			out = append(out, p)
		}
	}
	return out
}

// CheckRelease checks every playbook valid for the release against its
// manifest: references exist, reviews are current, and every intent has
// exactly one playbook.
func CheckRelease(m *Manifest, l *Library) []Finding {
	var fs []Finding
	at := func(file string, p Pos, rule RuleID, format string, args ...any) {
		fs = append(fs, ErrorAt(file, p, rule, format, args...))
	}
	valid := l.Valid(m)
	for _, p := range valid {
		check := func(kind string, t Text, step string) {
			ref := kind + ":" + t.Value
			if m.Has(ref) {
				return
			}
			if r := m.Removal(ref); r != nil {
				msg := fmt.Sprintf("%s %s (step %s) was removed in %s %s", kind, t.Value, step, m.Product, m.Version)
				if r.ReplacedBy != "" {
					msg += "; use " + r.ReplacedBy + " instead"
				}
				if r.Note != "" {
					msg += " (" + r.Note + ")"
				}
				at(p.File, t.Pos, RuleReleaseRemoved, "%s", msg)
				return
			}
			at(p.File, t.Pos, RuleReleaseMissing, "%s %s (step %s) is not in %s %s", kind, t.Value, step, m.Product, m.Version)
		}
		for _, s := range p.Steps {
			for _, t := range s.UI {
				check("ui", t, s.ID)
			}
			for _, t := range s.Doc {
				check("doc", t, s.ID)
			}
			for _, t := range s.Setting {
				check("setting", t, s.ID)
			}
			if s.Kind == StepAction {
				check("capability", s.Subject, s.ID)
			}
			for _, t := range s.Needs {
				check("capability", t, s.ID)
			}
		}
		for _, r := range p.Replies {
			for _, t := range r.Docs {
				check("doc", t, "reply "+r.Name)
			}
		}
		if rv := p.Reviewed(); rv != nil && m.version != nil && rv.LessThan(m.version) {
			at(p.File, p.Pos["reviewed_for"], RuleReleaseStale, "playbook %s was last reviewed for %s, not for %s; %s",
				p.ID, p.ReviewedFor, m.Version, reviewHint(l, p.ID, m.Version))
		}
	}
	// One source of truth per intent.
	byIntent := map[string][]*Playbook{}
	var intents []string
	seenID := map[string]bool{}
	for _, p := range valid {
		if seenID[p.ID] {
			continue // an older version of the same playbook is not a second source
		}
		seenID[p.ID] = true
		for _, in := range p.Intents {
			if _, ok := byIntent[in.Value]; !ok {
				intents = append(intents, in.Value)
			}
			byIntent[in.Value] = append(byIntent[in.Value], p)
		}
	}
	for _, in := range intents {
		ps := byIntent[in]
		if len(ps) > 1 {
			var names []string
			for _, q := range ps {
				names = append(names, q.ID+" ("+q.File+")")
			}
			for _, q := range ps[1:] {
				at(q.File, intentPos(q, in), RuleReleaseDuplicate, "intent %s has %d playbooks valid for %s %s: %s; keep one source of truth",
					in, len(ps), m.Product, m.Version, strings.Join(names, ", "))
			}
		}
	}
	// Intents with no valid playbook: those the manifest lists, and those
	// of the product's playbooks for other versions.
	// Maps, not searches, so that the check stays linear in the library.
	wanted := slices.Clone(m.Intents)
	firstWith := map[string]*Playbook{} // the first of the product's playbooks naming each intent
	for _, in := range m.Intents {
		firstWith[in] = nil
	}
	for _, p := range l.Sorted() {
		if p.Product != m.Product {
			continue
		}
		for _, in := range p.Intents {
			q, seen := firstWith[in.Value]
			if !seen {
				wanted = append(wanted, in.Value)
			}
			if q == nil {
				firstWith[in.Value] = p
			}
		}
	}
	for _, in := range wanted {
		if len(byIntent[in]) > 0 {
			continue
		}
		where, pos := m.File, m.Pos["intents"]
		if pos.Line == 0 {
			pos = m.Pos["version"]
		}
		if p := firstWith[in]; p != nil {
			where, pos = p.File, p.Pos["applies_to"]
		}
		at(where, pos, RuleReleaseGap, "intent %s has no playbook valid for %s %s", in, m.Product, m.Version)
	}
	SortFindings(fs)
	return fs
}

func intentPos(p *Playbook, intent string) Pos {
	for _, t := range p.Intents {
		if t.Value == intent {
			return t.Pos
		}
	}
	return p.Pos["intents"]
}

// reviewHint says how to sign a stale playbook off: the release review
// command with the library's --library, or, for the embedded library,
// which cannot be edited, where to get an editable copy.
func reviewHint(l *Library, id, version string) string {
	if l.Dir == "" {
		return "review it in an editable copy of the library (see casebook init --help)"
	}
	return "review it (" + CommandLine("release", "review", id, "--for", version, "--library", l.Dir) + ")"
}
