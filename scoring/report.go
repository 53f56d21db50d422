package scoring

import (
	"cmp"
	"slices"
	"sync"
)

// ReportFormat is the version of the report JSON.
const ReportFormat = "report/v1"

// An Entry is one scored attempt for a report.
type Entry struct {
	Card      *Scorecard
	StartedAt string // RFC 3339; orders a trainee's attempts for pass^k
	File      string
}

// A Report aggregates many scorecards: per trainee, per tier and per
// scenario, how consistent each trainee is, and where tiers leave the
// golden path.
type Report struct {
	Format      string        `json:"casebook"`
	Attempts    int           `json:"attempts"`
	K           int           `json:"k"`
	Trainees    []Group       `json:"trainees"`
	Tiers       []Group       `json:"tiers"`
	Scenarios   []Group       `json:"scenarios"`
	Consistency []Consistency `json:"consistency"`
	Divergence  []Divergence  `json:"divergence"`
}

// A Group is the statistics of the attempts sharing a trainee, a tier or a
// scenario.
type Group struct {
	Key            string  `json:"key"`
	Attempts       int     `json:"attempts"`
	MedianScore    float64 `json:"median_score"`
	MedianClockMin float64 `json:"median_clock_min"`
	Resolved       int     `json:"resolved"`
	TopFindings    []Count `json:"top_findings"`
}

// A Count is how often something happened.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Consistency is a trainee's pass^k: the share of scenarios (among those
// they tried at least k times) that they resolved on each of their first k
// attempts.
type Consistency struct {
	Trainee    string  `json:"trainee"`
	Eligible   int     `json:"scenarios_with_k_attempts"`
	Consistent int     `json:"resolved_every_time"`
	PassK      float64 `json:"pass_k"` // -1 when no scenario has k attempts
}

// Divergence shows, for one scenario, where each tier's attempts leave the
// golden path: per step, how many attempts made a move off the path while
// that step applied.
type Divergence struct {
	Scenario string          `json:"scenario"`
	Tiers    []TierDeparture `json:"tiers"`
}

// A TierDeparture is one tier's departures in a scenario, most frequent first.
type TierDeparture struct {
	Tier     string  `json:"tier"`
	Attempts int     `json:"attempts"`
	Steps    []Count `json:"steps"`
}

// Aggregate builds the report. top bounds the findings listed per group.
func Aggregate(entries []Entry, k, top int) *Report {
	r := &Report{Format: ReportFormat, Attempts: len(entries), K: k,
		Trainees: []Group{}, Tiers: []Group{}, Scenarios: []Group{}, Consistency: []Consistency{}, Divergence: []Divergence{}}
	// Five independent passes over the entries, run side by side: a year
	// of attempts is a hundred thousand entries.
	var wg sync.WaitGroup
	wg.Go(func() { r.Trainees = groups(entries, func(e Entry) string { return e.Card.Trainee }, top) })
	wg.Go(func() { r.Tiers = groups(entries, func(e Entry) string { return e.Card.Tier }, top) })
	wg.Go(func() { r.Scenarios = groups(entries, func(e Entry) string { return e.Card.Scenario }, top) })
	wg.Go(func() { r.Consistency = consistency(entries, k) })
	r.Divergence = divergence(entries)
	wg.Wait()
	return r
}

func groups(entries []Entry, key func(Entry) string, top int) []Group {
	by := map[string][]Entry{}
	var keys []string
	for _, e := range entries {
		k := key(e)
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], e)
	}
	slices.Sort(keys)
	out := make([]Group, 0, len(keys))
	for _, k := range keys {
		es := by[k]
		g := Group{Key: k, Attempts: len(es)}
		scores := make([]float64, len(es))
		clocks := make([]float64, len(es))
		findings := map[string]int{}
		for i, e := range es {
			scores[i] = float64(e.Card.Total)
			clocks[i] = float64(e.Card.ClockMin)
			if e.Card.Resolved {
				g.Resolved++
			}
			for _, f := range e.Card.Findings {
				findings[f.Rule]++
			}
		}
		g.MedianScore, g.MedianClockMin = median(scores), median(clocks)
		g.TopFindings = topCounts(findings, top)
		out = append(out, g)
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// topCounts returns the n most frequent keys, ties broken by key.
func topCounts(m map[string]int, n int) []Count {
	out := make([]Count, 0, len(m))
	for k, c := range m {
		out = append(out, Count{k, c})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	if n >= 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func consistency(entries []Entry, k int) []Consistency {
	type key struct{ trainee, scenario string }
	by := map[key][]Entry{}
	trainees := map[string]bool{}
	for _, e := range entries {
		kk := key{e.Card.Trainee, e.Card.Scenario}
		by[kk] = append(by[kk], e)
		trainees[e.Card.Trainee] = true
	}
	names := make([]string, 0, len(trainees))
	for t := range trainees {
		names = append(names, t)
	}
	slices.Sort(names)
	stats := map[string]*Consistency{}
	for _, t := range names {
		stats[t] = &Consistency{Trainee: t}
	}
	for kk, es := range by {
		if len(es) < k || k < 1 {
			continue
		}
		slices.SortFunc(es, func(a, b Entry) int {
			return cmp.Or(cmp.Compare(a.StartedAt, b.StartedAt), cmp.Compare(a.File, b.File))
		})
		c := stats[kk.trainee]
		c.Eligible++
		all := true
		for _, e := range es[:k] {
			all = all && e.Card.Resolved
		}
		if all {
			c.Consistent++
		}
	}
	out := make([]Consistency, 0, len(names))
	for _, t := range names {
		c := stats[t]
		c.PassK = -1
		if c.Eligible > 0 {
			c.PassK = float64(c.Consistent) / float64(c.Eligible)
		}
		out = append(out, *c)
	}
	return out
}

func divergence(entries []Entry) []Divergence {
	type key struct{ scenario, tier string }
	attempts := map[key]int{}
	steps := map[key]map[string]int{}
	scenarios := map[string]map[string]bool{}
	for _, e := range entries {
		kk := key{e.Card.Scenario, e.Card.Tier}
		attempts[kk]++
		if steps[kk] == nil {
			steps[kk] = map[string]int{}
		}
		if scenarios[kk.scenario] == nil {
			scenarios[kk.scenario] = map[string]bool{}
		}
		scenarios[kk.scenario][kk.tier] = true
		seen := map[string]bool{}
		for _, row := range e.Card.Path {
			if !row.Auto && !row.OnPath && row.Due != "" && !seen[row.Due] {
				seen[row.Due] = true
				steps[kk][row.Due]++
			}
		}
	}
	names := make([]string, 0, len(scenarios))
	for s := range scenarios {
		names = append(names, s)
	}
	slices.Sort(names)
	out := make([]Divergence, 0, len(names))
	for _, s := range names {
		d := Divergence{Scenario: s}
		tiers := make([]string, 0, len(scenarios[s]))
		for t := range scenarios[s] {
			tiers = append(tiers, t)
		}
		slices.Sort(tiers)
		for _, t := range tiers {
			kk := key{s, t}
			d.Tiers = append(d.Tiers, TierDeparture{Tier: t, Attempts: attempts[kk], Steps: topCounts(steps[kk], -1)})
		}
		out = append(out, d)
	}
	return out
}
