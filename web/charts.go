package web

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/casebook/casebook/scoring"
)

// The charts of the dashboard are drawn here as numbers a template puts
// into inline SVG: no script, nothing fetched, every text escaped by
// html/template. Many dots are one <path> of zero-length segments with
// round caps (each "M x y h0" a dot), so 100,000 attempts stay a few
// hundred kilobytes.

// tierColours gives each tier of a chart its colour, in the order the
// tiers sort.
var tierColours = []string{"#2754c5", "#c4320a", "#067647", "#7f56d9", "#b54708", "#0e7090"}

func tierColour(i int) string { return tierColours[i%len(tierColours)] }

// A strip is one row of a dot chart: the values of one tier's attempts,
// each attempt a dot stacked over its value.
type strip struct {
	Label     string
	Colour    string
	Y         int    // the row's baseline
	LabelY    int    // the label's baseline
	Dots      string // the dots (or bars), as a path
	Bars      bool   // Dots draws bars, not a dot an attempt
	Title     string // a tooltip: what the row counts
	MedianX   int
	MedianTop int
	Median    string // the median, as a label
	Golden    *marker
}

// A marker is a vertical line of a chart with its label.
type marker struct {
	X, Top, Bottom int
	Label          string
}

// A tick is a labelled place on an axis.
type tick struct {
	X     int
	Label string
}

// A dotChart is a strip per tier on one axis.
type dotChart struct {
	Title         string
	Rows          []strip
	Ticks         []tick
	Pass          *marker // the pass mark, on a score axis
	Width, Height int
	AxisY         int
	Left, Right   int
	Note          string // how many attempts a dot stands for, when not one
}

// Sizes of a dot chart, in SVG user units.
const (
	dotLeft   = 80  // the tiers' column
	dotWidth  = 500 // the axis
	dotRow    = 64  // a tier's row
	dotStep   = 6   // the distance between stacked dots
	dotStack  = 8   // dots stacked at most, before each dot stands for more
	dotTop    = 24
	dotBottom = 28 // the axis and its labels
)

// A stripInput is one tier's values for a dot chart.
type stripInput struct {
	Label  string
	Values []scoring.ValueCount
	Median float64
	Golden int // a golden time to mark, 0 for none
}

// newDotChart lays out a dot chart over [lo, hi]: every value counted a
// dot at its place (values closer than a dot share a column), the median
// marked, and label formatting the axis.
func newDotChart(title string, rows []stripInput, lo, hi int, label func(int) string) dotChart {
	c := dotChart{Title: title, Left: dotLeft, Right: dotLeft + dotWidth, Width: dotLeft + dotWidth + 40}
	if hi <= lo {
		hi = lo + 1
	}
	x := func(v int) int { return dotLeft + (min(max(v, lo), hi)-lo)*dotWidth/(hi-lo) }
	// Every attempt is a dot while each column of every row stacks at
	// most dotStack; beyond, every row draws bars whose heights count the
	// attempts on one scale (the tallest column of the chart).
	tallest := 0
	for _, r := range rows {
		cols := map[int]int{}
		for _, vc := range r.Values {
			cols[x(vc.Value)/dotStep] += vc.Count
		}
		for _, n := range cols {
			tallest = max(tallest, n)
		}
	}
	bars := tallest > dotStack
	for i, r := range rows {
		base := dotTop + (i+1)*dotRow - 10
		cols := map[int]int{}
		var order []int
		total := 0
		for _, vc := range r.Values {
			col := x(vc.Value) / dotStep
			if _, ok := cols[col]; !ok {
				order = append(order, col)
			}
			cols[col] += vc.Count
			total += vc.Count
		}
		slices.Sort(order)
		var b strings.Builder
		for _, col := range order {
			cx := col*dotStep + dotStep/2
			if bars {
				h := max(2, (cols[col]*(dotStack-1)*dotStep+tallest/2)/tallest)
				fmt.Fprintf(&b, "M%d %dv-%d", cx, base+2, h)
				continue
			}
			for k := range cols[col] {
				fmt.Fprintf(&b, "M%d %dh0", cx, base-k*dotStep)
			}
		}
		s := strip{Label: r.Label, Colour: tierColour(i), Y: base, LabelY: base - dotRow/2 + 14, Dots: b.String(), Bars: bars,
			Title:   fmt.Sprintf("%s: %d attempt(s), median %s", r.Label, total, label(int(r.Median))),
			MedianX: x(int(r.Median)), MedianTop: base - dotRow + 16, Median: "median " + label(int(r.Median))}
		if r.Golden > 0 {
			s.Golden = &marker{X: x(r.Golden), Top: base - dotRow + 16, Bottom: base + 4, Label: "golden " + label(r.Golden)}
		}
		c.Rows = append(c.Rows, s)
	}
	c.AxisY = dotTop + len(rows)*dotRow
	c.Height = c.AxisY + dotBottom
	for _, v := range niceTicks(lo, hi, 5) {
		c.Ticks = append(c.Ticks, tick{X: x(v), Label: label(v)})
	}
	if bars {
		c.Note = fmt.Sprintf("Too many attempts for a dot each: each bar's height counts the attempts there (the tallest, %d).", tallest)
	}
	return c
}

// niceTicks are about n round values from lo to hi.
func niceTicks(lo, hi, n int) []int {
	span := hi - lo
	step := 1
	for _, s := range []int{1, 2, 5, 10, 15, 20, 25, 30, 60, 120, 240, 480, 1440, 2880, 10080} {
		step = s
		if span/s <= n {
			break
		}
	}
	for span/step > n {
		step *= 2
	}
	var out []int
	for v := (lo + step - 1) / step * step; v <= hi; v += step {
		out = append(out, v)
	}
	return out
}

// minutes labels a simulated time.
func minutes(m int) string {
	switch {
	case m < 60:
		return strconv.Itoa(m) + "m"
	case m%60 == 0:
		return strconv.Itoa(m/60) + "h"
	}
	return fmt.Sprintf("%dh%02d", m/60, m%60)
}

// scoreCharts are a scenario's score and time distributions per tier. The
// time axis ends where 90% of every tier's attempts are (and past the
// golden times and medians); the few slower ones are drawn at its end.
func scoreCharts(sp scoring.ScenarioPaths, passMark int) (scores, times dotChart) {
	var srows, trows []stripInput
	hi, longest := 1, 0
	for _, tp := range sp.Tiers {
		srows = append(srows, stripInput{Label: string(tp.Tier), Values: tp.Scores, Median: tp.MedianScore})
		trows = append(trows, stripInput{Label: string(tp.Tier), Values: tp.Clocks, Median: tp.MedianClockMin, Golden: tp.GoldenClockMin})
		hi = max(hi, percentile(tp.Clocks, 0.9), tp.GoldenClockMin*3/2, int(tp.MedianClockMin)*3/2)
		for _, vc := range tp.Clocks {
			longest = max(longest, vc.Value)
		}
	}
	hi = min(hi, max(longest, 1))
	scores = newDotChart("scores of "+sp.Scenario, srows, 0, 100, strconv.Itoa)
	scores.Pass = &marker{X: dotLeft + passMark*dotWidth/100, Top: dotTop - 8, Bottom: scores.AxisY, Label: "pass " + strconv.Itoa(passMark)}
	times = newDotChart("simulated time to resolution of "+sp.Scenario, trows, 0, hi, minutes)
	slower := 0
	for _, tp := range sp.Tiers {
		for _, vc := range tp.Clocks {
			if vc.Value > hi {
				slower += vc.Count
			}
		}
	}
	if slower > 0 {
		times.Note = strings.TrimSpace(times.Note + fmt.Sprintf(" %d attempt(s) took longer than %s (up to %s): drawn at the end of the axis.", slower, minutes(hi), minutes(longest)))
	}
	return scores, times
}

// percentile is the value at or below which the share q of the counted
// attempts lie.
func percentile(vcs []scoring.ValueCount, q float64) int {
	total := 0
	for _, vc := range vcs {
		total += vc.Count
	}
	seen := 0
	for _, vc := range vcs {
		seen += vc.Count
		if float64(seen) >= q*float64(total) {
			return vc.Value
		}
	}
	return 0
}

// A barChart is the most frequent findings of each tier, each bar linked
// to its rule's explanation.
type barChart struct {
	Groups        []barGroup
	Width, Height int
}

type barGroup struct {
	Tier   string
	Y      int
	Colour string
	Bars   []bar
}

type bar struct {
	Rule        string
	Y, W, TextY int
	LabelX      int
	Label       string
	Title       string
}

const (
	barLabel = 260 // the rules' column
	barWidth = 360
	barH     = 18
	barGap   = 6
)

// findingsChart draws each tier's top findings as bars, as long as the
// share of the tier's attempts that had them.
func findingsChart(tiers []scoring.Group) barChart {
	c := barChart{Width: barLabel + barWidth + 120}
	y := 0
	for i, g := range tiers {
		grp := barGroup{Tier: g.Key, Y: y + 16, Colour: tierColour(i)}
		y += 26
		for _, f := range g.TopFindings {
			share := 0.0
			if g.Attempts > 0 {
				share = float64(f.Count) / float64(g.Attempts)
			}
			w := max(int(share*barWidth), 2)
			if w > barWidth {
				w = barWidth // a rule can be found more than once an attempt
			}
			grp.Bars = append(grp.Bars, bar{Rule: f.Key, Y: y, W: w, TextY: y + barH - 5, LabelX: barLabel + w + 6,
				Label: fmt.Sprintf("%d in %d attempts", f.Count, g.Attempts),
				Title: fmt.Sprintf("%s at tier %s: found %d time(s) in %d attempt(s)", f.Key, g.Key, f.Count, g.Attempts)})
			y += barH + barGap
		}
		if len(g.TopFindings) == 0 {
			grp.Bars = append(grp.Bars, bar{Y: y, TextY: y + barH - 5, Label: "no findings"})
			y += barH + barGap
		}
		c.Groups = append(c.Groups, grp)
		y += 8
	}
	c.Height = y
	return c
}

// A progressChart is one trainee's scores by attempt number, oldest first,
// with the dates of the first and last attempt.
type progressChart struct {
	Trainee       string
	Summary       string
	Passes, Fails string // dots, as paths
	Line          string // the mean score of each stretch of attempts, as a polyline
	PassY         int
	PassLabel     string
	First, Last   string
	ReadyX        int // where the trainee first became ready for a scenario, 0 for never
	ReadyLabel    string
	Width, Height int
	Left, Right   int
	Bottom        int
}

const (
	progLeft   = 30
	progWidth  = 300
	progTop    = 10
	progHeight = 100
	progPoints = 120 // attempts drawn a dot each, at most
)

// progressCharts draw each trainee's progress over all their attempts.
func progressCharts(history []scoring.Series, rd scoring.Readiness) []progressChart {
	type att struct {
		m     scoring.Mark
		pass  bool
		ready string // the scenario this attempt first made the trainee ready for
	}
	type key struct{ trainee, scenario, tier string }
	rows := map[key]scoring.ScenarioReadiness{}
	readyOf := map[string][2]int{}
	markOf := map[string]int{} // the pass mark most of a trainee's scenarios have
	for _, tr := range rd.Trainees {
		readyOf[tr.Trainee] = [2]int{tr.Ready, tr.Of}
		count := map[int]int{}
		for _, s := range tr.Scenarios {
			rows[key{tr.Trainee, s.Scenario, string(s.Tier)}] = s
			count[s.PassMark]++
		}
		best := rd.PassMark
		for m, n := range count {
			if n > count[best] || n == count[best] && m < best {
				best = m
			}
		}
		markOf[tr.Trainee] = best
	}
	by := map[string][]att{}
	var names []string
	for _, s := range history {
		if _, ok := by[s.Trainee]; !ok {
			names = append(names, s.Trainee)
		}
		row, ok := rows[key{s.Trainee, s.Scenario, string(s.Tier)}]
		mark := rd.PassMark
		if ok {
			mark = row.PassMark
		}
		for i, m := range s.Marks {
			a := att{m: m, pass: m.Resolved && m.Score >= mark}
			if ok && row.AttemptsToReady == i+1 {
				a.ready = s.Scenario + " at " + string(s.Tier)
			}
			by[s.Trainee] = append(by[s.Trainee], a)
		}
	}
	slices.Sort(names)
	out := make([]progressChart, 0, len(names))
	for _, name := range names {
		as := by[name]
		slices.SortStableFunc(as, func(a, b att) int { return a.m.At.Compare(b.m.At) })
		n := len(as)
		c := progressChart{Trainee: name, Left: progLeft, Right: progLeft + progWidth, Width: progLeft + progWidth + 10,
			Height: progTop + progHeight + 20, Bottom: progTop + progHeight}
		x := func(i int) int {
			if n == 1 {
				return progLeft + progWidth/2
			}
			return progLeft + i*progWidth/(n-1)
		}
		y := func(score int) int { return progTop + progHeight - min(max(score, 0), 100)*progHeight/100 }
		mark := cmp.Or(markOf[name], rd.PassMark)
		c.PassY, c.PassLabel = y(mark), strconv.Itoa(mark)
		var passes, fails, line strings.Builder
		// Every attempt a dot while they fit; beyond, each stretch of
		// attempts one dot at its mean score.
		stretch := max((n+progPoints-1)/progPoints, 1)
		for i := 0; i < n; i += stretch {
			end := min(i+stretch, n)
			sum, passed := 0, 0
			for _, a := range as[i:end] {
				sum += a.m.Score
				if a.pass {
					passed++
				}
			}
			mid := (i + end - 1) / 2
			px, py := x(mid), y(sum/(end-i))
			b := &fails
			if passed*2 > end-i {
				b = &passes
			}
			fmt.Fprintf(b, "M%d %dh0", px, py)
			if line.Len() > 0 {
				line.WriteByte(' ')
			}
			fmt.Fprintf(&line, "%d,%d", px, py)
		}
		c.Passes, c.Fails, c.Line = passes.String(), fails.String(), line.String()
		if n > 0 {
			c.First, c.Last = day(as[0].m), day(as[n-1].m)
		}
		ro := readyOf[name]
		c.Summary = fmt.Sprintf("%d attempt(s); ready for %d of %d", n, ro[0], ro[1])
		for i, a := range as {
			if a.ready != "" {
				c.ReadyX = x(i)
				c.ReadyLabel = fmt.Sprintf("first ready (for %s) at attempt %d of all theirs", a.ready, i+1)
				c.Summary += fmt.Sprintf("; first ready on %s, at their attempt %d (for %s)", day(a.m), i+1, a.ready)
				break
			}
		}
		if stretch > 1 {
			c.Summary += fmt.Sprintf("; each dot the mean of %d attempts", stretch)
		}
		out = append(out, c)
	}
	return out
}

func day(m scoring.Mark) string {
	if m.At.IsZero() {
		return "?"
	}
	return m.At.Format("2006-01-02")
}
