package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/spf13/cobra"
)

type initOptions struct {
	f     *factory
	dir   string
	force bool
}

func newInitCmd(f *factory) *cobra.Command {
	opts := &initOptions{f: f}
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Write a starter library a trainer can edit",
		Long: `Init writes the embedded library into DIR as files you can edit: the
playbooks under DIR/playbooks, the training scenarios under DIR/scenarios and
their JSON Schemas under DIR/schema (editors
that speak the YAML language server pick it up from each file's first line).

Existing files are never overwritten unless --force is given; without it,
init writes nothing when any file it would write already exists.

Use the result with --library DIR or CASEBOOK_LIBRARY=DIR.

` + exitCodesHelp,
		Example: `  casebook init support-library
  casebook lint support-library
  CASEBOOK_LIBRARY=support-library casebook list`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			if opts.dir == "-" {
				return usageErrorf("init writes a library into a directory; - (standard output) is no directory")
			}
			return runInit(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite files that already exist")
	cmd.ValidArgsFunction = completeDirs
	return cmd
}

type starterFile struct {
	path string // slash-separated, relative to DIR
	data []byte
}

// schemaLine is the editor hint on a library file's first line.
var schemaLine = regexp.MustCompile(`^# yaml-language-server: \$schema=\S*/(\w+)\.schema\.json`)

func starterFiles() ([]starterFile, error) {
	var out []starterFile
	for _, src := range []struct {
		dir  string
		fsys fs.FS
	}{{"playbooks", playbooks.Embedded()}, {"scenarios", scenarios.Embedded()}} {
		err := fs.WalkDir(src.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(src.fsys, p)
			// Point the editor hint at the schema init writes under DIR/schema.
			target := path.Join(src.dir, p)
			up := strings.Repeat("../", strings.Count(target, "/"))
			data = schemaLine.ReplaceAll(data, []byte("# yaml-language-server: $$schema="+up+"schema/$1.schema.json"))
			out = append(out, starterFile{target, data})
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	for _, kind := range playbooks.SchemaKinds() {
		data, err := playbooks.Schema(kind)
		if err != nil {
			return nil, err
		}
		out = append(out, starterFile{path.Join("schema", kind+".schema.json"), data})
	}
	return out, nil
}

func runInit(opts *initOptions) error {
	s := opts.f.streams
	files, err := starterFiles()
	if err != nil {
		return err
	}
	if info, err := os.Stat(opts.dir); err == nil && !info.IsDir() {
		return usageErrorf("%s exists and is not a directory", opts.dir)
	}
	if !opts.force {
		var existing []string
		for _, sf := range files {
			target := filepath.Join(opts.dir, filepath.FromSlash(sf.path))
			if _, err := os.Lstat(target); err == nil {
				existing = append(existing, filepath.ToSlash(target))
			}
		}
		if len(existing) > 0 {
			return usageErrorf("not overwriting %s (use --force to replace)", strings.Join(existing, ", "))
		}
	}
	for _, sf := range files {
		target := filepath.Join(opts.dir, filepath.FromSlash(sf.path))
		if err := writeFile(target, sf.data, opts.force); err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "wrote %s\n", filepath.ToSlash(target))
	}
	fmt.Fprintf(s.ErrOut, "Next: %s, then use it with --library %s\n", playbooks.CommandLine("lint", filepath.ToSlash(opts.dir)), filepath.ToSlash(opts.dir))
	return nil
}
