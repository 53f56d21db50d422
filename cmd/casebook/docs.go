package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// The Markdown reference in docs/reference is generated; a test fails when
// it no longer matches the commands (TestReferenceDocsAreCurrent).
//go:generate go run . docs --format markdown --dir ../../docs/reference --force

var docsFormats = []string{"man", "markdown"}

type docsOptions struct {
	f      *factory
	root   *cobra.Command
	format string
	dir    string
	force  bool
}

func newDocsCmd(f *factory) *cobra.Command {
	opts := &docsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "docs --format man|markdown --dir DIR",
		Short: "Write the reference of every command as man pages or Markdown",
		Long: `Docs writes the help of every command into DIR: one man page per command
(casebook.1, casebook-show.1, ...; --format man, the default) or one Markdown
file per command (casebook.md, casebook_show.md, ...; --format markdown, as
in docs/reference of casebook's sources). Missing directories are made; an
existing file is replaced only with --force. The files hold no date of
their own: a man page is dated with the commit casebook was built from.

` + exitCodesHelp,
		Example: `  casebook docs --dir ~/.local/share/man/man1     # then: man casebook-train
  casebook docs --format markdown --dir docs/reference --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat("format", opts.format, docsFormats...); err != nil {
				return err
			}
			if opts.dir == "" {
				return usageErrorf("--dir DIR is required: where to write the pages")
			}
			opts.root = cmd.Root()
			return runDocs(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.format, "format", "f", "man", "man or markdown")
	fl.StringVar(&opts.dir, "dir", "", "`DIR` to write the pages to (made if missing)")
	fl.BoolVar(&opts.force, "force", false, "replace files that already exist")
	completeFlag(cmd, "format", completeValues(docsFormats...))
	completeFlag(cmd, "dir", completeDirs)
	return cmd
}

func runDocs(opts *docsOptions) error {
	pages, err := docPages(opts.root, opts.format)
	if err != nil {
		return err
	}
	if !opts.force {
		for _, p := range pages {
			path := filepath.Join(opts.dir, p.name)
			if _, err := os.Lstat(path); err == nil {
				return usageErrorf("not overwriting %s (use --force to replace it)", filepath.ToSlash(path))
			}
		}
	}
	for _, p := range pages {
		if err := writeFile(filepath.Join(opts.dir, p.name), p.data, true); err != nil {
			return err
		}
	}
	fmt.Fprintf(opts.f.streams.Out, "wrote %d %s pages to %s\n", len(pages), opts.format, filepath.ToSlash(opts.dir))
	return nil
}

// A docPage is one generated file.
type docPage struct {
	name string
	data []byte
}

// docPages renders the help of root and every command under it that help
// lists, as cobra's doc package writes it, without the date it would add.
func docPages(root *cobra.Command, format string) ([]docPage, error) {
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	var pages []docPage
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		c.DisableAutoGenTag = true
		var buf bytes.Buffer
		var name string
		switch format {
		case "markdown":
			name = strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
			if err := doc.GenMarkdownCustom(c, &buf, func(s string) string { return s }); err != nil {
				return err
			}
		default:
			name = strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
			if err := doc.GenMan(c, manHeader(), &buf); err != nil {
				return err
			}
		}
		pages = append(pages, docPage{name, buf.Bytes()})
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	return pages, nil
}

// manHeader is the header of each man page: dated with the time of the
// commit casebook was built from, else $SOURCE_DATE_EPOCH or today (cobra's
// choice).
func manHeader() *doc.GenManHeader {
	h := &doc.GenManHeader{
		Section: "1",
		Source:  "casebook " + strings.Fields(versionString())[0],
		Manual:  "casebook manual",
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					h.Date = &t
				}
			}
		}
	}
	return h
}
