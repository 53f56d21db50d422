package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/mattn/go-runewidth"
)

// tablePrinter prints rows: an aligned table on a terminal, tab-separated
// lines otherwise (easy for cut and awk).
// StyledRow is Row with a style for each cell (a score in its band's
// colour), shown only on a terminal that shows colour.
type tablePrinter interface {
	Header(cols ...string)
	Row(cells ...string)
	StyledRow(styles []style, cells ...string)
	Render() error
}

func newTablePrinter(w io.Writer, tty bool) tablePrinter {
	if tty {
		return &termTable{w: w, width: termWidth(w)}
	}
	return &tsvTable{w: w}
}

// termTable lines columns up under upper-case headers, one space either
// side of each cell. When the terminal's width is known and the table is
// wider, the widest columns are cut to fit, each cut cell ending in "…".
type termTable struct {
	w      io.Writer
	width  int // the terminal's columns; 0 for no limit
	header []string
	rows   [][]string
	styles [][]style
}

func (t *termTable) Header(cols ...string) { t.header = cols }
func (t *termTable) Row(cells ...string)   { t.StyledRow(nil, cells...) }

func (t *termTable) StyledRow(styles []style, cells ...string) {
	t.rows = append(t.rows, cells)
	t.styles = append(t.styles, styles)
}

// cellPad is the space around each cell: one column either side.
const cellPad = 2

func (t *termTable) Render() error {
	n := len(t.header)
	for _, r := range t.rows {
		n = max(n, len(r))
	}
	if n == 0 {
		return nil
	}
	header := make([]string, n)
	for i, h := range t.header {
		header[i] = strings.ToUpper(h)
	}
	widths := make([]int, n)
	for _, r := range append([][]string{header}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(cellLine.Replace(c)))
		}
	}
	if t.width > 0 {
		headers := make([]int, n)
		for i, h := range header {
			headers[i] = runewidth.StringWidth(h)
		}
		widths = fitWidths(widths, headers, t.width-n*cellPad)
	}
	var b strings.Builder
	var err error
	flush := func() {
		if _, werr := fmt.Fprint(t.w, b.String()); err == nil {
			err = werr
		}
		b.Reset()
	}
	line := func(cells []string, styles []style) {
		b.Reset()
		for i := range n {
			c := ""
			if i < len(cells) {
				c = truncate(cellLine.Replace(cells[i]), widths[i])
			}
			st := styleNone
			if i < len(styles) {
				st = styles[i]
			}
			b.WriteByte(' ')
			if st != styleNone && colors(t.w) {
				flush()
				paint(t.w, st, c)
			} else {
				b.WriteString(c)
			}
			if i < n-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(c)+1))
			}
		}
		trimmed := strings.TrimRight(b.String(), " ")
		b.Reset()
		b.WriteString(trimmed)
		b.WriteByte('\n')
		flush()
	}
	line(header, nil)
	for i, r := range t.rows {
		line(r, t.styles[i])
	}
	return err
}

// cellLine keeps a cell on its row: tabs and line breaks become spaces.
var cellLine = strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ")

// fitWidths narrows the widest columns, one column at a time, until the
// widths add up to at most room. The first column (an id, which people
// copy) stays whole and the others keep their headers whole while another
// column can give way; past that no column goes below minColumn (or its
// own width, if narrower). A table that cannot fit keeps the minimums.
func fitWidths(widths, headers []int, room int) []int {
	out := slices.Clone(widths)
	floors := make([]int, len(out))
	for i, w := range out {
		floors[i] = min(w, max(minColumn, headers[i]))
	}
	if len(floors) > 1 {
		floors[0] = out[0]
	}
	out = narrow(out, floors, room)
	for i, w := range widths {
		floors[i] = min(w, minColumn)
	}
	return narrow(out, floors, room)
}

// narrow takes a column from the widest of widths above its floor until
// they add up to room, or none is left above its floor.
func narrow(widths, floors []int, room int) []int {
	total := 0
	for _, w := range widths {
		total += w
	}
	for total > room {
		widest := -1
		for i, w := range widths {
			if w > floors[i] && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		widths[widest]--
		total--
	}
	return widths
}

// minColumn is the narrowest fitWidths cuts a column to: a few letters
// and the ellipsis.
const minColumn = 6

type tsvTable struct {
	w   io.Writer
	err error
}

func (t *tsvTable) Header(cols ...string) {}

func (t *tsvTable) Row(cells ...string) {
	if t.err != nil {
		return
	}
	clean := make([]string, len(cells))
	for i, c := range cells {
		// One row per line, one cell per column: tabs and line breaks
		// become spaces, other control characters are spelt out.
		clean[i] = playbooks.EscapeControls(strings.NewReplacer("\t", " ", "\n", " ").Replace(c))
	}
	_, t.err = fmt.Fprintln(t.w, strings.Join(clean, "\t"))
}

func (t *tsvTable) StyledRow(_ []style, cells ...string) { t.Row(cells...) }

func (t *tsvTable) Render() error { return t.err }
