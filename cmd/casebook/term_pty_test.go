package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// withEnv makes the factory read vars as the environment.
func withEnv(vars map[string]string) func(*factory) {
	return func(f *factory) { f.getenv = func(k string) string { return vars[k] } }
}

// ansi matches an SGR sequence, to measure lines as the terminal shows them.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// outputLines are the lines casebook wrote to the terminal, without the
// carriage returns the tty adds.
func outputLines(out string) []string {
	return strings.Split(strings.ReplaceAll(out, "\r", ""), "\n")
}

func TestOnATerminalFindingsAreColouredUnlessNoColor(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("casebook: playbook/v1\nid: x\nbogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("a terminal gets errors in red and rule ids dim", func(t *testing.T) {
		r := startOnTerminalWith(t, 100, withEnv(map[string]string{"TERM": "xterm"}), "lint", dir)
		out, code := r.finish(t)
		if code != exitFindings {
			t.Fatalf("exit code %d, want %d\n%s", code, exitFindings, out)
		}
		if !strings.Contains(out, "\x1b[31munknown key \"bogus\" in the playbook\x1b[0m\x1b[2m [unknown-key]\x1b[0m") {
			t.Errorf("no red finding with a dim rule id in:\n%q", out)
		}
		if plain := ansi.ReplaceAllString(out, ""); !strings.Contains(plain, `x.yaml:3:1: unknown key "bogus" in the playbook [unknown-key]`) {
			t.Errorf("without its colour the line does not read as the finding's text:\n%s", plain)
		}
	})
	for _, c := range []struct {
		name string
		env  map[string]string
	}{
		{"NO_COLOR set leaves it plain", map[string]string{"TERM": "xterm", "NO_COLOR": "1"}},
		{"TERM=dumb leaves it plain", map[string]string{"TERM": "dumb"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := startOnTerminalWith(t, 100, withEnv(c.env), "lint", dir)
			out, code := r.finish(t)
			if code != exitFindings {
				t.Fatalf("exit code %d, want %d\n%s", code, exitFindings, out)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("escape sequences on a terminal with %v:\n%q", c.env, out)
			}
		})
	}
	t.Run("--color never wins on a terminal", func(t *testing.T) {
		r := startOnTerminalWith(t, 100, withEnv(map[string]string{"TERM": "xterm"}), "lint", "--color", "never", dir)
		out, _ := r.finish(t)
		if strings.Contains(out, "\x1b") {
			t.Errorf("escape sequences with --color never:\n%q", out)
		}
	})
}

func TestOnATerminalTablesFitAndProseWraps(t *testing.T) {
	const cols = 60
	t.Run("list cuts its widest columns to the width, ids whole", func(t *testing.T) {
		const cols = 80
		r := startOnTerminalWith(t, cols, withEnv(map[string]string{"TERM": "xterm"}), "list")
		out, code := r.finish(t)
		if code != exitOK {
			t.Fatalf("exit code %d\n%s", code, out)
		}
		cut := false
		for _, l := range outputLines(out) {
			if w := runewidth.StringWidth(ansi.ReplaceAllString(l, "")); w > cols {
				t.Errorf("%q is %d columns, wider than the terminal's %d", l, w, cols)
			}
			cut = cut || strings.HasSuffix(l, "…")
		}
		if !cut {
			t.Errorf("no cell was cut with an ellipsis:\n%s", out)
		}
		if !strings.Contains(out, "in-app-message-not-displayed") {
			t.Errorf("an id was cut:\n%s", out)
		}
	})
	t.Run("show wraps the customer's opening at words under its start", func(t *testing.T) {
		r := startOnTerminalWith(t, cols, withEnv(map[string]string{"TERM": "xterm"}), "show", "https-proxy-cname")
		out, code := r.finish(t)
		if code != exitOK {
			t.Fatalf("exit code %d\n%s", code, out)
		}
		lines := outputLines(out)
		start := -1
		for i, l := range lines {
			if strings.HasPrefix(l, "Sam: ") {
				start = i
			}
		}
		if start < 0 {
			t.Fatalf("no opening in:\n%s", out)
		}
		opening := []string{lines[start]}
		for _, l := range lines[start+1:] {
			if !strings.HasPrefix(l, "     ") {
				break
			}
			opening = append(opening, l)
		}
		if len(opening) < 3 {
			t.Errorf("the opening was not wrapped:\n%s", strings.Join(opening, "\n"))
		}
		for _, l := range opening {
			if w := runewidth.StringWidth(l); w > cols {
				t.Errorf("%q is %d columns, wider than %d", l, w, cols)
			}
		}
		if joined := strings.Join(strings.Fields(strings.Join(opening, " ")), " "); !strings.Contains(joined, "Sam: Hi! I've finished setting up SSL for our link tracking: the proxy") {
			t.Errorf("wrapping changed the words: %q", joined)
		}
	})
}
