package web

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sync"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
)

// team shows a trainer the dashboard of the team's attempts. It counts
// the scorecards stored (supervised and local attempts and imports alike),
// as report --store does, and measures readiness against the accounts'
// assignments.
func (s *Server) team(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	d, err := s.dashboard(r.Context())
	if err != nil {
		s.cfg.Log.Error("dashboard", "err", err.Error())
		s.fail(w, r, http.StatusServiceUnavailable, "The store is unavailable: try again.")
		return
	}
	s.render(w, http.StatusOK, "team.html", map[string]any{"User": u, "Dash": dashboardOf(d, true)})
}

// A dashCache keeps the counts of every stored summary between requests
// while no scorecard was stored: reading a million summaries takes
// seconds, the goals and grades beside them milliseconds.
type dashCache struct {
	mu      sync.Mutex
	version string
	agg     *scoring.Aggregator
}

// A scoresVersioner says when the stored scorecards changed
// (store.sqlStore.ScoresVersion).
type scoresVersioner interface {
	ScoresVersion(ctx context.Context) (string, error)
}

// dashboard gathers what the dashboard shows from the store.
func (s *Server) dashboard(ctx context.Context) (Dashboard, error) {
	c := &s.dash
	c.mu.Lock()
	defer c.mu.Unlock()
	version := ""
	if v, ok := s.cfg.Store.(scoresVersioner); ok {
		var err error
		if version, err = v.ScoresVersion(ctx); err != nil {
			return Dashboard{}, err
		}
	}
	if c.agg == nil || version == "" || version != c.version {
		workers := runtime.GOMAXPROCS(0)
		aggs := make([]*scoring.Aggregator, workers)
		for i := range aggs {
			aggs[i] = scoring.NewAggregator(3, 5)
		}
		err := s.cfg.Store.Summaries(ctx, store.Filter{}, workers, func(w int, sm *store.Summary) error {
			aggs[w].Add(scoring.Entry{Card: sm.Card, StartedAt: sm.StartedAt, File: sm.File})
			return nil
		})
		if err != nil {
			return Dashboard{}, err
		}
		for _, a := range aggs[1:] {
			aggs[0].Merge(a)
		}
		c.agg, c.version = aggs[0], version
	}
	goals, err := s.cfg.Store.Goals(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	c.agg.SetReadiness(scoring.ReadinessOptions{Goals: goals, Playbooks: PlaybookOf(s.cfg.Library)})
	grades, err := Calibrations(ctx, s.cfg.Store)
	if err != nil {
		return Dashboard{}, err
	}
	return Dashboard{Report: c.agg.Report(), History: c.agg.History(), Grades: grades, Library: s.cfg.Library,
		Source: s.cfg.Store.String(), Generated: s.cfg.Now()}, nil
}

// PlaybookOf maps each scenario of the library to its playbook's id.
func PlaybookOf(lib *Library) map[string]string {
	m := map[string]string{}
	if lib == nil || lib.Scenarios == nil {
		return m
	}
	for _, sc := range lib.Scenarios.Scenarios {
		if p := lib.Scenarios.Playbook(sc); p != nil {
			m[sc.ID] = p.ID
		}
	}
	return m
}

// playbookPage draws one playbook's graph, with the golden paths of its
// scenarios (of one, with ?scenario=).
func (s *Server) playbookPage(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	p := s.cfg.Library.Find(r.PathValue("id"))
	if p == nil {
		s.fail(w, r, http.StatusNotFound, "No such playbook in the library.")
		return
	}
	scenario := r.URL.Query().Get("scenario")
	var names []string
	for _, sc := range s.cfg.Library.Scenarios.Scenarios {
		if s.cfg.Library.Scenarios.Playbook(sc) == p {
			names = append(names, sc.ID)
		}
	}
	if scenario != "" && !slices.Contains(names, scenario) {
		s.fail(w, r, http.StatusNotFound, "No such scenario on this playbook.")
		return
	}
	cov := simulator.CoverageOf(p, s.cfg.Library.Scenarios)
	g := graphOf(p, cov, libraryGoldens(s.cfg.Library, p, scenario))
	s.render(w, http.StatusOK, "playbook.html", map[string]any{"User": u, "Playbook": p, "Graph": g, "Scenarios": names,
		"Scenario": scenario, "Coverage": cov})
}

// A heatMap is a scenario's steps (rows) by tiers (columns), each cell
// shaded by the share of the tier's attempts that left the golden path
// there or skipped it.
type heatMap struct {
	Scenario      string
	Tiers         []string
	Heads         []heatHead
	Rows          []heatRow
	Width, Height int
}

type heatHead struct {
	Name string
	X    int
}

type heatRow struct {
	Step  string
	TextY int
	Cells []heatCell
}

type heatCell struct {
	X, Y, TextX, TextY int
	Fill               string
	Label              string // the share, shown in the cell
	Title              string // a tooltip: what the share counts
}

// Sizes of the heat-map, in SVG user units.
const (
	heatLabel = 220 // the step names' column
	heatCellW = 110
	heatCellH = 26
	heatTop   = 30 // the tiers' header
)

func heatMapOf(sp scoring.ScenarioPaths) heatMap {
	h := heatMap{Scenario: sp.Scenario}
	var steps []string
	share := map[[2]string]string{}
	title := map[[2]string]string{}
	level := map[[2]string]float64{}
	for _, tp := range sp.Tiers {
		h.Tiers = append(h.Tiers, string(tp.Tier))
		for _, st := range tp.Steps {
			if !slices.Contains(steps, st.Step) {
				steps = append(steps, st.Step)
			}
			key := [2]string{st.Step, string(tp.Tier)}
			off := 0.0
			if tp.Attempts > 0 {
				off = float64(st.Off) / float64(tp.Attempts)
			}
			skipped := 0.0
			if tp.WithProgress > 0 {
				skipped = float64(st.Skipped) / float64(tp.WithProgress)
			}
			level[key] = max(off, skipped)
			share[key] = fmt.Sprintf("%.0f%%", 100*level[key])
			title[key] = fmt.Sprintf("%s, tier %s: off the path in %d of %d attempts, skipped in %d of %d", st.Step, tp.Tier, st.Off, tp.Attempts, st.Skipped, tp.WithProgress)
		}
	}
	for j, tier := range h.Tiers {
		h.Heads = append(h.Heads, heatHead{tier, heatLabel + j*heatCellW + heatCellW/2})
	}
	for i, step := range steps {
		y := heatTop + i*heatCellH
		row := heatRow{Step: step, TextY: y + 17}
		for j, tier := range h.Tiers {
			key := [2]string{step, tier}
			x := heatLabel + j*heatCellW
			c := heatCell{X: x, Y: y, TextX: x + heatCellW/2, TextY: y + 17, Fill: "#f2f4f7", Title: step + ", tier " + tier + ": not this tier's step"}
			if t, ok := title[key]; ok {
				c.Fill, c.Label, c.Title = shade(level[key]), share[key], t
			}
			row.Cells = append(row.Cells, c)
		}
		h.Rows = append(h.Rows, row)
	}
	h.Width = heatLabel + len(h.Tiers)*heatCellW
	h.Height = heatTop + len(steps)*heatCellH
	return h
}

// shade is a colour from pale (no attempt left the path) to deep red (all
// did).
func shade(level float64) string {
	level = min(max(level, 0), 1)
	r := 255 - int(level*75)
	g := 245 - int(level*190)
	b := 240 - int(level*190)
	return fmt.Sprintf("#%02x%02x%02x", r, g, b)
}
