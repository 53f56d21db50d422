package playbooks

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Decoder walks yaml.Node trees, collecting findings instead of stopping at
// the first. It checks unknown and duplicate keys itself and follows aliases
// within a node budget. Other packages (scenarios, ...) use it for their own
// formats so every file kind reports problems the same way.
type Decoder struct {
	File     string
	Findings []Finding
	limit    findingCap
	count    int // findings made, counted or not
	budget   int
	bombed   bool
	// suggested remembers, per mapping, the known keys suggested for
	// unknown ones, so a misspelt required key is reported once.
	suggested map[*yaml.Node]map[string]bool
}

// NewDecoder returns a decoder for file that follows aliases until maxNodes
// nodes have been visited through them.
func NewDecoder(file string, maxNodes int) *Decoder {
	return &Decoder{File: file, budget: maxNodes}
}

// Errorf records an error finding at n.
func (d *Decoder) Errorf(n *yaml.Node, rule RuleID, format string, args ...any) {
	d.At(posOf(n), rule, format, args...)
}

// At records an error finding at p.
func (d *Decoder) At(p Pos, rule RuleID, format string, args ...any) {
	d.count++
	d.Findings = d.limit.add(d.Findings, d.File, p, rule, format, args...)
}

// Count is how many findings the decoder has made, including those past
// MaxFindingsPerRule that Findings only counts.
func (d *Decoder) Count() int { return d.count }

func posOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{1, 1}
	}
	return Pos{n.Line, n.Column}
}

// PosOf returns the position of n.
func PosOf(n *yaml.Node) Pos { return posOf(n) }

// Resolve follows an alias to the node it names, charging the size of that
// node against the decoder's budget. It returns nil once the budget is spent.
func (d *Decoder) Resolve(n *yaml.Node) *yaml.Node {
	if n == nil || n.Kind != yaml.AliasNode {
		return n
	}
	if d.bombed {
		return nil
	}
	target := n.Alias
	if target == nil {
		return nil
	}
	d.budget -= countNodes(target, d.budget+1)
	if d.budget < 0 {
		d.bombed = true
		d.Errorf(n, RuleAliasLimit, "aliases expand beyond the limit of nodes; refusing to expand *%s", n.Value)
		return nil
	}
	return target
}

// countNodes counts the nodes under n (aliases counted by their targets),
// stopping once max is passed.
func countNodes(n *yaml.Node, max int) int {
	count := 0
	stack := []*yaml.Node{n}
	for len(stack) > 0 && count <= max {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		count++
		if x.Kind == yaml.AliasNode && x.Alias != nil {
			stack = append(stack, x.Alias)
			continue
		}
		stack = append(stack, x.Content...)
	}
	return count
}

// Mapping walks the key/value pairs of a mapping node. It reports a wrong
// type, duplicate keys and keys not in known (suggesting the closest known
// key), and calls fn for each known key. what names the mapping in messages.
// It returns false when n is not a mapping.
func (d *Decoder) Mapping(n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node)) bool {
	n = d.Resolve(n)
	if n == nil {
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, RuleWrongType, "%s must be a mapping, not %s", what, describe(n))
		return false
	}
	// Duplicate keys: small mappings (nearly all) are scanned, large ones
	// use a map, so the check stays linear on hostile input.
	var seen map[string]int
	if len(n.Content) > 32 {
		seen = make(map[string]int, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.Errorf(k, RuleWrongType, "a key in %s must be a plain string, not %s", what, describe(k))
			continue
		}
		if line, dup := firstKey(n, i, seen); dup {
			d.Errorf(k, RuleDuplicateKey, "%q appears twice in %s (first on line %d)", k.Value, what, line)
			continue
		}
		if seen != nil {
			seen[k.Value] = k.Line
		}
		if k.Value == "<<" && k.Tag == "!!merge" {
			d.Errorf(k, RuleUnknownKey, "YAML merge keys (<<) are not supported in %s; write the keys out", what)
			continue
		}
		if known != nil && !slices.Contains(known, k.Value) {
			if d.limit.full(RuleUnknownKey) {
				// Only counted now: spare the search for a suggestion.
				d.Errorf(k, RuleUnknownKey, "")
				continue
			}
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := closest(k.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
				if d.suggested == nil {
					d.suggested = map[*yaml.Node]map[string]bool{}
				}
				if d.suggested[n] == nil {
					d.suggested[n] = map[string]bool{}
				}
				d.suggested[n][s] = true
			}
			d.Errorf(k, RuleUnknownKey, "%s", msg)
			continue
		}
		if _, bad := badChar(k.Value, false); bad {
			d.checkText(k, fmt.Sprintf("the key %q in %s", k.Value, what), k.Value, false)
		}
		fn(k.Value, k, v)
	}
	return true
}

// firstKey reports whether the key at content index i appeared before in
// the mapping n, and on which line.
func firstKey(n *yaml.Node, i int, seen map[string]int) (int, bool) {
	k := n.Content[i]
	if seen != nil {
		line, ok := seen[k.Value]
		return line, ok
	}
	for j := 0; j < i; j += 2 {
		if p := n.Content[j]; p.Kind == yaml.ScalarNode && p.Value == k.Value {
			return p.Line, true
		}
	}
	return 0, false
}

// Require reports each key of required that the mapping n lacks, unless an
// unknown key of n was already reported as its likely misspelling.
func (d *Decoder) Require(n *yaml.Node, what string, present map[string]bool, required ...string) {
	n = d.Resolve(n)
	var missing []string
	for _, r := range required {
		if !present[r] && !d.suggested[n][r] {
			missing = append(missing, r)
		}
	}
	switch len(missing) {
	case 0:
	case 1:
		d.Errorf(n, RuleMissingKey, "%s lacks the required key %q", what, missing[0])
	default:
		d.Errorf(n, RuleMissingKey, "%s lacks the required keys %s", what, strings.Join(missing, ", "))
	}
}

// String returns the text of a one-line string (an id, a title, a
// reference), reporting any other kind of node, any control character or
// line break in it, and a number or boolean where text belongs (title: 123
// is refused, as the JSON Schema refuses it: quote it if it is text).
func (d *Decoder) String(n *yaml.Node, what string) (string, bool) {
	return d.text(n, what, false, true)
}

// Scalar is String for the values the format reads as text whatever YAML
// made of them: versions, ranges and fact values (2023.10 stays "2023.10",
// true stays "true").
func (d *Decoder) Scalar(n *yaml.Node, what string) (string, bool) {
	return d.text(n, what, false, false)
}

// Prose is String for multi-line text (a note, a reply part, a customer's
// message): newlines and tabs are allowed, other control characters not.
func (d *Decoder) Prose(n *yaml.Node, what string) (string, bool) {
	return d.text(n, what, true, true)
}

// ScalarProse is Prose that also takes a number or boolean as written (a
// customer's answer of 42).
func (d *Decoder) ScalarProse(n *yaml.Node, what string) (string, bool) {
	return d.text(n, what, true, false)
}

func (d *Decoder) text(n *yaml.Node, what string, prose, onlyStrings bool) (string, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return "", false
	}
	n = d.Resolve(n)
	if onlyStrings && !isText(n) {
		d.Errorf(n, RuleWrongType, "%s must be text, not the %s %s; quote it if it is meant as text", what, scalarKind(n), n.Value)
		return "", false
	}
	d.checkText(n, what, s, prose)
	return s, true
}

func (d *Decoder) scalar(n *yaml.Node, what string) (string, bool) {
	n = d.Resolve(n)
	if n == nil {
		return "", false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		d.Errorf(n, RuleWrongType, "%s is empty; give it a value", what)
		return "", false
	}
	if n.Style&yaml.TaggedStyle != 0 && n.Tag != "!!str" {
		d.Errorf(n, RuleWrongType, "%s has the YAML tag %s; casebook files take plain values (no includes, binaries or custom tags)", what, truncate(n.Tag, 30))
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		d.Errorf(n, RuleWrongType, "%s must be a string, not %s", what, describe(n))
		return "", false
	}
	return n.Value, true
}

// isText reports whether a scalar is a string to a YAML 1.2 reader: what
// yaml.v3 tags !!str, and the timestamps it tags !!timestamp, which JSON
// and the YAML 1.2 core schema keep as strings.
func isText(n *yaml.Node) bool {
	switch n.Tag {
	case "!!int", "!!float", "!!bool":
		return false
	}
	return true
}

// scalarKind names what YAML made of a scalar that is not text.
func scalarKind(n *yaml.Node) string {
	if n.Tag == "!!bool" {
		return "boolean"
	}
	return "number"
}

// Text is a string value with its position.
type Text struct {
	Value string `json:"value"`
	Pos   Pos    `json:"-"`
}

// Texts reads a string or a list of strings.
func (d *Decoder) Texts(n *yaml.Node, what string) []Text {
	n = d.Resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		if s, ok := d.String(n, what); ok {
			return []Text{{s, posOf(n)}}
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, RuleWrongType, "%s must be a string or a list of strings, not %s", what, describe(n))
		return nil
	}
	return d.List(n, what)
}

// List reads a list of strings.
func (d *Decoder) List(n *yaml.Node, what string) []Text {
	return d.list(n, what, d.String)
}

// Scalars reads a list of values read as text (Scalar): a fact's values.
func (d *Decoder) Scalars(n *yaml.Node, what string) []Text {
	return d.list(n, what, d.Scalar)
}

func (d *Decoder) list(n *yaml.Node, what string, read func(*yaml.Node, string) (string, bool)) []Text {
	n = d.Resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, RuleWrongType, "%s must be a list, not %s", what, describe(n))
		return nil
	}
	out := make([]Text, 0, len(n.Content))
	for i, item := range n.Content {
		if s, ok := read(item, "an item of "+what); ok {
			out = append(out, Text{s, posOf(d.Resolve(item))})
			continue
		}
		if d.RestLike(n.Content, i, what, "a string") {
			return out
		}
	}
	return out
}

// RestLike is for a list whose item i was found wrong: when every item
// after it is of the same kind (a list of lists where strings belong), the
// list is one mistake, so it says so once and reports true: the caller
// reads no further. want names what each item should be.
func (d *Decoder) RestLike(items []*yaml.Node, i int, what, want string) bool {
	rest := items[i+1:]
	kind := nodeKinds(items[i])
	// One item after it is reported on its own: "this and the 0 items
	// after it" says nothing the item's own finding does not.
	if len(rest) < 2 || kind == "" {
		return false
	}
	for _, it := range rest {
		if nodeKinds(it) != kind {
			return false
		}
	}
	d.Errorf(rest[0], RuleWrongType, "this and the %d items after it in %s are %s too; each must be %s", len(rest)-1, what, kind, want)
	return true
}

// nodeKinds names, in the plural, the kind of a node ("lists", "mappings",
// "plain values", ...), or "" for an alias, which may resolve to anything.
func nodeKinds(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "mappings"
	case n.Kind == yaml.SequenceNode:
		return "lists"
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return "empty"
	case n.Kind == yaml.ScalarNode && n.Style&yaml.TaggedStyle != 0 && n.Tag != "!!str":
		return "tagged"
	case n.Kind == yaml.ScalarNode && !isText(n):
		return scalarKind(n) + "s"
	case n.Kind == yaml.ScalarNode:
		return "plain values"
	}
	return ""
}

// closest returns the known key nearest to s by edit distance, if close.
func closest(s string, known []string) string {
	best, bestD := "", 3
	if len(s) <= 3 {
		bestD = 2
	}
	lower := strings.ToLower(s)
	for _, k := range known {
		// The distance is at least the difference in length: most
		// candidates of a long list are ruled out without computing it.
		if d := len(k) - len(s); d > bestD || -d > bestD {
			continue
		}
		dist := editDistance(lower, strings.ToLower(k))
		// On a tie, a candidate the text is the start of wins ("of" → "off").
		if dist < bestD || (dist == bestD && best != "" && strings.HasPrefix(k, s) && !strings.HasPrefix(best, s)) {
			best, bestD = k, dist
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
