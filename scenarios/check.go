package scenarios

import (
	"errors"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
)

// Resolve returns the newest playbook of the library that the scenario's
// id@range names, or nil.
func Resolve(s *Scenario, lib *playbooks.Library) *playbooks.Playbook {
	if s.constraint == nil {
		return nil
	}
	for _, p := range lib.Versions(s.Playbook) { // newest first
		if p.SemVersion() != nil && s.constraint.Check(p.SemVersion()) {
			return p
		}
	}
	return nil
}

type checker struct {
	s  *Scenario
	p  *playbooks.Playbook // the playbook checked against
	fs []playbooks.Finding
}

func (c *checker) at(pos playbooks.Pos, rule playbooks.RuleID, format string, args ...any) {
	c.fs = append(c.fs, playbooks.ErrorAt(c.s.File, pos, rule, format, args...))
}

// Check validates a scenario against the library: its playbook resolves,
// its truth is legal and covers the facts the golden path needs, and its
// recorded moves are legal. It returns the playbook it resolved to.
func Check(s *Scenario, lib *playbooks.Library) (*playbooks.Playbook, []playbooks.Finding) {
	c := &checker{s: s}
	if s.Playbook == "" || s.constraint == nil {
		return nil, nil // reported by Parse
	}
	p := Resolve(s, lib)
	if p == nil {
		var versions []string
		for _, q := range lib.Sorted() {
			if q.ID == s.Playbook {
				versions = append(versions, q.Version)
			}
		}
		if len(versions) == 0 {
			c.at(s.Pos["playbook"], RulePlaybook, "no playbook %q in the library%s", s.Playbook, playbooks.DidYouMean(s.Playbook, lib.IDs()))
		} else {
			c.at(s.Pos["playbook"], RulePlaybook, "no version of playbook %s matches %s (the library has %s)", s.Playbook, s.Range, strings.Join(versions, ", "))
		}
		return nil, c.fs
	}
	return p, checkAgainst(s, p)
}

// checkAgainst is Check once the scenario's playbook is resolved.
func checkAgainst(s *Scenario, p *playbooks.Playbook) []playbooks.Finding {
	c := &checker{s: s, p: p}
	factNames := make([]string, len(p.Facts))
	for i, f := range p.Facts {
		factNames[i] = f.Name
	}
	for _, t := range s.Truth {
		f := p.Fact(t.Key)
		if f == nil {
			c.at(t.Pos, RuleTruth, "truth gives %q, which is not a fact of playbook %s%s", t.Key, p.ID, playbooks.DidYouMean(t.Key, factNames))
			continue
		}
		if f.IsRule() {
			c.at(t.Pos, RuleTruth, "truth gives %s, which a product rule fixes (source: rule); remove it", f.Name)
			continue
		}
		c.legal(f, t, "truth")
		if field := f.TicketField(); field != "" {
			if m, ok := lookupPair(s.Metadata, field); ok && !strings.EqualFold(m.Value, t.Value) {
				c.at(t.ValuePos, RuleTruth, "truth gives %s = %q, but the ticket's metadata says %s: %q; give it in one place", f.Name, t.Value, field, m.Value)
			}
		}
	}
	for _, f := range p.Facts {
		if field := f.TicketField(); field != "" {
			if m, ok := lookupPair(s.Metadata, field); ok {
				c.legal(f, m, "ticket metadata")
			}
		}
	}
	for _, f := range p.Facts {
		in := f.Input()
		if in == nil {
			continue
		}
		if v, ok := s.TruthFor(in); ok {
			if _, ok := f.RuleValue(s.TruthFor); !ok && !in.IsRule() {
				pos := s.Pos["truth:"]
				if t, ok := lookupPair(s.Truth, in.Name); ok {
					pos = t.ValuePos
				}
				c.at(pos, RuleTruth, "truth gives %s = %q, which the map of rule fact %s does not name", in.Name, v, f.Name)
			}
		}
	}
	for _, st := range s.Stated {
		if p.Fact(st.Value) == nil {
			c.at(st.Pos, RuleStated, "stated fact %q is not a fact of playbook %s%s", st.Value, p.ID, playbooks.DidYouMean(st.Value, factNames))
		}
	}
	for _, a := range s.Answers {
		if p.Fact(a.Key) == nil {
			c.at(a.Pos, RuleTruth, "answers gives %q, which is not a fact of playbook %s%s", a.Key, p.ID, playbooks.DidYouMean(a.Key, factNames))
		}
	}
	for _, u := range s.Persona.DoesNotKnow {
		if p.Fact(u.Fact.Value) == nil {
			c.at(u.Fact.Pos, RulePersona, "the persona does not know %q, which is not a fact of playbook %s%s", u.Fact.Value, p.ID, playbooks.DidYouMean(u.Fact.Value, factNames))
		}
	}
	if auds := p.Audiences(); s.Persona.Role != "" && len(auds) > 0 && !slices.Contains(auds, s.Persona.Role) {
		c.at(s.Pos["persona.role"], RulePersona, "persona role %q is not an audience of playbook %s (%s)", s.Persona.Role, p.ID, strings.Join(auds, ", "))
	}
	for _, r := range s.Replies {
		if p.Reply(r.Template) == nil {
			names := make([]string, len(p.Replies))
			for i, pr := range p.Replies {
				names[i] = pr.Name
			}
			c.at(r.Pos, RuleCaseReply, "replies names %q, which is not a reply of playbook %s%s", r.Template, p.ID, playbooks.DidYouMean(r.Template, names))
		}
	}
	if _, ok := s.Pos["truth"]; ok {
		c.coverage(p)
	}
	if r := s.Recording; r != nil {
		if r.Tier.Value != "" && p.Tier(playbooks.TierName(r.Tier.Value)) == nil {
			c.at(r.Tier.Pos, RuleMove, "the recording's tier %q is not a tier of playbook %s (%s)%s", r.Tier.Value, p.ID, strings.Join(p.TierNames(), ", "), playbooks.DidYouMean(r.Tier.Value, p.TierNames()))
		}
		for _, m := range r.Moves {
			if m.Move == "" {
				continue
			}
			mv, err := ParseMove(m.Move)
			if err == nil {
				err = CheckMove(mv, p, s)
			}
			if err != nil {
				c.at(m.Pos, RuleMove, "%v", err)
			}
		}
	}
	return c.fs
}

// coverage walks the playbook on the truth, handing over to the next tier
// wherever one stops, and reports each fact the walk needs that has no value.
func (c *checker) coverage(p *playbooks.Playbook) {
	if len(p.Tiers) == 0 || p.StartStep() == nil {
		return
	}
	w := playbooks.NewWalker(p, p.Tiers[0], "")
	err := w.Run(func(ev playbooks.Event) error {
		switch ev.Kind {
		case playbooks.EventNeed:
			f := p.Fact(ev.Fact)
			v, ok := c.s.TruthFor(f)
			if !ok {
				if c.misspelt(f.Name) {
					return playbooks.ErrStopWalk // the misspelt truth key is reported already
				}
				where := "truth"
				if f.TicketField() != "" {
					where = "truth or ticket.metadata." + f.TicketField()
				}
				c.at(c.s.Pos["truth:"], RuleTruth, "the golden path checks %s at step %s, but %s gives it no value", f.Name, ev.Step, where)
				return playbooks.ErrStopWalk
			}
			if err := w.Set(f.Name, v); err != nil {
				return playbooks.ErrStopWalk // an illegal value, reported above
			}
		case playbooks.EventHandoff:
			w.TakeOver(p.Tier(ev.Handoff.To))
		}
		return nil
	})
	var loop *playbooks.LoopError
	var none *playbooks.NoOutcomeError
	switch {
	case errors.As(err, &loop):
		// The graph has a way out, but not on this truth: train and
		// show cannot derive a golden path.
		c.at(c.s.Pos["truth:"], RuleGoldenLoop, "on this truth the golden path loops for ever: it comes back to step %s of playbook %s with nothing new learned (%s)", loop.Step, p.ID, knownFacts(w))
	case errors.As(err, &none):
		c.at(c.s.Pos["truth:"], RuleGoldenLoop, "on this truth the golden path of playbook %s does not reach an outcome (%s)", p.ID, knownFacts(w))
	}
	// Any other error is of a broken playbook, reported on the playbook.
}

// knownFacts lists the facts a walk has learned, as "fact = value, ...".
func knownFacts(w *playbooks.Walker) string {
	known := w.Known()
	if len(known) == 0 {
		return "no fact checked"
	}
	parts := make([]string, 0, len(known))
	for _, fv := range known {
		parts = append(parts, fv.Fact+" = "+fv.Value)
	}
	return playbooks.ListCapped(parts, 10)
}

// legal reports a value that the fact does not allow.
func (c *checker) legal(f *playbooks.Fact, v Pair, where string) {
	if _, ok := f.Legal(v.Value); ok {
		c.inRange(f, v, where)
		return
	}
	if f.IsVersion() {
		c.at(v.ValuePos, RuleTruth, "%s gives fact %s %q, which is not a version (like 5.2.1); its checks branch on version ranges", where, f.Name, v.Value)
		return
	}
	if len(f.Values) == 0 {
		c.at(v.ValuePos, RuleTruth, "%s gives fact %s no value", where, f.Name)
		return
	}
	c.at(v.ValuePos, RuleTruth, "%q is not a value of fact %s (%s)%s", v.Value, f.Name, strings.Join(f.ValueNames(), ", "), playbooks.DidYouMean(v.Value, f.ValueNames()))
}

// misspelt reports whether a truth key that is not a fact is close to fact.
func (c *checker) misspelt(fact string) bool {
	for _, t := range c.s.Truth {
		if t.Key != fact && playbooks.DidYouMean(t.Key, []string{fact}) != "" {
			return true
		}
	}
	return false
}

func lookupPair(pairs []Pair, key string) (Pair, bool) {
	for _, p := range pairs {
		if p.Key == key {
			return p, true
		}
	}
	return Pair{}, false
}

// inRange reports a version that no range of a check of the fact holds,
// where the check has no otherwise to catch it.
func (c *checker) inRange(f *playbooks.Fact, v Pair, where string) {
	if !f.IsVersion() || c.p == nil {
		return
	}
	for _, st := range c.p.Steps {
		if st.Kind != playbooks.StepCheck || st.Subject.Value != f.Name || len(st.On) == 0 || st.Otherwise.Value != "" {
			continue
		}
		if _, ok := playbooks.RangeBranch(st, v.Value); ok {
			continue
		}
		ranges := make([]string, len(st.On))
		for i, b := range st.On {
			ranges[i] = b.Value
		}
		c.at(v.ValuePos, RuleTruth, "%s gives %s = %s, which no range of step %s holds (%s); add a range or otherwise: to the step", where, f.Name, v.Value, st.ID, strings.Join(ranges, ", "))
	}
}
