package main

import (
	"fmt"
	"path/filepath"

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
quoting, blank lines) is kept byte for byte. Files are written atomically.

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
	return cmd
}

func runReleaseReview(opts *releaseReviewOptions) error {
	f, s := opts.f, opts.f.streams
	if f.libraryRoot() == "" {
		return usageErrorf("review edits playbook files: pass --library DIR (the embedded library cannot be edited; casebook init DIR writes an editable copy)")
	}
	type edit struct {
		p    *playbooks.Playbook
		path string
		out  []byte
		ver  string
	}
	var edits []edit
	for _, id := range opts.ids {
		p, err := f.playbook(id)
		if err != nil {
			return err
		}
		out, newVer, err := playbooks.Review(p, opts.forVer)
		if err != nil {
			return usageErrorf("%s: %v", p.File, err)
		}
		edits = append(edits, edit{p, filepath.FromSlash(p.File), out, newVer})
	}
	// All edits are worked out before any file is written: a bad id leaves
	// every file as it was.
	for _, e := range edits {
		verb := "reviewed"
		if opts.dryRun {
			verb = "would review"
		} else if err := playbooks.WriteFileAtomic(e.path, e.out, 0o644, true); err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "%s %s: %s → %s, reviewed_for %s → %s (%s)\n", verb, e.p.ID, e.p.Version, e.ver, e.p.ReviewedFor, opts.forVer, e.p.File)
	}
	return nil
}
