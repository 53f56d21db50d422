package playbooks

import (
	"fmt"
	"strings"
)

// stepLabel is a one-line description of a step: its kind and subject.
func (p *Playbook) stepLabel(s *Step) string {
	switch s.Kind {
	case StepCheck:
		if f := p.Fact(s.Subject.Value); f != nil {
			return fmt.Sprintf("check %s (%s)", s.Subject.Value, f.Source)
		}
	case StepAction:
		if t := p.LowestHolding(s.Subject.Value); t != nil {
			return fmt.Sprintf("action %s (%s+)", s.Subject.Value, t.Name)
		}
	}
	return s.Kind + " " + s.Subject.Value
}

// Tree renders the playbook as an indented tree from its start step. A step
// reached a second time is shown as a reference to where it first appeared.
func Tree(p *Playbook) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s — %s\n", p.ID, p.Version, p.Title)
	fmt.Fprintf(&b, "product %s, applies to %s, reviewed for %s, owner %s\n", p.Product, p.AppliesTo, p.ReviewedFor, p.Owner)
	for _, t := range p.Tiers {
		caps := make([]string, len(t.Capabilities))
		for i, c := range t.Capabilities {
			caps[i] = c.Value
		}
		fmt.Fprintf(&b, "tier %s: %s\n", t.Name, strings.Join(caps, ", "))
	}
	b.WriteString("\n")
	start := p.StartStep()
	if start == nil {
		b.WriteString("(no steps)\n")
		return b.String()
	}
	shown := map[*Step]bool{}
	var walk func(s *Step, prefix string)
	walk = func(s *Step, prefix string) {
		shown[s] = true
		for _, line := range p.stepDetails(s) {
			fmt.Fprintf(&b, "%s  %s\n", prefix, line)
		}
		edges := s.Targets()
		for i, e := range edges {
			branch, indent := "├─ ", "│  "
			if i == len(edges)-1 {
				branch, indent = "└─ ", "   "
			}
			label := ""
			if e.Label != "" {
				label = e.Label + " → "
			}
			t := p.Step(e.Target.Value)
			switch {
			case t == nil:
				fmt.Fprintf(&b, "%s%s%s(missing step %s)\n", prefix, branch, label, e.Target.Value)
			case shown[t]:
				fmt.Fprintf(&b, "%s%s%s%s (see above)\n", prefix, branch, label, t.ID)
			default:
				fmt.Fprintf(&b, "%s%s%s%s: %s\n", prefix, branch, label, t.ID, p.stepLabel(t))
				walk(t, prefix+indent)
			}
		}
	}
	fmt.Fprintf(&b, "%s: %s\n", start.ID, p.stepLabel(start))
	walk(start, "")
	var orphans []string
	for _, s := range p.Steps {
		if !shown[s] {
			orphans = append(orphans, s.ID)
		}
	}
	if len(orphans) > 0 {
		fmt.Fprintf(&b, "\nunreachable: %s\n", strings.Join(orphans, ", "))
	}
	return b.String()
}

func (p *Playbook) stepDetails(s *Step) []string {
	var out []string
	if s.Title != "" {
		out = append(out, s.Title)
	}
	if s.Note != "" {
		out = append(out, "note: "+s.Note)
	}
	for _, ref := range []struct {
		name string
		refs []Text
	}{{"ui", s.UI}, {"doc", s.Doc}, {"setting", s.Setting}} {
		if len(ref.refs) > 0 {
			vals := make([]string, len(ref.refs))
			for i, r := range ref.refs {
				vals[i] = r.Value
			}
			out = append(out, ref.name+": "+strings.Join(vals, ", "))
		}
	}
	return out
}

// Mermaid renders the decision graph as a Mermaid flowchart. Node ids are
// generated, and labels are quoted and escaped, so no text from the file
// can change the diagram's structure.
func Mermaid(p *Playbook) string {
	var b strings.Builder
	fmt.Fprintf(&b, "flowchart TD\n  %%%% %s\n", mermaidText(p.ID+" "+p.Version+": "+p.Title))
	ids := nodeIDs(p)
	for _, s := range p.Steps {
		label := mermaidText(s.ID + ": " + p.stepLabel(s))
		open, close := "[\"", "\"]"
		switch s.Kind {
		case StepCheck:
			open, close = "{\"", "\"}"
		case StepReply:
			open, close = "[/\"", "\"/]"
		case StepEscalate:
			open, close = "[[\"", "\"]]"
		case StepOutcome:
			open, close = "([\"", "\"])"
		}
		fmt.Fprintf(&b, "  %s%s%s%s\n", ids[s], open, label, close)
	}
	for _, s := range p.Steps {
		for _, e := range s.Targets() {
			t := p.Step(e.Target.Value)
			if t == nil {
				continue
			}
			if e.Label != "" {
				fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", ids[s], mermaidText(e.Label), ids[t])
			} else {
				fmt.Fprintf(&b, "  %s --> %s\n", ids[s], ids[t])
			}
		}
	}
	return b.String()
}

func nodeIDs(p *Playbook) map[*Step]string {
	ids := make(map[*Step]string, len(p.Steps))
	for i, s := range p.Steps {
		ids[s] = fmt.Sprintf("s%d", i)
	}
	return ids
}

// mermaidText escapes text for a quoted Mermaid label.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			if r >= 0x20 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// DOT renders the decision graph for Graphviz.
func DOT(p *Playbook) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n  label=%s;\n  labelloc=t;\n  node [fontname=\"Helvetica\"];\n", dotText(p.ID), dotText(p.ID+" "+p.Version+": "+p.Title))
	ids := nodeIDs(p)
	shapes := map[string]string{StepCheck: "diamond", StepAction: "box", StepReply: "note", StepEscalate: "doubleoctagon", StepOutcome: "oval"}
	for _, s := range p.Steps {
		shape := shapes[s.Kind]
		if shape == "" {
			shape = "box"
		}
		fmt.Fprintf(&b, "  %s [label=%s shape=%s];\n", ids[s], dotText(s.ID+"\n"+p.stepLabel(s)), shape)
	}
	for _, s := range p.Steps {
		for _, e := range s.Targets() {
			if t := p.Step(e.Target.Value); t != nil {
				if e.Label != "" {
					fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", ids[s], ids[t], dotText(e.Label))
				} else {
					fmt.Fprintf(&b, "  %s -> %s;\n", ids[s], ids[t])
				}
			}
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotText quotes text as a DOT string.
func dotText(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r', '\t':
			b.WriteByte(' ')
		default:
			if r >= 0x20 {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
