package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"github.com/spf13/cobra"
)

type replayOptions struct {
	f       *factory
	target  string
	output  string
	rules   bool
	rescore bool
	store   string
}

func newReplayCmd(f *factory) *cobra.Command {
	opts := &replayOptions{f: f}
	cmd := &cobra.Command{
		Use:   "replay RECORDING|ATTEMPT",
		Short: "Score a scenario's recorded handling or a saved attempt",
		Long: `Replay scores how a case was handled: a scenario's recording (give the
scenario's id, or its file) or a training attempt (an .attempt file). It shows
the path beside the golden path, the simulated time against the golden time,
the five parts of the score and every finding with the move it concerns.

The rubric (weights sum to 100): resolution 25, efficiency 20, customer
effort 25, escalation 15, communication 15. replay --rules lists every rule.
-o json prints the scorecard (format scorecard/v1, see docs/scoring.md); the
same moves always give the same bytes.

A saved attempt is scored under the rules it was made under (its header's
"rules"; attempts from before rules were versioned are v1), so a change of
the rules never silently changes a score already given. --rescore scores it
under the current rules (v2) instead. A recording is always scored under the
current rules.

` + storeHelp + `

` + exitCodesHelp,
		Example: `  casebook replay https-proxy-cname
  casebook replay ~/.local/share/casebook/attempts/https-proxy-cname-sam-20261121T101500Z.attempt
  casebook replay https-proxy-cname -o json | jq .total
  casebook replay --rescore old.attempt   # score a v1 attempt under the current rules
  casebook replay 1 --store sqlite:team.db -o json
  casebook replay --rules`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.rules {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.rules {
				return printScoringRules(f, opts.output)
			}
			opts.target = args[0]
			return runReplay(opts)
		},
	}
	outputFlag(cmd, &opts.output, "text", "json")
	cmd.Flags().BoolVar(&opts.rules, "rules", false, "list the scoring rules with their part and points")
	cmd.Flags().BoolVar(&opts.rescore, "rescore", false, "score a saved attempt under the current rules, not those it was made under")
	storeFlag(cmd, &opts.store)
	cmd.ValidArgsFunction = completeArgs(f, 1, completeScenarios|completeAttempts)
	return cmd
}

func printScoringRules(f *factory, output string) error {
	s := f.streams
	if output == "json" {
		return writeJSON(s.Out, struct {
			Parts []scoring.Part `json:"parts"`
			Rules []scoring.Rule `json:"rules"`
		}{scoring.Parts, scoring.Rules})
	}
	t := newTablePrinter(s.Out, s.OutTTY)
	t.Header("rule", "part", "points", "description")
	for _, r := range scoring.Rules {
		pts := strconv.Itoa(r.Points)
		if r.Points == 0 {
			pts = "sliding"
		}
		t.Row(string(r.ID), r.Part, pts, r.Description)
	}
	return t.Render()
}

func runReplay(opts *replayOptions) error {
	f, s := opts.f, opts.f.streams
	lib, err := f.library()
	if err != nil {
		return err
	}
	var card *scoring.Scorecard
	var what string
	stored, err := replayStored(opts, lib)
	if err != nil {
		return err
	}
	info, statErr := os.Stat(opts.target)
	switch {
	case stored != nil:
		card, what = stored.card, stored.what
	case statErr == nil && !info.IsDir():
		if !info.Mode().IsRegular() {
			return usageErrorf("%s is not a regular file", filepath.ToSlash(opts.target))
		}
		src, err := playbooks.ReadFile(opts.target, simulator.MaxAttemptSize)
		if errors.Is(err, playbooks.ErrTooLarge) {
			return usageErrorf("%s is larger than the limit of %d bytes for a recording or an attempt file", filepath.ToSlash(opts.target), simulator.MaxAttemptSize)
		}
		if err != nil {
			return usageErrorf("%v", err)
		}
		if bytes.HasPrefix(bytes.TrimSpace(src), []byte("{")) {
			a, err := simulator.ReadAttempt(opts.target)
			if err != nil {
				return usageErrorf("%v", err)
			}
			if w := a.TornWarning(); w != "" {
				fmt.Fprintf(s.ErrOut, "warning: %s\n", filepath.ToSlash(w))
			}
			sc, p, err := attemptScenario(f, lib, a)
			if err != nil {
				return err
			}
			ao := scoring.AttemptOptions{}
			if opts.rescore {
				ao.Rules = simulator.CurrentRules
			}
			if card, _, err = scoring.ScoreAttempt(a, sc, p, ao); err != nil {
				return usageErrorf("%v", err)
			}
			what = fmt.Sprintf("attempt %s by %s", filepath.ToSlash(opts.target), playbooks.EscapeControls(a.Header.Trainee))
			break
		}
		sc, p, err := scenarioFile(lib, filepath.ToSlash(opts.target), src)
		if err != nil {
			return err
		}
		if card, err = scoreRecording(p, sc); err != nil {
			return err
		}
		what = "the recording of " + sc.ID
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
		return usageErrorf("%v", statErr)
	case looksLikePath(opts.target) || statErr == nil && lib.Scenarios.Find(opts.target) == nil:
		if statErr != nil {
			return usageErrorf("%s: no such file", filepath.ToSlash(opts.target))
		}
		return usageErrorf("%s is a directory; replay takes a scenario id, a scenario file or an attempt file", filepath.ToSlash(opts.target))
	default:
		sc, p, err := trainScenario(f, lib, opts.target)
		if err != nil {
			return err
		}
		if card, err = scoreRecording(p, sc); err != nil {
			return err
		}
		what = "the recording of " + sc.ID
	}
	if opts.output == "json" {
		return writeJSON(s.Out, card)
	}
	fmt.Fprintf(s.Out, "Replay of %s (%s, tier %s), playbook %s %s\n\n", what, card.Scenario, card.Tier, card.Playbook, card.PlaybookVersion)
	if err := printPath(s, card, true); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "\noutcome: %s (golden: %s)\ntime: %s (golden path: %s)\nmoves: %d (golden path: %d)\n",
		outcomeText(card), card.GoldenOutcome, clock(card.ClockMin), clock(card.GoldenClockMin), card.Moves, card.GoldenMoves)
	return printScorecard(s, card)
}

// looksLikePath says an argument that is either a file or an id names a
// file: it has a directory separator or a file extension casebook reads.
// Ids never do, so such an argument that names no file is a missing file,
// not an unknown id.
func looksLikePath(arg string) bool {
	if storedRef(arg) {
		return false
	}
	if strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator) {
		return true
	}
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".attempt", ".yaml", ".yml", ".json", ".txt", ".moves":
		return true
	}
	return false
}

func scoreRecording(p *playbooks.Playbook, sc *scenarios.Scenario) (*scoring.Scorecard, error) {
	if sc.Recording == nil {
		return nil, usageErrorf("scenario %s has no recording to replay; replay an attempt file instead", sc.ID)
	}
	ss, err := simulator.ReplayRecording(p, sc)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	return scoring.Score(scoring.FromSession(ss, "", scoring.SourceRecording)), nil
}

// scenarioFile loads a scenario file that may lie outside the library and
// checks it against the library's playbooks.
func scenarioFile(lib *loadedLibrary, name string, src []byte) (*scenarios.Scenario, *playbooks.Playbook, error) {
	doc, fs := playbooks.ParseDocument(name, src)
	if doc.Root == nil {
		// A finding in the file, as lint reports it: exit 1.
		return nil, nil, &exitError{code: exitFindings, err: fmt.Errorf("%s (replay takes a scenario with a recording, or an attempt file)", fs[0])}
	}
	if doc.Kind == simulator.AttemptKind {
		return nil, nil, usageErrorf("%s names %s but is not an attempt file: attempt files are JSON lines (a header line, then one line per move), as train writes them", name, doc.Kind)
	}
	if doc.Kind != scenarios.Kind {
		return nil, nil, usageErrorf("%s is a file of kind %s; replay takes a scenario (with a recording) or an attempt", name, doc.Kind)
	}
	sc, more := scenarios.Parse(doc)
	fs = append(fs, more...)
	var p *playbooks.Playbook
	if len(fs) == 0 {
		p, more = scenarios.Check(sc, lib.Library)
		fs = append(fs, more...)
	}
	if len(fs) > 0 {
		playbooks.SortFindings(fs)
		return nil, nil, &exitError{code: exitFindings, err: errors.New(fs[0].String())}
	}
	return sc, p, nil
}

// storedRef says an argument names an attempt of a database store: its
// number, or STORE#number as messages name it.
func storedRef(arg string) bool {
	if i := strings.LastIndexByte(arg, '#'); i >= 0 {
		arg = arg[i+1:]
	}
	if arg == "" {
		return false
	}
	for _, r := range arg {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

type storedReplay struct {
	card *scoring.Scorecard
	what string
}

// replayStored scores an attempt of a database store (--store or
// $CASEBOOK_STORE) from its stored moves, nil when the target is no such
// attempt. A stored scorecard that differs from the replay is named: the
// library or the rules changed since it was stored.
func replayStored(opts *replayOptions, lib *loadedLibrary) (*storedReplay, error) {
	f := opts.f
	url, from := f.storeURL(opts.store)
	if refURL, _, ok := store.RefStore(opts.target); ok && from != fromFlag {
		// STORE#N, as train names a stored attempt, names its store.
		url, from = refURL, fromFlag
	}
	if url == "" {
		return nil, nil
	}
	kind, _, err := store.Parse(url)
	if err != nil {
		return nil, storeError(url, from, err)
	}
	if kind == "dir" || !storedRef(opts.target) {
		if from == fromFlag && kind != "dir" {
			return nil, usageErrorf("with --store %s, replay takes the number of a stored attempt (casebook store list shows them), not %q", store.Redact(url), opts.target)
		}
		return nil, nil
	}
	c, err := f.openStore(url, from, false)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ctx := context.Background()
	a, err := c.Read(ctx, opts.target)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	sc, p, err := attemptScenario(f, lib, a)
	if err != nil {
		return nil, err
	}
	ao := scoring.AttemptOptions{}
	if opts.rescore {
		ao.Rules = simulator.CurrentRules
	}
	card, _, err := scoring.ScoreAttempt(a, sc, p, ao)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	if !opts.rescore {
		kept, moves, err := c.Store.(store.Scored).Card(ctx, opts.target)
		if err != nil {
			return nil, usageErrorf("%v", err)
		}
		if now, _ := jsonBytes(card); kept != nil && (moves != len(a.Moves) || !bytes.Equal(kept, now)) {
			fmt.Fprintf(f.streams.ErrOut, "warning: %s: the scorecard stored for it differs from this replay (the library or casebook changed since it was scored); %s stores this one\n",
				a.Path, f.suggest(append([]string{"store", "rescore"}, c.args()...)...))
		}
	}
	return &storedReplay{card, fmt.Sprintf("attempt %s by %s", a.Path, playbooks.EscapeControls(a.Header.Trainee))}, nil
}
