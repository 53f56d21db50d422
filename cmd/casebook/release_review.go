package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

type releaseReviewOptions struct {
	f      *factory
	ids    []string
	forVer string
	dryRun bool
}

func newReleaseReviewCmd(f *factory) *cobra.Command {
	opts := &releaseReviewOptions{f: f}
	cmd := &cobra.Command{
		Use:   "review ID... --for VERSION",
		Short: "Sign playbooks off for a release: set reviewed_for and bump the patch version",
		Long: `Review records that playbooks were checked against a product release: it
sets reviewed_for to VERSION and bumps the playbook's patch version, editing
each file in place. Everything else in the file (comments, key order,
quoting, blank lines, block or flow style) is kept byte for byte; the edited
file is read back and the edit refused unless exactly those two values
changed. Files are written atomically, keeping their mode (and owner where
you may set it); a read-only file is refused, and a linked playbook is edited
through the link. Each file is locked while it is edited, so reviews run at
the same time all land, each bumping the version again.

The playbooks must be files of an on-disk library (--library or
$CASEBOOK_LIBRARY); the embedded library cannot be edited.

` + exitCodesHelp,
		Example: `  casebook release review https-link-branding --for 2024.2 --library ./library
  casebook release review https-link-branding in-app-message-not-displayed --for 2024.2 --dry-run`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ids = args
			if opts.forVer == "" {
				return usageErrorf("--for VERSION is required: the release the playbooks were reviewed for")
			}
			if _, err := semver.NewVersion(opts.forVer); err != nil {
				return usageErrorf("--for %q is not a product version (like 2024.2)", opts.forVer)
			}
			return runReleaseReview(opts)
		},
	}
	cmd.Flags().StringVar(&opts.forVer, "for", "", "the release `VERSION` the playbooks were reviewed for")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "say what would change without writing")
	cmd.ValidArgsFunction = completeArgs(f, 0, completePlaybooks)
	return cmd
}

func runReleaseReview(opts *releaseReviewOptions) error {
	f, s := opts.f, opts.f.streams
	root := f.libraryRoot()
	if root == "" {
		return usageErrorf("review edits playbook files: pass --library DIR (the embedded library cannot be edited; casebook init DIR writes an editable copy)")
	}
	// Every file is resolved and checked before any is written: a bad id
	// or a file that cannot be edited leaves every file as it was.
	type target struct {
		file string // as shown in messages
		path string // the file written: a link's target
		id   string
		lock *playbooks.LockedFile
		edit *playbooks.ReviewEdit
	}
	var targets []*target
	seen := map[string]bool{}
	for _, id := range opts.ids {
		p, err := f.playbook(id)
		if err != nil {
			return err
		}
		path, err := playbooks.ResolveInLibrary(root, filepath.FromSlash(p.File))
		if err != nil {
			return usageErrorf("%v", err)
		}
		if seen[path] {
			continue
		}
		seen[path] = true
		if err := playbooks.Writable(path); err != nil {
			return usageErrorf("%v", err)
		}
		targets = append(targets, &target{file: p.File, path: path, id: p.ID})
	}
	if !opts.dryRun {
		// Lock in one order, so that two reviews of the same files wait
		// for each other rather than each holding what the other needs.
		locking := slices.Clone(targets)
		slices.SortFunc(locking, func(a, b *target) int { return strings.Compare(a.path, b.path) })
		for _, t := range locking {
			lock, err := playbooks.LockForUpdate(t.path)
			if err != nil {
				return usageErrorf("%v", err)
			}
			t.lock = lock
			defer lock.Close()
		}
	}
	// The edits are worked out from the files as they are now, under the
	// lock: a review that ran meanwhile is built on, not undone.
	for _, t := range targets {
		var src []byte
		var err error
		if t.lock != nil {
			src, err = t.lock.Read(f.maxSize)
		} else {
			src, err = playbooks.ReadFile(t.path, f.maxSize)
		}
		if err != nil {
			return usageErrorf("%s: %v", t.file, err)
		}
		if t.edit, err = playbooks.ReviewSource(t.file, src, t.id, opts.forVer); err != nil {
			return usageErrorf("%v", err)
		}
	}
	for _, t := range targets {
		verb := "reviewed"
		if opts.dryRun {
			verb = "would review"
		} else if err := t.lock.Replace(t.edit.Out); err != nil {
			return usageErrorf("%v", err)
		}
		e := t.edit
		fmt.Fprintf(s.Out, "%s %s: %s → %s, reviewed_for %s → %s (%s)\n", verb, e.ID, e.OldVersion, e.NewVersion, e.OldReviewed, e.NewReviewed, t.file)
	}
	return nil
}
