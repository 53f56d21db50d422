package scoring

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
)

// DefaultPassMark is the score at or above which a resolved attempt
// passes, unless a goal says otherwise.
const DefaultPassMark = 80

// A Goal is a scenario a trainee is to be ready for at a tier: k attempts
// in a row resolved and scored at or above the pass mark. Playbook names
// the scenario's playbook, for a goal nobody has tried yet.
type Goal struct {
	Trainee  string             `json:"trainee"`
	Scenario string             `json:"scenario"`
	Playbook string             `json:"playbook,omitempty"`
	Tier     playbooks.TierName `json:"tier"`
	PassMark int                `json:"pass_mark"`
	K        int                `json:"k"`
}

// ReadinessOptions say what readiness is measured against. A trainee
// with goals (a trainer's assignments) is measured on those; a trainee
// with none on each scenario the team practised or was assigned of every
// playbook they tried, at the tiers they tried it, with the options' pass
// mark (1 to 100; 80 otherwise) and k.
type ReadinessOptions struct {
	PassMark int
	K        int
	Goals    []Goal
	// Playbooks names the playbook of each scenario (by its id), for
	// goals nobody has tried and attempts that do not say; NeedsPlaybooks
	// says whether there are any.
	Playbooks map[string]string
}

// Readiness says who is ready for what: per trainee, each scenario and
// tier they have a goal for or tried, and per playbook whether they are
// ready for all of its scenarios.
type Readiness struct {
	PassMark int                `json:"pass_mark"`
	K        int                `json:"k"`
	Trainees []TraineeReadiness `json:"trainees"`
}

// TraineeReadiness is one trainee's readiness. Next is the scenario to
// practise next: their weakest one not yet passed (nil when every one is
// ready).
type TraineeReadiness struct {
	Trainee   string              `json:"trainee"`
	Ready     int                 `json:"ready"`
	Of        int                 `json:"of"`
	Playbooks []PlaybookReadiness `json:"playbooks"`
	Next      *NextPractice       `json:"next"`
	Scenarios []ScenarioReadiness `json:"scenarios"`
}

// A PlaybookReadiness is whether a trainee is ready for a playbook at a
// tier: for each of its scenarios there.
type PlaybookReadiness struct {
	Playbook       string             `json:"playbook"`
	Tier           playbooks.TierName `json:"tier"`
	Ready          bool               `json:"ready"`
	Scenarios      int                `json:"scenarios"`
	ReadyScenarios int                `json:"ready_scenarios"`
}

// NextPractice is the scenario a trainee should practise next, and why.
type NextPractice struct {
	Scenario string             `json:"scenario"`
	Tier     playbooks.TierName `json:"tier"`
	Why      string             `json:"why"`
}

// A ScenarioReadiness is a trainee's record at one scenario and tier.
// Streak is how many of the latest attempts in a row passed (resolved, at
// or above the pass mark); the trainee is Ready when it is at least K.
// FirstReadyAt is when the first run of K passes was completed (the start
// of its last attempt), and AttemptsToReady how many attempts it took:
// the time to proficiency.
type ScenarioReadiness struct {
	Scenario        string             `json:"scenario"`
	Playbook        string             `json:"playbook"`
	Tier            playbooks.TierName `json:"tier"`
	Assigned        bool               `json:"assigned"`
	PassMark        int                `json:"pass_mark"`
	K               int                `json:"k"`
	Attempts        int                `json:"attempts"`
	Passed          int                `json:"passed"`
	Streak          int                `json:"streak"`
	BestScore       int                `json:"best_score"`
	LastScore       int                `json:"last_score"`
	Ready           bool               `json:"ready"`
	FirstReadyAt    string             `json:"first_ready_at,omitempty"`
	AttemptsToReady int                `json:"attempts_to_ready,omitempty"`
}

// A Mark is one attempt of a trainee's history: when it started, its
// score and whether the case was resolved.
type Mark struct {
	At       time.Time
	Score    int
	Resolved bool
}

// A Series is a trainee's attempts at one scenario and tier, oldest
// first.
type Series struct {
	Trainee  string
	Scenario string
	Playbook string
	Tier     playbooks.TierName
	Marks    []Mark
}

type seriesKey struct{ trainee, scenario, tier string }

// mark is a Mark as the Aggregator keeps it: 24 bytes an attempt.
type mark struct {
	at       int64 // Unix nanoseconds; 0 when the start time is unknown
	seq      int64 // orders attempts that started in the same instant
	score    int32
	resolved bool
}

// compare orders attempts by start time (an unknown one counts as the
// oldest), then by seq: the number train gave a file that started in the
// same second as another (NAME-2.attempt after NAME.attempt), or a
// store's attempt number. Only attempts alike in both are ordered by
// score, which then changes nothing that readiness counts but the order.
func (m mark) compare(o mark) int {
	return cmp.Or(cmp.Compare(m.at, o.at), cmp.Compare(m.seq, o.seq), cmp.Compare(m.score, o.score), cmpBool(m.resolved, o.resolved))
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

// seqOf is the place of an attempt among those that started in the same
// instant, from how it is named: a store's attempt number (STORE#12), or
// the number train appends to a file name taken already (NAME-2.attempt;
// NAME.attempt is 1).
func seqOf(file string) int64 {
	if i := strings.LastIndexByte(file, '#'); i >= 0 {
		if n, err := strconv.ParseInt(file[i+1:], 10, 64); err == nil {
			return n
		}
	}
	name := strings.TrimSuffix(file, ".attempt")
	if i := strings.LastIndexByte(name, '-'); i >= 0 {
		if n, err := strconv.ParseInt(name[i+1:], 10, 64); err == nil && n >= 2 && n < 1<<20 {
			return n
		}
	}
	return 1
}

type seriesAcc struct {
	playbook string
	marks    []mark
	sorted   bool
}

// addMark keeps an attempt of a trainee's history.
func (a *Aggregator) addMark(c *Scorecard, startedAt, file string) {
	k := seriesKey{c.Trainee, c.Scenario, string(c.Tier)}
	s := a.series[k]
	if s == nil {
		s = &seriesAcc{playbook: strings.Clone(c.Playbook)}
		a.series[k] = s
	}
	var at int64
	if t, err := time.Parse(time.RFC3339Nano, startedAt); err == nil {
		at = t.UnixNano()
	}
	s.marks = append(s.marks, mark{at: at, seq: seqOf(file), score: int32(c.Total), resolved: c.Resolved})
	s.sorted = false
}

func (s *seriesAcc) sort() []mark {
	if !s.sorted {
		slices.SortFunc(s.marks, mark.compare)
		s.sorted = true
	}
	return s.marks
}

// History is every trainee's attempts, per scenario and tier, oldest
// first, sorted by trainee, scenario and tier.
func (a *Aggregator) History() []Series {
	keys := slices.SortedFunc(maps.Keys(a.series), func(x, y seriesKey) int {
		return cmp.Or(cmp.Compare(x.trainee, y.trainee), cmp.Compare(x.scenario, y.scenario), cmp.Compare(x.tier, y.tier))
	})
	out := make([]Series, 0, len(keys))
	for _, k := range keys {
		s := a.series[k]
		ms := s.sort()
		marks := make([]Mark, len(ms))
		for i, m := range ms {
			marks[i] = Mark{Score: int(m.score), Resolved: m.resolved}
			if m.at != 0 {
				marks[i].At = time.Unix(0, m.at).UTC()
			}
		}
		out = append(out, Series{Trainee: k.trainee, Scenario: k.scenario, Playbook: s.playbook, Tier: playbooks.TierName(k.tier), Marks: marks})
	}
	return out
}

// NeedsPlaybooks reports whether readiness against these goals needs
// ReadinessOptions.Playbooks: an attempt that does not say its playbook (a
// store's summary from before they did), or a goal nobody has tried.
func (a *Aggregator) NeedsPlaybooks(goals []Goal) bool {
	tried := map[string]bool{}
	for k, s := range a.series {
		if s.playbook == "" {
			return true
		}
		tried[k.scenario] = true
	}
	for _, g := range goals {
		if g.Playbook == "" && !tried[g.Scenario] {
			return true
		}
	}
	return false
}

// SetReadiness sets what the report's readiness is measured against.
func (a *Aggregator) SetReadiness(o ReadinessOptions) { a.ready = o }

func (a *Aggregator) readiness() Readiness {
	o := a.ready
	if o.PassMark < 1 || o.PassMark > 100 {
		o.PassMark = DefaultPassMark
	}
	if o.K <= 0 {
		o.K = max(a.k, 1)
	}
	r := Readiness{PassMark: o.PassMark, K: o.K, Trainees: []TraineeReadiness{}}
	type goalKey = seriesKey
	goals := map[goalKey]Goal{}
	hasGoal := map[string]bool{}
	for _, g := range o.Goals {
		if g.PassMark < 1 || g.PassMark > 100 {
			g.PassMark = o.PassMark
		}
		if g.K <= 0 {
			g.K = o.K
		}
		goals[goalKey{g.Trainee, g.Scenario, string(g.Tier)}] = g
		hasGoal[g.Trainee] = true
	}
	// The scenarios of each playbook the team has practised or been
	// assigned: a trainee measured on what they tried is ready for a
	// playbook at a tier when ready for each of those.
	known := map[string]string{}
	for k, s := range a.series {
		if s.playbook != "" {
			known[k.scenario] = s.playbook
		}
	}
	for _, g := range o.Goals {
		if g.Playbook != "" && known[g.Scenario] == "" {
			known[g.Scenario] = g.Playbook
		}
	}
	for k := range a.series {
		if known[k.scenario] == "" && o.Playbooks[k.scenario] != "" {
			known[k.scenario] = o.Playbooks[k.scenario]
		}
	}
	for _, g := range o.Goals {
		if known[g.Scenario] == "" && o.Playbooks[g.Scenario] != "" {
			known[g.Scenario] = o.Playbooks[g.Scenario]
		}
	}
	scenariosOf := map[string][]string{}
	for _, sc := range slices.Sorted(maps.Keys(known)) {
		scenariosOf[known[sc]] = append(scenariosOf[known[sc]], sc)
	}
	rows := map[string][]ScenarioReadiness{}
	seen := map[seriesKey]bool{}
	for k, s := range a.series {
		g, assigned := goals[k]
		if !assigned && hasGoal[k.trainee] {
			continue // measured on their goals
		}
		if !assigned {
			g = Goal{Trainee: k.trainee, Scenario: k.scenario, Tier: playbooks.TierName(k.tier), PassMark: o.PassMark, K: o.K}
		}
		g.Playbook = cmp.Or(g.Playbook, known[k.scenario])
		rows[k.trainee] = append(rows[k.trainee], readinessOf(g, assigned, s.sort()))
		seen[k] = true
	}
	for k, g := range goals {
		g.Playbook = cmp.Or(g.Playbook, known[k.scenario])
		if !seen[k] {
			rows[k.trainee] = append(rows[k.trainee], readinessOf(g, true, nil))
			seen[k] = true
		}
	}
	for t, sr := range rows {
		if hasGoal[t] {
			continue
		}
		for _, s := range slices.Clone(sr) {
			for _, other := range scenariosOf[s.Playbook] {
				k := seriesKey{t, other, string(s.Tier)}
				if !seen[k] {
					seen[k] = true
					rows[t] = append(rows[t], readinessOf(Goal{Trainee: t, Scenario: other, Playbook: s.Playbook, Tier: s.Tier, PassMark: o.PassMark, K: o.K}, false, nil))
				}
			}
		}
	}
	for _, t := range slices.Sorted(maps.Keys(rows)) {
		sr := rows[t]
		slices.SortFunc(sr, func(x, y ScenarioReadiness) int {
			return cmp.Or(cmp.Compare(x.Playbook, y.Playbook), cmp.Compare(x.Scenario, y.Scenario), cmp.Compare(x.Tier, y.Tier))
		})
		tr := TraineeReadiness{Trainee: t, Of: len(sr), Scenarios: sr, Playbooks: []PlaybookReadiness{}}
		for _, s := range sr {
			if s.Ready {
				tr.Ready++
			}
			n := len(tr.Playbooks)
			if n == 0 || tr.Playbooks[n-1].Playbook != s.Playbook || tr.Playbooks[n-1].Tier != s.Tier {
				// Rows are sorted by playbook, then scenario: a
				// playbook's tiers may interleave, so look back.
				i := slices.IndexFunc(tr.Playbooks, func(p PlaybookReadiness) bool { return p.Playbook == s.Playbook && p.Tier == s.Tier })
				if i < 0 {
					tr.Playbooks = append(tr.Playbooks, PlaybookReadiness{Playbook: s.Playbook, Tier: s.Tier, Ready: true})
					n = len(tr.Playbooks)
				} else {
					n = i + 1
				}
			}
			p := &tr.Playbooks[n-1]
			p.Scenarios++
			if s.Ready {
				p.ReadyScenarios++
			} else {
				p.Ready = false
			}
		}
		slices.SortFunc(tr.Playbooks, func(x, y PlaybookReadiness) int {
			return cmp.Or(cmp.Compare(x.Playbook, y.Playbook), cmp.Compare(x.Tier, y.Tier))
		})
		tr.Next = nextPractice(sr, hasGoal[t])
		r.Trainees = append(r.Trainees, tr)
	}
	return r
}

// readinessOf is a trainee's record at a goal, from their attempts there,
// oldest first.
func readinessOf(g Goal, assigned bool, marks []mark) ScenarioReadiness {
	s := ScenarioReadiness{Scenario: g.Scenario, Playbook: g.Playbook, Tier: g.Tier, Assigned: assigned,
		PassMark: g.PassMark, K: g.K, Attempts: len(marks)}
	run := 0
	for i, m := range marks {
		s.BestScore = max(s.BestScore, int(m.score))
		s.LastScore = int(m.score)
		if m.resolved && int(m.score) >= g.PassMark {
			s.Passed++
			run++
		} else {
			run = 0
		}
		if run == g.K && s.AttemptsToReady == 0 {
			s.AttemptsToReady = i + 1
			if m.at != 0 {
				s.FirstReadyAt = time.Unix(0, m.at).UTC().Format(time.RFC3339)
			}
		}
	}
	s.Streak = run
	s.Ready = run >= g.K
	return s
}

// nextPractice picks the scenario to practise next: of those not ready
// (among the goals, when the trainee has any), the weakest: one never
// tried, else the lowest latest score, then the shortest run of passes,
// the fewest passes and the name.
func nextPractice(rows []ScenarioReadiness, goalsOnly bool) *NextPractice {
	var best *ScenarioReadiness
	for i := range rows {
		s := &rows[i]
		if s.Ready || goalsOnly && !s.Assigned {
			continue
		}
		if best == nil || weaker(s, best) {
			best = s
		}
	}
	if best == nil {
		return nil
	}
	n := &NextPractice{Scenario: best.Scenario, Tier: best.Tier}
	switch {
	case best.Attempts == 0:
		n.Why = "not tried yet"
	case best.LastScore < best.PassMark:
		n.Why = fmt.Sprintf("last score %d, under the pass mark %d; %d of %d in a row passed", best.LastScore, best.PassMark, best.Streak, best.K)
	default:
		n.Why = fmt.Sprintf("%d of %d in a row passed (pass mark %d)", best.Streak, best.K, best.PassMark)
	}
	return n
}

func weaker(a, b *ScenarioReadiness) bool {
	if c := cmp.Compare(a.strength(), b.strength()); c != 0 {
		return c < 0
	}
	return cmp.Or(cmp.Compare(a.Passed, b.Passed), cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Tier, b.Tier)) < 0
}

// strength orders scenarios for practice: what the latest attempts scored
// and how far the run of passes is from k.
func (s *ScenarioReadiness) strength() int {
	if s.Attempts == 0 {
		return -1
	}
	return s.LastScore*10 + s.Streak
}
