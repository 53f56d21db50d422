package main

import "github.com/spf13/cobra"

// newDiffCmd and newChangesCmd are being written (issue 5); registered so the tree builds.
func newDiffCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "diff OLD NEW", Short: "Compare two versions of a playbook by meaning", Example: "  casebook diff old.yaml new.yaml", Long: exitCodesHelp, Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error { return usageErrorf("diff is not built yet") }}
}

func newChangesCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "changes", Short: "List what changed in the playbooks since a product version", Example: "  casebook changes --since 2023.10", Long: exitCodesHelp, Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error { return usageErrorf("changes is not built yet") }}
}
