package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

type coverageOptions struct {
	f      *factory
	output string
}

const coverageExitCodes = `Exit codes:
  0  ok, whatever the coverage (it is information, not a finding)
  2  usage error or the command cannot run (no such library)
  3  internal error (a bug: please report it)
  130  interrupted`

func newCoverageCmd(f *factory) *cobra.Command {
	opts := &coverageOptions{f: f}
	cmd := &cobra.Command{
		Use:   "coverage [LIBRARY]",
		Short: "Show which playbook steps and branches the training scenarios practise",
		Long: `Coverage walks every scenario's golden path, at every tier, through the
newest version of each playbook and counts the steps it reaches and the
branches it takes: each on: value of a check, its otherwise:, and each
next:. A scenario pinned to an older version practises that version only.

The table has one row per playbook (scenarios that exercise it, steps and
branches covered, the share of branches covered), then, per playbook, the
branches no scenario practises as STEP --LABEL--> TARGET and the steps no
scenario reaches: the cases to write next. -o json gives the same for
scripts.

LIBRARY defaults to --library, $CASEBOOK_LIBRARY or the embedded library.

` + coverageExitCodes,
		Example: `  casebook coverage
  casebook coverage ./support-library
  casebook coverage -o json | jq -r '.[] | select(.percent < 50) | .id'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				f.libraryDir = args[0]
			}
			return runCoverage(opts)
		},
	}
	outputFlag(cmd, &opts.output, "text", "json")
	cmd.ValidArgsFunction = completeDirs
	return cmd
}

func runCoverage(opts *coverageOptions) error {
	f, s := opts.f, opts.f.streams
	lib, err := f.library()
	if err != nil {
		return err
	}
	cs := simulator.Coverage(lib.Library, lib.Scenarios)
	if opts.output == "json" {
		if err := writeJSON(s.Out, cs); err != nil {
			return err
		}
		return libraryWarning(f, lib)
	}
	if len(cs) == 0 {
		fmt.Fprintf(s.Out, "No playbooks in library %s.\n", lib.Source)
		return libraryWarning(f, lib)
	}
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("playbook", "version", "scenarios", "steps", "branches", "covered")
	for _, c := range cs {
		t.Row(c.ID, c.Version, strconv.Itoa(len(c.Scenarios)),
			fmt.Sprintf("%d/%d", c.StepsCovered, c.StepsTotal),
			fmt.Sprintf("%d/%d", c.BranchesCovered, c.BranchesTotal),
			strconv.Itoa(c.Percent)+"%")
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, c := range cs {
		if len(c.UncoveredBranches) == 0 && len(c.UncoveredSteps) == 0 && len(c.Problems) == 0 {
			continue
		}
		fmt.Fprintf(s.Out, "\n%s %s: %d branch(es) no scenario practises\n", c.ID, c.Version, len(c.UncoveredBranches))
		for _, b := range c.UncoveredBranches {
			fmt.Fprintf(s.Out, "  %s --%s--> %s\n", b.Step, b.Label, b.Target)
		}
		if len(c.UncoveredSteps) > 0 {
			fmt.Fprintf(s.Out, "  steps no scenario reaches: %s\n", strings.Join(c.UncoveredSteps, ", "))
		}
		for _, p := range c.Problems {
			fmt.Fprintf(s.ErrOut, "warning: scenario %s does not reach an outcome at %s on %s %s: %s\n", p.Scenario, p.Tier, c.ID, c.Version, p.Message)
		}
	}
	return libraryWarning(f, lib)
}
