package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"github.com/spf13/cobra"
)

const storeCmdHelp = `The store is --store URL, else $CASEBOOK_STORE, else the SQLite file
$XDG_DATA_HOME/casebook/casebook.db (~/.local/share/casebook/casebook.db).
URLs: sqlite:PATH, or postgres://USER@HOST/DB for a team's server (keep a
password in PGPASSWORD or ~/.pgpass rather than in the URL).`

func newStoreCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "A team's attempts in one database: migrate, import, export, rescore, list",
		Long: `Store commands look after a database of attempts (SQLite or PostgreSQL),
where a whole team's training lands:

  store migrate   creates the store, or brings its schema up to date
  store import    adds attempt files, simulating their moves again
  store export    writes the stored attempts as attempt files
  store rescore   scores the stored attempts again (after a library change)
  store list      lists the stored attempts

train, replay and report take the same --store.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook store migrate --store sqlite:team.db
  casebook store import ~/.local/share/casebook/attempts --store sqlite:team.db
  casebook report --store sqlite:team.db --origin supervised,local`,
	}
	cmd.AddCommand(newStoreMigrateCmd(f), newStoreImportCmd(f), newStoreExportCmd(f), newStoreRescoreCmd(f), newStoreListCmd(f))
	return cmd
}

// defaultStore is the database store the store commands use when none is
// given: serve's default too.
func (f *factory) defaultStore() (string, error) {
	if d := f.getenv("XDG_DATA_HOME"); d != "" {
		return "sqlite:" + filepath.Join(d, "casebook", "casebook.db"), nil
	}
	if h := f.getenv("HOME"); h != "" && h != "/no-home" {
		return "sqlite:" + filepath.Join(h, ".local", "share", "casebook", "casebook.db"), nil
	}
	return "", usageErrorf("no place for the store: set XDG_DATA_HOME or HOME, or pass --store URL")
}

// databaseStore opens the store a store command works on, refusing
// attempt files (they are no database).
func (f *factory) databaseStore(flag string, create bool) (*chosenStore, store.Scored, error) {
	return f.databaseStoreWith(flag, store.Options{Create: create})
}

func (f *factory) databaseStoreWith(flag string, opts store.Options) (*chosenStore, store.Scored, error) {
	url, from := f.storeURL(flag)
	if url == "" {
		var err error
		if url, err = f.defaultStore(); err != nil {
			return nil, nil, err
		}
	}
	kind, _, err := store.Parse(url)
	if err != nil {
		return nil, nil, storeError(url, from, err)
	}
	if kind == "dir" {
		return nil, nil, usageErrorf("%s is a directory of attempt files, not a database: give --store sqlite:PATH or postgres://...", store.Redact(url))
	}
	c, err := f.openStoreWith(url, from, opts)
	if err != nil {
		return nil, nil, err
	}
	return c, c.Store.(store.Scored), nil
}

func newStoreMigrateCmd(f *factory) *cobra.Command {
	var flag, output string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create the store, or bring its schema up to date",
		Long: `Migrate creates the store (a SQLite file, or casebook's tables in an empty
PostgreSQL database) or applies the migrations it lacks, each in one
transaction. Every command that opens a store migrates it too, and says
so; a store made by a newer casebook is refused and left as it is.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook store migrate --store sqlite:team.db
  CASEBOOK_STORE=postgres://casebook@db.example.com/training casebook store migrate   # needs the network (a PostgreSQL server)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, sc, err := f.databaseStore(flag, true)
			if err != nil {
				return err
			}
			defer c.Close()
			have, want, err := sc.Schema(context.Background())
			if err != nil {
				return usageErrorf("%s: %v", c, err)
			}
			if output == "json" {
				return writeJSON(f.streams.Out, struct {
					Store  string `json:"store"`
					Schema int    `json:"schema"`
					Known  int    `json:"known"`
				}{c.String(), have, want})
			}
			fmt.Fprintf(f.streams.Out, "%s: schema %d, up to date\n", c, have)
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	outputFlag(cmd, &output, "text", "json")
	return cmd
}

type importResult struct {
	File   string `json:"file"`
	Result string `json:"result"` // added, unchanged, extended, refused
	Ref    string `json:"attempt,omitempty"`
	Error  string `json:"error,omitempty"`
}

func newStoreImportCmd(f *factory) *cobra.Command {
	var flag, output string
	cmd := &cobra.Command{
		Use:   "import DIR|FILE...",
		Short: "Add attempt files to the store, simulating their moves again",
		Long: `Import adds attempt files (*.attempt, under the directories given, or the
files themselves) to the store, marked self-reported: a file's owner could
have edited it. Each attempt's moves are simulated again on the library's
playbook, and a file whose recorded turns are not what the simulation
gives is refused, as is one made on a playbook version the library lacks.
Closed attempts are scored and their scorecards stored.

Importing is idempotent: an attempt already in the store (the same header)
adds nothing, and one whose file has gone on since adds only its new
moves. A refused file is reported with its path and skipped; import exits
1 when any was.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook store import ~/.local/share/casebook/attempts --store sqlite:team.db
  casebook store import team-a/ team-b/ -o json | jq '.[] | select(.result == "refused")'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStoreImport(f, flag, output, args)
		},
	}
	databaseStoreFlag(cmd, &flag)
	outputFlag(cmd, &output, "text", "json")
	cmd.ValidArgsFunction = completeDirs
	return cmd
}

func runStoreImport(f *factory, flag, output string, args []string) error {
	s := f.streams
	// Every argument is checked before anything is written.
	var dirs, files []string
	for _, a := range args {
		info, err := os.Stat(a)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return usageErrorf("%s: no such file or directory", filepath.ToSlash(a))
		case err != nil:
			return usageErrorf("%v", err)
		case info.IsDir():
			dirs = append(dirs, a)
		default:
			files = append(files, a)
		}
	}
	lib, err := f.libraryWith(loadPinned)
	if err != nil {
		return err
	}
	// An import can be run again: its commits need not wait for the disk.
	c, sc, err := f.databaseStoreWith(flag, store.Options{Create: true, Bulk: true})
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := context.Background()
	goldens := &scoring.Goldens{}
	var results []importResult
	counts := map[string]int{}
	// Files are read, simulated again and scored on every core, and stored
	// one after another in the order they were found, so the output is the
	// same however the work was shared.
	type prepared struct {
		res      importResult
		notes    []string // warnings for stderr, before the result
		refusal  error
		a        *simulator.Attempt
		over     bool
		card     []byte
		brief    *scoring.Scorecard
		scoreErr error
	}
	prepare := func(path string) *prepared {
		name := filepath.ToSlash(path)
		pr := &prepared{res: importResult{File: name}}
		a, err := simulator.ReadAttempt(path)
		if err != nil {
			pr.refusal = err
			return pr
		}
		a.Path = name
		if w := a.TornWarning(); w != "" {
			pr.notes = append(pr.notes, "warning: "+w)
		}
		scen := lib.Scenarios.Find(a.Header.Scenario)
		if scen == nil {
			pr.refusal = fmt.Errorf("%s:1:1: an attempt at scenario %q, which library %s does not hold", name, scenarios.Clip(a.Header.Scenario), lib.Source)
			return pr
		}
		p, _ := lib.MadeOn(a.Header.Playbook, a.Header.PlaybookVersion)
		if p == nil {
			pr.refusal = fmt.Errorf("%s:1:1: made on playbook %s %s, which the library does not have (a patch-only difference is fine)", name, a.Header.Playbook, a.Header.PlaybookVersion)
			return pr
		}
		over, err := simulator.Verify(a, p, scen, true)
		if err != nil {
			pr.refusal = err
			return pr
		}
		if len(a.Moves) == 0 {
			pr.refusal = fmt.Errorf("%s:1:1: holds no move; an attempt is stored with its first move", name)
			return pr
		}
		pr.a, pr.over = a, over
		if over {
			pr.card, pr.brief, pr.scoreErr = store.Score(a, scen, p, goldens)
		}
		return pr
	}
	commit := func(pr *prepared) {
		res := pr.res
		defer func() {
			counts[res.Result]++
			results = append(results, res)
		}()
		for _, n := range pr.notes {
			fmt.Fprintln(s.ErrOut, n)
		}
		refuse := func(err error) {
			res.Result, res.Error = "refused", err.Error()
			fmt.Fprintf(s.ErrOut, "refused %s\n", playbooks.EscapeControls(err.Error()))
		}
		if pr.refusal != nil {
			refuse(pr.refusal)
			return
		}
		r, ref, err := sc.Import(ctx, pr.a, pr.over, res.File)
		if err != nil {
			refuse(fmt.Errorf("%s: %v", res.File, err))
			return
		}
		res.Ref = ref
		res.Result = [...]string{store.Added: "added", store.Unchanged: "unchanged", store.Extended: "extended"}[r]
		if r == store.Unchanged || !pr.over {
			return
		}
		err = pr.scoreErr
		if err == nil {
			err = sc.SaveScorecard(ctx, ref, len(pr.a.Moves), pr.card, pr.brief)
		}
		if err != nil {
			fmt.Fprintf(s.ErrOut, "warning: %s: imported as %s, but not scored (%v)\n", res.File, c.attemptName(ref), err)
		}
	}
	type job struct {
		seq  int
		path string
	}
	type done struct {
		seq int
		pr  *prepared
	}
	jobs, out := make(chan job, 64), make(chan done, 64)
	var walkErrs []string
	go func() {
		defer close(jobs)
		seq := 0
		for _, path := range files {
			jobs <- job{seq, path}
			seq++
		}
		simulator.WalkAttempts(dirs, func(path string) bool {
			jobs <- job{seq, path}
			seq++
			return true
		}, func(path string, err error) {
			walkErrs = append(walkErrs, fmt.Sprintf("skipping %s: %v", filepath.ToSlash(path), unwrapPath(err)))
		})
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				out <- done{j.seq, prepare(j.path)}
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	waiting, next := map[int]*prepared{}, 0
	for d := range out {
		waiting[d.seq] = d.pr
		for pr := waiting[next]; pr != nil; pr = waiting[next] {
			delete(waiting, next)
			commit(pr)
			next++
		}
	}
	for _, e := range walkErrs {
		fmt.Fprintln(s.ErrOut, e)
		counts["refused"]++
	}
	var result error
	if counts["refused"] > 0 {
		result = errFindings
	}
	if output == "json" {
		if results == nil {
			results = []importResult{}
		}
		if err := writeJSON(s.Out, results); err != nil {
			return err
		}
		return result
	}
	fmt.Fprintf(s.Out, "%d attempt file(s) into %s: %d added, %d extended, %d unchanged, %d refused\n",
		len(results), c, counts["added"], counts["extended"], counts["unchanged"], counts["refused"])
	return result
}

func newStoreExportCmd(f *factory) *cobra.Command {
	var flag, output string
	var origins []string
	cmd := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the stored attempts as attempt files",
		Long: `Export writes every stored attempt (or those of --origin) into DIR as an
attempt file, named after its number, scenario and trainee, which replay
and report read and store import takes back unchanged. A file that exists
already with the same content is left alone; an earlier export of an
attempt that has gone on since is brought up to date (its moves are all
in the new file); a file with other content is refused, never
overwritten.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook store export backup/ --store sqlite:team.db
  casebook store export local/ --store sqlite:team.db --origin local -o json | jq .written`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			only, err := parseOrigins(origins)
			if err != nil {
				return err
			}
			return runStoreExport(f, flag, output, args[0], only)
		},
	}
	databaseStoreFlag(cmd, &flag)
	outputFlag(cmd, &output, "text", "json")
	cmd.Flags().StringSliceVar(&origins, "origin", nil, "only attempts of these `ORIGINS` (supervised, local, self-reported)")
	completeFlag(cmd, "origin", completeValues("supervised", "local", "self-reported"))
	cmd.ValidArgsFunction = completeDirs
	return cmd
}

func runStoreExport(f *factory, flag, output, dir string, origins []store.Origin) error {
	s := f.streams
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return usageErrorf("%s is not a directory", filepath.ToSlash(dir))
	}
	c, sc, err := f.databaseStore(flag, false)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := context.Background()
	var infos []store.Info
	if err := sc.Attempts(ctx, store.Filter{Origins: origins, NoCards: true}, func(i store.Info) bool {
		infos = append(infos, i)
		return true
	}); err != nil {
		return usageErrorf("%s: %v", c, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usageErrorf("%v", playbooks.WriteError(dir, err))
	}
	written, same, updated := 0, 0, 0
	refused := []string{}
	for _, i := range infos {
		data, err := sc.Raw(ctx, i.Ref)
		if err != nil {
			return usageErrorf("%v", err)
		}
		name := fmt.Sprintf("%s-%s-%s%s", i.Ref, simulator.SafeName(i.Header.Scenario), simulator.SafeName(i.Header.Trainee), simulator.AttemptExt)
		path := filepath.Join(dir, name)
		replace := false
		if old, err := os.ReadFile(path); err == nil {
			switch {
			case bytes.Equal(old, data):
				same++
				continue
			case bytes.HasPrefix(data, old):
				// An earlier export of the attempt, which has gone on since:
				// its moves are all in the new file.
				replace = true
			default:
				fmt.Fprintf(s.ErrOut, "refused %s: the file exists with other content; it was left as it is\n", filepath.ToSlash(path))
				refused = append(refused, filepath.ToSlash(path))
				continue
			}
		}
		if err := playbooks.WriteFileAtomic(path, data, 0o644, replace); err != nil {
			return usageErrorf("%v (%d attempt(s) written before it)", err, written+updated)
		}
		if replace {
			updated++
		} else {
			written++
		}
	}
	var result error
	if len(refused) > 0 {
		result = errFindings
	}
	if output == "json" {
		if err := writeJSON(s.Out, struct {
			Attempts int      `json:"attempts"`
			Written  int      `json:"written"`
			Updated  int      `json:"updated"`
			Same     int      `json:"already_there"`
			Refused  []string `json:"refused"`
		}{len(infos), written, updated, same, refused}); err != nil {
			return err
		}
		return result
	}
	fmt.Fprintf(s.Out, "%d attempt(s) of %s into %s: %d written, %d updated, %d already there, %d refused\n", len(infos), c, filepath.ToSlash(dir), written, updated, same, len(refused))
	return result
}

func newStoreRescoreCmd(f *factory) *cobra.Command {
	var flag, output string
	var current bool
	cmd := &cobra.Command{
		Use:   "rescore",
		Short: "Score the stored attempts again and store the scorecards that changed",
		Long: `Rescore replays every stored attempt on the library and stores its
scorecard again: after a playbook's patch release, or a casebook release
that changed how a rule reads, the stored scorecards (which report counts
as they are) follow. Each attempt is scored under the rules it was made
under, as replay scores it; --current scores them all under the current
rules (v2), and the attempt's scorecard says so. Attempts closed but not
yet scored (train was stopped in between) are scored too.

An attempt made on a playbook version the library no longer has (beyond a
patch-only difference) keeps its scorecard and is named on stderr;
rescore exits 1 when any was.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook store rescore --store sqlite:team.db
  casebook store rescore --store sqlite:team.db --library ./library -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStoreRescore(f, flag, output, current)
		},
	}
	databaseStoreFlag(cmd, &flag)
	outputFlag(cmd, &output, "text", "json")
	cmd.Flags().BoolVar(&current, "current", false, "score every attempt under the current rules, not those it was made under")
	return cmd
}

func runStoreRescore(f *factory, flag, output string, current bool) error {
	s := f.streams
	lib, err := f.libraryWith(loadPinned)
	if err != nil {
		return err
	}
	c, sc, err := f.databaseStore(flag, false)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := context.Background()
	var infos []store.Info
	if err := sc.Attempts(ctx, store.Filter{}, func(i store.Info) bool {
		infos = append(infos, i)
		return true
	}); err != nil {
		return usageErrorf("%s: %v", c, err)
	}
	goldens := &scoring.Goldens{}
	var counts struct {
		Attempts   int `json:"attempts"`
		Changed    int `json:"changed"`
		Unchanged  int `json:"unchanged"`
		Incomplete int `json:"incomplete"`
		Skipped    int `json:"skipped"`
	}
	counts.Attempts = len(infos)
	for _, i := range infos {
		name := c.attemptName(i.Ref)
		skip := func(msg string) {
			fmt.Fprintf(s.ErrOut, "skipping %s: %s\n", name, msg)
			counts.Skipped++
		}
		a, err := c.Read(ctx, i.Ref)
		if err != nil {
			skip(err.Error())
			continue
		}
		scen := lib.Scenarios.Find(a.Header.Scenario)
		var p *playbooks.Playbook
		if scen != nil {
			p, _ = lib.MadeOn(a.Header.Playbook, a.Header.PlaybookVersion)
		}
		if p == nil {
			skip(fmt.Sprintf("made on %s %s (scenario %s), which the library does not have; its scorecard is kept", a.Header.Playbook, a.Header.PlaybookVersion, a.Header.Scenario))
			continue
		}
		ao := scoring.AttemptOptions{Goldens: goldens}
		if current {
			ao.Rules = simulator.CurrentRules
		}
		full, complete, err := scoring.ScoreAttempt(a, scen, p, ao)
		if err != nil {
			skip(err.Error())
			continue
		}
		if !complete {
			counts.Incomplete++
			continue
		}
		data, err := jsonBytes(full)
		if err != nil {
			return err
		}
		if i.Scored && i.CardMove == len(a.Moves) && bytes.Equal(i.Card, data) {
			counts.Unchanged++
			continue
		}
		ao.ForReport = true
		brief, _, err := scoring.ScoreAttempt(a, scen, p, ao)
		if err != nil {
			skip(err.Error())
			continue
		}
		if err := sc.SaveScorecard(ctx, i.Ref, len(a.Moves), data, brief); err != nil {
			return usageErrorf("%s: %v", name, err)
		}
		counts.Changed++
	}
	var result error
	if counts.Skipped > 0 {
		result = errFindings
	}
	if output == "json" {
		if err := writeJSON(s.Out, counts); err != nil {
			return err
		}
		return result
	}
	fmt.Fprintf(s.Out, "%d attempt(s) in %s: %d scorecard(s) stored anew, %d unchanged, %d incomplete, %d skipped\n",
		counts.Attempts, c, counts.Changed, counts.Unchanged, counts.Incomplete, counts.Skipped)
	return result
}

type listedAttempt struct {
	Attempt  string       `json:"attempt"`
	Trainee  string       `json:"trainee"`
	Scenario string       `json:"scenario"`
	Tier     string       `json:"tier"`
	Origin   store.Origin `json:"origin"`
	Source   string       `json:"source"`
	Moves    int          `json:"moves"`
	Score    *int         `json:"score"`
	Started  string       `json:"started_at"`
}

func newStoreListCmd(f *factory) *cobra.Command {
	var flag, output string
	var origins []string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the stored attempts",
		Long: `List shows every stored attempt (or those of --origin): its number (for
train --resume and replay), trainee, scenario, tier, origin, moves and
stored score ("-" while it has none: not closed, or not yet scored).

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook store list --store sqlite:team.db
  casebook store list --store sqlite:team.db --origin self-reported -o json | jq length`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			only, err := parseOrigins(origins)
			if err != nil {
				return err
			}
			c, sc, err := f.databaseStore(flag, false)
			if err != nil {
				return err
			}
			defer c.Close()
			list := []listedAttempt{}
			err = sc.Attempts(context.Background(), store.Filter{Origins: only, NoCards: true}, func(i store.Info) bool {
				la := listedAttempt{Attempt: i.Ref, Trainee: i.Header.Trainee, Scenario: i.Header.Scenario, Tier: i.Header.Tier,
					Origin: i.Origin, Source: i.Source, Moves: i.Moves, Started: i.Header.StartedAt}
				if i.Scored {
					la.Score = &i.Total
				}
				list = append(list, la)
				return true
			})
			if err != nil {
				return usageErrorf("%s: %v", c, err)
			}
			if output == "json" {
				return writeJSON(f.streams.Out, list)
			}
			if len(list) == 0 {
				fmt.Fprintf(f.streams.Out, "No attempts in %s.\n", c)
				return nil
			}
			t := newTablePrinter(f.streams.Out, f.streams.OutTTY)
			t.Header("attempt", "trainee", "scenario", "tier", "origin", "moves", "score", "started")
			for _, la := range list {
				score := "-"
				if la.Score != nil {
					score = strconv.Itoa(*la.Score)
				}
				t.Row(la.Attempt, playbooks.EscapeControls(la.Trainee), la.Scenario, la.Tier, string(la.Origin), strconv.Itoa(la.Moves), score, la.Started)
			}
			return t.Render()
		},
	}
	databaseStoreFlag(cmd, &flag)
	outputFlag(cmd, &output, "text", "json")
	cmd.Flags().StringSliceVar(&origins, "origin", nil, "only attempts of these `ORIGINS` (supervised, local, self-reported)")
	completeFlag(cmd, "origin", completeValues("supervised", "local", "self-reported"))
	return cmd
}
