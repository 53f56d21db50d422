package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

type releaseCheckOptions struct {
	f        *factory
	manifest string
	output   string
	severity []string
	failOn   string
	rules    bool
}

var releaseFormats = []string{"text", "json", "github", "junit"}

func newReleaseCheckCmd(f *factory) *cobra.Command {
	opts := &releaseCheckOptions{f: f}
	cmd := &cobra.Command{
		Use:   "check --manifest FILE [LIBRARY]",
		Short: "Check the library's playbooks against a product release manifest",
		Long: `Check runs the freshness gate for one product release. For every playbook
of the manifest's product whose applies_to includes the release version:

  - each ui, doc, setting and capability it references exists in the
    release (a removed one is reported at the reference's file:line:col,
    with the replacement the manifest names);
  - reviewed_for is not older than the release (stale);
  - every customer intent has exactly one valid playbook (none is a
    coverage gap, two is duplicate guidance);
  - every scenario's pinned playbook range still resolves and its golden
    path still reaches an outcome.

--manifest takes a file, or PRODUCT@VERSION naming a manifest in the
library (the embedded library has mailer@2023.10 and mailer@2024.2).
LIBRARY defaults to --library, $CASEBOOK_LIBRARY or the embedded library.
A gate that finds no playbook of the product valid for the version has
checked nothing and fails with exit 2 (probably the wrong library).

Formats (-o): text (file:line:col: message [rule]; table is its old name),
json, github (workflow annotations) and junit (XML for other CI systems:
one test suite per file, one case per rule named by the rule with the file
as its classname, the position in the failure's message; a warning that
does not fail the gate is a skipped case, so it never looks like a clean
pass). Tune severities as with linters: --severity
release-stale-review=warning (or =off); warnings do not fail the gate
unless --fail-on warning.

` + exitCodesHelp,
		Example: `  casebook release check --manifest mailer@2024.2   # a stale playbook fails the gate (exit 1)
  casebook release check --manifest mailer@2023.10 ./library -o github
  casebook release check --manifest ./library/playbooks/releases/mailer-2023.10.yaml ./library -o junit > casebook.xml
  casebook release check --manifest mailer@2024.2 --severity release-stale-review=warning`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.rules {
				return printReleaseRules(f, opts.output)
			}
			if len(args) == 1 {
				f.libraryDir = args[0]
			}
			if err := checkFormat("fail-on", opts.failOn, "error", "warning"); err != nil {
				return err
			}
			if opts.manifest == "" {
				return usageErrorf("--manifest is required: a release manifest file, or PRODUCT@VERSION from the library")
			}
			return runReleaseCheck(opts)
		},
	}
	cmd.Flags().StringVar(&opts.manifest, "manifest", "", "release manifest `FILE` (or PRODUCT@VERSION from the library)")
	outputFlag(cmd, &opts.output, releaseFormats...).oldFlag("format", "f")
	cmd.Flags().StringArrayVar(&opts.severity, "severity", nil, "set a rule's severity: `RULE=error|warning|off` (repeatable)")
	cmd.Flags().StringVar(&opts.failOn, "fail-on", "error", "lowest severity that fails the gate: error or warning")
	cmd.Flags().BoolVar(&opts.rules, "rules", false, "list the rules of the gate")
	cmd.ValidArgsFunction = completeDirs
	completeFlag(cmd, "manifest", completeManifests(f))
	completeFlag(cmd, "fail-on", completeValues("error", "warning"))
	return cmd
}

func printReleaseRules(f *factory, format string) error {
	s := f.streams
	if format == "json" {
		return writeJSON(s.Out, simulator.ReleaseRules())
	}
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("rule", "description")
	for _, r := range simulator.ReleaseRules() {
		t.Row(string(r.ID), r.Description)
	}
	return t.Render()
}

// loadManifest reads --manifest: a file, or PRODUCT@VERSION in the library.
func loadManifest(f *factory, lib *loadedLibrary, arg string) (*playbooks.Manifest, error) {
	if _, err := os.Stat(arg); err == nil {
		src, err := readInput("manifest", arg, f.maxSize)
		if err != nil {
			return nil, err
		}
		m, fs := playbooks.ParseManifest(filepath.ToSlash(arg), src)
		if len(fs) > 0 {
			playbooks.SortFindings(fs)
			for _, fd := range fs {
				fmt.Fprintln(f.streams.ErrOut, fd)
			}
			return nil, usageErrorf("--manifest %s has %d problem(s); the gate cannot run on it", filepath.ToSlash(arg), len(fs))
		}
		return m, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, usageErrorf("--manifest: %v", err)
	}
	product, version, ok := strings.Cut(arg, "@")
	var known []string
	for _, m := range lib.Manifests {
		known = append(known, m.Product+"@"+m.Version)
		if ok && m.Product == product && m.Version == version {
			if err := f.refuseBroken(lib, "manifest", arg, m.File); err != nil {
				return nil, err
			}
			return m, nil
		}
	}
	if len(known) == 0 {
		return nil, usageErrorf("--manifest %s: no such file, and the library %s holds no manifests", arg, lib.Source)
	}
	return nil, usageErrorf("--manifest %s: no such file, and no manifest PRODUCT@VERSION of that name in library %s (%s)", arg, lib.Source, strings.Join(known, ", "))
}

func runReleaseCheck(opts *releaseCheckOptions) error {
	f, s := opts.f, opts.f.streams
	levels, err := parseSeverities(opts.severity)
	if err != nil {
		return err
	}
	if _, err := os.Stat(opts.manifest); errors.Is(err, fs.ErrNotExist) && !strings.Contains(opts.manifest, "@") {
		// Neither a file nor PRODUCT@VERSION: say so before loading the library.
		return usageErrorf("--manifest %s: no such file (give a release manifest file, or PRODUCT@VERSION of one in the library)", filepath.ToSlash(opts.manifest))
	}
	lib, err := f.library()
	if err != nil {
		return err
	}
	m, err := loadManifest(f, lib, opts.manifest)
	if err != nil {
		return err
	}
	gate := simulator.CheckReleaseGate(m, lib.Library, lib.Scenarios, lib.Problems, levels)
	kept, checked := gate.Findings, gate.Checked
	var files []string
	for _, p := range checked {
		files = append(files, p.File)
	}
	err = writeFindings(s.Out, opts.output, findingsReport{
		findings: kept,
		json: func(fs []playbooks.Finding) any {
			return struct {
				Product   string              `json:"product"`
				Version   string              `json:"version"`
				Playbooks []string            `json:"playbooks"`
				Findings  []playbooks.Finding `json:"findings"`
			}{m.Product, m.Version, playbookFiles(checked), fs}
		},
		suite:   fmt.Sprintf("casebook release check %s %s", m.Product, m.Version),
		checked: files,
		rules:   gateRules(levels),
		clean:   "release-check", // every playbook rule turned off
		failOn:  opts.failOn,
	})
	if opts.output == "text" {
		fmt.Fprintf(s.ErrOut, "%s %s: %d playbook(s) checked, %s\n", m.Product, m.Version, len(checked), summary(kept))
	}
	if err != nil {
		return err
	}
	if len(checked) == 0 {
		// A gate that checked nothing must not pass, whatever else it
		// found: the library is probably not the one meant, or its
		// directory was not read.
		return &exitError{code: exitCannotRun, err: fmt.Errorf("no playbook of product %s is valid for %s in library %s", m.Product, m.Version, lib.Source)}
	}
	for _, fd := range kept {
		if fd.Severity == playbooks.SeverityError || opts.failOn == "warning" {
			return errFindings
		}
	}
	return nil
}

// gateRules are the rules each playbook checked is a JUnit case of: the
// gate's rules on one playbook (not the coverage gap, which is of the
// manifest), less those --severity turned off.
func gateRules(levels map[playbooks.RuleID]string) []playbooks.RuleID {
	var out []playbooks.RuleID
	for _, r := range playbooks.ReleaseRules {
		if r.ID != playbooks.RuleReleaseGap && levels[r.ID] != "off" {
			out = append(out, r.ID)
		}
	}
	return out
}

func summary(fs []playbooks.Finding) string {
	errs, warns := 0, 0
	for _, f := range fs {
		if f.Severity == playbooks.SeverityWarning {
			warns++
		} else {
			errs++
		}
	}
	if errs+warns == 0 {
		return "no problems"
	}
	return fmt.Sprintf("%d error(s), %d warning(s)", errs, warns)
}

func playbookFiles(ps []*playbooks.Playbook) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID+"@"+p.Version)
	}
	return out
}

func parseSeverities(pairs []string) (map[playbooks.RuleID]string, error) {
	known := map[playbooks.RuleID]bool{}
	for _, r := range slices.Concat(simulator.ReleaseRules(), allRules()) {
		known[r.ID] = true
	}
	out := map[playbooks.RuleID]string{}
	for _, p := range pairs {
		name, lvl, ok := strings.Cut(p, "=")
		rule := playbooks.RuleID(name)
		if !ok || (lvl != playbooks.SeverityError && lvl != playbooks.SeverityWarning && lvl != "off") {
			return nil, usageErrorf("--severity %q: write RULE=error, RULE=warning or RULE=off", p)
		}
		if !known[rule] {
			return nil, usageErrorf("--severity %q: no rule %q (casebook release check --rules)", p, rule)
		}
		out[rule] = lvl
	}
	return out, nil
}
