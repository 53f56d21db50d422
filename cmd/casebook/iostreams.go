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
	return &ioStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		InFile: os.Stdin, OutFile: os.Stdout,
	}
}

// canPrompt reports whether prompts may be shown: only when both stdin and
// stdout are terminals.
func (s *ioStreams) canPrompt() bool {
	return s.InTTY && s.OutTTY && s.InFile != nil && s.OutFile != nil
}
