package simulator

import (
	"fmt"
	"math/rand/v2"
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
	N        int      `json:"n"`
	Move     string   `json:"move"`
	By       string   `json:"by"`             // the tier that made the move
	Auto     bool     `json:"auto,omitempty"` // made by the simulator for the tier that took over
	Said     string   `json:"said,omitempty"` // the customer's answer
	Result   string   `json:"result,omitempty"`
	Events   []Event  `json:"events,omitempty"`
	Findings []string `json:"findings,omitempty"` // a trap's findings
	Carry    []string `json:"carry,omitempty"`    // an escalation's handoff note
	CostMin  int      `json:"cost_min"`
	ClockMin int      `json:"clock_min"` // simulated minutes since the opening, after the move
	OnPath   bool     `json:"on_path"`
	Step     string   `json:"step,omitempty"` // the playbook step the move served
	Due      string   `json:"due,omitempty"`  // off the path: the golden step that applied instead
	Hint     string   `json:"hint,omitempty"`
}

// A Session is one trainee's run of a scenario at a tier.
type Session struct {
	pb     *playbooks.Playbook
	sc     *scenarios.Scenario
	start  *playbooks.Tier
	tier   *playbooks.Tier
	mode   string
	seed   uint64
	golden *Golden
	costs  Costs
	voice  voice

	verified map[string]string
	order    []string
	done     map[string]bool // action and reply moves made, by move id
	sent     bool            // any reply sent
	escalate string          // tier handed to, "" before a handoff
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

// New starts a session. The seed orders the move menu.
func New(p *playbooks.Playbook, s *scenarios.Scenario, tier, mode string, seed uint64) (*Session, error) {
	t := p.Tier(tier)
	if t == nil {
		return nil, fmt.Errorf("playbook %s has no tier %q (tiers: %s)", p.ID, tier, strings.Join(p.TierNames(), ", "))
	}
	if mode != ModePractice && mode != ModeExam {
		return nil, fmt.Errorf("mode must be practice or exam, not %q", mode)
	}
	g, docs, err := goldenFor(p, s, t)
	if err != nil {
		return nil, err
	}
	costs, ok := ChannelCosts[s.Channel]
	if !ok {
		costs = ChannelCosts[scenarios.ChannelChat]
	}
	ss := &Session{pb: p, sc: s, start: t, tier: t, mode: mode, seed: seed, golden: g, costs: costs,
		voice: voiceOf(s.Persona.Tone), verified: map[string]string{}, done: map[string]bool{}}
	for _, fv := range knownAtStart(p, s) {
		ss.learn(fv.Fact, fv.Value)
	}
	ss.goodDocs = docs
	return ss, nil
}

// goldenKey names a golden path of a scenario: it depends only on the
// playbook and the tier besides, all immutable once loaded.
type goldenKey struct {
	p    *playbooks.Playbook
	tier string
}

type goldenEntry struct {
	g    *Golden
	docs []string
	err  error
}

// goldenFor is the golden path of the scenario on the playbook at the
// tier, kept with the scenario (Scenario.Derived): a report replays
// thousands of attempts at the same few scenarios and tiers, and the cache
// goes when the library it was loaded with does.
func goldenFor(p *playbooks.Playbook, s *scenarios.Scenario, t *playbooks.Tier) (*Golden, []string, error) {
	key := goldenKey{p, t.Name}
	goldens := &s.Derived
	if e, ok := goldens.Load(key); ok {
		e := e.(*goldenEntry)
		return e.g, e.docs, e.err
	}
	g, err := GoldenPath(p, s, t)
	e := &goldenEntry{g: g, err: err}
	if err == nil {
		e.docs = goldenDocs(p, g)
		g.parsedMoves() // before the path is shared between sessions
	}
	goldens.Store(key, e)
	return e.g, e.docs, e.err
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

// Menu lists the moves open to the trainee, in an order fixed by the seed
// so that the first entries do not give the answer away.
func (s *Session) Menu() []Option {
	if s.closed {
		return nil
	}
	if s.menu == nil {
		s.menu = s.buildMenu() // built when first shown: replays never need it
	}
	return slices.Clone(s.menu)
}

func (s *Session) buildMenu() []Option {
	var opts []Option
	add := func(kind scenarios.MoveKind, arg, label string) {
		opts = append(opts, Option{scenarios.NewMove(kind, arg).String(), label})
	}
	for _, f := range s.pb.Facts {
		q := f.Ask
		if q == "" {
			q = f.Label() + "?"
		}
		add(scenarios.MoveAsk, f.Name, "Ask the customer: "+q)
		switch scenarios.SourceMove(f) {
		case scenarios.MoveLookup:
			add(scenarios.MoveLookup, f.Name, "Look up in admin: "+f.Label())
		case scenarios.MoveProbe:
			add(scenarios.MoveProbe, f.Name, "Probe: "+f.Label())
		case scenarios.MoveDNS:
			add(scenarios.MoveDNS, f.Name, "Check DNS: "+f.Label())
		}
	}
	for _, c := range scenarios.Capabilities(s.pb) {
		add(scenarios.MoveAction, c, "Perform: "+actionLabel(s.pb, c))
	}
	for _, r := range s.pb.Replies {
		add(scenarios.MoveReply, r.Name, "Reply: "+oneLine(r.For(audienceFor(s.pb, s.sc)).Summary, 70))
	}
	for _, d := range scenarios.Docs(s.pb) {
		add(scenarios.MoveDoc, d, "Send the doc page "+d)
	}
	for _, t := range s.sc.Traps {
		add(scenarios.MoveTrap, t.ID, t.Label)
	}
	for _, t := range s.pb.Tiers {
		if t.Rank > s.start.Rank {
			add(scenarios.MoveEscalate, t.Name, "Escalate to "+t.Name+" with a handoff note")
		}
	}
	rng := rand.New(rand.NewPCG(s.seed, 0x636173656b6f6f6b)) // "casebook"
	rng.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	return append(opts, Option{scenarios.CloseMove.String(), "Close the case"})
}

func actionLabel(p *playbooks.Playbook, capability string) string {
	for _, st := range p.Steps {
		if st.Kind == playbooks.StepAction && st.Subject.Value == capability && st.Title != "" {
			return st.Title
		}
	}
	return capability
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// goldenDocs are the canonical doc pages of the replies the golden path
// sends: the pages worth sending this customer. (The docs of check steps
// are the agent's reading.)
func goldenDocs(p *playbooks.Playbook, g *Golden) []string {
	var out []string
	for _, m := range g.Moves {
		if st := p.Step(m.Step); st != nil {
			if st.Kind == playbooks.StepReply {
				if r := p.Reply(st.Subject.Value); r != nil {
					for _, d := range r.Docs {
						out = append(out, d.Value)
					}
				}
			}
		}
	}
	return out
}

func (s *Session) learn(fact, value string) {
	if _, had := s.verified[fact]; !had {
		s.order = append(s.order, fact)
	}
	s.verified[fact] = value
}

// remaining lists the golden moves of the tier acting now (its part of the
// golden path, up to and including its handoff) not yet satisfied.
// pending looks through the golden moves of the tier playing that are not
// yet satisfied: it returns the first of them (nil when none is left) and
// the first that match accepts (nil when none does).
func (s *Session) pending(match func(scenarios.Move, GoldenMove) bool) (first, matched *GoldenMove) {
	parsed := s.golden.parsedMoves()
	for i := range s.golden.Moves {
		m := &s.golden.Moves[i]
		if m.Tier != s.tier.Name || s.satisfied(parsed[i], m.Move) {
			continue
		}
		if first == nil {
			first = m
		}
		if match(parsed[i], *m) {
			return first, m
		}
	}
	return first, nil
}

func (s *Session) satisfied(mv scenarios.Move, id string) bool {
	switch {
	case mv.Verifies():
		_, ok := s.verified[mv.Arg]
		return ok
	case mv.Kind == scenarios.MoveEscalate:
		return s.escalate != ""
	case mv.Kind == scenarios.MoveClose:
		return s.closed
	}
	return s.done[id]
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
	t := Turn{Move: mv.String(), By: s.tier.Name}
	// An escalation to the golden path's tier is on the path whatever its
	// note carries (the note is graded on its own).
	due, g := s.pending(func(gm scenarios.Move, g GoldenMove) bool {
		return g.Move == t.Move || (mv.Kind == scenarios.MoveEscalate && gm.Kind == scenarios.MoveEscalate && gm.Arg == mv.Arg)
	})
	if g != nil {
		t.OnPath, t.Step = true, g.Step
	}
	for _, prev := range s.turns {
		if prev.Move == t.Move && !prev.Auto {
			t.Events = append(t.Events, EventRepeat)
			break
		}
	}
	s.apply(&t, mv)
	if !t.OnPath {
		t.Events = append(t.Events, EventOffPath)
		if due != nil {
			t.Due = due.Step
		}
		if s.mode == ModePractice && due != nil && !s.closed {
			t.Hint = s.hint(*due)
		}
	}
	s.record(t)
	if mv.Kind == scenarios.MoveEscalate && !slices.Contains(t.Events, EventRefused) {
		if s.manual {
			s.tier = s.pb.Tier(mv.Arg)
		} else {
			s.takeOver(s.pb.Tier(mv.Arg))
		}
	}
	return nil
}

func (s *Session) hint(g GoldenMove) string {
	st := s.pb.Step(g.Step)
	title := ""
	if st != nil && st.Title != "" {
		title = " (" + st.Title + ")"
	}
	return fmt.Sprintf("step %s%s applies now: %s", g.Step, title, g.Move)
}

func (s *Session) record(t Turn) {
	t.N = len(s.turns) + 1
	s.clock += time.Duration(t.CostMin) * time.Minute
	t.ClockMin = int(s.clock / time.Minute)
	s.turns = append(s.turns, t)
}

func minutes(d time.Duration) int { return int(d / time.Minute) }

// Cost is the simulated time a move of its kind takes on the scenario's
// channel (a trap its own cost): what the move costs unless the world
// refuses it (a refused action or escalation costs Costs.Refused instead,
// which only playing the move tells).
func (s *Session) Cost(mv scenarios.Move) time.Duration {
	class := mv.Kind.Info().Cost
	if class == scenarios.CostTrap {
		if trap := s.sc.Trap(mv.Arg); trap != nil {
			return trap.Cost
		}
		return s.costs.CustomerTurn
	}
	return s.costs.Of(class)
}

// apply works out what the world does with a move.
func (s *Session) apply(t *Turn, mv scenarios.Move) {
	c := s.costs
	t.CostMin = minutes(s.Cost(mv))
	switch mv.Kind {
	case scenarios.MoveAsk:
		f := s.pb.Fact(mv.Arg)
		v, ok := s.sc.TruthFor(f)
		if !ok {
			t.Said = "I don't know."
			return
		}
		phrase := s.phrase(f.Name, v)
		switch {
		case f.SourceKind() == playbooks.SourceTicket:
			t.Said = say(s.voice.derivable, phrase)
			t.Events = append(t.Events, EventDerivable)
		case s.sc.IsStated(f.Name):
			t.Said = say(s.voice.restated, phrase)
			t.Events = append(t.Events, EventRestated)
		case scenarios.SourceMove(f) != "":
			t.Said = say(s.voice.knowable, phrase)
			t.Events = append(t.Events, EventKnowable)
		default:
			t.Said = say(s.voice.answer, phrase)
		}
		s.learn(f.Name, v)
	case scenarios.MoveLookup, scenarios.MoveProbe, scenarios.MoveDNS:
		f := s.pb.Fact(mv.Arg)
		v, ok := s.sc.TruthFor(f)
		if !ok {
			t.Result = "nothing to see for " + f.Name
			return
		}
		t.Result = f.Name + " = " + v
		s.learn(f.Name, v)
	case scenarios.MoveAction:
		if !s.tier.Holds(mv.Arg) {
			t.CostMin = minutes(c.Refused)
			t.Events = append(t.Events, EventRefused)
			holder := s.pb.LowestHolding(mv.Arg)
			t.Result = fmt.Sprintf("refused: tier %s does not hold %s", s.tier.Name, mv.Arg)
			if holder != nil {
				t.Result += "; " + holder.Name + " does"
			}
			return
		}
		t.Result = "done: " + actionLabel(s.pb, mv.Arg)
		if !s.inGolden(t.Move) {
			t.Events = append(t.Events, EventNotCalledFor)
		}
		s.done[t.Move] = true
	case scenarios.MoveReply:
		r := s.pb.Reply(mv.Arg)
		s.sent = true
		s.done[t.Move] = true
		if s.removedAny(docRefs(r.Docs)) {
			t.Said = s.voice.removed
			t.Events = append(t.Events, EventRemoved)
			return
		}
		if s.inGolden(t.Move) {
			t.Said = s.voice.goodReply
		} else {
			t.Said = s.voice.wrongReply
			t.Events = append(t.Events, EventWrongReply)
		}
	case scenarios.MoveDoc:
		switch {
		case s.sc.IsRemoved("doc:" + mv.Arg):
			t.Said = s.voice.removed
			t.Events = append(t.Events, EventRemoved)
		case slices.Contains(s.goodDocs, mv.Arg):
			t.Said = s.voice.goodReply
		default:
			t.Said = s.voice.readAlready
			t.Events = append(t.Events, EventIrrelevant)
		}
	case scenarios.MoveTrap:
		trap := s.sc.Trap(mv.Arg)
		t.Said = trap.Answer
		t.Events = append(t.Events, EventTrap)
		for _, f := range trap.Findings {
			t.Findings = append(t.Findings, f.Value)
		}
		if s.removedAny(trap.Refs) {
			t.Events = append(t.Events, EventRemoved)
		}
	case scenarios.MoveEscalate:
		to := s.pb.Tier(mv.Arg)
		if to.Rank <= s.tier.Rank {
			t.CostMin = minutes(c.Refused)
			t.Events = append(t.Events, EventRefused)
			t.Result = fmt.Sprintf("refused: %s is not above %s", to.Name, s.tier.Name)
			return
		}
		carry := mv.Carry
		if mv.CarryAll {
			carry = nil
			for _, fv := range s.Verified() {
				carry = append(carry, fv.Fact)
			}
		}
		t.Carry = []string{}
		var left []string
		for _, f := range s.order {
			if slices.Contains(carry, f) {
				t.Carry = append(t.Carry, f)
			} else if s.pb.Fact(f).SourceKind() != playbooks.SourceTicket {
				left = append(left, f)
			}
		}
		if len(left) > 0 {
			t.Events = append(t.Events, EventIncomplete)
			t.Result = "the note leaves out " + strings.Join(left, ", ")
		}
		s.escalate = to.Name
	case scenarios.MoveClose:
		s.close(t)
	}
}

// close ends the case. It reaches the golden outcome when every action of
// the golden path was made, or, where the golden path makes no action (the
// customer has to act), when its reply was sent.
func (s *Session) close(t *Turn) {
	s.closed = true
	s.outcome = s.golden.Outcome
	for _, m := range s.golden.Needed() {
		if !s.done[m] {
			s.outcome = "unresolved"
			t.Events = append(t.Events, EventUnresolved)
			break
		}
	}
	if !s.sent {
		t.Events = append(t.Events, EventNoSummary)
	}
}

// phrase is how the customer words a fact's value.
func (s *Session) phrase(fact, value string) string {
	if a, ok := scenarios.Lookup(s.sc.Answers, fact); ok {
		return a
	}
	return value
}

func (s *Session) inGolden(id string) bool {
	for _, m := range s.golden.Moves {
		if m.Move == id {
			return true
		}
	}
	return false
}

func docRefs(docs []playbooks.Text) []playbooks.Text {
	out := make([]playbooks.Text, len(docs))
	for i, d := range docs {
		out[i] = playbooks.Text{Value: "doc:" + d.Value, Pos: d.Pos}
	}
	return out
}

func (s *Session) removedAny(refs []playbooks.Text) bool {
	for _, r := range refs {
		if s.sc.IsRemoved(r.Value) {
			return true
		}
	}
	return false
}

// takeOver plays the tier that received the handoff along the golden path
// from where the case stands, with the facts the note carried: facts it
// left out are asked of the customer again (or looked up when nobody had
// verified them), and the tier hands on wherever it lacks a capability.
func (s *Session) takeOver(to *playbooks.Tier) {
	carried := map[string]bool{}
	if last := s.turns[len(s.turns)-1]; last.Carry != nil {
		for _, f := range last.Carry {
			carried[f] = true
		}
	}
	s.tier = to
	w := playbooks.NewWalker(s.pb, to, audienceFor(s.pb, s.sc))
	for _, fv := range knownAtStart(s.pb, s.sc) {
		_ = w.Set(fv.Fact, fv.Value)
	}
	for f := range carried {
		_ = w.Set(f, s.verified[f])
	}
	auto := func(t Turn) {
		t.By, t.Auto, t.OnPath = s.tier.Name, true, true
		s.record(t)
	}
	closed := false
	err := w.Run(func(ev playbooks.Event) error {
		switch ev.Kind {
		case playbooks.EventNeed:
			f := s.pb.Fact(ev.Fact)
			v, _ := s.sc.TruthFor(f)
			_, knewIt := s.verified[f.Name]
			t := Turn{Step: ev.Step}
			if knewIt || f.SourceKind() == playbooks.SourceCustomer || s.sc.IsStated(f.Name) {
				mv := scenarios.NewMove(scenarios.MoveAsk, f.Name)
				t.Move, t.CostMin = mv.String(), minutes(s.Cost(mv))
				t.Said = say(s.voice.reasked, s.phrase(f.Name, v))
				t.Events = []Event{EventReasked}
				if !knewIt && !s.sc.IsStated(f.Name) {
					t.Said, t.Events = say(s.voice.answer, s.phrase(f.Name, v)), nil
				}
			} else {
				// The receiving tier's look-ups all cost Lookup, a probe too.
				t.Move = scenarios.FactMove(f).String()
				t.CostMin = minutes(s.costs.Lookup)
				t.Result = f.Name + " = " + v
			}
			s.learn(f.Name, v)
			if err := w.Set(f.Name, v); err != nil {
				return err
			}
			auto(t)
		case playbooks.EventAction:
			mv := scenarios.NewMove(scenarios.MoveAction, ev.Value)
			s.done[mv.String()] = true
			auto(Turn{Move: mv.String(), Step: ev.Step, CostMin: minutes(s.Cost(mv)),
				Result: "done: " + actionLabel(s.pb, ev.Value)})
		case playbooks.EventReply:
			mv := scenarios.NewMove(scenarios.MoveReply, ev.Draft.Template)
			s.done[mv.String()], s.sent = true, true
			auto(Turn{Move: mv.String(), Step: ev.Step, CostMin: minutes(s.Cost(mv)), Said: s.voice.goodReply})
		case playbooks.EventHandoff:
			next := s.pb.Tier(ev.Handoff.To)
			carry := make([]string, 0, len(ev.Handoff.Facts))
			for _, fv := range ev.Handoff.Facts {
				carry = append(carry, fv.Fact)
			}
			mv := scenarios.NewMove(scenarios.MoveEscalate, next.Name)
			auto(Turn{Move: mv.String(), Step: ev.Step, CostMin: minutes(s.Cost(mv)), Carry: carry})
			s.tier = next
			w.TakeOver(next)
		case playbooks.EventOutcome:
			t := Turn{Move: scenarios.CloseMove.String(), Step: ev.Step, CostMin: minutes(s.Cost(scenarios.CloseMove))}
			s.close(&t)
			auto(t)
			closed = true
		}
		return nil
	})
	if err != nil || !closed {
		// The receiving tier cannot finish the case on this truth.
		s.closed, s.outcome = true, "unresolved"
	}
}

// Resume rebuilds the session an attempt was made in and replays its moves,
// so that the trainee continues exactly where the attempt stopped. The
// playbook must be the version the attempt was made on or, with patchOK,
// one that differs from it only in the patch version (playbooks.MadeOn).
func Resume(a *Attempt, p *playbooks.Playbook, s *scenarios.Scenario, patchOK bool) (*Session, error) {
	h := a.Header
	if h.Scenario != s.ID || h.Playbook != p.ID {
		return nil, fmt.Errorf("%s:1:1: an attempt at %s (playbook %s), not at %s", a.Path, h.Scenario, h.Playbook, s.ID)
	}
	if h.PlaybookVersion != p.Version && !(patchOK && playbooks.PatchOnly(h.PlaybookVersion, p.Version)) {
		return nil, fmt.Errorf("%s:1:1: made on playbook %s %s, but the library has %s", a.Path, p.ID, h.PlaybookVersion, p.Version)
	}
	ss, err := New(p, s, h.Tier, h.Mode, h.Seed)
	if err != nil {
		return nil, fmt.Errorf("%s:1:1: %v", a.Path, err)
	}
	ss.turns = make([]Turn, 0, len(a.Moves)+4) // a handoff adds the other tier's moves
	for _, m := range a.Moves {
		if err := ss.play(m.Move); err != nil {
			// Line 1 is the header; move N is on line N+1.
			return nil, fmt.Errorf("%s:%d:1: move %d (%s): %v", a.Path, m.N+1, m.N, scenarios.Clip(m.Move), err)
		}
	}
	return ss, nil
}

// Replay is Resume for a caller that wants only the turns and whether the
// case was closed: a report scoring a hundred thousand attempts, which
// need not copy them.
func Replay(a *Attempt, p *playbooks.Playbook, s *scenarios.Scenario, patchOK bool) ([]Turn, bool, error) {
	ss, err := Resume(a, p, s, patchOK)
	if err != nil {
		return nil, false, err
	}
	return ss.turns, ss.Over(), nil
}

// GoldenClock is the simulated time the golden path takes. It is played
// once per golden path and kept with it.
func (s *Session) GoldenClock() time.Duration {
	s.golden.clockOnce.Do(func() { s.golden.clock = s.playGolden() })
	return s.golden.clock
}

// playGolden plays the golden path's moves of the session's tier in a
// fresh session and returns the time they take. The seed orders menus
// only, so any seed gives the same time.
func (s *Session) playGolden() time.Duration {
	g, err := New(s.pb, s.sc, s.start.Name, ModeExam, s.seed)
	if err != nil {
		return 0
	}
	for _, m := range s.golden.Moves {
		if g.Over() || m.Tier != s.start.Name {
			break
		}
		if _, err := g.Play(m.Move); err != nil {
			return 0
		}
	}
	return g.Clock()
}

// GoldenMoves is the number of golden moves the session's own players make:
// the trainee's tier, and when a recording is replayed, every tier.
func (s *Session) GoldenMoves() int {
	n := 0
	for _, m := range s.golden.Moves {
		if s.manual || m.Tier == s.start.Name {
			n++
		}
	}
	return n
}

// NewManual starts a session in which every tier's moves are played (none
// simulated): recording real handling, or replaying a recording.
func NewManual(p *playbooks.Playbook, sc *scenarios.Scenario, tier string) (*Session, error) {
	s, err := New(p, sc, tier, ModeExam, 0)
	if err != nil {
		return nil, err
	}
	s.manual = true
	return s, nil
}

// ReplayRecording plays a scenario's recording: the recorded tier makes
// the moves, and after an escalation the receiving tier's recorded moves
// go on (nothing is simulated). The recorded times replace the simulated
// clock: the case starts one move's cost before the first recorded move.
func ReplayRecording(p *playbooks.Playbook, sc *scenarios.Scenario) (*Session, error) {
	r := sc.Recording
	if r == nil || len(r.Moves) == 0 {
		return nil, fmt.Errorf("scenario %s has no recording", sc.ID)
	}
	s, err := NewManual(p, sc, r.Tier.Value)
	if err != nil {
		return nil, err
	}
	var first time.Time
	var firstCost time.Duration
	for i, m := range r.Moves {
		if s.Over() {
			return nil, fmt.Errorf("scenario %s: recorded move %d (%s) comes after the case was closed", sc.ID, i+1, m.Move)
		}
		turns, err := s.Play(m.Move)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: recorded move %d (%s): %v", sc.ID, i+1, m.Move, err)
		}
		if i == 0 {
			first, firstCost = m.At, time.Duration(turns[0].CostMin)*time.Minute
		}
		s.clock = m.At.Sub(first) + firstCost
		s.turns[len(s.turns)-1].ClockMin = minutes(s.clock)
	}
	return s, nil
}

// Tier is the trainee's tier.
func (s *Session) Tier() string { return s.start.Name }

// Mode is practice or exam.
func (s *Session) Mode() string { return s.mode }
