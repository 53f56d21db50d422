package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
)

var funcs = template.FuncMap{
	"clock": func(min int) string {
		if min < 60 {
			return fmt.Sprintf("%dm", min)
		}
		if min < 24*60 {
			return fmt.Sprintf("%dh %02dm", min/60, min%60)
		}
		return fmt.Sprintf("%dd %dh", min/(24*60), min%(24*60)/60)
	},
}

// home lists the scenarios to practise and the user's attempts (a
// trainer's: everyone's).
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	type scenarioView struct {
		ID, Title, Channel string
		Tiers              []string
	}
	var list []scenarioView
	for _, sc := range s.cfg.Library.Scenarios.Scenarios {
		p := s.cfg.Library.Scenarios.Playbook(sc)
		if p == nil {
			continue
		}
		v := scenarioView{ID: sc.ID, Title: sc.Title, Channel: string(sc.Channel)}
		for _, t := range p.Tiers {
			v.Tiers = append(v.Tiers, string(t.Name))
		}
		list = append(list, v)
	}
	f := store.Filter{NoCards: true, Newest: 50}
	if u.User.Role != store.Trainer {
		f.Trainee = u.User.Name
	}
	var attempts []store.Info
	if err := s.cfg.Store.Attempts(r.Context(), f, func(i store.Info) bool {
		attempts = append(attempts, i)
		return true
	}); err != nil {
		s.cfg.Log.Error("attempts", "err", err.Error())
	}
	// Assigned scenarios come first, each with whether the trainee closed
	// it at its tier.
	type assigned struct {
		ID, Title, Tier string
		Done            bool
		// Where the trainee stands: their run of passes and what
		// passing asks.
		Ready                     bool
		Streak, K, PassMark, Last int
		Attempts                  int
	}
	var todo []assigned
	as, err := s.cfg.Store.Assignments(r.Context(), u.User.Name)
	if err != nil {
		s.cfg.Log.Error("assignments", "err", err.Error())
	}
	standing := s.readinessOf(r.Context(), u.User.Name, as)
	for _, a := range as {
		sc := s.cfg.Library.Scenarios.Find(a.Scenario)
		if sc == nil {
			continue
		}
		v := assigned{ID: sc.ID, Title: sc.Title, Tier: a.Tier, K: a.K, PassMark: a.PassMark}
		for _, i := range attempts {
			if i.Header.Trainee == u.User.Name && i.Header.Scenario == a.Scenario && i.Header.Tier == a.Tier && i.Closed {
				v.Done = true
			}
		}
		if st, ok := standing[a.Scenario+"\x00"+a.Tier]; ok {
			v.Ready, v.Streak, v.Last, v.Attempts = st.Ready, st.Streak, st.LastScore, st.Attempts
		}
		todo = append(todo, v)
	}
	s.render(w, http.StatusOK, "home.html", map[string]any{"User": u, "Scenarios": list, "Attempts": attempts, "Assigned": todo})
}

// readinessOf is where a trainee stands at each of their assignments, by
// scenario and tier, from their own stored scorecards.
func (s *Server) readinessOf(ctx context.Context, trainee string, as []store.Assignment) map[string]scoring.ScenarioReadiness {
	out := map[string]scoring.ScenarioReadiness{}
	if len(as) == 0 {
		return out
	}
	agg := scoring.NewAggregator(3, 0)
	err := s.cfg.Store.Summaries(ctx, store.Filter{Trainee: trainee}, 1, func(_ int, sm *store.Summary) error {
		agg.Add(scoring.Entry{Card: sm.Card, StartedAt: sm.StartedAt, File: sm.File})
		return nil
	})
	if err != nil {
		s.cfg.Log.Error("summaries", "err", err.Error())
		return out
	}
	var goals []scoring.Goal
	for _, a := range as {
		goals = append(goals, scoring.Goal{Trainee: trainee, Scenario: a.Scenario, Tier: playbooks.TierName(a.Tier), PassMark: a.PassMark, K: a.K})
	}
	agg.SetReadiness(scoring.ReadinessOptions{Goals: goals, Playbooks: PlaybookOf(s.cfg.Library)})
	for _, tr := range agg.Report().Readiness.Trainees {
		if tr.Trainee != trainee {
			continue
		}
		for _, sr := range tr.Scenarios {
			out[sr.Scenario+"\x00"+string(sr.Tier)] = sr
		}
	}
	return out
}

// newAttempt shows a scenario's opening and first menu; nothing is stored
// until the first move, which the form carries with the session's seed.
func (s *Server) newAttempt(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	seed := uint64(s.cfg.Now().UnixNano())
	ss, err := s.start(q.Get("scenario"), q.Get("tier"), q.Get("mode"), seed)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	s.render(w, http.StatusOK, "play.html", s.playView(r, ss, "", nil, seed))
}

// start begins a session on a scenario at a tier in a mode.
func (s *Server) start(id, tier, mode string, seed uint64) (*simulator.Session, error) {
	sc := s.cfg.Library.Scenarios.Find(id)
	if sc == nil {
		return nil, fmt.Errorf("No scenario %q in the library.", id)
	}
	p := s.cfg.Library.Scenarios.Playbook(sc)
	if p == nil {
		return nil, fmt.Errorf("Scenario %q has no playbook the library can use.", id)
	}
	if mode == "" {
		mode = simulator.ModePractice
	}
	if mode != simulator.ModePractice && mode != simulator.ModeExam {
		return nil, fmt.Errorf("No mode %q: practice or exam.", mode)
	}
	if tier == "" {
		tier = string(p.Tiers[0].Name)
	}
	return simulator.New(p, sc, playbooks.TierName(tier), mode, seed)
}

// firstMove plays the first move of a new attempt and stores it.
func (s *Server) firstMove(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	seed, err := strconv.ParseUint(r.PostFormValue("seed"), 10, 64)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "The form lacks its session: start again from the list.")
		return
	}
	ss, err := s.start(r.PostFormValue("scenario"), r.PostFormValue("tier"), r.PostFormValue("mode"), seed)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	move, ok := chosen(r, ss, 0)
	if !ok {
		s.render(w, http.StatusBadRequest, "play.html", s.playView(r, ss, "Choose one of the moves.", nil, seed))
		return
	}
	turns, err := ss.Play(move)
	if err != nil {
		s.render(w, http.StatusBadRequest, "play.html", s.playView(r, ss, err.Error(), nil, seed))
		return
	}
	sc, p := ss.Scenario(), ss.Playbook()
	now := s.cfg.Now()
	ses, err := s.cfg.Store.Create(r.Context(), simulator.AttemptHeader{
		Casebook: simulator.AttemptKind, Scenario: sc.ID, Playbook: p.ID, PlaybookVersion: p.Version,
		Tier: string(ss.Tier()), Mode: ss.Mode(), Seed: seed, Trainee: u.User.Name,
		StartedAt: now.UTC().Format(time.RFC3339Nano), Rules: simulator.CurrentRules,
	}, store.Supervised, s.source())
	if err == nil {
		err = ses.Append(move, now, turns, ss.Over())
		defer ses.Close()
	}
	if err != nil {
		s.cfg.Log.Error("store", "err", err.Error())
		s.fail(w, r, http.StatusServiceUnavailable, "The move could not be saved: try again.")
		return
	}
	if ss.Over() {
		s.scoreClosed(r.Context(), ses.Ref(), nil)
	}
	http.Redirect(w, r, "/attempts/"+ses.Ref()+"#now", http.StatusSeeOther)
}

func (s *Server) source() string {
	if s.cfg.Source != "" {
		return s.cfg.Source
	}
	h, _ := os.Hostname()
	return "casebook serve on " + h
}

// chosen is the move the form picked: by its place on the menu (so no
// move id, a trap's included, reaches the browser), refused when the form
// was made for another point of the attempt.
func chosen(r *http.Request, ss *simulator.Session, moves int) (string, bool) {
	if r.PostFormValue("n") != strconv.Itoa(moves) {
		return "", false
	}
	i, err := strconv.Atoi(r.PostFormValue("move"))
	menu := ss.Menu()
	if err != nil || i < 0 || i >= len(menu) {
		return "", false
	}
	id := menu[i].ID
	// A handoff's note carries the verified facts ticked on the form
	// (every one, as escalate:TIER does, unless some were unticked).
	if mv, err := scenarios.ParseMove(id); err == nil && mv.Kind == scenarios.MoveEscalate && r.PostFormValue("carry-shown") == "1" {
		ticked := r.PostForm["carry"]
		var carry []string
		verified := ss.Verified()
		for _, fv := range verified {
			if slices.Contains(ticked, fv.Fact) {
				carry = append(carry, fv.Fact)
			}
		}
		if len(carry) < len(verified) {
			id = scenarios.Handoff(playbooks.TierName(mv.Arg), carry).String()
		}
	}
	return id, true
}

// load reads an attempt the user may see and rebuilds its session.
func (s *Server) load(ctx context.Context, u *store.WebSession, a *simulator.Attempt) (*simulator.Session, int, string) {
	if a.Header.Trainee != u.User.Name && u.User.Role != store.Trainer {
		return nil, http.StatusNotFound, "No such attempt."
	}
	sc := s.cfg.Library.Scenarios.Find(a.Header.Scenario)
	if sc == nil {
		return nil, http.StatusConflict, "The library no longer has this attempt's scenario."
	}
	p, _ := s.cfg.Library.MadeOn(a.Header.Playbook, a.Header.PlaybookVersion)
	if p == nil {
		return nil, http.StatusConflict, "The library no longer has the playbook version this attempt was made on."
	}
	ss, err := simulator.Resume(a, p, sc, true)
	if err != nil {
		return nil, http.StatusConflict, "This attempt cannot be replayed on the library."
	}
	return ss, 0, ""
}

func (s *Server) attempt(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	ref := r.PathValue("id")
	a, err := s.cfg.Store.Read(r.Context(), ref)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "No such attempt.")
		return
	}
	ss, status, msg := s.load(r.Context(), u, a)
	if ss == nil {
		s.fail(w, r, status, msg)
		return
	}
	// A server killed between a case's last move and its scorecard left
	// the attempt closed with none: the page scores it, so the store has
	// it too.
	if ss.Over() {
		if card, moves, err := s.cfg.Store.Card(r.Context(), ref); err == nil && (card == nil || moves != len(a.Moves)) {
			s.scoreClosed(r.Context(), ref, a)
		}
	}
	s.render(w, http.StatusOK, "play.html", s.playView(r, ss, "", a, 0))
}

// move plays a move of a stored attempt: one transaction, under the
// attempt's lock.
func (s *Server) move(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	ref := r.PathValue("id")
	ses, a, err := s.cfg.Store.Open(r.Context(), ref)
	var busy *store.BusyError
	switch {
	case errors.As(err, &busy):
		s.fail(w, r, http.StatusConflict, "This attempt is open in another tab or window: finish the move there, then reload.")
		return
	case err != nil:
		s.fail(w, r, http.StatusNotFound, "No such attempt.")
		return
	}
	defer ses.Close()
	if a.Header.Trainee != u.User.Name {
		s.fail(w, r, http.StatusNotFound, "No such attempt.")
		return
	}
	ss, status, msg := s.load(r.Context(), u, a)
	if ss == nil {
		s.fail(w, r, status, msg)
		return
	}
	if ss.Over() {
		http.Redirect(w, r, "/attempts/"+ref, http.StatusSeeOther)
		return
	}
	move, ok := chosen(r, ss, len(a.Moves))
	if !ok {
		s.render(w, http.StatusConflict, "play.html", s.playView(r, ss, "That form was for an earlier point of the case (another tab?): here is where it stands.", a, 0))
		return
	}
	turns, err := ss.Play(move)
	if err != nil {
		s.render(w, http.StatusBadRequest, "play.html", s.playView(r, ss, err.Error(), a, 0))
		return
	}
	if err := ses.Append(move, s.cfg.Now(), turns, ss.Over()); err != nil {
		s.cfg.Log.Error("store", "err", err.Error())
		s.fail(w, r, http.StatusServiceUnavailable, "The move could not be saved: try again.")
		return
	}
	if ss.Over() {
		s.scoreClosed(r.Context(), ref, nil)
	}
	http.Redirect(w, r, "/attempts/"+ref+"#now", http.StatusSeeOther)
}

// scoreClosed stores the scorecard of an attempt whose case is closed, as
// replay scores it from the stored moves (a: the attempt read already, or
// nil).
func (s *Server) scoreClosed(ctx context.Context, ref string, a *simulator.Attempt) {
	if err := store.SaveScore(ctx, s.cfg.Store, ref, a, s.cfg.Library); err != nil {
		s.cfg.Log.Error("scorecard", "attempt", ref, "err", err.Error())
	}
}

type turnView struct {
	N            int
	Label        string
	By           string
	Auto         bool
	Said, Result string
	Hint         string
	Clock        int
}

type menuGroup struct {
	Name    string
	Options []menuOption
}

type menuOption struct {
	Index int
	Label string
}

// The groups of the menu, as an agent thinks of a ticket. A trap joins the
// group of what it looks like: a reply, or something done for the customer.
var groupOf = map[scenarios.MoveKind]string{
	scenarios.MoveAsk: "Ask the customer", scenarios.MoveLookup: "Look it up", scenarios.MoveProbe: "Probe",
	scenarios.MoveAction: "Act", scenarios.MoveDoc: "Act", scenarios.MoveTrap: "Act",
	scenarios.MoveReply: "Reply", scenarios.MoveEscalate: "Hand off", scenarios.MoveClose: "Close the case",
}

var groupOrder = []string{"Ask the customer", "Look it up", "Probe", "Check DNS", "Act", "Reply", "Hand off", "Close the case", "Other"}

// playView is what a page of an attempt shows: never the truth, the
// golden path, trap findings or (in exam mode) hints before the case is
// closed.
func (s *Server) playView(r *http.Request, ss *simulator.Session, errMsg string, a *simulator.Attempt, seed uint64) map[string]any {
	u := userOf(r)
	sc := ss.Scenario()
	traps := map[string]*scenarios.Trap{}
	for _, t := range sc.Traps {
		traps[t.ID] = t
	}
	menu := ss.Menu()
	labels := map[string]string{}
	// A closed case has no menu: the labels of the moves made come from
	// the menu at the case's start.
	if len(menu) == 0 {
		if start, err := simulator.New(ss.Playbook(), sc, ss.Tier(), ss.Mode(), 0); err == nil {
			for _, o := range start.Menu() {
				if !strings.ContainsRune(o.Label, '{') { // a reply's facts were unknown at the start
					labels[o.ID] = o.Label
				}
			}
		}
	}
	for _, o := range menu {
		labels[o.ID] = o.Label
	}
	label := func(move string) string {
		mv, err := scenarios.ParseMove(move)
		switch {
		case err == nil && mv.Kind == scenarios.MoveTrap && traps[mv.Arg] != nil:
			return traps[mv.Arg].Label
		case labels[move] != "":
			return labels[move]
		}
		return move
	}
	var turns []turnView
	for _, t := range ss.Turns() {
		tv := turnView{N: t.N, By: string(t.By), Auto: t.Auto, Said: t.Said, Result: t.Result, Clock: t.ClockMin, Label: label(t.Move)}
		if ss.Mode() == simulator.ModePractice || ss.Over() {
			tv.Hint = t.Hint
		}
		turns = append(turns, tv)
	}
	var groups []menuGroup
	at := map[string]int{}
	for i, o := range menu {
		name := "Other"
		if mv, err := scenarios.ParseMove(o.ID); err == nil {
			if g, ok := groupOf[mv.Kind]; ok {
				name = g
			}
			if mv.Kind == scenarios.MoveTrap && traps[mv.Arg] != nil && traps[mv.Arg].Reply {
				name = "Reply"
			}
			if mv.Kind == scenarios.MoveDNS {
				name = "Check DNS"
			}
		}
		j, ok := at[name]
		if !ok {
			j = len(groups)
			at[name] = j
			groups = append(groups, menuGroup{Name: name})
		}
		groups[j].Options = append(groups[j].Options, menuOption{Index: i, Label: o.Label})
	}
	ordered := make([]menuGroup, 0, len(groups))
	for _, name := range groupOrder {
		if j, ok := at[name]; ok {
			ordered = append(ordered, groups[j])
		}
	}
	view := map[string]any{
		"User": u, "CSRF": u.CSRF, "Scenario": sc, "Tier": ss.Tier(), "Mode": ss.Mode(),
		"Persona": sc.Persona.Name, "Turns": turns, "Clock": int(ss.Clock().Minutes()),
		"Verified": ss.Verified(), "Groups": ordered, "Over": ss.Over(), "Error": errMsg,
		"Moves": len(ss.Turns()),
	}
	if view["Persona"] == "" {
		view["Persona"] = "Customer"
	}
	if a == nil {
		view["Action"] = "/play"
		view["Seed"] = strconv.FormatUint(seed, 10)
		view["N"] = 0
	} else {
		view["Action"] = "/attempts/" + refOf(a) + "/moves"
		view["N"] = len(a.Moves)
		view["Ref"] = refOf(a)
		view["Mine"] = a.Header.Trainee == u.User.Name
		view["Trainee"] = a.Header.Trainee
	}
	if ss.Over() && a != nil {
		if card, _, err := scoring.ScoreAttempt(a, sc, ss.Playbook(), scoring.AttemptOptions{}); err == nil {
			view["Card"] = card
			view["Timeline"] = timelineOf(ss.Turns(), goldenTurns(ss, a.Header.Seed), card, label)
			if u.User.Role == store.Trainer {
				view["Grading"] = s.gradingOf(r.Context(), refOf(a), u.User.Name, card)
			}
		}
	}
	return view
}

// A gradingView is the form a trainer grades a closed attempt with: each
// part of its scorecard, with the trainer's earlier grade (the scorer's
// when there is none).
type gradingView struct {
	Parts   []gradePart
	Comment string
	Graded  bool // the trainer graded it before
}

type gradePart struct {
	Part             string
	Auto, Max, Value int
}

func (s *Server) gradingOf(ctx context.Context, ref, trainer string, card *scoring.Scorecard) gradingView {
	v := gradingView{}
	mine := map[string]int{}
	if grades, err := s.cfg.Store.Grades(ctx, ref); err == nil {
		for _, g := range grades {
			if g.Attempt != ref || g.Trainer != trainer {
				continue
			}
			v.Graded = true
			if g.Part == "" {
				v.Comment = g.Comment
			} else {
				mine[g.Part] = g.Score
			}
		}
	}
	for _, p := range card.Parts {
		gp := gradePart{Part: p.Part, Auto: p.Score, Max: p.Max, Value: p.Score}
		if n, ok := mine[p.Part]; ok {
			gp.Value = n
		}
		v.Parts = append(v.Parts, gp)
	}
	return v
}

// refOf is a stored attempt's number, from the name the store gave it.
func refOf(a *simulator.Attempt) string {
	if i := strings.LastIndexByte(a.Path, '#'); i >= 0 {
		return a.Path[i+1:]
	}
	return a.Path
}
