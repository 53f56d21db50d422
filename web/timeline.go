package web

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// A timelineView is a closed attempt drawn on the simulated clock: the
// golden path's moves in one lane, the attempt's in another, on one axis
// of simulated minutes, each finding on its move and the findings of the
// case as a whole apart. Every mark's <title> says what happened (the page
// runs no script: hovering shows it). All coordinates are whole SVG user
// units, so the same attempt always gives the same bytes.
type timelineView struct {
	Label         string // the picture in words, for aria-label
	Width, Height int
	Legend        []tlLegend
	Lanes         []tlLane
	Ticks         []tlTick
	Breaks        []tlBreak
	Marks         []tlMark
	// The vertical extent of the grid lines, and the axis.
	GridTop, AxisY, TickY int
	Left, Right           int // the plot's left and right edges
	Case                  *tlCase
}

type tlLegend struct {
	X, TextX int
	Y        int // the row's offset
	Fill     string
	Stroke   string
	Diamond  bool
	Text     string
}

type tlLane struct {
	Name, Sub         string
	Y, H, NameY, SubY int
}

type tlTick struct {
	X     int
	Label string
}

// A tlBreak is a long stretch of the clock with no move, drawn short so
// the moves either side of it stay apart.
type tlBreak struct {
	X, W, TextX, TextY int
	Y, H               int
	Label, Title       string
}

type tlMark struct {
	X, Y              int
	N                 string // the turn's number (the golden move's, on the golden lane)
	Fill, Stroke, Ink string
	Title             string
	Findings          []tlDot
}

// A tlDot is one finding, a diamond centred on X, Y.
type tlDot struct {
	X, Y  int
	Title string
}

type tlCase struct {
	Y, H, NameY int
	Pills       []tlPill
}

type tlPill struct {
	X, Y, W, TextX, TextY int
	Text, Title           string
}

// Sizes of the timeline, in SVG user units.
const (
	tlGutter  = 112 // the lanes' names
	tlMargin  = 24  // right of the plot
	tlR       = 9   // a move's marker
	tlDotStep = 9   // between a move's findings
	tlBreakW  = 64  // a stretch of the clock drawn short
	tlMinGap  = 24  // the spacing a typical gap between moves gets, if breaks can give it
	tlTickGap = 64  // the least spacing of ticks
	tlLegendH = 26
	tlLanePad = 7
	tlPillH   = 18
	tlCharW   = 6.0 // the width of a character at font-size 11, near enough
)

// Colours of the marks.
const (
	tlOn, tlOff, tlAuto = "#067647", "#b42318", "#98a2b3"
	tlGoldFill          = "#fef0c7"
	tlGoldStroke        = "#b54708"
	tlGoldInk           = "#7a2e0e"
	tlAutoFill          = "#f2f4f7"
)

// goldenTurns plays the golden path's moves of the session's tier into a
// fresh session on the same scenario, tier, mode, seed and rules: each
// turn's ClockMin is when the golden path makes that move, and after its
// handoff the receiving tier's own moves follow, as Session.GoldenClock
// counts them. A golden move the fresh session refuses to play is left
// out (the moves after it are still played) rather than given a made-up
// time; a case closed before the path's end ends the lane there.
func goldenTurns(ss *simulator.Session, seed uint64) []simulator.Turn {
	g, err := simulator.NewUnder(ss.Playbook(), ss.Scenario(), ss.Tier(), ss.Mode(), seed, ss.Rules())
	if err != nil {
		return nil
	}
	for _, m := range ss.Golden().Moves {
		if g.Over() || m.Tier != ss.Tier() {
			break
		}
		_, _ = g.Play(m.Move) // an error: the move is left out
	}
	return g.Turns()
}

// timelineOf lays out the timeline of a closed attempt: its turns, the
// scorecard that graded them, the turns of the golden path played
// (goldenTurns) and the label a person knows a move by.
func timelineOf(turns, golden []simulator.Turn, card *scoring.Scorecard, label func(move string) string) timelineView {
	v := timelineView{}
	byMove := map[int][]scoring.Finding{}
	var whole []scoring.Finding
	known := map[int]bool{}
	for _, t := range turns {
		known[t.N] = true
	}
	for _, f := range card.Findings {
		if f.Move > 0 && known[f.Move] {
			byMove[f.Move] = append(byMove[f.Move], f)
		} else {
			whole = append(whole, f)
		}
	}
	maxDots := 0
	for _, fs := range byMove {
		maxDots = max(maxDots, len(fs))
	}

	// The axis: every clock a mark stands at, and 0.
	clocks := []int{0}
	for _, t := range turns {
		clocks = append(clocks, t.ClockMin)
	}
	for _, t := range golden {
		clocks = append(clocks, t.ClockMin)
	}
	slices.Sort(clocks)
	clocks = slices.Compact(clocks)
	plotW := min(max(24*len(clocks), 560), 1200)
	v.Left, v.Right = tlGutter, tlGutter+plotW
	v.Width = v.Right + tlMargin
	sc := newScale(clocks, v.Left, plotW)

	// The legend, in as many rows as it needs.
	x, ly := 8, 0
	for _, it := range []tlLegend{
		{Fill: tlOn, Text: "on the golden path"}, {Fill: tlOff, Text: "off it"},
		{Fill: tlAuto, Text: "another tier, automatically"},
		{Fill: tlGoldFill, Stroke: tlGoldStroke, Text: "the golden path's move"},
		{Fill: tlOff, Diamond: true, Text: "a finding"},
	} {
		if w := 16 + textW(it.Text); x+w > v.Width && x > 8 {
			x, ly = 8, ly+18
		}
		it.X, it.TextX, it.Y = x+6, x+16, ly
		v.Legend = append(v.Legend, it)
		x = it.TextX + textW(it.Text) + 18
	}

	// The golden lane: each move numbered as the scorecard's golden path
	// lists it.
	used := make([]bool, len(card.Golden))
	goldenIndex := func(t simulator.Turn) int {
		for _, same := range []func(simulator.GoldenMove) bool{
			func(g simulator.GoldenMove) bool { return g.Move == t.Move },
			func(g simulator.GoldenMove) bool { return t.Step != "" && g.Step == t.Step },
		} {
			for i, g := range card.Golden {
				if !used[i] && g.Tier == t.By && same(g) {
					used[i] = true
					return i + 1
				}
			}
		}
		return 0
	}
	var goldMarks, ownMarks []tlMark
	for _, t := range golden {
		m := tlMark{X: sc.x(t.ClockMin), Fill: tlGoldFill, Stroke: tlGoldStroke, Ink: tlGoldInk}
		if t.Auto {
			m.Fill, m.Stroke, m.Ink = tlAutoFill, tlAuto, "#475467"
		}
		i := goldenIndex(t)
		lines := []string{}
		if i > 0 {
			m.N = fmt.Sprint(i)
			lines = append(lines, fmt.Sprintf("Golden move %d, %s, %s", i, tickLabel(t.ClockMin), t.By))
		} else {
			m.N = "·"
			lines = append(lines, fmt.Sprintf("Golden path, %s, %s", tickLabel(t.ClockMin), t.By))
		}
		if t.Auto {
			lines[0] += " (automatically, after the handoff)"
		}
		lines = append(lines, label(t.Move))
		if i > 0 && card.Golden[i-1].Why != "" {
			lines = append(lines, "Why: "+card.Golden[i-1].Why)
		}
		lines = append(lines, answer(t)...)
		m.Title = strings.Join(lines, "\n")
		goldMarks = append(goldMarks, m)
	}
	for _, t := range turns {
		m := tlMark{X: sc.x(t.ClockMin), N: fmt.Sprint(t.N), Ink: "#fff"}
		head := fmt.Sprintf("Move %d, %s, %s", t.N, tickLabel(t.ClockMin), t.By)
		path := ""
		switch {
		case t.Auto:
			m.Fill = tlAuto
			head += " (automatically, after the handoff)"
		case t.OnPath:
			m.Fill = tlOn
			path = "On the golden path"
			if t.Step != "" {
				path += " (step " + t.Step + ")"
			}
		default:
			m.Fill = tlOff
			path = "Off the golden path"
			if t.Due != "" {
				path += " (the step due was " + t.Due + ")"
			}
		}
		lines := []string{head, label(t.Move)}
		if path != "" {
			lines = append(lines, path)
		}
		lines = append(lines, answer(t)...)
		for _, f := range byMove[t.N] {
			lines = append(lines, "Finding: "+findingText(f))
			m.Findings = append(m.Findings, tlDot{Title: fmt.Sprintf("Move %d: %s", t.N, findingText(f))})
		}
		m.Title = strings.Join(lines, "\n")
		ownMarks = append(ownMarks, m)
	}

	// The lanes, one above the other; marks too close to the one before
	// them go on a further track below it.
	y := tlLegendH + ly
	v.GridTop = y
	goldenMin := 0
	if len(golden) > 0 {
		goldenMin = golden[len(golden)-1].ClockMin
	}
	ownMin := 0
	if len(turns) > 0 {
		ownMin = turns[len(turns)-1].ClockMin
	}
	ownMoves := 0
	for _, t := range turns {
		if !t.Auto {
			ownMoves++
		}
	}
	goldMoves := 0
	for _, t := range golden {
		if !t.Auto {
			goldMoves++
		}
	}
	for _, lane := range []struct {
		name, sub string
		marks     []tlMark
		dots      int
	}{
		{"Golden path", fmt.Sprintf("%s · %d moves", span(goldenMin), goldMoves), goldMarks, 0},
		{"This attempt", fmt.Sprintf("%s · %d moves", span(ownMin), ownMoves), ownMarks, maxDots},
	} {
		trackH := 2*tlR + 6
		if lane.dots > 0 {
			trackH += lane.dots*tlDotStep + 2
		}
		tracks := stack(lane.marks)
		n := 1
		for _, k := range tracks {
			n = max(n, k+1)
		}
		h := 2*tlLanePad + n*trackH
		l := tlLane{Name: lane.name, Sub: lane.sub, Y: y, H: h}
		l.NameY, l.SubY = y+h/2-2, y+h/2+12
		v.Lanes = append(v.Lanes, l)
		for i := range lane.marks {
			m := &lane.marks[i]
			m.Y = y + tlLanePad + tracks[i]*trackH + tlR + 3
			for j := range m.Findings {
				m.Findings[j].X, m.Findings[j].Y = m.X, m.Y+tlR+6+j*tlDotStep
			}
			v.Marks = append(v.Marks, *m)
		}
		y += h + 6
	}
	v.AxisY = y
	v.TickY = y + 16

	// Ticks, at the start of each stretch of the axis and at round times
	// within it, none so close to the one before that their labels touch.
	lastX, lastW := math.MinInt/2, 0
	for _, tk := range sc.ticks() {
		w := textW(tk.Label)
		if tk.X-lastX < (lastW+w)/2+10 || tk.X+w/2 > v.Width {
			continue
		}
		v.Ticks = append(v.Ticks, tk)
		lastX, lastW = tk.X, w
	}
	for _, b := range sc.breaks() {
		b.Y, b.H = v.GridTop, v.AxisY-v.GridTop
		b.TextY = v.AxisY - 4
		v.Breaks = append(v.Breaks, b)
	}
	y = v.TickY + 12

	// The findings of the case as a whole, apart: one pill each, in rows.
	if len(whole) > 0 {
		c := &tlCase{Y: y}
		px, py := v.Left, y+4
		for _, f := range whole {
			text := fmt.Sprintf("%s −%d", f.Rule, f.Points)
			w := int(math.Ceil(float64(utf8.RuneCountInString(text))*6.6)) + 16 // a bit wider than textW: the pill must hold it
			if px+w > v.Right && px > v.Left {
				px, py = v.Left, py+tlPillH+6
			}
			c.Pills = append(c.Pills, tlPill{X: px, Y: py, W: w, TextX: px + 8, TextY: py + 13, Text: text, Title: "The case: " + findingText(f)})
			px += w + 6
		}
		c.H = py + tlPillH + 4 - y
		c.NameY = y + 4 + 13
		v.Case = c
		y += c.H
	}
	v.Height = y + 8

	v.Label = fmt.Sprintf("Timeline of the attempt on the simulated clock: %d moves in %s against the golden path's %d in %s; %d findings on moves, %d on the case as a whole.",
		ownMoves, span(ownMin), goldMoves, span(goldenMin), len(card.Findings)-len(whole), len(whole))
	return v
}

// answer is what came of a move: the customer's words and the result.
func answer(t simulator.Turn) []string {
	var out []string
	if t.Said != "" {
		out = append(out, "Customer: “"+t.Said+"”")
	}
	if t.Result != "" {
		out = append(out, "Result: "+t.Result)
	}
	return out
}

func findingText(f scoring.Finding) string {
	return fmt.Sprintf("%s [%s −%d]", f.Message, f.Rule, f.Points)
}

// stack gives each mark (in the order of the clock) a track: the first
// on which it stands clear of the mark before it.
func stack(marks []tlMark) []int {
	tracks := make([]int, len(marks))
	var last []int // the x of each track's last mark
	for i, m := range marks {
		k := 0
		for k < len(last) && m.X-last[k] < 2*tlR+3 {
			k++
		}
		if k == len(last) {
			last = append(last, m.X)
		} else {
			last[k] = m.X
		}
		tracks[i] = k
	}
	return tracks
}

func textW(s string) int { return int(math.Ceil(float64(utf8.RuneCountInString(s)) * tlCharW)) }

// span is a length of simulated time: 58m, 1h 05m, 2d 7h.
func span(minutes int) string { return funcs["clock"].(func(int) string)(minutes) }

// tickLabel is a time on the axis: +0, +5m, +1h, +1h30m, +2d7h40m.
func tickLabel(minutes int) string {
	if minutes == 0 {
		return "+0"
	}
	d, h, m := minutes/(24*60), minutes%(24*60)/60, minutes%60
	s := "+"
	if d > 0 {
		s += fmt.Sprintf("%dd", d)
	}
	if h > 0 {
		s += fmt.Sprintf("%dh", h)
	}
	if m > 0 {
		s += fmt.Sprintf("%dm", m)
	}
	return s
}

// A scale maps simulated minutes to x. It is linear at one scale, except
// that the longest stretches without a move are drawn tlBreakW wide (and
// say so) while the typical gap between moves would otherwise be drawn
// narrower than tlMinGap: an attempt two days long keeps its first
// minutes readable beside a golden path of an hour.
type scale struct {
	at     []int // the clocks marks stand at, sorted, from 0
	px     []int // their x
	broken []bool
	perMin float64
}

func newScale(clocks []int, left, width int) scale {
	s := scale{at: clocks, broken: make([]bool, max(len(clocks)-1, 0))}
	gaps := make([]int, len(s.broken))
	for i := range gaps {
		gaps[i] = clocks[i+1] - clocks[i]
	}
	for {
		unbroken, n := 0, 0
		var open []int
		for i, g := range gaps {
			if s.broken[i] {
				n++
			} else {
				unbroken += g
				open = append(open, g)
			}
		}
		if unbroken == 0 {
			s.perMin = 0
			break
		}
		s.perMin = float64(width-n*tlBreakW) / float64(unbroken)
		slices.Sort(open)
		if float64(open[len(open)/2])*s.perMin >= tlMinGap || (n+1)*tlBreakW > width/2 {
			break
		}
		j := -1
		for i, g := range gaps {
			if !s.broken[i] && (j < 0 || g > gaps[j]) {
				j = i
			}
		}
		if float64(gaps[j])*s.perMin < 3*tlBreakW {
			break // breaking it would gain too little
		}
		s.broken[j] = true
	}
	x := float64(left)
	s.px = make([]int, len(clocks))
	for i := range clocks {
		s.px[i] = int(math.Round(x))
		if i < len(gaps) {
			if s.broken[i] {
				x += tlBreakW
			} else {
				x += float64(gaps[i]) * s.perMin
			}
		}
	}
	return s
}

// x is where a clock is: a mark's exactly, a time between two marks'
// clocks along their stretch (none falls within a break).
func (s scale) x(clock int) int {
	i, found := slices.BinarySearch(s.at, clock)
	switch {
	case found:
		return s.px[i]
	case i == 0:
		return s.px[0]
	case i == len(s.at):
		return s.px[i-1]
	}
	return s.px[i-1] + int(math.Round(float64(clock-s.at[i-1])*s.perMin))
}

// Steps of the ticks, in minutes.
var tickSteps = []int{1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7 * 1440, 30 * 1440}

// ticks are the candidate ticks: the start of each stretch between breaks
// and the round times within it.
func (s scale) ticks() []tlTick {
	var out []tlTick
	step := tickSteps[len(tickSteps)-1]
	for _, st := range tickSteps {
		if float64(st)*s.perMin >= tlTickGap {
			step = st
			break
		}
	}
	for a := 0; a < len(s.at); {
		b := a
		for b < len(s.broken) && !s.broken[b] {
			b++
		}
		from, to := s.at[a], s.at[b]
		out = append(out, tlTick{X: s.px[a], Label: tickLabel(from)})
		for m := (from/step + 1) * step; m <= to; m += step {
			out = append(out, tlTick{X: s.x(m), Label: tickLabel(m)})
		}
		a = b + 1
	}
	return out
}

// breaks are the stretches drawn short.
func (s scale) breaks() []tlBreak {
	var out []tlBreak
	for i, b := range s.broken {
		if !b {
			continue
		}
		x0, x1 := s.px[i]+tlR+3, s.px[i+1]-tlR-3
		gap := s.at[i+1] - s.at[i]
		out = append(out, tlBreak{X: x0, W: x1 - x0, TextX: (x0 + x1) / 2, Label: span(gap),
			Title: fmt.Sprintf("%s with no move (from %s to %s), drawn short", span(gap), tickLabel(s.at[i]), tickLabel(s.at[i+1]))})
	}
	return out
}
