package scoring

import (
	"cmp"
	"maps"
	"slices"

	"github.com/casebook/casebook/playbooks"
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
	// Incomplete lists the attempts whose case was never closed, by file;
	// none of them counts anywhere above.
	Incomplete []IncompleteAttempt `json:"incomplete"`
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
	Tier     playbooks.TierName `json:"tier"`
	Attempts int                `json:"attempts"`
	Steps    []Count            `json:"steps"`
}

// An IncompleteAttempt is an attempt whose case was never closed: it is
// listed apart and kept out of every median and count of the report.
type IncompleteAttempt struct {
	File     string             `json:"file"`
	Trainee  string             `json:"trainee"`
	Tier     playbooks.TierName `json:"tier"`
	Scenario string             `json:"scenario"`
	Moves    int                `json:"moves"`
}

// An Aggregator builds a report from scorecards as they come, keeping
// counts rather than the scorecards: its memory grows with the number of
// distinct trainees, tiers, scenarios, scores, times and findings, not
// with the number of attempts. Aggregators fed with parts of the attempts
// merge into the report of them all; the order attempts come in changes
// nothing. An Aggregator is not safe for concurrent use.
type Aggregator struct {
	k, top     int
	attempts   int
	trainees   map[string]*groupAcc
	tiers      map[string]*groupAcc
	scenarios  map[string]*groupAcc
	firsts     map[pairKey]*firstK
	departures map[pairKey]*departureAcc
	incomplete []IncompleteAttempt
}

type pairKey struct{ a, b string }

// groupAcc is what a Group is computed from.
type groupAcc struct {
	attempts, resolved int
	scores, clocks     map[int]int // value -> how many attempts
	findings           map[string]int
}

// firstK keeps a trainee's first k attempts at a scenario (by start time,
// then file) and how many there are in all.
type firstK struct {
	n     int
	first []attemptRef
}

type attemptRef struct {
	startedAt, file string
	resolved        bool
}

func (r attemptRef) compare(o attemptRef) int {
	return cmp.Or(cmp.Compare(r.startedAt, o.startedAt), cmp.Compare(r.file, o.file))
}

type departureAcc struct {
	attempts int
	steps    map[string]int
}

// NewAggregator starts an empty report with pass^k for k and top findings
// per group.
func NewAggregator(k, top int) *Aggregator {
	return &Aggregator{k: k, top: top, trainees: map[string]*groupAcc{}, tiers: map[string]*groupAcc{},
		scenarios: map[string]*groupAcc{}, firsts: map[pairKey]*firstK{}, departures: map[pairKey]*departureAcc{}}
}

// Add counts one scored attempt.
func (a *Aggregator) Add(e Entry) {
	c := e.Card
	a.attempts++
	for _, g := range []struct {
		m   map[string]*groupAcc
		key string
	}{{a.trainees, c.Trainee}, {a.tiers, string(c.Tier)}, {a.scenarios, c.Scenario}} {
		acc := g.m[g.key]
		if acc == nil {
			acc = &groupAcc{scores: map[int]int{}, clocks: map[int]int{}, findings: map[string]int{}}
			g.m[g.key] = acc
		}
		acc.attempts++
		if c.Resolved {
			acc.resolved++
		}
		acc.scores[c.Total]++
		acc.clocks[c.ClockMin]++
		for _, f := range c.Findings {
			acc.findings[string(f.Rule)]++
		}
	}
	fk := a.firsts[pairKey{c.Trainee, c.Scenario}]
	if fk == nil {
		fk = &firstK{}
		a.firsts[pairKey{c.Trainee, c.Scenario}] = fk
	}
	fk.n++
	fk.keep(attemptRef{e.StartedAt, e.File, c.Resolved}, a.k)

	d := a.departures[pairKey{c.Scenario, string(c.Tier)}]
	if d == nil {
		d = &departureAcc{steps: map[string]int{}}
		a.departures[pairKey{c.Scenario, string(c.Tier)}] = d
	}
	d.attempts++
	for i, row := range c.Path {
		if row.Auto || row.OnPath || row.Due == "" {
			continue
		}
		// Each attempt counts once per step.
		seen := false
		for _, earlier := range c.Path[:i] {
			if !earlier.Auto && !earlier.OnPath && earlier.Due == row.Due {
				seen = true
				break
			}
		}
		if !seen {
			d.steps[row.Due]++
		}
	}
}

// AddIncomplete lists an attempt whose case was never closed.
func (a *Aggregator) AddIncomplete(i IncompleteAttempt) { a.incomplete = append(a.incomplete, i) }

// keep inserts r among the first k attempts.
func (f *firstK) keep(r attemptRef, k int) {
	if k < 1 {
		return
	}
	i, _ := slices.BinarySearchFunc(f.first, r, attemptRef.compare)
	if i >= k {
		return
	}
	f.first = slices.Insert(f.first, i, r)
	if len(f.first) > k {
		f.first = f.first[:k]
	}
}

// Merge adds everything b counted; b is not to be used afterwards.
func (a *Aggregator) Merge(b *Aggregator) {
	a.attempts += b.attempts
	for _, pair := range []struct{ to, from map[string]*groupAcc }{{a.trainees, b.trainees}, {a.tiers, b.tiers}, {a.scenarios, b.scenarios}} {
		for key, g := range pair.from {
			acc := pair.to[key]
			if acc == nil {
				pair.to[key] = g
				continue
			}
			acc.attempts += g.attempts
			acc.resolved += g.resolved
			addCounts(acc.scores, g.scores)
			addCounts(acc.clocks, g.clocks)
			addCounts(acc.findings, g.findings)
		}
	}
	for key, f := range b.firsts {
		acc := a.firsts[key]
		if acc == nil {
			a.firsts[key] = f
			continue
		}
		acc.n += f.n
		for _, r := range f.first {
			acc.keep(r, a.k)
		}
	}
	for key, d := range b.departures {
		acc := a.departures[key]
		if acc == nil {
			a.departures[key] = d
			continue
		}
		acc.attempts += d.attempts
		addCounts(acc.steps, d.steps)
	}
	a.incomplete = append(a.incomplete, b.incomplete...)
}

func addCounts[K comparable](to, from map[K]int) {
	for k, n := range from {
		to[k] += n
	}
}

// Report is the report of everything added.
func (a *Aggregator) Report() *Report {
	r := &Report{Format: ReportFormat, Attempts: a.attempts, K: a.k,
		Trainees: groups(a.trainees, a.top), Tiers: groups(a.tiers, a.top), Scenarios: groups(a.scenarios, a.top),
		Consistency: a.consistency(), Divergence: a.divergence(), Incomplete: slices.Clone(a.incomplete)}
	slices.SortFunc(r.Incomplete, func(x, y IncompleteAttempt) int { return cmp.Compare(x.File, y.File) })
	if r.Incomplete == nil {
		r.Incomplete = []IncompleteAttempt{}
	}
	return r
}

func groups(by map[string]*groupAcc, top int) []Group {
	keys := slices.Sorted(maps.Keys(by))
	out := make([]Group, 0, len(keys))
	for _, k := range keys {
		acc := by[k]
		out = append(out, Group{Key: k, Attempts: acc.attempts, Resolved: acc.resolved,
			MedianScore: medianOf(acc.scores), MedianClockMin: medianOf(acc.clocks), TopFindings: topCounts(acc.findings, top)})
	}
	return out
}

// medianOf is the median of the values counted in m (value -> how many).
func medianOf(m map[int]int) float64 {
	n := 0
	values := make([]int, 0, len(m))
	for v, c := range m {
		values = append(values, v)
		n += c
	}
	if n == 0 {
		return 0
	}
	slices.Sort(values)
	// The values at sorted positions lo and hi (0-based); equal when n is odd.
	lo, hi := (n-1)/2, n/2
	var atLo, atHi int
	seen := 0
	for _, v := range values {
		next := seen + m[v]
		if lo >= seen && lo < next {
			atLo = v
		}
		if hi >= seen && hi < next {
			atHi = v
			break
		}
		seen = next
	}
	return (float64(atLo) + float64(atHi)) / 2
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

func (a *Aggregator) consistency() []Consistency {
	stats := map[string]*Consistency{}
	for key, f := range a.firsts {
		c := stats[key.a]
		if c == nil {
			c = &Consistency{Trainee: key.a}
			stats[key.a] = c
		}
		if f.n < a.k || a.k < 1 {
			continue
		}
		c.Eligible++
		all := true
		for _, r := range f.first {
			all = all && r.resolved
		}
		if all {
			c.Consistent++
		}
	}
	names := slices.Sorted(maps.Keys(stats))
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

func (a *Aggregator) divergence() []Divergence {
	tiers := map[string][]string{}
	for key := range a.departures {
		tiers[key.a] = append(tiers[key.a], key.b)
	}
	names := slices.Sorted(maps.Keys(tiers))
	out := make([]Divergence, 0, len(names))
	for _, s := range names {
		d := Divergence{Scenario: s}
		ts := tiers[s]
		slices.Sort(ts)
		for _, t := range ts {
			acc := a.departures[pairKey{s, t}]
			d.Tiers = append(d.Tiers, TierDeparture{Tier: playbooks.TierName(t), Attempts: acc.attempts, Steps: topCounts(acc.steps, -1)})
		}
		out = append(out, d)
	}
	return out
}
