package main

import (
	"encoding/json"
	"fmt"

	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

type showOptions struct {
	f      *factory
	id     string
	format string
}

var showFormats = []string{"tree", "mermaid", "dot", "yaml", "json"}

func newShowCmd(f *factory) *cobra.Command {
	opts := &showOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a playbook as a tree, a diagram, YAML or JSON",
		Long: `Show prints one playbook of the library (the newest version of the id).

Formats:
  tree     the decision graph as an indented tree (default)
  mermaid  a Mermaid flowchart; paste it into a ` + "```mermaid" + ` block in Markdown
  dot      a Graphviz graph: casebook show ID --format dot | dot -Tsvg > ID.svg
  yaml     the playbook file as written
  json     the parsed playbook, for scripts

` + exitCodesHelp,
		Example: `  casebook show https-link-branding
  casebook show https-link-branding --format mermaid
  casebook show in-app-message-not-displayed --format dot | dot -Tpng -o graph.png`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if err := checkFormat("format", opts.format, showFormats...); err != nil {
				return err
			}
			return runShow(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.format, "format", "f", "tree", "tree, mermaid, dot, yaml or json")
	return cmd
}

func runShow(opts *showOptions) error {
	s := opts.f.streams
	p, err := opts.f.playbook(opts.id)
	if err != nil {
		return err
	}
	switch opts.format {
	case "mermaid":
		_, err = fmt.Fprint(s.Out, playbooks.Mermaid(p))
	case "dot":
		_, err = fmt.Fprint(s.Out, playbooks.DOT(p))
	case "yaml":
		_, err = s.Out.Write(p.Src)
	case "json":
		enc := json.NewEncoder(s.Out)
		enc.SetIndent("", "  ")
		err = enc.Encode(p.JSON())
	default:
		_, err = fmt.Fprint(s.Out, playbooks.Tree(p))
	}
	return err
}
