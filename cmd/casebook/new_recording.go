package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

type newRecordingOptions struct {
	f        *factory
	scenario string
	tier     string
	moves    string
	start    string
	force    bool
}

func newNewRecordingCmd(f *factory) *cobra.Command {
	opts := &newRecordingOptions{f: f}
	cmd := &cobra.Command{
		Use:   "recording --scenario ID",
		Short: "Re-enact a case's real handling and save it as the scenario's recording",
		Long: `New recording writes how real agents handled a case into the scenario's
recording, so that replay can score it. On a terminal the trainer re-enacts
the handling in the same move menu a trainee sees and gives each move's real
time (the default is the previous time plus the move's simulated cost); an
escalation hands the following moves to the higher tier. "Close the case"
ends the recording.

Scripted: --moves FILE with one move per line as "TIME MOVE", where TIME is
an RFC 3339 time or +DURATION after the move before (+15m, +1d2h), e.g.

  2023-10-02T09:04:00Z trap:resend-tracking-guide
  +20m                 escalate:L2
  +5m                  close

The scenario file is edited in place (comments and key order kept); an
existing recording is replaced only with --force. Off a terminal (scripts,
CI) --scenario and --moves are required; a run without them names both.

` + exitCodesHelp,
		Example: `  casebook new recording --scenario https-certificate-not-yet-valid --library ./library   # on a terminal
  casebook new recording --scenario https-certificate-not-yet-valid --tier L1 --moves handling.txt --library ./library`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			a := &asker{f: f}
			if opts.scenario == "" {
				a.want("scenario ID")
			}
			if opts.moves == "" && !f.streams.canPrompt() {
				a.want("moves FILE")
			}
			if len(a.missing) > 0 && f.streams.canPrompt() {
				return usageErrorf("--scenario ID is required")
			}
			if err := a.done(); err != nil {
				return err
			}
			return runNewRecording(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.scenario, "scenario", "", "the scenario to record")
	fl.StringVar(&opts.tier, "tier", "", "the tier that took the case (default: the playbook's lowest)")
	fl.StringVar(&opts.moves, "moves", "", "`FILE` of \"TIME MOVE\" lines (scripted use)")
	fl.StringVar(&opts.start, "start", "", "on a terminal: the time of the first move (RFC 3339; default now)")
	fl.BoolVar(&opts.force, "force", false, "replace an existing recording")
	completeFlag(cmd, "scenario", completeFlagIDs(f, completeScenarios))
	completeFlag(cmd, "tier", completeTiers(f, targetFlag("scenario")))
	return cmd
}

func runNewRecording(opts *newRecordingOptions) error {
	f := opts.f
	if f.libraryRoot() == "" {
		return usageErrorf("new recording edits a scenario file: pass --library DIR (the embedded library cannot be edited)")
	}
	lib, err := f.library()
	if err != nil {
		return err
	}
	sc, p, err := trainScenario(f, lib, opts.scenario)
	if err != nil {
		return err
	}
	if sc.Recording != nil && !opts.force {
		return usageErrorf("scenario %s already has a recording (use --force to replace it)", sc.ID)
	}
	tier := opts.tier
	if tier == "" {
		tier = string(p.Tiers[0].Name)
	}
	t, err := pickTier(p, tier)
	if err != nil {
		return err
	}
	ss, err := simulator.NewManual(p, sc, t.Name)
	if err != nil {
		return usageErrorf("%v", err)
	}
	var steps []scenarios.RecordedStep
	switch {
	case opts.moves != "":
		if steps, err = scriptedRecording(f, ss, opts.moves); err != nil {
			return err
		}
	case f.streams.canPrompt():
		if steps, err = promptedRecording(f, ss, opts.start); err != nil {
			return err
		}
	default:
		return usageErrorf("missing --moves FILE (stdin is not a terminal, so casebook cannot show the move menu)")
	}
	if len(steps) == 0 {
		return usageErrorf("no moves to record")
	}
	doc, _ := playbooks.ParseDocument(sc.File, sc.Src)
	out, err := scenarios.WithRecording(sc, doc, t.Name, steps)
	if err != nil {
		return usageErrorf("%s: %v", sc.File, err)
	}
	if fs := checkScenarioSource(f, sc.File, out); len(fs) > 0 {
		return fmt.Errorf("the recorded scenario would not lint (%s); nothing written", fs[0])
	}
	if err := writeFile(filepath.FromSlash(sc.File), out, true); err != nil {
		return err
	}
	fmt.Fprintf(f.streams.Out, "recorded %d move(s) into %s\n", len(steps), sc.File)
	if !ss.Over() {
		fmt.Fprintln(f.streams.ErrOut, "warning: the recording ends before the case was closed")
	}
	fmt.Fprintf(f.streams.ErrOut, "Next: %s\n", f.suggest("replay", sc.ID))
	return nil
}

func scriptedRecording(f *factory, ss *simulator.Session, file string) ([]scenarios.RecordedStep, error) {
	src, err := readInput("moves", file, f.maxSize)
	if err != nil {
		return nil, err
	}
	name := filepath.ToSlash(file)
	var steps []scenarios.RecordedStep
	var last time.Time
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, usageErrorf("%s:%d: write TIME MOVE, e.g. \"2023-10-02T09:04:00Z lookup:ssl_tracking\" or \"+15m close\"", name, i+1)
		}
		at, err := recordTime(fields[0], last)
		if err != nil {
			return nil, usageErrorf("%s:%d: %v", name, i+1, err)
		}
		if ss.Over() {
			return nil, usageErrorf("%s:%d: the case was closed by the move before", name, i+1)
		}
		if _, err := ss.Play(fields[1]); err != nil {
			return nil, usageErrorf("%s:%d: %v", name, i+1, err)
		}
		steps = append(steps, scenarios.RecordedStep{At: at, Move: fields[1]})
		last = at
	}
	return steps, nil
}

// recordTime reads an RFC 3339 time, or +DURATION after the last move.
func recordTime(s string, last time.Time) (time.Time, error) {
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		if last.IsZero() {
			return time.Time{}, fmt.Errorf("the first move needs a full time (RFC 3339, e.g. 2023-10-02T09:04:00Z)")
		}
		d, err := scenarios.ParseDuration(rest)
		if err != nil {
			return time.Time{}, err
		}
		return last.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time (like 2023-10-02T09:04:00Z) or +DURATION", s)
	}
	if t.Before(last) {
		return time.Time{}, fmt.Errorf("%s is earlier than the move before it", s)
	}
	return t, nil
}

func promptedRecording(f *factory, ss *simulator.Session, start string) ([]scenarios.RecordedStep, error) {
	pm := &promptedMoves{p: f.prompter, out: f.streams.Out, streams: f.streams}
	at := f.now().UTC().Truncate(time.Minute)
	if start != "" {
		t, err := time.Parse(time.RFC3339, start)
		if err != nil {
			return nil, usageErrorf("--start %q is not an RFC 3339 time", start)
		}
		at = t
	}
	var steps []scenarios.RecordedStep
	for !ss.Over() {
		id, err := pm.next(ss)
		if err != nil {
			return nil, err
		}
		def := at
		if len(steps) > 0 {
			def = at.Add(offeredCost(ss, id))
		}
		answer, err := f.prompter.Input("When was it made? (RFC 3339, or +DURATION)", def.Format(time.RFC3339))
		if err != nil {
			return nil, err
		}
		var last time.Time
		if len(steps) > 0 {
			last = steps[len(steps)-1].At
		}
		t, err := recordTime(strings.TrimSpace(answer), last)
		if err != nil {
			fmt.Fprintf(f.streams.ErrOut, "%v; try again\n", err)
			continue
		}
		if _, err := ss.Play(id); err != nil {
			fmt.Fprintf(f.streams.ErrOut, "%v\n", err)
			continue
		}
		steps = append(steps, scenarios.RecordedStep{At: t, Move: id})
		at = t
	}
	return steps, nil
}

// offeredCost is the default gap before a recorded move: what a move of its
// kind costs on the scenario's channel, whether or not the world then
// refuses it (the time is asked before the move is played).
func offeredCost(ss *simulator.Session, id string) time.Duration {
	mv, err := scenarios.ParseMove(id)
	if err != nil {
		return ss.Cost(scenarios.NewMove(scenarios.MoveAsk, ""))
	}
	return ss.Cost(mv)
}
