package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// ioStreams is where every command reads and writes. Tests use buffers and
// set the TTY flags themselves.
type ioStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	InTTY  bool
	OutTTY bool

	// The files behind In and Out when they are terminals (for prompts).
	InFile  *os.File
	OutFile *os.File
}

func systemStreams() *ioStreams {
	s := &ioStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		InFile: os.Stdin, OutFile: os.Stdout,
	}
	if s.OutTTY {
		s.Out = &termSafe{w: os.Stdout}
	}
	if term.IsTerminal(int(os.Stderr.Fd())) {
		s.ErrOut = &termSafe{w: os.Stderr}
	}
	return s
}

// canPrompt reports whether prompts may be shown: only when both stdin and
// stdout are terminals.
func (s *ioStreams) canPrompt() bool {
	return s.InTTY && s.OutTTY && s.InFile != nil && s.OutFile != nil
}

// termSize is the size of the terminal stdout is on, in columns and rows;
// 0, 0 when it is not known.
func (s *ioStreams) termSize() (cols, rows int) {
	if !s.OutTTY || s.OutFile == nil {
		return 0, 0
	}
	cols, rows, err := term.GetSize(int(s.OutFile.Fd()))
	if err != nil || cols < 0 || rows < 0 {
		return 0, 0
	}
	return cols, rows
}

// termSafe writes to a terminal with control characters removed: text from
// playbook and scenario files (titles, customer messages, trainee names)
// cannot move the cursor, recolour or retitle the terminal. Newlines and
// tabs pass.
type termSafe struct {
	w       io.Writer
	pending []byte // a UTF-8 lead byte cut off at the end of the last write
	color   bool   // paint's styles are shown (colour.go)
}

func (t *termSafe) Write(p []byte) (int, error) {
	buf := make([]byte, 0, len(t.pending)+len(p))
	data := append(t.pending, p...)
	t.pending = nil
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n' || c == '\t':
			buf = append(buf, c)
		case c < 0x20 || c == 0x7f:
			// C0 controls and DEL, ESC among them: dropped.
		case c == 0xc2 && i+1 == len(data):
			t.pending = []byte{c}
		case c == 0xc2 && data[i+1] >= 0x80 && data[i+1] <= 0x9f:
			i++ // a C1 control (U+0080–U+009F): dropped
		default:
			buf = append(buf, c)
		}
	}
	if _, err := t.w.Write(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}
