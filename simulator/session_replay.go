package simulator

import (
	"fmt"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// Resume rebuilds the session an attempt was made in and replays its moves,
// so that the trainee continues exactly where the attempt stopped. The
// playbook must be the version the attempt was made on or, with patchOK,
// one that differs from it only in the patch version (playbooks.MadeOn).
func Resume(a *Attempt, p *playbooks.Playbook, s *scenarios.Scenario, patchOK bool) (*Session, error) {
	return resume(a, p, s, patchOK, a.Header.Rules)
}

// resume is Resume under the rules of a version (0: the attempt's own).
func resume(a *Attempt, p *playbooks.Playbook, s *scenarios.Scenario, patchOK bool, rules Rules) (*Session, error) {
	if rules == 0 {
		rules = a.Header.Rules
	}
	h := a.Header
	if h.Scenario != s.ID || h.Playbook != p.ID {
		return nil, fmt.Errorf("%s:1:1: an attempt at %s (playbook %s), not at %s", a.Path, h.Scenario, h.Playbook, s.ID)
	}
	if h.PlaybookVersion != p.Version && !(patchOK && playbooks.PatchOnly(h.PlaybookVersion, p.Version)) {
		return nil, fmt.Errorf("%s:1:1: made on playbook %s %s, but the library has %s", a.Path, p.ID, h.PlaybookVersion, p.Version)
	}
	ss, err := NewUnder(p, s, playbooks.TierName(h.Tier), h.Mode, h.Seed, rules)
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
// need not copy them. The moves are replayed under the rules of the
// version given, or with 0 under the attempt's own.
func Replay(a *Attempt, p *playbooks.Playbook, s *scenarios.Scenario, patchOK bool, rules Rules) ([]Turn, bool, error) {
	ss, err := resume(a, p, s, patchOK, rules)
	if err != nil {
		return nil, false, err
	}
	return ss.turns, ss.Over(), nil
}

// NewManual starts a session in which every tier's moves are played (none
// simulated): recording real handling, or replaying a recording.
func NewManual(p *playbooks.Playbook, sc *scenarios.Scenario, tier playbooks.TierName) (*Session, error) {
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
	s, err := NewManual(p, sc, playbooks.TierName(r.Tier.Value))
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

// Verify replays an attempt's moves and checks that the turns recorded
// with each are the turns the simulation gives: an attempt file's owner
// could have edited them. Of a turn it compares what the handling was
// (the move, who made it, whether it was on the path, the step, the time)
// and not the customer's words or hints, which a patch of the scenario
// may reword. The first move whose turns differ is an error naming its
// line. over says the moves closed the case.
func Verify(a *Attempt, p *playbooks.Playbook, s *scenarios.Scenario, patchOK bool) (over bool, err error) {
	start := *a
	start.Moves = nil
	ss, err := resume(&start, p, s, patchOK, 0)
	if err != nil {
		return false, err
	}
	for _, m := range a.Moves {
		turns, err := ss.Play(m.Move)
		if err != nil {
			return false, fmt.Errorf("%s:%d:1: move %d (%s): %v", a.Path, m.N+1, m.N, scenarios.Clip(m.Move), err)
		}
		if why := turnsDiffer(m.Turns, turns); why != "" {
			return false, fmt.Errorf("%s:%d:1: move %d (%s): the recorded turns are not what the simulation gives: %s", a.Path, m.N+1, m.N, scenarios.Clip(m.Move), why)
		}
	}
	return ss.Over(), nil
}

// turnsDiffer says how recorded turns differ from simulated ones, "" when
// they agree.
func turnsDiffer(recorded, simulated []Turn) string {
	if len(recorded) != len(simulated) {
		return fmt.Sprintf("%d turn(s) recorded, %d simulated", len(recorded), len(simulated))
	}
	for i, r := range recorded {
		s := simulated[i]
		switch {
		case r.N != s.N || r.Move != s.Move || r.By != s.By || r.Auto != s.Auto:
			return fmt.Sprintf("turn %d is %s by %s, simulated %s by %s", s.N, scenarios.Clip(r.Move), r.By, s.Move, s.By)
		case r.OnPath != s.OnPath || r.Step != s.Step || r.Due != s.Due:
			return fmt.Sprintf("turn %d (%s) is recorded on_path %v at step %q, simulated on_path %v at step %q", s.N, s.Move, r.OnPath, r.Step, s.OnPath, s.Step)
		case r.CostMin != s.CostMin || r.ClockMin != s.ClockMin:
			return fmt.Sprintf("turn %d (%s) is recorded at minute %d, simulated at minute %d", s.N, s.Move, r.ClockMin, s.ClockMin)
		}
	}
	return ""
}
