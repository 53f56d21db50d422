package playbooks

import (
	"errors"
	"fmt"
)

// ErrStopWalk, returned by a Run visitor, ends the walk there; Run then
// returns nil.
var ErrStopWalk = errors.New("stop the walk")

// A NoOutcomeError says a walk went on for more events than any walk of
// the playbook can take without going round in circles, and never ended.
type NoOutcomeError struct{ Playbook string }

func (e *NoOutcomeError) Error() string {
	return fmt.Sprintf("playbook %s does not reach an outcome", e.Playbook)
}

// Run drives the walk to its end, calling visit with each event: the one
// loop over a playbook's graph that the golden path, coverage, a tier
// taking over, the scenario check and a live case all use. On an EventNeed
// the visitor sets the fact (Set) or the walk stays where it is; on an
// EventHandoff it may let the receiving tier go on (TakeOver), else the
// walk ends there. Run returns nil when the walk has ended (an outcome, a
// handoff nobody took over, or ErrStopWalk), the first error of Next or of
// visit as it is, or *NoOutcomeError when the walk is still going after
// more events than the playbook can give without a loop.
func (w *Walker) Run(visit func(Event) error) error {
	for range w.maxEvents() {
		if w.done {
			return nil
		}
		ev, err := w.Next()
		if err != nil {
			return err
		}
		if err := visit(ev); err != nil {
			if errors.Is(err, ErrStopWalk) {
				return nil
			}
			return err
		}
	}
	if w.done {
		return nil
	}
	return &NoOutcomeError{Playbook: w.pb.ID}
}

// maxEvents bounds a walk: each step gives at most a need and its own
// event per tier that walks it, and every tier may take over once.
func (w *Walker) maxEvents() int { return 8 * (len(w.pb.Steps) + len(w.pb.Tiers) + 1) }
