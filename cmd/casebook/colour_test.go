package main

import (
	"bytes"
	"testing"

	"github.com/casebook/casebook/playbooks"
)

func TestWantColor(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		name     string
		mode     colorMode
		terminal bool
		getenv   func(string) string
		want     bool
	}{
		{"a terminal gets colour", colorAuto, true, env("TERM", "xterm-256color"), true},
		{"a pipe gets none", colorAuto, false, env(), false},
		{"NO_COLOR with any value turns it off", colorAuto, true, env("NO_COLOR", "0"), false},
		{"TERM=dumb turns it off", colorAuto, true, env("TERM", "dumb"), false},
		{"always colours a pipe", colorAlways, false, env(), true},
		{"always wins over NO_COLOR", colorAlways, true, env("NO_COLOR", "1"), true},
		{"never keeps a terminal plain", colorNever, true, env(), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := wantColor(c.mode, c.terminal, c.getenv); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestColorModeRefusesOtherValues(t *testing.T) {
	var m colorMode
	if err := m.Set("sometimes"); err == nil {
		t.Error("--color sometimes was taken")
	}
	if err := m.Set("never"); err != nil || m != colorNever {
		t.Errorf("--color never: %v, %q", err, m)
	}
}

func TestPaint(t *testing.T) {
	t.Run("a terminal with colour gets casebook's styles and none of the text's", func(t *testing.T) {
		var b bytes.Buffer
		w := &termSafe{w: &b, color: true}
		paint(w, styleRed, "bad\x1b[32m")
		if got, want := b.String(), "\x1b[31mbad[32m\x1b[0m"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("a terminal without colour gets the text alone", func(t *testing.T) {
		var b bytes.Buffer
		paint(&termSafe{w: &b}, styleRed, "bad")
		if b.String() != "bad" {
			t.Errorf("got %q", b.String())
		}
	})
	t.Run("a buffer gets the text alone", func(t *testing.T) {
		var b bytes.Buffer
		paint(&b, styleGreen, "ok")
		if b.String() != "ok" {
			t.Errorf("got %q", b.String())
		}
	})
}

func TestScoreBands(t *testing.T) {
	for _, c := range []struct {
		score int
		want  style
	}{{100, styleGreen}, {80, styleGreen}, {79, styleYellow}, {50, styleYellow}, {49, styleRed}, {0, styleRed}} {
		if got := scoreStyle(c.score); got != c.want {
			t.Errorf("score %d: got style %d, want %d", c.score, got, c.want)
		}
	}
	if got := partStyle(20, 25); got != styleGreen {
		t.Errorf("20 of 25: got style %d, want green", got)
	}
}

func TestWriteFinding(t *testing.T) {
	errF := playbooks.Finding{File: "a.yaml", Line: 3, Col: 5, Rule: "unknown-key", Severity: playbooks.SeverityError, Message: "unknown key \"x\""}
	warn := errF
	warn.Severity = playbooks.SeverityWarning
	t.Run("off a terminal it is the Text line", func(t *testing.T) {
		var b bytes.Buffer
		writeFinding(&b, errF)
		if b.String() != errF.Text()+"\n" {
			t.Errorf("got %q", b.String())
		}
	})
	t.Run("with colour an error is red and its rule dim", func(t *testing.T) {
		var b bytes.Buffer
		writeFinding(&termSafe{w: &b, color: true}, errF)
		want := "a.yaml:3:5: \x1b[31munknown key \"x\"\x1b[0m\x1b[2m [unknown-key]\x1b[0m\n"
		if b.String() != want {
			t.Errorf("got %q, want %q", b.String(), want)
		}
	})
	t.Run("with colour a warning is yellow", func(t *testing.T) {
		var b bytes.Buffer
		writeFinding(&termSafe{w: &b, color: true}, warn)
		want := "a.yaml:3:5: \x1b[33mwarning: unknown key \"x\"\x1b[0m\x1b[2m [unknown-key]\x1b[0m\n"
		if b.String() != want {
			t.Errorf("got %q, want %q", b.String(), want)
		}
	})
	t.Run("buffered colour keeps its order", func(t *testing.T) {
		var b bytes.Buffer
		out, flush := bufferOut(&termSafe{w: &b, color: true})
		writeFinding(out, errF)
		writeFinding(out, warn)
		if b.Len() != 0 {
			t.Errorf("written before the flush: %q", b.String())
		}
		if err := flush(); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		writeFinding(&termSafe{w: &want, color: true}, errF)
		writeFinding(&termSafe{w: &want, color: true}, warn)
		if b.String() != want.String() {
			t.Errorf("got %q, want %q", b.String(), want.String())
		}
	})
}
