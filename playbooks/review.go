package playbooks

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"
)

// A ReviewEdit is a playbook file signed off for a release: its new text
// and the values that changed.
type ReviewEdit struct {
	Out         []byte
	ID          string
	OldVersion  string
	NewVersion  string
	OldReviewed string
	NewReviewed string
}

// ReviewSource signs the playbook text src (of file, holding the playbook
// id) off for release forVer: reviewed_for becomes forVer and the patch
// version is bumped. Only those two values change: the rest of the text
// (comments, key order, quoting, blank lines, flow or block style) is kept
// byte for byte, and each value keeps its quoting style. The edited text is
// parsed again and compared with the original node by node; an edit that
// would change anything else is refused. Errors name the file, and the
// position where there is one.
func ReviewSource(file string, src []byte, id, forVer string) (*ReviewEdit, error) {
	p, fs := ParsePlaybook(file, src)
	if HasErrors(fs) {
		for _, f := range fs {
			if f.Severity != SeverityWarning {
				return nil, fmt.Errorf("%s:%d:%d: %s; fix the file first (%s)", f.File, f.Line, f.Col, f.Message, CommandLine("lint", f.File))
			}
		}
	}
	if p == nil {
		return nil, fmt.Errorf("%s: the file holds no playbook", file)
	}
	if id != "" && p.ID != id {
		return nil, fmt.Errorf("%s: the file now holds playbook %q, not %q", file, p.ID, id)
	}
	bom := []byte{}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		// Positions count from after the byte-order mark.
		bom, src = src[:3], src[3:]
	}
	root, _ := ParseDocumentAny(file, src)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: the file is not a mapping", file)
	}
	verNode, err := topValue(file, root, "version")
	if err != nil {
		return nil, err
	}
	revNode, err := topValue(file, root, "reviewed_for")
	if err != nil {
		return nil, err
	}
	ver, err := semver.StrictNewVersion(verNode.Value)
	if err != nil {
		return nil, fmt.Errorf("%s:%d:%d: version %q is not semver", file, verNode.Line, verNode.Column, verNode.Value)
	}
	e := &ReviewEdit{ID: p.ID, OldVersion: verNode.Value, NewVersion: ver.IncPatch().String(),
		OldReviewed: revNode.Value, NewReviewed: forVer}

	lines := lineStarts(src)
	want := map[*yaml.Node]wantScalar{}
	var spans []span
	for _, c := range []struct {
		key   string
		node  *yaml.Node
		value string
	}{{"version", verNode, e.NewVersion}, {"reviewed_for", revNode, forVer}} {
		s, style, err := scalarSpan(src, lines, c.node, c.value)
		if err == nil && c.node.Anchor != "" && aliased(root, c.node) {
			// The alias (*name) would change with it.
			err = fmt.Errorf("the value's anchor (&%s) is used elsewhere in the file, which would change too; write the value itself there", c.node.Anchor)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %s: %v", file, c.node.Line, c.node.Column, c.key, err)
		}
		spans = append(spans, s)
		want[c.node] = wantScalar{value: c.value, style: style}
	}
	if spans[1].start < spans[0].start {
		spans[0], spans[1] = spans[1], spans[0]
	}
	if spans[0].end > spans[1].start {
		return nil, fmt.Errorf("%s: version and reviewed_for overlap; the file cannot be edited in place", file)
	}
	var b bytes.Buffer
	b.Write(bom)
	at := 0
	for _, s := range spans {
		b.Write(src[at:s.start])
		b.WriteString(s.repl)
		at = s.end
	}
	b.Write(src[at:])
	e.Out = b.Bytes()

	// The edit must change those two values and nothing else.
	after, afs := ParseDocumentAny(file, e.Out[len(bom):])
	if len(afs) > 0 || after == nil {
		return nil, fmt.Errorf("%s: the edited file would not parse; nothing was written (please report this)", file)
	}
	if err := sameTree(root, after, want); err != nil {
		return nil, fmt.Errorf("%s:%d:%d: the edit would change more than version and reviewed_for (%s); nothing was written (please report this)", file, err.at.Line, err.at.Column, err.what)
	}
	return e, nil
}

// topValue returns the value of key in the top-level mapping.
func topValue(file string, root *yaml.Node, key string) (*yaml.Node, error) {
	var found *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Kind != yaml.ScalarNode || k.Value != key {
			continue
		}
		if found != nil {
			return nil, fmt.Errorf("%s:%d:%d: %s appears twice", file, k.Line, k.Column, key)
		}
		found = root.Content[i+1]
	}
	if found == nil {
		return nil, fmt.Errorf("%s: the playbook has no %s to change", file, key)
	}
	return found, nil
}

// A span is a byte range of the source and the text that replaces it.
type span struct {
	start, end int
	repl       string
}

type wantScalar struct {
	value string
	style yaml.Style
}

// lineStarts returns the byte offset at which each line starts.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offsetOf turns yaml.v3's 1-based line and column (counted in
// characters) into a byte offset.
func offsetOf(src []byte, lines []int, line, col int) (int, bool) {
	if line < 1 || line > len(lines) || col < 1 {
		return 0, false
	}
	off := lines[line-1]
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off, true
}

// scalarSpan finds where the scalar n lies in src, and the text that
// replaces it with value in the same style: the end is found the way YAML
// finds it (the closing quote, past escapes, of a quoted scalar; the
// parsed value of a plain one, which ends at a comment, a flow indicator
// or the line's end). It returns the style the new scalar will have.
func scalarSpan(src []byte, lines []int, n *yaml.Node, value string) (span, yaml.Style, error) {
	switch {
	case n.Kind == yaml.AliasNode:
		return span{}, 0, fmt.Errorf("the value is an alias (*%s); write the value itself to edit it", n.Value)
	case n.Kind != yaml.ScalarNode:
		return span{}, 0, fmt.Errorf("the value is not a single scalar")
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return span{}, 0, fmt.Errorf("a block scalar (| or >) cannot be edited in place; write the value on one line")
	}
	off, ok := offsetOf(src, lines, n.Line, n.Column)
	if !ok {
		return span{}, 0, fmt.Errorf("the position is past the end of its line")
	}
	// Skip the node's properties (an anchor &a, a tag !!str) and the
	// white space after them.
	for off < len(src) && (src[off] == '&' || src[off] == '!') {
		for off < len(src) && !isYAMLSpace(src[off]) {
			off++
		}
		for off < len(src) && isYAMLSpace(src[off]) {
			off++
		}
	}
	quoted := n.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if off >= len(src) || src[off] != '"' {
			return span{}, 0, fmt.Errorf("no opening quote where the value starts")
		}
		for i := off + 1; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++ // the escaped character, whatever it is
			case '"':
				return span{off, i + 1, doubleQuote(value)}, n.Style, nil
			}
		}
		return span{}, 0, fmt.Errorf("the quoted value has no closing quote")
	case n.Style&yaml.SingleQuotedStyle != 0:
		if off >= len(src) || src[off] != '\'' {
			return span{}, 0, fmt.Errorf("no opening quote where the value starts")
		}
		for i := off + 1; i < len(src); i++ {
			if src[i] != '\'' {
				continue
			}
			if i+1 < len(src) && src[i+1] == '\'' {
				i++ // '' is a quote inside the value
				continue
			}
			return span{off, i + 1, "'" + strings.ReplaceAll(value, "'", "''") + "'"}, n.Style, nil
		}
		return span{}, 0, fmt.Errorf("the quoted value has no closing quote")
	}
	// A plain scalar on one line is its own source text; one folded from
	// several lines is not, and is refused.
	if n.Value == "" || !bytes.HasPrefix(src[off:], []byte(n.Value)) {
		return span{}, 0, fmt.Errorf("a value that spans lines cannot be edited in place; write it on one line")
	}
	s := span{off, off + len(n.Value), value}
	if !plainSafe(value) {
		s.repl = doubleQuote(value)
		return s, n.Style&^quoted | yaml.DoubleQuotedStyle, nil
	}
	return s, n.Style, nil
}

func isYAMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// plainSafe reports whether value can be written unquoted in any context
// (block or flow) and read back as the same text: letters, digits and
// . _ + - only, starting with a letter or digit.
func plainSafe(value string) bool {
	if value == "" {
		return false
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("._+-", rune(c))) {
			return false
		}
	}
	return true
}

// doubleQuote writes value as a YAML double-quoted scalar.
func doubleQuote(value string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range value {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// A treeDiff is where two node trees first differ.
type treeDiff struct {
	at   *yaml.Node
	what string
}

// sameTree compares two node trees: kinds, tags, values, styles, anchors,
// comments and the order of contents, everywhere except the nodes in
// want, which must hold the wanted value in the wanted style instead.
// Positions are not compared.
func sameTree(a, b *yaml.Node, want map[*yaml.Node]wantScalar) *treeDiff {
	if w, ok := want[a]; ok {
		switch {
		case b.Kind != yaml.ScalarNode:
			return &treeDiff{b, "the value is no longer a scalar"}
		case b.Value != w.value:
			return &treeDiff{b, fmt.Sprintf("the value reads %q, not %q", b.Value, w.value)}
		case b.Style != w.style:
			return &treeDiff{b, "the value's quoting changed"}
		case a.Style&yaml.TaggedStyle != 0 && a.Tag != b.Tag:
			return &treeDiff{b, "the value's tag changed"}
		case a.Anchor != b.Anchor || a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment:
			return &treeDiff{b, "a comment or anchor changed"}
		}
		return nil
	}
	switch {
	case a.Kind != b.Kind:
		return &treeDiff{b, "a node changed kind"}
	case a.Tag != b.Tag:
		return &treeDiff{b, fmt.Sprintf("%q changed tag", b.Value)}
	case a.Value != b.Value:
		return &treeDiff{b, fmt.Sprintf("%q became %q", a.Value, b.Value)}
	case a.Style != b.Style:
		return &treeDiff{b, fmt.Sprintf("%q changed style", b.Value)}
	case a.Anchor != b.Anchor:
		return &treeDiff{b, "an anchor changed"}
	case a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment:
		return &treeDiff{b, "a comment changed"}
	case len(a.Content) != len(b.Content):
		return &treeDiff{b, "a mapping or list changed length"}
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], want); d != nil {
			return d
		}
	}
	return nil
}

// aliased reports whether an alias anywhere under root refers to n.
func aliased(root, n *yaml.Node) bool {
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x.Kind == yaml.AliasNode && x.Alias == n {
			return true
		}
		stack = append(stack, x.Content...)
	}
	return false
}
