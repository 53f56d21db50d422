package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"github.com/casebook/casebook/web"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	f        *factory
	dirs     []string
	k        int
	top      int
	output   string
	rescore  bool
	store    string
	origins  []string
	passMark int
	// goals are the assignments of a store's accounts; playbookOf names
	// each scenario's playbook, for goals nobody has tried.
	goals      []scoring.Goal
	playbookOf map[string]string
	// html is the file --html writes the dashboard to ("-": stdout); lib
	// and grades are what the dashboard draws beside the report.
	html   string
	force  bool
	lib    *loadedLibrary
	grades []web.Calibration
}

func newReportCmd(f *factory) *cobra.Command {
	opts := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report [DIR...]",
		Short: "Summarise many attempts: per trainee, tier and scenario, and where tiers diverge",
		Long: `Report scores every attempt file (*.attempt) under the directories (default:
the attempts directory train writes to) and summarises them:

  per trainee, per tier, per scenario: attempts, median score, median
  simulated time, how many cases the trainee resolved, how many were
  resolved after the trainee handed them off (the other tier's part, not
  the trainee's), the most frequent findings (mistakes: the deductions for
  progress not made restate the skipped steps and are left out);
  pass^k: the share of scenarios a trainee resolved on each of their first
  k attempts (among scenarios they tried at least k times);
  where tiers diverge: for each scenario and tier, the playbook steps at
  which attempts most often left the golden path or that they skipped
  (never made the step's golden move on the path);
  golden paths by tier: each tier's part of each scenario's golden path,
  step by step, with the share of its attempts that left the path or
  skipped the step there;
  readiness: per trainee, the scenarios (at a tier) they are ready for:
  their latest k attempts in a row resolved and scored at least the pass
  mark (--pass-mark, 1 to 100, default 80); the playbooks they are ready
  for (each of its scenarios the team practises, at that tier); and the
  scenario to practise next, their weakest not yet passed (one not tried
  first). With a store that has accounts, a trainee with assignments
  (users assign) is measured on those alone, each with its own pass mark
  and k; -o json lists every scenario's figures. Attempts that started
  in the same second are ordered by the number train adds to the file's
  name (a store's: the attempt's number); an unknown start counts as the
  oldest.

--html FILE writes the same figures as the trainer's dashboard of casebook
serve, in one HTML file that opens offline and fetches nothing: score and
time distributions per scenario and tier, where tiers leave the golden
path, the most frequent findings per tier with the rules explained,
progress per trainee, readiness, the playbooks' graphs with what the
scenarios practise, and (from a store) the trainers' hand grading beside
the scorer. "-" writes it to stdout; otherwise the report says where it
went and prints nothing else, and replaces an existing file only with
--force.

Each attempt is scored under the rules it was made under (its header's;
attempts from before rules were versioned are v1), as replay scores it;
when the attempts were scored under more than one version, the report says
how many under each. --rescore scores every attempt under the current
rules (v2) instead. Skipped steps are known only under v2.

Each attempt is replayed from its moves and scored, as replay does; an
attempt made on a playbook version the library no longer has (beyond a
patch-only difference) is skipped with a warning. An attempt whose case was
never closed is listed apart as incomplete and counts in no median. A
directory given twice, or inside another given, is read once. When files
were found but none could be scored, report exits 1.

` + storeHelp + `

` + exitCodesHelp,
		Example: `  casebook report
  casebook report team-a/ team-b/ --k 2
  casebook report --rescore team-a/   # every attempt under the current rules
  casebook report attempts/ -o json | jq '.divergence'
  casebook report --store sqlite:team.db --origin self-reported
  casebook report --html team.html   # the dashboard, one file to open or send`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dirs = args
			if opts.k < 1 {
				return usageErrorf("--k must be at least 1")
			}
			if opts.top < 0 {
				return usageErrorf("--top must be 0 or more")
			}
			if opts.passMark < 1 || opts.passMark > 100 {
				return usageErrorf("--pass-mark must be from 1 to 100")
			}
			if cmd.Flags().Changed("html") && opts.html == "" {
				return usageErrorf("--html needs a file name (- for stdout)")
			}
			if opts.html != "" && cmd.Flags().Changed("output") {
				return usageErrorf("give --html FILE or -o, not both")
			}
			return runReport(opts)
		},
	}
	outputFlag(cmd, &opts.output, "text", "json")
	cmd.Flags().IntVar(&opts.k, "k", 3, "attempts per scenario for pass^k, and passes in a row for readiness")
	cmd.Flags().IntVar(&opts.passMark, "pass-mark", scoring.DefaultPassMark, "the score a resolved attempt needs to pass, for readiness")
	cmd.Flags().IntVar(&opts.top, "top", 3, "findings listed per row")
	cmd.Flags().BoolVar(&opts.rescore, "rescore", false, "score every attempt under the current rules, not those it was made under")
	storeFlag(cmd, &opts.store)
	cmd.Flags().StringVar(&opts.html, "html", "", "write the dashboard as one self-contained HTML `FILE` (- for stdout)")
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace the --html file if it exists")
	completeFlag(cmd, "html", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{"html"}, cobra.ShellCompDirectiveFilterFileExt
	})
	cmd.Flags().StringSliceVar(&opts.origins, "origin", nil, "count only attempts of these `ORIGINS` (supervised, local, self-reported; a database store)")
	completeFlag(cmd, "origin", completeValues("supervised", "local", "self-reported"))
	cmd.ValidArgsFunction = completeDirs
	return cmd
}

func runReport(opts *reportOptions) error {
	f, s := opts.f, opts.f.streams
	dirs := opts.dirs
	origins, err := parseOrigins(opts.origins)
	if err != nil {
		return err
	}
	if url, from := f.storeURL(opts.store); url != "" {
		kind, target, err := store.Parse(url)
		switch {
		case err != nil:
			return storeError(url, from, err)
		case from == fromFlag && len(dirs) > 0:
			return usageErrorf("give attempt directories or --store, not both")
		case kind != "dir" && len(dirs) == 0:
			return runStoreReport(opts, url, from, origins)
		case len(dirs) == 0:
			dirs = []string{target}
		}
	}
	if len(origins) > 0 {
		return usageErrorf("--origin needs a database store (--store sqlite:PATH or postgres://...): attempt files are all self-reported")
	}
	if len(dirs) == 0 {
		d, err := f.attemptsDir()
		if err != nil {
			return err
		}
		dirs = []string{d}
	}
	// The default directory is missing until train writes the first
	// attempt: an empty report that says so, not an error.
	noneYet := false
	for _, d := range dirs {
		info, err := os.Stat(d)
		switch {
		case err == nil && info.IsDir():
		case err == nil:
			return usageErrorf("%s is not a directory of attempts", filepath.ToSlash(d))
		case errors.Is(err, fs.ErrNotExist) && len(opts.dirs) == 0:
			noneYet = true
		case errors.Is(err, fs.ErrNotExist):
			return usageErrorf("%s: no such directory", filepath.ToSlash(d))
		default:
			return usageErrorf("%v", unwrapPath(err))
		}
	}
	walk := dirs
	if noneYet {
		walk = nil
	}
	// The attempt files are listed while the library loads, and scored as
	// they are listed, on all cores, in batches (a channel send per file
	// costs more than reading one).
	batches := make(chan []string, 64)
	quit := make(chan struct{})
	var found int
	var walkProblems []notice
	walked := make(chan struct{})
	go func() {
		defer close(walked)
		defer close(batches)
		var b []string
		send := func() bool {
			select {
			case batches <- b:
				b = nil
				return true
			case <-quit:
				return false
			}
		}
		simulator.WalkAttempts(walk, func(p string) bool {
			found++
			b = append(b, p)
			return len(b) < 64 || send()
		}, func(p string, err error) {
			walkProblems = append(walkProblems, notice{p, fmt.Sprintf("skipping %s: %v", filepath.ToSlash(p), unwrapPath(err))})
		})
		if len(b) > 0 {
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
	// The live heap is small and flat (counts, not scorecards): a lazier
	// collector spends far less time, and a soft limit keeps the peak
	// bounded all the same. GOGC or GOMEMLIMIT in the environment wins.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(reportMemoryLimit))
	}
	// Each attempt is replayed from its moves and scored, on all cores;
	// each worker aggregates what it scored, so no scorecard is kept.
	goldens := &scoring.Goldens{}
	attemptOpts := scoring.AttemptOptions{Goldens: goldens, ForReport: true}
	if opts.rescore {
		attemptOpts.Rules = simulator.CurrentRules
	}
	scenarioByID := map[string]*scenarios.Scenario{}
	for _, sc := range lib.Scenarios.Scenarios {
		scenarioByID[sc.ID] = sc
	}
	sr := &attemptScorer{lib: lib, opts: attemptOpts, scenarios: scenarioByID}
	opts.playbookOf = web.PlaybookOf(lib)
	opts.lib = lib
	score := func(w *reportWorker, r *simulator.AttemptReader, file string) {
		a, err := r.ReadMoves(file)
		if err != nil {
			w.skip(file, unwrapPath(err).Error())
			return
		}
		sr.score(w, a, filepath.ToSlash(file))
	}
	progress := f.progress("scoring", "attempts")
	var wg sync.WaitGroup
	workers := make([]*reportWorker, runtime.GOMAXPROCS(0))
	for i := range workers {
		w := &reportWorker{agg: scoring.NewAggregator(opts.k, opts.top)}
		workers[i] = w
		wg.Go(func() {
			var r simulator.AttemptReader
			for b := range batches {
				for _, p := range b {
					score(w, &r, p)
					progress.tick()
				}
			}
		})
	}
	wg.Wait()
	progress.clear()
	<-walked
	return finishReport(s, opts, workers, walkProblems, found, strings.Join(toSlash(dirs), ", "), noneYet, filepath.ToSlash(dirs[0]))
}

// finishReport merges the workers' counts, prints the notices about files
// and the report: where names the attempts' directories (or store).
func finishReport(s *ioStreams, opts *reportOptions, workers []*reportWorker, notices []notice, found int, where string, noneYet bool, first string) error {
	agg := workers[0].agg
	var warnings []notice
	skipped := 0
	for i, w := range workers {
		if i > 0 {
			agg.Merge(w.agg)
		}
		notices = append(notices, w.skipped...)
		warnings = append(warnings, w.warnings...)
		skipped += len(w.skipped)
	}
	// In the order of the files, whichever worker met them.
	notices = append(notices, warnings...)
	slices.SortStableFunc(notices, func(a, b notice) int { return strings.Compare(a.path, b.path) })
	for _, n := range notices {
		fmt.Fprintln(s.ErrOut, n.text)
	}
	// A store's summaries from before they named their playbook, and goals
	// nobody has tried, need the library to say it.
	if opts.playbookOf == nil && agg.NeedsPlaybooks(opts.goals) {
		lib, err := opts.f.libraryWith(loadPinned)
		if err != nil {
			return err
		}
		opts.playbookOf, opts.lib = web.PlaybookOf(lib), lib
	}
	agg.SetReadiness(scoring.ReadinessOptions{PassMark: opts.passMark, K: opts.k, Goals: opts.goals, Playbooks: opts.playbookOf})
	r := agg.Report()
	if opts.html != "" {
		if err := writeDashboard(s, opts, web.Dashboard{Report: r, History: agg.History(), Grades: opts.grades, Library: opts.lib, Source: where, Generated: time.Now()}); err != nil {
			return err
		}
		if r.Attempts == 0 && len(r.Incomplete) == 0 && skipped > 0 {
			return errFindings
		}
		return nil
	}
	// Files were found but none could be read as an attempt: a finding,
	// not an empty report.
	var result error
	if r.Attempts == 0 && len(r.Incomplete) == 0 && skipped > 0 {
		result = errFindings
	}
	if opts.output == "json" {
		if err := writeJSON(s.Out, r); err != nil {
			return err
		}
		return result
	}
	if r.Attempts == 0 && len(r.Incomplete) == 0 {
		if skipped > 0 {
			fmt.Fprintf(s.Out, "No attempts scored in %s: %d attempt file(s) found, all skipped (see above).\n", where, found)
			return result
		}
		if noneYet {
			fmt.Fprintf(s.Out, "No attempts yet in %s: casebook train writes them there.\n", first)
			return nil
		}
		fmt.Fprintf(s.Out, "No attempts found in %s.\n", where)
		return nil
	}
	fmt.Fprintf(s.Out, "%d attempt(s) by %d trainee(s), %d tier(s), %d scenario(s)", r.Attempts, len(r.Trainees), len(r.Tiers), len(r.Scenarios))
	if len(r.Incomplete) > 0 {
		fmt.Fprintf(s.Out, "; %d incomplete, not counted", len(r.Incomplete))
	}
	if skipped > 0 {
		fmt.Fprintf(s.Out, "; %d file(s) skipped", skipped)
	}
	fmt.Fprintln(s.Out)
	if len(r.Rules) > 1 {
		parts := make([]string, len(r.Rules))
		for i, rc := range r.Rules {
			parts[i] = fmt.Sprintf("%d under %s", rc.Attempts, rc.Rules)
		}
		fmt.Fprintf(s.Out, "Scored under the rules each was made under: %s (--rescore: all under %s); skipped steps are known only under v2\n", strings.Join(parts, ", "), simulator.CurrentRules)
	}
	if r.Attempts > 0 {
		if err := printReportTables(s, r); err != nil {
			return err
		}
	}
	return printIncomplete(s, r.Incomplete)
}

// writeDashboard writes the dashboard to --html's file (atomically: a
// reader never sees half a file) or stdout.
func writeDashboard(s *ioStreams, opts *reportOptions, d web.Dashboard) error {
	var b bytes.Buffer
	if err := web.WriteDashboard(&b, d); err != nil {
		return err
	}
	if opts.html == "-" {
		_, err := s.Out.Write(b.Bytes())
		return err
	}
	if err := writeFile(opts.html, b.Bytes(), opts.force); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "wrote the dashboard of %d attempt(s) to %s (%s)\n", d.Report.Attempts, filepath.ToSlash(opts.html), byteSize(b.Len()))
	return nil
}

// byteSize is a size for people: 812 B, 14 KB, 3.2 MB.
func byteSize(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// A reportWorker counts the attempts one goroutine scored, and the
// notices about them.
type reportWorker struct {
	agg      *scoring.Aggregator
	skipped  []notice
	warnings []notice
}

func (w *reportWorker) skip(file, msg string) {
	w.skipped = append(w.skipped, notice{file, fmt.Sprintf("skipping %s: %s", filepath.ToSlash(file), msg)})
}

// An attemptScorer replays and scores attempts for a report.
type attemptScorer struct {
	lib       *loadedLibrary
	opts      scoring.AttemptOptions
	scenarios map[string]*scenarios.Scenario
}

// score replays one attempt (named file in the report) and counts it.
func (sr *attemptScorer) score(w *reportWorker, a *simulator.Attempt, file string) {
	if msg := a.TornWarning(); msg != "" {
		w.warnings = append(w.warnings, notice{file, "warning: " + filepath.ToSlash(msg)})
	}
	h := a.Header
	sc := sr.scenarios[h.Scenario]
	if sc == nil {
		w.skip(file, fmt.Sprintf("no scenario %q in the library", h.Scenario))
		return
	}
	p, _ := sr.lib.MadeOn(h.Playbook, h.PlaybookVersion)
	if p == nil {
		w.skip(file, fmt.Sprintf("made on playbook %s %s, which the library does not have (a patch-only difference is fine)", h.Playbook, h.PlaybookVersion))
		return
	}
	card, complete, err := scoring.ScoreAttempt(a, sc, p, sr.opts)
	if err != nil {
		w.skip(file, err.Error())
		return
	}
	if !complete {
		// Never closed: listed apart, so an abandoned or broken-off
		// session lowers no median.
		w.agg.AddIncomplete(scoring.IncompleteAttempt{File: file, Trainee: h.Trainee, Tier: playbooks.TierName(h.Tier), Scenario: h.Scenario, Moves: len(a.Moves)})
		return
	}
	w.agg.Add(scoring.Entry{Card: card, StartedAt: h.StartedAt, File: file})
}

// reportMemoryLimit is the soft memory limit report sets for Go's
// collector: well above what it keeps alive, well below its target.
const reportMemoryLimit = 200 << 20

// A notice is a line for stderr about one file.
type notice struct{ path, text string }

// unwrapPath drops the operation and path of a *fs.PathError whose path
// the message names already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// maxIncompleteRows bounds the incomplete attempts the text report lists.
const maxIncompleteRows = 20

func printIncomplete(s *ioStreams, list []scoring.IncompleteAttempt) error {
	if len(list) == 0 {
		return nil
	}
	fmt.Fprintln(s.Out, "\nIncomplete attempts (the case was never closed; not counted above)")
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("file", "trainee", "tier", "scenario", "moves")
	for _, i := range list[:min(len(list), maxIncompleteRows)] {
		t.Row(i.File, i.Trainee, string(i.Tier), i.Scenario, strconv.Itoa(i.Moves))
	}
	if err := t.Render(); err != nil {
		return err
	}
	if len(list) > maxIncompleteRows {
		fmt.Fprintf(s.Out, "… and %d more (-o json lists them all)\n", len(list)-maxIncompleteRows)
	}
	return nil
}

func printReportTables(s *ioStreams, r *scoring.Report) error {
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
		header := []string{sec.col, "attempts", "median score", "median time", "resolved", "after handoff"}
		if sec.col == "trainee" {
			header = append(header, fmt.Sprintf("pass^%d", r.K))
		}
		t.Header(append(header, "top findings")...)
		for _, g := range sec.groups {
			row := []string{g.Key, strconv.Itoa(g.Attempts), num(g.MedianScore), clock(int(g.MedianClockMin)),
				fmt.Sprintf("%d/%d", g.ResolvedByTrainee, g.Attempts), fmt.Sprintf("%d/%d", g.ResolvedAfterHandoff, g.Attempts)}
			if sec.col == "trainee" {
				row = append(row, passK[g.Key])
			}
			t.StyledRow([]style{2: scoreStyle(int(g.MedianScore))}, append(row, counts(g.TopFindings))...)
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if err := printDivergence(s, r.Divergence); err != nil {
		return err
	}
	if err := printTierPaths(s, r.Paths); err != nil {
		return err
	}
	return printReadiness(s, r.Readiness)
}

// printReadiness shows, per trainee, how many scenarios they are ready
// for, the playbooks they are ready for and what to practise next.
func printReadiness(s *ioStreams, rd scoring.Readiness) error {
	if len(rd.Trainees) == 0 {
		return nil
	}
	fmt.Fprintf(s.Out, "\nReadiness (ready: the latest %d attempts in a row resolved at %d or more, unless an assignment says otherwise)\n", rd.K, rd.PassMark)
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("trainee", "ready", "ready for", "practise next")
	for _, tr := range rd.Trainees {
		var ready []string
		for _, p := range tr.Playbooks {
			if p.Ready {
				ready = append(ready, fmt.Sprintf("%s (%s)", cmp.Or(p.Playbook, "?"), p.Tier))
			}
		}
		next := "-"
		if tr.Next != nil {
			next = fmt.Sprintf("%s at %s: %s", tr.Next.Scenario, tr.Next.Tier, tr.Next.Why)
		}
		t.Row(tr.Trainee, fmt.Sprintf("%d/%d", tr.Ready, tr.Of), cmp.Or(strings.Join(ready, ", "), "-"), next)
	}
	return t.Render()
}

// printDivergence lists, per scenario and tier, the steps where attempts
// left the golden path or that they skipped, most frequent first.
func printDivergence(s *ioStreams, ds []scoring.Divergence) error {
	fmt.Fprintln(s.Out, "\nWhere tiers leave the golden path (per step: attempts off the path there, attempts that skipped it)")
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("scenario", "tier", "attempts", "steps")
	for _, d := range ds {
		for _, td := range d.Tiers {
			type step struct {
				name         string
				off, skipped int
			}
			var steps []step
			at := func(name string) *step {
				for i := range steps {
					if steps[i].name == name {
						return &steps[i]
					}
				}
				steps = append(steps, step{name: name})
				return &steps[len(steps)-1]
			}
			for _, c := range td.Steps {
				at(c.Key).off = c.Count
			}
			for _, c := range td.Skipped {
				at(c.Key).skipped = c.Count
			}
			slices.SortFunc(steps, func(a, b step) int {
				return cmp.Or(cmp.Compare(b.off+b.skipped, a.off+a.skipped), cmp.Compare(a.name, b.name))
			})
			parts := make([]string, 0, len(steps))
			for _, st := range steps {
				var what []string
				if st.off > 0 {
					what = append(what, fmt.Sprintf("off %d/%d", st.off, td.Attempts))
				}
				if st.skipped > 0 {
					what = append(what, fmt.Sprintf("skipped %d/%d", st.skipped, td.WithProgress))
				}
				parts = append(parts, st.name+": "+strings.Join(what, ", "))
			}
			if len(parts) == 0 {
				parts = []string{"(none: every move on the path, no step skipped)"}
			}
			t.Row(d.Scenario, string(td.Tier), strconv.Itoa(td.Attempts), strings.Join(parts, "; "))
		}
	}
	return t.Render()
}

// printTierPaths shows each tier's part of each scenario's golden path,
// compactly: the steps in order, a handoff as step→tier, and the share of
// the tier's attempts off the path at a step or that skipped it.
func printTierPaths(s *ioStreams, ps []scoring.ScenarioPaths) error {
	fmt.Fprintln(s.Out, "\nGolden path by tier (each tier's steps in order; share of its attempts off the path there, that skipped it)")
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("scenario", "tier", "attempts", "golden path")
	for _, sp := range ps {
		for _, tp := range sp.Tiers {
			parts := make([]string, 0, len(tp.Steps))
			for _, st := range tp.Steps {
				name := st.Step
				if st.HandsOffTo != "" {
					name += "→" + string(st.HandsOffTo)
				}
				var what []string
				if st.Off > 0 {
					what = append(what, "off "+percent(st.Off, tp.Attempts))
				}
				if st.Skipped > 0 {
					what = append(what, "skipped "+percent(st.Skipped, tp.WithProgress))
				}
				if len(what) > 0 {
					name += " (" + strings.Join(what, ", ") + ")"
				}
				parts = append(parts, name)
			}
			if len(parts) == 0 {
				parts = []string{"(no golden moves of its own)"}
			}
			t.Row(sp.Scenario, string(tp.Tier), strconv.Itoa(tp.Attempts), strings.Join(parts, " > "))
		}
	}
	return t.Render()
}

// percent is n of all as a whole percentage, rounded half up.
func percent(n, all int) string {
	if all <= 0 {
		return "-"
	}
	return strconv.Itoa((200*n+all)/(2*all)) + "%"
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
