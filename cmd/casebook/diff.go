package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

type diffOptions struct {
	f        *factory
	old, new string
	output   string
}

func newDiffCmd(f *factory) *cobra.Command {
	opts := &diffOptions{f: f}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two versions of a playbook by meaning",
		Long: `Diff compares two versions of one playbook by what they mean, not line by
line, and prints what an agent must relearn: rewired branches, new and removed
steps, facts, tiers' capabilities, references to UI, docs and settings, and
reply texts per audience. Moving keys, steps or facts around, rewrapping text
or bumping the version alone changes nothing.

OLD and NEW are playbook files, or ID@REV: playbook ID as it was at git
revision REV (a commit, tag or branch). ID@REV needs a library directory
(--library or $CASEBOOK_LIBRARY) inside a git checkout: the file that holds
the newest version of ID there is read at REV with git show.

Both must be versions of the same playbook id; two different ids are a usage
error. A file with errors is not compared: its findings are printed.

Text output is one line per change, grouped by part of the playbook:
+ added, - removed, ~ changed. -o json prints the changes with stable codes
(step-branch-changed, reply-fix-changed, ...) for scripts. Diff exits 0
whether or not anything changed.

` + exitCodesHelp,
		Example: `  casebook diff old/https-link-branding.yaml playbooks/https-link-branding.yaml
  casebook diff https-link-branding@v2.0.0 https-link-branding@HEAD --library playbooks
  casebook diff https-link-branding@HEAD~1 playbooks/https-link-branding.yaml --library playbooks
  casebook diff a.yaml b.yaml -o json | jq -r '.changes[].code'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErrorf("diff takes OLD and NEW, got %d argument(s) (see casebook diff --help)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.old, opts.new = args[0], args[1]
			if err := checkFormat("output", opts.output, "text", "json"); err != nil {
				return err
			}
			return runDiff(opts)
		},
	}
	outputFlag(cmd, &opts.output, "text", "json")
	return cmd
}

func runDiff(opts *diffOptions) error {
	s := opts.f.streams
	old, err := loadDiffSide(opts.f, opts.old)
	if err != nil {
		return err
	}
	new, err := loadDiffSide(opts.f, opts.new)
	if err != nil {
		return err
	}
	if old.ID != new.ID {
		return usageErrorf("%s is playbook %s but %s is playbook %s; diff compares two versions of one playbook", old.File, old.ID, new.File, new.ID)
	}
	d := playbooks.Diff(old, new)
	if len(d.Changes) > 0 {
		switch ov, nv := old.SemVersion(), new.SemVersion(); {
		case ov != nil && nv != nil && ov.Equal(nv):
			fmt.Fprintf(s.ErrOut, "warning: both are version %s, yet the meaning changed; bump the version in %s\n", new.Version, new.File)
		case ov != nil && nv != nil && nv.LessThan(ov):
			fmt.Fprintf(s.ErrOut, "warning: NEW (%s) is an older version than OLD (%s); are the arguments the wrong way round?\n", new.Version, old.Version)
		}
	}
	if opts.output == "json" {
		return writeJSON(s.Out, d)
	}
	if len(d.Changes) == 0 {
		_, err := fmt.Fprintln(s.Out, "No changes in meaning.")
		return err
	}
	return printDelta(s.Out, d, "")
}

// loadDiffSide reads and parses OLD or NEW, refusing a file with errors.
func loadDiffSide(f *factory, arg string) (*playbooks.Playbook, error) {
	name, src, err := readDiffSide(f, arg)
	if err != nil {
		return nil, err
	}
	p, fs := playbooks.ParsePlaybook(name, src)
	if p == nil || playbooks.HasErrors(fs) {
		for _, fd := range fs {
			fmt.Fprintln(f.streams.ErrOut, fd)
		}
		return nil, &exitError{code: exitFindings, err: fmt.Errorf("%s has %d problem(s); cannot compare it", name, len(fs))}
	}
	return p, nil
}

// readDiffSide reads a playbook file, or ID@REV from git. It returns the
// name findings use: the path, or REV:PATH.
func readDiffSide(f *factory, arg string) (string, []byte, error) {
	info, statErr := os.Stat(arg)
	if statErr == nil {
		if info.IsDir() {
			return "", nil, usageErrorf("%s is a directory; diff compares two playbook files", arg)
		}
		if !info.Mode().IsRegular() {
			return "", nil, usageErrorf("%s is not a regular file", arg)
		}
		src, err := playbooks.ReadFile(arg, f.maxSize)
		if errors.Is(err, playbooks.ErrTooLarge) {
			return "", nil, usageErrorf("%s is larger than the limit of %d bytes", arg, f.maxSize)
		}
		if err != nil {
			return "", nil, usageErrorf("%s: %v", arg, describeOpenError(err))
		}
		return filepath.ToSlash(filepath.Clean(arg)), src, nil
	}
	if id, rev, ok := strings.Cut(arg, "@"); ok && playbooks.ValidID(id) {
		return readAtRevision(f, arg, id, rev)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		return "", nil, usageErrorf("%s: no such file (OLD and NEW are playbook files or ID@REV)", arg)
	}
	return "", nil, usageErrorf("%s: %v", arg, describeOpenError(statErr))
}

func describeOpenError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readAtRevision reads the file of playbook id, as found in the on-disk
// library, at git revision rev.
func readAtRevision(f *factory, arg, id, rev string) (string, []byte, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", nil, usageErrorf("%s: %q is not a git revision; write ID@REV, e.g. %s@HEAD~1", arg, rev, id)
	}
	root := f.libraryRoot()
	if root == "" {
		return "", nil, usageErrorf("%s: ID@REV needs --library DIR, a library inside a git checkout", arg)
	}
	lib, err := f.library()
	if err != nil {
		return "", nil, err
	}
	p := lib.Find(id)
	if p == nil {
		return "", nil, usageErrorf("%s: no playbook %q in library %s, so casebook cannot tell which file to read at %s", arg, id, lib.Source, rev)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return "", nil, usageErrorf("%s: reading a revision needs git, which is not on PATH", arg)
	}
	abs, err := filepath.Abs(filepath.FromSlash(p.File))
	if err != nil {
		return "", nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	dir := filepath.Dir(abs)
	top, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", nil, usageErrorf("%s: library %s is not inside a git checkout", arg, root)
	}
	topDir := strings.TrimSpace(string(top))
	if real, err := filepath.EvalSymlinks(topDir); err == nil {
		topDir = real
	}
	rel, err := filepath.Rel(topDir, abs)
	if err != nil {
		return "", nil, err
	}
	rel = filepath.ToSlash(rel)
	commit, err := git(dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", nil, usageErrorf("%s: no revision %q in the git checkout of %s", arg, rev, root)
	}
	src, err := git(dir, "show", strings.TrimSpace(string(commit))+":"+rel)
	if err != nil {
		return "", nil, usageErrorf("%s: %s does not exist at revision %s", arg, rel, rev)
	}
	if int64(len(src)) > f.maxSize {
		return "", nil, usageErrorf("%s: %s at %s is larger than the limit of %d bytes", arg, rel, rev, f.maxSize)
	}
	return rev + ":" + rel, src, nil
}

// git runs git in dir and returns its output.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// areaHeadings name the groups of a change list, in the order Diff lists them.
var areaHeadings = []struct{ area, heading string }{
	{playbooks.AreaPlaybook, "Playbook"},
	{playbooks.AreaFact, "Facts"},
	{playbooks.AreaTier, "Tiers"},
	{playbooks.AreaStep, "Steps"},
	{playbooks.AreaReply, "Replies"},
}

var changeMarks = map[string]string{playbooks.ChangeAdded: "+", playbooks.ChangeRemoved: "-", playbooks.ChangeChanged: "~"}

// printDelta prints a heading and one line per change, grouped by area.
func printDelta(w io.Writer, d *playbooks.Delta, indent string) error {
	n := len(d.Changes)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	fmt.Fprintf(w, "%s%s %s → %s: %d change%s\n", indent, d.ID, d.OldVersion, d.NewVersion, n, plural)
	for _, a := range areaHeadings {
		heading := false
		for _, c := range d.Changes {
			if c.Area != a.area {
				continue
			}
			if !heading {
				fmt.Fprintf(w, "%s  %s\n", indent, a.heading)
				heading = true
			}
			fmt.Fprintf(w, "%s    %s %s\n", indent, changeMarks[c.Kind], c.Message)
		}
	}
	return nil
}

type changesOptions struct {
	f       *factory
	since   string
	product string
	output  string
}

func newChangesCmd(f *factory) *cobra.Command {
	opts := &changesOptions{f: f}
	cmd := &cobra.Command{
		Use:   "changes --since VERSION",
		Short: "List what changed in the playbooks since a product version",
		Long: `Changes is the briefing for a product release: what changed in the library's
playbooks since product version VERSION, read from the library itself (every
version of a playbook kept side by side, each with its applies_to range).

For each playbook id it compares the version that applied at VERSION (the
newest whose applies_to includes VERSION) with the newest version in the
library now, and prints what changed in meaning, as casebook diff does. It
also lists:

  new      no version applied at VERSION; the newest applies at or after it
  retired  a version applied at VERSION, but the newest version applies
           neither at VERSION nor at any later version (its applies_to ends
           before VERSION). To retire a playbook, publish a last version
           whose range ends: ">=2023.6 <2024.1" shows as retired in
           briefings since 2024.1 or later

Playbooks whose every version ended before VERSION are left out. VERSION is
a product version, semver with missing parts read as 0 (2023.10 is
2023.10.0). Versions mean releases of one product: when the library holds
playbooks of several products, name one with --product.

A playbook with errors is not compared: its findings are printed (exit 1).

` + exitCodesHelp,
		Example: `  casebook changes --since 2023.10 --library playbooks
  casebook changes --since 5.2 --product engage
  casebook changes --since 2023.10 --product mailer -o json | jq -r '.changed[].changes[].message'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat("output", opts.output, "text", "json"); err != nil {
				return err
			}
			return runChanges(opts)
		},
	}
	cmd.Flags().StringVar(&opts.since, "since", "", "product `VERSION` the agents know the playbooks of, e.g. 2023.10 (required)")
	cmd.Flags().StringVar(&opts.product, "product", "", "the `PRODUCT` whose playbooks to brief on (default: the library's only product)")
	outputFlag(cmd, &opts.output, "text", "json")
	return cmd
}

func runChanges(opts *changesOptions) error {
	s := opts.f.streams
	if opts.since == "" {
		return usageErrorf("--since VERSION is required, e.g. --since 2023.10")
	}
	since, err := semver.NewVersion(opts.since)
	if err != nil {
		return usageErrorf("--since %q is not a version; write e.g. 2023.10 or 2023.10.1", opts.since)
	}
	lib, err := opts.f.library()
	if err != nil {
		return err
	}
	var products []string
	for _, p := range lib.Playbooks {
		if !slices.Contains(products, p.Product) {
			products = append(products, p.Product)
		}
	}
	slices.Sort(products)
	product := opts.product
	switch {
	case product != "" && !slices.Contains(products, product):
		return usageErrorf("--product %q: library %s has no playbooks of it (products: %s)", product, lib.Source, strings.Join(products, ", "))
	case product == "" && len(products) > 1:
		return usageErrorf("library %s holds playbooks of several products (%s); name one with --product, as VERSION is a release of one product", lib.Source, strings.Join(products, ", "))
	case product == "" && len(products) == 1:
		product = products[0]
	}
	// Comparing a broken file would brief agents on a guess.
	broken := 0
	for _, p := range lib.Sorted() {
		if p.Product != product {
			continue
		}
		for _, fd := range lib.Problems {
			if fd.File == p.File && fd.Severity == playbooks.SeverityError {
				fmt.Fprintln(s.ErrOut, fd)
				broken++
			}
		}
	}
	if broken > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("%d problem(s) in the playbooks of %s; fix them first (casebook lint %s)", broken, product, lib.Source)}
	}

	b := playbooks.ChangesSince(lib.Library, product, since)
	if opts.output == "json" {
		if err := writeJSON(s.Out, b); err != nil {
			return err
		}
	} else if err := printBriefing(s.Out, b); err != nil {
		return err
	}
	return libraryWarning(opts.f, lib)
}

func printBriefing(w io.Writer, b *playbooks.Briefing) error {
	what := b.Since
	if b.Product != "" {
		what = b.Product + " " + b.Since
	}
	if len(b.Changed)+len(b.New)+len(b.Retired) == 0 {
		_, err := fmt.Fprintf(w, "No playbook changes since %s (%d unchanged).\n", what, len(b.Unchanged))
		return err
	}
	fmt.Fprintf(w, "Playbook changes since %s: %d changed, %d new, %d retired, %d unchanged\n",
		what, len(b.Changed), len(b.New), len(b.Retired), len(b.Unchanged))
	for _, d := range b.Changed {
		fmt.Fprintln(w)
		if err := printDelta(w, d, ""); err != nil {
			return err
		}
	}
	for _, list := range []struct {
		heading, mark string
		entries       []playbooks.BriefingEntry
	}{
		{"New since " + b.Since, "+", b.New},
		{"Retired", "-", b.Retired},
	} {
		if len(list.entries) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", list.heading)
		for _, e := range list.entries {
			fmt.Fprintf(w, "  %s %s %s: %s (applies to %s)\n", list.mark, e.ID, e.Version, e.Title, e.AppliesTo)
		}
	}
	if len(b.Unchanged) > 0 {
		ids := make([]string, len(b.Unchanged))
		for i, e := range b.Unchanged {
			ids[i] = e.ID + " " + e.Version
		}
		fmt.Fprintf(w, "\nUnchanged: %s\n", strings.Join(ids, ", "))
	}
	return nil
}
