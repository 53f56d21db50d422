package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

type newPlaybookOptions struct {
	f           *factory
	id          string
	title       string
	product     string
	appliesTo   string
	reviewedFor string
	owner       string
	intents     []string
	tiers       []string
	dir         string
	force       bool
}

func newNewPlaybookCmd(f *factory) *cobra.Command {
	opts := &newPlaybookOptions{f: f}
	cmd := &cobra.Command{
		Use:   "playbook [ID]",
		Short: "Write a commented playbook skeleton that lints clean",
		Long: `New playbook writes ID.yaml: a commented skeleton with the title, product,
version range, owner, intents and tiers you give, one example fact, check,
reply and outcome to replace with the case's own, and the
yaml-language-server line so editors check it as you type.

On a terminal it asks for whatever the flags leave out. Off a terminal
(scripts, CI) these are required: ID, --title, --product, --applies-to,
--owner, --intent and --tier; a run without them names every one missing.
The file goes to --dir, else the library's playbooks/ directory
(--library), else the current directory; an existing file is never
replaced without --force.

` + exitCodesHelp,
		Example: `  casebook new playbook   # asks for each answer, on a terminal
  casebook new playbook password-reset --title "Reset a password that does not arrive" \
    --product mailer --applies-to ">=2024.1" --owner accounts \
    --intent password-reset --tier L1=lookup,reply,escalate --tier L2=lookup,reply,escalate,resend_reset \
    --library ./library`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.id = args[0]
			}
			return runNewPlaybook(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.title, "title", "", "what the case is, in one line")
	fl.StringVar(&opts.product, "product", "", "the product the playbook is for")
	fl.StringVar(&opts.appliesTo, "applies-to", "", "product versions it is valid for, e.g. \">=2024.1\"")
	fl.StringVar(&opts.reviewedFor, "reviewed-for", "", "last release it was checked against (default: the range's lowest version)")
	fl.StringVar(&opts.owner, "owner", "", "the team that keeps it current")
	fl.StringArrayVar(&opts.intents, "intent", nil, "a customer intent it answers (repeatable)")
	fl.StringArrayVar(&opts.tiers, "tier", nil, "a tier and its capabilities, lowest first: `NAME=cap,cap` (repeatable)")
	fl.StringVar(&opts.dir, "dir", "", "directory to write to")
	fl.BoolVar(&opts.force, "force", false, "replace an existing file")
	cmd.ValidArgsFunction = cobra.NoFileCompletions // a new id
	completeFlag(cmd, "dir", completeDirs)
	completeFlag(cmd, "tier", cobra.NoFileCompletions) // a new tier
	return cmd
}

func runNewPlaybook(opts *newPlaybookOptions) error {
	f := opts.f
	a := &asker{f: f}
	if err := a.text(&opts.id, "ID", "Playbook id (lower-case words with dashes):", "", true); err != nil {
		return err
	}
	if opts.id != "" && !playbooks.ValidID(opts.id) {
		return usageErrorf("id %q must be lower-case letters, digits and dashes", opts.id)
	}
	for _, q := range []struct {
		value          *string
		flag, question string
		def            string
	}{
		{&opts.title, "title", "Title (what the case is, in one line):", ""},
		{&opts.product, "product", "Product:", ""},
		{&opts.appliesTo, "applies-to", "Product versions it applies to (a range, e.g. >=2024.1):", ""},
		{&opts.owner, "owner", "Owner (the team that keeps it current):", ""},
	} {
		if err := a.text(q.value, q.flag, q.question, q.def, true); err != nil {
			return err
		}
	}
	if err := a.text(&opts.reviewedFor, "reviewed-for", "Last release you checked it against:", playbooks.DefaultReviewedFor(opts.appliesTo), false); err != nil {
		return err
	}
	if len(opts.intents) == 0 {
		var line string
		if err := a.text(&line, "intent", "Customer intents it answers (comma-separated ids):", opts.id, true); err != nil {
			return err
		}
		opts.intents = splitList(line)
	}
	for _, in := range opts.intents {
		if !playbooks.ValidID(in) {
			return usageErrorf("intent %q must be lower-case letters, digits and dashes", in)
		}
	}
	if len(opts.tiers) == 0 && !f.streams.canPrompt() {
		a.want("--tier NAME=cap,cap")
	}
	if err := a.done(); err != nil {
		return err
	}
	if len(opts.tiers) == 0 {
		var names string
		if err := a.text(&names, "tier", "Tiers, lowest first (comma-separated):", "L1, L2", true); err != nil {
			return err
		}
		for _, n := range splitList(names) {
			caps, err := f.prompter.Input(fmt.Sprintf("Capabilities of %s (comma-separated):", n), "lookup, reply, escalate")
			if err != nil {
				return err
			}
			opts.tiers = append(opts.tiers, n+"="+caps)
		}
	}
	var spec []playbooks.TierSpec
	for _, t := range opts.tiers {
		ts, err := playbooks.ParseTierSpec(t)
		if err != nil {
			return usageErrorf("--tier %v", err)
		}
		spec = append(spec, ts)
	}
	dir := f.targetDir(opts.dir, "playbooks")
	src := playbooks.Skeleton(playbooks.SkeletonSpec{ID: opts.id, Title: opts.title, Product: opts.product,
		AppliesTo: opts.appliesTo, ReviewedFor: opts.reviewedFor, Owner: opts.owner, Intents: opts.intents,
		Tiers: spec, SchemaPath: f.schemaPath(dir, "playbook")})
	path := filepath.Join(dir, opts.id+".yaml")
	// What the wizard writes must lint clean; answers that break it (a bad
	// range, say) are reported before anything is written.
	if _, fs := playbooks.ParsePlaybook(filepath.ToSlash(path), []byte(src)); len(fs) > 0 {
		return usageErrorf("these answers make a playbook that does not lint: %s", fs[0])
	}
	if err := writeNew(f, path, []byte(src), opts.force); err != nil {
		return err
	}
	show, _ := f.suggestFor(path, true, "show", opts.id)
	fmt.Fprintf(f.streams.ErrOut, "Next: edit it, then %s and %s\n", playbooks.CommandLine("lint", filepath.ToSlash(path)), show)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
