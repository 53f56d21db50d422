package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// fakePrompter answers prompts from a script keyed by a substring of the
// question, and fails the test on a question it has no answer for or an
// answer that is not among the options.
type fakePrompter struct {
	t       *testing.T
	answers map[string]string
	asked   []string
}

func (p *fakePrompter) answer(message string) string {
	p.t.Helper()
	p.asked = append(p.asked, message)
	for key, a := range p.answers {
		if strings.Contains(message, key) {
			return a
		}
	}
	p.t.Fatalf("unexpected prompt %q", message)
	return ""
}

func (p *fakePrompter) Select(message string, options []string, def string) (string, error) {
	a := p.answer(message)
	for _, o := range options {
		if o == a {
			return a, nil
		}
	}
	return "", fmt.Errorf("fake prompter: %q is not among %v", a, options)
}

func (p *fakePrompter) Menu(message string, options []menuOption) (int, error) {
	return menuBySelect(p.Select, message, options)
}

func (p *fakePrompter) MultiSelect(message string, options []string, defs []string) ([]string, error) {
	return strings.Split(p.answer(message), ","), nil
}

func (p *fakePrompter) Input(message, def string) (string, error) { return p.answer(message), nil }

func (p *fakePrompter) Confirm(message string, def bool) (bool, error) {
	return p.answer(message) == "yes", nil
}

func terminalStreams() (*ioStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, InTTY: true, OutTTY: true,
		InFile: os.Stdin, OutFile: os.Stdout}, &out, &errOut
}

func TestRunAsksOnlyWhatThePathNeeds(t *testing.T) {
	streams, out, _ := terminalStreams()
	f := newFactory(streams)
	fake := &fakePrompter{t: t, answers: map[string]string{
		"SSL click tracking already on": "off",
		"Is click tracking on":          "off",
	}}
	f.prompter = fake
	if err := runRun(&runOptions{f: f, id: "https-link-branding"}); err != nil {
		t.Fatal(err)
	}
	if len(fake.asked) != 2 {
		t.Errorf("asked %d questions, want 2: %q", len(fake.asked), fake.asked)
	}
	if !strings.HasPrefix(fake.asked[0], "Look up in admin: ") {
		t.Errorf("an admin fact is put as a look-up, got %q", fake.asked[0])
	}
	if !strings.Contains(out.String(), "Reply draft (tracking-off):") {
		t.Errorf("no reply draft in:\n%s", out)
	}
}

func TestRunRefusesToReadATerminalWhenItCannotPrompt(t *testing.T) {
	streams, _, _ := terminalStreams()
	streams.OutTTY = false
	err := runRun(&runOptions{f: newFactory(streams), id: "https-link-branding"})
	if exitCode(err) != exitCannotRun || !strings.Contains(err.Error(), "--answers") {
		t.Errorf("got %v (exit %d), want a usage error naming --answers", err, exitCode(err))
	}
}

func TestPanicsBecomeOneLineAndExit3(t *testing.T) {
	var out, errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code := runWith([]string{"list"}, streams, func(f *factory) { f.getenv = func(string) string { panic("boom") } })
	if code != exitBug {
		t.Errorf("exit %d, want %d", code, exitBug)
	}
	if got := errOut.String(); !strings.HasPrefix(got, "casebook: internal error: boom (a bug") || strings.Count(got, "\n") != 1 {
		t.Errorf("stderr %q: want one line naming the bug and no stack trace", got)
	}
}

func (p *fakePrompter) Password(message string) (string, error) { return "", nil }
