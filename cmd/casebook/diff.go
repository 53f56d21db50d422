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
	"strings"

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
	if kind := playbooks.HeadKind(src); kind != "" && kind != playbooks.KindPlaybook {
		// A file of another kind than diff compares: the command cannot run
		// on it (exit 2), as replay and release check refuse theirs.
		return nil, usageErrorf("%s is a %s file; diff compares two versions of a playbook (%s)", name, kind, playbooks.KindPlaybook)
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
