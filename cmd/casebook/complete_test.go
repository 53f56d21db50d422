package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Flags whose values casebook knows (library ids, fixed choices,
// directories): each one a command has must complete.
var completedFlags = []string{
	"output", "format", "tier", "mode", "audience", "manifest", "playbook", "scenario",
	"resume", "library", "attempts", "dir", "fail-on", "channel", "tone", "persona-role",
}

// Commands whose arguments are any file, left to the shell's completion.
var fileArgCommands = map[string]bool{
	"casebook lint": true, // PATH...
	"casebook diff": true, // OLD NEW: files (ID@REV is not completed)
}

// TestEveryArgumentAndChoiceCompletes walks the command tree: a command that
// takes arguments completes them unless they are plain files, and every flag
// of completedFlags it has completes its values.
func TestEveryArgumentAndChoiceCompletes(t *testing.T) {
	streams := &ioStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	root := newRootCmd(newFactory(streams))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		name := c.CommandPath()
		if takesArgs(c.Use) && c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 && !fileArgCommands[name] {
			t.Errorf("%s takes arguments but does not complete them", name)
		}
		for _, flag := range completedFlags {
			if c.Flags().Lookup(flag) == nil {
				continue
			}
			if _, ok := c.GetFlagCompletionFunc(flag); !ok {
				t.Errorf("%s --%s does not complete its values", name, flag)
			}
		}
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			walk(sub)
		}
	}
	walk(root)
}

// takesArgs says a command's Use line names arguments, not only flags
// ("check --manifest FILE [LIBRARY]" does, "recording --scenario ID" does not).
func takesArgs(use string) bool {
	words := strings.Fields(use)[1:]
	for i := 0; i < len(words); i++ {
		if strings.HasPrefix(words[i], "-") {
			i++ // the flag's value
			continue
		}
		return true
	}
	return false
}

func TestCompletionsKeepWhatStartsWithThePrefix(t *testing.T) {
	all := []string{"https-link\tHTTPS", "in-app\tIn-app", "https-proxy"}
	tests := []struct {
		name   string
		prefix string
		skip   []string
		want   []string
	}{
		{"an empty prefix keeps all", "", nil, all},
		{"the prefix matches the value, not the description", "HTTPS", nil, []string{}},
		{"values given already are left out", "https", []string{"https-link"}, []string{"https-proxy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withPrefix(all, tt.prefix, tt.skip)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || got == nil {
				t.Errorf("withPrefix(%q, %q) = %q, want %q", tt.prefix, tt.skip, got, tt.want)
			}
		})
	}
}
