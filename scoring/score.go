package scoring

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// Format is the version of the scorecard JSON.
const Format = "scorecard/v1"

// Sources of what is scored.
const (
	SourceAttempt   = "attempt"
	SourceRecording = "recording"
)

// An Input is everything a scorecard is computed from: the turns of an
// attempt or a replayed recording, and the golden path for its tier.
type Input struct {
	Scenario       *scenarios.Scenario
	Playbook       *playbooks.Playbook
	Tier           playbooks.TierName
	Trainee        string
	Mode           string
	Source         string
	Turns          []simulator.Turn
	Golden         *simulator.Golden
	GoldenClockMin int
	GoldenMoves    int
	// Terse leaves the findings' messages empty, for a caller that counts
	// rules (report) and need not format a message for each.
	Terse bool
	// Rules is the version of the rules the turns were played under and
	// are scored by (0: RulesV1).
	Rules simulator.Rules
}

// FromSession builds the input for a session (an attempt or a replayed
// recording).
func FromSession(ss *simulator.Session, trainee, source string) Input {
	return Input{Scenario: ss.Scenario(), Playbook: ss.Playbook(), Tier: ss.Tier(), Trainee: trainee,
		Mode: ss.Mode(), Source: source, Turns: ss.Turns(), Golden: ss.Golden(),
		GoldenClockMin: int(ss.GoldenClock().Minutes()), GoldenMoves: ss.GoldenMoves(), Rules: ss.Rules()}
}

// A Scorecard is the graded handling of one case.
type Scorecard struct {
	Format          string             `json:"casebook"`
	Scenario        string             `json:"scenario"`
	Playbook        string             `json:"playbook"`
	PlaybookVersion string             `json:"playbook_version"`
	Tier            playbooks.TierName `json:"tier"`
	Trainee         string             `json:"trainee,omitempty"`
	Mode            string             `json:"mode,omitempty"`
	Source          string             `json:"source"`
	Rules           simulator.Rules    `json:"rules"`
	Total           int                `json:"total"`
	Parts           []PartScore        `json:"parts"`
	Resolved        bool               `json:"resolved"`
	Outcome         string             `json:"outcome"`
	GoldenOutcome   string             `json:"golden_outcome"`
	ClockMin        int                `json:"clock_min"`
	GoldenClockMin  int                `json:"golden_clock_min"`
	Moves           int                `json:"moves"`
	GoldenMoves     int                `json:"golden_moves"`
	// Under rules v2: the tier the trainee handed the case to (the case
	// was resolved, if at all, after the handoff), and the trainee's
	// progress along their part of the golden path.
	HandedTo playbooks.TierName     `json:"handed_to,omitempty"`
	Progress *Progress              `json:"progress,omitempty"`
	Findings []Finding              `json:"findings"`
	Path     []PathRow              `json:"path"`
	Golden   []simulator.GoldenMove `json:"golden"`
}

// A PartScore is one part of the total.
type PartScore struct {
	Part  string `json:"part"`
	Score int    `json:"score"`
	Max   int    `json:"max"`
}

// A Finding is one thing the handling did wrong.
type Finding struct {
	Rule    RuleID `json:"rule"`
	Part    string `json:"part"`
	Points  int    `json:"points"`
	Move    int    `json:"move"` // the turn number, 0 for the case as a whole
	MoveID  string `json:"move_id,omitempty"`
	Message string `json:"message"`
}

// String formats a finding like a linter does.
func (f Finding) String() string {
	at := "case"
	if f.Move > 0 {
		at = fmt.Sprintf("move %d (%s)", f.Move, f.MoveID)
	}
	return fmt.Sprintf("%s: %s [%s -%d]", at, f.Message, f.Rule, f.Points)
}

// A PathRow is one turn of the handling as the scorecard shows it.
type PathRow struct {
	N        int                `json:"n"`
	By       playbooks.TierName `json:"by"`
	Auto     bool               `json:"auto,omitempty"`
	Move     string             `json:"move"`
	OnPath   bool               `json:"on_path"`
	ClockMin int                `json:"clock_min"`
	Due      string             `json:"due,omitempty"` // off the path: the golden step that applied
	Rules    []RuleID           `json:"rules,omitempty"`
}

type seenKey struct {
	move int
	rule RuleID
}

type scorer struct {
	in     Input
	card   *Scorecard
	seen   map[seenKey]bool // findings made, by move and rule
	target []string         // per turn, the golden move it stands for (v2)
}

func (s *scorer) add(rule string, t *simulator.Turn, points int, format string, args ...any) {
	r := RuleByID(rule)
	if r == nil {
		return
	}
	s.addRule(r, t, points, func() string { return fmt.Sprintf(format, args...) })
}

// raise adds the finding of a rule an event raised.
func (s *scorer) raise(r *Rule, c cause) {
	s.addRule(r, c.t, -1, func() string { return r.say(c) })
}

func (s *scorer) addRule(r *Rule, t *simulator.Turn, points int, say func() string) {
	rule := r.ID
	n, id := 0, ""
	if t != nil {
		n, id = t.N, t.Move
	}
	key := seenKey{n, rule}
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	if points < 0 {
		points = r.Points
	}
	msg := ""
	if !s.in.Terse {
		msg = say()
	}
	s.card.Findings = append(s.card.Findings, Finding{Rule: rule, Part: r.Part, Points: points, Move: n, MoveID: id, Message: msg})
}

// Score grades the input. The same input always gives the same scorecard.
func Score(in Input) *Scorecard {
	p := in.Playbook
	card := &Scorecard{Format: Format, Scenario: in.Scenario.ID, Playbook: p.ID, PlaybookVersion: p.Version, Tier: in.Tier,
		Trainee: in.Trainee, Mode: in.Mode, Source: in.Source, Rules: in.Rules.OrV1(), GoldenOutcome: in.Golden.Outcome,
		GoldenClockMin: in.GoldenClockMin, GoldenMoves: in.GoldenMoves, Findings: []Finding{}, Golden: in.Golden.Moves}
	s := &scorer{in: in, card: card, seen: map[seenKey]bool{}}
	turns := in.Turns
	if in.Rules.OrV1() >= simulator.RulesV2 {
		s.scoreV2()
	} else {
		for i := range turns {
			s.turn(&turns[i])
		}
		s.resolution(func() string { return strings.Join(s.missing(), ", ") })
		window, windowCost := s.escalation(false)
		s.efficiency(window, windowCost)
		s.communication()
	}

	slices.SortStableFunc(card.Findings, func(a, b Finding) int {
		if a.Move != b.Move {
			return a.Move - b.Move
		}
		return strings.Compare(string(a.Rule), string(b.Rule))
	})
	lost := map[string]int{}
	for _, f := range card.Findings {
		lost[f.Part] += f.Points
	}
	card.Parts = make([]PartScore, 0, len(Parts))
	card.Path = make([]PathRow, 0, len(turns))
	for _, part := range Parts {
		score := max(0, part.Max-lost[part.ID])
		card.Parts = append(card.Parts, PartScore{part.ID, score, part.Max})
		card.Total += score
	}
	for _, t := range turns {
		row := PathRow{N: t.N, By: t.By, Auto: t.Auto, Move: t.Move, OnPath: t.OnPath, ClockMin: t.ClockMin, Due: t.Due}
		for _, f := range card.Findings {
			if f.Move == t.N && !slices.Contains(row.Rules, f.Rule) {
				row.Rules = append(row.Rules, f.Rule)
			}
		}
		card.Path = append(card.Path, row)
		if !t.Auto {
			card.Moves++
		}
	}
	if card.Path == nil {
		card.Path = []PathRow{}
	}
	if len(turns) > 0 {
		card.ClockMin = turns[len(turns)-1].ClockMin
	}
	return card
}

// A cause is a turn whose event raised a rule, as the finding's message
// needs it.
type cause struct {
	t        *simulator.Turn
	mv       scenarios.Move
	p        *playbooks.Playbook
	audience string // the customer's, for replies
}

// turn turns what the simulator observed about one move into findings:
// each event raises the rules the rule table maps it to.
func (s *scorer) turn(t *simulator.Turn) { s.turnSkipping(t, "") }

// turnSkipping is turn, leaving out the rules of one event (none for "").
func (s *scorer) turnSkipping(t *simulator.Turn, skip simulator.Event) {
	c := cause{t: t, p: s.in.Playbook}
	c.mv, _ = scenarios.ParseMove(t.Move)
	if c.mv.Audience != "" {
		c.audience = simulator.AudienceFor(s.in.Playbook, s.in.Scenario)
	}
	mv := c.mv
	for _, e := range t.Events {
		if e == skip {
			continue
		}
		for _, r := range eventRules[e] {
			if r.On == "" || r.On == mv.Kind || (r.On == onVerify && mv.Verifies() && mv.Kind != scenarios.MoveAsk) {
				s.raise(r, c)
			}
		}
	}
	what := t.Move
	if trap := s.in.Scenario.Trap(mv.Arg); mv.Kind == scenarios.MoveTrap && trap != nil {
		what = fmt.Sprintf("%q", trap.Label)
	}
	for _, f := range t.Findings {
		if r := RuleByID(f); r != nil {
			s.add(f, t, -1, "%s: %s", what, r.Description)
		} else {
			s.add(RuleOtherTrap, t, -1, "%s: a wrong move seen in real handling (%s)", what, f)
		}
	}
}

// The words of the findings events raise (Rule.say).

func sayRestated(c cause) string {
	return fmt.Sprintf("asked for %s, which the customer's opening already gave", c.mv.Arg)
}

func sayDerivable(c cause) string {
	src := ""
	if f := c.p.Fact(c.mv.Arg); f != nil {
		if f.IsRule() {
			return fmt.Sprintf("asked for %s, which a product rule fixes (the agent knows it without asking)", c.mv.Arg)
		}
		src = " (" + f.Source + ")"
	}
	return fmt.Sprintf("asked for %s, which the ticket already shows%s", c.mv.Arg, src)
}

func sayKnowable(c cause) string {
	how := "a look-up"
	if f := c.p.Fact(c.mv.Arg); f != nil {
		how = scenarios.FactMove(f).String()
	}
	return fmt.Sprintf("asked the customer for %s instead of checking it (%s)", c.mv.Arg, how)
}

func sayRemoved(c cause) string {
	return fmt.Sprintf("sent the customer to something the product no longer has (%s)", c.t.Move)
}

func sayIrrelevantDoc(c cause) string {
	return fmt.Sprintf("sent %s, a page the case does not call for", c.mv.Arg)
}

func sayWrongReply(c cause) string {
	return fmt.Sprintf("replied with %s, which does not fit this case", c.mv.Arg)
}

func sayRepeated(c cause) string { return fmt.Sprintf("made %s again", c.t.Move) }

func sayEscalationRefused(c cause) string {
	return fmt.Sprintf("escalated to %s, which is not above %s", c.mv.Arg, c.t.By)
}

func sayActionRefused(c cause) string {
	holder := ""
	if h := c.p.LowestHolding(c.mv.Arg); h != nil {
		holder = "; hand off to " + string(h.Name) + " instead"
	}
	return fmt.Sprintf("tried %s, which %s cannot do%s", c.mv.Arg, c.t.By, holder)
}

func sayIncomplete(c cause) string {
	return fmt.Sprintf("the handoff note %s", strings.TrimPrefix(c.t.Result, "the note "))
}

func sayReasked(c cause) string {
	return fmt.Sprintf("%s asked the customer again for %s", c.t.By, c.mv.Arg)
}

func sayWrongAction(c cause) string {
	return fmt.Sprintf("made %s, which this case does not call for", c.mv.Arg)
}

func sayNoSummary(cause) string { return "closed the case without a reply to the customer" }

// resolution grades the outcome: open, closed unresolved (missing says
// what the close lacked, by the rules' version) or the golden outcome.
// The case closes once, so its close is its last turn but for the moves of
// a tier that took over.
func (s *scorer) resolution(missing func() string) {
	turns := s.in.Turns
	switch closing := s.closing(); {
	case closing == nil:
		var last *simulator.Turn
		if len(turns) > 0 {
			last = &turns[len(turns)-1]
		}
		s.add(RuleNotClosed, last, -1, "the case was left open")
		s.card.Outcome = "open"
	case slices.Contains(closing.Events, simulator.EventUnresolved):
		s.add(RuleUnresolved, closing, -1, "closed before %s", missing())
		s.card.Outcome = simulator.OutcomeUnresolved
	default:
		s.card.Outcome = s.in.Golden.Outcome
		s.card.Resolved = true
	}
}

// missing lists the golden moves that resolve the case and were never made.
func (s *scorer) missing() []string {
	var out []string
	for _, m := range s.in.Golden.Needed() {
		if !s.made(m) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		out = []string{"the case was ready"}
	}
	return out
}

func (s *scorer) made(move string) bool {
	for _, t := range s.in.Turns {
		if t.Move == move && !slices.Contains(t.Events, simulator.EventRefused) {
			return true
		}
	}
	return false
}

// escalation grades the handoff and returns the trainee's moves made after
// the handoff was due and before it came (charged here, not to efficiency)
// and their simulated cost.
//
// Under rules v2 (proof) a fact counts as verified only by a move on the
// golden path, and a handoff before the evidence is named by the
// simulator's event (unverified-handoff) rather than worked out here.
func (s *scorer) escalation(proof bool) (int, int) {
	in, turns := s.in, s.in.Turns
	goldenEsc := -1
	var preFacts []string
	var reason, step string
	for i, m := range in.Golden.Moves {
		if m.Tier != in.Tier {
			break
		}
		mv, _ := scenarios.ParseMove(m.Move)
		if mv.Kind == scenarios.MoveEscalate {
			goldenEsc, reason, step = i, m.Why, m.Step
			break
		}
		if mv.Verifies() {
			preFacts = append(preFacts, mv.Arg)
		}
	}
	escIdx := -1
	for i, t := range turns {
		mv, _ := scenarios.ParseMove(t.Move)
		if !t.Auto && t.By == in.Tier && mv.Kind == scenarios.MoveEscalate && !slices.Contains(t.Events, simulator.EventRefused) {
			escIdx = i
			break
		}
	}
	switch {
	case goldenEsc < 0 && escIdx >= 0:
		s.add(RuleUnneeded, &turns[escIdx], -1, "handed off although %s can finish this case", in.Tier)
		return 0, 0
	case goldenEsc < 0:
		return 0, 0
	case escIdx < 0:
		var last *simulator.Turn
		if len(turns) > 0 {
			last = &turns[len(turns)-1]
		}
		s.add(RuleMissedEscalation, last, -1, "never handed off; %s", reason)
		return 0, 0
	}
	verified := map[string]bool{}
	due := -1 // the turn after which the handoff was due
	dueReached := len(preFacts) == 0
	for i, t := range turns[:escIdx] {
		mv, _ := scenarios.ParseMove(t.Move)
		if mv.Verifies() && (t.OnPath || !proof) {
			verified[mv.Arg] = true
		}
		if !dueReached && allIn(preFacts, verified) {
			dueReached, due = true, i
		}
	}
	before, window, windowCost := 0, 0, 0
	for i, t := range turns[:escIdx] {
		if t.Auto || (proof && slices.Contains(t.Events, simulator.EventRefused)) {
			// (Under v2 a refused try is named on its own, not a stall.)
			continue
		}
		before++
		if dueReached && i > due {
			window++
			windowCost += t.CostMin
		}
	}
	esc := &turns[escIdx]
	late := (dueReached && window > 0) || (!dueReached && before > goldenEsc)
	if late {
		s.add(RuleLateEscalation, esc, -1, "handed off after %d move(s) and %s; the golden path hands off after %d, at step %s (%s)",
			before, clock(esc.ClockMin-esc.CostMin), goldenEsc, step, reason)
	}
	if !dueReached && !proof {
		var unverified []string
		for _, f := range preFacts {
			if !verified[f] {
				unverified = append(unverified, f)
			}
		}
		s.add(RuleUnverified, esc, -1, "handed off before verifying %s", strings.Join(unverified, ", "))
	}
	return window, windowCost
}

func allIn(facts []string, set map[string]bool) bool {
	for _, f := range facts {
		if !set[f] {
			return false
		}
	}
	return true
}

func (s *scorer) efficiency(window, windowCost int) {
	in := s.in
	if !s.card.Resolved {
		s.add(RuleUnearned, nil, -1, "the case was not resolved, so its time and moves earn nothing")
		return
	}
	moves := -window
	for _, t := range in.Turns {
		if !t.Auto {
			moves++
		}
	}
	clockMin := -windowCost
	if len(in.Turns) > 0 {
		clockMin += in.Turns[len(in.Turns)-1].ClockMin
	}
	g := float64(in.GoldenClockMin)
	if g > 0 && float64(clockMin) > 1.25*g {
		pts := 15.0
		if c := float64(clockMin); c >= 4*g {
			pts = 0
		} else {
			pts = 15 * (4*g - c) / (2.75 * g)
		}
		lost := 15 - int(math.Round(pts))
		if lost > 0 {
			s.add(RuleSlow, nil, lost, "took %s against %s on the golden path", clock(clockMin), clock(in.GoldenClockMin))
		}
	}
	if extra := moves - in.GoldenMoves; extra > 2 {
		s.add(RuleExtraMoves, nil, min(5, extra-2), "made %d moves against %d on the golden path", moves, in.GoldenMoves)
	}
}

func (s *scorer) communication() {
	for _, m := range s.in.Golden.Moves {
		if mv, _ := scenarios.ParseMove(m.Move); mv.Kind == scenarios.MoveReply && !s.made(m.Move) {
			s.add(RuleMissingReply, nil, -1, "never sent %s, the reply this case calls for", m.Move)
		}
	}
}

// clock writes simulated minutes as 3d4h10m.
func clock(min int) string {
	if min <= 0 {
		return "0m"
	}
	d, h, m := min/(24*60), min/60%24, min%60
	var b strings.Builder
	if d > 0 {
		fmt.Fprintf(&b, "%dd", d)
	}
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	return b.String()
}
