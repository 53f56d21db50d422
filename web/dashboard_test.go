package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"github.com/chromedp/chromedp"
)

// teamOf plays a generated team's attempts on the embedded library:
// trainees who get better with practice, at both tiers of every scenario,
// one of them named with markup. It returns the aggregated report's
// inputs.
func teamOf(t testing.TB, lib *Library, trainees, attempts int) *scoring.Aggregator {
	t.Helper()
	agg := scoring.NewAggregator(3, 5)
	r := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	for i := range trainees {
		name := fmt.Sprintf("trainee-%02d", i)
		if i == 1 {
			name = `<b>mal</b> & "co"`
		}
		for _, sc := range lib.Scenarios.Scenarios {
			p := lib.Scenarios.Playbook(sc)
			for _, tier := range p.Tiers {
				g, err := simulator.GoldenPath(p, sc, tier)
				if err != nil {
					t.Fatal(err)
				}
				for j := range attempts {
					ss, err := simulator.New(p, sc, tier.Name, simulator.ModePractice, uint64(i*1000+j))
					if err != nil {
						t.Fatal(err)
					}
					// Better with each attempt: fewer golden moves left
					// out, and closed early less often.
					skill := min(1, 0.3+0.12*float64(j)+0.05*float64(i%4))
					for _, m := range g.Moves {
						if ss.Over() {
							break
						}
						if r.Float64() > skill && m.Move != "close" && !strings.HasPrefix(m.Move, "escalate") {
							continue
						}
						if _, err := ss.Play(m.Move); err != nil {
							break
						}
					}
					if !ss.Over() {
						ss.Play("close")
					}
					if !ss.Over() {
						continue
					}
					card := scoring.Score(scoring.FromSession(ss, name, scoring.SourceAttempt))
					at := start.Add(time.Duration(j*24+i)*time.Hour + time.Duration(len(sc.ID))*time.Minute)
					agg.Add(scoring.Entry{Card: card, StartedAt: at.Format(time.RFC3339), File: fmt.Sprintf("%s/%s-%d", name, sc.ID, j)})
				}
			}
		}
	}
	return agg
}

func teamDashboard(t testing.TB) Dashboard {
	lib := library(t)
	agg := teamOf(t, lib, 6, 6)
	agg.SetReadiness(scoring.ReadinessOptions{Playbooks: PlaybookOf(lib), Goals: []scoring.Goal{
		{Trainee: "trainee-00", Scenario: "https-proxy-cname", Tier: "L1", PassMark: 70, K: 2},
		{Trainee: "newcomer", Scenario: "https-proxy-cname", Tier: "L1"},
	}})
	grades := []Calibration{
		{Attempt: "1", Trainee: "trainee-00", Scenario: "https-proxy-cname", Tier: "L1", Trainer: "tom", Comment: "asked <twice>",
			Parts: []CalibratedPart{{Part: "resolution", Hand: 20, Auto: 25, Max: 25}, {Part: "communication", Hand: 15, Auto: 15, Max: 15}}},
		{Attempt: "1", Trainee: "trainee-00", Scenario: "https-proxy-cname", Tier: "L1", Trainer: "una",
			Parts: []CalibratedPart{{Part: "resolution", Hand: 24, Auto: 25, Max: 25}, {Part: "communication", Hand: 9, Auto: 15, Max: 15}}},
	}
	return Dashboard{Report: agg.Report(), History: agg.History(), Grades: grades, Library: lib, Source: "generated",
		Generated: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
}

// chartSVG renders one chart template.
func chartSVG(t *testing.T, name string, v any) string {
	t.Helper()
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The charts are golden files: the same team draws the same bytes.
func TestDashboardChartsGolden(t *testing.T) {
	d := teamDashboard(t)
	v := dashboardOf(d, false)
	var sp scoring.ScenarioPaths
	for _, p := range d.Report.Paths {
		if p.Scenario == "https-proxy-cname" {
			sp = p
		}
	}
	scores, times := scoreCharts(sp, d.Report.Readiness.PassMark)
	golden.Compare(t, filepath.Join("testdata", "dashboard-scores.svg"), chartSVG(t, "dots", scores))
	golden.Compare(t, filepath.Join("testdata", "dashboard-times.svg"), chartSVG(t, "dots", times))
	golden.Compare(t, filepath.Join("testdata", "dashboard-findings.svg"), chartSVG(t, "bars", v.Findings))
	golden.Compare(t, filepath.Join("testdata", "dashboard-progress.svg"), chartSVG(t, "progress", v.Progress[0]))
	golden.Compare(t, filepath.Join("testdata", "dashboard-heat.svg"), chartSVG(t, "heat", heatMapOf(sp)))
	if again := dashboardOf(teamDashboard(t), false); !slices.EqualFunc(again.Progress, v.Progress, func(a, b progressChart) bool { return a == b }) {
		t.Error("the same team drew different progress charts")
	}
}

func TestDotChartCountsEveryAttempt(t *testing.T) {
	rows := []stripInput{{Label: "L1", Values: []scoring.ValueCount{{Value: 10, Count: 3}, {Value: 80, Count: 1}}, Median: 10}, {Label: "L2", Values: []scoring.ValueCount{{Value: 100, Count: 2}}, Median: 100}}
	c := newDotChart("t", rows, 0, 100, func(v int) string { return fmt.Sprint(v) })
	if n := strings.Count(c.Rows[0].Dots, "h0"); n != 4 {
		t.Errorf("L1 has %d dots for 4 attempts", n)
	}
	if n := strings.Count(c.Rows[1].Dots, "h0"); n != 2 {
		t.Errorf("L2 has %d dots for 2 attempts", n)
	}
	// Too many to stack: every row draws bars, on one scale.
	many := []stripInput{{Label: "L1", Values: []scoring.ValueCount{{Value: 50, Count: 1000}, {Value: 90, Count: 10}}}, {Label: "L2", Values: []scoring.ValueCount{{Value: 50, Count: 500}}}}
	c = newDotChart("t", many, 0, 100, func(v int) string { return fmt.Sprint(v) })
	if !c.Rows[0].Bars || !c.Rows[1].Bars || !strings.Contains(c.Note, "the tallest, 1000") {
		t.Fatalf("bars %v %v, note %q", c.Rows[0].Bars, c.Rows[1].Bars, c.Note)
	}
	if c.Rows[0].Dots != "M333 80v-42M531 80v-2" || c.Rows[1].Dots != "M333 144v-21" {
		t.Errorf("bars %q and %q", c.Rows[0].Dots, c.Rows[1].Dots)
	}
}

func TestDashboardFile(t *testing.T) {
	d := teamDashboard(t)
	var b bytes.Buffer
	if err := WriteDashboard(&b, d); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	// Self-contained: no script, nothing to fetch.
	for _, bad := range []string{"<script", "src=", "<link", "@import", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("the file holds %q", bad)
		}
	}
	if strings.Contains(page, "<b>mal</b>") || !strings.Contains(page, "&lt;b&gt;mal&lt;/b&gt; &amp; &#34;co&#34;") {
		t.Error("a trainee's name with markup is not escaped as text")
	}
	if strings.Contains(page, "asked <twice>") {
		t.Error("a grading's comment is not escaped")
	}
	// The readiness shown is the report's.
	for _, tr := range d.Report.Readiness.Trainees {
		esc := template.HTMLEscapeString(tr.Trainee)
		if !strings.Contains(page, "<td>"+esc+"</td><td><details><summary>"+fmt.Sprintf("%d of %d", tr.Ready, tr.Of)) {
			t.Errorf("the dashboard does not show %s ready for %d of %d", tr.Trainee, tr.Ready, tr.Of)
		}
	}
	for _, want := range []string{`id="rule-`, `href="#rule-`, `class="graph"`, `class="heat"`, "Calibration", "newcomer"} {
		if !strings.Contains(page, want) {
			t.Errorf("the file lacks %q", want)
		}
	}
	for _, tag := range []string{"section", "table", "details", "svg", "figure"} {
		if o, c := strings.Count(page, "<"+tag+" ")+strings.Count(page, "<"+tag+">"), strings.Count(page, "</"+tag+">"); o != c {
			t.Errorf("%d <%s> but %d </%s>", o, tag, c, tag)
		}
	}
	// Every finding's link has its target.
	for _, m := range regexp.MustCompile(`href="#(rule-[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(page, `id="`+m[1]+`"`) {
			t.Errorf("a link to #%s, which the file does not have", m[1])
		}
	}
}

func TestCalibrationAgreement(t *testing.T) {
	v := calibrationOf(teamDashboard(t).Grades)
	if v.Graded != 1 || v.Trainers != 2 || len(v.Parts) != 2 {
		t.Fatalf("%+v", v)
	}
	res, com := v.Parts[0], v.Parts[1]
	if res.Part != "resolution" || res.Graded != 2 || res.AutoAgree != "50% (1 of 2)" || res.AutoOff != "3.0" || res.Pairs != 1 || res.PeerAgree != "0% (0 of 1)" || res.PeerOff != "4.0" {
		t.Errorf("resolution: %+v", res)
	}
	if com.Part != "communication" || com.AutoAgree != "50% (1 of 2)" || com.PeerOff != "6.0" {
		t.Errorf("communication: %+v", com)
	}
}

// TestDashboardInARealBrowser opens the dashboard file of a generated team
// in headless Chromium: every chart renders, nothing is fetched, nothing
// is written to the console, and each section is kept as a screenshot
// ($CASEBOOK_SCREENSHOTS, or the test's own directory).
func TestDashboardInARealBrowser(t *testing.T) {
	path := chromium(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "team.html")
	var b bytes.Buffer
	if err := WriteDashboard(&b, teamDashboard(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, shot := chrome(t, path)
	seen := watch(t, ctx, func(u *url.URL) bool { return u.Scheme != "file" && u.Scheme != "data" })
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.CSS(`svg.graph`))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sel string
		min int
	}{{`svg.chart`, 6}, {`svg.heat`, 2}, {`svg.graph`, 2}, {`#rules dt`, len(scoring.Rules)}} {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, c.sel)))
		if err != nil || n < c.min {
			t.Errorf("%d of %s (%v), want at least %d", n, c.sel, err, c.min)
		}
	}
	// Every chart has a size: it rendered.
	empty, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width < 10 || s.getBoundingClientRect().height < 5).length`))
	if err != nil || empty > 0 {
		t.Errorf("%d SVG(s) drew nothing (%v)", empty, err)
	}
	name, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`table.readiness > tbody > tr:first-child > td:first-child`)))
	if err != nil || name != `<b>mal</b> & "co"` {
		t.Errorf("the trainee named with markup shows as %q (%v)", name, err)
	}
	shot("dashboard-full", "")
	for _, sec := range []string{"readiness", "scenario-https-proxy-cname", "findings", "progress", "playbooks", "calibration"} {
		shot("dashboard-"+sec, "#"+sec)
	}
	fetched, console := seen()
	if len(fetched) > 0 {
		t.Errorf("the file fetched %q", fetched)
	}
	if len(console) > 0 {
		t.Errorf("the page wrote to the console: %q", console)
	}
}

// The server's Team page is the same dashboard, from the store: readiness
// against the accounts' assignments, the playbooks' pages, and the hand
// grading trainers give on a closed attempt.
func TestTeamPageIsTheDashboard(t *testing.T) {
	srv, _ := server(t)
	ana := newBrowser(t, srv)
	ana.login("ana")
	ref, _ := ana.play("https-proxy-cname", "L1", "practice", goldenL1)
	// A trainee can neither grade nor see the dashboard.
	if code, _, _ := ana.do("POST", "/attempts/"+ref+"/grade", url.Values{"csrf": {ana.csrf}, "part-resolution": {"1"}}); code != http.StatusNotFound {
		t.Errorf("a trainee grading: %d", code)
	}
	for _, p := range []string{"/team", "/team/playbooks/https-link-branding"} {
		if code, _, _ := ana.do("GET", p, nil); code != http.StatusNotFound {
			t.Errorf("a trainee got %s: %d", p, code)
		}
	}
	tom := newBrowser(t, srv)
	tom.login("tom")
	code, _, page := tom.do("GET", "/attempts/"+ref, nil)
	if code != http.StatusOK || !strings.Contains(page, `action="/attempts/`+ref+`/grade"`) {
		t.Fatalf("no grading form on a closed attempt for a trainer (%d)", code)
	}
	form := url.Values{"csrf": {tom.csrf}, "comment": {"fine <really>"}}
	for _, p := range scoring.Parts {
		form.Set("part-"+p.ID, fmt.Sprint(p.Max-1))
	}
	bad := url.Values{"csrf": {tom.csrf}}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("part-resolution", "99")
	if code, _, page := tom.do("POST", "/attempts/"+ref+"/grade", bad); code != http.StatusBadRequest || !strings.Contains(page, "from 0 to 25") {
		t.Errorf("a grade over the part's points: %d", code)
	}
	if code, loc, _ := tom.do("POST", "/attempts/"+ref+"/grade", form); code != http.StatusSeeOther || loc != "/attempts/"+ref+"#grade" {
		t.Fatalf("grading: %d %s", code, loc)
	}
	if code, _, _ := tom.do("POST", "/attempts/99999/grade", form); code != http.StatusNotFound {
		t.Errorf("grading an attempt that is not there: %d", code)
	}
	_, _, page = tom.do("GET", "/attempts/"+ref, nil)
	if !strings.Contains(page, "You graded this attempt before") || !strings.Contains(page, "fine &lt;really&gt;") {
		t.Error("the grading form does not show the trainer's earlier grading")
	}
	code, _, page = tom.do("GET", "/team", nil)
	if code != http.StatusOK {
		t.Fatalf("team: %d", code)
	}
	for _, want := range []string{"not tried yet", "Agree with the scorer", "fine &lt;really&gt;", `class="graph"`, `href="/attempts/` + ref + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the Team page lacks %q", want)
		}
	}
	for _, p := range []string{"/team/playbooks/https-link-branding", "/team/playbooks/https-link-branding?scenario=https-proxy-cname"} {
		if code, _, page := tom.do("GET", p, nil); code != http.StatusOK || !strings.Contains(page, `class="graph"`) {
			t.Errorf("%s: %d", p, code)
		}
	}
	for _, p := range []string{"/team/playbooks/nope", "/team/playbooks/https-link-branding?scenario=nope"} {
		if code, _, _ := tom.do("GET", p, nil); code != http.StatusNotFound {
			t.Errorf("%s: %d", p, code)
		}
	}
}

// countingStore counts how often all the summaries are read (not one
// trainee's, which their home page reads).
type countingStore struct {
	Store
	scoresVersioner
	reads int
}

func (c *countingStore) Summaries(ctx context.Context, f store.Filter, workers int, each func(int, *store.Summary) error) error {
	if f.Trainee == "" {
		c.reads++
	}
	return c.Store.Summaries(ctx, f, workers, each)
}

// The Team page reads the stored summaries again only when a scorecard
// was stored since: a new attempt shows at once, a reload costs nothing.
func TestTheDashboardIsKeptWhileNoScorecardChanges(t *testing.T) {
	_, st := server(t)
	cs := &countingStore{Store: st, scoresVersioner: st.(scoresVersioner)}
	s, err := New(Config{Store: cs, Library: library(t)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tom := newBrowser(t, srv)
	tom.login("tom")
	ana := newBrowser(t, srv)
	ana.login("ana")
	ana.play("https-proxy-cname", "L1", "practice", goldenL1)
	for range 2 {
		if _, _, page := tom.do("GET", "/team", nil); !strings.Contains(page, "1 scored attempt(s)") {
			t.Fatal("the Team page does not count the attempt")
		}
	}
	if cs.reads != 1 {
		t.Errorf("two views read the summaries %d times, want once", cs.reads)
	}
	ana.play("https-proxy-cname", "L1", "practice", goldenL1)
	if _, _, page := tom.do("GET", "/team", nil); !strings.Contains(page, "2 scored attempt(s)") {
		t.Error("the Team page does not show the new attempt")
	}
	if cs.reads != 2 {
		t.Errorf("after a new scorecard the summaries were read %d times in all, want 2", cs.reads)
	}
}
