package main

import (
	"bytes"
	"testing"
)

func TestTermSafeStripsControlSequences(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text and layout pass", "a\tb\nc — ✓\n", "a\tb\nc — ✓\n"},
		{"an ANSI colour loses its escape", "\x1b[31mred\x1b[0m", "[31mred[0m"},
		{"a title change and a bell go", "\x1b]0;owned\x07x", "]0;ownedx"},
		{"carriage returns and backspaces go", "ok\r\x08\x08no", "okno"},
		{"C1 controls go", "a\u009b31mb", "a31mb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := &termSafe{w: &b}
			if _, err := w.Write([]byte(tt.in)); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
	t.Run("a C1 control split across writes goes too", func(t *testing.T) {
		var b bytes.Buffer
		w := &termSafe{w: &b}
		w.Write([]byte("a\xc2"))
		w.Write([]byte("\x9bb"))
		if b.String() != "ab" {
			t.Errorf("got %q", b.String())
		}
	})
}
