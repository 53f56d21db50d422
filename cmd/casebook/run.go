package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

type runOptions struct {
	f         *factory
	id        string
	tier      string
	audience  string
	answers   string
	userAgent string
	ticket    []string
	logFile   string
	force     bool
	output    string
}

func newRunCmd(f *factory) *cobra.Command {
	opts := &runOptions{f: f}
	cmd := &cobra.Command{
		Use:   "run ID",
		Short: "Walk a live case through a playbook",
		Long: `Run walks a live case through a playbook, one step at a time.

It asks only what a step needs: on a terminal, customer facts are prompted
as questions to put to the customer, and admin, probe and DNS facts as what
you found when you looked. Ticket facts (the browser from the User-Agent, the
plan, the platform) come from flags and are never asked.

When a step needs a capability your --tier lacks, run stops and prints a
handoff note for the tier that holds it, carrying every fact verified so far.
When it reaches a reply, it prints the draft in three parts (summary, cause,
fix) for the --audience.

Without a terminal, answers come from --answers FILE or from stdin, both as
"fact: value" lines (YAML). -o json prints the whole case as JSON (the case
log) on stdout and the walk on stderr; --log FILE writes the same JSON to a
file (--log - is -o json).

` + exitCodesHelp,
		Example: `  casebook run https-link-branding --tier L1 --user-agent "Mozilla/5.0 (Macintosh) Safari/17.4"   # on a terminal
  casebook run https-link-branding --tier L2 --answers case-1234.yaml --log case-1234.json
  printf 'ssl_tracking: off\nclick_tracking: off\n' | casebook run https-link-branding
  printf 'ssl_tracking: off\nclick_tracking: off\n' | casebook run https-link-branding -o json | jq .result
  casebook run in-app-message-not-displayed --audience developer --ticket platform=ios --ticket sdk_version=5.2.1   # on a terminal`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			return runRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.tier, "tier", "", "your support tier (default: the playbook's lowest tier)")
	fl.StringVar(&opts.audience, "audience", "", "who the reply is for, e.g. marketer or developer (default: the playbook's first)")
	fl.StringVar(&opts.answers, "answers", "", "`FILE` of \"fact: value\" lines answering the questions (scripted use)")
	fl.StringVar(&opts.userAgent, "user-agent", "", "the customer's User-Agent from the ticket (ticket.user_agent facts)")
	fl.StringArrayVar(&opts.ticket, "ticket", nil, "ticket metadata as `FIELD=VALUE` (ticket.FIELD facts); repeatable")
	fl.StringVar(&opts.logFile, "log", "", "write the case log as JSON to `FILE` (- for stdout)")
	fl.BoolVar(&opts.force, "force", false, "overwrite the --log file if it exists")
	outputFlag(cmd, &opts.output, "text", "json")
	cmd.ValidArgsFunction = completeArgs(f, 1, completePlaybooks)
	completeFlag(cmd, "tier", completeTiers(f, targetArg))
	completeFlag(cmd, "audience", completeAudiences(f, targetArg))
	return cmd
}

// caseLog is what --log writes.
type caseLog struct {
	Casebook  string                `json:"casebook"`
	Playbook  string                `json:"playbook"`
	Version   string                `json:"version"`
	Tier      string                `json:"tier"`
	Audience  string                `json:"audience,omitempty"`
	StartedAt string                `json:"started_at"`
	Events    []playbooks.Event     `json:"events"`
	Facts     []playbooks.FactValue `json:"facts"`
	Result    string                `json:"result"`
}

// answerSource supplies a fact's value when a step needs it.
type answerSource interface {
	answer(f *playbooks.Fact) (string, error)
}

func runRun(opts *runOptions) error {
	s := opts.f.streams
	opts.f.focusOn(opts.id) // only this playbook's files are loaded
	p, err := opts.f.playbook(opts.id)
	if err != nil {
		return err
	}
	tier, err := pickTier(p, opts.tier)
	if err != nil {
		return err
	}
	audience, err := pickAudience(p, opts.audience)
	if err != nil {
		return err
	}
	ticket, err := parseTicket(opts.ticket, opts.userAgent)
	if err != nil {
		return err
	}
	if opts.logFile != "" && !toStdout(opts.logFile) {
		// Before the walk, not after it: a log that cannot be written is
		// said at once.
		if info, err := os.Stat(opts.logFile); err == nil && info.IsDir() {
			return usageErrorf("--log: %s is a directory; give the name of a file to write", filepath.ToSlash(opts.logFile))
		}
		if !opts.force {
			if err := refuseExisting(opts.logFile); err != nil {
				return err
			}
		}
		if err := playbooks.WritableDir(filepath.Dir(opts.logFile)); err != nil {
			return usageErrorf("--log: %v", err)
		}
	}
	var answers answerSource
	switch {
	case opts.answers != "":
		src, err := readInput("answers", opts.answers, opts.f.maxSize)
		if err != nil {
			return err
		}
		m, err := parseAnswers(p, filepath.ToSlash(opts.answers), src)
		if err != nil {
			return err
		}
		answers = m
	case s.canPrompt():
		answers = &promptAnswers{p: opts.f.prompter}
	case s.InTTY:
		// Reading "fact: value" lines from a person at a terminal would look
		// like a hang; prompts need stdout on the terminal too.
		return usageErrorf("stdout is not a terminal, so run cannot prompt: pass --answers FILE, or pipe \"fact: value\" lines to stdin")
	default:
		answers = &stdinAnswers{p: p, in: s.In, limit: opts.f.maxSize}
	}

	w := playbooks.NewWalker(p, tier, audience)
	w.GateFacts() // a tier verifies only what it holds the capabilities for
	for _, f := range p.Facts {
		if field := f.TicketField(); field != "" {
			if v, ok := ticket[field]; ok {
				if err := w.Set(f.Name, v); err != nil {
					return usageErrorf("--ticket %s: %v", field, err)
				}
			}
		}
	}

	// With -o json (or --log -), stdout holds the log alone and the walk
	// goes to stderr.
	if toStdout(opts.logFile) {
		opts.output, opts.logFile = "json", ""
	}
	out := s.Out
	if opts.output == "json" {
		out = s.ErrOut
	}
	log := caseLog{Casebook: "caselog/v1", Playbook: p.ID, Version: p.Version, Tier: string(tier.Name), Audience: audience,
		StartedAt: opts.f.now().UTC().Format(time.RFC3339)}
	fmt.Fprintf(out, "%s %s: %s\n", p.ID, p.Version, p.Title)
	fmt.Fprintf(out, "tier %s", tier.Name)
	if audience != "" {
		fmt.Fprintf(out, ", replies for %s", audience)
	}
	fmt.Fprintln(out)
	if known := w.Known(); len(known) > 0 {
		fmt.Fprintln(out, "\nFrom the ticket:")
		for _, fv := range known {
			fmt.Fprintf(out, "  %s = %s\n", fv.Fact, fv.Value)
		}
	}
	fmt.Fprintln(out)

	err = w.Run(func(ev playbooks.Event) error {
		if ev.Kind == playbooks.EventNeed {
			f := p.Fact(ev.Fact)
			if field := f.TicketField(); field != "" {
				if v, ok := answerFor(answers, f); ok {
					if err := w.Set(f.Name, v); err != nil {
						return usageErrorf("%v", err)
					}
					return nil
				}
				return usageErrorf("step %s needs %s, which comes from the ticket: pass %s", ev.Step, f.Name, ticketFlag(field))
			}
			if ev.Ask {
				fmt.Fprintf(out, "  ask     %-28s tier %s lacks %s for %s: ask the customer\n", ev.Step, tier.Name, strings.Join(p.Lacks(w.Tier(), f), ", "), f.Name)
			}
			v, err := answers.answer(f)
			if err != nil {
				return err
			}
			if err := w.Set(f.Name, v); err != nil {
				return usageErrorf("%v", err)
			}
			return nil
		}
		log.Events = append(log.Events, ev)
		printEvent(out, p, ev)
		switch ev.Kind {
		case playbooks.EventHandoff:
			log.Result = "handoff to " + string(ev.Handoff.To)
		case playbooks.EventOutcome:
			log.Result = ev.Outcome
		}
		return nil
	})
	if err != nil {
		return err
	}
	log.Facts = w.Known()
	data, err := jsonBytes(log)
	if err != nil {
		return err
	}
	if opts.logFile != "" {
		if err := writeFile(opts.logFile, data, opts.force); err != nil {
			return err
		}
		fmt.Fprintf(s.ErrOut, "case log written to %s\n", filepath.ToSlash(opts.logFile))
	}
	if opts.output == "json" {
		_, err = s.Out.Write(data)
	}
	return err
}

// answerFor looks a ticket fact up in an answers file, if that is the source.
func answerFor(a answerSource, f *playbooks.Fact) (string, bool) {
	if m, ok := a.(*answerMap); ok {
		v, ok := m.values[f.Name]
		return v, ok
	}
	return "", false
}

func ticketFlag(field string) string {
	if field == "user_agent" {
		return "--user-agent"
	}
	return "--ticket " + field + "=VALUE"
}

func refuseExisting(name string) error {
	if _, err := os.Lstat(name); err == nil {
		return usageErrorf("--log: %s already exists (use --force to replace it)", filepath.ToSlash(name))
	}
	return nil
}

func parseTicket(pairs []string, userAgent string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range pairs {
		k, v, ok := strings.Cut(pair, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, usageErrorf("--ticket %q: write FIELD=VALUE, e.g. --ticket plan=pro", pair)
		}
		out[k] = strings.TrimSpace(v)
	}
	if userAgent != "" {
		out["user_agent"] = userAgent
	}
	return out, nil
}

// answerMap holds answers read from a file or stdin.
type answerMap struct {
	name   string
	values map[string]string
}

func (m *answerMap) answer(f *playbooks.Fact) (string, error) {
	if v, ok := m.values[f.Name]; ok {
		return v, nil
	}
	return "", usageErrorf("%s: no answer for %s (%s): add a line \"%s: VALUE\"%s", m.name, f.Name, f.Source, f.Name, valuesHint(f))
}

func valuesHint(f *playbooks.Fact) string {
	if len(f.Values) == 0 {
		return ""
	}
	return " with one of " + strings.Join(f.ValueNames(), ", ")
}

// parseAnswers reads "fact: value" lines (playbooks.ParseAnswers). Unknown
// facts and illegal values are errors at their position: the case cannot
// run on them.
func parseAnswers(p *playbooks.Playbook, name string, src []byte) (*answerMap, error) {
	values, fs := playbooks.ParseAnswers(p, name, src)
	if len(fs) > 0 {
		return nil, usageErrorf("%s", fs[0])
	}
	return &answerMap{name: name, values: values}, nil
}

// stdinAnswers reads "fact: value" lines from stdin the first time an
// answer is needed.
type stdinAnswers struct {
	p     *playbooks.Playbook
	in    io.Reader
	limit int64
	m     *answerMap
}

func (a *stdinAnswers) answer(f *playbooks.Fact) (string, error) {
	if a.m == nil {
		src, err := io.ReadAll(io.LimitReader(a.in, a.limit+1))
		if err != nil {
			return "", err
		}
		if int64(len(src)) > a.limit {
			return "", usageErrorf("stdin: more than %d bytes of answers", a.limit)
		}
		if len(bytes.TrimSpace(src)) == 0 {
			return "", usageErrorf("step needs %s, but stdin is not a terminal and gave no answers: pass --answers FILE or pipe \"fact: value\" lines", f.Name)
		}
		m, err := parseAnswers(a.p, "stdin", src)
		if err != nil {
			return "", err
		}
		a.m = m
	}
	return a.m.answer(f)
}

// promptAnswers asks on the terminal.
type promptAnswers struct {
	p prompter
}

func (a *promptAnswers) answer(f *playbooks.Fact) (string, error) {
	q := f.Ask
	if q == "" {
		q = f.Label() + "?"
	}
	var msg string
	switch f.SourceKind() {
	case playbooks.SourceCustomer:
		msg = "Ask the customer: " + q
	case playbooks.SourceAdmin:
		msg = "Look up in admin: " + q
	case playbooks.SourceProbe:
		msg = "Probe: " + q
	case playbooks.SourceDNS:
		msg = "Check DNS: " + q
	default:
		msg = q
	}
	if len(f.Values) > 0 {
		return a.p.Select(msg, f.ValueNames(), "")
	}
	return a.p.Input(msg, "")
}

func printEvent(w io.Writer, p *playbooks.Playbook, ev playbooks.Event) {
	switch ev.Kind {
	case playbooks.EventCheck:
		f := p.Fact(ev.Fact)
		fmt.Fprintf(w, "  check   %-28s %s = %s (%s)\n", ev.Step, ev.Fact, ev.Value, f.Source)
	case playbooks.EventAction:
		fmt.Fprintf(w, "  action  %-28s %s\n", ev.Step, ev.Value)
	case playbooks.EventPass:
		fmt.Fprintf(w, "  pass    %-28s already at %s or above\n", ev.Step, ev.Value)
	case playbooks.EventReply:
		d := ev.Draft
		fmt.Fprintf(w, "\nReply draft (%s", d.Template)
		if d.Audience != "" {
			fmt.Fprintf(w, ", for %s", d.Audience)
		}
		fmt.Fprintln(w, "):")
		printProse(w, "  Summary: ", d.Summary)
		printProse(w, "  Cause:   ", d.Cause)
		printProse(w, "  Fix:     ", d.Fix)
		if fw := d.Forward; fw != nil {
			fmt.Fprintf(w, "  For your %s:\n", fw.Audience)
			printProse(w, "    Cause: ", fw.Cause)
			printProse(w, "    Fix:   ", fw.Fix)
		}
		if len(d.Docs) > 0 {
			fmt.Fprintf(w, "  Docs:    %s\n", strings.Join(d.Docs, ", "))
		}
		fmt.Fprintln(w)
	case playbooks.EventHandoff:
		h := ev.Handoff
		fmt.Fprintf(w, "\nHANDOFF %s → %s at step %s\n", h.From, h.To, h.Step)
		fmt.Fprintf(w, "  Why: %s\n", h.Reason)
		fmt.Fprintln(w, "  Verified facts:")
		if len(h.Facts) == 0 {
			fmt.Fprintln(w, "    (none)")
		}
		for _, fv := range h.Facts {
			fmt.Fprintf(w, "    %-20s %-16s (%s)\n", fv.Fact, fv.Value, fv.Source)
		}
		if len(h.Notes) > 0 {
			fmt.Fprintln(w, "  Notes:")
			for _, n := range h.Notes {
				fmt.Fprintf(w, "    - %s\n", n)
			}
		}
		fmt.Fprintf(w, "  Ask the customer nothing above again; %s carries on from step %s.\n", h.To, h.Step)
	case playbooks.EventOutcome:
		fmt.Fprintf(w, "Outcome: %s (step %s)\n", ev.Outcome, ev.Step)
	}
}
