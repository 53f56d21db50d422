package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

// Dynamic shell completion. Every command completes through the functions
// here, so that all of them read the library the same way: quietly (no
// findings, no warnings), from --library, $CASEBOOK_LIBRARY or the embedded
// library, giving up after completeTimeout. A library that cannot be read
// completes nothing; it never prints an error into the user's shell.

// completeFunc is cobra's completion function, of arguments or of a flag.
type completeFunc = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective)

// completeTimeout bounds how long a completion waits for the library.
const completeTimeout = 3 * time.Second

// What an argument or flag value may be.
type completeKind int

const (
	completePlaybooks completeKind = 1 << iota // playbook ids
	completeScenarios                          // scenario ids
	completeAttempts                           // *.attempt files, then any file
)

// completeArgs completes the positional arguments of a command: up to max
// of them (0: any number), each one of kinds and none given twice.
func completeArgs(f *factory, max int, kinds completeKind) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if max > 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completeIDs(f, cmd, kinds, args, toComplete)
	}
}

// completeFlagIDs completes a flag whose value is one of kinds.
func completeFlagIDs(f *factory, kinds completeKind) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return completeIDs(f, cmd, kinds, nil, toComplete)
	}
}

// completeValues completes a flag with a fixed set of values.
func completeValues(values ...string) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return withPrefix(values, toComplete, nil), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeDirs completes directory names only.
func completeDirs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// A completeTarget names the playbook or scenario whose tiers or audiences
// a flag completes: the first argument, or another flag's value.
type completeTarget func(cmd *cobra.Command, args []string) string

// targetArg is the command's first argument.
func targetArg(cmd *cobra.Command, args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return ""
}

// targetFlag is the value of the flag name.
func targetFlag(name string) completeTarget {
	return func(cmd *cobra.Command, args []string) string {
		v, _ := cmd.Flags().GetString(name)
		return v
	}
}

// completeTiers completes --tier with the tiers of the target's playbook
// (a scenario's: the playbook it resolves to), or of every playbook when
// none is chosen yet.
func completeTiers(f *factory, target completeTarget) completeFunc {
	return completeFromPlaybook(f, target, func(lib *loadedLibrary, id string) []string {
		var out []string
		for _, p := range targetPlaybooks(lib, id) {
			out = append(out, p.TierNames()...)
		}
		return out
	})
}

// completeAudiences completes --audience with the target playbook's
// audiences (those its replies are written for).
func completeAudiences(f *factory, target completeTarget) completeFunc {
	return completeFromPlaybook(f, target, func(lib *loadedLibrary, id string) []string {
		var out []string
		for _, p := range targetPlaybooks(lib, id) {
			out = append(out, p.Audiences()...)
		}
		return out
	})
}

// completeManifests completes --manifest: PRODUCT@VERSION of the library's
// manifests and the *.yaml files here, else any file.
func completeManifests(f *factory) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if strings.ContainsRune(toComplete, '/') || strings.ContainsRune(toComplete, os.PathSeparator) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		}
		var out []string
		if lib := quietLibrary(f); lib != nil {
			for _, m := range lib.Manifests {
				out = append(out, m.Product+"@"+m.Version+"\trelease manifest")
			}
		}
		out = append(out, filesIn(".", ".yaml", ".yml")...)
		return finishFiles(withPrefix(out, toComplete, nil))
	}
}

// completeIDs lists what kinds holds that starts with toComplete, leaving
// out the values in skip (arguments already given).
func completeIDs(f *factory, cmd *cobra.Command, kinds completeKind, skip []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if kinds&completeAttempts != 0 && (strings.ContainsRune(toComplete, '/') || strings.ContainsRune(toComplete, os.PathSeparator)) {
		return nil, cobra.ShellCompDirectiveDefault // a path: the shell's own file completion
	}
	var out []string
	if kinds&(completePlaybooks|completeScenarios) != 0 {
		if lib := quietLibrary(f); lib != nil {
			if kinds&completePlaybooks != 0 {
				for _, id := range lib.IDs() {
					out = append(out, id+"\t"+oneLine(lib.Find(id).Title))
				}
			}
			if kinds&completeScenarios != 0 && lib.Scenarios != nil {
				for _, s := range lib.Scenarios.Scenarios {
					out = append(out, s.ID+"\tscenario: "+oneLine(s.Title))
				}
			}
		}
	}
	if kinds&completeAttempts == 0 {
		return withPrefix(out, toComplete, skip), cobra.ShellCompDirectiveNoFileComp
	}
	out = append(out, filesIn(".", ".attempt")...)
	dir, _ := cmd.Flags().GetString("attempts")
	if dir == "" {
		dir, _ = f.attemptsDir()
	}
	if dir != "" {
		for _, name := range filesIn(dir, ".attempt") {
			out = append(out, filepath.Join(dir, name))
		}
	}
	return finishFiles(withPrefix(out, toComplete, skip))
}

// finishFiles returns completions of a value that may be any file: with
// none of ours matching, the shell completes file names.
func finishFiles(out []string) ([]string, cobra.ShellCompDirective) {
	return out, cobra.ShellCompDirectiveDefault
}

// completeFromPlaybook completes a flag with values the target's playbook
// gives (values, deduplicated, in order).
func completeFromPlaybook(f *factory, target completeTarget, values func(*loadedLibrary, string) []string) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		lib := quietLibrary(f)
		if lib == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, v := range values(lib, target(cmd, args)) {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return withPrefix(out, toComplete, nil), cobra.ShellCompDirectiveNoFileComp
	}
}

// targetPlaybooks is the playbook id names (newest version), the playbook
// scenario id resolves to, or, for "" or an unknown id, every playbook.
func targetPlaybooks(lib *loadedLibrary, id string) []*playbooks.Playbook {
	if id != "" {
		if p := lib.Find(id); p != nil {
			return []*playbooks.Playbook{p}
		}
		if lib.Scenarios != nil {
			if s := lib.Scenarios.Find(id); s != nil {
				if p := lib.Scenarios.Playbook(s); p != nil {
					return []*playbooks.Playbook{p}
				}
			}
		}
	}
	var out []*playbooks.Playbook
	for _, id := range lib.IDs() {
		out = append(out, lib.Find(id))
	}
	return out
}

// quietLibrary loads the library for a completion: nil when it cannot be
// read, when loading panics, or when it takes longer than completeTimeout.
// Nothing is printed either way.
func quietLibrary(f *factory) *loadedLibrary {
	done := make(chan *loadedLibrary, 1)
	go func() {
		defer func() {
			if recover() != nil {
				done <- nil
			}
		}()
		lib, err := f.library()
		if err != nil {
			lib = nil
		}
		done <- lib
	}()
	select {
	case lib := <-done:
		return lib
	case <-time.After(completeTimeout):
		return nil // the process ends with the completion; the load with it
	}
}

// withPrefix keeps the completions (each "value" or "value\tdescription")
// whose value starts with prefix and is not in skip.
func withPrefix(all []string, prefix string, skip []string) []string {
	out := []string{}
	for _, c := range all {
		v, _, _ := strings.Cut(c, "\t")
		if strings.HasPrefix(v, prefix) && !slices.Contains(skip, v) {
			out = append(out, c)
		}
	}
	return out
}

// filesIn lists the names of the regular files in dir ending in one of
// exts, sorted; an unreadable directory has none.
func filesIn(dir string, exts ...string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				out = append(out, e.Name())
				break
			}
		}
	}
	return out
}

// oneLine makes a description fit a completion line, with control
// characters spelt out.
func oneLine(s string) string {
	return playbooks.EscapeControls(strings.Join(strings.Fields(s), " "))
}

// completeFlag registers fn as the completion of cmd's flag name. A flag
// that does not exist is a bug in casebook, found by any test that builds
// the command tree.
func completeFlag(cmd *cobra.Command, name string, fn completeFunc) {
	if err := cmd.RegisterFlagCompletionFunc(name, fn); err != nil {
		panic(err)
	}
}
