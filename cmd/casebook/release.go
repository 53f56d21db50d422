package main

import "github.com/spf13/cobra"

func newReleaseCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "release",
		Short: "The release freshness gate and review sign-off",
		Long: `Release commands keep playbooks in step with the product:

  release check   fails a release whose playbooks reference removed UI,
                  settings, docs or capabilities, or were not reviewed for it
  release review  signs playbooks off for a release

` + exitCodesHelp,
		Example: `  casebook release check --manifest mailer@2024.2   # a stale playbook fails the gate (exit 1)
  casebook release review https-link-branding --for 2024.2 --library ./library`,
	}
	cmd.AddCommand(newReleaseCheckCmd(f), newReleaseReviewCmd(f))
	return cmd
}
