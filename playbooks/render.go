package playbooks

import (
	"bufio"
	"fmt"
	"io"
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

// TreeMaxDepth is how many levels the tree nests before it stops
// indenting, so the width of a line never grows with the graph.
const TreeMaxDepth = 24

// treeFrame is a step of the tree whose edges are being written: its
// children are written at prefix, at depth levels of nesting.
type treeFrame struct {
	edges  []Edge
	next   int
	prefix string
	depth  int
}

// WriteTree writes the playbook as an indented tree from its start step. A
// step reached a second time is shown as a reference to where it first
// appeared. Down to TreeMaxDepth levels each step nests under the one
// before; below that a chain of next steps continues at the same indent,
// and a step that branches to steps not yet shown starts a section of its
// own after the tree ("continued below"). The tree is written as it is walked, with an explicit
// stack: time, memory and output are linear in the size of the graph.
func WriteTree(w io.Writer, p *Playbook) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "%s %s — %s\n", p.ID, p.Version, p.Title)
	fmt.Fprintf(b, "product %s, applies to %s, reviewed for %s, owner %s\n", p.Product, p.AppliesTo, p.ReviewedFor, p.Owner)
	for _, t := range p.Tiers {
		fmt.Fprintf(b, "tier %s: %s\n", t.Name, strings.Join(values(t.Capabilities), ", "))
	}
	b.WriteString("\n")
	start := p.StartStep()
	if start == nil {
		b.WriteString("(no steps)\n")
		return b.Flush()
	}
	shown := make(map[*Step]bool, len(p.Steps))
	var stack []treeFrame
	// enter writes the details of s under its line and pushes its edges.
	enter := func(s *Step, prefix string, depth int) {
		for _, line := range p.stepDetails(s) {
			fmt.Fprintf(b, "%s  %s\n", prefix, line)
		}
		stack = append(stack, treeFrame{edges: s.Targets(), prefix: prefix, depth: depth})
	}
	deferred := []*Step{start}
	shown[start] = true
	for i := 0; i < len(deferred); i++ {
		root := deferred[i]
		if i == 0 {
			fmt.Fprintf(b, "%s: %s\n", root.ID, p.stepLabel(root))
		} else {
			fmt.Fprintf(b, "\n%s: %s (continued)\n", root.ID, p.stepLabel(root))
		}
		enter(root, "", 1)
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(f.edges) {
				stack = stack[:len(stack)-1]
				continue
			}
			e := f.edges[f.next]
			f.next++
			last := f.next == len(f.edges)
			branch, indent := "├─ ", "│  "
			if last {
				branch, indent = "└─ ", "   "
			}
			label := ""
			if e.Label != "" {
				label = e.Label + " → "
			}
			t := p.Step(e.Target.Value)
			switch {
			case t == nil:
				fmt.Fprintf(b, "%s%s%s(missing step %s)\n", f.prefix, branch, label, e.Target.Value)
				continue
			case shown[t]:
				fmt.Fprintf(b, "%s%s%s%s (see above)\n", f.prefix, branch, label, t.ID)
				continue
			}
			shown[t] = true
			prefix, depth := f.prefix, f.depth
			if last {
				// Nothing of this frame is left to write: drop it before
				// the child's, so a long chain does not grow the stack.
				stack = stack[:len(stack)-1]
			}
			edges := t.Targets()
			switch {
			case depth < TreeMaxDepth || !leadsOn(p, edges, shown):
				fmt.Fprintf(b, "%s%s%s%s: %s\n", prefix, branch, label, t.ID, p.stepLabel(t))
				enter(t, prefix+indent, depth+1)
			case last && len(edges) == 1 && edges[0].Label == "":
				// A chain at the deepest level: its next step is written
				// below it at the same indent.
				fmt.Fprintf(b, "%s%s%s%s: %s\n", prefix, branch, label, t.ID, p.stepLabel(t))
				for _, line := range p.stepDetails(t) {
					fmt.Fprintf(b, "%s%s  %s\n", prefix, indent, line)
				}
				stack = append(stack, treeFrame{edges: edges, prefix: prefix, depth: depth})
			default:
				fmt.Fprintf(b, "%s%s%s%s: %s (continued below)\n", prefix, branch, label, t.ID, p.stepLabel(t))
				deferred = append(deferred, t)
			}
		}
	}
	var orphans []string
	for _, s := range p.Steps {
		if !shown[s] {
			orphans = append(orphans, s.ID)
		}
	}
	if len(orphans) > 0 {
		fmt.Fprintf(b, "\nunreachable: %s\n", strings.Join(orphans, ", "))
	}
	return b.Flush()
}

// leadsOn reports whether an edge leads to a step the tree has not shown.
func leadsOn(p *Playbook, edges []Edge, shown map[*Step]bool) bool {
	for _, e := range edges {
		if t := p.Step(e.Target.Value); t != nil && !shown[t] {
			return true
		}
	}
	return false
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

// WriteMermaid writes the decision graph as a Mermaid flowchart. Node ids
// are generated, and labels are quoted and escaped, so no text from the file
// can change the diagram's structure.
func WriteMermaid(w io.Writer, p *Playbook) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "flowchart TD\n  %%%% %s\n", mermaidText(p.ID+" "+p.Version+": "+p.Title))
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
		fmt.Fprintf(b, "  %s%s%s%s\n", ids[s], open, label, close)
	}
	for _, s := range p.Steps {
		for _, e := range s.Targets() {
			t := p.Step(e.Target.Value)
			if t == nil {
				continue
			}
			if e.Label != "" {
				fmt.Fprintf(b, "  %s -->|\"%s\"| %s\n", ids[s], mermaidText(e.Label), ids[t])
			} else {
				fmt.Fprintf(b, "  %s --> %s\n", ids[s], ids[t])
			}
		}
	}
	return b.Flush()
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

// WriteDOT writes the decision graph for Graphviz.
func WriteDOT(w io.Writer, p *Playbook) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "digraph %s {\n  label=%s;\n  labelloc=t;\n  node [fontname=\"Helvetica\"];\n", dotText(p.ID), dotText(p.ID+" "+p.Version+": "+p.Title))
	ids := nodeIDs(p)
	shapes := map[string]string{StepCheck: "diamond", StepAction: "box", StepReply: "note", StepEscalate: "doubleoctagon", StepOutcome: "oval"}
	for _, s := range p.Steps {
		shape := shapes[s.Kind]
		if shape == "" {
			shape = "box"
		}
		fmt.Fprintf(b, "  %s [label=%s shape=%s];\n", ids[s], dotText(s.ID+"\n"+p.stepLabel(s)), shape)
	}
	for _, s := range p.Steps {
		for _, e := range s.Targets() {
			if t := p.Step(e.Target.Value); t != nil {
				if e.Label != "" {
					fmt.Fprintf(b, "  %s -> %s [label=%s];\n", ids[s], ids[t], dotText(e.Label))
				} else {
					fmt.Fprintf(b, "  %s -> %s;\n", ids[s], ids[t])
				}
			}
		}
	}
	b.WriteString("}\n")
	return b.Flush()
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
