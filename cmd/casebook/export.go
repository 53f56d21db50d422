package main

import (
	"fmt"
	"path/filepath"

	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	f        *factory
	id       string
	format   string
	audience string
	file     string
	force    bool
}

var exportFormats = []string{"markdown"}

func newExportCmd(f *factory) *cobra.Command {
	opts := &exportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "export ID",
		Short: "Write a customer-facing help article from a playbook",
		Long: `Export writes a help article for customers from one playbook of the library
(the newest version of the id), so the help center and the support team work
from one source.

The article holds only what the playbook marks for customers: the steps with
visibility: customer, as a "before you contact support" checklist in the
order the playbook reaches them, with their doc pages and UI paths; and the
replies with visibility: customer (the default), each as an "If ..." section
with its cause, its fix for --audience and its docs. Internal steps and
replies, notes, fact questions, tiers, capabilities, settings and step ids
are never written. A footer names the playbook, version and the release it
was reviewed for.

Text from the playbook is escaped, so it cannot add Markdown or HTML of its
own. Doc references are shown as written (as code), or as links when they
are http(s) URLs.

Formats (-o):
  markdown  a Markdown article (default)

The article goes to stdout (also with --out -), or with --out FILE to a file written atomically;
an existing file is replaced only with --force.

` + exitCodesHelp,
		Example: `  casebook export https-link-branding
  casebook export https-link-branding -o markdown --out https-tracking-links.md
  casebook export in-app-message-not-displayed --audience developer
  casebook export in-app-message-not-displayed --audience marketer --out in-app.md --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			return runExport(opts)
		},
	}
	fl := cmd.Flags()
	outputFlag(cmd, &opts.format, exportFormats...).oldFlag("format", "f")
	fl.StringVar(&opts.audience, "audience", "", "who the replies are for, e.g. marketer or developer (default: the playbook's first)")
	fl.StringVar(&opts.file, "out", "", "write the article to `FILE` instead of stdout (- for stdout; missing directories are made)")
	fl.BoolVar(&opts.force, "force", false, "replace the --out file if it exists")
	cmd.ValidArgsFunction = completeArgs(f, 1, completePlaybooks)
	completeFlag(cmd, "audience", completeAudiences(f, targetArg))
	return cmd
}

func runExport(opts *exportOptions) error {
	s := opts.f.streams
	opts.f.focusOn(opts.id) // only this playbook's files are loaded
	p, err := opts.f.playbook(opts.id)
	if err != nil {
		return err
	}
	audience, err := pickAudience(p, opts.audience)
	if err != nil {
		return err
	}
	article := playbooks.ExportMarkdown(p, audience)
	if opts.file == "" {
		opts.file = stdoutPath
	}
	if err := writeOutput(s.Out, opts.file, []byte(article), opts.force); err != nil || toStdout(opts.file) {
		return err
	}
	fmt.Fprintf(s.ErrOut, "article written to %s\n", filepath.ToSlash(opts.file))
	return nil
}
