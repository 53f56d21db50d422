package web

import (
	"bytes"
	"cmp"
	_ "embed"
	"html/template"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// A Dashboard is what the trainer's dashboard shows: a report of the
// team's attempts (with the readiness the caller set on its Aggregator),
// each trainee's history, the hand grading, and the library the attempts
// were made on. casebook serve shows it at /team; WriteDashboard writes it
// as one self-contained HTML file (report --html).
type Dashboard struct {
	Report  *scoring.Report
	History []scoring.Series
	Grades  []Calibration
	Library *Library
	// Source says where the attempts came from (directories or a store).
	Source    string
	Generated time.Time
}

// A Calibration is a stored attempt graded by hand, part by part, beside
// its automatic score.
type Calibration struct {
	Attempt, Trainee, Scenario, Tier string
	Trainer                          string
	Parts                            []CalibratedPart
	Comment                          string
}

// A CalibratedPart is one part of the rubric as a trainer graded it and as
// the scorer did.
type CalibratedPart struct {
	Part            string
	Hand, Auto, Max int
	Comment         string
}

// maxGraphs bounds the playbook graphs one dashboard draws (those with the
// most attempts); the others are listed with their coverage.
const maxGraphs = 12

// dashView is the Dashboard as the "dashboard" template shows it.
type dashView struct {
	Report     *scoring.Report
	Source     string
	Generated  string
	PassMark   int
	Readiness  []readinessRow
	Scenarios  []scenarioView
	Findings   barChart
	Rules      []*scoring.Rule
	Progress   []progressChart
	Graphs     []graphSection
	MoreGraphs []graphSection
	Grades     calibrationView
	// Links says whether the page may link to the server's pages (an
	// attempt, a playbook): not in a file.
	Links bool
}

type readinessRow struct {
	scoring.TraineeReadiness
	ReadyFor []scoring.PlaybookReadiness
	// Shown are the scenarios the row details: those not ready, weakest
	// first, then the ready ones, at most maxDetails; More counts the rest.
	Shown []scoring.ScenarioReadiness
	More  int
}

// maxDetails bounds the scenarios a trainee's row details (report -o json
// lists them all).
const maxDetails = 12

type scenarioView struct {
	Scenario    string
	Title       string
	Attempts    int
	Scores      dotChart
	Times       dotChart
	Heat        heatMap
	Divergences int
}

type graphSection struct {
	Playbook  string
	Version   string
	Attempts  int
	Covered   int
	Branches  int
	Scenarios int
	Graph     *graphView
}

// dashboardOf lays out a dashboard.
func dashboardOf(d Dashboard, links bool) dashView {
	r := d.Report
	v := dashView{Report: r, Source: d.Source, PassMark: r.Readiness.PassMark, Links: links, Rules: ruleList()}
	if !d.Generated.IsZero() {
		v.Generated = d.Generated.UTC().Format("2006-01-02 15:04 UTC")
	}
	for _, tr := range r.Readiness.Trainees {
		row := readinessRow{TraineeReadiness: tr, Shown: slices.Clone(tr.Scenarios)}
		slices.SortStableFunc(row.Shown, func(a, b scoring.ScenarioReadiness) int {
			return cmp.Or(cmpReady(a.Ready, b.Ready), cmpReady(a.Attempts > 0, b.Attempts > 0), cmp.Compare(a.LastScore, b.LastScore))
		})
		if len(row.Shown) > maxDetails {
			row.More = len(row.Shown) - maxDetails
			row.Shown = row.Shown[:maxDetails]
		}
		for _, p := range tr.Playbooks {
			if p.Ready {
				row.ReadyFor = append(row.ReadyFor, p)
			}
		}
		v.Readiness = append(v.Readiness, row)
	}
	titles := map[string]string{}
	if d.Library != nil && d.Library.Scenarios != nil {
		for _, sc := range d.Library.Scenarios.Scenarios {
			titles[sc.ID] = sc.Title
		}
	}
	for _, sp := range r.Paths {
		sv := scenarioView{Scenario: sp.Scenario, Title: titles[sp.Scenario], Heat: heatMapOf(sp)}
		for _, tp := range sp.Tiers {
			sv.Attempts += tp.Attempts
		}
		sv.Scores, sv.Times = scoreCharts(sp, r.Readiness.PassMark)
		v.Scenarios = append(v.Scenarios, sv)
	}
	v.Findings = findingsChart(r.Tiers)
	v.Progress = progressCharts(d.History, r.Readiness)
	v.Graphs, v.MoreGraphs = graphSections(d)
	v.Grades = calibrationOf(d.Grades)
	return v
}

// cmpReady orders scenarios not ready before ready ones.
func cmpReady(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// ruleList is the rubric's rules, for the findings' links.
func ruleList() []*scoring.Rule {
	out := make([]*scoring.Rule, len(scoring.Rules))
	for i := range scoring.Rules {
		out[i] = &scoring.Rules[i]
	}
	return out
}

// graphSections draws the graphs of the playbooks the attempts were made
// on, those with the most attempts first, up to maxGraphs; the rest are
// listed with their coverage only.
func graphSections(d Dashboard) (drawn, listed []graphSection) {
	if d.Library == nil || d.Library.Scenarios == nil {
		return nil, nil
	}
	attempts := map[string]int{}
	for _, sp := range d.Report.Paths {
		sc := d.Library.Scenarios.Find(sp.Scenario)
		if sc == nil {
			continue
		}
		p := d.Library.Scenarios.Playbook(sc)
		if p == nil {
			continue
		}
		for _, tp := range sp.Tiers {
			attempts[p.ID] += tp.Attempts
		}
	}
	ids := slices.SortedFunc(maps.Keys(attempts), func(a, b string) int {
		return cmp.Or(cmp.Compare(attempts[b], attempts[a]), cmp.Compare(a, b))
	})
	for i, id := range ids {
		p := d.Library.Find(id)
		if p == nil {
			continue
		}
		cov := simulator.CoverageOf(p, d.Library.Scenarios)
		sec := graphSection{Playbook: p.ID, Version: p.Version, Attempts: attempts[id],
			Covered: cov.BranchesCovered, Branches: cov.BranchesTotal, Scenarios: len(cov.Scenarios)}
		if i < maxGraphs {
			g := graphOf(p, cov, libraryGoldens(d.Library, p, ""))
			sec.Graph = &g
			drawn = append(drawn, sec)
		} else {
			listed = append(listed, sec)
		}
	}
	return drawn, listed
}

// parsedPages are the embedded templates, parsed once: the server's pages
// and the dashboard file's.
var parsedPages = sync.OnceValues(func() (*template.Template, error) {
	return template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
})

//go:embed static/style.css
var styleCSS string

// WriteDashboard writes the dashboard as one HTML file that needs nothing
// else: its stylesheet inline, its charts inline SVG, no script, no link
// to fetch anything.
func WriteDashboard(w io.Writer, d Dashboard) error {
	pages, err := parsedPages()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	err = pages.ExecuteTemplate(&b, "report.html", map[string]any{
		"Dash": dashboardOf(d, false), "Style": template.CSS(styleCSS),
	})
	if err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}
