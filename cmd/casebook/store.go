package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"github.com/casebook/casebook/web"
	"github.com/spf13/cobra"
)

// storeHelp is the --store paragraph of the commands that take it.
const storeHelp = `--store URL (or $CASEBOOK_STORE) keeps attempts elsewhere than the attempts
directory: dir:PATH (or a plain path) for attempt files, sqlite:PATH for an
embedded database, postgres://USER@HOST/DB for a team's server (a password
is better kept in PGPASSWORD or ~/.pgpass than in the URL). In a database,
an attempt is named by its number (sqlite:team.db#12 in messages; 12 with
--resume or replay), and report counts the scorecards stored as each case
closed (--origin supervised,local,self-reported selects by where attempts
came from). See casebook store --help.`

// storeFlag adds --store to a command.
func storeFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "store", "", "keep attempts in the store at `URL`: dir:PATH, sqlite:PATH or postgres://... (default: $CASEBOOK_STORE, else attempt files)")
	completeFlag(cmd, "store", cobra.NoFileCompletions)
}

// databaseStoreFlag adds the --store of the store commands, which work on
// a database only.
func databaseStoreFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "store", "", "the database store at `URL`: sqlite:PATH or postgres://... (default: $CASEBOOK_STORE, else $XDG_DATA_HOME/casebook/casebook.db)")
	completeFlag(cmd, "store", cobra.NoFileCompletions)
}

// A chosenStore is an open store and how the user named it.
type chosenStore struct {
	store.Store
	// flag is the URL given with --store, repeated in suggested commands
	// (a URL from $CASEBOOK_STORE applies to them already).
	flag string
}

// Where the URL of a store came from.
type storeSource int

const (
	fromDefault storeSource = iota // the command's own default
	fromFlag                       // --store (or --attempts)
	fromEnv                        // $CASEBOOK_STORE
)

// storeURL is the store a command uses: --store, else $CASEBOOK_STORE,
// else "" (the command's own default).
func (f *factory) storeURL(flag string) (string, storeSource) {
	if flag != "" {
		return flag, fromFlag
	}
	if env := f.getenv("CASEBOOK_STORE"); env != "" {
		return env, fromEnv
	}
	return "", fromDefault
}

// openStore opens a store, saying on stderr when it was created or its
// schema migrated. Failing to open it is a usage error (exit 2).
func (f *factory) openStore(url string, from storeSource, create bool) (*chosenStore, error) {
	return f.openStoreWith(url, from, store.Options{Create: create})
}

func (f *factory) openStoreWith(url string, from storeSource, opts store.Options) (*chosenStore, error) {
	name := store.Redact(url)
	opts.Migrated = func(from, to int) {
		if from == 0 {
			fmt.Fprintf(f.streams.ErrOut, "casebook: created store %s (schema %d)\n", name, to)
		} else {
			fmt.Fprintf(f.streams.ErrOut, "casebook: migrated store %s from schema %d to %d\n", name, from, to)
		}
	}
	st, err := store.Open(context.Background(), url, opts)
	if err != nil {
		return nil, storeError(url, from, err)
	}
	c := &chosenStore{Store: st}
	if from == fromFlag {
		c.flag = name
	}
	return c, nil
}

// storeError is the one-line message of a store that cannot be used
// (exit 2): named without its password, which is kept out of the
// drivers' words too, and the lines of a driver's message joined.
func storeError(url string, from storeSource, err error) error {
	name := store.Redact(url)
	msg := joinLines(store.Scrub(url, err.Error()))
	if !strings.HasPrefix(msg, name) {
		msg = name + ": " + msg
	}
	if from == fromEnv {
		msg += " (the store $CASEBOOK_STORE names)"
	}
	return usageErrorf("%s", msg)
}

// joinLines joins the lines of a message, each once.
func joinLines(msg string) string {
	var parts []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !slices.Contains(parts, l) {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// attemptName is how messages name an attempt of the store.
func (c *chosenStore) attemptName(ref string) string {
	if c.Kind() == "dir" {
		return filepath.ToSlash(ref)
	}
	return store.Name(c.Store, ref)
}

// args are the flags a suggested command needs to reach the store.
func (c *chosenStore) args() []string {
	if c.flag == "" || c.Kind() == "dir" {
		return nil
	}
	return []string{"--store", c.flag}
}

// saveScorecard stores the scorecard of a closed attempt in a database
// store, as replay scores it from the stored moves: that is what a report
// over the store counts. A dir store keeps none (report replays files).
func (f *factory) saveScorecard(c *chosenStore, ref string, lib *loadedLibrary) error {
	if sc, ok := c.Store.(store.Scored); ok {
		return store.SaveScore(context.Background(), sc, ref, nil, lib)
	}
	return nil
}

// parseOrigins reads --origin: origins, each value a comma-separated list.
func parseOrigins(list []string) ([]store.Origin, error) {
	var out []store.Origin
	for _, item := range list {
		for _, s := range strings.Split(item, ",") {
			o, err := store.ParseOrigin(strings.TrimSpace(s))
			if err != nil {
				return nil, usageErrorf("--origin: %v", err)
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// runStoreReport is report over a database store: the stored scorecards
// are counted as they are (no replay), and only attempts with none of all
// their moves (or every attempt, with --rescore) are replayed and scored.
func runStoreReport(opts *reportOptions, url string, from storeSource, origins []store.Origin) error {
	f, s := opts.f, opts.f.streams
	c, err := f.openStore(url, from, false)
	if err != nil {
		return err
	}
	defer c.Close()
	sc := c.Store.(store.Scored)
	ctx := context.Background()
	// Reading summaries makes little garbage (unlike replaying files), so
	// Go's default collector pace stays; the soft limit bounds the peak.
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(reportMemoryLimit))
	}
	workers := make([]*reportWorker, runtime.GOMAXPROCS(0))
	for i := range workers {
		workers[i] = &reportWorker{agg: scoring.NewAggregator(opts.k, opts.top)}
	}
	// The accounts' assignments are what readiness measures; the
	// dashboard shows the hand grading too.
	if acc, ok := c.Store.(store.Accounts); ok {
		if opts.goals, err = acc.Goals(ctx); err != nil {
			return usageErrorf("%s: %v", c, err)
		}
	}
	if gr, ok := c.Store.(web.GradeReader); ok && opts.html != "" {
		if opts.grades, err = web.Calibrations(ctx, gr); err != nil {
			return usageErrorf("%s: %v", c, err)
		}
	}
	if opts.html != "" {
		lib, err := f.libraryWith(loadPinned)
		if err != nil {
			return err
		}
		opts.playbookOf, opts.lib = web.PlaybookOf(lib), lib
	}
	// The attempts to replay: those with no scorecard of all their moves,
	// or all of them.
	// Open attempts are listed as incomplete as they are stored.
	var replay []store.Info
	found := 0
	if err := sc.Attempts(ctx, store.Filter{Origins: origins, Unscored: !opts.rescore, NoCards: true}, func(i store.Info) bool {
		found++
		if !i.Closed && !opts.rescore {
			h := i.Header
			workers[0].agg.AddIncomplete(scoring.IncompleteAttempt{File: store.ReportFile(c.Store, i), Trainee: h.Trainee,
				Tier: playbooks.TierName(h.Tier), Scenario: h.Scenario, Moves: i.Moves})
			return true
		}
		replay = append(replay, i)
		return true
	}); err != nil {
		return usageErrorf("%s: %v", c, err)
	}
	if len(replay) > 0 {
		lib, err := f.libraryWith(loadPinned)
		if err != nil {
			return err
		}
		ao := scoring.AttemptOptions{Goldens: &scoring.Goldens{}, ForReport: true}
		if opts.rescore {
			ao.Rules = simulator.CurrentRules
		}
		sr := &attemptScorer{lib: lib, opts: ao, scenarios: map[string]*scenarios.Scenario{}}
		for _, scen := range lib.Scenarios.Scenarios {
			sr.scenarios[scen.ID] = scen
		}
		var wg sync.WaitGroup
		next := make(chan store.Info)
		for _, w := range workers {
			wg.Go(func() {
				for i := range next {
					file := store.ReportFile(c.Store, i)
					a, err := c.Read(ctx, i.Ref)
					if err != nil {
						w.skip(file, err.Error())
						continue
					}
					sr.score(w, a, file)
				}
			})
		}
		for _, i := range replay {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	if !opts.rescore {
		var scored atomic.Int64
		err := sc.Summaries(ctx, store.Filter{Origins: origins}, len(workers), func(w int, sm *store.Summary) error {
			workers[w].agg.Add(scoring.Entry{Card: sm.Card, StartedAt: sm.StartedAt, File: sm.File})
			scored.Add(1)
			return nil
		})
		if err != nil {
			return usageErrorf("%v", err)
		}
		found += int(scored.Load())
	}
	return finishReport(s, opts, workers, nil, found, c.String(), false, c.String())
}
