package main

import (
	"fmt"
	"slices"
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
	output string
	golden bool
	tier   string
}

// The formats of show: every one applies to a playbook or a scenario, or
// both (text, json); runShow refuses one that does not apply to ID.
var (
	showFormats     = []string{"text", "json", "mermaid", "dot", "yaml", "moves"}
	playbookFormats = []string{"text", "json", "mermaid", "dot", "yaml"}
	scenarioFormats = []string{"text", "json", "moves"}
)

func newShowCmd(f *factory) *cobra.Command {
	opts := &showOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a playbook as a tree, a diagram, YAML or JSON, or a scenario and its golden path",
		Long: `Show prints one playbook of the library (the newest version of the id),
or one scenario: its opening, persona and traps, and the golden path of
every tier side by side (--golden or --tier: the golden path of one tier
alone, by default the lowest).

Formats of a playbook (-o):
  text     the decision graph as an indented tree (default; tree is the old name)
  mermaid  a Mermaid flowchart; paste it into a ` + "```mermaid" + ` block in Markdown
  dot      a Graphviz graph: casebook show ID -o dot | dot -Tsvg > ID.svg
  yaml     the playbook file as written
  json     the parsed playbook, for scripts

Formats of a scenario (-o):
  text     what the trainee meets and the golden paths (default)
  json     the same as text: opening, persona, traps and every tier's golden
           path; with --golden or --tier, that tier's golden path alone
  moves    the golden path's move ids of --tier, one a line, as train --moves
           reads them: casebook show ID -o moves --tier L2 | casebook train ID --tier L2

A format that does not apply (mermaid of a scenario, moves of a playbook)
is a usage error naming those that do.

` + exitCodesHelp,
		Example: `  casebook show https-link-branding
  casebook show https-link-branding -o mermaid
  casebook show in-app-message-not-displayed -o dot | dot -Tpng -o graph.png
  casebook show https-proxy-cname --golden --tier L1
  casebook show https-proxy-cname --golden --tier L2 -o json
  casebook show https-proxy-cname -o moves --tier L2 | casebook train https-proxy-cname --tier L2 -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			return runShow(opts)
		},
	}
	outputFlag(cmd, &opts.output, showFormats...).alias("tree", "text").oldFlag("format", "f")
	cmd.Flags().BoolVar(&opts.golden, "golden", false, "for a scenario: print only the golden path")
	cmd.Flags().StringVar(&opts.tier, "tier", "", "for a scenario: the tier of the golden path (default: the lowest)")
	cmd.ValidArgsFunction = completeArgs(f, 1, completePlaybooks|completeScenarios)
	completeFlag(cmd, "tier", completeTiers(f, targetArg))
	return cmd
}

func runShow(opts *showOptions) error {
	s := opts.f.streams
	opts.f.focusOn(opts.id)
	lib, err := opts.f.library()
	if err != nil {
		return err
	}
	if lib.Find(opts.id) == nil && lib.Scenarios.Find(opts.id) != nil {
		if !slices.Contains(scenarioFormats, opts.output) {
			return usageErrorf("-o %s does not apply to scenario %s; a scenario shows as %s", opts.output, opts.id, strings.Join(scenarioFormats, ", "))
		}
		return showScenario(opts, lib)
	}
	if opts.golden || opts.tier != "" {
		whole, err := opts.f.wholeLibrary()
		if err != nil {
			return err
		}
		return usageErrorf("--golden and --tier apply to scenarios; %q is not a scenario (scenarios: %s)", opts.id, strings.Join(whole.Scenarios.IDs(), ", "))
	}
	if !slices.Contains(playbookFormats, opts.output) && lib.Find(opts.id) != nil {
		return usageErrorf("-o %s does not apply to playbook %s; a playbook shows as %s", opts.output, opts.id, strings.Join(playbookFormats, ", "))
	}
	p, err := opts.f.playbook(opts.id)
	if err != nil {
		return err
	}
	switch opts.output {
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
	oneTier := opts.golden || opts.tier != "" || opts.output == "moves"
	if !oneTier {
		preview, err := scenarioPreview(sc, p)
		if err != nil {
			return err
		}
		if opts.output == "json" {
			return writeJSON(s.Out, preview)
		}
		return previewScenario(opts, preview)
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
	switch opts.output {
	case "json":
		return writeJSON(s.Out, g)
	case "moves":
		// The tier's own part: a session of --tier ends at its handoff.
		for _, m := range g.Moves {
			if m.Tier != tier.Name {
				break
			}
			if _, err := fmt.Fprintln(s.Out, m.Move); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(s.Out, "golden path for %s (outcome %s):\n", tier.Name, g.Outcome)
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("#", "tier", "move", "step", "why")
	for i, m := range g.Moves {
		t.Row(strconv.Itoa(i+1), string(m.Tier), m.Move, m.Step, m.Why)
	}
	return t.Render()
}

// shownScenario is what show prints of a scenario, as text or JSON
// (casebook: scenario-preview/v1): what a trainee meets, and each tier's
// golden path.
type shownScenario struct {
	Casebook    string              `json:"casebook"`
	Scenario    string              `json:"scenario"`
	Title       string              `json:"title"`
	Playbook    string              `json:"playbook"`
	Version     string              `json:"version"`
	Range       string              `json:"range"`
	Channel     string              `json:"channel"`
	Persona     shownPersona        `json:"persona"`
	Ticket      []shownPair         `json:"ticket"`
	Opening     string              `json:"opening"`
	Stated      []string            `json:"stated"`
	Traps       []shownTrap         `json:"traps"`
	Outcome     string              `json:"outcome"`
	GoldenPaths []*simulator.Golden `json:"golden_paths"`
}

type shownPersona struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
	Tone string `json:"tone,omitempty"`
}

type shownPair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type shownTrap struct {
	Move     string   `json:"move"`
	Label    string   `json:"label"`
	Findings []string `json:"findings"`
}

func scenarioPreview(sc *scenarios.Scenario, p *playbooks.Playbook) (*shownScenario, error) {
	out := &shownScenario{Casebook: "scenario-preview/v1", Scenario: sc.ID, Title: sc.Title, Playbook: p.ID, Version: p.Version,
		Range: sc.Range, Channel: sc.Channel, Opening: strings.Join(strings.Fields(sc.Opening), " "),
		Persona: shownPersona{Name: sc.Persona.Name, Role: sc.Persona.Role, Tone: sc.Persona.Tone},
		Ticket:  []shownPair{}, Stated: []string{}, Traps: []shownTrap{}}
	if out.Persona.Name == "" {
		out.Persona.Name = "Customer"
	}
	for _, m := range sc.Metadata {
		out.Ticket = append(out.Ticket, shownPair{m.Key, m.Value})
	}
	for _, st := range sc.Stated {
		out.Stated = append(out.Stated, st.Value)
	}
	for _, t := range sc.Traps {
		trap := shownTrap{Move: "trap:" + t.ID, Label: t.Label, Findings: []string{}}
		for _, f := range t.Findings {
			trap.Findings = append(trap.Findings, f.Value)
		}
		out.Traps = append(out.Traps, trap)
	}
	for _, tier := range p.Tiers {
		g, err := simulator.GoldenPath(p, sc, tier)
		if err != nil {
			return nil, err
		}
		out.GoldenPaths = append(out.GoldenPaths, g)
		out.Outcome = g.Outcome
	}
	return out, nil
}

// previewScenario shows what a trainee meets: the opening, the persona,
// the traps, and the golden path of every tier side by side.
func previewScenario(opts *showOptions, sc *shownScenario) error {
	s := opts.f.streams
	fmt.Fprintf(s.Out, "%s — %s\nplaybook %s %s (%s@%s), %s\n", sc.Scenario, sc.Title, sc.Playbook, sc.Version, sc.Playbook, sc.Range, sc.Channel)
	who := sc.Persona.Name
	if sc.Persona.Role != "" || sc.Persona.Tone != "" {
		fmt.Fprintf(s.Out, "persona: %s (%s)\n", who, strings.Trim(sc.Persona.Role+", "+sc.Persona.Tone, ", "))
	}
	for _, m := range sc.Ticket {
		printProse(s.Out, "ticket "+m.Key+": ", m.Value)
	}
	printProse(s.Out, "\n"+who+": ", strings.Join(strings.Fields(sc.Opening), " "))
	if len(sc.Stated) > 0 {
		fmt.Fprintf(s.Out, "(the opening states %s)\n", strings.Join(sc.Stated, ", "))
	}
	if len(sc.Traps) > 0 {
		fmt.Fprintln(s.Out, "\ntraps:")
		for _, t := range sc.Traps {
			printProse(s.Out, "  "+t.Move+" — ", t.Label+" ["+strings.Join(t.Findings, ", ")+"]")
		}
	}
	header := []string{"#"}
	rows := 0
	for _, g := range sc.GoldenPaths {
		header = append(header, "golden path at "+string(g.Tier))
		rows = max(rows, len(g.Moves))
	}
	fmt.Fprintf(s.Out, "\ngolden paths by tier (outcome %s):\n", sc.Outcome)
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header(header...)
	for i := range rows {
		row := []string{strconv.Itoa(i + 1)}
		for _, g := range sc.GoldenPaths {
			cell := ""
			if i < len(g.Moves) {
				cell = g.Moves[i].Move
				if g.Moves[i].Tier != g.Tier {
					cell = string(g.Moves[i].Tier) + ": " + cell
				}
			}
			row = append(row, cell)
		}
		t.Row(row...)
	}
	return t.Render()
}
