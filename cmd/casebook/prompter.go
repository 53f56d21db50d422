package main

import (
	"errors"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// prompter asks the user questions on a terminal. Commands use only this
// interface; survey is called only in surveyPrompter.
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
