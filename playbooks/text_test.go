package playbooks

import (
	"fmt"
	"strings"
	"testing"
)

func TestEscapeControlsKeepsOutputOnOneLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text is kept as it is", `a/b c — ✓ \n`, `a/b c — ✓ \n`},
		{"line breaks and tabs are spelt out", "a\nb\r\tc", `a\nb\r\tc`},
		{"an escape sequence loses its escape", "\x1b]0;owned\x07x", `\x1b]0;owned\x07x`},
		{"DEL and NUL are spelt out", "a\x7fb\x00", `a\x7fb\x00`},
		{"C1 controls and line separators are spelt out", "a\u009b31m\u0085b\u2028c", `a\u009b31m\u0085b\u2028c`},
		{"bytes that are not UTF-8 are spelt out", "a\xc2", `a\xc2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EscapeControls(tt.in); got != tt.want {
				t.Errorf("EscapeControls(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAFindingIsOneLineWhateverItsFileHeld(t *testing.T) {
	f := ErrorAt("lib/a\nb.yaml", Pos{3, 4}, RuleDangling, "step %s goes nowhere", "x\ny.yaml:1:1: fine [none]\x1b[2J")
	got := f.String()
	if strings.ContainsAny(got, "\n\x1b") {
		t.Fatalf("String() = %q: a line break or escape got through", got)
	}
	want := `lib/a\nb.yaml:3:4: step x\ny.yaml:1:1: fine [none]\x1b[2J goes nowhere [dangling-target]`
	if got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	f.Severity = SeverityWarning
	if got := f.Text(); !strings.HasPrefix(got, `lib/a\nb.yaml:3:4: warning: step x\n`) {
		t.Errorf("Text() of a warning = %q", got)
	}
}

func TestBadCharTellsOneLineValuesFromProse(t *testing.T) {
	tests := []struct {
		in    string
		prose bool
		want  rune
		bad   bool
	}{
		{"a plain title — ünïcode", false, 0, false},
		{"two\nlines", false, '\n', true},
		{"a\ttab", false, '\t', true},
		{"two\nlines\tand a tab", true, 0, false},
		{"a carriage\r return", true, '\r', true},
		{"an \x1b escape", true, 0x1b, true},
		{"a C1 \u009b control", true, 0x9b, true},
		{"a line\u2028separator", false, '\u2028', true},
	}
	for _, tt := range tests {
		r, bad := badChar(tt.in, tt.prose)
		if r != tt.want || bad != tt.bad {
			t.Errorf("badChar(%q, prose=%v) = %U, %v; want %U, %v", tt.in, tt.prose, r, bad, tt.want, tt.bad)
		}
	}
}

func TestACycleFindingListsAtMostTenSteps(t *testing.T) {
	var b strings.Builder
	b.WriteString("casebook: playbook/v1\nid: long-loop\nversion: 1.0.0\ntitle: A long loop\nproduct: mailer\n" +
		"applies_to: \">=2023.6\"\nreviewed_for: \"2023.10\"\nowner: support\nintents: [long-loop]\n" +
		"facts:\n  plan: {source: admin}\ntiers:\n  L1: [act]\nsteps:\n")
	const n = 2500
	for i := range n {
		fmt.Fprintf(&b, "  - {id: s%d, action: act, next: s%d}\n", i, (i+1)%n)
	}
	_, fs := ParsePlaybook("long.yaml", []byte(b.String()))
	var cycle []Finding
	for _, f := range fs {
		if f.Rule == RuleCycle {
			cycle = append(cycle, f)
		}
	}
	if len(cycle) != 1 {
		t.Fatalf("got %d cycle findings, want 1: %v", len(cycle), fs)
	}
	want := "steps s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 … and 2490 more form a cycle with no way out to an outcome"
	if cycle[0].Message != want {
		t.Errorf("message %q,\nwant %q", cycle[0].Message, want)
	}
}

func TestListCapped(t *testing.T) {
	if got := ListCapped([]string{"a", "b"}, 2); got != "a, b" {
		t.Errorf("got %q", got)
	}
	if got := ListCapped([]string{"a", "b", "c"}, 2); got != "a, b … and 1 more" {
		t.Errorf("got %q", got)
	}
}
