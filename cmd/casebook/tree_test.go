package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestEveryCommandIsDocumented walks the whole command tree: every command
// has a short description, an example and its exit codes in --help, and no
// two flags of a command share a shorthand.
func TestEveryCommandIsDocumented(t *testing.T) {
	streams := &ioStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	root := newRootCmd(newFactory(streams))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		name := c.CommandPath()
		if c.Short == "" {
			t.Errorf("%s has no short description", name)
		}
		if c.Example == "" {
			t.Errorf("%s has no example", name)
		}
		if c.Name() != "help" && c.Name() != "completion" && !strings.Contains(c.Long, "Exit codes:") {
			t.Errorf("%s does not list its exit codes in --help", name)
		}
		shorts := map[string]string{}
		check := func(f *pflag.Flag) {
			if f.Shorthand == "" {
				return
			}
			if other, dup := shorts[f.Shorthand]; dup && other != f.Name {
				t.Errorf("%s: -%s is both --%s and --%s", name, f.Shorthand, other, f.Name)
			}
			shorts[f.Shorthand] = f.Name
		}
		c.InheritedFlags().VisitAll(check)
		c.LocalFlags().VisitAll(check)
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			walk(sub)
		}
	}
	walk(root)
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"no error exits 0", nil, 0},
		{"findings exit 1", errFindings, 1},
		{"usage errors exit 2", usageErrorf("bad"), 2},
		{"other errors mean the command could not run", bytes.ErrTooLarge, 2},
		{"interrupts exit 130", errInterrupted, 130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(tt.err); got != tt.want {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

// TestEveryCommandGroupRefusesAnUnknownCommand runs each command that has
// sub-commands with a name none of them has: exit 2, one line naming the
// sub-commands, and the help (exit 0) when the group is called alone.
func TestEveryCommandGroupRefusesAnUnknownCommand(t *testing.T) {
	streams := &ioStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	root := newRootCmd(newFactory(streams))
	var groups []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() {
			groups = append(groups, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if len(groups) < 4 { // casebook, new, release, completion
		t.Fatalf("found %d command groups, want at least 4", len(groups))
	}
	for _, g := range groups {
		path := strings.Fields(g.CommandPath())[1:]
		t.Run(g.CommandPath(), func(t *testing.T) {
			var out, errOut bytes.Buffer
			s := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
			if code := run(append(path, "no-such-command"), s); code != exitCannotRun {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitCannotRun, errOut.String())
			}
			msg := errOut.String()
			if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, `unknown command "no-such-command"`) {
				t.Errorf("stderr is not one line naming the command: %q", msg)
			}
			for _, sub := range g.Commands() {
				if sub.IsAvailableCommand() && !strings.Contains(msg, sub.Name()) {
					t.Errorf("stderr does not name sub-command %s: %q", sub.Name(), msg)
				}
			}
			out.Reset()
			errOut.Reset()
			if code := run(path, s); code != exitOK || !strings.Contains(out.String(), "Usage:") {
				t.Errorf("alone: exit %d, stdout %q; want its help and exit 0", code, out.String())
			}
		})
	}
}
