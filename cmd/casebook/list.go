package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
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
			return runList(opts)
		},
	}
	outputFlag(cmd, &opts.output, "text", "json")
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
	Problems int    `json:"problems,omitempty"`
	Error    string `json:"error,omitempty"`
}

// scenarioEntries are what list --scenarios shows of a library.
func scenarioEntries(lib *loadedLibrary) []scenarioEntry {
	entries := []scenarioEntry{}
	problems := fileProblems(lib.Problems)
	for _, sc := range lib.Scenarios.Scenarios {
		e := scenarioEntry{ID: sc.ID, Title: sc.Title, Playbook: sc.Playbook + "@" + sc.Range, Channel: sc.Channel,
			Traps: len(sc.Traps), Recorded: sc.Recording != nil, File: sc.File}
		if p := lib.Scenarios.Playbook(sc); p != nil {
			e.Version = p.Version
		}
		if pr := problems[sc.File]; pr != nil {
			e.Problems, e.Error = pr.Problems, pr.Error
			delete(problems, sc.File)
		}
		entries = append(entries, e)
	}
	// Scenario files that hold no scenario that loaded.
	for _, file := range unloadedFiles(problems, isScenarioFile) {
		entries = append(entries, scenarioEntry{File: file, Problems: problems[file].Problems, Error: problems[file].Error})
	}
	return entries
}

func listScenarios(opts *listOptions, entries []scenarioEntry) error {
	s := opts.f.streams
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
		switch {
		case e.ID == "":
			t.Row(e.File, "", "", "", "", fmt.Sprintf("does not load (%d problem(s)): %s", e.Problems, e.Error))
		case e.Problems > 0:
			t.Row(e.ID, e.Playbook, e.Channel, strconv.Itoa(e.Traps), rec, fmt.Sprintf("%s (%d problem(s): %s)", e.Title, e.Problems, e.Error))
		default:
			t.Row(e.ID, e.Playbook, e.Channel, strconv.Itoa(e.Traps), rec, e.Title)
		}
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
	// Problems counts the file's errors, Error is the first of them: a
	// playbook listed with problems, or a file that holds none that loaded.
	Problems int    `json:"problems,omitempty"`
	Error    string `json:"error,omitempty"`
}

// fileProblems counts the errors of each file and keeps the first.
func fileProblems(fs []playbooks.Finding) map[string]*listEntry {
	out := map[string]*listEntry{}
	for _, f := range fs {
		if f.Severity == playbooks.SeverityWarning {
			continue
		}
		e := out[f.File]
		if e == nil {
			e = &listEntry{File: f.File, Error: playbooks.EscapeControls(f.String())}
			out[f.File] = e
		}
		e.Problems++
	}
	return out
}

// A listResult is what list shows of a library, as its cache keeps it.
type listResult struct {
	Playbooks []listEntry     `json:"playbooks,omitempty"`
	Scenarios []scenarioEntry `json:"scenarios,omitempty"`
	Problems  int             `json:"problems"`
	Source    string          `json:"source"`
}

func runList(opts *listOptions) error {
	s := opts.f.streams
	res, err := opts.f.listed(opts.scenarios)
	if err != nil {
		return err
	}
	if opts.scenarios {
		if err := listScenarios(opts, res.Scenarios); err != nil {
			return err
		}
	} else if err := listPlaybooks(opts, res.Playbooks); err != nil {
		return err
	}
	if res.Problems > 0 {
		fmt.Fprintf(s.ErrOut, "warning: %d problem(s) in the library (%s); run %s\n", res.Problems, res.Source, opts.f.suggest("lint"))
	}
	return nil
}

// listed is what list shows of the library. Of a library directory it is
// kept under the cache directory, keyed by every file's name and Stamp
// and by this casebook: while nothing changed, list reads no file. A
// result is kept only when every file was last touched more than two seconds
// ago, and CASEBOOK_INDEX=off neither reads nor keeps one. The key holds
// --max-file-size too, which changes what loads.
func (f *factory) listed(scenarioList bool) (*listResult, error) {
	root, dir := f.libraryRoot(), f.cacheDir()
	name := "list-playbooks"
	if scenarioList {
		name = "list-scenarios"
	}
	var key, path string
	settled := false
	if root != "" && dir != "" && f.getenv("CASEBOOK_INDEX") != "off" {
		if libraryDirError(root) == nil {
			if files, findings, err := playbooks.ListPaths([]string{root}, f.maxSize); err == nil {
				key, settled = playbooks.StampsKey(files, f.now())
				// What listing met (unreadable files, links out) and the
				// casebook that computed the result count too.
				for _, fd := range findings {
					key += "\x00" + fd.String()
				}
				key = fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%d", key, versionString(), executableStamp(), f.maxSize))))
				path = playbooks.CachePath(dir, root, name)
				if b, err := os.ReadFile(path); err == nil {
					if head, body, ok := bytes.Cut(b, []byte("\n")); ok && string(head) == key {
						var res listResult
						if json.Unmarshal(body, &res) == nil {
							res.Source = root // as this run names it
							return &res, nil
						}
					}
				}
			}
		}
	}
	// As lint loads: every check, little of each playbook kept, so the
	// memory does not grow with the playbooks' steps.
	lib, err := f.libraryWith(loadSlim)
	if err != nil {
		return nil, err
	}
	res := &listResult{Problems: len(lib.Problems), Source: lib.Source}
	if scenarioList {
		res.Scenarios = scenarioEntries(lib)
	} else {
		res.Playbooks = playbookEntries(lib)
	}
	if path != "" && settled {
		if body, err := json.Marshal(res); err == nil && os.MkdirAll(dir, 0o700) == nil {
			// Only a cache, and the user's own (what they may read): a
			// failure to keep it costs the next run time.
			playbooks.WriteFileAtomic(path, append([]byte(key+"\n"), body...), 0o600, true)
		}
	}
	return res, nil
}

// executableStamp tells this casebook's binary from another build.
func executableStamp() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	info, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return fmt.Sprintf("%s %d %d", exe, info.Size(), info.ModTime().UnixNano())
}

// playbookEntries are what list shows of a library's playbooks.
func playbookEntries(lib *loadedLibrary) []listEntry {
	entries := []listEntry{}
	problems := fileProblems(lib.Problems)
	for _, p := range lib.Sorted() {
		intents := make([]string, len(p.Intents))
		for i, in := range p.Intents {
			intents[i] = in.Value
		}
		e := listEntry{ID: p.ID, Version: p.Version, Title: p.Title, Product: p.Product, AppliesTo: p.AppliesTo,
			ReviewedFor: p.ReviewedFor, Owner: p.Owner, Intents: intents, Steps: p.NumSteps(), File: p.File}
		if pr := problems[p.File]; pr != nil {
			e.Problems, e.Error = pr.Problems, pr.Error
			delete(problems, p.File)
		}
		entries = append(entries, e)
	}
	// Playbook files that hold no playbook that loaded, by file.
	for _, file := range unloadedFiles(problems, func(file string) bool { return isPlaybookFile(lib, file) }) {
		pr := problems[file]
		entries = append(entries, listEntry{File: file, Intents: []string{}, Problems: pr.Problems, Error: pr.Error})
	}
	return entries
}

func listPlaybooks(opts *listOptions, entries []listEntry) error {
	s := opts.f.streams
	if opts.output == "json" {
		return writeJSON(s.Out, entries)
	}
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("id", "version", "applies to", "reviewed for", "steps", "title")
	for _, e := range entries {
		switch {
		case e.ID == "":
			t.Row(e.File, "", "", "", "", fmt.Sprintf("does not load (%d problem(s)): %s", e.Problems, e.Error))
		case e.Problems > 0:
			t.Row(e.ID, e.Version, e.AppliesTo, e.ReviewedFor, strconv.Itoa(e.Steps), fmt.Sprintf("%s (%d problem(s): %s)", e.Title, e.Problems, e.Error))
		default:
			t.Row(e.ID, e.Version, e.AppliesTo, e.ReviewedFor, strconv.Itoa(e.Steps), e.Title)
		}
	}
	return t.Render()
}

// unloadedFiles lists, in order, the files with problems no entry took
// that keep accepts.
func unloadedFiles(problems map[string]*listEntry, keep func(file string) bool) []string {
	var out []string
	for file := range problems {
		if keep(file) {
			out = append(out, file)
		}
	}
	slices.Sort(out)
	return out
}

// isScenarioFile reports whether a file's head names the scenario kind.
func isScenarioFile(file string) bool {
	head, err := readHead(file)
	return err == nil && playbooks.HeadKind(head) == scenarios.Kind
}

// isPlaybookFile reports whether a file with problems is one list shows:
// not a scenario or release file (by the kind its head names), nor one that
// loaded as a scenario.
func isPlaybookFile(lib *loadedLibrary, file string) bool {
	for _, sc := range lib.Scenarios.Scenarios {
		if sc.File == file {
			return false
		}
	}
	if head, err := readHead(file); err == nil {
		switch playbooks.HeadKind(head) {
		case scenarios.Kind, playbooks.KindRelease:
			return false
		}
	}
	return true
}

// readHead reads the first 512 bytes of a file.
func readHead(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:n], err
}
