package scoring

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// ReportFormat is the version of the report JSON.
const ReportFormat = "report/v1"

// An Entry is one scored attempt for a report. StartedAt and File may
// share memory the caller reuses for the next entry: the Aggregator copies
// what it keeps of them.
type Entry struct {
	Card      *Scorecard
	StartedAt string // RFC 3339; orders a trainee's attempts for pass^k
	File      string
}

// A Report aggregates many scorecards: per trainee, per tier and per
// scenario, how consistent each trainee is, and where tiers leave the
// golden path.
type Report struct {
	Format   string `json:"casebook"`
	Attempts int    `json:"attempts"`
	// Rules counts the attempts scored under each version of the rules,
	// oldest first.
	Rules       []RulesCount  `json:"rules"`
	K           int           `json:"k"`
	Trainees    []Group       `json:"trainees"`
	Tiers       []Group       `json:"tiers"`
	Scenarios   []Group       `json:"scenarios"`
	Consistency []Consistency `json:"consistency"`
	Divergence  []Divergence  `json:"divergence"`
	// Paths shows each tier's golden path of each scenario, step by step,
	// with how many of the tier's attempts left it or skipped it there.
	Paths []ScenarioPaths `json:"paths"`
	// Incomplete lists the attempts whose case was never closed, by file;
	// none of them counts anywhere above.
	Incomplete []IncompleteAttempt `json:"incomplete"`
	// Readiness says who is ready for which scenarios and playbooks, and
	// what each trainee should practise next.
	Readiness Readiness `json:"readiness"`
}

// A RulesCount is how many attempts were scored under a version of the
// rules.
type RulesCount struct {
	Rules    simulator.Rules `json:"rules"`
	Attempts int             `json:"attempts"`
}

// A Group is the statistics of the attempts sharing a trainee, a tier or a
// scenario.
type Group struct {
	Key            string  `json:"key"`
	Attempts       int     `json:"attempts"`
	MedianScore    float64 `json:"median_score"`
	MedianClockMin float64 `json:"median_clock_min"`
	// Resolved counts every attempt whose case was resolved: by the
	// trainee, or by the tier they handed it to (ResolvedAfterHandoff),
	// whose part is not the trainee's.
	Resolved             int `json:"resolved"`
	ResolvedByTrainee    int `json:"resolved_by_trainee"`
	ResolvedAfterHandoff int `json:"resolved_after_handoff"`
	// TopFindings are the most frequent mistakes: the rules that deduct
	// for progress not made (ProgressRules) restate the skipped steps
	// (Divergence) and are left out.
	TopFindings []Count `json:"top_findings"`
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
// that step applied, and how many skipped it (never made a golden move of
// the step that was theirs to make, on the path).
type Divergence struct {
	Scenario string          `json:"scenario"`
	Tiers    []TierDeparture `json:"tiers"`
}

// A TierDeparture is one tier's departures in a scenario, most frequent
// first. Skipped steps are known only of attempts scored under rules v2 or
// later (WithProgress of the Attempts).
type TierDeparture struct {
	Tier         playbooks.TierName `json:"tier"`
	Attempts     int                `json:"attempts"`
	Steps        []Count            `json:"steps"`
	WithProgress int                `json:"attempts_with_progress"`
	Skipped      []Count            `json:"skipped"`
}

// ScenarioPaths are the golden paths of one scenario's tiers.
type ScenarioPaths struct {
	Scenario string     `json:"scenario"`
	Tiers    []TierPath `json:"tiers"`
}

// A TierPath is a tier's golden path of a scenario (when its attempts were
// made on playbook versions with different golden paths, the one most of
// them had) and, for each step of the tier's own part, how many of the
// tier's attempts left the path there or skipped it.
type TierPath struct {
	Tier         playbooks.TierName     `json:"tier"`
	Attempts     int                    `json:"attempts"`
	WithProgress int                    `json:"attempts_with_progress"`
	Golden       []simulator.GoldenMove `json:"golden"`
	Steps        []PathStep             `json:"steps"`
	// The distribution of the tier's scores (how many attempts scored
	// each total, lowest first) and simulated times, and the golden
	// path's time (the one most attempts had; 0 when unknown).
	Scores         []ValueCount `json:"scores"`
	MedianScore    float64      `json:"median_score"`
	MedianClockMin float64      `json:"median_clock_min"`
	Clocks         []ValueCount `json:"clock_min"`
	GoldenClockMin int          `json:"golden_clock_min"`
}

// A ValueCount is how many attempts had a value.
type ValueCount struct {
	Value int `json:"value"`
	Count int `json:"count"`
}

// A PathStep is a step of a tier's own part of its golden path: its golden
// moves, and how many attempts made a move off the path while it applied
// (Off, of the TierPath's Attempts) or skipped it (Skipped, of
// WithProgress). HandsOffTo is the tier the step hands the case to.
type PathStep struct {
	Step       string             `json:"step"`
	Moves      []string           `json:"moves"`
	HandsOffTo playbooks.TierName `json:"hands_off_to,omitempty"`
	Off        int                `json:"off"`
	Skipped    int                `json:"skipped"`
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
	rules      map[simulator.Rules]int
	incomplete []IncompleteAttempt
	series     map[seriesKey]*seriesAcc
	ready      ReadinessOptions
}

type pairKey struct{ a, b string }

// groupAcc is what a Group is computed from.
type groupAcc struct {
	attempts, resolved int
	afterHandoff       int // resolved by the tier handed to
	scores, clocks     intCounts
	findings           findingCounts
}

// intCounts counts values (totals, minutes): those from 0 to 100 in an
// array (a report counts a million of them), any other in a map.
type intCounts struct {
	small [101]int
	more  map[int]int
}

func (c *intCounts) add(v, n int) {
	if v >= 0 && v < len(c.small) {
		c.small[v] += n
		return
	}
	if c.more == nil {
		c.more = map[int]int{}
	}
	c.more[v] += n
}

func (c *intCounts) merge(o *intCounts) {
	for v, n := range o.small {
		c.small[v] += n
	}
	for v, n := range o.more {
		c.add(v, n)
	}
}

// counts is the value -> how many attempts map of the counts.
func (c *intCounts) counts() map[int]int {
	m := maps.Clone(c.more)
	if m == nil {
		m = map[int]int{}
	}
	for v, n := range c.small {
		if n > 0 {
			m[v] += n
		}
	}
	return m
}

// findingCounts counts findings by rule: the rules this casebook knows in
// an array, by their place in Rules, any other in a map.
type findingCounts struct {
	known []int
	more  map[string]int
}

// ruleSlots is each known rule's place in Rules.
var ruleSlots = func() map[RuleID]int {
	m := make(map[RuleID]int, len(Rules))
	for i, r := range Rules {
		m[r.ID] = i
	}
	return m
}()

// slotOf is a rule's place in Rules, -1 for an unknown rule.
func slotOf(r RuleID) int {
	if i, ok := ruleSlots[r]; ok {
		return i
	}
	return -1
}

func (c *findingCounts) add(slot int, rule RuleID, n int) {
	if slot >= 0 {
		if c.known == nil {
			c.known = make([]int, len(Rules))
		}
		c.known[slot] += n
		return
	}
	if c.more == nil {
		c.more = map[string]int{}
	}
	c.more[string(rule)] += n
}

func (c *findingCounts) merge(o *findingCounts) {
	for i, n := range o.known {
		if n > 0 {
			c.add(i, Rules[i].ID, n)
		}
	}
	for r, n := range o.more {
		c.add(-1, RuleID(r), n)
	}
}

// counts is the rule -> how many findings map of the counts.
func (c *findingCounts) counts() map[string]int {
	m := maps.Clone(c.more)
	if m == nil {
		m = map[string]int{}
	}
	for i, n := range c.known {
		if n > 0 {
			m[string(Rules[i].ID)] += n
		}
	}
	return m
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
	attempts     int
	steps        map[string]int // step -> attempts off the path there
	withProgress int
	skipped      map[string]int // step -> attempts that skipped it
	goldens      []goldenVariant
	scores       intCounts
	clocks       intCounts
	goldenClocks intCounts
}

// A goldenVariant is a golden path (its moves without their reasons) and
// how many attempts had it; src is the slice it was first seen in, which
// the attempts that share a golden path (scored with one Goldens) share.
type goldenVariant struct {
	moves []simulator.GoldenMove
	n     int
	src   *simulator.GoldenMove
}

// sameGolden reports whether a golden path is the variant's, reasons aside.
func (v *goldenVariant) sameGolden(moves []simulator.GoldenMove) bool {
	if len(moves) > 0 && &moves[0] == v.src && len(moves) == len(v.moves) {
		return true
	}
	return slices.EqualFunc(v.moves, moves, func(a, b simulator.GoldenMove) bool {
		return a.Move == b.Move && a.Tier == b.Tier && a.Step == b.Step
	})
}

// countGolden counts n attempts with the golden path, copying it the first
// time it is seen.
func (d *departureAcc) countGolden(moves []simulator.GoldenMove, n int) {
	for i := range d.goldens {
		if d.goldens[i].sameGolden(moves) {
			d.goldens[i].n += n
			return
		}
	}
	own := make([]simulator.GoldenMove, len(moves))
	for i, m := range moves {
		own[i] = simulator.GoldenMove{Move: m.Move, Tier: m.Tier, Step: m.Step}
	}
	v := goldenVariant{moves: own, n: n}
	if len(moves) > 0 {
		v.src = &moves[0]
	}
	d.goldens = append(d.goldens, v)
}

// NewAggregator starts an empty report with pass^k for k and top findings
// per group.
func NewAggregator(k, top int) *Aggregator {
	return &Aggregator{k: k, top: top, trainees: map[string]*groupAcc{}, tiers: map[string]*groupAcc{},
		scenarios: map[string]*groupAcc{}, firsts: map[pairKey]*firstK{}, departures: map[pairKey]*departureAcc{},
		rules: map[simulator.Rules]int{}, series: map[seriesKey]*seriesAcc{}}
}

// Add counts one scored attempt.
func (a *Aggregator) Add(e Entry) {
	c := e.Card
	a.attempts++
	a.rules[c.Rules.OrV1()]++
	afterHandoff := c.Resolved && c.HandedTo != ""
	// The findings' rules, once for the three groups; the rules that
	// deduct for progress not made are left out.
	var slotBuf [16]int
	var ruleBuf [16]RuleID
	slots, rules := slotBuf[:0], ruleBuf[:0]
	for _, f := range c.Findings {
		if !isProgressRule(f.Rule) {
			slots, rules = append(slots, slotOf(f.Rule)), append(rules, f.Rule)
		}
	}
	for _, g := range []struct {
		m   map[string]*groupAcc
		key string
	}{{a.trainees, c.Trainee}, {a.tiers, string(c.Tier)}, {a.scenarios, c.Scenario}} {
		acc := g.m[g.key]
		if acc == nil {
			acc = &groupAcc{}
			g.m[g.key] = acc
		}
		acc.attempts++
		if c.Resolved {
			acc.resolved++
		}
		if afterHandoff {
			acc.afterHandoff++
		}
		acc.scores.add(c.Total, 1)
		acc.clocks.add(c.ClockMin, 1)
		for i, slot := range slots {
			acc.findings.add(slot, rules[i], 1)
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
		d = &departureAcc{steps: map[string]int{}, skipped: map[string]int{}}
		a.departures[pairKey{c.Scenario, string(c.Tier)}] = d
	}
	d.attempts++
	d.scores.add(c.Total, 1)
	d.clocks.add(c.ClockMin, 1)
	if c.GoldenClockMin > 0 {
		d.goldenClocks.add(c.GoldenClockMin, 1)
	}
	a.addMark(c, e.StartedAt, e.File)
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
	if len(c.Golden) > 0 {
		d.countGolden(c.Golden, 1)
	}
	if c.Progress != nil {
		d.withProgress++
		skippedSteps(c, func(step string) { d.skipped[step]++ })
	}
}

// isProgressRule reports whether a rule deducts for progress not made.
func isProgressRule(r RuleID) bool { return slices.Contains(ProgressRules, r) }

// skippedSteps calls each, once per step, with the steps of the golden
// moves the trainee skipped (Progress.Skipped). A golden move that occurs
// more than once was earned by its first occurrences (Progress), so it is
// its last ones that were skipped.
func skippedSteps(c *Scorecard, each func(step string)) {
	if len(c.Progress.Skipped) == 0 {
		return
	}
	var leftBuf, seenBuf [16]string
	left, seen := append(leftBuf[:0], c.Progress.Skipped...), seenBuf[:0]
	for i := len(c.Golden) - 1; i >= 0 && len(left) > 0; i-- {
		m := c.Golden[i]
		if m.Tier != c.Tier {
			continue
		}
		j := slices.Index(left, m.Move)
		if j < 0 {
			continue
		}
		left = slices.Delete(left, j, j+1)
		if !slices.Contains(seen, m.Step) {
			seen = append(seen, m.Step)
			each(m.Step)
		}
	}
}

// AddIncomplete lists an attempt whose case was never closed.
func (a *Aggregator) AddIncomplete(i IncompleteAttempt) { a.incomplete = append(a.incomplete, i) }

// keep inserts r among the first k attempts.
func (f *firstK) keep(r attemptRef, k int) {
	if k < 1 || len(f.first) >= k && r.compare(f.first[len(f.first)-1]) >= 0 {
		return // no earlier than the k kept
	}
	i, _ := slices.BinarySearchFunc(f.first, r, attemptRef.compare)
	if i >= k {
		return
	}
	r.startedAt, r.file = strings.Clone(r.startedAt), strings.Clone(r.file)
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
			acc.afterHandoff += g.afterHandoff
			acc.scores.merge(&g.scores)
			acc.clocks.merge(&g.clocks)
			acc.findings.merge(&g.findings)
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
		acc.withProgress += d.withProgress
		addCounts(acc.skipped, d.skipped)
		acc.scores.merge(&d.scores)
		acc.clocks.merge(&d.clocks)
		acc.goldenClocks.merge(&d.goldenClocks)
		for _, v := range d.goldens {
			acc.countGolden(v.moves, v.n)
		}
	}
	addCounts(a.rules, b.rules)
	a.incomplete = append(a.incomplete, b.incomplete...)
	for k, s := range b.series {
		acc := a.series[k]
		if acc == nil {
			a.series[k] = s
			continue
		}
		acc.marks = append(acc.marks, s.marks...)
		acc.sorted = false
		if acc.playbook == "" {
			acc.playbook = s.playbook
		}
	}
}

func addCounts[K comparable](to, from map[K]int) {
	for k, n := range from {
		to[k] += n
	}
}

// Report is the report of everything added.
func (a *Aggregator) Report() *Report {
	r := &Report{Format: ReportFormat, Attempts: a.attempts, Rules: []RulesCount{}, K: a.k,
		Trainees: groups(a.trainees, a.top), Tiers: groups(a.tiers, a.top), Scenarios: groups(a.scenarios, a.top),
		Consistency: a.consistency(), Divergence: a.divergence(), Paths: a.paths(), Incomplete: slices.Clone(a.incomplete),
		Readiness: a.readiness()}
	for _, v := range slices.Sorted(maps.Keys(a.rules)) {
		r.Rules = append(r.Rules, RulesCount{v, a.rules[v]})
	}
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
			ResolvedByTrainee: acc.resolved - acc.afterHandoff, ResolvedAfterHandoff: acc.afterHandoff,
			MedianScore: medianOf(acc.scores.counts()), MedianClockMin: medianOf(acc.clocks.counts()), TopFindings: topCounts(acc.findings.counts(), top)})
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

// scenarioTiers lists the scenarios of the departures, sorted, each with
// its tiers, sorted.
func (a *Aggregator) scenarioTiers() ([]string, map[string][]string) {
	tiers := map[string][]string{}
	for key := range a.departures {
		tiers[key.a] = append(tiers[key.a], key.b)
	}
	for _, ts := range tiers {
		slices.Sort(ts)
	}
	return slices.Sorted(maps.Keys(tiers)), tiers
}

func (a *Aggregator) divergence() []Divergence {
	names, tiers := a.scenarioTiers()
	out := make([]Divergence, 0, len(names))
	for _, s := range names {
		d := Divergence{Scenario: s}
		for _, t := range tiers[s] {
			acc := a.departures[pairKey{s, t}]
			d.Tiers = append(d.Tiers, TierDeparture{Tier: playbooks.TierName(t), Attempts: acc.attempts, Steps: topCounts(acc.steps, -1),
				WithProgress: acc.withProgress, Skipped: topCounts(acc.skipped, -1)})
		}
		out = append(out, d)
	}
	return out
}

func (a *Aggregator) paths() []ScenarioPaths {
	names, tiers := a.scenarioTiers()
	out := make([]ScenarioPaths, 0, len(names))
	for _, s := range names {
		sp := ScenarioPaths{Scenario: s, Tiers: []TierPath{}}
		for _, t := range tiers[s] {
			acc := a.departures[pairKey{s, t}]
			tp := TierPath{Tier: playbooks.TierName(t), Attempts: acc.attempts, WithProgress: acc.withProgress,
				Golden: acc.golden(), Steps: []PathStep{}, Scores: valueCounts(&acc.scores), Clocks: valueCounts(&acc.clocks),
				MedianScore: medianOf(acc.scores.counts()), MedianClockMin: medianOf(acc.clocks.counts()), GoldenClockMin: mostCommon(&acc.goldenClocks)}
			for _, m := range tp.Golden {
				if m.Tier != tp.Tier {
					continue
				}
				i := slices.IndexFunc(tp.Steps, func(st PathStep) bool { return st.Step == m.Step })
				if i < 0 {
					tp.Steps = append(tp.Steps, PathStep{Step: m.Step, Off: acc.steps[m.Step], Skipped: acc.skipped[m.Step]})
					i = len(tp.Steps) - 1
				}
				st := &tp.Steps[i]
				st.Moves = append(st.Moves, m.Move)
				if mv, err := scenarios.ParseMove(m.Move); err == nil && mv.Kind == scenarios.MoveEscalate {
					st.HandsOffTo = playbooks.TierName(mv.Arg)
				}
			}
			sp.Tiers = append(sp.Tiers, tp)
		}
		out = append(out, sp)
	}
	return out
}

// golden is the golden path most attempts had, ties broken by the path
// (so that the order attempts came in changes nothing).
func (d *departureAcc) golden() []simulator.GoldenMove {
	if len(d.goldens) == 0 {
		return []simulator.GoldenMove{}
	}
	best := slices.MaxFunc(d.goldens, func(x, y goldenVariant) int {
		if x.n != y.n {
			return cmp.Compare(x.n, y.n)
		}
		// The path that sorts first wins the tie.
		return -slices.CompareFunc(x.moves, y.moves, func(a, b simulator.GoldenMove) int {
			return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(a.Move, b.Move), cmp.Compare(a.Tier, b.Tier))
		})
	})
	return slices.Clone(best.moves)
}

// valueCounts lists the values counted, lowest first.
func valueCounts(c *intCounts) []ValueCount {
	m := c.counts()
	out := make([]ValueCount, 0, len(m))
	for _, v := range slices.Sorted(maps.Keys(m)) {
		out = append(out, ValueCount{v, m[v]})
	}
	return out
}

// mostCommon is the value counted most often (the lowest of a tie), 0 when
// none was.
func mostCommon(c *intCounts) int {
	best, n := 0, 0
	for _, vc := range valueCounts(c) {
		if vc.Count > n {
			best, n = vc.Value, vc.Count
		}
	}
	return best
}
