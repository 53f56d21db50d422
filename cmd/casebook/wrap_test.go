package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		name, in string
		width    int
		want     string
	}{
		{"text that fits is kept", "short", 10, "short"},
		{"text that fits exactly is kept", "exact", 5, "exact"},
		{"longer text ends in an ellipsis", "https-link-branding", 10, "https-lin…"},
		{"wide characters count two columns", "日本語テキスト", 7, "日本語…"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := truncate(c.in, c.width)
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if w := runewidth.StringWidth(got); w > c.width {
				t.Errorf("%q is %d columns, more than %d", got, w, c.width)
			}
		})
	}
}

func TestWrapWords(t *testing.T) {
	for _, c := range []struct {
		name         string
		text         string
		width, first int
		indent       string
		want         []string
	}{
		{"text that fits stays on one line", "hello there", 20, 0, "", []string{"hello there"}},
		{"lines break between words", "the quick brown fox jumps", 10, 0, "", []string{"the quick", "brown fox", "jumps"}},
		{"the prefix counts on the first line", "aaa bbb ccc", 10, 5, "  ", []string{"aaa", "  bbb ccc"}},
		{"a word longer than a line is not cut", "a supercalifragilistic word", 10, 0, "", []string{"a", "supercalifragilistic", "word"}},
		{"runs of space become one", "a   b\tc", 20, 0, "", []string{"a b c"}},
		{"no width leaves one line", "the quick brown fox", 0, 0, "", []string{"the quick brown fox"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := wrapWords(c.text, c.width, c.first, c.indent)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestPrintProseOffATerminalIsUnchanged(t *testing.T) {
	var b bytes.Buffer
	text := strings.Repeat("word ", 40) + "end"
	printProse(&b, "\nCustomer: ", text)
	if got, want := b.String(), "\nCustomer: "+text+"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFitWidths(t *testing.T) {
	for _, c := range []struct {
		name            string
		widths, headers []int
		room            int
		want            []int
	}{
		{"a table that fits is kept", []int{5, 10, 20}, []int{2, 2, 2}, 40, []int{5, 10, 20}},
		{"the widest column gives way first", []int{5, 10, 40}, []int{2, 2, 2}, 40, []int{5, 10, 25}},
		{"two wide columns shrink together", []int{5, 30, 30}, []int{2, 2, 2}, 45, []int{5, 20, 20}},
		{"the first column gives way last", []int{30, 30}, []int{2, 2}, 40, []int{30, 10}},
		{"headers stay whole while another column can give way", []int{3, 12, 40}, []int{2, 12, 5}, 33, []int{3, 12, 18}},
		{"then headers are cut too", []int{3, 12, 40}, []int{2, 12, 5}, 17, []int{3, 8, minColumn}},
		{"no column goes below the minimum", []int{8, 40}, []int{2, 2}, 10, []int{minColumn, minColumn}},
		{"a narrow column is never widened", []int{2, 40}, []int{2, 2}, 5, []int{2, minColumn}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fitWidths(c.widths, c.headers, c.room); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestTermTableFitsItsWidth(t *testing.T) {
	var b bytes.Buffer
	tp := &termTable{w: &b, width: 60}
	tp.Header("id", "title")
	tp.Row("https-link-branding", "Turn on HTTPS for a branded link domain without breaking the old links")
	tp.Row("x", "Short")
	if err := tp.Render(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for _, l := range lines {
		if w := runewidth.StringWidth(l); w > 60 {
			t.Errorf("%q is %d columns wide, more than 60", l, w)
		}
	}
	if !strings.HasSuffix(lines[1], "…") || !strings.Contains(lines[1], "https-link-branding") {
		t.Errorf("the title, the widest column, should be cut and the id kept: %q", lines[1])
	}
	if strings.TrimRight(lines[2], " ") != lines[2] {
		t.Errorf("trailing spaces: %q", lines[2])
	}
}

func TestTermTablePaintsStyledCells(t *testing.T) {
	var b bytes.Buffer
	tp := &termTable{w: &termSafe{w: &b, color: true}}
	tp.Header("who", "score")
	tp.StyledRow([]style{1: styleGreen}, "ana", "92")
	if err := tp.Render(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), " WHO  SCORE\n ana  \x1b[32m92\x1b[0m\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
