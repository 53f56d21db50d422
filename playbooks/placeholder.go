package playbooks

import (
	"fmt"
	"strings"
)

// placeholders warns of each {fact} of a reply that a step sends on a path
// where the fact is not known yet: no check of it lies between the start
// and the step, and it does not come with the ticket. A draft fills a
// placeholder only with a known fact; any other reaches the customer as
// written.
//
// The facts known on every path to each step are worked out once, as a
// "must be known" dataflow over the graph (the intersection over a step's
// predecessors, to a fixed point), so the cost is bounded by steps × edges
// × facts/64 however many paths the graph has. A path that shows the
// problem is found only for the findings reported.
func (v *validator) placeholders() {
	p := v.p
	start := p.StartStep()
	if start == nil || len(p.Replies) == 0 || len(p.Facts) == 0 {
		return
	}
	bit := make(map[string]int, len(p.Facts))
	for i, f := range p.Facts {
		if _, dup := bit[f.Name]; !dup {
			bit[f.Name] = i
		}
	}
	// The placeholders of each reply that a check could establish (a
	// ticket fact is known from the start; an unknown name is reported by
	// unknown-placeholder), by text.
	type use struct {
		text int // index in r.texts
		name string
		bit  int
	}
	uses := map[*Reply][]use{}
	for _, r := range p.Replies {
		for i, t := range r.texts {
			seen := map[string]bool{}
			for _, name := range Placeholders(t.Value) {
				f := p.facts[name]
				if f == nil || seen[name] || f.SourceKind() == SourceTicket {
					continue
				}
				seen[name] = true
				uses[r] = append(uses[r], use{i, name, bit[name]})
			}
		}
	}
	if len(uses) == 0 {
		return
	}

	index := v.index()
	n, words := len(p.Steps), (len(p.Facts)+63)/64
	succ := make([][]int, n)
	gen := make([]int, n) // the bit of the fact a step checks, or -1
	for i, s := range p.Steps {
		succ[i] = v.successors(s, index)
		gen[i] = -1
		if s.Kind == StepCheck {
			if b, ok := bit[s.Subject.Value]; ok {
				gen[i] = b
			}
		}
	}
	known := make([]uint64, n*words) // facts known on entry to each step
	reached := make([]bool, n)
	set := func(i int) []uint64 { return known[i*words : (i+1)*words] }
	out := make([]uint64, words)
	first := index[start]
	reached[first] = true // nothing is known at the start but ticket facts, which are not tracked
	work := []int{first}
	queued := make([]bool, n)
	queued[first] = true
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		queued[i] = false
		copy(out, set(i))
		if b := gen[i]; b >= 0 {
			out[b/64] |= 1 << (b % 64)
		}
		for _, j := range succ[i] {
			in := set(j)
			changed := false
			if !reached[j] {
				reached[j] = true
				copy(in, out)
				changed = true
			} else {
				for w := range in {
					if x := in[w] & out[w]; x != in[w] {
						in[w], changed = x, true
					}
				}
			}
			if changed && !queued[j] {
				queued[j] = true
				work = append(work, j)
			}
		}
	}

	// Group by reply text and placeholder the steps that send it unknown,
	// in file order, so that a template sent from many steps reads as one
	// finding per placeholder.
	type key struct {
		r    *Reply
		text int
		name string
	}
	steps := map[key][]int{}
	var order []key
	for i, s := range p.Steps {
		if s.Kind != StepReply || !reached[i] || p.steps[s.ID] != s {
			continue
		}
		r := p.replies[s.Subject.Value]
		for _, u := range uses[r] {
			if set(i)[u.bit/64]&(1<<(u.bit%64)) != 0 {
				continue
			}
			k := key{r, u.text, u.name}
			if steps[k] == nil {
				order = append(order, k)
			}
			steps[k] = append(steps[k], i)
		}
	}
	for _, k := range order {
		ss := steps[k]
		t := k.r.texts[k.text]
		if v.limit.full(RuleUnchecked) {
			v.warn(t.Pos, RuleUnchecked, "")
			continue
		}
		more := ""
		if len(ss) > 1 {
			more = fmt.Sprintf(" (and %d more step%s)", len(ss)-1, plural(len(ss)-1, "", "s"))
		}
		target := ss[0]
		path := v.pathWithout(first, target, succ, gen, bit[k.name])
		v.warn(t.Pos, RuleUnchecked, "step %q%s sends reply %q, whose {%s} may not be known there: no step checks fact %s on the path %s, so the customer would read \"{%s}\" as written",
			p.Steps[target].ID, more, k.r.Name, k.name, k.name, path, k.name)
	}
}

// pathWithout is a shortest path from step from to step to through steps
// that do not check the fact, as "a → b → c" (long paths elided in the
// middle).
func (v *validator) pathWithout(from, to int, succ [][]int, gen []int, fact int) string {
	parent := make([]int, len(succ))
	for i := range parent {
		parent[i] = -1
	}
	parent[from] = from
	queue := []int{from}
	for len(queue) > 0 && parent[to] < 0 {
		i := queue[0]
		queue = queue[1:]
		if gen[i] == fact {
			continue // the path goes on only through steps that leave it unknown
		}
		for _, j := range succ[i] {
			if parent[j] < 0 {
				parent[j] = i
				queue = append(queue, j)
			}
		}
	}
	var ids []string
	for i := to; ; i = parent[i] {
		if i < 0 { // cannot happen: the dataflow found such a path
			return v.p.Steps[to].ID
		}
		ids = append(ids, v.p.Steps[i].ID)
		if i == from {
			break
		}
	}
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	const head, tail = 4, 3
	if len(ids) > head+tail+1 {
		ids = append(append(ids[:head:head], fmt.Sprintf("… %d steps …", len(ids)-head-tail)), ids[len(ids)-tail:]...)
	}
	return strings.Join(ids, " → ")
}
