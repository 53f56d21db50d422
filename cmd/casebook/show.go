package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

type showOptions struct {
	f      *factory
	id     string
	format string
	golden bool
	tier   string
	output string
}

var showFormats = []string{"tree", "mermaid", "dot", "yaml", "json"}

func newShowCmd(f *factory) *cobra.Command {
	opts := &showOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a playbook as a tree, a diagram, YAML or JSON, or a scenario and its golden path",
		Long: `Show prints one playbook of the library (the newest version of the id),
or one scenario: its opening, persona and traps, and the golden path a model
agent of --tier takes (--golden prints the golden path alone; -o json for
scripts).

Formats:
  tree     the decision graph as an indented tree (default)
  mermaid  a Mermaid flowchart; paste it into a ` + "```mermaid" + ` block in Markdown
  dot      a Graphviz graph: casebook show ID --format dot | dot -Tsvg > ID.svg
  yaml     the playbook file as written
  json     the parsed playbook, for scripts

` + exitCodesHelp,
		Example: `  casebook show https-link-branding
  casebook show https-link-branding --format mermaid
  casebook show in-app-message-not-displayed --format dot | dot -Tpng -o graph.png
  casebook show https-proxy-cname --golden --tier L1
  casebook show https-proxy-cname --golden --tier L2 -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if err := checkFormat("format", opts.format, showFormats...); err != nil {
				return err
			}
			if err := checkFormat("output", opts.output, "text", "json"); err != nil {
				return err
			}
			return runShow(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.format, "format", "f", "tree", "tree, mermaid, dot, yaml or json")
	cmd.Flags().BoolVar(&opts.golden, "golden", false, "for a scenario: print only the golden path")
	cmd.Flags().StringVar(&opts.tier, "tier", "", "for a scenario: the tier of the golden path (default: the lowest)")
	outputFlag(cmd, &opts.output, "text", "json")
	cmd.ValidArgsFunction = completeArgs(f, 1, completePlaybooks|completeScenarios)
	completeFlag(cmd, "format", completeValues(showFormats...))
	completeFlag(cmd, "tier", completeTiers(f, targetArg))
	return cmd
}

func runShow(opts *showOptions) error {
	s := opts.f.streams
	lib, err := opts.f.library()
	if err != nil {
		return err
	}
	if lib.Find(opts.id) == nil && lib.Scenarios.Find(opts.id) != nil {
		return showScenario(opts, lib)
	}
	if opts.golden || opts.tier != "" {
		return usageErrorf("--golden and --tier apply to scenarios; %q is not a scenario (scenarios: %s)", opts.id, strings.Join(lib.Scenarios.IDs(), ", "))
	}
	if opts.output == "json" {
		opts.format = "json"
	}
	p, err := opts.f.playbook(opts.id)
	if err != nil {
		return err
	}
	switch opts.format {
	case "mermaid":
		err = playbooks.WriteMermaid(s.Out, p)
	case "dot":
		err = playbooks.WriteDOT(s.Out, p)
	case "yaml":
		var src []byte
		if src, err = playbooks.Source(p); err == nil {
			_, err = s.Out.Write(src)
		}
	case "json":
		err = writeJSON(s.Out, p.JSON())
	default:
		err = playbooks.WriteTree(s.Out, p)
	}
	return err
}

func showScenario(opts *showOptions, lib *loadedLibrary) error {
	s := opts.f.streams
	sc, p, err := trainScenario(opts.f, lib, opts.id)
	if err != nil {
		return err
	}
	if !opts.golden && opts.tier == "" && opts.output != "json" && opts.format != "json" {
		return previewScenario(opts, sc, p)
	}
	tier := p.Tiers[0]
	if opts.tier != "" {
		if tier, err = pickTier(p, opts.tier); err != nil {
			return err
		}
	}
	g, err := simulator.GoldenPath(p, sc, tier)
	if err != nil {
		return err
	}
	if opts.output == "json" || opts.format == "json" {
		return writeJSON(s.Out, g)
	}
	fmt.Fprintf(s.Out, "golden path for %s (outcome %s):\n", tier.Name, g.Outcome)
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("#", "tier", "move", "step", "why")
	for i, m := range g.Moves {
		t.Row(strconv.Itoa(i+1), string(m.Tier), m.Move, m.Step, m.Why)
	}
	return t.Render()
}

// previewScenario shows what a trainee meets: the opening, the persona,
// the traps, and the golden path of every tier side by side.
func previewScenario(opts *showOptions, sc *scenarios.Scenario, p *playbooks.Playbook) error {
	s := opts.f.streams
	fmt.Fprintf(s.Out, "%s — %s\nplaybook %s %s (%s@%s), %s\n", sc.ID, sc.Title, p.ID, p.Version, sc.Playbook, sc.Range, sc.Channel)
	who := sc.Persona.Name
	if who == "" {
		who = "Customer"
	}
	if sc.Persona.Role != "" || sc.Persona.Tone != "" {
		fmt.Fprintf(s.Out, "persona: %s (%s)\n", who, strings.Trim(sc.Persona.Role+", "+sc.Persona.Tone, ", "))
	}
	for _, m := range sc.Metadata {
		fmt.Fprintf(s.Out, "ticket %s: %s\n", m.Key, m.Value)
	}
	printProse(s.Out, "\n"+who+": ", strings.Join(strings.Fields(sc.Opening), " "))
	if len(sc.Stated) > 0 {
		var stated []string
		for _, st := range sc.Stated {
			stated = append(stated, st.Value)
		}
		fmt.Fprintf(s.Out, "(the opening states %s)\n", strings.Join(stated, ", "))
	}
	if len(sc.Traps) > 0 {
		fmt.Fprintln(s.Out, "\ntraps:")
		for _, t := range sc.Traps {
			var findings []string
			for _, f := range t.Findings {
				findings = append(findings, f.Value)
			}
			fmt.Fprintf(s.Out, "  trap:%s — %s [%s]\n", t.ID, t.Label, strings.Join(findings, ", "))
		}
	}
	var paths [][]simulator.GoldenMove
	header := []string{"#"}
	outcome := ""
	for _, tier := range p.Tiers {
		g, err := simulator.GoldenPath(p, sc, tier)
		if err != nil {
			return err
		}
		paths = append(paths, g.Moves)
		header = append(header, "golden path at "+string(tier.Name))
		outcome = g.Outcome
	}
	fmt.Fprintf(s.Out, "\ngolden paths by tier (outcome %s):\n", outcome)
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header(header...)
	rows := 0
	for _, moves := range paths {
		rows = max(rows, len(moves))
	}
	for i := range rows {
		row := []string{strconv.Itoa(i + 1)}
		for j, moves := range paths {
			cell := ""
			if i < len(moves) {
				cell = moves[i].Move
				if moves[i].Tier != p.Tiers[j].Name {
					cell = string(moves[i].Tier) + ": " + cell
				}
			}
			row = append(row, cell)
		}
		t.Row(row...)
	}
	return t.Render()
}
