package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/spf13/cobra"
)

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
(free-text facts "TODO"), and a --truth the playbook never checks on that
truth is refused: the case could never happen as written. The file goes to
--dir, else the library's scenarios/ directory, else the current directory.
--playbook is always required.

` + exitCodesHelp,
		Example: `  casebook new scenario --playbook https-link-branding --library ./library
  casebook new scenario https-expired-cert --playbook https-link-branding --channel email \
    --opening "Our tracking links show a certificate warning." \
    --truth ssl_tracking=off --truth click_tracking=on --truth certificate=expired --stated click_tracking --library ./library`,
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
	cmd.ValidArgsFunction = cobra.NoFileCompletions // a new id
	completeFlag(cmd, "playbook", completeFlagIDs(f, completePlaybooks))
	completeFlag(cmd, "channel", completeValues(scenarios.ChannelChat, scenarios.ChannelEmail))
	completeFlag(cmd, "tone", completeValues(scenarios.Tones...))
	completeFlag(cmd, "persona-role", completeAudiences(f, targetFlag("playbook")))
	completeFlag(cmd, "dir", completeDirs)
	return cmd
}

func runNewScenario(opts *newScenarioOptions) error {
	f := opts.f
	a := &asker{f: f}
	p, err := f.playbook(opts.playbook)
	if err != nil {
		return err
	}
	prompt := f.streams.canPrompt()
	if opts.id == "" && !prompt {
		opts.id = p.ID + "-case"
	}
	if err := a.text(&opts.id, "ID", "Scenario id:", p.ID+"-case", true); err != nil {
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
			return usageErrorf("--truth %q: write FACT=VALUE with a fact of %s (%s)%s", t, p.ID, strings.Join(factNames(p), ", "), playbooks.DidYouMean(strings.TrimSpace(name), factNames(p)))
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
			if _, ok := truth[fact.Name]; ok || fact.IsRule() {
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
	if !prompt {
		// A --truth the walk never reads is a case that can never happen as
		// written: most often a value meant for another branch.
		if err := unreachedTruth(p, truth, opts.truth); err != nil {
			return err
		}
	}
	if err := writeNew(f, path, []byte(src), opts.force); err != nil {
		return err
	}
	// A scenario lints only beside its playbook: lint the library.
	lint := []string{"lint", filepath.ToSlash(path)}
	if root := f.libraryRoot(); root != "" {
		lint = []string{"lint", root}
		if rel, err := filepath.Rel(root, path); err != nil || strings.HasPrefix(rel, "..") {
			lint = append(lint, filepath.ToSlash(path))
		}
	}
	if show, ok := f.suggestFor(path, false, "show", opts.id); ok {
		fmt.Fprintf(f.streams.ErrOut, "Next: add traps, then %s and %s\n", playbooks.CommandLine(lint...), show)
	} else {
		fmt.Fprintf(f.streams.ErrOut, "Next: add traps, then %s; to train on it, move it into the library of its playbook\n", playbooks.CommandLine(lint...))
	}
	return nil
}

// unreachedTruth refuses a --truth FACT=VALUE whose fact the playbook's walk
// on this truth never checks, at any tier (handing over where a tier stops).
func unreachedTruth(p *playbooks.Playbook, truth map[string]string, given []string) error {
	if len(p.Tiers) == 0 {
		return nil
	}
	w := playbooks.NewWalker(p, p.Tiers[0], "")
	for _, fact := range p.Facts {
		if v, ok := truth[fact.Name]; ok && fact.TicketField() != "" {
			_ = w.Set(fact.Name, v)
		}
	}
	reached := map[string]bool{}
	end := ""
	var defaulted []string
	err := w.Run(func(ev playbooks.Event) error {
		switch ev.Kind {
		case playbooks.EventNeed:
			v, ok := truth[ev.Fact]
			if fact := p.Fact(ev.Fact); !ok && fact != nil && len(fact.Values) > 0 {
				v, ok = fact.Values[0].Value, true // the file's default, as written
				defaulted = append(defaulted, ev.Fact+"="+v)
			}
			if !ok {
				return playbooks.ErrStopWalk
			}
			reached[ev.Fact] = true
			return w.Set(ev.Fact, v)
		case playbooks.EventCheck:
			reached[ev.Fact] = true
		case playbooks.EventHandoff:
			w.TakeOver(p.Tier(ev.Handoff.To))
		case playbooks.EventOutcome:
			end = fmt.Sprintf("step %s (outcome %s)", ev.Step, ev.Outcome)
		}
		return nil
	})
	if err != nil || end == "" {
		return nil // lint has said what is wrong with the walk, if anything
	}
	for _, t := range given {
		name, value, _ := strings.Cut(t, "=")
		name = strings.TrimSpace(name)
		if !reached[name] {
			why := ""
			if len(defaulted) > 0 {
				why = fmt.Sprintf(" (it took %s: no --truth gave it, so the first value)", strings.Join(defaulted, ", "))
			}
			return usageErrorf("--truth %s=%s is never reached: on this truth the playbook ends at %s without checking %s%s; drop it, or give the value that leads to it", name, strings.TrimSpace(value), end, name, why)
		}
	}
	return nil
}
