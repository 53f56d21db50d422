package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

type lintOptions struct {
	f      *factory
	paths  []string
	output string
	rules  bool
}

func newLintCmd(f *factory) *cobra.Command {
	opts := &lintOptions{f: f}
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check playbook files and report every problem with its position",
		Long: `Lint loads playbook and scenario files strictly, checks the playbooks'
decision graphs, and checks each scenario against the playbook it names
(the range resolves, the truth is legal, covers the golden path and leads
it to an outcome, the recorded moves are legal).

PATH may be files or directories (searched for *.yaml and *.yml, skipping
hidden directories such as .git and .github). With no
PATH, lint checks the library (--library, $CASEBOOK_LIBRARY or the embedded
one); PATH with --library checks those files against the library (a
scenario against its playbook there) and reports theirs only. Every finding of every file is reported, sorted by position, as
file:line:col: message [rule] (-o text), or as -o json, -o github (workflow
annotations) or -o junit (XML; cases named as release check names them).
casebook lint --rules lists the rules.

` + exitCodesHelp,
		Example: `  casebook lint
  casebook lint playbooks/ extra/https.yaml
  casebook lint -o json ./library | jq '.findings[].rule'
  casebook lint ./library -o junit > lint.xml
  casebook lint --rules`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return runLint(opts)
		},
	}
	outputFlag(cmd, &opts.output, "text", "json", "github", "junit")
	cmd.Flags().BoolVar(&opts.rules, "rules", false, "list the rules lint checks, with their ids")
	return cmd
}

type lintReport struct {
	Files    int                 `json:"files"`
	Findings []playbooks.Finding `json:"findings"`
}

func runLint(opts *lintOptions) error {
	s := opts.f.streams
	if opts.rules {
		return printRules(opts.f, opts.output)
	}
	// Lint keeps no more of each playbook than its checks need (Slim), and
	// checks scenarios while their playbooks load, so a library of
	// thousands keeps about 2 KB per file. That small heap lets the
	// collector run half as often as by default (GOGC=200) for less than
	// 100 MB at 10,000 playbooks; GOGC in the environment still rules.
	// (A fixed soft memory limit was tried and removed: past it the
	// collector runs without end, 4x slower at 50k playbooks; see
	// BENCHMARKS.md.)
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	paths := opts.paths
	if len(paths) == 0 {
		if root := opts.f.libraryRoot(); root != "" {
			if err := libraryDirError(root); err != nil {
				return err
			}
			paths = []string{root}
		}
	}
	var files []playbooks.File
	var readFindings []playbooks.Finding
	var err error
	source := strings.Join(paths, " ")
	if len(paths) == 0 {
		files, readFindings, err = scenarios.EmbeddedFiles(opts.f.maxSize)
		source = playbooks.EmbeddedName
	} else {
		files, readFindings, err = playbooks.ListPaths(paths, opts.f.maxSize)
	}
	if err != nil {
		return &exitError{code: exitCannotRun, err: err}
	}
	// Files given with --library are checked against the library (a
	// scenario against its playbook there), and only their findings told.
	var only map[string]bool
	if root := opts.f.libraryDir; root != "" && len(opts.paths) > 0 && len(files) > 0 {
		only = map[string]bool{}
		for _, fl := range files {
			only[fl.Name] = true
		}
		for _, fd := range readFindings {
			only[fd.File] = true
		}
		lib, libRead, err := playbooks.ListPaths([]string{root}, opts.f.maxSize)
		if err != nil {
			return &exitError{code: exitCannotRun, err: err}
		}
		given := map[string]bool{}
		for _, fl := range files {
			given[realPath(fl.Name)] = true
		}
		for _, fl := range lib {
			if !given[realPath(fl.Name)] {
				files = append(files, fl)
			}
		}
		readFindings = append(readFindings, libRead...)
	}
	if len(files) == 0 && len(readFindings) == 0 {
		return usageErrorf("no files to lint in %s: lint reads *.yaml and *.yml files", filepath.ToSlash(source))
	}
	lib := loadFiles(files, readFindings, source, loadSlim, opts.f.progress("linting", "files"))
	findings, nfiles := lib.Problems, lib.Files
	if only != nil {
		findings = slices.DeleteFunc(slices.Clone(findings), func(fd playbooks.Finding) bool { return !only[fd.File] })
		nfiles = len(only)
		files = slices.DeleteFunc(files, func(fl playbooks.File) bool { return !only[fl.Name] })
	}
	err = writeFindings(s.Out, opts.output, findingsReport{
		findings: findings,
		json: func(fs []playbooks.Finding) any {
			return lintReport{Files: nfiles, Findings: fs}
		},
		suite:   "casebook lint " + filepath.ToSlash(source),
		checked: fileNames(files),
		clean:   "lint",
	})
	if err != nil { // the findings come before any summary on stderr
		return err
	}
	if playbooks.HasErrors(findings) {
		if opts.output == "text" || opts.output == "github" {
			fmt.Fprintf(s.ErrOut, "%d problem(s) in %d file(s)\n", playbooks.Total(findings), countFiles(findings))
		}
		return errFindings
	}
	if opts.output == "text" && s.OutTTY {
		fmt.Fprintf(s.ErrOut, "%d file(s) checked, no problems\n", nfiles)
	}
	return nil
}

// allRules lists the rules of every file kind lint checks.
func allRules() []playbooks.Rule {
	return append(append(slices.Clone(playbooks.Rules), scenarios.Rules...), simulator.LintRules...)
}

func fileNames(files []playbooks.File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Name
	}
	return out
}

func countFiles(fs []playbooks.Finding) int {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.File] = true
	}
	return len(seen)
}

func printRules(f *factory, output string) error {
	s := f.streams
	if output == "json" {
		return writeJSON(s.Out, allRules())
	}
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("rule", "kind", "description")
	for _, r := range allRules() {
		t.Row(string(r.ID), r.Kind, strings.TrimSpace(r.Description))
	}
	return t.Render()
}

// realPath is the file's path with links and dots resolved, to tell two
// names of one file apart from two files.
func realPath(name string) string {
	if p, err := filepath.EvalSymlinks(name); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
	}
	return name
}
