package playbooks

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Review returns the playbook file with reviewed_for set to version and
// the playbook's patch version bumped. Only those two values change: the
// rest of the file (comments, key order, quoting, blank lines) is kept
// byte for byte, and each value keeps its quoting style.
func Review(p *Playbook, version string) ([]byte, string, error) {
	if p.version == nil {
		return nil, "", fmt.Errorf("version %q is not semver", p.Version)
	}
	next := p.version.IncPatch()
	newVer := next.String()
	out, err := Source(p)
	if err != nil {
		return nil, "", err
	}
	// Edit the later value first so the earlier one's position holds.
	edits := []struct {
		key, value string
	}{{"reviewed_for", version}, {"version", newVer}}
	if posBefore(p.Pos["reviewed_for"], p.Pos["version"]) {
		edits[0], edits[1] = edits[1], edits[0]
	}
	for _, e := range edits {
		pos, ok := p.Pos[e.key]
		if !ok {
			return nil, "", fmt.Errorf("the playbook has no %s to change", e.key)
		}
		var err error
		if out, err = replaceScalar(out, pos, e.value); err != nil {
			return nil, "", fmt.Errorf("%s: %v", e.key, err)
		}
	}
	return out, newVer, nil
}

func posBefore(a, b Pos) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Col < b.Col)
}

// replaceScalar replaces the single-line scalar that starts at pos with
// value, in the same quoting style.
func replaceScalar(src []byte, pos Pos, value string) ([]byte, error) {
	start := 0
	for line := 1; line < pos.Line; line++ {
		i := strings.IndexByte(string(src[start:]), '\n')
		if i < 0 {
			return nil, fmt.Errorf("line %d is past the end of the file", pos.Line)
		}
		start += i + 1
	}
	end := start + strings.IndexByte(string(src[start:]), '\n')
	if end < start {
		end = len(src)
	}
	line := string(src[start:end])
	// Columns count characters; find the byte offset.
	off := 0
	for col := 1; col < pos.Col && off < len(line); col++ {
		_, size := utf8.DecodeRuneInString(line[off:])
		off += size
	}
	rest := line[off:]
	var length int
	var repl string
	switch {
	case strings.HasPrefix(rest, `"`):
		i := strings.Index(rest[1:], `"`)
		if i < 0 {
			return nil, fmt.Errorf("a quoted value that spans lines cannot be edited in place")
		}
		length, repl = i+2, strconv.Quote(value)
	case strings.HasPrefix(rest, `'`):
		i := strings.Index(rest[1:], `'`)
		if i < 0 {
			return nil, fmt.Errorf("a quoted value that spans lines cannot be edited in place")
		}
		length, repl = i+2, "'"+strings.ReplaceAll(value, "'", "''")+"'"
	default:
		length = len(rest)
		if i := strings.Index(rest, " #"); i >= 0 {
			length = i
		}
		length = len(strings.TrimRight(rest[:length], " \t\r"))
		if length == 0 || strings.ContainsAny(rest[:1], "|>&*!{[") {
			return nil, fmt.Errorf("only a plain or quoted value on one line can be edited in place")
		}
		repl = value
	}
	var b strings.Builder
	b.Write(src[:start+off])
	b.WriteString(repl)
	b.Write(src[start+off+length:])
	return []byte(b.String()), nil
}
