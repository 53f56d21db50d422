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

// noOutputFlag lists the commands that print no data to choose a format
// for, and why. Every other runnable command must take -o/--output from
// outputFlag: a new command fails TestEveryOutputFlagIsShared until it
// does or is named here.
var noOutputFlag = map[string]string{
	"casebook docs":           "writes man or Markdown files into --dir; its --format is the kind of page",
	"casebook init":           "writes the library's files",
	"casebook new playbook":   "writes a file",
	"casebook new scenario":   "writes a file",
	"casebook new recording":  "writes a file",
	"casebook release review": "edits files in place",
	"casebook schema":         "prints a JSON Schema, the one format it has",
	"casebook serve":          "serves HTTP; its one line to stderr says where, and request logs are JSON already",
	"casebook users add":      "changes the store; one line says what was done, the exit code whether it was",
	"casebook users assign":   "changes the store; one line says what was done, the exit code whether it was",
	"casebook users unassign": "changes the store; one line says what was done, the exit code whether it was",
	"casebook users passwd":   "changes the store; one line says what was done, the exit code whether it was",
	"casebook users tier":     "changes the store; one line says what was done, the exit code whether it was",
	"casebook users remove":   "changes the store; one line says what was done, the exit code whether it was",
}

// TestEveryOutputFlagIsShared walks the command tree: every command that
// prints data has -o/--output made by outputFlag (so it checks its values
// as it parses, and text is its first), and any other flag of a format
// name (--format) is outputFlag's deprecated alias, hidden from help.
func TestEveryOutputFlagIsShared(t *testing.T) {
	streams := &ioStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	root := newRootCmd(newFactory(streams))
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		name := c.CommandPath()
		for _, sub := range c.Commands() {
			if sub.Name() != "help" {
				walk(sub)
			}
		}
		if !c.Runnable() || c.HasSubCommands() || strings.HasPrefix(name, "casebook completion") { // shell scripts
			return
		}
		if why, ok := noOutputFlag[name]; ok {
			seen[name] = true
			if f := c.Flags().Lookup("output"); f != nil {
				t.Errorf("%s has -o/--output but is listed as printing no data (%s)", name, why)
			}
			return
		}
		out := c.Flags().Lookup("output")
		switch {
		case out == nil:
			t.Errorf("%s prints data but has no -o/--output (use outputFlag, or list it in noOutputFlag with a reason)", name)
			return
		case !isOutputFlag(out) || out.Shorthand != "o":
			t.Errorf("%s: --output is not outputFlag's", name)
			return
		}
		o := out.Value.(*outputSetter).o
		if o.formats[0] != "text" && name != "casebook export" {
			t.Errorf("%s: -o defaults to %q, want text first", name, o.formats[0])
		}
		if err := out.Value.Set("no-such-format"); err == nil || exitCode(err) != exitCannotRun {
			t.Errorf("%s: -o no-such-format was not a usage error: %v", name, err)
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "output" && (f.Name == "format" || isOutputFlag(f)) && (!isOutputFlag(f) || !f.Hidden) {
				t.Errorf("%s: --%s is a second output flag; make it outputFlag(...).oldFlag", name, f.Name)
			}
		})
	}
	walk(root)
	for name := range noOutputFlag {
		if !seen[name] {
			t.Errorf("noOutputFlag names %s, which is not a command", name)
		}
	}
}

// TestOldOutputFlagsStillWork: --format is -o, table is text, and the two
// flags given different values are a usage error.
func TestOldOutputFlagsStillWork(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // a line of stdout
		err  string // part of stderr
	}{
		{"--format is -o, with a notice on stderr", []string{"show", "https-link-branding", "--format", "mermaid"}, 0, "flowchart TD", "--format is deprecated; use -o/--output"},
		{"-f is -o", []string{"export", "https-link-branding", "-f", "markdown"}, 0, "", "deprecated"},
		{"table is text", []string{"list", "-o", "table"}, 0, "", ""},
		{"tree is show's text", []string{"show", "https-link-branding", "-o", "tree"}, 0, "", ""},
		{"the same value twice is fine", []string{"show", "https-link-branding", "--format", "dot", "-o", "dot"}, 0, "digraph", ""},
		{"different values are a usage error", []string{"release", "check", "--manifest", "mailer@2023.10", "--format", "junit", "-o", "json"}, 2, "",
			"--format junit and --output json disagree; give -o/--output alone"},
		{"either order", []string{"show", "https-link-branding", "-o", "json", "-f", "yaml"}, 2, "", "--output json and --format yaml disagree"},
		{"an unknown value names the values", []string{"lint", "-o", "xml"}, 2, "", `casebook: --output "xml" is not one of text, json, github, junit` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			s := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
			if code := run(tc.args, s); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errOut.String())
			}
			if !strings.Contains(out.String(), tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, out.String())
			}
			if !strings.Contains(errOut.String(), tc.err) {
				t.Errorf("stderr %q lacks %q", errOut.String(), tc.err)
			}
			if strings.Contains(out.String(), "deprecated") {
				t.Errorf("the deprecation notice went to stdout:\n%s", out.String())
			}
		})
	}
}
