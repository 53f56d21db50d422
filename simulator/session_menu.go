package simulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// Menu lists the moves open to the trainee, in an order fixed by the seed
// so that the first entries do not give the answer away. A reply's label is
// its summary with each {fact} placeholder filled from the facts verified
// so far; a fact not yet verified shows as {fact?}.
func (s *Session) Menu() []Option {
	if s.closed {
		return nil
	}
	if s.menu == nil {
		s.menu = s.buildMenu() // built when first shown: replays never need it
	}
	menu := slices.Clone(s.menu)
	for i, o := range menu {
		if strings.HasPrefix(o.ID, replyPrefix) {
			head, _, _ := strings.Cut(o.Label, ": ")
			menu[i].Label = oneLine(s.fillFacts(o.Label), len(head)+2+replySummaryMax)
		}
	}
	return menu
}

// replyPrefix starts the id of every reply move.
var replyPrefix = scenarios.NewMove(scenarios.MoveReply, "").String()

// A reply's label on the menu is replyLabel and its summary, clipped to
// replySummaryMax runes.
const (
	replyLabel      = "Reply: "
	replySummaryMax = 70
)

// fillFacts fills the {fact} placeholders of text with the facts verified
// so far, marking the others {fact?}.
func (s *Session) fillFacts(text string) string {
	if !strings.ContainsRune(text, '{') {
		return text
	}
	return playbooks.FillPlaceholders(text, func(fact string) string {
		if v, ok := s.verified[fact]; ok {
			return strings.Join(strings.Fields(v), " ")
		}
		return "{" + fact + "?}"
	})
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
	auds := s.pb.Audiences()
	for _, r := range s.pb.Replies {
		// Menu fills the summary's placeholders, then clips it.
		if len(auds) == 0 {
			add(scenarios.MoveReply, r.Name, replyLabel+oneLine(r.For(audienceFor(s.pb, s.sc)).Summary, math.MaxInt))
			continue
		}
		// Where replies are written per reader, choosing the reader is part
		// of the move: one entry per audience, none marked as the customer's.
		for _, a := range auds {
			mv := scenarios.NewMove(scenarios.MoveReply, r.Name)
			mv.Audience = a
			opts = append(opts, Option{mv.String(), "Reply for the " + a + ": " + oneLine(r.For(a).Summary, math.MaxInt)})
		}
	}
	for _, d := range scenarios.Docs(s.pb) {
		add(scenarios.MoveDoc, d, "Send the doc page "+d)
	}
	for _, t := range s.sc.Traps {
		add(scenarios.MoveTrap, t.ID, t.Label)
	}
	for _, t := range s.pb.Tiers {
		if t.Rank > s.start.Rank {
			add(scenarios.MoveEscalate, string(t.Name), "Escalate to "+string(t.Name)+" with a handoff note")
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

func (s *Session) hint(g GoldenMove) string {
	st := s.pb.Step(g.Step)
	title := ""
	if st != nil && st.Title != "" {
		title = " (" + st.Title + ")"
	}
	return fmt.Sprintf("step %s%s applies now: %s", g.Step, title, g.Move)
}
