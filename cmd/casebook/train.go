package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"
)

type trainOptions struct {
	f        *factory
	scenario string
	tier     string
	mode     string
	seed     uint64
	seedSet  bool
	moves    string
	attempts string
	trainee  string
	resume   string
	output   string
	store    string
}

func newTrainCmd(f *factory) *cobra.Command {
	opts := &trainOptions{f: f}
	cmd := &cobra.Command{
		Use:   "train [SCENARIO]",
		Short: "Practise a recorded case against a simulated customer",
		Long: `Train plays a scenario: the customer's opening, then a menu of moves built
from the playbook (ask the customer, look a fact up, probe, check DNS, act,
reply, send a doc, escalate with a handoff note, close) plus the wrong moves
real agents made. The simulated customer answers from the case's hidden truth;
a clock advances with every move (minutes in chat, hours by email).

With no SCENARIO, train offers the library's scenarios on a terminal.
There, above each menu, a status line shows the clock and the facts verified
so far; type to filter the menu (by words of the label or the move id), ↑↓ to
move, Enter to pick.

--mode practice (the default) names the playbook step that applies after a
move that leaves the golden path; --mode exam gives no hints. --seed fixes
the order of the menu.

Every move is written to the attempt file, and synced, as it happens
(--attempts DIR, default $XDG_DATA_HOME/casebook/attempts); the file is
written with the first move, so a session that makes none saves nothing. An
interrupted session resumes exactly where it stopped with --resume ATTEMPT;
while a session runs, no other session may open its attempt. A script given
with --resume must start with the moves the attempt already holds (they are
checked and skipped), so the original --moves file can be given again.

Without a terminal, moves come from --moves FILE or from stdin, one move id
per line (blank lines and # comments are skipped), e.g.:

  lookup:click_tracking
  probe:certificate
  escalate:L2

After an escalation the tier that takes over finishes the case by itself,
so no move of yours follows it.

` + storeHelp + `

` + exitCodesHelp,
		Example: `  casebook train                                      # pick a scenario, on a terminal
  casebook train https-proxy-cname --tier L1 --mode exam   # on a terminal
  casebook train https-proxy-cname --moves moves.txt -o json
  casebook train --resume ~/.local/share/casebook/attempts/https-proxy-cname-sam-20261121T101500Z.attempt
  casebook train https-proxy-cname --store sqlite:team.db --moves moves.txt`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.scenario = args[0]
			}
			opts.seedSet = cmd.Flags().Changed("seed")
			if err := checkFormat("mode", opts.mode, simulator.ModePractice, simulator.ModeExam); err != nil {
				return err
			}
			if cmd.Flags().Changed("resume") && opts.resume == "" {
				return usageErrorf("--resume needs an attempt: its file, or its number in a store")
			}
			if opts.resume != "" && (opts.scenario != "" || cmd.Flags().Changed("tier") || cmd.Flags().Changed("mode") || opts.seedSet) {
				return usageErrorf("--resume continues an attempt as it was started; drop the scenario, --tier, --mode and --seed")
			}
			return runTrain(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.tier, "tier", "", "your support tier (default: the playbook's lowest)")
	fl.StringVar(&opts.mode, "mode", simulator.ModePractice, "practice (hints) or exam (no hints)")
	fl.Uint64Var(&opts.seed, "seed", 0, "seed for the order of the move menu (default: from the clock)")
	fl.StringVar(&opts.moves, "moves", "", "`FILE` of move ids, one per line (scripted use; - for stdin, as show -o moves prints them)")
	fl.StringVar(&opts.attempts, "attempts", "", "`DIR` for attempt files (default $XDG_DATA_HOME/casebook/attempts)")
	fl.StringVar(&opts.trainee, "trainee", "", "your name in the attempt (default: $CASEBOOK_TRAINEE, else the name you gave once, else $USER)")
	fl.StringVar(&opts.resume, "resume", "", "continue the attempt in `FILE` (in a database store: its number)")
	storeFlag(cmd, &opts.store)
	outputFlag(cmd, &opts.output, "text", "json")
	cmd.ValidArgsFunction = completeArgs(f, 1, completeScenarios)
	completeFlag(cmd, "tier", completeTiers(f, targetArg))
	completeFlag(cmd, "mode", completeValues(simulator.ModePractice, simulator.ModeExam))
	completeFlag(cmd, "resume", completeFlagIDs(f, completeAttempts))
	completeFlag(cmd, "attempts", completeDirs)
	return cmd
}

// attemptsDir is where attempt files go by default.
func (f *factory) attemptsDir() (string, error) {
	if d := f.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "casebook", "attempts"), nil
	}
	if h := f.getenv("HOME"); h != "" && h != "/no-home" {
		return filepath.Join(h, ".local", "share", "casebook", "attempts"), nil
	}
	return "", usageErrorf("no place for attempt files: set XDG_DATA_HOME or HOME, or pass --attempts DIR")
}

// moveSource gives the trainee's next move.
type moveSource interface {
	next(ss *simulator.Session) (string, error)
}

var errNoMoreMoves = errors.New("no more moves")

func runTrain(opts *trainOptions) error {
	f, s := opts.f, opts.f.streams
	if opts.scenario != "" {
		f.focusOn(opts.scenario)
	}
	// The library loads once the scenario is known: a resumed attempt's
	// is in its header.
	var lib *loadedLibrary
	var err error
	// A moves file is read before anything is written, so a bad one leaves
	// no attempt behind.
	var movesData []byte
	if opts.moves != "" && !toStdout(opts.moves) {
		if movesData, err = readInput("moves", opts.moves, f.maxSize); err != nil {
			return err
		}
	}
	var ss *simulator.Session
	var journal store.Session
	var recorded []string // the moves a resumed attempt already holds
	var st *chosenStore
	ctx := context.Background()
	if opts.resume != "" {
		if st, err = f.trainStore(opts); err != nil {
			return err
		}
		defer st.Close()
		j, a, err := st.Open(ctx, opts.resume)
		if err != nil {
			return usageErrorf("--resume: %v", err)
		}
		journal = j
		defer journal.Close()
		if w := a.TornWarning(); w != "" {
			fmt.Fprintf(s.ErrOut, "warning: %s\n", w)
		}
		f.focusOn(a.Header.Scenario, a.Header.Playbook)
		if lib, err = f.library(); err != nil {
			return err
		}
		sc, p, err := attemptScenario(f, lib, a)
		if err != nil {
			return err
		}
		if ss, err = simulator.Resume(a, p, sc, true); err != nil {
			return usageErrorf("--resume: %v", err)
		}
		if ss.Over() {
			return usageErrorf("--resume: %s is finished (the case was closed); score it with: %s", filepath.ToSlash(a.Path), f.suggest(append([]string{"replay", opts.resume}, st.args()...)...))
		}
		for _, m := range a.Moves {
			recorded = append(recorded, m.Move)
		}
		opts.trainee = a.Header.Trainee
	} else {
		if lib, err = f.library(); err != nil {
			return err
		}
		id := opts.scenario
		if id == "" {
			if id, err = pickScenario(f, lib); err != nil {
				return err
			}
		}
		sc, p, err := trainScenario(f, lib, id)
		if err != nil {
			return err
		}
		tier := opts.tier
		if tier == "" {
			tier = string(p.Tiers[0].Name)
		}
		if t, err := pickTier(p, tier); err != nil {
			return err
		} else {
			tier = string(t.Name)
		}
		seed := opts.seed
		if !opts.seedSet {
			seed = uint64(f.now().UnixNano())
		}
		if ss, err = simulator.New(p, sc, playbooks.TierName(tier), opts.mode, seed); err != nil {
			return usageErrorf("%v", err)
		}
		if st, err = f.trainStore(opts); err != nil {
			return err
		}
		defer st.Close()
		trainee, err := f.traineeName(opts.trainee, s.canPrompt() && opts.moves == "")
		if err != nil {
			return err
		}
		if esc := playbooks.EscapeControls(trainee); esc != trainee {
			return usageErrorf("the trainee name %s holds control characters; pass a plain --trainee NAME", esc)
		}
		opts.trainee = trainee
		// The attempt itself is stored with the first move: a session that
		// makes none leaves no attempt behind.
		journal, err = st.Create(ctx, simulator.AttemptHeader{
			Casebook: simulator.AttemptKind, Scenario: sc.ID, Playbook: p.ID, PlaybookVersion: p.Version,
			Tier: tier, Mode: opts.mode, Seed: seed, Trainee: trainee, StartedAt: f.now().UTC().Format(time.RFC3339Nano),
			Rules: simulator.CurrentRules,
		}, store.Local, "casebook train on "+hostname())
		if err != nil {
			if st.Kind() == "dir" {
				return fmt.Errorf("creating the attempts directory: %v", err)
			}
			return fmt.Errorf("%s: %v", st, err)
		}
		defer journal.Close()
	}

	var src moveSource
	switch {
	case toStdout(opts.moves):
		src = newStdinMoves(io.LimitReader(s.In, f.maxSize), f.interrupts())
	case opts.moves != "":
		src = &scriptedMoves{name: filepath.ToSlash(opts.moves), lines: strings.Split(string(bytes.TrimPrefix(movesData, utf8BOM)), "\n")}
	case s.canPrompt():
		src = &promptedMoves{p: f.prompter, out: s.Out, streams: s}
	case s.InTTY:
		return usageErrorf("stdout is not a terminal, so train cannot show its menu: pass --moves FILE, or pipe move ids to stdin")
	default:
		src = newStdinMoves(io.LimitReader(s.In, f.maxSize), f.interrupts())
	}
	sm, scripted := src.(*scriptedMoves)
	if scripted {
		sm.recorded = recorded
	}
	if scripted && sm.stdin == nil {
		// A moves file's first move is read before anything is shown: a
		// file with none, a bad first line or one that does not fit the
		// resumed attempt stops here, having printed and written nothing.
		// (Moves on stdin are not waited for: a program driving train
		// through a pipe may want to read the opening first.)
		id, err := sm.next(ss)
		switch {
		case errors.Is(err, errNoMoreMoves) && journal.Ref() == "":
			return usageErrorf("no moves: %s holds no move ids; off a terminal, train reads one move id per line from --moves FILE or stdin", sm.name)
		case err != nil && !errors.Is(err, errNoMoreMoves) && !errors.Is(err, errInterrupted):
			return err
		}
		sm.unread(id, err)
	}
	text := opts.output == "text"
	if text {
		printOpening(s.Out, ss, opts.resume != "")
	}

	resumeHint := func() string {
		return f.suggest(append([]string{"train", "--resume", filepath.ToSlash(journal.Ref())}, st.args()...)...)
	}
	saved := func() string { return st.attemptName(journal.Ref()) }
	for !ss.Over() {
		id, err := src.next(ss)
		if errors.Is(err, errNoMoreMoves) {
			if scripted && journal.Ref() == "" {
				return usageErrorf("no moves: %s holds no move ids; off a terminal, train reads one move id per line from --moves FILE or stdin", sm.name)
			}
			fmt.Fprintf(s.ErrOut, "The moves ran out before the case was closed. The attempt is saved; continue it with:\n  %s\n", resumeHint())
			break
		}
		if errors.Is(err, errInterrupted) {
			if journal.Ref() == "" {
				fmt.Fprintln(s.ErrOut, "\nInterrupted before the first move; no attempt was saved.")
			} else {
				fmt.Fprintf(s.ErrOut, "\nInterrupted. The attempt is saved; continue it with:\n  %s\n", resumeHint())
			}
			return &exitError{code: exitInterrupted, silent: true}
		}
		if err != nil {
			if journal.Moves() > len(recorded) {
				fmt.Fprintf(s.ErrOut, "The attempt so far is saved in %s\n", saved())
			}
			return err
		}
		turns, err := ss.Play(id)
		if err != nil {
			if scripted {
				if journal.Moves() > len(recorded) {
					fmt.Fprintf(s.ErrOut, "The attempt so far is saved in %s\n", saved())
				}
				return usageErrorf("%s:%d: %v", sm.name, sm.line, err)
			}
			fmt.Fprintf(s.ErrOut, "%v\n", err)
			continue
		}
		if err := journal.Append(id, f.now(), turns, ss.Over()); err != nil {
			if journal.Ref() == "" && st.Kind() == "dir" {
				return fmt.Errorf("creating the attempt file: %v (no move was saved)", err)
			}
			if journal.Ref() == "" {
				return fmt.Errorf("saving the first move in %s: %v (no move was saved)", st, err)
			}
			return fmt.Errorf("saving move %d: %v (the %d move(s) before it are saved; continue with: %s)", journal.Moves()+1, err, journal.Moves(), resumeHint())
		}
		if text {
			for _, t := range turns {
				printTurn(s.Out, ss, t)
			}
		}
	}
	if scripted && ss.Over() {
		left := 0
		for {
			if _, err := sm.next(ss); err != nil {
				break
			}
			left++
		}
		if left > 0 {
			fmt.Fprintf(s.ErrOut, "warning: the case was closed before %d more move(s) in %s; they were not played\n", left, sm.name)
		}
	}
	if ss.Over() {
		if err := f.saveScorecard(st, journal.Ref(), lib); err != nil {
			fmt.Fprintf(s.ErrOut, "warning: %s: the scorecard was not stored (%v); the moves are, and %s stores it\n", saved(), err, f.suggest(append([]string{"store", "rescore"}, st.args()...)...))
		}
	}
	return printSummary(opts, ss, saved(), resumeHint())
}

// trainStore opens the store train writes to: --store or $CASEBOOK_STORE,
// else attempt files in --attempts DIR or the attempts directory.
func (f *factory) trainStore(opts *trainOptions) (*chosenStore, error) {
	if opts.store != "" && opts.attempts != "" {
		return nil, usageErrorf("--attempts and --store both say where attempts go: give one")
	}
	url, from := f.storeURL(opts.store)
	if refURL, _, ok := store.RefStore(opts.resume); ok && from != fromFlag && opts.attempts == "" {
		// STORE#N, as train names a stored attempt, names its store.
		url, from = refURL, fromFlag
	}
	switch {
	case opts.attempts != "":
		url, from = "dir:"+opts.attempts, fromFlag
	case url == "" && opts.resume != "":
		url = "dir:."
	case url == "":
		dir, err := f.attemptsDir()
		if err != nil {
			return nil, err
		}
		url = "dir:" + dir
	}
	return f.openStore(url, from, true)
}

// hostname names the machine a local attempt was played on.
func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "an unknown host"
	}
	return h
}

// utf8BOM is the byte-order mark some editors put at the start of a file.
var utf8BOM = []byte("\xef\xbb\xbf")

// trainScenario finds a scenario and its playbook, refusing either when it
// has problems.
func trainScenario(f *factory, lib *loadedLibrary, id string) (*scenarios.Scenario, *playbooks.Playbook, error) {
	sc := lib.Scenarios.Find(id)
	if sc == nil {
		lib, err := f.wholeLibrary()
		if err != nil {
			return nil, nil, err
		}
		ids := lib.Scenarios.IDs()
		if len(ids) == 0 {
			return nil, nil, usageErrorf("no scenario %q: the library %s holds no scenarios", id, lib.Source)
		}
		return nil, nil, usageErrorf("no scenario %q in library %s; known: %s%s", id, lib.Source, strings.Join(ids, ", "), playbooks.DidYouMean(id, ids))
	}
	if err := f.refuseBroken(lib, "scenario", id, sc.File); err != nil {
		return nil, nil, err
	}
	p := lib.Scenarios.Playbook(sc)
	if p == nil {
		return nil, nil, usageErrorf("scenario %s: no playbook matches %s@%s", id, sc.Playbook, sc.Range)
	}
	// The version the scenario resolves to, not the newest of the id.
	if err := f.refuseBroken(lib, "playbook", p.ID, p.File); err != nil {
		return nil, nil, err
	}
	return sc, p, nil
}

func pickScenario(f *factory, lib *loadedLibrary) (string, error) {
	ids := lib.Scenarios.IDs()
	if len(ids) == 0 {
		return "", usageErrorf("the library %s holds no scenarios", lib.Source)
	}
	if !f.streams.canPrompt() {
		return "", usageErrorf("name a scenario to train on: casebook train SCENARIO (scenarios: %s)", strings.Join(ids, ", "))
	}
	labels := make([]string, len(ids))
	for i, sc := range lib.Scenarios.Scenarios {
		labels[i] = sc.ID + " — " + sc.Title
	}
	choice, err := f.prompter.Select("Which case do you want to practise?", labels, "")
	if err != nil {
		return "", err
	}
	id, _, _ := strings.Cut(choice, " — ")
	return id, nil
}

// scriptedMoves reads one move id per line, from a file's lines or from a
// channel fed by stdin; an interrupt (Ctrl-C) ends the reading. When a
// resumed attempt already holds moves (recorded), the script must start
// with them: they are checked and skipped, and any other start is refused
// before anything is written.
type scriptedMoves struct {
	name      string
	lines     []string
	stdin     <-chan stdinLine
	interrupt <-chan os.Signal
	line      int
	recorded  []string
	skipped   int
	back      *readMove // a move given back by unread
	// golden is the tier of the show --golden table being read: its rows
	// of that tier are moves, the others' are skipped ("" before any).
	golden string
	seen   bool // a line with text was read
}

type readMove struct {
	id  string
	err error
}

// unread gives a move back: the next call of next returns it.
func (m *scriptedMoves) unread(id string, err error) { m.back = &readMove{id, err} }

// A stdinLine is a line read from stdin, or the error that ended reading.
type stdinLine struct {
	text string
	err  error
}

func newStdinMoves(r io.Reader, interrupt <-chan os.Signal) *scriptedMoves {
	lines := make(chan stdinLine)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		n := 0
		for sc.Scan() {
			n++
			text := sc.Text()
			if n == 1 {
				text = strings.TrimPrefix(text, string(utf8BOM))
			}
			lines <- stdinLine{text: text}
		}
		if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
			lines <- stdinLine{err: usageErrorf("stdin:%d: the line is longer than %d KB; a move id is one short line", n+1, bufio.MaxScanTokenSize/1024)}
		} else if err != nil {
			lines <- stdinLine{err: usageErrorf("stdin:%d: %v", n+1, err)}
		}
	}()
	return &scriptedMoves{name: "stdin", stdin: lines, interrupt: interrupt}
}

func (m *scriptedMoves) next(*simulator.Session) (string, error) {
	if b := m.back; b != nil {
		m.back = nil
		return b.id, b.err
	}
	for {
		text, err := m.nextLine()
		if err != nil {
			return "", err
		}
		if m.skipped < len(m.recorded) {
			if want := m.recorded[m.skipped]; text != want {
				return "", usageErrorf("%s:%d: with --resume, the moves must start with the %d the attempt holds: move %d there is %q, not %q (nothing was written)",
					m.name, m.line, len(m.recorded), m.skipped+1, scenarios.Clip(want), scenarios.Clip(text))
			}
			m.skipped++
			continue
		}
		return text, nil
	}
}

// nextLine is the next line that holds a move id.
func (m *scriptedMoves) nextLine() (string, error) {
	for {
		var text string
		if m.stdin != nil {
			select {
			case l, ok := <-m.stdin:
				if !ok {
					return "", errNoMoreMoves
				}
				if l.err != nil {
					return "", l.err
				}
				text = l.text
			case <-m.interrupt:
				return "", errInterrupted
			}
		} else {
			if m.line >= len(m.lines) {
				return "", errNoMoreMoves
			}
			text = m.lines[m.line]
		}
		m.line++
		raw := text
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		first := !m.seen
		m.seen = true
		if first && text == "{" || first && strings.HasPrefix(text, "{") && m.stdin == nil {
			// The JSON of show --golden -o json: its tier's moves.
			if err := m.readGoldenJSON(text); err != nil {
				return "", err
			}
			continue
		}
		if tier, ok := strings.CutPrefix(text, "golden path for "); ok {
			// The table show --golden prints when piped.
			m.golden, _, _ = strings.Cut(tier, " ")
			continue
		}
		if m.golden != "" {
			if f := strings.Split(raw, "\t"); len(f) >= 3 && isDigits(f[0]) {
				if f[1] != m.golden {
					continue // a later tier's part: the simulator plays it
				}
				return strings.TrimSpace(f[2]), nil
			}
		}
		return text, nil
	}
}

// readGoldenJSON reads the rest of a moves source that opens with a JSON
// document, the golden path show --golden -o json prints, and goes on with
// the moves of its tier, up to the first of another.
func (m *scriptedMoves) readGoldenJSON(first string) error {
	var b strings.Builder
	b.WriteString(first)
	if m.stdin != nil {
		for l := range m.stdin {
			if l.err != nil {
				return l.err
			}
			b.WriteString("\n" + l.text)
		}
	} else {
		for ; m.line < len(m.lines); m.line++ {
			b.WriteString("\n" + m.lines[m.line])
		}
	}
	var g struct {
		Tier  string `json:"tier"`
		Moves []struct {
			Move string `json:"move"`
			Tier string `json:"tier"`
		} `json:"moves"`
	}
	if err := json.Unmarshal([]byte(b.String()), &g); err != nil || len(g.Moves) == 0 {
		return usageErrorf("%s: neither move ids nor the JSON of casebook show --golden -o json (or pipe casebook show -o moves)", m.name)
	}
	var moves []string
	for _, mv := range g.Moves {
		if g.Tier != "" && mv.Tier != g.Tier {
			break
		}
		moves = append(moves, mv.Move)
	}
	m.stdin, m.lines, m.line = nil, moves, 0
	m.name += " (the golden path of show --golden -o json)"
	return nil
}

func isDigits(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// promptedMoves shows the menu on the terminal, after a status line with
// the simulated clock and the facts verified so far.
type promptedMoves struct {
	p       prompter
	out     io.Writer
	streams *ioStreams // for the terminal's width
}

func (m *promptedMoves) next(ss *simulator.Session) (string, error) {
	menu := ss.Menu()
	cols := 0
	if m.streams != nil {
		cols, _ = m.streams.termSize()
	}
	opts := make([]menuOption, len(menu))
	for i, o := range menu {
		label := o.Label
		if cols > 10 {
			label = truncate(label, cols-4) // one line each: "> " and a margin
		}
		opts[i] = menuOption{Label: label, Key: o.ID}
	}
	fmt.Fprintln(m.out)
	fmt.Fprintln(m.out, statusLine(ss, cols))
	i, err := m.p.Menu(fmt.Sprintf("[%s] Your move:", clock(int(ss.Clock().Minutes()))), opts)
	if err != nil {
		return "", err
	}
	o := menu[i]
	if mv, err := scenarios.ParseMove(o.ID); err == nil && mv.Kind == scenarios.MoveEscalate {
		var facts []string
		for _, fv := range ss.Verified() {
			facts = append(facts, fv.Fact)
		}
		if len(facts) == 0 {
			return scenarios.Handoff(playbooks.TierName(mv.Arg), nil).String(), nil
		}
		carry, err := m.p.MultiSelect("Which verified facts does the handoff note carry?", facts, facts)
		if err != nil {
			return "", err
		}
		if len(carry) == len(facts) {
			return o.ID, nil // escalate:TIER carries every verified fact
		}
		return scenarios.Handoff(playbooks.TierName(mv.Arg), carry).String(), nil
	}
	return o.ID, nil
}

// statusValueMax is the most columns of a fact's value the status line shows
// (a user agent would fill it).
const statusValueMax = 40

// statusLine is the line shown above the move menu: the simulated clock
// and each fact verified so far, in the order learned, each value clipped
// to statusValueMax columns and the line to cols columns (80 when the width
// is unknown), e.g.
//
//	clock 6m · verified: browser=Chrome; click_tracking=on; branded_domains=foo.io, bar.io
func statusLine(ss *simulator.Session, cols int) string {
	if cols <= 0 {
		cols = 80
	}
	var b strings.Builder
	b.WriteString("clock " + strings.TrimPrefix(clock(int(ss.Clock().Minutes())), "+") + " · verified: ")
	facts := ss.Verified()
	if len(facts) == 0 {
		b.WriteString("nothing yet")
	}
	for i, fv := range facts {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fv.Fact + "=" + runewidth.Truncate(strings.Join(strings.Fields(fv.Value), " "), statusValueMax, "…"))
	}
	// Keep the last column free: a line that fills the width makes some
	// terminals wrap the cursor onto the next row.
	return runewidth.Truncate(promptText(b.String()), cols-1, "…")
}

func clock(min int) string {
	if min == 0 {
		return "+0m"
	}
	return "+" + scenarios.FormatDuration(time.Duration(min)*time.Minute)
}

func printOpening(w io.Writer, ss *simulator.Session, resumed bool) {
	sc, p := ss.Scenario(), ss.Playbook()
	fmt.Fprintf(w, "%s — %s\n", sc.ID, sc.Title)
	fmt.Fprintf(w, "playbook %s %s, %s, tier %s, %s mode\n", p.ID, p.Version, sc.Channel, ss.Tier(), ss.Mode())
	for _, m := range sc.Metadata {
		fmt.Fprintf(w, "ticket %s: %s\n", m.Key, m.Value)
	}
	who := sc.Persona.Name
	if who == "" {
		who = "Customer"
	}
	printProse(w, "\n"+who+": ", strings.Join(strings.Fields(sc.Opening), " "))
	if resumed {
		fmt.Fprintf(w, "\n(resumed: %d move(s) so far)\n", len(ss.Turns()))
		for _, t := range ss.Turns() {
			printTurn(w, ss, t)
		}
	}
}

func printTurn(w io.Writer, ss *simulator.Session, t simulator.Turn) {
	who := "you"
	if t.Auto {
		who = string(t.By)
	}
	move := t.Move
	if mv, err := scenarios.ParseMove(t.Move); err == nil && mv.Kind == scenarios.MoveEscalate {
		move = mv.Target().String() // the note's facts follow
	}
	fmt.Fprintf(w, "\n[%s] %s: %s", clock(t.ClockMin), who, move)
	if t.Carry != nil && len(t.Carry) == 0 {
		fmt.Fprint(w, " (note carries no facts)")
	}
	if len(t.Carry) > 0 {
		fmt.Fprintf(w, " (note carries %s)", strings.Join(t.Carry, ", "))
	}
	fmt.Fprintln(w)
	if t.Result != "" {
		fmt.Fprintf(w, "  %s\n", t.Result)
	}
	if t.Said != "" {
		name := ss.Scenario().Persona.Name
		if name == "" {
			name = "Customer"
		}
		printProse(w, "  "+name+": ", strings.Join(strings.Fields(t.Said), " "))
	}
	if t.Hint != "" {
		fmt.Fprintf(w, "  hint: %s\n", t.Hint)
	}
}

func printSummary(opts *trainOptions, ss *simulator.Session, attempt, resume string) error {
	s := opts.f.streams
	card := scoring.Score(scoring.FromSession(ss, opts.trainee, scoring.SourceAttempt))
	if opts.output == "json" {
		fmt.Fprintf(s.ErrOut, "attempt: %s\n", attempt)
		return writeJSON(s.Out, card)
	}
	fmt.Fprintln(s.Out, "\nSession")
	if err := printPath(s, card, false); err != nil {
		return err
	}
	offPath := 0
	for _, t := range card.Path {
		if !t.Auto && !t.OnPath {
			offPath++
		}
	}
	outcome := outcomeText(card)
	if !ss.Over() {
		outcome = "open (resume with " + resume + ")"
	}
	fmt.Fprintf(s.Out, "\noutcome: %s\nsimulated time: %s (golden path: %s)\nyour moves: %d, %d off the golden path (golden path: %d)\n",
		outcome, clock(card.ClockMin), clock(card.GoldenClockMin), card.Moves, offPath, card.GoldenMoves)
	if err := printScorecard(s, card); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "attempt: %s\n", attempt)
	return nil
}

// attemptScenario finds the scenario and playbook an attempt was made on;
// errors name the attempt file.
func attemptScenario(f *factory, lib *loadedLibrary, a *simulator.Attempt) (*scenarios.Scenario, *playbooks.Playbook, error) {
	if lib.Scenarios.Find(a.Header.Scenario) == nil {
		return nil, nil, usageErrorf("%s:1:1: an attempt at scenario %q, which library %s does not hold", filepath.ToSlash(a.Path), scenarios.Clip(a.Header.Scenario), lib.Source)
	}
	sc, p, err := trainScenario(f, lib, a.Header.Scenario)
	if err != nil {
		return nil, nil, err
	}
	if p, err = attemptPlaybook(f, lib, a, p); err != nil {
		return nil, nil, err
	}
	return sc, p, nil
}

// attemptPlaybook is the playbook an attempt was made on: that exact
// version when the library still has it, else one that differs only in the
// patch version (a review sign-off bumps the patch without changing the
// graph), with a warning. A new minor or major version may have changed
// the graph, so the attempt cannot be replayed on it.
func attemptPlaybook(f *factory, lib *loadedLibrary, a *simulator.Attempt, current *playbooks.Playbook) (*playbooks.Playbook, error) {
	h := a.Header
	p, exact := lib.MadeOn(h.Playbook, h.PlaybookVersion)
	if p == nil {
		return nil, usageErrorf("%s:1:1: made on playbook %s %s; the library has %s, whose graph may differ (keep the old version in the library to replay it)",
			filepath.ToSlash(a.Path), h.Playbook, h.PlaybookVersion, current.Version)
	}
	if !exact {
		fmt.Fprintf(f.streams.ErrOut, "warning: %s was made on %s %s; the library has %s, which differs only in the patch version\n",
			filepath.ToSlash(a.Path), h.Playbook, h.PlaybookVersion, p.Version)
	}
	return p, nil
}
