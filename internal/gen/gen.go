// Package gen generates realistic casebook libraries for benchmarks: N
// playbooks shaped like the embedded ones (5–12 facts of every source,
// 2–3 tiers, 10–30 steps with branches, replies with audiences, ui/doc/
// setting references), one scenario per ten playbooks, and attempt files
// made by actually playing training sessions. Everything it writes lints
// clean, and the same seed always gives the same bytes.
package gen

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// ScenarioEvery is how many playbooks share one generated scenario.
const ScenarioEvery = 10

// Library writes n playbooks under dir/playbooks/PRODUCT/ and one scenario
// per ScenarioEvery playbooks under dir/scenarios/, generated from seed.
func Library(dir string, n int, seed uint64) error {
	if n < 0 {
		return fmt.Errorf("gen: negative playbook count %d", n)
	}
	return parallel(n, runtime.GOMAXPROCS(0), func(i int) error {
		m := newPlaybook(i, seed)
		if err := write(filepath.Join(dir, "playbooks", m.area.product, m.id+".yaml"), m.yaml()); err != nil {
			return err
		}
		if i%ScenarioEvery != 0 {
			return nil
		}
		s := newScenario(m, seed)
		return write(filepath.Join(dir, "scenarios", s.id+".yaml"), s.yaml())
	})
}

// Load reads and loads a library directory the way `casebook lint DIR`
// does, returning its scenarios (each with its playbook) and every finding.
func Load(dir string) (*scenarios.Library, []playbooks.Finding, error) {
	files, fs, err := playbooks.ReadPaths([]string{dir}, playbooks.DefaultMaxFileSize)
	if err != nil {
		return nil, nil, err
	}
	lib := playbooks.Load(files)
	sl := scenarios.Load(lib)
	fs = append(append(fs, lib.Findings...), sl.Findings...)
	return sl, fs, nil
}

// Attempts writes n attempt files into dir, each made by playing a
// training session (simulator.New, then Play) on a scenario of lib and
// journaling every move (simulator.CreateJournal, Append), as `casebook
// train` does. Trainees range from near-perfect (the golden path) to
// careless (random legal moves, traps, skipped steps, a few cases left
// open). The files depend only on lib and seed.
func Attempts(dir string, lib *scenarios.Library, n int, seed uint64) error {
	var scs []*scenarios.Scenario
	for _, s := range lib.Scenarios {
		if lib.Playbook(s) != nil {
			scs = append(scs, s)
		}
	}
	if len(scs) == 0 {
		return fmt.Errorf("gen: the library has no playable scenario")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Each move is synced to disk: many workers overlap the syncs.
	return parallel(n, max(32, runtime.GOMAXPROCS(0)), func(k int) error {
		return attempt(dir, lib, scs, k, seed)
	})
}

// attemptEpoch is when the first generated attempt starts; attempt k
// starts k minutes later, so no two attempt files share a name.
var attemptEpoch = time.Date(2024, 1, 8, 9, 0, 0, 0, time.UTC)

func attempt(dir string, lib *scenarios.Library, scs []*scenarios.Scenario, k int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed^0x6174746d70747321, uint64(k))) // "attmpts!"
	sc := scs[r.IntN(len(scs))]
	p := lib.Playbook(sc)
	tier := p.Tiers[0]
	if x := r.Float64(); x > 0.7 && len(p.Tiers) > 1 {
		tier = p.Tiers[1]
		if x > 0.95 && len(p.Tiers) > 2 {
			tier = p.Tiers[2]
		}
	}
	mode := simulator.ModePractice
	if r.Float64() < 0.35 {
		mode = simulator.ModeExam
	}
	trainee := traineeFirst[r.IntN(len(traineeFirst))] + "." + traineeLast[r.IntN(len(traineeLast))]
	sessionSeed := r.Uint64()
	ss, err := simulator.New(p, sc, tier.Name, mode, sessionSeed)
	if err != nil {
		return fmt.Errorf("gen: attempt %d on %s: %v", k, sc.ID, err)
	}
	start := attemptEpoch.Add(time.Duration(k) * time.Minute)
	j, err := simulator.CreateJournal(dir, simulator.AttemptHeader{
		Casebook: simulator.AttemptKind, Scenario: sc.ID, Playbook: p.ID, PlaybookVersion: p.Version,
		Tier: string(tier.Name), Mode: mode, Seed: sessionSeed, Trainee: trainee, StartedAt: start.Format(time.RFC3339Nano),
		Rules: ss.Rules(),
	}, start)
	if err != nil {
		return err
	}
	defer j.Close()
	play := func(id string) error {
		turns, err := ss.Play(id)
		if err != nil {
			return fmt.Errorf("gen: attempt %d on %s: move %s: %v", k, sc.ID, id, err)
		}
		// The trainee takes a little real time to think about each move.
		return j.Append(id, start.Add(ss.Clock()+time.Duration(r.IntN(90))*time.Second), turns)
	}
	// skill 1 plays the golden path; lower skill adds noise moves and
	// skips golden ones.
	skill := 1.0
	if r.Float64() > 0.2 {
		skill = r.Float64()
	}
	noise := 0
	for _, g := range ss.Golden().Moves {
		if ss.Over() {
			break
		}
		if g.Tier != tier.Name {
			continue
		}
		for noise < 6 && r.Float64() < (1-skill)*0.6 {
			menu := ss.Menu()
			opt := menu[r.IntN(len(menu)-1)] // the last entry is close
			if err := play(opt.ID); err != nil {
				return err
			}
			noise++
			if ss.Over() {
				break
			}
		}
		if ss.Over() {
			break
		}
		if g.Move != scenarios.CloseMove.String() && r.Float64() < (1-skill)*0.2 {
			continue // forgot a step
		}
		if err := play(g.Move); err != nil {
			return err
		}
	}
	if !ss.Over() && r.Float64() > 0.03 { // a few attempts are left open
		if err := play(scenarios.CloseMove.String()); err != nil {
			return err
		}
	}
	return j.Close()
}

// parallel runs fn(0..n-1) on workers goroutines and returns the first error.
func parallel(n, workers int, fn func(i int) error) error {
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Go(func() {
			for i := range work {
				if err := fn(i); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range n {
		if len(errs) > 0 {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func write(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// ---------------------------------------------------------------------------
// The playbook model the generator builds before writing it out.

type fact struct {
	kind   factKind
	name   string
	values []string
}

func (f *fact) ticket() bool { return strings.HasPrefix(f.kind.source, "ticket.") }

type tier struct {
	name string
	caps []string
}

type branch struct{ value, target string }

type step struct {
	id, title, note string
	kind, subject   string
	on              []branch
	otherwise       string
	next            string
	needs           []string
	ui, doc, set    []string
	visibility      string
}

type audiencePart struct{ cause, fix string }

type reply struct {
	name                string
	summary, cause, fix string
	docs                []string
	marketer, developer *audiencePart
}

type playbook struct {
	index       int
	area        area
	id, title   string
	version     string
	appliesTo   string
	reviewedFor string
	intent      string
	start       string
	facts       []*fact
	tiers       []tier
	steps       []*step
	replies     []*reply
	audiences   bool
	comment     string
}

func (m *playbook) fact(name string) *fact {
	for _, f := range m.facts {
		if f.name == name {
			return f
		}
	}
	return nil
}

func (m *playbook) step(id string) *step {
	for _, s := range m.steps {
		if s.id == id {
			return s
		}
	}
	return nil
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func dashed(s string) string { return strings.ReplaceAll(s, "_", "-") }

func fill(text string, args ...string) string {
	var pairs []string
	for i, a := range args {
		pairs = append(pairs, "%["+strconv.Itoa(i+1)+"]s", a)
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// sentences joins n distinct sentences of the bank, filled with args.
func sentences(r *rand.Rand, bank []string, n int, args ...string) string {
	idx := r.Perm(len(bank))[:min(n, len(bank))]
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = fill(bank[j], args...)
	}
	return strings.Join(out, " ")
}

func newPlaybook(i int, seed uint64) *playbook {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	a := areas[r.IntN(len(areas))]
	prob := problems[r.IntN(len(problems))]
	m := &playbook{index: i, area: a}
	m.id = fmt.Sprintf("%s-%s-%d", a.slug, prob.slug, i)
	m.intent = m.id
	m.title = strings.ToUpper(a.subject[:1]) + a.subject[1:] + " " + prob.title
	m.version = fmt.Sprintf("%d.%d.%d", 1+r.IntN(4), r.IntN(10), r.IntN(5))
	year := 2023 + r.IntN(2)
	from := 1 + r.IntN(9)
	m.appliesTo = fmt.Sprintf(">=%d.%d", year, from)
	m.reviewedFor = fmt.Sprintf("%d.%d", year, from+1+r.IntN(3))
	m.audiences = chance(r, 0.5)
	m.comment = fmt.Sprintf("Generated case family %d: %s %s. Verify what the opening already says\n# in admin tools, by probe and by DNS; never ask it again.", i, a.subject, prob.title)

	// Facts: one of every source, then more at random, 5–12 in all.
	bySource := map[string][]factKind{}
	for _, k := range factKinds {
		src := k.source
		if strings.HasPrefix(src, "ticket.") {
			src = "ticket"
		}
		bySource[src] = append(bySource[src], k)
	}
	nFacts := 5 + min(r.IntN(8), r.IntN(8)) // 5–12, most below 8
	chosen := map[string]bool{}
	var kinds []factKind
	for _, src := range []string{"customer", "admin", "probe", "dns", "ticket"} {
		k := pick(r, bySource[src])
		kinds, chosen[k.name] = append(kinds, k), true
	}
	for _, j := range r.Perm(len(factKinds)) {
		if len(kinds) >= nFacts {
			break
		}
		if k := factKinds[j]; !chosen[k.name] {
			kinds, chosen[k.name] = append(kinds, k), true
		}
	}
	// Ticket metadata is read first, then the checks in a random order.
	r.Shuffle(len(kinds), func(x, y int) { kinds[x], kinds[y] = kinds[y], kinds[x] })
	slices.SortStableFunc(kinds, func(x, y factKind) int {
		return cmp.Compare(btoi(!strings.HasPrefix(x.source, "ticket.")), btoi(!strings.HasPrefix(y.source, "ticket.")))
	})
	for _, k := range kinds {
		m.facts = append(m.facts, &fact{kind: k, name: k.name, values: k.values})
	}

	// Tiers: L1 holds the everyday capabilities, L2 also the switch only
	// it may flip, and a third tier (engineering) the debugging.
	base := []string{"lookup", "probe", "dns", "reply", "escalate", a.test}
	m.tiers = []tier{{"L1", base}, {"L2", append(slices.Clone(base), a.enable)}}
	if chance(r, 0.4) {
		m.tiers = append(m.tiers, tier{pick(r, []string{"L3", "ENG"}), append(slices.Clone(base), a.enable, a.debug)})
	}
	m.buildSteps(r)
	if chance(r, 0.2) {
		m.start = m.steps[0].id
	}
	return m
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (m *playbook) ref(r *rand.Rand, kind string, f *fact) string {
	a := m.area
	thing := dashed(f.name)
	switch kind {
	case "ui":
		return pick(r, []string{"admin/accounts/", "dashboard/", "admin/settings/"}) + a.slug + "/" + thing
	case "doc":
		return "docs/" + a.slug + "/" + thing
	}
	return "account." + strings.ReplaceAll(a.slug, "-", "_") + "." + f.name
}

// buildSteps lays out the decision graph: a spine of checks, one per fact;
// each check's other values branch to a reply and the customer-action
// outcome (or, for the last check of a three-tier playbook, to
// engineering); the spine ends with the action only L2 may take, a test,
// the reply and the resolved outcome.
func (m *playbook) buildSteps(r *rand.Rand) {
	a := m.area
	subject := a.subject
	three := len(m.tiers) == 3
	explicitHandoff := chance(r, 0.5)

	type group struct {
		f         *fact
		values    []string // the values sent this way
		otherwise bool
	}
	var groups []group
	lastValued := -1
	for i, f := range m.facts {
		if len(f.values) > 0 {
			lastValued = i
		}
	}
	for _, f := range m.facts {
		if len(f.values) < 2 {
			continue
		}
		bad := f.values[1:]
		if len(bad) >= 2 && chance(r, 0.3) {
			groups = append(groups, group{f: f, values: bad, otherwise: true})
			continue
		}
		for _, v := range bad {
			groups = append(groups, group{f: f, values: []string{v}})
		}
	}
	engGroup := -1
	if three {
		for gi, g := range groups {
			if g.f == m.facts[lastValued] {
				engGroup = gi
				break
			}
		}
	}
	// Steps besides the reply steps of the bad branches.
	fixed := len(m.facts) + 2 + 1 + 1 + 1 // checks, enable+test, success reply, resolved, customer-action
	if explicitHandoff {
		fixed++
	}
	if engGroup >= 0 {
		fixed += 4 // escalate, debug, reply, outcome
	}
	replyGroups := len(groups)
	if engGroup >= 0 {
		replyGroups--
	}
	target := 10 + min(r.IntN(21), r.IntN(21)) // 10–30 steps, most below 20
	unique := min(max(target-fixed, 1), replyGroups, 30-fixed)

	steps := []*step{}
	var tail []*step
	addReply := func(rp *reply, outcome string) string {
		m.replies = append(m.replies, rp)
		id := "reply-" + rp.name
		tail = append(tail, &step{id: id, kind: "reply", subject: rp.name, next: outcome})
		return id
	}
	// A fact to fill a reply placeholder: one of the free-text facts the
	// spine checks up to the fact whose branch sends the reply, so that it
	// is known on every path there (lint's placeholder-unchecked).
	pickFact := func(upto *fact) string {
		var names []string
		for _, f := range m.facts {
			if len(f.values) == 0 && !f.ticket() {
				names = append(names, f.name)
			}
			if f == upto {
				break
			}
		}
		if len(names) == 0 {
			return ""
		}
		return pick(r, names)
	}
	placeholder := func(upto *fact) string {
		if n := pickFact(upto); n != "" {
			return " ({" + n + "})"
		}
		return ""
	}
	// Each bad branch gets its own reply while the step budget lasts;
	// the rest share a general one.
	specific := replyGroups
	if unique < replyGroups {
		specific = unique - 1
	}
	shared := ""
	made := 0
	targets := make([]string, len(groups))
	for gi, g := range groups {
		if gi == engGroup {
			continue
		}
		if made >= specific {
			if shared == "" {
				shared = addReply(m.newReply(r, "cannot-continue", "We could not finish setting up your "+subject+" yet"+placeholder(g.f)+".", "the set-up"), "customer-action")
			}
			targets[gi] = shared
			continue
		}
		made++
		name := dashed(g.f.name) + "-" + g.values[0]
		what := g.f.kind.title + " is " + strings.ReplaceAll(g.values[0], "-", " ")
		if g.otherwise {
			name = dashed(g.f.name) + "-not-" + g.f.values[0]
			what = g.f.kind.title + " is not " + strings.ReplaceAll(g.f.values[0], "-", " ")
		}
		targets[gi] = addReply(m.newReply(r, name, what+", so your "+subject+" cannot work yet"+placeholder(g.f)+".", strings.ToLower(g.f.kind.title)), "customer-action")
	}

	// The end of the spine: hand off (explicitly or where L1 lacks the
	// capability), act, test, reply, resolve.
	enableID := "enable-" + dashed(a.enable)
	end := enableID
	if explicitHandoff {
		end = "hand-off-to-l2"
	}

	// The spine of checks.
	var eng []*step
	for i, f := range m.facts {
		next := end
		if i+1 < len(m.facts) {
			next = checkID(m.facts[i+1])
		}
		s := &step{id: checkID(f), kind: "check", subject: f.name, title: checkTitle(r, f)}
		if chance(r, 0.5) {
			s.note = sentences(r, noteSentences, 1+btoi(chance(r, 0.2)), strings.ToLower(f.kind.title), subject)
		}
		if !f.ticket() {
			if chance(r, 0.45) {
				s.ui = []string{m.ref(r, "ui", f)}
				if chance(r, 0.2) {
					s.ui = append(s.ui, m.ref(r, "ui", f)+"/history")
				}
			}
			if chance(r, 0.3) {
				s.doc = []string{m.ref(r, "doc", f)}
			}
			if f.kind.source == "admin" && chance(r, 0.3) {
				s.set = []string{m.ref(r, "setting", f)}
			}
			if chance(r, 0.4) {
				s.visibility = "customer"
			}
		}
		if len(f.values) < 2 {
			s.next = next
			steps = append(steps, s)
			continue
		}
		s.on = append(s.on, branch{f.values[0], next})
		for gi, g := range groups {
			if g.f != f {
				continue
			}
			t := targets[gi]
			if gi == engGroup {
				t = "escalate-to-" + strings.ToLower(m.tiers[2].name)
			}
			if g.otherwise {
				s.otherwise = t
				continue
			}
			s.on = append(s.on, branch{g.values[0], t})
		}
		if gi := engGroup; gi >= 0 && groups[gi].f == f {
			top := m.tiers[2].name
			eng = []*step{
				{id: "escalate-to-" + strings.ToLower(top), kind: "escalate", subject: top, title: "Hand off to " + top,
					note: "Attach the full log and every verified fact, and say which causes were ruled out and how.", next: "reproduce-issue"},
				{id: "reproduce-issue", kind: "action", subject: a.debug, title: "Reproduce the case against the customer's set-up",
					note: "Rebuild the case on a test account with the same settings. If the product is at fault, file the bug with the reproduction attached.", next: "reply-under-investigation"},
				{id: "reply-under-investigation", kind: "reply", subject: "under-investigation", next: "bug-filed"},
				{id: "bug-filed", kind: "outcome", subject: "bug-filed"},
			}
			m.replies = append(m.replies, m.newReply(r, "under-investigation", "Our engineers are reproducing the problem with your "+subject+placeholder(f)+".", "the reproduction"))
		}
		steps = append(steps, s)
	}
	success := m.newReply(r, dashed(a.enable)+"-done", "Your "+subject+" work now"+placeholder(nil)+".", "the switch")
	success.fix = "We made the change and tested it end to end. " + fill(pick(r, fixSentences[4:5]), "", subject)
	m.replies = append([]*reply{success}, m.replies...)
	if explicitHandoff {
		steps = append(steps, &step{id: "hand-off-to-l2", kind: "escalate", subject: "L2", title: "Hand off to L2 for the account-level change",
			needs: []string{a.enable}, next: enableID,
			note: "L1 hands off here at once. The handoff carries every fact verified above, so L2 asks for none of them again."})
	}
	steps = append(steps,
		&step{id: enableID, kind: "action", subject: a.enable, title: a.enableT, next: "test-" + dashed(a.test),
			note: "Only L2 holds this switch. Below L2, hand off at once with the verified facts; sending more guides only costs the customer days.",
			ui:   []string{"admin/accounts/" + a.slug + "/settings"}, set: []string{"account." + a.enable}},
		&step{id: "test-" + dashed(a.test), kind: "action", subject: a.test, title: a.testT, next: "reply-" + success.name,
			note: sentences(r, noteSentences, 1, "the result", subject)},
		&step{id: "reply-" + success.name, kind: "reply", subject: success.name, next: "resolved"},
	)
	steps = append(steps, eng...)
	steps = append(steps, tail...)
	steps = append(steps, &step{id: "resolved", kind: "outcome", subject: "resolved"})
	if len(tail) > 0 {
		steps = append(steps, &step{id: "customer-action", kind: "outcome", subject: "customer-action"})
	}
	m.steps = steps
}

func checkID(f *fact) string {
	if len(f.values) == 0 {
		return "read-" + dashed(f.name)
	}
	return "check-" + dashed(f.name)
}

func checkTitle(r *rand.Rand, f *fact) string {
	t := strings.ToLower(f.kind.title)
	switch f.kind.source {
	case "customer":
		return pick(r, []string{"Get the exact ", "Ask for the "}) + t
	case "probe":
		return "Probe the " + t + " yourself"
	case "dns":
		return "Look up the " + t
	}
	if strings.HasPrefix(f.kind.source, "ticket.") {
		return "Read the " + t + " from the ticket"
	}
	return pick(r, []string{"Verify the ", "Check the ", "Look up the "}) + t
}

func (m *playbook) newReply(r *rand.Rand, name, summary, what string) *reply {
	a := m.area
	rp := &reply{name: name, summary: summary,
		cause: sentences(r, causeSentences, 1+btoi(chance(r, 0.3)), what, a.subject),
		fix:   sentences(r, fixSentences, 1+btoi(chance(r, 0.3)), what, a.subject),
		docs:  []string{"docs/" + a.slug}}
	if chance(r, 0.4) {
		rp.docs = append(rp.docs, "docs/"+a.slug+"/troubleshooting")
	}
	if m.audiences && chance(r, 0.5) {
		rp.marketer = &audiencePart{fix: sentences(r, marketerFix, 1, what, a.subject)}
		rp.developer = &audiencePart{fix: sentences(r, developerFix, 1, what, a.subject)}
		if chance(r, 0.3) {
			rp.developer.cause = sentences(r, causeSentences, 1, what, a.subject) + " The request log shows the exact point where it stops."
		}
	}
	return rp
}

// ---------------------------------------------------------------------------
// Writing YAML the way a trainer would: block style, folded long text.

type yw struct{ b strings.Builder }

func (w *yw) line(indent int, s string) {
	w.b.WriteString(strings.Repeat(" ", indent))
	w.b.WriteString(s)
	w.b.WriteByte('\n')
}

// kv writes key: value, folding long text.
func (w *yw) kv(indent int, key, value string) {
	if len(value) <= 72 || strings.ContainsAny(value, "\n") {
		w.line(indent, key+": "+scalar(value))
		return
	}
	w.line(indent, key+": >-")
	for _, l := range wrap(value, 84-indent) {
		w.line(indent+2, l)
	}
}

// list writes key: [a, b] or key: a for one item.
func (w *yw) list(indent int, key string, items []string, one bool) {
	if one && len(items) == 1 {
		w.line(indent, key+": "+scalar(items[0]))
		return
	}
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = scalar(it)
	}
	w.line(indent, key+": ["+strings.Join(q, ", ")+"]")
}

// scalar writes s plain when YAML reads it back as the same string, else
// double-quoted.
func scalar(s string) string {
	plain := s != "" && s == strings.TrimSpace(s) &&
		!strings.ContainsAny(s, ",[]{}\n\t") && !strings.Contains(s, ": ") && !strings.Contains(s, " #") &&
		!strings.HasSuffix(s, ":") && !strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`", rune(s[0]))
	if plain {
		switch strings.ToLower(s) {
		case "null", "~", "true", "false", "yes", "no":
			plain = false
		}
		if c := s[0]; c >= '0' && c <= '9' && strings.Count(s, ".") == 1 {
			plain = false // 2023.10 would read as a number to people and other tools
		}
	}
	if plain {
		return s
	}
	return strconv.Quote(s)
}

func wrap(s string, width int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len(line)+1+len(word) > width {
			out = append(out, line)
			line = word
			continue
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(out, line)
}

func (m *playbook) yaml() []byte {
	w := &yw{}
	w.line(0, "# yaml-language-server: $schema=../../schema/playbook.schema.json")
	w.line(0, "#")
	w.line(0, "# "+m.comment)
	w.line(0, "casebook: playbook/v1")
	w.line(0, "id: "+m.id)
	w.line(0, "version: "+m.version)
	w.kv(0, "title", m.title)
	w.line(0, "product: "+m.area.product)
	w.line(0, "applies_to: "+strconv.Quote(m.appliesTo))
	w.line(0, "reviewed_for: "+strconv.Quote(m.reviewedFor))
	w.line(0, "owner: "+m.area.owner)
	w.line(0, "intents: ["+m.intent+"]")
	if m.start != "" {
		w.line(0, "start: "+m.start)
	}
	w.line(0, "")
	w.line(0, "facts:")
	for _, f := range m.facts {
		w.line(2, f.name+":")
		w.line(4, "source: "+f.kind.source)
		w.kv(4, "title", f.kind.title)
		w.kv(4, "ask", f.kind.ask)
		if len(f.values) > 0 {
			w.list(4, "values", f.values, false)
		}
	}
	w.line(0, "")
	w.line(0, "tiers:")
	for _, t := range m.tiers {
		w.list(2, t.name, t.caps, false)
	}
	w.line(0, "")
	w.line(0, "steps:")
	for i, s := range m.steps {
		if i > 0 {
			w.line(0, "")
		}
		w.line(2, "- id: "+s.id)
		if s.title != "" {
			w.kv(4, "title", s.title)
		}
		w.line(4, s.kind+": "+s.subject)
		if s.note != "" {
			w.kv(4, "note", s.note)
		}
		if len(s.ui) > 0 {
			w.list(4, "ui", s.ui, true)
		}
		if len(s.doc) > 0 {
			w.list(4, "doc", s.doc, true)
		}
		if len(s.set) > 0 {
			w.list(4, "setting", s.set, true)
		}
		if s.visibility != "" {
			w.line(4, "visibility: "+s.visibility)
		}
		if len(s.needs) > 0 {
			w.list(4, "needs", s.needs, false)
		}
		if len(s.on) > 0 {
			if len(s.on) <= 2 && s.otherwise == "" {
				parts := make([]string, len(s.on))
				for j, b := range s.on {
					parts[j] = scalar(b.value) + ": " + b.target
				}
				w.line(4, "on: {"+strings.Join(parts, ", ")+"}")
			} else {
				w.line(4, "on:")
				for _, b := range s.on {
					w.line(6, scalar(b.value)+": "+b.target)
				}
			}
		}
		if s.otherwise != "" {
			w.line(4, "otherwise: "+s.otherwise)
		}
		if s.next != "" {
			w.line(4, "next: "+s.next)
		}
	}
	w.line(0, "")
	w.line(0, "replies:")
	for i, rp := range m.replies {
		if i > 0 {
			w.line(0, "")
		}
		w.line(2, rp.name+":")
		w.kv(4, "summary", rp.summary)
		w.kv(4, "cause", rp.cause)
		w.kv(4, "fix", rp.fix)
		w.list(4, "docs", rp.docs, false)
		if rp.marketer != nil {
			w.line(4, "audiences:")
			for _, a := range []struct {
				name string
				p    *audiencePart
			}{{"marketer", rp.marketer}, {"developer", rp.developer}} {
				w.line(6, a.name+":")
				if a.p.cause != "" {
					w.kv(8, "cause", a.p.cause)
				}
				w.kv(8, "fix", a.p.fix)
			}
		}
	}
	return []byte(w.b.String())
}

// ---------------------------------------------------------------------------
// Scenarios.

type trap struct {
	id, label, answer, cost string
	findings, refs          []string
}

type move struct {
	at   time.Time
	move string
}

type pair struct{ key, value string }

type scenario struct {
	id, title, playbook, channel string
	opening                      string
	metadata                     []pair
	persona                      struct{ name, role, tone string }
	truth                        []pair
	stated                       []string
	answers                      []pair
	removed                      []string
	traps                        []trap
	recordingTier                string
	recording                    []move
	comment                      string
}

func newScenario(m *playbook, seed uint64) *scenario {
	r := rand.New(rand.NewPCG(seed^0x7363656e6172696f, uint64(m.index))) // "scenario"
	a := m.area
	s := &scenario{id: m.id + "-case", channel: pick(r, []string{"chat", "chat", "email"})}
	major := strings.Split(m.version, ".")[0]
	switch r.IntN(3) {
	case 0:
		s.playbook = m.id + "@^" + major
	case 1:
		s.playbook = m.id + "@~" + strings.Join(strings.Split(m.version, ".")[:2], ".")
	default:
		n, _ := strconv.Atoi(major)
		s.playbook = fmt.Sprintf("%s@>=%s.0.0 <%d", m.id, major, n+1)
	}

	// The truth: all good up to one check, which takes a bad value (or
	// every check passes and the case needs L2's switch).
	var valued []*fact
	for _, f := range m.facts {
		if len(f.values) >= 2 {
			valued = append(valued, f)
		}
	}
	breakAt := -1
	if len(valued) > 0 && chance(r, 0.55) {
		breakAt = r.IntN(len(valued))
	}
	vi := 0
	for _, f := range m.facts {
		var v string
		switch {
		case len(f.values) == 0:
			v = pick(r, freeOrTicket(f))
		case len(f.values) >= 2 && valued[vi] == f:
			v = f.values[0]
			if vi == breakAt {
				v = f.values[1+r.IntN(len(f.values)-1)]
			} else if breakAt >= 0 && vi > breakAt {
				v = pick(r, f.values)
			}
			vi++
		default:
			v = f.values[0]
		}
		if f.ticket() {
			s.metadata = append(s.metadata, pair{strings.TrimPrefix(f.kind.source, "ticket."), v})
			continue
		}
		s.truth = append(s.truth, pair{f.name, v})
	}
	if breakAt < 0 {
		s.title = "The " + a.subject + " need the switch only L2 holds"
		s.comment = "Every check passes: the right handling verifies, hands off to L2 at once and\n# resolves the case with one change."
	} else {
		f := valued[breakAt]
		s.title = strings.ToUpper(a.subject[:1]) + a.subject[1:] + " held back by the " + strings.ToLower(f.kind.title)
		s.comment = "The case turns on " + f.name + ": verify, find it, reply; don't turn anything on."
	}

	// Stated facts: what the opening already says.
	var statable []pair
	for _, t := range s.truth {
		statable = append(statable, t)
	}
	r.Shuffle(len(statable), func(x, y int) { statable[x], statable[y] = statable[y], statable[x] })
	nStated := min(len(statable), 1+r.IntN(3))
	var openingFacts []string
	for _, t := range statable[:nStated] {
		s.stated = append(s.stated, t.key)
		f := m.fact(t.key)
		openingFacts = append(openingFacts, answer(f, t.value))
	}
	s.opening = sentences(r, openingSentences[:4], 1, a.subject, m.title[len(a.subject)+1:]) + " " + strings.Join(openingFacts, " ") + " " +
		sentences(r, openingSentences[4:], 1+r.IntN(2), a.subject)

	s.persona.name = pick(r, firstNames)
	if m.audiences || chance(r, 0.7) {
		s.persona.role = pick(r, roles)
	}
	s.persona.tone = pick(r, scenarios.Tones)

	for _, t := range s.truth {
		if chance(r, 0.6) {
			s.answers = append(s.answers, pair{t.key, answer(m.fact(t.key), t.value) + " " + pick(r, []string{
				"I checked this before writing to you.", "That's what our admin told me.", "I'm fairly sure about that.", "Let me know if you need a screenshot."})})
		}
	}

	legacy := "admin/accounts/" + a.slug + "/legacy-options"
	for _, j := range r.Perm(len(trapKinds))[:2+r.IntN(4)] {
		k := trapKinds[j]
		t := trap{id: k.id, label: fill(k.label, a.subject), answer: k.answer, cost: k.cost, findings: k.findings}
		if k.removed {
			t.refs = []string{"ui:" + legacy}
			s.removed = []string{"ui:" + legacy, "setting:account." + strings.ReplaceAll(a.slug, "-", "_") + ".legacy_mode"}
		}
		s.traps = append(s.traps, t)
	}

	if chance(r, 0.5) {
		s.recordingTier = m.tiers[0].name
		at := time.Date(2023, 10, 2, 9, 4, 0, 0, time.UTC).Add(time.Duration(r.IntN(60*24*200)) * time.Minute)
		add := func(mv string) {
			s.recording = append(s.recording, move{at, mv})
			at = at.Add(time.Duration(3+r.IntN(240)) * time.Minute)
		}
		for _, t := range s.traps[:1+r.IntN(len(s.traps))] {
			add("trap:" + t.id)
		}
		for _, mv := range m.walk(s) {
			add(mv)
		}
	}
	return s
}

// answer is how the customer words a fact's value.
func answer(f *fact, value string) string {
	return strings.Replace(f.kind.answer, "%s", value, 1)
}

func freeOrTicket(f *fact) []string {
	if v, ok := ticketValues[f.name]; ok {
		return v
	}
	return freeValues[f.name]
}

// walk is the handling of the recording: the playbook walked on the truth
// by L1, handing off where L1 cannot go on, every tier's moves in order.
func (m *playbook) walk(s *scenario) []string {
	value := func(f *fact) string {
		for _, p := range append(slices.Clone(s.truth), s.metadata...) {
			if p.key == f.name || "ticket."+p.key == f.kind.source {
				return p.value
			}
		}
		return ""
	}
	tierRank := func(name string) int {
		for i, t := range m.tiers {
			if t.name == name {
				return i
			}
		}
		return -1
	}
	cur := 0
	var out []string
	st := m.steps[0]
	for range len(m.steps) + 1 {
		switch st.kind {
		case "check":
			f := m.fact(st.subject)
			v := value(f)
			switch {
			case f.ticket():
			case f.kind.source == "customer":
				if !slices.Contains(s.stated, f.name) {
					out = append(out, "ask:"+f.name)
				}
			default:
				out = append(out, map[string]string{"admin": "lookup", "probe": "probe", "dns": "dns"}[f.kind.source]+":"+f.name)
			}
			next := st.next
			if len(st.on) > 0 {
				next = st.otherwise
				for _, b := range st.on {
					if b.value == v {
						next = b.target
					}
				}
			}
			st = m.step(next)
		case "escalate":
			if tierRank(st.subject) > cur {
				out = append(out, "escalate:"+st.subject)
				cur = tierRank(st.subject)
			}
			st = m.step(st.next)
		case "action":
			if !slices.Contains(m.tiers[cur].caps, st.subject) {
				for i, t := range m.tiers {
					if slices.Contains(t.caps, st.subject) {
						out = append(out, "escalate:"+t.name)
						cur = i
						break
					}
				}
			}
			out = append(out, "action:"+st.subject)
			st = m.step(st.next)
		case "reply":
			out = append(out, "reply:"+st.subject)
			st = m.step(st.next)
		case "outcome":
			return append(out, "close")
		}
	}
	return append(out, "close")
}

func (s *scenario) yaml() []byte {
	w := &yw{}
	w.line(0, "# yaml-language-server: $schema=../../playbooks/schema/scenario.schema.json")
	w.line(0, "#")
	w.line(0, "# "+s.comment)
	w.line(0, "casebook: scenario/v1")
	w.line(0, "id: "+s.id)
	w.kv(0, "title", s.title)
	w.line(0, "playbook: "+scalar(s.playbook))
	w.line(0, "channel: "+s.channel)
	w.line(0, "")
	w.line(0, "ticket:")
	w.kv(2, "opening", s.opening)
	if len(s.metadata) > 0 {
		w.line(2, "metadata:")
		for _, p := range s.metadata {
			w.kv(4, p.key, p.value)
		}
	}
	w.line(0, "")
	w.line(0, "persona:")
	w.line(2, "name: "+scalar(s.persona.name))
	if s.persona.role != "" {
		w.line(2, "role: "+s.persona.role)
	}
	w.line(2, "tone: "+s.persona.tone)
	w.line(0, "")
	w.line(0, "truth:")
	for _, p := range s.truth {
		w.kv(2, p.key, p.value)
	}
	w.line(0, "")
	w.list(0, "stated", s.stated, false)
	if len(s.answers) > 0 {
		w.line(0, "")
		w.line(0, "answers:")
		for _, p := range s.answers {
			w.kv(2, p.key, p.value)
		}
	}
	if len(s.removed) > 0 {
		w.line(0, "")
		w.line(0, "removed:")
		for _, r := range s.removed {
			w.line(2, "- "+r)
		}
	}
	w.line(0, "")
	w.line(0, "traps:")
	for i, t := range s.traps {
		if i > 0 {
			w.line(0, "")
		}
		w.line(2, "- id: "+t.id)
		w.kv(4, "label", t.label)
		w.kv(4, "answer", t.answer)
		w.line(4, "cost: "+t.cost)
		if len(t.refs) > 0 {
			w.list(4, "refs", t.refs, false)
		}
		w.list(4, "findings", t.findings, false)
	}
	if len(s.recording) > 0 {
		w.line(0, "")
		w.line(0, "recording:")
		w.line(2, "tier: "+s.recordingTier)
		w.line(2, "moves:")
		for _, mv := range s.recording {
			w.line(4, fmt.Sprintf("- {at: %q, move: %s}", mv.at.Format(time.RFC3339), mv.move))
		}
	}
	return []byte(w.b.String())
}

// ---------------------------------------------------------------------------
// The word banks the generator draws on. They imitate the embedded
// library: support know-how written for agents (notes), questions an agent
// answers (asks) and three-part customer replies.

// An area is a product and one of its features that cases are about.
type area struct {
	product string
	owner   string
	subject string // "branded click-tracking links"
	slug    string // "link-branding"
	enable  string // the capability only a higher tier holds: "enable_ssl_tracking"
	enableT string // its step title
	test    string // the check an L1 agent runs afterwards: "send_test_email"
	testT   string
	debug   string // the engineering capability
}

var areas = []area{
	{"mailer", "deliverability", "branded click-tracking links", "link-branding", "enable_ssl_tracking", "Turn on SSL click tracking for the account", "send_test_email", "Send a test email and open its tracked link", "debug_link_proxy"},
	{"mailer", "deliverability", "custom sending domains", "sending-domain", "approve_sending_domain", "Approve the sending domain for production", "send_test_email", "Send a test email from the domain", "debug_mta_routing"},
	{"mailer", "deliverability", "dedicated IP addresses", "dedicated-ip", "assign_dedicated_ip", "Assign the dedicated IP to the account", "check_ip_reputation", "Check the IP's reputation after the change", "debug_ip_pool"},
	{"mailer", "compliance", "one-click unsubscribe links", "unsubscribe", "enable_list_unsubscribe", "Turn on the List-Unsubscribe header for the account", "send_test_email", "Send a test email and read its headers", "debug_unsubscribe_service"},
	{"engage", "customer-reliability", "push notifications", "push", "rotate_push_credentials", "Rotate the push credentials on the account", "send_test_push", "Send a test push to the test device", "debug_push_gateway"},
	{"engage", "customer-reliability", "in-app messages", "in-app", "reset_message_history", "Reset the test user's in-app history", "preview_message", "Preview the message on the test device", "debug_sdk"},
	{"engage", "customer-reliability", "content cards", "content-cards", "rebuild_card_feed", "Rebuild the user's card feed", "preview_card", "Preview the card for the test user", "debug_feed_service"},
	{"identity", "identity", "SAML single sign-on", "saml-sso", "replace_idp_certificate", "Replace the identity provider certificate on the account", "test_sso_login", "Run a test sign-in through the identity provider", "debug_saml_assertions"},
	{"identity", "identity", "SCIM user provisioning", "scim", "reissue_scim_token", "Reissue the SCIM token", "run_provisioning_sync", "Run a provisioning sync and read its log", "debug_scim_sync"},
	{"platform", "api-platform", "webhook deliveries", "webhooks", "raise_webhook_timeout", "Raise the webhook timeout for the account", "send_test_event", "Send a test event to the endpoint", "debug_delivery_queue"},
	{"platform", "api-platform", "API rate limits", "rate-limits", "raise_rate_limit", "Raise the account's rate limit", "replay_request", "Replay one of the customer's requests", "debug_gateway"},
	{"platform", "api-platform", "OAuth app authorisation", "oauth", "reset_oauth_client", "Reset the OAuth client's secret", "run_auth_flow", "Run the authorisation flow with a test user", "debug_token_service"},
	{"billing", "billing-ops", "invoice PDFs", "invoices", "regenerate_invoice", "Regenerate the invoice", "send_invoice_copy", "Send a copy of the invoice to the billing contact", "debug_invoice_renderer"},
	{"billing", "billing-ops", "card payments", "payments", "retry_payment", "Retry the failed payment", "check_payment_log", "Read the payment provider's log for the retry", "debug_payment_gateway"},
	{"analytics", "data-platform", "scheduled exports", "exports", "rerun_export", "Rerun the export job", "download_export", "Download the export and open it", "debug_export_worker"},
	{"analytics", "data-platform", "CSV contact imports", "imports", "unlock_import", "Unlock the stuck import", "run_sample_import", "Run a ten-row sample import", "debug_import_pipeline"},
	{"storage", "storage", "custom CDN domains", "cdn-domains", "issue_cdn_certificate", "Issue a certificate for the CDN domain", "fetch_test_asset", "Fetch a test asset over HTTPS", "debug_edge_config"},
	{"storage", "storage", "signed download URLs", "signed-urls", "rotate_signing_key", "Rotate the URL signing key", "fetch_test_asset", "Fetch a test asset through a signed URL", "debug_edge_config"},
}

// problems describe what goes wrong with an area's subject.
var problems = []struct{ title, slug string }{
	{"do not work over HTTPS", "https"},
	{"stopped working after a change", "stopped-working"},
	{"cannot be turned on", "cannot-enable"},
	{"are delayed", "delayed"},
	{"fail with an error", "failing"},
	{"show the wrong data", "wrong-data"},
	{"are rejected", "rejected"},
	{"work for some users only", "partial"},
	{"are missing after set-up", "missing"},
	{"time out", "timeouts"},
}

// A factKind is a fact archetype: its name, source, title, ask and values.
type factKind struct {
	name   string
	source string
	title  string
	ask    string
	values []string
	answer string // how a customer words a value (%s)
}

var factKinds = []factKind{
	// Only the customer knows these.
	{"error_message", "customer", "Error message", "What exact error message does the customer see, word for word?", nil, "The exact message is: %s"},
	{"affected_users", "customer", "Affected users", "Does it happen to every user, some users or a single user?", []string{"all", "some", "one"}, "It's %s, as far as we can tell."},
	{"recent_change", "customer", "Recent change", "Did anything change on the customer's side just before it started?", []string{"none", "config-change", "new-release"}, "%s. Nothing else that I know of."},
	{"goal", "customer", "Goal", "What does the customer want to achieve, beyond the literal question?", nil, "What we really want is this: %s"},
	{"reproduction", "customer", "Reproduction", "Can the customer make it happen again on demand, and how?", []string{"always", "sometimes", "never"}, "It happens %s when we try."},
	{"test_account", "customer", "Test account", "Which user, device or account did the customer test with? Please send its id.", nil, "We tested with %s."},
	// Admin tools show these.
	{"feature_enabled", "admin", "Feature switch", "Is the feature switched on for the account?", []string{"on", "off"}, "It's %s in our settings."},
	{"plan", "admin", "Plan", "Which plan is the account on, and does it include the feature?", []string{"included", "not-included"}, "Our plan should have it: %s."},
	{"account_status", "admin", "Account status", "Is the account active, or suspended or under review?", []string{"active", "suspended", "under-review"}, "As far as I know the account is %s."},
	{"domain_verified", "admin", "Domain verification", "Are all of the account's domains verified?", []string{"verified", "not-verified"}, "The domains show as %s."},
	{"credentials", "admin", "Credentials", "Are the credentials stored on the account current?", []string{"current", "expired", "revoked"}, "The credentials are %s, I think."},
	{"quota", "admin", "Quota", "Is the account under its quota for the period?", []string{"under", "over"}, "We should be %s the quota."},
	{"configured_endpoint", "admin", "Configured endpoint", "Which endpoint URL is configured on the account?", nil, "It's configured to %s."},
	{"audit_log", "admin", "Audit log", "What does the audit log show for the last change to the feature?", []string{"no-change", "changed-by-customer", "changed-by-support"}, "The log says %s."},
	{"integration_state", "admin", "Integration", "Is the integration connected and healthy on the account?", []string{"connected", "disconnected", "degraded"}, "The integration looks %s."},
	{"branded_domains", "admin", "Branded domains", "Which branded domains does the account have?", nil, "%s, as in my first message."},
	// A probe the agent runs.
	{"certificate", "probe", "Certificate", "Open https://DOMAIN for each domain. What certificate is served?", []string{"valid", "not-yet-valid", "expired", "none"}, "There is a certificate: %s."},
	{"endpoint_status", "probe", "Endpoint status", "Send a request to the customer's endpoint. What comes back?", []string{"reachable", "timeout", "error"}, "Our endpoint is %s from here."},
	{"response_code", "probe", "Response code", "Replay the request. Which class of status code comes back?", []string{"2xx", "4xx", "5xx"}, "We get %s responses."},
	{"latency", "probe", "Latency", "How long does one request take from our side?", []string{"normal", "slow"}, "It feels %s."},
	{"redirect_chain", "probe", "Redirect chain", "Follow the link. Where do the redirects end?", []string{"platform", "customer-site", "loop"}, "It ends at %s."},
	// DNS.
	{"cname_target", "dns", "CNAME target", "Where does the CNAME of each domain point?", []string{"platform", "proxy", "missing"}, "The CNAME points at %s."},
	{"spf_record", "dns", "SPF record", "Does the SPF record include our sending range?", []string{"pass", "fail", "missing"}, "SPF is %s."},
	{"dkim_record", "dns", "DKIM record", "Is the DKIM record published and does it match?", []string{"valid", "invalid", "missing"}, "DKIM is %s."},
	{"mx_records", "dns", "MX records", "Do the MX records point at a mail server that accepts mail?", []string{"ok", "missing"}, "MX is %s."},
	{"txt_verification", "dns", "Verification record", "Is the TXT verification record still published?", []string{"present", "missing"}, "The TXT record is %s."},
	// The ticket's metadata.
	{"browser", "ticket.user_agent", "Browser", "Which browser is the customer using?", nil, "%s"},
	{"sdk_version", "ticket.sdk_version", "SDK version", "Which SDK version does the app ship?", nil, "Version %s."},
	{"platform", "ticket.platform", "Platform", "Is it the iOS or the Android app?", []string{"ios", "android"}, "It's the %s app."},
	{"region", "ticket.region", "Data region", "Which data region is the account in?", []string{"us", "eu"}, "We are on %s."},
	{"product_version", "ticket.product_version", "Product version", "Which product version is the account on?", nil, "We're on %s."},
}

// ticketValues are realistic metadata for ticket facts without values.
var ticketValues = map[string][]string{
	"browser": {
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:119.0) Gecko/20100101 Firefox/119.0",
	},
	"sdk_version":     {"5.2.1", "4.9.0", "6.0.3", "5.4.0"},
	"product_version": {"2023.10", "2024.1", "2024.3"},
}

// freeValues are realistic values for facts without declared values.
var freeValues = map[string][]string{
	"error_message":       {"Request failed with status 403 (forbidden)", "certificate verify failed (unable to get local issuer certificate)", "The operation timed out after 30 seconds", "Invalid signature on the assertion"},
	"goal":                {"every new user sees the welcome flow once", "our customers can click links without a browser warning", "the finance team gets the invoice on the first of the month", "we stop losing events when the app goes to the background"},
	"test_account":        {"qa-ios-014", "user 88412 (maria@example.com)", "device 3F2A-99C1", "the staging workspace acme-staging"},
	"configured_endpoint": {"https://hooks.example.com/casebook", "https://api.kestrel-outdoor.com/events", "https://ingest.foo.io/v2/webhook"},
	"branded_domains":     {"links.foo.io", "foo.io, bar.io", "email.kestrel-outdoor.com", "click.example.org, go.example.org"},
}

var noteSentences = []string{
	"Look %[1]s up yourself; the customer should not have to tell us what our own tools show.",
	"The opening often says this already. Confirm it on our side and don't ask again.",
	"Write what you saw, with the time, into the internal note so the next tier does not repeat the check.",
	"When the answer surprises you, check it a second time before you tell the customer anything.",
	"Do not send the general %[2]s guide here: customers who write in have usually followed it to the last step.",
	"Read %[1]s off the account for every domain, not only the first one the customer named.",
	"A value that changed in the last hour may not have propagated yet; note the time and check again before replying.",
	"Browser, cache, cookies and incognito have nothing to do with an account-level setting; don't suggest them.",
	"If %[1]s cannot be read, hand off with what you have rather than asking the customer to find it.",
	"Behind a proxy or CDN this looks wrong but is expected. Don't report it as a problem.",
	"Only the next tier can change this. Below it, hand off at once with the verified facts; sending more guides costs the customer days.",
	"Copy the value exactly, case included; later steps compare it with what the customer's logs show.",
	"Ask for the exact value, a version, an id or a log, never for a description of the problem.",
	"Compare %[1]s with what the product actually received, not with what the customer believes they set.",
	"This is the step most handlings skip. It takes two minutes and settles the case more often than not.",
	"If the customer asks how to remove a limit, ask what they want to achieve first.",
}

var causeSentences = []string{
	"The %[2]s feature needs %[1]s to be in place before anything else can work.",
	"Our check found that %[1]s is not what the set-up requires, so the product cannot go on.",
	"This is a safeguard, not a fault: the product stops here on purpose so nothing breaks for your recipients.",
	"Everything else on your side was already in place; this one part was missing.",
	"The change has to be made on your side, because it lives in your own systems.",
	"Turning the feature on now would show your users an error on every request.",
	"We read this from your account directly, so there is nothing you need to send us.",
	"Once it is corrected, the product picks the change up within a few minutes without any action from us.",
}

var fixSentences = []string{
	"Correct %[1]s as described in the guide below, then reply here and we finish the set-up the same day.",
	"No change is needed in your app or code; the fix is a setting in your dashboard.",
	"Wait until the change has propagated (usually under an hour), then send a new test and tell us what you see.",
	"Forward this answer to whoever manages your DNS or proxy: it names the exact record to change.",
	"Once that is done, everything you send from then on uses the new set-up. Earlier messages keep working.",
	"If you would rather we look at it together, reply with a time that suits you and we'll call.",
	"Nothing else is needed from you: we have made the change and tested it end to end.",
	"Send us the exact error text if it appears again, and the time it happened, and we pick it up from there.",
}

var marketerFix = []string{
	"You don't need a developer for this: open the settings page named below, make the change, and save.",
	"Forward this answer to your IT contact with the developer part included; once they are done, nothing else is needed from you.",
	"Nothing changes in your campaigns. From the next send on, the links and messages behave as expected.",
}

var developerFix = []string{
	"No code change is needed. The setting lives on the account; to confirm afterwards, rerun the request with debug logging on.",
	"Update the configuration as described, redeploy, and check the log for the success line; the product side needs nothing further.",
	"Call the API with the corrected value, then check the response headers: the request id lets us trace it if anything is still off.",
}

var openingSentences = []string{
	"Hi! We've been trying to get our %[1]s working for a few days now.",
	"Hello, I followed your guide for %[1]s to the last step.",
	"Hi there, something is wrong with our %[1]s since this morning.",
	"Good morning, our %[1]s %[2]s and our launch is this week.",
	"Your documentation says to contact support for the last step, so here I am.",
	"We've read the help center articles and tried everything they suggest.",
	"Could you please look at our account and tell us what is missing?",
	"This is blocking our team, so a quick answer would be much appreciated.",
	"I've attached screenshots of the settings page in case that helps.",
}

var firstNames = []string{"Sam", "Dana", "Priya", "Alex", "Maria", "Jon", "Chen", "Fatima", "Lars", "Aiko", "Tomás", "Nia", "Omar", "Greta", "Ravi", "Zoe"}

var roles = []string{"marketer", "developer"}

// trapKinds are wrong moves seen in real handling, with the customer's
// answer and the finding each earns (scoring rule ids).
var trapKinds = []struct {
	id, label, answer, cost string
	findings                []string
	removed                 bool // the trap sends the customer to a removed reference
}{
	{"resend-setup-guide", "Send the set-up guide for %[1]s again", "I did all of that already and it works. The one thing missing is the last step, and your own page says to contact support for it.", "20m", []string{"context-ignored", "restated-fact"}, false},
	{"browser-cache-incognito", "Ask the customer to clear cache and cookies and try incognito", "I'm on the latest browser. I cleared the cache and cookies and tried an incognito window anyway; nothing has changed.", "30m", []string{"derivable-asked", "irrelevant-troubleshooting"}, false},
	{"convert-to-email", "Move the chat to an email ticket", "OK, email works for me. I'll wait to hear from you.", "1d", []string{"channel-switch"}, false},
	{"send-blog-post", "Send a blog post that walks through the set-up", "This post describes the same steps again and stops at the same place. Every page you've sent me ends with contact support.", "1h", []string{"scattered-docs"}, false},
	{"false-alarm", "Tell the customer the %[1]s set-up looks broken and must be redone", "It looks like that because of the proxy in front, which your own guide tells us to use. Redoing it would undo the whole set-up.", "4h", []string{"known-trap-false-alarm"}, false},
	{"ask-for-description", "Ask the customer to describe the problem in more detail", "I already described it. What exactly do you need from me?", "30m", []string{"vague-request"}, false},
	{"answer-literally", "Answer the literal question about limits for %[1]s", "OK, but that doesn't explain why it isn't working for us. That's what we actually need to fix.", "30m", []string{"literal-answer"}, false},
	{"push-change-anyway", "Ask the next tier to make the change anyway, since the customer says everything is set up", "Since your change, everything shows an error. Customers are seeing it too. Undo it or fix it.", "4h", []string{"premature-action"}, false},
	{"legacy-setting", "Send the steps for the old %[1]s setting", "I've looked on the settings page and there is no such option anywhere. I've attached a screenshot of what I see.", "30m", []string{"removed-reference"}, true},
	{"reinstall-app", "Suggest reinstalling the app and testing again", "Reinstalling means a new build for our testers. Is there a known bug that explains this, or is this a guess?", "1d", []string{"irrelevant-troubleshooting"}, false},
}

var traineeFirst = []string{"ana", "ben", "carla", "dev", "eli", "femi", "gus", "hana", "ivan", "jade", "kofi", "lena", "milo", "nora", "oskar", "pia", "quinn", "rosa", "sven", "tara"}
var traineeLast = []string{"a", "b", "c", "d", "e", "f", "g", "h", "k", "m"}
