package main

import (
	"slices"
	"testing"
)

// recordingPrompter remembers every text it is handed and answers with
// the option at pick (or, for Input, with answer).
type recordingPrompter struct {
	texts  []string
	pick   []int
	answer string
	inputs func(def string) string
}

func (p *recordingPrompter) saw(ss ...string) { p.texts = append(p.texts, ss...) }

func (p *recordingPrompter) Select(message string, options []string, def string) (string, error) {
	p.saw(message, def)
	p.saw(options...)
	return options[p.pick[0]], nil
}

func (p *recordingPrompter) MultiSelect(message string, options []string, defs []string) ([]string, error) {
	p.saw(message)
	p.saw(options...)
	p.saw(defs...)
	var out []string
	for _, i := range p.pick {
		out = append(out, options[i])
	}
	return out, nil
}

func (p *recordingPrompter) Input(message, def string) (string, error) {
	p.saw(message, def)
	return p.inputs(def), nil
}

func (p *recordingPrompter) Confirm(message string, def bool) (bool, error) {
	p.saw(message)
	return true, nil
}

// hostile is text a playbook or scenario might hold: a screen clear, a
// title change, an OSC 52 clipboard write, a C1 CSI, a forged line.
var hostile = []string{
	"Ask about \x1b[2J\x1b[Hthe plan",
	"Ask about the plan",
	"\x1b]0;owned\x07Retitle",
	"Copy \x1b]52;c;cm0gLXJmIH4=\x07this",
	"C1 \u009b31mred",
	"two\nlines\r",
	"Ask about \x1b[2J\x1b[Hthe plan\x7f",
}

func checkShown(t *testing.T, texts []string) {
	t.Helper()
	for _, s := range texts {
		for _, r := range s {
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
				t.Errorf("the prompter was handed %q, which holds the control character %U", s, r)
				break
			}
		}
	}
}

func TestThePromptsOfEveryCommandAreSafe(t *testing.T) {
	streams, _, _ := terminalStreams()
	p, ok := newFactory(streams).prompter.(safePrompter)
	if !ok {
		t.Fatalf("the factory's prompter is %T, not a safePrompter", newFactory(streams).prompter)
	}
	if _, ok := p.p.(*surveyPrompter); !ok {
		t.Errorf("the safePrompter wraps %T, not the survey adapter", p.p)
	}
}

func TestSafePrompterShowsNoControlCharacters(t *testing.T) {
	t.Run("choosing a shown label selects the option it stands for", func(t *testing.T) {
		for i := range hostile {
			rec := &recordingPrompter{pick: []int{i}}
			got, err := safePrompter{rec}.Select("\x1b]0;x\x07Your move:", hostile, hostile[6])
			if err != nil {
				t.Fatal(err)
			}
			if got != hostile[i] {
				t.Errorf("picking option %d gave %q, want %q", i, got, hostile[i])
			}
			checkShown(t, rec.texts)
		}
	})
	t.Run("options that differ only in control characters stay apart", func(t *testing.T) {
		shown, _ := safeOptions([]string{"a\x1bb", `a\x1bb`, "a\x1bb (2)"})
		if len(slices.Compact(slices.Sorted(slices.Values(shown)))) != 3 {
			t.Errorf("shown %q: two options look the same", shown)
		}
	})
	t.Run("a multi-select maps each answer back", func(t *testing.T) {
		rec := &recordingPrompter{pick: []int{0, 3, 6}}
		got, err := safePrompter{rec}.MultiSelect("Carry \x1b[31mwhich?", hostile, hostile[2:4])
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{hostile[0], hostile[3], hostile[6]}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
		checkShown(t, rec.texts)
	})
	t.Run("an input's default comes back as offered, typed text as typed", func(t *testing.T) {
		rec := &recordingPrompter{inputs: func(def string) string { return def }}
		got, _ := safePrompter{rec}.Input("Title of \x1b[2Jthe step?", "Def\x1b[1m")
		if got != "Def\x1b[1m" {
			t.Errorf("taking the default gave %q", got)
		}
		rec.inputs = func(string) string { return "typed" }
		if got, _ := (safePrompter{rec}).Input("Q\u009d?", "d\x07"); got != "typed" {
			t.Errorf("typing gave %q", got)
		}
		safePrompter{rec}.Confirm("Sure\x1b]52;c;eA==\x07?", false)
		checkShown(t, rec.texts)
	})
}
