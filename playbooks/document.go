package playbooks

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// DefaultMaxFileSize is the largest file casebook reads unless told otherwise.
const DefaultMaxFileSize = 4 << 20

// DefaultMaxNodes bounds the nodes a document may hold once aliases are
// followed, so an alias bomb is refused instead of exhausting memory.
const DefaultMaxNodes = 200_000

// A Document is one parsed casebook file: its text, its root mapping and the
// kind named by its first key (`casebook: playbook/v1`).
type Document struct {
	File    string
	Src     []byte
	Root    *yaml.Node // the top-level mapping; nil when the file did not parse
	Kind    string     // "playbook/v1", "scenario/v1", ...
	KindPos Pos

	// Model is what LoadOptions.Decode made of the document when a library
	// was loaded; Root is then dropped, as the model holds what is needed.
	Model any
}

var (
	yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	blockRange  = regexp.MustCompile(`^(\s*-?\s*[\w.-]+:\s*)(>)`)
)

// ParseDocument parses src as a casebook YAML file. It never panics; every
// problem comes back as a finding with a position.
func ParseDocument(file string, src []byte) (*Document, []Finding) {
	doc := &Document{File: file, Src: src}
	top, fs := ParseDocumentAny(file, src)
	if len(fs) > 0 {
		return doc, fs
	}
	if top == nil {
		return doc, []Finding{{File: file, Line: 1, Col: 1, Rule: RuleBadKind, Severity: SeverityError,
			Message: "the file is empty; it should start with `casebook: KIND/v1`"}}
	}
	if top.Kind != yaml.MappingNode {
		return doc, []Finding{{File: file, Line: top.Line, Col: top.Column, Rule: RuleWrongType, Severity: SeverityError,
			Message: fmt.Sprintf("the file holds %s; a casebook file is a mapping starting with `casebook: KIND/v1`", describe(top))}}
	}
	if len(top.Content) < 2 || top.Content[0].Value != "casebook" {
		return doc, []Finding{{File: file, Line: top.Line, Col: top.Column, Rule: RuleBadKind, Severity: SeverityError,
			Message: "the first key must be `casebook: KIND/v1` (playbook/v1, ...)"}}
	}
	doc.Root = top
	v := top.Content[1]
	doc.Kind = v.Value
	doc.KindPos = Pos{v.Line, v.Column}
	return doc, nil
}

// syntaxFinding turns a yaml.v3 error into a positioned finding with a
// message a playbook author can act on. yaml.v3 gives a line (sometimes none)
// and no column, so the line's text is read to place the column and to
// recognise the common mistakes: an unquoted version range, a tab used for
// indentation, an unquoted ": " inside a value.
func syntaxFinding(file string, src []byte, err error) Finding {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineErr.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		// yaml.v3 numbers parser errors (as opposed to scanner errors)
		// from 0: they name the line before the one at fault.
		if parserError.MatchString(msg) {
			line++
		}
	}
	lines := strings.Split(string(src), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	f := Finding{File: file, Line: min(max(line, 1), len(lines)), Col: 1, Rule: RuleSyntax, Severity: SeverityError,
		Message: "invalid YAML: " + msg}
	if msg == "did not find expected comment or line break" {
		for i, text := range lines {
			if line != 0 && i+1 != line {
				continue
			}
			if col, value, ok := unquotedRange(text); ok {
				f.Line, f.Col = i+1, col
				f.Message = fmt.Sprintf("a value starting with > must be quoted, e.g. %q (a bare > starts a block scalar in YAML)", truncate(value, 60))
				return f
			}
		}
	}
	if line == 0 {
		// yaml.v3 names no line for some errors; find the culprit ourselves.
		if l, c, ok := locate(lines, msg); ok {
			f.Line, f.Col = l, c
			return f
		}
	}
	text := lines[f.Line-1]
	f.Col = len(text) - len(strings.TrimLeft(text, " \t")) + 1
	if strings.TrimSpace(text) == "" {
		f.Col = 1
	}
	switch {
	case strings.HasPrefix(strings.TrimLeft(text, " "), "\t") && (strings.Contains(msg, "tab") || strings.Contains(msg, "cannot start any token")):
		f.Col = len(text) - len(strings.TrimLeft(text, " ")) + 1
		f.Message = "a tab indents this line; indent with spaces"
	case msg == "mapping values are not allowed in this context":
		if key, rest, ok := strings.Cut(text, ": "); ok {
			if j := strings.Index(rest, ": "); j >= 0 {
				f.Col = len(key) + 2 + j + 1
				f.Message = fmt.Sprintf("a value containing \": \" must be quoted, e.g. %s: %q", truncate(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(key), "- ")), 40), truncate(strings.TrimSpace(rest), 60))
			}
		}
	}
	return f
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// locate finds the position of an error yaml.v3 gave no line for: an
// unknown anchor (where it is used) or a control character.
func locate(lines []string, msg string) (line, col int, ok bool) {
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		for i, text := range lines {
			if j := strings.Index(text, "*"+m[1]); j >= 0 {
				return i + 1, utf8.RuneCountInString(text[:j]) + 1, true
			}
		}
	}
	if strings.Contains(msg, "control characters") {
		for i, text := range lines {
			for j, r := range text {
				if (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
					return i + 1, utf8.RuneCountInString(text[:j]) + 1, true
				}
			}
		}
	}
	return 0, 0, false
}

// unquotedRange finds `key: >=1.2` (a range that YAML reads as the start of
// a block scalar) and returns the value's column and text.
func unquotedRange(text string) (col int, value string, ok bool) {
	m := blockRange.FindStringSubmatchIndex(text)
	if m == nil {
		return 0, "", false
	}
	value = text[m[4]:]
	if i := strings.Index(value, " #"); i >= 0 {
		value = value[:i]
	}
	value = strings.TrimSpace(value)
	if len(value) < 2 || strings.ContainsRune(" -+0123456789", rune(value[1])) {
		return 0, "", false
	}
	return m[4] + 1, value, true
}

var parserError = regexp.MustCompile(`^did not find expected (<document start>|node content|key|'-' indicator|',' or '\]'|',' or '\}')$`)

func firstInvalidUTF8(b []byte) (line, col int) {
	line, col = 1, 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		b = b[size:]
	}
	return line, col
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", truncate(n.Value, 40))
	case yaml.AliasNode:
		return "an alias"
	}
	return "an unknown node"
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// ParseDocumentAny parses a YAML file of any shape (an answers file, ...),
// returning its top node, or nil for an empty file.
func ParseDocumentAny(file string, src []byte) (*yaml.Node, []Finding) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(src) {
		line, col := firstInvalidUTF8(src)
		return nil, []Finding{{File: file, Line: line, Col: col, Rule: RuleSyntax, Severity: SeverityError,
			Message: "the file is not valid UTF-8"}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		return nil, []Finding{syntaxFinding(file, src, err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, nil
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case err == io.EOF:
	case err != nil:
		return nil, []Finding{syntaxFinding(file, src, err)}
	default:
		return nil, []Finding{{File: file, Line: second.Line, Col: second.Column, Rule: RuleSyntax, Severity: SeverityError,
			Message: "a second YAML document (after ---); a casebook file holds one document, so split it into two files"}}
	}
	return root.Content[0], nil
}
