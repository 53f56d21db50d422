package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestTablePrinter(t *testing.T) {
	t.Run("a terminal gets aligned columns under upper-case headers", func(t *testing.T) {
		var b bytes.Buffer
		tp := newTablePrinter(&b, true)
		tp.Header("id", "title")
		tp.Row("https-link-branding", "Turn on HTTPS")
		tp.Row("x", "Short")
		if err := tp.Render(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("got %d lines, want 3:\n%s", len(lines), b.String())
		}
		if !strings.HasPrefix(strings.TrimSpace(lines[0]), "ID") || !strings.Contains(lines[0], "TITLE") {
			t.Errorf("header %q", lines[0])
		}
		col := strings.Index(lines[1], "Turn on HTTPS")
		if col < 0 || strings.Index(lines[2], "Short") != col {
			t.Errorf("columns not aligned:\n%s", b.String())
		}
	})
	t.Run("a pipe gets tab-separated rows without the header", func(t *testing.T) {
		var b bytes.Buffer
		tp := newTablePrinter(&b, false)
		tp.Header("id", "title")
		tp.Row("a", "line\nbreak\tand tab")
		tp.Row("b\rc", "\x1b[2Jclear\u2028me")
		if err := tp.Render(); err != nil {
			t.Fatal(err)
		}
		if got, want := b.String(), "a\tline break and tab\nb\\rc\t\\x1b[2Jclear\\u2028me\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}
