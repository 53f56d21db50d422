package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-runewidth"
	"golang.org/x/term"
)

// terminalFile is the terminal under w (through the termSafe filter), or
// nil when w does not write to one: a pipe, a file, a test's buffer.
func terminalFile(w io.Writer) *os.File {
	if t, ok := w.(*termSafe); ok {
		w = t.w
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}

// termWidth is the width in columns of the terminal w writes to; 0 when
// w is not a terminal or its size is unknown, which leaves text as it is.
func termWidth(w io.Writer) int {
	f := terminalFile(w)
	if f == nil {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil || cols <= 0 {
		return 0
	}
	return cols
}

// truncate shortens s to width columns, ending it with an ellipsis when
// it is cut.
func truncate(s string, width int) string {
	if runewidth.StringWidth(s) <= width {
		return s
	}
	if width <= 0 {
		return ""
	}
	return runewidth.Truncate(s, width, "…")
}

// wrapWords breaks text at spaces into lines of at most width columns;
// the first line has first columns fewer (what precedes it), every other
// line starts with indent. A word longer than a line stays whole on a line
// of its own. Runs of white space become one space.
func wrapWords(text string, width, first int, indent string) []string {
	words := strings.Fields(text)
	if width <= 0 {
		return []string{strings.Join(words, " ")}
	}
	var lines []string
	var line strings.Builder
	used := first
	for _, word := range words {
		ww := runewidth.StringWidth(word)
		switch {
		case line.Len() == 0 && len(lines) == 0 && used == first:
			// the first word of the first line
		case used+1+ww <= width:
			line.WriteByte(' ')
			used++
		default:
			lines = append(lines, line.String())
			line.Reset()
			line.WriteString(indent)
			used = runewidth.StringWidth(indent)
		}
		line.WriteString(word)
		used += ww
	}
	return append(lines, line.String())
}

// printProse writes prefix and text and a newline, as
// fmt.Fprintf(w, "%s%s\n", prefix, text) does off a terminal. On a
// terminal text wraps at spaces to its width, the lines after the first
// lined up under the text's start (or indented two spaces past the
// prefix's own indent when the prefix takes more than a third of the
// width). Customer messages and reply drafts use it.
func printProse(w io.Writer, prefix, text string) {
	width := termWidth(w)
	if width == 0 {
		fmt.Fprint(w, prefix, text, "\n")
		return
	}
	head := prefix[strings.LastIndexByte(prefix, '\n')+1:]
	first := runewidth.StringWidth(head)
	indent := strings.Repeat(" ", first)
	if first > width/3 {
		indent = head[:len(head)-len(strings.TrimLeft(head, " "))] + "  "
	}
	var lines []string
	for i, para := range strings.Split(text, "\n") {
		if i == 0 {
			lines = append(lines, wrapWords(para, width, first, indent)...)
			continue
		}
		// A line break of the text's own starts an indented line.
		more := wrapWords(para, width, len(indent), indent)
		more[0] = indent + more[0]
		lines = append(lines, more...)
	}
	fmt.Fprint(w, prefix, strings.Join(lines, "\n"), "\n")
}
