package main

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/casebook/casebook/playbooks"
)

// prompter asks the user questions on a terminal. Commands use only this
// interface; survey is called only in surveyPrompter, which the factory
// wraps in safePrompter.
type prompter interface {
	Select(message string, options []string, def string) (string, error)
	// Menu asks for one of a long list of options and returns its index.
	// The list fills the terminal's height; typing filters it (see
	// menuMatches) and Enter picks the highlighted option.
	Menu(message string, options []menuOption) (int, error)
	MultiSelect(message string, options []string, defs []string) ([]string, error)
	Input(message, def string) (string, error)
	Confirm(message string, def bool) (bool, error)
	// Password asks for a secret without echoing it.
	Password(message string) (string, error)
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
	useSelectHelp()
	var answer string
	q := &survey.Select{Message: message, Options: options}
	if def != "" {
		q.Default = def
	}
	err := survey.AskOne(q, &answer, p.opts())
	return answer, mapInterrupt(err)
}

// A menuOption is one entry of a Menu: the label shown, and a key (a move
// id) that typing matches as well as the label.
type menuOption struct {
	Label string
	Key   string
}

// menuMatches reports whether a menu option stays on screen when filter
// has been typed: each word of the filter, case aside, must be part of the
// option's label or of its key. "admin ssl" keeps "Look up in admin: SSL
// click tracking"; "lookup:ssl" keeps the option whose key is
// lookup:ssl_tracking.
func menuMatches(filter string, o menuOption) bool {
	label, key := strings.ToLower(o.Label), strings.ToLower(o.Key)
	for _, w := range strings.Fields(strings.ToLower(filter)) {
		if !strings.Contains(label, w) && !strings.Contains(key, w) {
			return false
		}
	}
	return true
}

// Rows a Menu leaves free on the terminal: the status line printed above
// it, its question, and the line the cursor rests on below the options.
// Without a known size a menu shows defaultMenuPage options at a time.
const (
	menuReservedRows = 4
	defaultMenuPage  = 10
	minMenuPage      = 3
)

// menuPageSize is how many options a Menu shows at a time on a terminal
// with rows rows (0 when the size is unknown).
func menuPageSize(rows int) int {
	if rows <= 0 {
		return defaultMenuPage
	}
	return max(rows-menuReservedRows, minMenuPage)
}

// selectHelp is survey's help line for a Select, reworded once.
var selectHelp sync.Once

const (
	surveySelectHelp = "[Use arrows to move, type to filter"
	ourSelectHelp    = "[type to filter, ↑↓ to move, Enter to pick"
)

func useSelectHelp() {
	selectHelp.Do(func() {
		survey.SelectQuestionTemplate = strings.Replace(survey.SelectQuestionTemplate, surveySelectHelp, ourSelectHelp, 1)
	})
}

func (p *surveyPrompter) Menu(message string, options []menuOption) (index int, err error) {
	useSelectHelp()
	// Ctrl-D ends a survey Select with its highlighted option, and with
	// none when the filter keeps nothing: survey v2.3.7 then indexes an
	// empty list. Taken as the end of input, like Ctrl-C.
	defer func() {
		if r := recover(); r != nil {
			if re, ok := r.(runtime.Error); !ok || !strings.Contains(re.Error(), "index out of range") {
				panic(r)
			}
			index, err = 0, errInterrupted
		}
	}()
	labels := make([]string, len(options))
	for i, o := range options {
		labels[i] = o.Label
	}
	_, rows := p.streams.termSize()
	q := &survey.Select{
		Message:  message,
		Options:  labels,
		PageSize: menuPageSize(rows),
		Filter:   func(filter, _ string, i int) bool { return menuMatches(filter, options[i]) },
	}
	err = survey.AskOne(q, &index, p.opts())
	return index, mapInterrupt(err)
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

func (p *surveyPrompter) Password(message string) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Password{Message: message}, &answer, p.opts(), survey.WithValidator(survey.Required))
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

func (s safePrompter) Menu(message string, options []menuOption) (int, error) {
	shown := make([]menuOption, len(options))
	for i, o := range options {
		shown[i] = menuOption{Label: promptText(o.Label), Key: promptText(o.Key)}
	}
	i, err := s.p.Menu(promptText(message), shown)
	if err != nil {
		return 0, err
	}
	if i < 0 || i >= len(options) {
		return 0, fmt.Errorf("the prompt answered option %d of %d", i+1, len(options))
	}
	return i, nil
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

func (s safePrompter) Password(message string) (string, error) {
	return s.p.Password(promptText(message))
}
