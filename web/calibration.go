package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/store"
)

// Calibration checks the rubric against people: trainers grade closed
// attempts by hand, part by part, and the dashboard shows how far their
// grades are from the automatic score and from each other's.

// agreeWithin is how close (a share of the part's points) two grades of a
// part must be to count as agreeing.
const agreeWithin = 0.1

// maxComment bounds a grading's comment, in characters.
const maxComment = 2000

// A GradeReader is what Calibrations reads of a store: the gradings and
// the scorecards beside them.
type GradeReader interface {
	Grades(ctx context.Context, ref string) ([]store.Grade, error)
	Card(ctx context.Context, ref string) ([]byte, int, error)
}

// Calibrations are the hand gradings of a store, each beside the stored
// scorecard of its attempt (an attempt with no scorecard is left out).
func Calibrations(ctx context.Context, st GradeReader) ([]Calibration, error) {
	grades, err := st.Grades(ctx, "")
	if err != nil {
		return nil, err
	}
	type key struct{ attempt, trainer string }
	var order []key
	by := map[key][]store.Grade{}
	for _, g := range grades {
		k := key{g.Attempt, g.Trainer}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], g)
	}
	cards := map[string]*scoring.Scorecard{}
	var out []Calibration
	for _, k := range order {
		card, ok := cards[k.attempt]
		if !ok {
			b, _, err := st.Card(ctx, k.attempt)
			if err != nil {
				return nil, err
			}
			if b != nil {
				card = &scoring.Scorecard{}
				if json.Unmarshal(b, card) != nil {
					card = nil
				}
			}
			cards[k.attempt] = card
		}
		if card == nil {
			continue
		}
		c := Calibration{Attempt: k.attempt, Trainee: card.Trainee, Scenario: card.Scenario, Tier: string(card.Tier), Trainer: k.trainer}
		for _, g := range by[k] {
			if g.Part == "" {
				c.Comment = g.Comment
				continue
			}
			auto := -1
			for _, p := range card.Parts {
				if p.Part == g.Part {
					auto = p.Score
				}
			}
			if auto < 0 {
				continue // a part the rubric no longer has
			}
			c.Parts = append(c.Parts, CalibratedPart{Part: g.Part, Hand: g.Score, Auto: auto, Max: g.Max, Comment: g.Comment})
		}
		out = append(out, c)
	}
	return out, nil
}

// calibrationView is the agreement per part, and the gradings.
type calibrationView struct {
	Parts    []partAgreement
	Gradings []Calibration
	Graded   int // attempts graded by hand
	Trainers int
}

// A partAgreement is how well the grades of one part agree: trainers with
// the scorer, and trainers with each other on the attempts more than one
// graded.
type partAgreement struct {
	Part        string
	Graded      int
	AutoAgree   string // the share within agreeWithin of the automatic score
	AutoOff     string // the mean distance from it, in points
	Pairs       int    // pairs of trainers who graded the same attempt
	PeerAgree   string
	PeerOff     string
	AutoAgreePc int // for the bar
}

func calibrationOf(cs []Calibration) calibrationView {
	v := calibrationView{Gradings: cs}
	attempts, trainers := map[string]bool{}, map[string]bool{}
	type acc struct {
		n, agree, pairs, peerAgree int
		off, peerOff               float64
	}
	parts := map[string]*acc{}
	var names []string
	byAttempt := map[string][]Calibration{}
	for _, c := range cs {
		attempts[c.Attempt], trainers[c.Trainer] = true, true
		byAttempt[c.Attempt] = append(byAttempt[c.Attempt], c)
		for _, p := range c.Parts {
			a := parts[p.Part]
			if a == nil {
				a = &acc{}
				parts[p.Part] = a
				names = append(names, p.Part)
			}
			a.n++
			d := math.Abs(float64(p.Hand - p.Auto))
			a.off += d
			if d <= agreeWithin*float64(p.Max) {
				a.agree++
			}
		}
	}
	for _, group := range byAttempt {
		for i := range group {
			for j := i + 1; j < len(group); j++ {
				for _, p := range group[i].Parts {
					for _, q := range group[j].Parts {
						if p.Part != q.Part {
							continue
						}
						a := parts[p.Part]
						a.pairs++
						d := math.Abs(float64(p.Hand - q.Hand))
						a.peerOff += d
						if d <= agreeWithin*float64(p.Max) {
							a.peerAgree++
						}
					}
				}
			}
		}
	}
	// In the rubric's order.
	order := map[string]int{}
	for i, p := range scoring.Parts {
		order[p.ID] = i + 1
	}
	slices.SortFunc(names, func(a, b string) int {
		if order[a] != order[b] {
			return order[a] - order[b]
		}
		return strings.Compare(a, b)
	})
	for _, name := range names {
		a := parts[name]
		pa := partAgreement{Part: name, Graded: a.n, Pairs: a.pairs, AutoAgree: "-", AutoOff: "-", PeerAgree: "-", PeerOff: "-"}
		if a.n > 0 {
			pa.AutoAgreePc = a.agree * 100 / a.n
			pa.AutoAgree = fmt.Sprintf("%d%% (%d of %d)", pa.AutoAgreePc, a.agree, a.n)
			pa.AutoOff = strconv.FormatFloat(a.off/float64(a.n), 'f', 1, 64)
		}
		if a.pairs > 0 {
			pa.PeerAgree = fmt.Sprintf("%d%% (%d of %d)", a.peerAgree*100/a.pairs, a.peerAgree, a.pairs)
			pa.PeerOff = strconv.FormatFloat(a.peerOff/float64(a.pairs), 'f', 1, 64)
		}
		v.Parts = append(v.Parts, pa)
	}
	v.Graded, v.Trainers = len(attempts), len(trainers)
	return v
}

// grade stores a trainer's hand grading of a closed attempt: a score per
// part of its scorecard, from 0 to the part's points, and a comment.
func (s *Server) grade(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	ref := r.PathValue("id")
	b, _, err := s.cfg.Store.Card(r.Context(), ref)
	if err != nil || b == nil {
		s.fail(w, r, http.StatusNotFound, "No scored attempt of that number: only a closed case can be graded.")
		return
	}
	var card scoring.Scorecard
	if err := json.Unmarshal(b, &card); err != nil {
		s.fail(w, r, http.StatusNotFound, "No scored attempt of that number.")
		return
	}
	var grades []store.Grade
	for _, p := range card.Parts {
		v := strings.TrimSpace(r.PostFormValue("part-" + p.Part))
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > p.Max {
			s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("The grade of %s must be a whole number from 0 to %d.", p.Part, p.Max))
			return
		}
		grades = append(grades, store.Grade{Part: p.Part, Score: n, Max: p.Max})
	}
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	if utf8.RuneCountInString(comment) > maxComment {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("The comment is longer than %d characters.", maxComment))
		return
	}
	if comment != "" {
		grades = append(grades, store.Grade{Comment: comment})
	}
	if err := s.cfg.Store.SaveGrades(r.Context(), ref, u.User.Name, grades); err != nil {
		s.cfg.Log.Error("grades", "attempt", ref, "err", err.Error())
		s.fail(w, r, http.StatusServiceUnavailable, "The grading could not be stored: try again.")
		return
	}
	http.Redirect(w, r, "/attempts/"+ref+"#grade", http.StatusSeeOther)
}
