package main

import (
	"path/filepath"
	"strings"

	"github.com/casebook/casebook/playbooks"
)

// suggest is a casebook command for the user to run next, as a message
// prints it: the arguments and, unless the library is the embedded one,
// --library DIR, so the line runs as printed.
func (f *factory) suggest(args ...string) string {
	if root := f.libraryRoot(); root != "" {
		args = append(args[:len(args):len(args)], "--library", root)
	}
	return playbooks.CommandLine(args...)
}

// suggestFor is suggest for a command on the file just written at path:
// with the library when the file is inside it, else with the file's own
// directory as the library, and ok false when the command cannot see the
// file that way (a scenario outside the library of its playbook).
func (f *factory) suggestFor(path string, standalone bool, args ...string) (string, bool) {
	root := f.libraryRoot()
	if root != "" {
		if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
			return f.suggest(args...), true
		}
	}
	if !standalone {
		return "", false
	}
	return playbooks.CommandLine(append(args[:len(args):len(args)], "--library", filepath.ToSlash(filepath.Dir(path)))...), true
}
