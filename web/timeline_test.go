package web

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// timelineMoves is a scripted attempt at L1 on the HTTPS case: two golden
// look-ups, a trap, a question the admin tools answer, and the handoff,
// after which L2 plays on by itself.
var timelineMoves = []string{"lookup:ssl_tracking", "trap:resend-tracking-guide", "lookup:click_tracking", "ask:certificate", "escalate:L2"}

// timelineSVG is the timeline of a page of a closed attempt.
func timelineSVG(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, `<div class="timeline-wrap">`)
	j := strings.Index(page, "</svg>\n</div>")
	if i < 0 || j < i {
		t.Fatalf("the page has no timeline:\n%s", page)
	}
	return page[i:j+len("</svg>\n</div>")] + "\n"
}

// TestTheTimelineOfAnAttempt plays the scripted attempt in the browser and
// compares its page's timeline with testdata/timeline.svg.html
// (CASEBOOK_UPDATE_GOLDEN=1 rewrites it).
func TestTheTimelineOfAnAttempt(t *testing.T) {
	srv, _ := server(t)
	b := newBrowser(t, srv)
	b.login("ana")
	_, pages := b.play("https-proxy-cname", "L1", "practice", timelineMoves)
	last := pages[len(pages)-1]
	if !strings.Contains(last, "<h3>Timeline</h3>") {
		t.Fatal("the closed attempt's page has no Timeline heading")
	}
	svg := timelineSVG(t, last)
	golden.Compare(t, filepath.Join("testdata", "timeline.svg.html"), svg)
	for _, p := range pages[:len(pages)-1] {
		if strings.Contains(p, "timeline-wrap") {
			t.Error("a page of an open case shows the timeline")
		}
	}
	if dir := os.Getenv("CASEBOOK_SCREENSHOTS"); dir != "" {
		// The page as served, with its stylesheet inlined, for a look
		// in a browser (chromium --headless --screenshot).
		css, _ := staticFiles.ReadFile("static/style.css")
		html := strings.Replace(last, `<link rel="stylesheet" href="/static/style.css">`, "<style>"+string(css)+"</style>", 1)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "timeline-attempt.html"), []byte(html), 0o644)
		// And its scorecard alone, in the page's columns.
		i, j := strings.Index(html, `<section class="card scorecard">`), strings.Index(html, `<aside class="side">`)
		card := html[:strings.Index(html, "<body>")+6] + `<main class="ticket"><section class="thread">` + html[i:j] + `<aside class="side"></aside></main></body></html>`
		os.WriteFile(filepath.Join(dir, "timeline-scorecard.html"), []byte(card), 0o644)
	}
}

// session plays moves at a tier of the HTTPS case and scores them.
func timelineSession(t *testing.T, tier string, moves []string) (*simulator.Session, *scoring.Scorecard) {
	t.Helper()
	lib := library(t)
	sc := lib.Scenarios.Find("https-proxy-cname")
	ss, err := simulator.New(lib.Scenarios.Playbook(sc), sc, playbooks.TierName(tier), simulator.ModePractice, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range moves {
		if ss.Over() {
			break
		}
		if _, err := ss.Play(m); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	return ss, scoring.Score(scoring.FromSession(ss, "ana", scoring.SourceAttempt))
}

func renderTimeline(t *testing.T, v timelineView) string {
	t.Helper()
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, "timeline", v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTheTimelineDrawsEachFindingOnItsMove: the trap's findings are on
// move 2 and on no other move; the case's own findings stand apart.
func TestTheTimelineDrawsEachFindingOnItsMove(t *testing.T) {
	ss, card := timelineSession(t, "L1", timelineMoves)
	v := timelineOf(ss.Turns(), goldenTurns(ss, 7), card, func(m string) string { return m })
	onMove := map[int][]string{}
	whole := 0
	for _, f := range card.Findings {
		if f.Move == 0 {
			whole++
		} else {
			onMove[f.Move] = append(onMove[f.Move], findingText(f))
		}
	}
	if len(onMove[2]) == 0 {
		t.Fatalf("the trap raised no finding on move 2: %v", card.Findings)
	}
	seen := 0
	for _, m := range v.Marks {
		var n int
		if _, err := fmt.Sscanf(m.Title, "Move %d,", &n); err != nil {
			if len(m.Findings) > 0 {
				t.Errorf("a golden mark carries findings: %q", m.Title)
			}
			continue
		}
		seen++
		var got []string
		for _, d := range m.Findings {
			if !strings.HasPrefix(d.Title, fmt.Sprintf("Move %d: ", n)) || d.X != m.X || d.Y <= m.Y {
				t.Errorf("move %d: a finding %q at %d,%d, not under its mark at %d,%d", n, d.Title, d.X, d.Y, m.X, m.Y)
			}
			got = append(got, strings.TrimPrefix(d.Title, fmt.Sprintf("Move %d: ", n)))
			if !strings.Contains(m.Title, "Finding: "+got[len(got)-1]) {
				t.Errorf("move %d: its title does not name its finding %q", n, d.Title)
			}
		}
		if !slices.Equal(got, onMove[n]) {
			t.Errorf("move %d shows findings %q, the scorecard has %q", n, got, onMove[n])
		}
	}
	if seen != len(ss.Turns()) {
		t.Errorf("%d marks of moves for %d turns", seen, len(ss.Turns()))
	}
	if whole == 0 || v.Case == nil || len(v.Case.Pills) != whole {
		t.Errorf("the case's %d findings of its own are not shown apart: %+v", whole, v.Case)
	}
}

// TestTheTimelineEscapesTheCustomersAnswer: an answer holding markup is
// text in the tooltip, never markup.
func TestTheTimelineEscapesTheCustomersAnswer(t *testing.T) {
	ss, card := timelineSession(t, "L1", timelineMoves)
	turns := ss.Turns()
	const evil = `</title><script>alert(1)</script><img src=x onerror=alert(2)>`
	turns[1].Said = evil
	got := renderTimeline(t, timelineOf(turns, goldenTurns(ss, 7), card, func(m string) string { return m + "<b>" }))
	if strings.Contains(got, "<script>") || strings.Contains(got, "<img") || strings.Contains(got, "<b>") ||
		!strings.Contains(got, "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatalf("the answer's markup is not escaped:\n%s", got)
	}
}

// TestTheTimelinesGoldenLaneTakesTheGoldenPathsTime: the golden lane's
// moves are played, not spaced: its last one is at the scorecard's golden
// time, each golden move numbered as the scorecard lists it.
func TestTheTimelinesGoldenLaneTakesTheGoldenPathsTime(t *testing.T) {
	for _, tier := range []string{"L1", "L2"} {
		ss, card := timelineSession(t, tier, timelineMoves[:2])
		g := goldenTurns(ss, 7)
		if len(g) == 0 || g[len(g)-1].ClockMin != card.GoldenClockMin {
			t.Fatalf("%s: the golden lane ends at %v, the golden path takes %d min", tier, g, card.GoldenClockMin)
		}
		v := timelineOf(ss.Turns(), g, card, func(m string) string { return m })
		var numbers []string
		lastX := 0
		for _, m := range v.Marks {
			if strings.HasPrefix(m.Title, "Golden") {
				numbers = append(numbers, m.N)
				if m.X < lastX {
					t.Errorf("%s: golden marks go back in time: %q", tier, m.Title)
				}
				lastX = m.X
			}
		}
		var want []string
		for i, gm := range card.Golden {
			if gm.Tier == ss.Tier() || tier == "L1" { // L1 hands off; L2 plays on
				want = append(want, fmt.Sprint(i+1))
			}
		}
		if !slices.Equal(numbers, want) {
			t.Errorf("%s: the golden lane numbers %q, want %q", tier, numbers, want)
		}
	}
}

// TestTheTimelineOfALongAttemptStaysReadable: forty moves over two days,
// and no two marks of a lane, nor two tick labels, overlap.
func TestTheTimelineOfALongAttemptStaysReadable(t *testing.T) {
	lib := library(t)
	sc := lib.Scenarios.Find("https-proxy-cname")
	ss, err := simulator.New(lib.Scenarios.Playbook(sc), sc, "L1", simulator.ModePractice, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; len(ss.Turns()) < 39; i++ {
		menu := ss.Menu()
		o := menu[i%len(menu)]
		mv, _ := scenarios.ParseMove(o.ID)
		if mv.Kind == scenarios.MoveClose || mv.Kind == scenarios.MoveEscalate {
			continue
		}
		if _, err := ss.Play(o.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ss.Play("close"); err != nil {
		t.Fatal(err)
	}
	card := scoring.Score(scoring.FromSession(ss, "ana", scoring.SourceAttempt))
	v := timelineOf(ss.Turns(), goldenTurns(ss, 7), card, func(m string) string { return m })
	for i, a := range v.Marks {
		for _, b := range v.Marks[i+1:] {
			dx, dy := a.X-b.X, a.Y-b.Y
			if dx*dx+dy*dy < 4*tlR*tlR {
				t.Errorf("marks overlap: %q at %d,%d and %q at %d,%d", a.N, a.X, a.Y, b.N, b.X, b.Y)
			}
		}
	}
	for i := 1; i < len(v.Ticks); i++ {
		a, b := v.Ticks[i-1], v.Ticks[i]
		if b.X-a.X < (textW(a.Label)+textW(b.Label))/2 {
			t.Errorf("tick labels %q and %q overlap", a.Label, b.Label)
		}
	}
	if v.Width > 1600 || v.Height > 600 {
		t.Errorf("a timeline of %d moves is %dx%d", len(ss.Turns()), v.Width, v.Height)
	}
	if dir := os.Getenv("CASEBOOK_SCREENSHOTS"); dir != "" {
		css, _ := staticFiles.ReadFile("static/style.css")
		page := "<!doctype html><meta charset=utf-8><style>" + string(css) + "</style><main class=\"ticket\"><section class=\"thread\"><section class=\"card scorecard\"><h3>Timeline</h3>" + renderTimeline(t, v) + "</section></section><aside class=\"side\"></aside></main>"
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "timeline-long.html"), []byte(page), 0o644)
	}
}
