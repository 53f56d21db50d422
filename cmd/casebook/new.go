package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/spf13/cobra"
)

func newNewCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Write a new playbook, scenario or recording (a wizard on a terminal)",
		Long: `New turns a real case into training material in minutes:

  new playbook [ID]             a commented playbook skeleton that lints clean
  new scenario --playbook ID    a scenario with every fact of the playbook
  new recording --scenario ID   the real handling, re-enacted move by move

On a terminal each asks its questions; every answer also has a flag, so
scripts never need a terminal.

` + exitCodesHelp,
		Example: `  casebook new playbook password-reset --library ./library                  # on a terminal
  casebook new scenario --playbook password-reset --library ./library           # on a terminal
  casebook new recording --scenario password-reset-expired-link --library ./library   # on a terminal`,
	}
	cmd.AddCommand(newNewPlaybookCmd(f), newNewScenarioCmd(f), newNewRecordingCmd(f))
	return cmd
}

// targetDir is where new files go: --dir, else the library's sub-directory
// (playbooks/ or scenarios/) when it has one, else the library root, else
// the current directory.
func (f *factory) targetDir(dir, sub string) string {
	if dir != "" {
		return dir
	}
	root := f.libraryRoot()
	if root == "" {
		return "."
	}
	if info, err := os.Stat(filepath.Join(root, sub)); err == nil && info.IsDir() {
		return filepath.Join(root, sub)
	}
	return root
}

// schemaPath is the relative path from dir to the library's schema of a
// kind, or a file name beside it when the library has none.
func (f *factory) schemaPath(dir, kind string) string {
	name := kind + ".schema.json"
	if root := f.libraryRoot(); root != "" {
		candidate := filepath.Join(root, "schema", name)
		if _, err := os.Stat(candidate); err == nil {
			if rel, err := filepath.Rel(dir, candidate); err == nil {
				return filepath.ToSlash(rel)
			}
		}
	}
	return name
}

// writeNew writes a new file atomically, never over an existing one
// without --force.
func writeNew(f *factory, path string, data []byte, force bool) error {
	if err := writeFile(path, data, force); err != nil {
		return err
	}
	fmt.Fprintf(f.streams.Out, "wrote %s\n", filepath.ToSlash(path))
	return nil
}

// asker fills in answers: from flags first, then on a terminal. Off a
// terminal it collects every required answer missing, so that one usage
// error (done) names them all at once.
type asker struct {
	f       *factory
	missing []string
}

// text asks for the value of flag ("title" for --title; "ID" for the
// positional argument) unless it is given.
func (a *asker) text(value *string, flag, question, def string, required bool) error {
	if *value != "" {
		return nil
	}
	if !a.f.streams.canPrompt() {
		if !required {
			*value = def
			return nil
		}
		a.want(flag)
		return nil
	}
	v, err := a.f.prompter.Input(question, def)
	*value = strings.TrimSpace(v)
	return err
}

// want records a required answer that is missing off a terminal: a flag
// by its name, the positional argument as ID.
func (a *asker) want(flag string) {
	if flag != "ID" && !strings.HasPrefix(flag, "--") {
		flag = "--" + flag
	}
	a.missing = append(a.missing, flag)
}

// done is the usage error naming every required answer missing, or nil.
func (a *asker) done() error {
	if len(a.missing) == 0 {
		return nil
	}
	return usageErrorf("missing %s (stdin is not a terminal, so casebook cannot ask)", strings.Join(a.missing, ", "))
}

// checkScenarioSource lints scenario text against the library's playbooks.
func checkScenarioSource(f *factory, name string, src []byte) []playbooks.Finding {
	lib, err := f.library()
	if err != nil {
		return []playbooks.Finding{{File: name, Line: 1, Col: 1, Message: err.Error()}}
	}
	doc, fs := playbooks.ParseDocument(name, src)
	if doc.Root == nil {
		return fs
	}
	sc, more := scenarios.Parse(doc)
	fs = append(fs, more...)
	_, more = scenarios.Check(sc, lib.Library)
	return append(fs, more...)
}
