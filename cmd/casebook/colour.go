package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scoring"
)

// A style is how paint shows text on a terminal that takes colour.
type style int

const (
	styleNone style = iota
	styleRed
	styleYellow
	styleGreen
	styleDim
)

// sgr is the style's ANSI Select Graphic Rendition sequence; reset ends it.
func (s style) sgr() string {
	switch s {
	case styleRed:
		return "\x1b[31m"
	case styleYellow:
		return "\x1b[33m"
	case styleGreen:
		return "\x1b[32m"
	case styleDim:
		return "\x1b[2m"
	}
	return ""
}

const sgrReset = "\x1b[0m"

// colorMode is --color: auto (colour on a terminal that takes it), always
// or never.
type colorMode string

const (
	colorAuto   colorMode = "auto"
	colorAlways colorMode = "always"
	colorNever  colorMode = "never"
)

var colorModes = []string{string(colorAuto), string(colorAlways), string(colorNever)}

func (m *colorMode) String() string { return string(*m) }
func (m *colorMode) Type() string   { return "WHEN" }
func (m *colorMode) Set(v string) error {
	switch colorMode(v) {
	case colorAuto, colorAlways, colorNever:
		*m = colorMode(v)
		return nil
	}
	return fmt.Errorf("%q is not one of %s", v, strings.Join(colorModes, ", "))
}

// wantColor decides whether stdout gets colour: always and never say so;
// auto gives colour only on a terminal, and never with NO_COLOR set (to
// any value, https://no-color.org) or TERM=dumb.
func wantColor(mode colorMode, terminal bool, getenv func(string) string) bool {
	switch mode {
	case colorAlways:
		return true
	case colorNever:
		return false
	}
	if !terminal {
		return false
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return true
}

// applyColor turns colour on for stdout when --color and the environment
// say so; it runs once the flags are parsed.
func (f *factory) applyColor() {
	s := f.streams
	if wantColor(f.color, s.OutTTY && terminalFile(s.Out) != nil, f.getenv) {
		s.enableColor()
	}
}

// enableColor makes stdout show the styles paint asks for. A terminal's
// termSafe still drops every control character of the text; only
// casebook's own style sequences reach the terminal.
func (s *ioStreams) enableColor() {
	switch out := s.Out.(type) {
	case *termSafe:
		out.color = true
	default:
		if s.OutTTY {
			s.Out = &termSafe{w: out, color: true}
		} else {
			s.Out = &ansiWriter{out}
		}
	}
}

// A painter is an output that may show styles.
type painter interface {
	colors() bool
	paint(st style, text string)
}

// colors reports whether w shows the styles paint asks for.
func colors(w io.Writer) bool {
	p, ok := w.(painter)
	return ok && p.colors()
}

// paint writes text to w, in st when w shows colour; otherwise as it is.
// Like fmt.Fprint's, its write errors show when the output is flushed or
// closed, not here.
func paint(w io.Writer, st style, text string) {
	if p, ok := w.(painter); ok && p.colors() && st != styleNone {
		p.paint(st, text)
		return
	}
	_, _ = io.WriteString(w, text)
}

func (t *termSafe) colors() bool { return t.color }

// paint writes the style's sequence past the filter, the text through it.
func (t *termSafe) paint(st style, text string) {
	_, _ = io.WriteString(t.w, st.sgr())
	_, _ = io.WriteString(t, text)
	_, _ = io.WriteString(t.w, sgrReset)
}

// ansiWriter is stdout off a terminal with --color=always: text passes as
// it is, with the style sequences around it.
type ansiWriter struct{ w io.Writer }

func (a *ansiWriter) Write(p []byte) (int, error) { return a.w.Write(p) }
func (a *ansiWriter) colors() bool                { return true }
func (a *ansiWriter) paint(st style, text string) {
	_, _ = io.WriteString(a.w, st.sgr()+text+sgrReset)
}

// scoreStyle is a score's band: 80 and over green, 50 to 79 yellow, under
// 50 red.
func scoreStyle(score int) style {
	switch {
	case score >= 80:
		return styleGreen
	case score >= 50:
		return styleYellow
	}
	return styleRed
}

// bufferOut buffers writes to w; a terminal's filter and colour stay on
// top of the buffer, so styles and text keep their order. flush writes
// what is buffered.
func bufferOut(w io.Writer) (out io.Writer, flush func() error) {
	switch t := w.(type) {
	case *termSafe:
		b := bufio.NewWriter(t.w)
		return &termSafe{w: b, color: t.color}, b.Flush
	case *ansiWriter:
		b := bufio.NewWriter(t.w)
		return &ansiWriter{b}, b.Flush
	}
	b := bufio.NewWriter(w)
	return b, b.Flush
}

// writeFinding writes one finding as a Finding.Text() line; with colour,
// an error's message is red, a warning's yellow and the rule id dim.
func writeFinding(w io.Writer, f playbooks.Finding) {
	text := f.Text()
	if !colors(w) {
		fmt.Fprintln(w, text)
		return
	}
	pos := fmt.Sprintf("%s:%d:%d: ", playbooks.EscapeControls(f.File), f.Line, f.Col)
	rule := " [" + playbooks.EscapeControls(string(f.Rule)) + "]"
	msg, ok := strings.CutPrefix(text, pos)
	msg, ok2 := strings.CutSuffix(msg, rule)
	if !ok || !ok2 {
		fmt.Fprintln(w, text)
		return
	}
	st := styleRed
	if f.Severity == playbooks.SeverityWarning {
		st = styleYellow
	}
	paint(w, styleNone, pos)
	paint(w, st, msg)
	paint(w, styleDim, rule)
	fmt.Fprintln(w)
}

// partStyle is the band of a part's score out of its max.
func partStyle(score, max int) style {
	if max <= 0 {
		return styleNone
	}
	return scoreStyle(score * 100 / max)
}

// printScore prints a scorecard's total line, the score in its band.
func printScore(w io.Writer, total int) {
	fmt.Fprint(w, "\nScore ")
	paint(w, scoreStyle(total), fmt.Sprintf("%d/100", total))
	fmt.Fprintln(w)
}

// printScoreFinding prints a scorecard finding indented, its rule and
// points dim.
func printScoreFinding(w io.Writer, f scoring.Finding) {
	text := f.String()
	rule := fmt.Sprintf(" [%s -%d]", f.Rule, f.Points)
	msg, ok := strings.CutSuffix(text, rule)
	if !colors(w) || !ok {
		fmt.Fprintf(w, "  %s\n", text)
		return
	}
	fmt.Fprint(w, "  ", msg)
	paint(w, styleDim, rule)
	fmt.Fprintln(w)
}
