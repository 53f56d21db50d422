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

// Progress is how far the trainee got along their part of the golden path
// (rules v2): the golden moves of their tier made on the path, out of all
// of them, and those never made on the path.
type Progress struct {
	Earned  int      `json:"earned"`
	Of      int      `json:"of"`
	Skipped []string `json:"skipped"`
}

// maxUnresolvedProgress is the share of the progress-earned parts an
// unresolved case can earn: with resolution and efficiency at 0 it keeps
// an unresolved handling at 50 or below.
const maxUnresolvedProgress = 0.9

// scoreV2 grades under rules v2. Evidence before action: the simulator
// marks a golden action, reply or handoff made before the facts that lead
// to it off the path, with an event each names a rule. Points are earned,
// not kept: customer effort, escalation, communication and efficiency are
// earned in proportion to the trainee's golden moves made on the path, so
// doing nothing earns nothing; each finding then deducts from its part.
func (s *scorer) scoreV2() {
	turns := s.in.Turns
	for i := range turns {
		s.turnV2(&turns[i])
	}
	s.progress()
	s.handedTo()
	s.resolution(s.missingV2)
	p := s.share()
	if s.card.HandedTo != "" && s.card.Resolved && p < 1 {
		// The tier's part ends in the handoff: resolution is that part.
		s.unearned(RuleResolutionUnearned, PartResolution, p)
	}
	window, windowCost := s.escalation(true)
	if s.card.Resolved {
		s.unearned(RuleUnearned, PartEfficiency, p)
		s.efficiency(window, windowCost)
	} else {
		s.add(RuleUnearned, nil, partMax(PartEfficiency), "the case was not resolved, so its time and moves earn nothing")
	}
	s.unearned(RuleEffortUnearned, PartEffort, p)
	s.unearned(RuleEscalationUnearned, PartEscalation, p)
	s.unearned(RuleCommunicationUnearned, PartCommunication, p)
	s.communicationV2()
}

// turnV2 is turn without the rule v2 leaves to the whole handling: a
// close without a reply is the missing reply (communicationV2).
func (s *scorer) turnV2(t *simulator.Turn) { s.turnSkipping(t, simulator.EventNoSummary) }

// mine reports whether a turn is the trainee's own: made by the tier
// scored, not by the simulator for a tier that took over.
func (s *scorer) mine(t *simulator.Turn) bool { return !t.Auto && t.By == s.in.Tier }

// progress counts the trainee's golden moves made on the path.
func (s *scorer) progress() {
	pr := &Progress{Skipped: []string{}}
	for _, m := range s.in.Golden.Moves {
		if m.Tier != s.in.Tier {
			continue
		}
		pr.Of++
	}
	// Each on-path turn of the trainee earns one golden move it stands for
	// (a handful of each: a scan, not a map).
	targets := s.targets()
	used := make([]bool, len(s.in.Turns))
	for _, m := range s.in.Golden.Moves {
		if m.Tier != s.in.Tier {
			continue
		}
		found := false
		for i := range s.in.Turns {
			if t := &s.in.Turns[i]; !used[i] && t.OnPath && targets[i] == m.Move && s.mine(t) {
				used[i], found = true, true
				break
			}
		}
		if found {
			pr.Earned++
		} else {
			pr.Skipped = append(pr.Skipped, m.Move)
		}
	}
	s.card.Progress = pr
}

// targets lists, per turn, the golden move id its move stands for (an
// escalation whatever its note carries), worked out once.
func (s *scorer) targets() []string {
	if s.target == nil {
		s.target = make([]string, len(s.in.Turns))
		for i, t := range s.in.Turns {
			s.target[i] = t.Move
			if mv, err := scenarios.ParseMove(t.Move); err == nil && (mv.Kind == scenarios.MoveEscalate || mv.Kind == scenarios.MoveReply) {
				s.target[i] = mv.Target().String()
			}
		}
	}
	return s.target
}

// share is the progress share the parts earn.
func (s *scorer) share() float64 {
	pr := s.card.Progress
	p := 1.0
	if pr.Of > 0 {
		p = float64(pr.Earned) / float64(pr.Of)
	}
	if !s.card.Resolved {
		p = min(p, maxUnresolvedProgress)
	}
	return p
}

// unearned deducts from a part what progress did not earn of it.
func (s *scorer) unearned(rule RuleID, part string, p float64) {
	max := partMax(part)
	lost := max - int(math.Floor(float64(max)*p+1e-9))
	if lost <= 0 {
		return
	}
	s.addRule(RuleByID(string(rule)), nil, lost, func() string {
		pr := s.card.Progress
		var what string
		switch {
		case !s.card.Resolved && float64(pr.Earned) >= maxUnresolvedProgress*float64(pr.Of):
			what = fmt.Sprintf("an unresolved case earns at most %d%% of %s", int(maxUnresolvedProgress*100), part)
		case pr.Earned == 0:
			what = fmt.Sprintf("none of the %d golden moves of %s's part was made on the path", pr.Of, s.in.Tier)
		default:
			what = fmt.Sprintf("%d of the %d golden moves of %s's part were made on the path; not %s", pr.Earned, pr.Of, s.in.Tier, listMoves(pr.Skipped, 3))
		}
		return partName(part) + " earned by progress: " + what
	})
}

// partName is a part as a sentence names it.
func partName(part string) string { return strings.ReplaceAll(part, "-", " ") }

// listMoves names up to n moves, and how many more.
func listMoves(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:n], ", "), len(ids)-n)
}

// handedTo notes the tier the trainee handed the case to, if any.
func (s *scorer) handedTo() { s.card.HandedTo = handoff(s.in.Tier, s.in.Turns) }

// handoff is the tier a player of the tier first handed the case to (a
// handoff not refused), or "".
func handoff(tier playbooks.TierName, turns []simulator.Turn) playbooks.TierName {
	for i := range turns {
		t := &turns[i]
		if t.Auto || t.By != tier {
			continue
		}
		if mv, _ := scenarios.ParseMove(t.Move); mv.Kind == scenarios.MoveEscalate && !slices.Contains(t.Events, simulator.EventRefused) {
			return playbooks.TierName(mv.Arg)
		}
	}
	return ""
}

// missingV2 says which golden moves that resolve the case were not made
// on the path (after their evidence), and of those made anyway, that
// they came only before it.
func (s *scorer) missingV2() string {
	var never, early []string
	for _, m := range s.in.Golden.Needed() {
		switch {
		case s.madeOnPath(m):
		case s.made(m):
			early = append(early, m)
		default:
			never = append(never, m)
		}
	}
	var out []string
	switch len(never) {
	case 0:
	case 1:
		out = append(out, never[0]+" was made")
	default:
		out = append(out, strings.Join(never, ", ")+" were made")
	}
	switch len(early) {
	case 0:
	case 1:
		out = append(out, early[0]+" was made after its evidence (it was made only before)")
	default:
		out = append(out, strings.Join(early, ", ")+" were made after their evidence (they were made only before)")
	}
	if len(out) == 0 {
		return "the case was ready"
	}
	return strings.Join(out, "; ")
}

// madeOnPath reports whether a golden move was made on the path, by
// anyone (a tier that took over included).
func (s *scorer) madeOnPath(move string) bool {
	targets := s.targets()
	for i := range s.in.Turns {
		if s.in.Turns[i].OnPath && targets[i] == move {
			return true
		}
	}
	return false
}

// communicationV2: each golden reply must be sent on the path, for the
// customer's audience; saying nothing at all before closing is part of
// the same finding.
func (s *scorer) communicationV2() {
	closedSilent, silentNamed := false, false
	for _, t := range s.in.Turns {
		if slices.Contains(t.Events, simulator.EventNoSummary) {
			closedSilent = true
		}
	}
	for _, m := range s.in.Golden.Moves {
		mv, _ := scenarios.ParseMove(m.Move)
		if mv.Kind != scenarios.MoveReply || s.madeOnPath(m.Move) {
			continue
		}
		switch {
		case closedSilent && !silentNamed:
			// Saying nothing at all takes the missing reply's place, at its
			// cost: a wrong reply instead must never score better.
			silentNamed = true
			s.add(RuleNoSummary, s.closing(), RuleByID(RuleMissingReply).Points, "closed the case without any reply to the customer; never sent %s, the reply this case calls for", m.Move)
		case s.made(m.Move):
			s.add(RuleMissingReply, nil, -1, "never sent %s on the path (only before what it depends on), the reply this case calls for", m.Move)
		default:
			s.add(RuleMissingReply, nil, -1, "never sent %s, the reply this case calls for", m.Move)
		}
	}
}

// closing is the turn that closed the case, or nil.
func (s *scorer) closing() *simulator.Turn {
	for i := range s.in.Turns {
		if s.in.Turns[i].Move == scenarios.CloseMove.String() {
			return &s.in.Turns[i]
		}
	}
	return nil
}

// The words of the findings rules v2 raise.

func sayUnverified(c cause) string {
	return fmt.Sprintf("%s before verifying %s", madeWhat(c), factList(c.t.Missing().Unverified))
}

func sayPremature(c cause) string {
	before := c.t.Missing().Before
	acts := make([]string, len(before))
	for i, m := range before {
		if mv, err := scenarios.ParseMove(m); err == nil {
			acts[i] = mv.Arg
		} else {
			acts[i] = m
		}
	}
	what := "the action it follows on the golden path (%s) was made after its evidence"
	if len(acts) > 1 {
		what = "the actions it follows on the golden path (%s) were made after their evidence"
	}
	return madeWhat(c) + " before " + fmt.Sprintf(what, strings.Join(acts, ", "))
}

func sayLookupRefused(c cause) string {
	return fmt.Sprintf("tried %s, which %s cannot do (%s)", c.t.Move, c.t.By, strings.TrimPrefix(c.t.Result, "refused: "))
}

func sayWrongAudience(c cause) string {
	return fmt.Sprintf("sent %s written for the %s; this customer is the %s", c.mv.Arg, c.mv.Audience, orDefault(c.audience, "other reader"))
}

func madeWhat(c cause) string {
	switch c.mv.Kind {
	case scenarios.MoveReply:
		return "sent " + c.mv.Arg
	case scenarios.MoveEscalate:
		return "handed off to " + c.mv.Arg
	}
	return "made " + c.mv.Arg
}

// factList names the facts of verifying golden moves ("lookup:x").
func factList(moves []string) string {
	facts := make([]string, 0, len(moves))
	for _, m := range moves {
		mv, err := scenarios.ParseMove(m)
		if err == nil {
			facts = append(facts, mv.Arg)
		} else {
			facts = append(facts, m)
		}
	}
	return listMoves(facts, 4)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
