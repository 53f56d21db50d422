package simulator

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// RuleStaleGoldenPath is the lint rule of CheckStaleGoldenPaths.
const RuleStaleGoldenPath playbooks.RuleID = "stale-golden-path"

// LintRules lists the lint rules that live in this package.
var LintRules = []playbooks.Rule{
	{ID: RuleStaleGoldenPath, Kind: "scenario", Description: "the golden path, at some tier, uses a ui, doc or setting reference the scenario lists as removed: the playbook is stale for the case (a warning)"},
}

// CheckStaleGoldenPaths warns of each reference a scenario lists under
// removed: that the golden path of its playbook, at any tier, still uses:
// a step it serves names it (ui:, doc:, setting:) or a reply it sends
// links it (docs:). Trainees would be taught to send the customer to
// something the product no longer had. The finding stands on the
// scenario's removed: entry. It is a check of the library that lives here
// because it needs the golden path.
func CheckStaleGoldenPaths(sl *scenarios.Library) []playbooks.Finding {
	var out []playbooks.Finding
	whole := map[*playbooks.Playbook]*playbooks.Playbook{} // a slimmed playbook read again
	texts := map[*playbooks.Playbook][]byte{}              // and its text
	for _, s := range sl.Scenarios {
		if len(s.Removed) == 0 {
			continue
		}
		p := sl.Playbook(s)
		if p == nil {
			continue
		}
		if p.Slimmed {
			full, ok := whole[p]
			if !ok {
				src, read := texts[p]
				if !read {
					src, _ = playbooks.Source(p) // nil when unreadable: the scenario check says why
					texts[p] = src
				}
				if !mentionsAny(src, s) {
					continue // another scenario may still need it parsed
				}
				full, _ = playbooks.ParsePlaybook(p.File, src)
				whole[p] = full
			}
			if full == nil {
				continue // its own findings say why
			}
			p = full
		}
		out = append(out, staleGoldenPath(p, s)...)
	}
	return out
}

// A staleUse is one removed reference a golden path uses at one step.
type staleUse struct {
	removed playbooks.Text
	step    string
	reply   string // the reply template whose docs link it, or ""
	shown   bool   // the step is shown to the customer (visibility: customer)
	tiers   []string
}

func staleGoldenPath(p *playbooks.Playbook, s *scenarios.Scenario) []playbooks.Finding {
	if !namesAny(p, s) {
		return nil // the common case: no golden path to work out
	}
	var uses []*staleUse
	find := func(ref playbooks.Text, step, reply string) *staleUse {
		for _, u := range uses {
			if u.removed.Value == ref.Value && u.step == step && u.reply == reply {
				return u
			}
		}
		u := &staleUse{removed: ref, step: step, reply: reply}
		uses = append(uses, u)
		return u
	}
	for _, tier := range p.Tiers {
		g, err := GoldenPath(p, s, tier)
		if err != nil {
			continue // the scenario check reports why there is no golden path
		}
		seen := map[string]bool{} // steps of this path already looked at
		for i, mv := range g.parsedMoves() {
			step := p.Step(g.Moves[i].Step)
			// A handoff serves the step the next tier plays: that tier's
			// own move looks at it.
			if step == nil || mv.Kind == scenarios.MoveEscalate || seen[step.ID] {
				continue
			}
			seen[step.ID] = true
			for _, ref := range stepRefs(step) {
				if r := removedEntry(s, ref); r != nil {
					u := find(*r, step.ID, "")
					u.shown = step.Visibility == playbooks.Customer
					u.tiers = append(u.tiers, string(tier.Name))
				}
			}
			if mv.Kind != scenarios.MoveReply {
				continue
			}
			if reply := p.Reply(mv.Arg); reply != nil {
				for _, d := range reply.Docs {
					if r := removedEntry(s, "doc:"+d.Value); r != nil {
						u := find(*r, step.ID, reply.Name)
						u.tiers = append(u.tiers, string(tier.Name))
					}
				}
			}
		}
	}
	out := make([]playbooks.Finding, 0, len(uses))
	for _, u := range uses {
		tiers := "tier " + u.tiers[0]
		if len(u.tiers) > 1 {
			tiers = "tiers " + strings.Join(u.tiers, ", ")
		}
		var what string
		switch {
		case u.reply != "":
			what = fmt.Sprintf("sends the customer to %s (reply %s at step %s)", u.removed.Value, u.reply, u.step)
		case u.shown && strings.HasPrefix(u.removed.Value, "doc:"):
			what = fmt.Sprintf("sends the customer to %s (step %s)", u.removed.Value, u.step)
		default:
			what = fmt.Sprintf("uses %s (step %s)", u.removed.Value, u.step)
		}
		out = append(out, playbooks.Finding{File: s.File, Line: u.removed.Pos.Line, Col: u.removed.Pos.Col,
			Rule: RuleStaleGoldenPath, Severity: playbooks.SeverityWarning,
			Message: fmt.Sprintf("the golden path of playbook %s %s at %s %s, which this scenario lists as removed: a stale playbook in training",
				p.ID, p.Version, tiers, what)})
	}
	return out
}

// stepRefs are the references a step names, written as removed: writes them.
func stepRefs(st *playbooks.Step) []string {
	var out []string
	for _, kind := range []struct {
		prefix string
		refs   []playbooks.Text
	}{{"ui:", st.UI}, {"doc:", st.Doc}, {"setting:", st.Setting}} {
		for _, r := range kind.refs {
			out = append(out, kind.prefix+r.Value)
		}
	}
	return out
}

// removedEntry is the scenario's removed: entry for ref, or nil.
func removedEntry(s *scenarios.Scenario, ref string) *playbooks.Text {
	for i := range s.Removed {
		if s.Removed[i].Value == ref {
			return &s.Removed[i]
		}
	}
	return nil
}

// mentionsAny reports whether the playbook's text holds the path of any
// reference the scenario lists as removed: a slimmed playbook that does
// not is not parsed again.
func mentionsAny(src []byte, s *scenarios.Scenario) bool {
	for _, r := range s.Removed {
		if _, path, ok := strings.Cut(r.Value, ":"); ok && path != "" && bytes.Contains(src, []byte(path)) {
			return true
		}
	}
	return false
}

// namesAny reports whether any step or reply of the playbook names a
// reference the scenario lists as removed.
func namesAny(p *playbooks.Playbook, s *scenarios.Scenario) bool {
	for _, st := range p.Steps {
		for _, ref := range stepRefs(st) {
			if s.IsRemoved(ref) {
				return true
			}
		}
	}
	for _, r := range p.Replies {
		for _, d := range r.Docs {
			if s.IsRemoved("doc:" + d.Value) {
				return true
			}
		}
	}
	return false
}
