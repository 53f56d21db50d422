package playbooks

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// isControl reports whether r is a control character: C0 (U+0000–U+001F),
// DEL, C1 (U+0080–U+009F), or one of Unicode's line and paragraph
// separators, which some terminals and editors break lines on.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029'
}

// isLineBreak reports whether r ends a line somewhere: a newline, a
// carriage return, NEL or a Unicode line or paragraph separator.
func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == '\u2028' || r == '\u2029'
}

// EscapeControls spells out every control character of s (see isControl)
// and every byte that is not UTF-8 as a Go escape (\n, \t, \x1b, \u0085),
// so that text from a file printed on one line stays on that line and
// cannot steer a terminal. Other text, backslashes included, is kept.
func EscapeControls(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// badChar finds the first character s may not hold: any control character
// in a one-line value; in multi-line text (prose) any but newline and tab.
func badChar(s string, prose bool) (rune, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if c < 0x80 {
			if prose && (c == '\n' || c == '\t') {
				continue
			}
			return rune(c), true
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isControl(r) {
			return r, true
		}
		i += size - 1
	}
	return 0, false
}

// checkText reports a control character in the scalar n, read as what:
// one-line values may hold none, prose (multi-line text) only newlines
// and tabs.
func (d *Decoder) checkText(n *yaml.Node, what, s string, prose bool) {
	r, bad := badChar(s, prose)
	if !bad {
		return
	}
	if prose || !isLineBreak(r) {
		d.Errorf(n, RuleControlChar, "%s holds the control character U+%04X%s; remove it", what, r, controlName(r))
		return
	}
	if r == '\n' && strings.IndexByte(s, '\n') == len(s)-1 && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		d.Errorf(n, RuleControlChar, "%s ends with a line break; it is one line (write >- or |- to drop the break)", what)
		return
	}
	d.Errorf(n, RuleControlChar, "%s holds a line break; it is one line", what)
}

// controlName names the control characters met most often.
func controlName(r rune) string {
	switch r {
	case 0:
		return " (NUL)"
	case '\a':
		return " (bell)"
	case '\b':
		return " (backspace)"
	case '\t':
		return " (tab)"
	case 0x1b:
		return " (escape)"
	case 0x7f:
		return " (delete)"
	}
	return ""
}

// ListCapped joins items with ", ", listing at most max of them and then
// how many more there are, so that one finding stays readable however
// large the file.
func ListCapped(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s … and %d more", strings.Join(items[:max], ", "), len(items)-max)
}
