package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

type changesOptions struct {
	f       *factory
	since   string
	product string
	output  string
}

func newChangesCmd(f *factory) *cobra.Command {
	opts := &changesOptions{f: f}
	cmd := &cobra.Command{
		Use:   "changes --since VERSION",
		Short: "List what changed in the playbooks since a product version",
		Long: `Changes is the briefing for a product release: what changed in the library's
playbooks since product version VERSION, read from the library itself (every
version of a playbook kept side by side, each with its applies_to range).

For each playbook id it compares the version that applied at VERSION (the
newest whose applies_to includes VERSION) with the newest version in the
library now, and prints what changed in meaning, as casebook diff does. It
also lists:

  new      no version applied at VERSION; the newest applies at or after it
  retired  a version applied at VERSION, but the newest version applies
           neither at VERSION nor at any later version (its applies_to ends
           before VERSION). To retire a playbook, publish a last version
           whose range ends: ">=2023.6 <2024.1" shows as retired in
           briefings since 2024.1 or later

Playbooks whose every version ended before VERSION are left out. VERSION is
a product version, semver with missing parts read as 0 (2023.10 is
2023.10.0). Versions mean releases of one product: when the library holds
playbooks of several products, name one with --product.

A playbook with errors is not compared: its findings are printed (exit 1).

` + exitCodesHelp,
		Example: `  casebook changes --since 2023.10 --product mailer --library playbooks
  casebook changes --since 5.2 --product engage
  casebook changes --since 2023.10 --product mailer -o json | jq -r '.changed[].changes[].message'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runChanges(opts)
		},
	}
	cmd.Flags().StringVar(&opts.since, "since", "", "product `VERSION` the agents know the playbooks of, e.g. 2023.10 (required)")
	cmd.Flags().StringVar(&opts.product, "product", "", "the `PRODUCT` whose playbooks to brief on (default: the library's only product)")
	outputFlag(cmd, &opts.output, "text", "json")
	return cmd
}

func runChanges(opts *changesOptions) error {
	s := opts.f.streams
	if opts.since == "" {
		return usageErrorf("--since VERSION is required, e.g. --since 2023.10")
	}
	since, err := semver.NewVersion(opts.since)
	if err != nil {
		return usageErrorf("--since %q is not a version; write e.g. 2023.10 or 2023.10.1", opts.since)
	}
	lib, err := opts.f.library()
	if err != nil {
		return err
	}
	var products []string
	for _, p := range lib.Playbooks {
		if !slices.Contains(products, p.Product) {
			products = append(products, p.Product)
		}
	}
	slices.Sort(products)
	product := opts.product
	switch {
	case product != "" && !slices.Contains(products, product):
		return usageErrorf("--product %q: library %s has no playbooks of it (products: %s)", product, lib.Source, strings.Join(products, ", "))
	case product == "" && len(products) > 1:
		return usageErrorf("library %s holds playbooks of several products (%s); name one with --product, as VERSION is a release of one product", lib.Source, strings.Join(products, ", "))
	case product == "" && len(products) == 1:
		product = products[0]
	}
	// Comparing a broken file would brief agents on a guess.
	broken := 0
	for _, p := range lib.Sorted() {
		if p.Product != product {
			continue
		}
		for _, fd := range lib.Problems {
			if fd.File == p.File && fd.Severity == playbooks.SeverityError {
				fmt.Fprintln(s.ErrOut, fd)
				broken++
			}
		}
	}
	if broken > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("%d problem(s) in the playbooks of %s; fix them first (%s)", broken, product, playbooks.CommandLine("lint", lib.Source))}
	}

	b := playbooks.ChangesSince(lib.Library, product, since)
	if opts.output == "json" {
		if err := writeJSON(s.Out, b); err != nil {
			return err
		}
	} else if err := printBriefing(s.Out, b); err != nil {
		return err
	}
	return libraryWarning(opts.f, lib)
}

func printBriefing(w io.Writer, b *playbooks.Briefing) error {
	what := b.Since
	if b.Product != "" {
		what = b.Product + " " + b.Since
	}
	if len(b.Changed)+len(b.New)+len(b.Retired) == 0 {
		_, err := fmt.Fprintf(w, "No playbook changes since %s (%d unchanged).\n", what, len(b.Unchanged))
		return err
	}
	fmt.Fprintf(w, "Playbook changes since %s: %d changed, %d new, %d retired, %d unchanged\n",
		what, len(b.Changed), len(b.New), len(b.Retired), len(b.Unchanged))
	for _, d := range b.Changed {
		fmt.Fprintln(w)
		if err := printDelta(w, d, ""); err != nil {
			return err
		}
	}
	for _, list := range []struct {
		heading, mark string
		entries       []playbooks.BriefingEntry
	}{
		{"New since " + b.Since, "+", b.New},
		{"Retired", "-", b.Retired},
	} {
		if len(list.entries) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", list.heading)
		for _, e := range list.entries {
			fmt.Fprintf(w, "  %s %s %s: %s (applies to %s)\n", list.mark, e.ID, e.Version, e.Title, e.AppliesTo)
		}
	}
	if len(b.Unchanged) > 0 {
		ids := make([]string, len(b.Unchanged))
		for i, e := range b.Unchanged {
			ids[i] = e.ID + " " + e.Version
		}
		fmt.Fprintf(w, "\nUnchanged: %s\n", strings.Join(ids, ", "))
	}
	return nil
}
