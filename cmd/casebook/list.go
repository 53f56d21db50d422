package main

import (
	"strconv"

	"github.com/spf13/cobra"
)

type listOptions struct {
	f         *factory
	output    string
	scenarios bool
}

func newListCmd(f *factory) *cobra.Command {
	opts := &listOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the playbooks (or, with --scenarios, the training scenarios) of the library",
		Long: `List prints every playbook of the library: id, version, the product
versions it applies to, the release it was last reviewed for, and its title.
A table on a terminal, tab-separated lines when piped, or JSON with -o json.

` + exitCodesHelp,
		Example: `  casebook list
  casebook list --library ./support-library
  casebook list -o json | jq -r '.[].id'
  casebook list --scenarios`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat("output", opts.output, "table", "json"); err != nil {
				return err
			}
			return runList(opts)
		},
	}
	outputFlag(cmd, &opts.output, "table", "json")
	cmd.Flags().BoolVar(&opts.scenarios, "scenarios", false, "list the training scenarios instead")
	return cmd
}

type scenarioEntry struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Playbook string `json:"playbook"`
	Version  string `json:"playbook_version,omitempty"`
	Channel  string `json:"channel"`
	Traps    int    `json:"traps"`
	Recorded bool   `json:"recorded"`
	File     string `json:"file"`
}

func listScenarios(opts *listOptions, lib *loadedLibrary) error {
	s := opts.f.streams
	entries := []scenarioEntry{}
	for _, sc := range lib.Scenarios.Scenarios {
		e := scenarioEntry{ID: sc.ID, Title: sc.Title, Playbook: sc.Playbook + "@" + sc.Range, Channel: sc.Channel,
			Traps: len(sc.Traps), Recorded: sc.Recording != nil, File: sc.File}
		if p := lib.Scenarios.Playbook(sc); p != nil {
			e.Version = p.Version
		}
		entries = append(entries, e)
	}
	if opts.output == "json" {
		return writeJSON(s.Out, entries)
	}
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("id", "playbook", "channel", "traps", "recorded", "title")
	for _, e := range entries {
		rec := "no"
		if e.Recorded {
			rec = "yes"
		}
		t.Row(e.ID, e.Playbook, e.Channel, strconv.Itoa(e.Traps), rec, e.Title)
	}
	return t.Render()
}

type listEntry struct {
	ID          string   `json:"id"`
	Version     string   `json:"version"`
	Title       string   `json:"title"`
	Product     string   `json:"product"`
	AppliesTo   string   `json:"applies_to"`
	ReviewedFor string   `json:"reviewed_for"`
	Owner       string   `json:"owner"`
	Intents     []string `json:"intents"`
	Steps       int      `json:"steps"`
	File        string   `json:"file"`
}

func runList(opts *listOptions) error {
	s := opts.f.streams
	lib, err := opts.f.library()
	if err != nil {
		return err
	}
	if opts.scenarios {
		if err := listScenarios(opts, lib); err != nil {
			return err
		}
		return libraryWarning(opts.f, lib)
	}
	entries := []listEntry{}
	for _, p := range lib.Sorted() {
		intents := make([]string, len(p.Intents))
		for i, in := range p.Intents {
			intents[i] = in.Value
		}
		entries = append(entries, listEntry{p.ID, p.Version, p.Title, p.Product, p.AppliesTo, p.ReviewedFor,
			p.Owner, intents, len(p.Steps), p.File})
	}
	if opts.output == "json" {
		if err := writeJSON(s.Out, entries); err != nil {
			return err
		}
	} else {
		t := newTablePrinter(s.Out, s.OutTTY)
		t.Header("id", "version", "applies to", "reviewed for", "steps", "title")
		for _, e := range entries {
			t.Row(e.ID, e.Version, e.AppliesTo, e.ReviewedFor, strconv.Itoa(e.Steps), e.Title)
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	return libraryWarning(opts.f, lib)
}
