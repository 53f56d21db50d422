package playbooks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Validate checks the playbook graph: targets, reachability, cycles,
// branches, capabilities, replies and escalations. It assumes the playbook
// came from DecodePlaybook and skips whatever the file left empty.
func Validate(p *Playbook) []Finding {
	v := &validator{p: p}
	v.targets()
	// A step the loader could not read completely may have lost an edge;
	// reachability and cycles are judged once the file reads cleanly, so
	// that one typo does not read as a cascade of graph problems.
	broken := false
	for _, s := range p.Steps {
		broken = broken || s.broken
	}
	if !broken {
		v.reachable()
		v.cycles()
		v.placeholders()
	}
	for _, s := range p.Steps {
		v.step(s)
	}
	v.factNeeds()
	v.ruleFacts()
	v.replies()
	return v.fs
}

type validator struct {
	p       *Playbook
	fs      []Finding
	limit   findingCap
	stepIDs []string // for suggestions, made once
}

func (v *validator) at(pos Pos, rule RuleID, format string, args ...any) {
	v.fs = v.limit.add(v.fs, v.p.File, pos, rule, format, args...)
}

func (v *validator) warn(pos Pos, rule RuleID, format string, args ...any) {
	v.fs = v.limit.addAs(SeverityWarning, v.fs, v.p.File, pos, rule, format, args...)
}

func (v *validator) targets() {
	p := v.p
	if p.Start.Value != "" && p.steps[p.Start.Value] == nil {
		v.at(p.Start.Pos, RuleDangling, "start names step %q, which does not exist%s", p.Start.Value, v.suggest(p.Start.Value))
	}
	for _, s := range p.Steps {
		for _, e := range s.Targets() {
			if p.steps[e.Target.Value] == nil && e.Target.Value != "" {
				v.at(e.Target.Pos, RuleDangling, "step %q goes to %q, which does not exist%s", s.ID, e.Target.Value, v.suggest(e.Target.Value))
			}
		}
		if s.Kind != StepOutcome && s.Kind != "" && len(s.Targets()) == 0 && !s.broken {
			v.at(s.Pos, RuleDeadEnd, "step %q is not an outcome but has nowhere to go; add next (or on: for a check)", s.ID)
		}
	}
}

// suggest is a did-you-mean for a dangling target, or nothing once the
// rule's findings are only counted: the search costs a pass over every
// step id, and a file of ten thousand dangling targets must not pay it
// ten thousand times.
func (v *validator) suggest(id string) string {
	if v.limit.full(RuleDangling) {
		return ""
	}
	if v.stepIDs == nil {
		v.stepIDs = make([]string, 0, len(v.p.Steps))
		for _, s := range v.p.Steps {
			v.stepIDs = append(v.stepIDs, s.ID)
		}
	}
	return didYouMean(id, v.stepIDs)
}

// successors returns the indices of the steps s continues with.
func (v *validator) successors(s *Step, index map[*Step]int) []int {
	var out []int
	for _, e := range s.Targets() {
		if t := v.p.steps[e.Target.Value]; t != nil {
			out = append(out, index[t])
		}
	}
	return out
}

func (v *validator) reachable() {
	start := v.p.StartStep()
	if start == nil {
		return
	}
	index := v.index()
	seen := make([]bool, len(v.p.Steps))
	// mark flags every step reachable from step i.
	mark := func(i int) {
		seen[i] = true
		stack := []int{i}
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, k := range v.successors(v.p.Steps[j], index) {
				if !seen[k] {
					seen[k] = true
					stack = append(stack, k)
				}
			}
		}
	}
	mark(index[start])
	// Report the first step of each unreachable region only: the steps it
	// leads to are unreachable because it is, and one mistake (a mistyped
	// target) should read as one finding plus its consequence, not a cascade.
	for i, s := range v.p.Steps {
		// A duplicate step is reported as such, not as unreachable.
		if seen[i] || s.ID == "" || v.p.steps[s.ID] != s {
			continue
		}
		v.at(s.Pos, RuleUnreachable, "step %q cannot be reached from the start step %q", s.ID, start.ID)
		mark(i)
	}
}

func (v *validator) index() map[*Step]int {
	index := make(map[*Step]int, len(v.p.Steps))
	for i, s := range v.p.Steps {
		index[s] = i
	}
	return index
}

// cycles reports each strongly connected group of steps that loops with no
// edge leading out of it (Tarjan's algorithm, iterative so that hostile
// input cannot exhaust the stack).
func (v *validator) cycles() {
	steps := v.p.Steps
	n := len(steps)
	index := v.index()
	succ := make([][]int, n)
	for i, s := range steps {
		succ[i] = v.successors(s, index)
	}
	const unvisited = -1
	order := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range order {
		order[i] = unvisited
	}
	var stack []int
	counter := 0
	type frame struct{ node, next int }
	for root := range n {
		if order[root] != unvisited {
			continue
		}
		call := []frame{{root, 0}}
		order[root], low[root] = counter, counter
		counter++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.next < len(succ[f.node]) {
				w := succ[f.node][f.next]
				f.next++
				if order[w] == unvisited {
					order[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] {
					low[f.node] = min(low[f.node], order[w])
				}
				continue
			}
			node := f.node
			call = call[:len(call)-1]
			if len(call) > 0 {
				parent := call[len(call)-1].node
				low[parent] = min(low[parent], low[node])
			}
			if low[node] != order[node] {
				continue
			}
			var group []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				group = append(group, w)
				if w == node {
					break
				}
			}
			v.closedCycle(group, succ)
		}
	}
}

func (v *validator) closedCycle(group []int, succ [][]int) {
	in := make(map[int]bool, len(group))
	for _, i := range group {
		in[i] = true
	}
	if len(group) == 1 {
		self := false
		for _, j := range succ[group[0]] {
			self = self || j == group[0]
		}
		if !self {
			return
		}
	}
	first := group[0]
	for _, i := range group {
		first = min(first, i)
		if v.p.Steps[i].Kind == StepOutcome {
			return
		}
		for _, j := range succ[i] {
			if !in[j] {
				return
			}
		}
	}
	// Name the steps in file order, a few of them when the cycle is long:
	// the message stays one readable line.
	const named = 10
	ids := make([]string, 0, min(len(group), named))
	for i, s := range v.p.Steps {
		if in[i] && len(ids) < named {
			ids = append(ids, s.ID)
		}
	}
	list := strings.Join(ids, ", ")
	if len(group) > named {
		list += fmt.Sprintf(" … and %d more", len(group)-named)
	}
	v.at(v.p.Steps[first].Pos, RuleCycle, "steps %s form a cycle with no way out to an outcome", list)
}

func (v *validator) step(s *Step) {
	p := v.p
	switch s.Kind {
	case StepCheck:
		f := p.facts[s.Subject.Value]
		if f == nil {
			v.at(s.Subject.Pos, RuleUnknownFact, "step %q checks fact %q, which is not declared under facts", s.ID, s.Subject.Value)
			return
		}
		if f.valuesBroken {
			return // reported where the values are
		}
		if f.IsVersion() {
			v.ranges(s, f)
			return
		}
		if len(f.Values) == 0 {
			for _, b := range s.On {
				hint := "; add values: to the fact"
				if looksLikeRange(b.Value) {
					hint = "; to branch on version ranges, give the fact type: version"
				}
				v.at(b.Pos, RuleUnknownBranch, "step %q branches on %q, but fact %q declares no values%s", s.ID, b.Value, f.Name, hint)
			}
			return
		}
		covered := map[string]bool{}
		for _, b := range s.On {
			legal, ok := f.Legal(b.Value)
			if !ok {
				// A likely misspelling counts as the value it was meant to be,
				// so the one mistake is not reported twice.
				if c := closest(b.Value, f.ValueNames()); c != "" {
					legal = c
				}
				v.at(b.Pos, RuleUnknownBranch, "step %q branches on %q, which is not a value of fact %q (%s)%s", s.ID, b.Value, f.Name, strings.Join(f.ValueNames(), ", "), didYouMean(b.Value, f.ValueNames()))
			}
			covered[legal] = true
		}
		if len(s.On) == 0 || s.Otherwise.Value != "" || s.broken {
			return
		}
		var missing []string
		for _, val := range f.Values {
			if !covered[val.Value] {
				missing = append(missing, val.Value)
			}
		}
		if len(missing) > 0 {
			v.at(s.Subject.Pos, RuleMissingBranch, "step %q has no branch for %s of fact %q; add it under on: or add otherwise:", s.ID, strings.Join(missing, ", "), f.Name)
		}
	case StepAction:
		if p.LowestHolding(s.Subject.Value) == nil && len(p.Tiers) > 0 {
			v.at(s.Subject.Pos, RuleUnheld, "step %q needs capability %q, which no tier holds (%s)%s", s.ID, s.Subject.Value, strings.Join(p.TierNames(), ", "), didYouMean(s.Subject.Value, v.capabilities()))
		}
	case StepReply:
		if p.replies[s.Subject.Value] == nil {
			names := make([]string, len(p.Replies))
			for i, r := range p.Replies {
				names[i] = r.Name
			}
			v.at(s.Subject.Pos, RuleUnknownReply, "step %q replies with template %q, which is not under replies%s", s.ID, s.Subject.Value, didYouMean(s.Subject.Value, names))
		}
	case StepEscalate:
		t := p.tiers[TierName(s.Subject.Value)]
		if t == nil {
			v.at(s.Subject.Pos, RuleUnknownTier, "step %q escalates to tier %q, which is not under tiers (%s)", s.ID, s.Subject.Value, strings.Join(p.TierNames(), ", "))
			return
		}
		for _, c := range v.needed(s) {
			holder := p.LowestHolding(c.Value)
			if t.Holds(c.Value) || holder == nil {
				continue // no tier at all holds it: reported as capability-unheld
			}
			v.at(s.Subject.Pos, RuleEscalation, "step %q escalates to %s, which lacks capability %q needed next; the first tier that holds it is %s", s.ID, t.Name, c.Value, holder.Name)
		}
	}
}

// factNeeds reports a fact no tier can verify: one of its needs is held by
// no tier, or no tier holds them together with its source's capability.
func (v *validator) factNeeds() {
	p := v.p
	if len(p.Tiers) == 0 {
		return
	}
	for _, f := range p.Facts {
		if len(f.Needs) == 0 {
			continue
		}
		unheld := false
		for _, n := range f.Needs {
			if p.LowestHolding(n.Value) == nil {
				unheld = true
				v.at(n.Pos, RuleUnheld, "fact %q needs capability %q, which no tier holds (%s)%s", f.Name, n.Value, strings.Join(p.TierNames(), ", "), didYouMean(n.Value, v.capabilities()))
			}
		}
		if needs := p.FactNeeds(f); !unheld && p.LowestHoldingAll(needs) == nil {
			v.at(f.Needs[0].Pos, RuleUnheld, "fact %q needs %s, which no tier holds together (%s)", f.Name, strings.Join(needs, ", "), strings.Join(p.TierNames(), ", "))
		}
	}
}

// ruleFacts checks facts a product rule fixes: a value or a from with a
// map (not both, not neither), a known from, no from leading back, a map
// entry for each value of the input, values legal for the fact.
func (v *validator) ruleFacts() {
	p := v.p
	for _, f := range p.Facts {
		if !f.IsRule() {
			continue
		}
		what := fmt.Sprintf("fact %q", f.Name)
		legal := func(val string, pos Pos, where string) {
			if _, ok := f.Legal(val); !ok && len(f.Values) > 0 {
				v.at(pos, RuleRuleFact, "%s of %s is %q, which is not a value of it (%s)%s", where, what, val, strings.Join(f.ValueNames(), ", "), didYouMean(val, f.ValueNames()))
			}
		}
		switch {
		case f.Value.Value == "" && f.From.Value == "":
			if len(f.Map) > 0 {
				v.at(f.mapPos, RuleRuleFact, "%s has a map but no from: name the fact it is derived from", what)
				continue
			}
			v.at(f.Pos, RuleRuleFact, "%s has source: rule but neither value: (what the product rule fixes) nor from: with map: (derived from another fact)", what)
			continue
		case f.Value.Value != "" && (f.From.Value != "" || len(f.Map) > 0):
			v.at(f.Value.Pos, RuleRuleFact, "%s has both a fixed value and from/map; a rule fact is one or the other", what)
			continue
		case f.Value.Value != "":
			legal(f.Value.Value, f.Value.Pos, "the value")
			continue
		}
		in := p.facts[f.From.Value]
		if in == nil {
			v.at(f.From.Pos, RuleUnknownFact, "%s is derived from fact %q, which is not declared under facts%s", what, f.From.Value, didYouMean(f.From.Value, factNames(p)))
			continue
		}
		if f.cyclic {
			v.at(f.From.Pos, RuleRuleFact, "%s is derived from %s, which leads back to %s", what, in.Name, f.Name)
			continue
		}
		if len(f.Map) == 0 {
			v.at(f.From.Pos, RuleRuleFact, "%s is derived from %s but has no map: give the fact's value for each value of %s", what, in.Name, in.Name)
			continue
		}
		mapped := map[string]bool{}
		for _, m := range f.Map {
			legal(m.Value, m.Pos, fmt.Sprintf("the map's value for %q", m.Key))
			if len(in.Values) == 0 {
				continue
			}
			k, ok := in.Legal(m.Key)
			if !ok {
				v.at(m.Pos, RuleRuleFact, "the map of %s names %q, which is not a value of fact %s (%s)%s", what, m.Key, in.Name, strings.Join(in.ValueNames(), ", "), didYouMean(m.Key, in.ValueNames()))
			}
			mapped[k] = true
		}
		var missing []string
		for _, val := range in.ValueNames() {
			if !mapped[val] {
				missing = append(missing, val)
			}
		}
		if len(missing) > 0 {
			v.at(f.mapPos, RuleRuleFact, "the map of %s has no entry for %s of fact %s", what, strings.Join(missing, ", "), in.Name)
		}
	}
}

// needed lists the capabilities an escalation is for: its needs, or else
// the capability of the first action on each path after it.
func (v *validator) needed(s *Step) []Text {
	if len(s.Needs) > 0 {
		return s.Needs
	}
	var out []Text
	seen := map[*Step]bool{s: true}
	have := map[string]bool{}
	stack := []*Step{v.p.steps[s.Next.Value]}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == nil || seen[x] {
			continue
		}
		seen[x] = true
		if x.Kind == StepAction {
			if !have[x.Subject.Value] {
				have[x.Subject.Value] = true
				out = append(out, x.Subject)
			}
			continue
		}
		if x.Kind == StepEscalate {
			continue // a further escalation takes over from here
		}
		for _, e := range x.Targets() {
			stack = append(stack, v.p.steps[e.Target.Value])
		}
	}
	return out
}

// FillPlaceholders replaces each {fact} placeholder in text with what
// value returns for the fact's name.
func FillPlaceholders(text string, value func(fact string) string) string {
	return placeholder.ReplaceAllStringFunc(text, func(m string) string { return value(m[1 : len(m)-1]) })
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_.-]+)\}`)

// Placeholders returns the {fact} names used in text.
func Placeholders(text string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

func (v *validator) replies() {
	p := v.p
	audiences := p.Audiences()
	for _, r := range p.Replies {
		check := func(aud string, pos Pos) {
			parts := r.For(aud)
			var missing []string
			for _, part := range []struct{ name, text string }{{"summary", parts.Summary}, {"cause", parts.Cause}, {"fix", parts.Fix}} {
				if strings.TrimSpace(part.text) == "" {
					missing = append(missing, part.name)
				}
			}
			if len(missing) == 0 {
				return
			}
			who := "the default audience"
			if aud != "" {
				who = "audience " + aud
			}
			v.at(pos, RuleReplyPart, "reply %q has no %s for %s; every reply has summary, cause and fix", r.Name, strings.Join(missing, ", "), who)
		}
		if len(audiences) == 0 {
			check("", r.Pos)
		}
		for _, a := range audiences {
			pos := r.Pos
			for _, x := range r.Audiences {
				if x.Name == a {
					pos = x.Pos
				}
			}
			check(a, pos)
		}
		for _, a := range r.Audiences {
			switch to := a.Forward.Value; {
			case to == "":
			case to == a.Name:
				v.at(a.Forward.Pos, RuleReplyPart, "the %s reply of %q forwards its own part; forward names the other reader the customer passes it on to", a.Name, r.Name)
			case !slices.Contains(audiences, to):
				v.at(a.Forward.Pos, RuleReplyPart, "the %s reply of %q forwards the part of %q, which is not an audience of the playbook (%s)%s", a.Name, r.Name, to, strings.Join(audiences, ", "), didYouMean(to, audiences))
			}
		}
		for _, t := range r.texts {
			for _, name := range Placeholders(t.Value) {
				if p.facts[name] == nil {
					v.at(t.Pos, RulePlaceholder, "reply %q uses {%s}, which is not a fact of the playbook%s", r.Name, name, didYouMean(name, factNames(p)))
				}
			}
		}
	}
}

// DidYouMean returns "; did you mean X?" for the candidate nearest to s,
// or "" when none is near.
func DidYouMean(s string, candidates []string) string { return didYouMean(s, candidates) }

func didYouMean(s string, candidates []string) string {
	if c := closest(s, candidates); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return ""
}

func factNames(p *Playbook) []string {
	out := make([]string, len(p.Facts))
	for i, f := range p.Facts {
		out[i] = f.Name
	}
	return out
}

func (v *validator) capabilities() []string {
	var out []string
	for _, t := range v.p.Tiers {
		out = append(out, values(t.Capabilities)...)
	}
	return out
}

// looksLikeRange reports whether a branch key starts like a version range.
func looksLikeRange(s string) bool {
	return s != "" && strings.ContainsRune("<>=~^!", rune(s[0]))
}

// ranges checks the branches of a check of a version fact: each key is a
// version range, and no two ranges share a version.
func (v *validator) ranges(s *Step, f *Fact) {
	type parsed struct {
		b Branch
		c *semver.Constraints
	}
	var ok []parsed
	for _, b := range s.On {
		c, err := parseRange(b.Value)
		if err != nil {
			v.at(b.Pos, RuleBadRange, "step %q branches on %q, which is not a version range (like \"<5.0\", \">=5.0 <6\" or \"^5\"); fact %q is of type version", s.ID, b.Value, f.Name)
			continue
		}
		for _, o := range ok {
			if w := overlap(o.c, c, o.b.Value, b.Value); w != nil {
				v.at(b.Pos, RuleOverlap, "step %q branches on %q and %q, which overlap: both hold %s", s.ID, o.b.Value, b.Value, w)
			}
		}
		ok = append(ok, parsed{b, c})
	}
}

var versionLiteral = regexp.MustCompile(`[0-9]+(?:\.[0-9]+){0,2}`)

// overlap returns a version both ranges hold, or nil. Where two ranges
// meet, their common part starts at a bound one of them names (or just
// above it) or at 0.0.0, so those are the versions tried.
func overlap(a, b *semver.Constraints, texts ...string) *semver.Version {
	cands := []*semver.Version{semver.New(0, 0, 0, "", "")}
	for _, t := range texts {
		for _, m := range versionLiteral.FindAllString(t, -1) {
			x, err := semver.NewVersion(m)
			if err != nil {
				continue
			}
			p, mi, ma := x.IncPatch(), x.IncMinor(), x.IncMajor()
			cands = append(cands, x, &p, &mi, &ma)
		}
	}
	for _, c := range cands {
		if a.Check(c) && b.Check(c) {
			return c
		}
	}
	return nil
}
