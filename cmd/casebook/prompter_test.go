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

func (p *recordingPrompter) Menu(message string, options []menuOption) (int, error) {
	p.saw(message)
	for _, o := range options {
		p.saw(o.Label, o.Key)
	}
	return p.pick[0], nil
}

// menuBySelect answers a Menu as sel answers a Select of its labels.
func menuBySelect(sel func(string, []string, string) (string, error), message string, options []menuOption) (int, error) {
	labels := make([]string, len(options))
	for i, o := range options {
		labels[i] = o.Label
	}
	a, err := sel(message, labels, "")
	if err != nil {
		return 0, err
	}
	return slices.Index(labels, a), nil
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
	t.Run("a menu shows no control characters in labels or keys", func(t *testing.T) {
		opts := make([]menuOption, len(hostile))
		for i, h := range hostile {
			opts[i] = menuOption{Label: h, Key: "trap:" + h}
		}
		rec := &recordingPrompter{pick: []int{3}}
		if got, err := (safePrompter{rec}).Menu("\x1b]0;x\x07Your move:", opts); err != nil || got != 3 {
			t.Errorf("picking option 3 gave %d, %v", got, err)
		}
		checkShown(t, rec.texts)
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

func TestMenuFilterMatchesLabelWordsAndKey(t *testing.T) {
	ssl := menuOption{"Look up in admin: SSL click tracking", "lookup:ssl_tracking"}
	click := menuOption{"Look up in admin: Click tracking", "lookup:click_tracking"}
	tests := []struct {
		name   string
		filter string
		want   []menuOption
	}{
		{"no filter keeps every option", "", []menuOption{ssl, click}},
		{"a word of the label keeps the options holding it", "click", []menuOption{ssl, click}},
		{"case does not matter", "SSL", []menuOption{ssl}},
		{"every word must match, in any order", "tracking ssl", []menuOption{ssl}},
		{"a word may match the move id", "lookup:click", []menuOption{click}},
		{"words may mix label and id", "admin click_tracking", []menuOption{click}},
		{"a word matching nothing keeps nothing", "dns", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []menuOption
			for _, o := range []menuOption{ssl, click} {
				if menuMatches(tt.filter, o) {
					got = append(got, o)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("filter %q keeps %v, want %v", tt.filter, got, tt.want)
			}
		})
	}
}

func TestMenuPageSizeFitsTheTerminal(t *testing.T) {
	for _, tt := range []struct{ rows, want int }{{0, defaultMenuPage}, {24, 20}, {100, 96}, {5, minMenuPage}} {
		if got := menuPageSize(tt.rows); got != tt.want {
			t.Errorf("on %d rows a menu shows %d options, want %d", tt.rows, got, tt.want)
		}
	}
}

func (p *recordingPrompter) Password(message string) (string, error) { return "", nil }
