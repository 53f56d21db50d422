package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	f      *factory
	dirs   []string
	k      int
	top    int
	output string
}

func newReportCmd(f *factory) *cobra.Command {
	opts := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report [DIR...]",
		Short: "Summarise many attempts: per trainee, tier and scenario, and where tiers diverge",
		Long: `Report scores every attempt file (*.attempt) under the directories (default:
the attempts directory train writes to) and summarises them:

  per trainee, per tier, per scenario: attempts, median score, median
  simulated time, how many were resolved, the most frequent findings;
  pass^k: the share of scenarios a trainee resolved on each of their first
  k attempts (among scenarios they tried at least k times);
  where tiers diverge: for each scenario and tier, the playbook steps at
  which attempts most often left the golden path.

Each attempt is replayed from its moves and scored, as replay does; an
attempt made on a playbook version the library no longer has (beyond a
patch-only difference) is skipped with a warning.

` + exitCodesHelp,
		Example: `  casebook report
  casebook report team-a/ team-b/ --k 2
  casebook report attempts/ -o json | jq '.divergence'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dirs = args
			if err := checkFormat("output", opts.output, "table", "json"); err != nil {
				return err
			}
			if opts.k < 1 {
				return usageErrorf("--k must be at least 1")
			}
			return runReport(opts)
		},
	}
	outputFlag(cmd, &opts.output, "table", "json")
	cmd.Flags().IntVar(&opts.k, "k", 3, "attempts per scenario for pass^k")
	cmd.Flags().IntVar(&opts.top, "top", 3, "findings listed per row")
	return cmd
}

// goldenFacts is what scoring needs of a golden path, computed once per
// scenario and tier.
type goldenFacts struct {
	golden      *simulator.Golden
	clockMin    int
	goldenMoves int
}

func runReport(opts *reportOptions) error {
	f, s := opts.f, opts.f.streams
	dirs := opts.dirs
	if len(dirs) == 0 {
		d, err := f.attemptsDir()
		if err != nil {
			return err
		}
		dirs = []string{d}
	}
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil || !info.IsDir() {
			return usageErrorf("%s is not a directory of attempts", filepath.ToSlash(d))
		}
	}
	// The attempt files are listed while the library loads, and scored as
	// they are listed, on all cores, in batches (a channel send per file
	// costs more than reading one).
	type batch struct {
		first int // the index in files of paths[0]
		paths []string
	}
	batches := make(chan batch, 64)
	quit := make(chan struct{})
	var files []string
	var walkErr error
	walked := make(chan struct{})
	go func() {
		defer close(walked)
		defer close(batches)
		var b batch
		send := func() bool {
			select {
			case batches <- b:
				b = batch{first: len(files)}
				return true
			case <-quit:
				return false
			}
		}
		for _, d := range dirs {
			walkErr = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if e.IsDir() && p != d && strings.HasPrefix(e.Name(), ".") {
					return fs.SkipDir
				}
				if !e.IsDir() && strings.HasSuffix(e.Name(), ".attempt") {
					files = append(files, p)
					b.paths = append(b.paths, p)
					if len(b.paths) == 64 && !send() {
						return fs.SkipAll
					}
				}
				return nil
			})
			if walkErr != nil {
				return
			}
		}
		if len(b.paths) > 0 {
			send()
		}
	}()
	stop := func() {
		close(quit)
		<-walked
	}
	// Of the playbooks, a report needs only those its scenarios pin.
	lib, err := f.libraryWith(loadPinned)
	if err != nil {
		stop()
		return err
	}
	// Scorecards of a year of attempts stay in memory until aggregated; a
	// lazier collector spends far less time scanning them.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	// Each attempt is replayed from its moves (the recorded turns are not
	// trusted, as replay does not trust them) and scored, on all cores.
	var mu sync.Mutex
	cache := map[string]*goldenFacts{}
	golden := func(key string, p *playbooks.Playbook, sc *scenarios.Scenario, tier string) (*goldenFacts, error) {
		mu.Lock()
		defer mu.Unlock()
		if gf := cache[key]; gf != nil {
			return gf, nil
		}
		ss, err := simulator.New(p, sc, tier, simulator.ModeExam, 0)
		if err != nil {
			return nil, err
		}
		gf := &goldenFacts{golden: ss.Golden(), clockMin: int(ss.GoldenClock().Minutes()), goldenMoves: ss.GoldenMoves()}
		cache[key] = gf
		return gf, nil
	}
	scenarioByID := map[string]*scenarios.Scenario{}
	for _, sc := range lib.Scenarios.Scenarios {
		scenarioByID[sc.ID] = sc
	}
	type outcome struct {
		i     int
		file  string
		entry *scoring.Entry
		skip  string
	}
	score := func(r *simulator.AttemptReader, file string) outcome {
		a, err := r.ReadMoves(file)
		if err != nil {
			return outcome{file: file, skip: err.Error()}
		}
		h := a.Header
		sc := scenarioByID[h.Scenario]
		if sc == nil {
			return outcome{file: file, skip: fmt.Sprintf("no scenario %q in the library", h.Scenario)}
		}
		p, exact := madeOn(lib, h, lib.Scenarios.Playbook(sc))
		if p == nil {
			return outcome{file: file, skip: fmt.Sprintf("made on playbook %s %s, which the library does not have (a patch-only difference is fine)", h.Playbook, h.PlaybookVersion)}
		}
		if !exact {
			a.Header.PlaybookVersion = p.Version
		}
		gf, err := golden(h.Scenario+"\x00"+h.Tier+"\x00"+p.Version, p, sc, h.Tier)
		if err != nil {
			return outcome{file: file, skip: err.Error()}
		}
		turns, err := simulator.Replay(a, p, sc)
		if err != nil {
			return outcome{file: file, skip: err.Error()}
		}
		card := scoring.Score(scoring.Input{Scenario: sc, Playbook: p, Tier: h.Tier, Trainee: h.Trainee, Mode: h.Mode,
			Source: scoring.SourceAttempt, Turns: turns, Golden: gf.golden, GoldenClockMin: gf.clockMin, GoldenMoves: gf.goldenMoves,
			Terse: true})
		// A report keeps of each scorecard only what it aggregates.
		card.Golden, card.Path = nil, offPath(card.Path)
		return outcome{file: file, entry: &scoring.Entry{Card: card, StartedAt: h.StartedAt, File: filepath.ToSlash(file)}}
	}
	var wg sync.WaitGroup
	done := make([][]outcome, runtime.GOMAXPROCS(0))
	for w := range done {
		wg.Go(func() {
			var r simulator.AttemptReader
			for b := range batches {
				for j, p := range b.paths {
					o := score(&r, p)
					o.i = b.first + j
					done[w] = append(done[w], o)
				}
			}
		})
	}
	wg.Wait()
	<-walked
	if walkErr != nil {
		return walkErr
	}
	// Back into the order the files were listed in, whichever worker
	// scored them.
	outcomes := make([]outcome, len(files))
	for _, list := range done {
		for _, o := range list {
			outcomes[o.i] = o
		}
	}
	var entries []scoring.Entry
	skipped := 0
	for _, o := range outcomes {
		if o.entry == nil {
			skipped++
			fmt.Fprintf(s.ErrOut, "skipping %s: %s\n", filepath.ToSlash(o.file), o.skip)
			continue
		}
		entries = append(entries, *o.entry)
	}
	r := scoring.Aggregate(entries, opts.k, opts.top)
	if opts.output == "json" {
		return writeJSON(s.Out, r)
	}
	if len(entries) == 0 {
		fmt.Fprintf(s.Out, "No attempts found in %s.\n", strings.Join(toSlash(dirs), ", "))
		return nil
	}
	fmt.Fprintf(s.Out, "%d attempt(s) by %d trainee(s), %d tier(s), %d scenario(s)", r.Attempts, len(r.Trainees), len(r.Tiers), len(r.Scenarios))
	if skipped > 0 {
		fmt.Fprintf(s.Out, "; %d file(s) skipped", skipped)
	}
	fmt.Fprintln(s.Out)
	passK := map[string]string{}
	for _, c := range r.Consistency {
		passK[c.Trainee] = "-"
		if c.PassK >= 0 {
			passK[c.Trainee] = fmt.Sprintf("%d/%d", c.Consistent, c.Eligible)
		}
	}
	for _, sec := range []struct {
		title, col string
		groups     []scoring.Group
	}{{"By trainee", "trainee", r.Trainees}, {"By tier", "tier", r.Tiers}, {"By scenario", "scenario", r.Scenarios}} {
		fmt.Fprintf(s.Out, "\n%s\n", sec.title)
		t := newTablePrinter(s.Out, s.OutTTY)
		header := []string{sec.col, "attempts", "median score", "median time", "resolved"}
		if sec.col == "trainee" {
			header = append(header, fmt.Sprintf("pass^%d", r.K))
		}
		t.Header(append(header, "top findings")...)
		for _, g := range sec.groups {
			row := []string{g.Key, strconv.Itoa(g.Attempts), num(g.MedianScore), clock(int(g.MedianClockMin)),
				fmt.Sprintf("%d/%d", g.Resolved, g.Attempts)}
			if sec.col == "trainee" {
				row = append(row, passK[g.Key])
			}
			t.Row(append(row, counts(g.TopFindings))...)
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	fmt.Fprintln(s.Out, "\nWhere tiers leave the golden path (attempts off the path at each step)")
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("scenario", "tier", "attempts", "steps")
	for _, d := range r.Divergence {
		for _, td := range d.Tiers {
			var steps []string
			for _, st := range td.Steps {
				steps = append(steps, fmt.Sprintf("%s %d/%d", st.Key, st.Count, td.Attempts))
			}
			if len(steps) == 0 {
				steps = []string{"(none: every move on the path)"}
			}
			t.Row(d.Scenario, td.Tier, strconv.Itoa(td.Attempts), strings.Join(steps, ", "))
		}
	}
	return t.Render()
}

func num(x float64) string {
	if x == float64(int(x)) {
		return strconv.Itoa(int(x))
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

func counts(cs []scoring.Count) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s (%d)", c.Key, c.Count)
	}
	return strings.Join(parts, ", ")
}

func toSlash(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.ToSlash(p)
	}
	return out
}

// offPath keeps the rows where the trainee left the golden path: all the
// divergence table needs.
func offPath(rows []scoring.PathRow) []scoring.PathRow {
	var out []scoring.PathRow
	for _, r := range rows {
		if !r.Auto && !r.OnPath && r.Due != "" {
			out = append(out, scoring.PathRow{Due: r.Due})
		}
	}
	return out
}
