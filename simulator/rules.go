package simulator

import "fmt"

// Rules is a version of the rules a handling is simulated and scored
// under. A stored attempt keeps the version it was made under, so that a
// change of the rules never silently changes the score of an attempt
// already taken: it is scored under its own rules unless a caller asks to
// rescore it.
type Rules int

// The versions of the rules.
const (
	// RulesV1: golden moves are accepted in any order, and every part of
	// the scorecard starts full and loses points by findings.
	RulesV1 Rules = 1
	// RulesV2: evidence before action (a golden action, reply or handoff
	// made before the facts that lead to it are verified is off the path),
	// points earned by progress along the golden path, and tiers gated by
	// the capabilities look-ups, probes and DNS need.
	RulesV2 Rules = 2
	// CurrentRules is the version new attempts are made under.
	CurrentRules = RulesV2
)

// OrV1 is the version, with 0 (an attempt made before rules were
// versioned) read as RulesV1.
func (r Rules) OrV1() Rules {
	if r == 0 {
		return RulesV1
	}
	return r
}

// Known reports whether this casebook knows the version.
func (r Rules) Known() bool { return r.OrV1() >= RulesV1 && r.OrV1() <= CurrentRules }

func (r Rules) String() string { return fmt.Sprintf("v%d", int(r.OrV1())) }
