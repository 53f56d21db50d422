package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

func newNewCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Write a new playbook, scenario or recording (a wizard on a terminal)",
		Long: `New turns a real case into training material in minutes:

  new playbook [ID]             a commented playbook skeleton that lints clean
  new scenario --playbook ID    a scenario with every fact of the playbook
  new recording --scenario ID   the real handling, re-enacted move by move

On a terminal each asks its questions; every answer also has a flag, so
scripts never need a terminal.

` + exitCodesHelp,
		Example: `  casebook new playbook password-reset --library ./library
  casebook new scenario --playbook password-reset --library ./library
  casebook new recording --scenario password-reset-expired-link --library ./library`,
	}
	cmd.AddCommand(newNewPlaybookCmd(f), newNewScenarioCmd(f), newNewRecordingCmd(f))
	return cmd
}

// targetDir is where new files go: --dir, else the library's sub-directory
// (playbooks/ or scenarios/) when it has one, else the library root, else
// the current directory.
func (f *factory) targetDir(dir, sub string) string {
	if dir != "" {
		return dir
	}
	root := f.libraryRoot()
	if root == "" {
		return "."
	}
	if info, err := os.Stat(filepath.Join(root, sub)); err == nil && info.IsDir() {
		return filepath.Join(root, sub)
	}
	return root
}

// schemaPath is the relative path from dir to the library's schema of a
// kind, or a file name beside it when the library has none.
func (f *factory) schemaPath(dir, kind string) string {
	name := kind + ".schema.json"
	if root := f.libraryRoot(); root != "" {
		candidate := filepath.Join(root, "schema", name)
		if _, err := os.Stat(candidate); err == nil {
			if rel, err := filepath.Rel(dir, candidate); err == nil {
				return filepath.ToSlash(rel)
			}
		}
	}
	return name
}

// writeNew writes a new file atomically, never over an existing one
// without --force.
func writeNew(f *factory, path string, data []byte, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := playbooks.WriteFileAtomic(path, data, 0o644, force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return usageErrorf("not overwriting %s (use --force to replace it)", filepath.ToSlash(path))
		}
		return err
	}
	fmt.Fprintf(f.streams.Out, "wrote %s\n", filepath.ToSlash(path))
	return nil
}

// asker fills in answers: from flags first, then on a terminal, else it is
// a usage error naming the flag.
type asker struct {
	f *factory
}

func (a asker) text(value *string, flag, question, def string, required bool) error {
	if *value != "" {
		return nil
	}
	if !a.f.streams.canPrompt() {
		if !required {
			*value = def
			return nil
		}
		return usageErrorf("missing --%s (stdin is not a terminal, so casebook cannot ask)", flag)
	}
	v, err := a.f.prompter.Input(question, def)
	*value = strings.TrimSpace(v)
	return err
}

type newPlaybookOptions struct {
	f           *factory
	id          string
	title       string
	product     string
	appliesTo   string
	reviewedFor string
	owner       string
	intents     []string
	tiers       []string
	dir         string
	force       bool
}

func newNewPlaybookCmd(f *factory) *cobra.Command {
	opts := &newPlaybookOptions{f: f}
	cmd := &cobra.Command{
		Use:   "playbook [ID]",
		Short: "Write a commented playbook skeleton that lints clean",
		Long: `New playbook writes ID.yaml: a commented skeleton with the title, product,
version range, owner, intents and tiers you give, one example fact, check,
reply and outcome to replace with the case's own, and the
yaml-language-server line so editors check it as you type.

On a terminal it asks for whatever the flags leave out. The file goes to
--dir, else the library's playbooks/ directory (--library), else the
current directory; an existing file is never replaced without --force.

` + exitCodesHelp,
		Example: `  casebook new playbook
  casebook new playbook password-reset --title "Reset a password that does not arrive" \
    --product mailer --applies-to ">=2024.1" --owner accounts \
    --intent password-reset --tier L1=lookup,reply,escalate --tier L2=lookup,reply,escalate,resend_reset \
    --library ./library`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.id = args[0]
			}
			return runNewPlaybook(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.title, "title", "", "what the case is, in one line")
	fl.StringVar(&opts.product, "product", "", "the product the playbook is for")
	fl.StringVar(&opts.appliesTo, "applies-to", "", "product versions it is valid for, e.g. \">=2024.1\"")
	fl.StringVar(&opts.reviewedFor, "reviewed-for", "", "last release it was checked against (default: the range's lowest version)")
	fl.StringVar(&opts.owner, "owner", "", "the team that keeps it current")
	fl.StringArrayVar(&opts.intents, "intent", nil, "a customer intent it answers (repeatable)")
	fl.StringArrayVar(&opts.tiers, "tier", nil, "a tier and its capabilities, lowest first: `NAME=cap,cap` (repeatable)")
	fl.StringVar(&opts.dir, "dir", "", "directory to write to")
	fl.BoolVar(&opts.force, "force", false, "replace an existing file")
	return cmd
}

func runNewPlaybook(opts *newPlaybookOptions) error {
	f := opts.f
	a := asker{f}
	if err := a.text(&opts.id, "id (the ID argument)", "Playbook id (lower-case words with dashes):", "", true); err != nil {
		return err
	}
	if !playbooks.ValidID(opts.id) {
		return usageErrorf("id %q must be lower-case letters, digits and dashes", opts.id)
	}
	for _, q := range []struct {
		value          *string
		flag, question string
		def            string
	}{
		{&opts.title, "title", "Title (what the case is, in one line):", ""},
		{&opts.product, "product", "Product:", ""},
		{&opts.appliesTo, "applies-to", "Product versions it applies to (a range, e.g. >=2024.1):", ""},
		{&opts.owner, "owner", "Owner (the team that keeps it current):", ""},
	} {
		if err := a.text(q.value, q.flag, q.question, q.def, true); err != nil {
			return err
		}
	}
	if err := a.text(&opts.reviewedFor, "reviewed-for", "Last release you checked it against:", playbooks.DefaultReviewedFor(opts.appliesTo), false); err != nil {
		return err
	}
	if len(opts.intents) == 0 {
		var line string
		if err := a.text(&line, "intent", "Customer intents it answers (comma-separated ids):", opts.id, true); err != nil {
			return err
		}
		opts.intents = splitList(line)
	}
	for _, in := range opts.intents {
		if !playbooks.ValidID(in) {
			return usageErrorf("intent %q must be lower-case letters, digits and dashes", in)
		}
	}
	if len(opts.tiers) == 0 {
		if !f.streams.canPrompt() {
			return usageErrorf("missing --tier NAME=cap,cap (stdin is not a terminal, so casebook cannot ask)")
		}
		var names string
		if err := a.text(&names, "tier", "Tiers, lowest first (comma-separated):", "L1, L2", true); err != nil {
			return err
		}
		for _, n := range splitList(names) {
			caps, err := f.prompter.Input(fmt.Sprintf("Capabilities of %s (comma-separated):", n), "lookup, reply, escalate")
			if err != nil {
				return err
			}
			opts.tiers = append(opts.tiers, n+"="+caps)
		}
	}
	var spec []playbooks.TierSpec
	for _, t := range opts.tiers {
		ts, err := playbooks.ParseTierSpec(t)
		if err != nil {
			return usageErrorf("--tier %v", err)
		}
		spec = append(spec, ts)
	}
	dir := f.targetDir(opts.dir, "playbooks")
	src := playbooks.Skeleton(playbooks.SkeletonSpec{ID: opts.id, Title: opts.title, Product: opts.product,
		AppliesTo: opts.appliesTo, ReviewedFor: opts.reviewedFor, Owner: opts.owner, Intents: opts.intents,
		Tiers: spec, SchemaPath: f.schemaPath(dir, "playbook")})
	path := filepath.Join(dir, opts.id+".yaml")
	// What the wizard writes must lint clean; answers that break it (a bad
	// range, say) are reported before anything is written.
	if _, fs := playbooks.ParsePlaybook(filepath.ToSlash(path), []byte(src)); len(fs) > 0 {
		return usageErrorf("these answers make a playbook that does not lint: %s", fs[0])
	}
	if err := writeNew(f, path, []byte(src), opts.force); err != nil {
		return err
	}
	fmt.Fprintf(f.streams.ErrOut, "Next: edit it, then casebook lint %s and casebook show %s\n", filepath.ToSlash(path), opts.id)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

type newScenarioOptions struct {
	f           *factory
	id          string
	playbook    string
	title       string
	channel     string
	opening     string
	truth       []string
	ticket      []string
	stated      []string
	personaName string
	personaRole string
	tone        string
	dir         string
	force       bool
}

func newNewScenarioCmd(f *factory) *cobra.Command {
	opts := &newScenarioOptions{f: f}
	cmd := &cobra.Command{
		Use:   "scenario [ID] --playbook ID",
		Short: "Write a scenario skeleton for a playbook",
		Long: `New scenario writes ID.yaml for a playbook: every fact of the playbook under
truth, with its legal values in a comment, the ticket metadata for ticket
facts, a persona and an empty list of traps to fill in.

On a terminal it asks the title, the channel, the customer's opening, each
truth value (a choice among the fact's values), which facts the opening
already states and the persona. Flags answer the same questions for scripts;
without a terminal, facts no --truth gives take their first legal value
(free-text facts "TODO"). The file goes to --dir, else the library's
scenarios/ directory, else the current directory.

` + exitCodesHelp,
		Example: `  casebook new scenario --playbook https-link-branding --library ./library
  casebook new scenario https-expired-cert --playbook https-link-branding --channel email \
    --opening "Our tracking links show a certificate warning." \
    --truth certificate=expired --truth click_tracking=on --stated click_tracking --library ./library`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.id = args[0]
			}
			if opts.playbook == "" {
				return usageErrorf("--playbook ID is required: the playbook the scenario exercises")
			}
			return runNewScenario(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.playbook, "playbook", "", "the playbook the scenario exercises")
	fl.StringVar(&opts.title, "title", "", "what happened, in one line")
	fl.StringVar(&opts.channel, "channel", "", "chat or email")
	fl.StringVar(&opts.opening, "opening", "", "the customer's first message")
	fl.StringArrayVar(&opts.truth, "truth", nil, "a hidden fact: `FACT=VALUE` (repeatable)")
	fl.StringArrayVar(&opts.ticket, "ticket", nil, "ticket metadata: `FIELD=VALUE` (answers ticket.FIELD facts; repeatable)")
	fl.StringArrayVar(&opts.stated, "stated", nil, "a fact the opening already states (repeatable)")
	fl.StringVar(&opts.personaName, "persona-name", "", "the customer's name")
	fl.StringVar(&opts.personaRole, "persona-role", "", "the audience the customer is (one of the playbook's)")
	fl.StringVar(&opts.tone, "tone", "", "patient, terse or annoyed")
	fl.StringVar(&opts.dir, "dir", "", "directory to write to")
	fl.BoolVar(&opts.force, "force", false, "replace an existing file")
	return cmd
}

func runNewScenario(opts *newScenarioOptions) error {
	f := opts.f
	a := asker{f}
	p, err := f.playbook(opts.playbook)
	if err != nil {
		return err
	}
	prompt := f.streams.canPrompt()
	if opts.id == "" && !prompt {
		opts.id = p.ID + "-case"
	}
	if err := a.text(&opts.id, "id (the ID argument)", "Scenario id:", p.ID+"-case", true); err != nil {
		return err
	}
	if !playbooks.ValidID(opts.id) {
		return usageErrorf("id %q must be lower-case letters, digits and dashes", opts.id)
	}
	if err := a.text(&opts.title, "title", "Title (what happened, in one line):", p.Title, false); err != nil {
		return err
	}
	if opts.channel == "" {
		opts.channel = scenarios.ChannelChat
		if prompt {
			if opts.channel, err = f.prompter.Select("Channel:", []string{scenarios.ChannelChat, scenarios.ChannelEmail}, scenarios.ChannelChat); err != nil {
				return err
			}
		}
	}
	if err := checkFormat("channel", opts.channel, scenarios.ChannelChat, scenarios.ChannelEmail); err != nil {
		return err
	}
	if err := a.text(&opts.opening, "opening", "The customer's opening message:", "Replace with the customer's first message.", false); err != nil {
		return err
	}
	truth := map[string]string{}
	for _, t := range opts.truth {
		name, value, ok := strings.Cut(t, "=")
		fact := p.Fact(strings.TrimSpace(name))
		if !ok || fact == nil {
			return usageErrorf("--truth %q: write FACT=VALUE with a fact of %s (%s)", t, p.ID, strings.Join(factNames(p), ", "))
		}
		legal, ok := fact.Legal(value)
		if !ok {
			return usageErrorf("--truth %q: %q is not a value of %s (%s)", t, value, fact.Name, strings.Join(fact.ValueNames(), ", "))
		}
		truth[fact.Name] = legal
	}
	for _, t := range opts.ticket {
		field, value, ok := strings.Cut(t, "=")
		var fields []string
		found := false
		for _, fact := range p.Facts {
			if fact.TicketField() == "" {
				continue
			}
			fields = append(fields, fact.TicketField())
			if fact.TicketField() == strings.TrimSpace(field) {
				legal, ok := fact.Legal(value)
				if !ok {
					return usageErrorf("--ticket %q: %q is not a value of %s (%s)", t, value, fact.Name, strings.Join(fact.ValueNames(), ", "))
				}
				truth[fact.Name], found = legal, true
			}
		}
		if !ok || !found {
			return usageErrorf("--ticket %q: write FIELD=VALUE with a ticket field of %s (%s)", t, p.ID, strings.Join(fields, ", "))
		}
	}
	if prompt {
		for _, fact := range p.Facts {
			if _, ok := truth[fact.Name]; ok {
				continue
			}
			q := fmt.Sprintf("Truth: %s (%s)?", fact.Label(), fact.Source)
			var v string
			if len(fact.Values) > 0 {
				v, err = f.prompter.Select(q, fact.ValueNames(), fact.Values[0].Value)
			} else {
				v, err = f.prompter.Input(q, "")
			}
			if err != nil {
				return err
			}
			truth[fact.Name] = strings.TrimSpace(v)
		}
	}
	for _, st := range opts.stated {
		if p.Fact(st) == nil {
			return usageErrorf("--stated %q: not a fact of %s (%s)", st, p.ID, strings.Join(factNames(p), ", "))
		}
	}
	if len(opts.stated) == 0 && prompt {
		var choices []string
		for _, fact := range p.Facts {
			if fact.TicketField() == "" {
				choices = append(choices, fact.Name)
			}
		}
		if opts.stated, err = f.prompter.MultiSelect("Which facts does the opening already state?", choices, nil); err != nil {
			return err
		}
	}
	if err := a.text(&opts.personaName, "persona-name", "The customer's name:", "Customer", false); err != nil {
		return err
	}
	if auds := p.Audiences(); opts.personaRole == "" && len(auds) > 0 {
		opts.personaRole = auds[0]
		if prompt {
			if opts.personaRole, err = f.prompter.Select("Who is the customer (the reply audience)?", auds, auds[0]); err != nil {
				return err
			}
		}
	}
	if opts.tone == "" {
		opts.tone = "patient"
		if prompt {
			if opts.tone, err = f.prompter.Select("Tone:", scenarios.Tones, "patient"); err != nil {
				return err
			}
		}
	}
	if !slices.Contains(scenarios.Tones, opts.tone) {
		return usageErrorf("--tone %q is not one of %s", opts.tone, strings.Join(scenarios.Tones, ", "))
	}
	dir := f.targetDir(opts.dir, "scenarios")
	path := filepath.Join(dir, opts.id+".yaml")
	src := scenarios.Skeleton(p, scenarios.SkeletonSpec{ID: opts.id, Title: opts.title, Channel: opts.channel,
		Opening: opts.opening, PersonaName: opts.personaName, PersonaRole: opts.personaRole, Tone: opts.tone,
		Truth: truth, Stated: opts.stated, SchemaPath: f.schemaPath(dir, "scenario")})
	if fs := checkScenarioSource(f, filepath.ToSlash(path), []byte(src)); len(fs) > 0 {
		return usageErrorf("these answers make a scenario that does not lint: %s", fs[0])
	}
	if err := writeNew(f, path, []byte(src), opts.force); err != nil {
		return err
	}
	fmt.Fprintf(f.streams.ErrOut, "Next: add traps, then casebook lint %s and casebook show %s\n", filepath.ToSlash(path), opts.id)
	return nil
}

// checkScenarioSource lints scenario text against the library's playbooks.
func checkScenarioSource(f *factory, name string, src []byte) []playbooks.Finding {
	lib, err := f.library()
	if err != nil {
		return []playbooks.Finding{{File: name, Line: 1, Col: 1, Message: err.Error()}}
	}
	doc, fs := playbooks.ParseDocument(name, src)
	if doc.Root == nil {
		return fs
	}
	sc, more := scenarios.Parse(doc)
	fs = append(fs, more...)
	_, more = scenarios.Check(sc, lib.Library)
	return append(fs, more...)
}

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
existing recording is replaced only with --force.

` + exitCodesHelp,
		Example: `  casebook new recording --scenario https-expired-cert --library ./library
  casebook new recording --scenario https-expired-cert --tier L1 --moves handling.txt --library ./library`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.scenario == "" {
				return usageErrorf("--scenario ID is required")
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
		tier = p.Tiers[0].Name
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
	if err := playbooks.WriteFileAtomic(filepath.FromSlash(sc.File), out, 0o644, true); err != nil {
		return err
	}
	fmt.Fprintf(f.streams.Out, "recorded %d move(s) into %s\n", len(steps), sc.File)
	if !ss.Over() {
		fmt.Fprintln(f.streams.ErrOut, "warning: the recording ends before the case was closed")
	}
	fmt.Fprintf(f.streams.ErrOut, "Next: casebook replay %s\n", sc.ID)
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
	pm := &promptedMoves{p: f.prompter, out: f.streams.Out}
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
			def = at.Add(moveCost(ss, id))
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

// moveCost is the simulated cost of a move kind on the scenario's channel,
// the default gap before the next recorded move.
func moveCost(ss *simulator.Session, id string) time.Duration {
	c := simulator.ChannelCosts[ss.Scenario().Channel]
	mv, _ := scenarios.ParseMove(id)
	switch mv.Kind {
	case scenarios.MoveLookup, scenarios.MoveDNS:
		return c.Lookup
	case scenarios.MoveProbe:
		return c.Probe
	case scenarios.MoveAction:
		return c.Action
	case scenarios.MoveEscalate:
		return c.Handoff
	case scenarios.MoveClose:
		return c.Close
	case scenarios.MoveTrap:
		if t := ss.Scenario().Trap(mv.Arg); t != nil {
			return t.Cost
		}
	}
	return c.CustomerTurn
}
