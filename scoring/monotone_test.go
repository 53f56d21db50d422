package scoring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

var testRules = simulator.CurrentRules

// A handling under test: the trainee's moves on a scenario at a tier.
type handling struct {
	sc    *scenarios.Scenario
	p     *playbooks.Playbook
	tier  playbooks.TierName
	moves []string
}

// run plays the moves under the current rules; ok is false when a move
// cannot be played (the case was closed before it).
func (h handling) run() (ss *simulator.Session, turns [][]simulator.Turn, ok bool) {
	ss, err := simulator.NewUnder(h.p, h.sc, h.tier, simulator.ModeExam, 1, testRules)
	if err != nil {
		return nil, nil, false
	}
	for _, m := range h.moves {
		ts, err := ss.Play(m)
		if err != nil {
			return nil, nil, false
		}
		turns = append(turns, ts)
	}
	return ss, turns, true
}

func (h handling) score() (*Scorecard, bool) {
	ss, _, ok := h.run()
	if !ok {
		return nil, false
	}
	return Score(FromSession(ss, "", SourceAttempt)), true
}

func (h handling) with(moves []string) handling { h.moves = moves; return h }

func (h handling) String() string { return fmt.Sprintf("%s at %s: %v", h.sc.ID, h.tier, h.moves) }

// terminal reports whether a move ended the trainee's play: it closed the
// case or handed it to a tier that took over. Inserting or removing such
// a move changes how a handling ends, not how many mistakes it makes.
func terminal(ss *simulator.Session, ts []simulator.Turn) bool {
	return ss.Over() || len(ts) > 1
}

// The scoring principles as a property over every embedded scenario and
// tier (DESIGN.md, "Scoring principles"; docs/scoring.md): the golden path
// scores 100; inserting an off-path move into a handling never raises its
// score, and removing one never lowers it; the same moves give the same
// bytes. The cases are the embedded library's and those written from
// outside it (testdata/outside). The handlings tried are the golden path, the golden path with one
// move left out, the recording, and random handlings; the moves inserted
// are every menu move that is off the path where it is inserted and does
// not end the play.
func TestScoresAreMonotoneInMistakes(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	checked := 0
	var all []*scenarios.Scenario
	libs := map[*scenarios.Scenario]*scenarios.Library{}
	libraries := []*scenarios.Library{library(t), outsideLibrary(t)}
	if dir := os.Getenv("CASEBOOK_MONOTONE_LIBRARY"); dir != "" {
		// Another library too, e.g. one casebook-gen wrote.
		libraries = append(libraries, libraryAt(t, dir))
	}
	for _, sl := range libraries {
		for _, sc := range sl.Scenarios {
			all = append(all, sc)
			libs[sc] = sl
		}
	}
	for _, sc := range all {
		sl := libs[sc]
		p := sl.Playbook(sc)
		for _, tier := range p.Tiers {
			base := handling{sc: sc, p: p, tier: tier.Name}
			ss, err := simulator.New(p, sc, tier.Name, simulator.ModeExam, 1)
			if err != nil {
				t.Fatal(err)
			}
			var golden []string
			for _, m := range ss.Golden().Moves {
				if m.Tier == tier.Name {
					golden = append(golden, m.Move)
				}
			}
			card, ok := base.with(golden).score()
			if !ok || card.Total != 100 {
				t.Errorf("%v: the golden path scored %v", base.with(golden), card)
				continue
			}
			handlings := []handling{base.with(golden)}
			for i := range golden {
				handlings = append(handlings, base.with(slices.Delete(slices.Clone(golden), i, i+1)))
			}
			if r := sc.Recording; r != nil && r.Tier.Value == string(tier.Name) {
				var rec []string
				for _, m := range r.Moves {
					rec = append(rec, m.Move)
				}
				// The recording's own tier's moves, up to the handoff.
				if _, turns, ok := base.with(rec).run(); ok {
					n := 0
					for n < len(turns) && len(turns[n]) == 1 {
						n++
					}
					handlings = append(handlings, base.with(rec[:min(n+1, len(rec))]))
				}
			}
			for range 4 {
				handlings = append(handlings, base.with(randomHandling(t, base, rng)))
			}
			for _, h := range handlings {
				checked += checkMonotone(t, h, testing.Short())
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d variations checked", checked)
	}
}

// randomHandling plays random menu moves, mostly off the path.
func randomHandling(t *testing.T, h handling, rng *rand.Rand) []string {
	ss, err := simulator.New(h.p, h.sc, h.tier, simulator.ModeExam, 1)
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for n := 3 + rng.IntN(8); len(moves) < n && !ss.Over(); {
		menu := ss.Menu()
		m := menu[rng.IntN(len(menu))].ID
		if _, err := ss.Play(m); err != nil {
			t.Fatal(err)
		}
		moves = append(moves, m)
	}
	if !ss.Over() && rng.IntN(2) == 0 {
		moves = append(moves, "close")
	}
	return moves
}

// checkMonotone checks one handling and returns how many variations it
// tried.
func checkMonotone(t *testing.T, h handling, short bool) int {
	t.Helper()
	card, ok := h.score()
	if !ok {
		t.Fatalf("%v does not play", h)
	}
	checkBounds(t, h, card)
	again, _ := h.score()
	a, _ := json.Marshal(card)
	b, _ := json.Marshal(again)
	if !bytes.Equal(a, b) {
		t.Errorf("%v: the same moves scored differently:\n%s\n%s", h, a, b)
	}
	n := 0
	ss, turns, _ := h.run()
	_ = ss
	// Removing an off-path move that does not end the play.
	for i, ts := range turns {
		if ts[0].OnPath || len(ts) > 1 || ts[0].Move == scenarios.CloseMove.String() {
			continue
		}
		v := h.with(slices.Delete(slices.Clone(h.moves), i, i+1))
		if c, ok := v.score(); ok {
			n++
			if c.Total < card.Total {
				t.Errorf("removing off-path move %d (%s) lowered the score from %d to %d\n  %v\n  before: %v\n  after:  %v", i+1, h.moves[i], card.Total, c.Total, h, card.Findings, c.Findings)
			}
		}
	}
	// Inserting an off-path move that does not end the play.
	for k := 0; k <= len(h.moves); k++ {
		if short && k%2 == 1 {
			continue
		}
		pre, _, ok := h.with(slices.Clone(h.moves[:k])).run()
		if !ok || pre.Over() {
			continue
		}
		for _, opt := range pre.Menu() {
			probe, _, _ := h.with(slices.Clone(h.moves[:k])).run()
			ts, err := probe.Play(opt.ID)
			if err != nil || ts[0].OnPath || terminal(probe, ts) {
				continue
			}
			moves := slices.Insert(slices.Clone(h.moves), k, opt.ID)
			c, ok := h.with(moves).score()
			if !ok {
				continue
			}
			checkBounds(t, h.with(moves), c)
			n++
			if c.Total > card.Total {
				t.Errorf("inserting off-path move %s at %d raised the score from %d to %d\n  %v\n  before: %v\n  after:  %v", opt.ID, k+1, card.Total, c.Total, h, card.Findings, c.Findings)
			}
		}
	}
	return n
}

// libraryAt loads the library in dir, failing on any error finding.
func libraryAt(t *testing.T, dir string) *scenarios.Library {
	t.Helper()
	files, fs, err := playbooks.ListPaths([]string{dir}, playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		t.Fatal(err, fs)
	}
	lib := playbooks.Load(files)
	sl := scenarios.Load(lib)
	for _, f := range append(slices.Clone(lib.Findings), sl.Findings...) {
		if f.Severity != playbooks.SeverityWarning {
			t.Fatalf("%s: %v", dir, f)
		}
	}
	return sl
}

// checkBounds holds a scorecard to "points are earned, not kept": an
// unresolved case scores at most 50, and one where the trainee made none
// of their golden moves on the path at most 10.
func checkBounds(t *testing.T, h handling, card *Scorecard) {
	t.Helper()
	if !card.Resolved && card.Total > 50 {
		t.Errorf("%v: unresolved (%s), scored %d", h, card.Outcome, card.Total)
	}
	if card.Progress != nil && card.Progress.Earned == 0 && card.Total > 10 {
		t.Errorf("%v: no golden move made on the path, scored %d", h, card.Total)
	}
}
