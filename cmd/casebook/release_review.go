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
	force  bool
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

A review is a sign-off for one release of the playbook's product, so some
are refused unless --force: VERSION older than the playbook's reviewed_for,
VERSION outside its applies_to, and VERSION that the library's release
manifests (kind release/v1) name for another product but not for this one.
Reviewing again for the version it was reviewed for changes nothing.

The playbooks must be files of an on-disk library (--library or
$CASEBOOK_LIBRARY); the embedded library cannot be edited.

` + exitCodesHelp,
		Example: `  casebook release review https-link-branding --for 2024.2 --library ./library
  casebook release review in-app-message-not-displayed --for 5.5 --library ./library --dry-run
  casebook release review in-app-message-not-displayed --for 2024.2 --library ./library   # mailer's release, not engage's (exit 2)`,
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
	cmd.Flags().BoolVar(&opts.force, "force", false, "review for an older version, one outside applies_to or another product's")
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
		same bool // already reviewed for the version: nothing to write
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
		p, _ := playbooks.ParsePlaybook(t.file, src)
		if t.same, err = reviewGuard(f, p, opts.forVer, opts.force); err != nil {
			return err
		}
	}
	for _, t := range targets {
		if t.same {
			fmt.Fprintf(s.Out, "already reviewed for %s: %s %s, unchanged (%s)\n", opts.forVer, t.id, t.edit.OldVersion, t.file)
			continue
		}
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

// reviewGuard checks that a review of p for version v is a sign-off for a
// release of p's product it can apply to: same reports one already made
// (nothing to do), and an error refuses the review unless force.
func reviewGuard(f *factory, p *playbooks.Playbook, v string, force bool) (same bool, err error) {
	if p == nil {
		return false, nil
	}
	ver, err := playbooks.ParseVersion(v)
	if err != nil {
		return false, usageErrorf("--for %q is not a product version (like 2024.2)", v)
	}
	old, oldErr := playbooks.ParseVersion(p.ReviewedFor)
	if oldErr == nil && ver.Equal(old) {
		return true, nil
	}
	if !force && !p.Applies(ver) {
		return false, usageErrorf("%s: --for %s is outside its applies_to %q; review a release the playbook is valid for (--force to record it anyway)", p.File, v, p.AppliesTo)
	}
	if !force && oldErr == nil && ver.LessThan(old) {
		return false, usageErrorf("%s: --for %s is older than its reviewed_for %s; a review records the newest release checked (--force to record it anyway)", p.File, v, p.ReviewedFor)
	}
	if !force {
		if other := otherProductRelease(f, p.Product, ver); other != "" {
			return false, usageErrorf("%s: %s is a release of %s in this library, not of %s (the playbook's product) (--force to record it anyway)", p.File, v, other, p.Product)
		}
	}
	return false, nil
}

// otherProductRelease names another product the library's release
// manifests give version v, when none gives it for product; "" otherwise.
func otherProductRelease(f *factory, product string, v *semver.Version) string {
	lib, err := f.library()
	if err != nil {
		return ""
	}
	var others []string
	for _, d := range lib.Others {
		if d.Kind != playbooks.KindRelease {
			continue
		}
		m, _ := d.Model.(*playbooks.Manifest)
		if m == nil && d.Root != nil {
			m, _ = playbooks.DecodeManifest(d)
		}
		if m == nil {
			continue
		}
		if mv, err := playbooks.ParseVersion(m.Version); err != nil || !mv.Equal(v) {
			continue
		}
		if m.Product == product {
			return ""
		}
		if !slices.Contains(others, m.Product) {
			others = append(others, m.Product)
		}
	}
	return strings.Join(others, ", ")
}
