package main

import (
	"errors"
	"fmt"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/casebook/casebook/playbooks"
)

// prompter asks the user questions on a terminal. Commands use only this
// interface; survey is called only in surveyPrompter, which the factory
// wraps in safePrompter.
type prompter interface {
	Select(message string, options []string, def string) (string, error)
	MultiSelect(message string, options []string, defs []string) ([]string, error)
	Input(message, def string) (string, error)
	Confirm(message string, def bool) (bool, error)
}

// surveyPrompter asks through survey on the streams' terminal files.
type surveyPrompter struct {
	streams *ioStreams
}

func (p *surveyPrompter) opts() survey.AskOpt {
	return survey.WithStdio(p.streams.InFile, p.streams.OutFile, p.streams.ErrOut)
}

func mapInterrupt(err error) error {
	if errors.Is(err, terminal.InterruptErr) {
		return errInterrupted
	}
	return err
}

func (p *surveyPrompter) Select(message string, options []string, def string) (string, error) {
	var answer string
	q := &survey.Select{Message: message, Options: options}
	if def != "" {
		q.Default = def
	}
	err := survey.AskOne(q, &answer, p.opts())
	return answer, mapInterrupt(err)
}

func (p *surveyPrompter) MultiSelect(message string, options []string, defs []string) ([]string, error) {
	var answer []string
	q := &survey.MultiSelect{Message: message, Options: options}
	if len(defs) > 0 {
		q.Default = defs
	}
	err := survey.AskOne(q, &answer, p.opts())
	return answer, mapInterrupt(err)
}

func (p *surveyPrompter) Input(message, def string) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Input{Message: message, Default: def}, &answer, p.opts(), survey.WithValidator(survey.Required))
	return answer, mapInterrupt(err)
}

func (p *surveyPrompter) Confirm(message string, def bool) (bool, error) {
	var answer bool
	err := survey.AskOne(&survey.Confirm{Message: message, Default: def}, &answer, p.opts())
	return answer, mapInterrupt(err)
}

// safePrompter hands another prompter only text that cannot steer the
// terminal: questions, options and defaults come from playbook and scenario
// files (titles, labels, fact questions), and survey writes them to the
// terminal as they are. Control characters are spelt out (\x1b, \n), so an
// escape sequence shows as text and every prompt stays on its line.
// Answers are mapped back to the options as the caller gave them.
type safePrompter struct {
	p prompter
}

// promptText is text as a prompt may show it.
func promptText(s string) string { return playbooks.EscapeControls(s) }

// safeOptions returns the options as shown, each distinct (two options
// that differ only in control characters get a " (2)" after one), and
// the option each shown label stands for.
func safeOptions(options []string) ([]string, map[string]string) {
	shown := make([]string, len(options))
	orig := make(map[string]string, len(options))
	for i, o := range options {
		label := promptText(o)
		for n := 2; ; n++ {
			if _, taken := orig[label]; !taken {
				break
			}
			label = fmt.Sprintf("%s (%d)", promptText(o), n)
		}
		shown[i], orig[label] = label, o
	}
	return shown, orig
}

// shownAs is the label an option is shown as ("" when it is no option).
func shownAs(options, shown []string, o string) string {
	for i, opt := range options {
		if opt == o {
			return shown[i]
		}
	}
	return ""
}

func (s safePrompter) Select(message string, options []string, def string) (string, error) {
	shown, orig := safeOptions(options)
	if def != "" {
		def = shownAs(options, shown, def)
	}
	answer, err := s.p.Select(promptText(message), shown, def)
	if err != nil {
		return "", err
	}
	if o, ok := orig[answer]; ok {
		return o, nil
	}
	return "", fmt.Errorf("the prompt answered %q, which is not one of its options", answer)
}

func (s safePrompter) MultiSelect(message string, options []string, defs []string) ([]string, error) {
	shown, orig := safeOptions(options)
	var safeDefs []string
	for _, d := range defs {
		if l := shownAs(options, shown, d); l != "" {
			safeDefs = append(safeDefs, l)
		}
	}
	answers, err := s.p.MultiSelect(promptText(message), shown, safeDefs)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(answers))
	for _, a := range answers {
		o, ok := orig[a]
		if !ok {
			return nil, fmt.Errorf("the prompt answered %q, which is not one of its options", a)
		}
		out = append(out, o)
	}
	return out, nil
}

func (s safePrompter) Input(message, def string) (string, error) {
	shownDef := promptText(def)
	answer, err := s.p.Input(promptText(message), shownDef)
	if err == nil && def != shownDef && answer == shownDef {
		answer = def // the default, taken as it was offered
	}
	return answer, err
}

func (s safePrompter) Confirm(message string, def bool) (bool, error) {
	return s.p.Confirm(promptText(message), def)
}
