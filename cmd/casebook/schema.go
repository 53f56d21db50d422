package main

import (
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

func newSchemaCmd(f *factory) *cobra.Command {
	kinds := playbooks.SchemaKinds()
	return &cobra.Command{
		Use:   "schema KIND",
		Short: "Print the JSON Schema of a file kind, for editors",
		Long: `Schema prints the JSON Schema of a casebook file kind (` + strings.Join(kinds, ", ") + `).

Save it next to your library and point the YAML language server at it with a
first line in each file:

  # yaml-language-server: $schema=./playbook.schema.json

` + exitCodesHelp,
		Example:   `  casebook schema playbook > playbook.schema.json`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: kinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(kinds, args[0]) {
				return usageErrorf("no schema for %q; kinds: %s", args[0], strings.Join(kinds, ", "))
			}
			src, err := playbooks.Schema(args[0])
			if err != nil {
				return err
			}
			_, err = f.streams.Out.Write(src)
			return err
		},
	}
}
