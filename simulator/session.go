package simulator

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// Modes of a training session.
const (
	ModePractice = "practice" // a hint follows every move that leaves the golden path
	ModeExam     = "exam"     // no hints
)

// An Option is one entry of the move menu.
type Option struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// A Turn is one move and what came of it. Turns are all a scorer needs:
// every rule of the simulator that matters for grading shows in Events.
type Turn struct {
	N        int                `json:"n"`
	Move     string             `json:"move"`
	By       playbooks.TierName `json:"by"`             // the tier that made the move
	Auto     bool               `json:"auto,omitempty"` // made by the simulator for the tier that took over
	Said     string             `json:"said,omitempty"` // the customer's answer
	Result   string             `json:"result,omitempty"`
	Events   []Event            `json:"events,omitempty"`
	Findings []string           `json:"findings,omitempty"` // a trap's findings
	Carry    []string           `json:"carry,omitempty"`    // an escalation's handoff note
	// Off the path for want of evidence (RulesV2): nil for every other
	// move (a pointer: a report holds millions of turns).
	*Evidence
	CostMin  int    `json:"cost_min"`
	ClockMin int    `json:"clock_min"` // simulated minutes since the opening, after the move
	OnPath   bool   `json:"on_path"`
	Step     string `json:"step,omitempty"` // the playbook step the move served
	Due      string `json:"due,omitempty"`  // off the path: the golden step that applied instead
	Hint     string `json:"hint,omitempty"`
}

// Evidence is what a move made before its evidence lacked: the golden
// moves that verify the facts it needed first, and the golden actions a
// reply or action came before.
type Evidence struct {
	Unverified []string `json:"unverified,omitempty"`
	Before     []string `json:"before,omitempty"`
}

// Missing is the turn's Evidence, never nil.
func (t *Turn) Missing() Evidence {
	if t.Evidence == nil {
		return Evidence{}
	}
	return *t.Evidence
}

// A Session is one trainee's run of a scenario at a tier.
type Session struct {
	pb     *playbooks.Playbook
	sc     *scenarios.Scenario
	start  *playbooks.Tier
	tier   *playbooks.Tier
	mode   string
	seed   uint64
	rules  Rules
	golden *Golden
	costs  Costs
	voice  voice

	verified map[string]string
	order    []string
	proven   map[string]bool    // facts verified on the golden path (RulesV2)
	earned   []bool             // golden moves made on the path, by index (RulesV2)
	doneBy   []doneKey          // action and reply moves made, with their tier (a few)
	derives  bool               // the playbook has rule facts to derive
	done     map[string]bool    // action and reply moves made, by move id
	sent     bool               // any reply sent
	escalate playbooks.TierName // tier handed to, "" before a handoff
	closed   bool
	outcome  string
	clock    time.Duration
	turns    []Turn
	menu     []Option
	goodDocs []string
	// manual: after an escalation the receiving tier's moves are played
	// (replaying a recording) instead of made by the simulator.
	manual bool
}

// New starts a session under the current rules. The seed orders the move
// menu.
func New(p *playbooks.Playbook, s *scenarios.Scenario, tier playbooks.TierName, mode string, seed uint64) (*Session, error) {
	return NewUnder(p, s, tier, mode, seed, CurrentRules)
}

// NewUnder starts a session under the rules of a version (an attempt's).
func NewUnder(p *playbooks.Playbook, s *scenarios.Scenario, tier playbooks.TierName, mode string, seed uint64, rules Rules) (*Session, error) {
	if rules < 0 {
		return nil, fmt.Errorf("scoring rules %d is no version (versions are 1, 2, ...)", int(rules))
	}
	rules = rules.OrV1()
	if !rules.Known() {
		return nil, fmt.Errorf("made under scoring rules %s, which this casebook does not know (it knows v1 to %s); update casebook", rules, CurrentRules)
	}
	t := p.Tier(tier)
	if t == nil {
		return nil, fmt.Errorf("playbook %s has no tier %q (tiers: %s)", p.ID, tier, strings.Join(p.TierNames(), ", "))
	}
	if mode != ModePractice && mode != ModeExam {
		return nil, fmt.Errorf("mode must be practice or exam, not %q", mode)
	}
	g, docs, err := goldenFor(p, s, t, rules)
	if err != nil {
		return nil, err
	}
	costs, ok := ChannelCosts[s.Channel]
	if !ok {
		costs = ChannelCosts[scenarios.ChannelChat]
	}
	ss := &Session{pb: p, sc: s, start: t, tier: t, mode: mode, seed: seed, rules: rules, golden: g, costs: costs,
		voice: voiceOf(s.Persona.Tone), verified: map[string]string{}, done: map[string]bool{}}
	if rules >= RulesV2 {
		ss.proven, ss.earned = map[string]bool{}, make([]bool, len(g.Moves))
	}
	for _, f := range p.Facts {
		ss.derives = ss.derives || f.IsRule()
	}
	for _, fv := range knownAtStart(p, s) {
		ss.learn(fv.Fact, fv.Value)
		if ss.proven != nil {
			ss.proven[fv.Fact] = true
		}
	}
	if rules >= RulesV2 {
		// What the opening states and the tier cannot verify, the agent
		// takes from the customer (the golden path asks none of it).
		for _, st := range s.Stated {
			if f := p.Fact(st.Value); f != nil && !ss.canVerify(f) {
				if v, ok := s.TruthFor(f); ok {
					ss.learn(f.Name, v)
					ss.proven[f.Name] = true
				}
			}
		}
	}
	ss.goodDocs = docs
	return ss, nil
}

// Golden is the session's golden path.
func (s *Session) Golden() *Golden { return s.golden }

// Scenario and Playbook the session runs on.
func (s *Session) Scenario() *scenarios.Scenario { return s.sc }

// Playbook the session runs on.
func (s *Session) Playbook() *playbooks.Playbook { return s.pb }

// Over reports whether the case is closed.
func (s *Session) Over() bool { return s.closed }

// Turns made so far.
func (s *Session) Turns() []Turn { return slices.Clone(s.turns) }

// Clock is the simulated time since the opening.
func (s *Session) Clock() time.Duration { return s.clock }

// Outcome is the playbook outcome the case reached, "unresolved" when it
// was closed without the golden path's actions and replies, or "" while open.
func (s *Session) Outcome() string { return s.outcome }

// Verified lists the facts known so far, in the order they were learned.
func (s *Session) Verified() []playbooks.FactValue {
	out := make([]playbooks.FactValue, 0, len(s.order))
	for _, f := range s.order {
		out = append(out, playbooks.FactValue{Fact: f, Value: s.verified[f], Source: s.pb.Fact(f).Source})
	}
	return out
}

func (s *Session) learn(fact, value string) {
	if _, had := s.verified[fact]; !had {
		s.order = append(s.order, fact)
	}
	s.verified[fact] = value
}

// Play makes the trainee's move and returns the turns it produced: one,
// or after an escalation also the moves of the tier that took over.
func (s *Session) Play(id string) ([]Turn, error) {
	before := len(s.turns)
	if err := s.play(id); err != nil {
		return nil, err
	}
	return slices.Clone(s.turns[before:]), nil
}

// play is Play without copying the turns out (replays need none).
func (s *Session) play(id string) error {
	if s.closed {
		return fmt.Errorf("the case is closed")
	}
	mv, err := scenarios.ParseMove(id)
	if err == nil {
		err = scenarios.CheckMove(mv, s.pb, s.sc)
	}
	if err != nil {
		return err
	}
	if mv.Kind == scenarios.MoveReply && mv.Audience == audienceFor(s.pb, s.sc) {
		mv.Audience = "" // the persona's own audience is the reply's default
	}
	t := Turn{Move: mv.String(), By: s.tier.Name}
	// An escalation to the golden path's tier is on the path whatever its
	// note carries, and the golden reply whatever audience it is written
	// for (the note and the audience are graded on their own).
	due, gi := s.pending(func(gm scenarios.Move, g GoldenMove) bool {
		return g.Move == t.Move || (gm.Kind == mv.Kind && gm.Arg == mv.Arg && (mv.Kind == scenarios.MoveEscalate || mv.Kind == scenarios.MoveReply))
	})
	if gi >= 0 {
		// Under RulesV2 the move must also come after its evidence, and not
		// be one already done (a refund made twice is not a refund earned).
		onPath, why := s.judge(&t, mv, gi)
		if onPath && s.redone(t.Move, gi) {
			onPath, why = false, nil
		}
		if onPath {
			t.OnPath, t.Step = true, s.golden.Moves[gi].Step
		} else {
			due = why
		}
	} else if j := s.goldenIndex(t.Move); j >= 0 && s.evidence() {
		// A move of a later tier's part, made by this one: off the path,
		// and named when made before its evidence too.
		s.judge(&t, mv, j)
	}
	for _, prev := range s.turns {
		if prev.Move == t.Move && !prev.Auto {
			t.Events = append(t.Events, EventRepeat)
			break
		}
	}
	s.apply(&t, mv)
	if s.rules >= RulesV2 {
		s.earn(&t, mv, gi)
	}
	if !t.OnPath {
		t.Events = append(t.Events, EventOffPath)
		if due != nil {
			t.Due = due.Step
		}
		if s.mode == ModePractice && due != nil && !s.closed {
			t.Hint = s.hint(*due)
			switch ev := t.Missing(); {
			case len(ev.Unverified) > 0:
				t.Hint = "made before its evidence; " + t.Hint
			case len(ev.Before) > 0:
				t.Hint = "made before " + strings.Join(ev.Before, ", ") + ", which it follows; " + t.Hint
			}
		}
	}
	s.record(t)
	if mv.Kind == scenarios.MoveEscalate && !slices.Contains(t.Events, EventRefused) {
		if s.manual {
			s.tier = s.pb.Tier(playbooks.TierName(mv.Arg))
		} else {
			s.takeOver(s.pb.Tier(playbooks.TierName(mv.Arg)))
		}
	}
	return nil
}

func (s *Session) record(t Turn) {
	t.N = len(s.turns) + 1
	s.clock += time.Duration(t.CostMin) * time.Minute
	t.ClockMin = int(s.clock / time.Minute)
	s.turns = append(s.turns, t)
}

func minutes(d time.Duration) int { return int(d / time.Minute) }

// Tier is the trainee's tier.
func (s *Session) Tier() playbooks.TierName { return s.start.Name }

// Rules is the version of the rules the session plays under.
func (s *Session) Rules() Rules { return s.rules }

// Mode is practice or exam.
func (s *Session) Mode() string { return s.mode }
