package main

import "github.com/casebook/casebook/playbooks"

// suggest is a casebook command for the user to run next, as a message
// prints it: the arguments and, unless the library is the embedded one,
// --library DIR, so the line runs as printed.
func (f *factory) suggest(args ...string) string {
	if root := f.libraryRoot(); root != "" {
		args = append(args[:len(args):len(args)], "--library", root)
	}
	return playbooks.CommandLine(args...)
}
