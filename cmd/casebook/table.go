package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// tablePrinter prints rows: an aligned table on a terminal, tab-separated
// lines otherwise (easy for cut and awk).
type tablePrinter interface {
	Header(cols ...string)
	Row(cells ...string)
	Render() error
}

func newTablePrinter(w io.Writer, tty bool) tablePrinter {
	if tty {
		return &termTable{w: w}
	}
	return &tsvTable{w: w}
}

type termTable struct {
	w      io.Writer
	header []string
	rows   [][]string
}

func (t *termTable) Header(cols ...string) { t.header = cols }
func (t *termTable) Row(cells ...string)   { t.rows = append(t.rows, cells) }

func (t *termTable) Render() error {
	tbl := tablewriter.NewTable(t.w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.Off},
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	upper := make([]string, len(t.header))
	for i, h := range t.header {
		upper[i] = strings.ToUpper(h)
	}
	tbl.Header(toAny(upper)...)
	for _, r := range t.rows {
		if err := tbl.Append(toAny(r)...); err != nil {
			return err
		}
	}
	return tbl.Render()
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

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

func (t *tsvTable) Render() error { return t.err }
