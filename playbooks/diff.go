package playbooks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Kinds of change.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeChanged = "changed"
)

// Areas of a playbook a change is in, in the order a Delta lists them.
const (
	AreaPlaybook = "playbook"
	AreaFact     = "fact"
	AreaTier     = "tier"
	AreaStep     = "step"
	AreaReply    = "reply"
)

// A Delta is what changed in meaning between two versions of a playbook.
type Delta struct {
	ID         string   `json:"id"`
	OldVersion string   `json:"old_version"`
	NewVersion string   `json:"new_version"`
	OldFile    string   `json:"old_file"`
	NewFile    string   `json:"new_file"`
	Changes    []Change `json:"changes"`
}

// A Change is one thing an agent must relearn.
type Change struct {
	Kind    string `json:"kind"`    // added, removed or changed
	Area    string `json:"area"`    // playbook, fact, tier, step or reply
	Subject string `json:"subject"` // "step check-cname", "reply ssl-enabled", "playbook"
	Code    string `json:"code"`    // stable: "step-branch-changed"; always ends with the kind
	Detail  string `json:"detail,omitempty"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new,omitempty"`
	Message string `json:"message"`
}

// Diff compares two versions of a playbook by meaning: the order of keys,
// facts, tiers' capabilities, steps and replies, how text is wrapped, the
// version itself and reviewed_for (a sign-off) are not changes. Changes come in a fixed order: the
// playbook's metadata, facts, tiers, steps (in the new file's order, then the
// removed ones) and replies.
func Diff(old, new *Playbook) *Delta {
	d := &differ{old: old, new: new}
	d.metadata()
	d.facts()
	d.tiers()
	d.steps()
	d.replies()
	if d.changes == nil {
		d.changes = []Change{}
	}
	return &Delta{ID: new.ID, OldVersion: old.Version, NewVersion: new.Version, OldFile: old.File, NewFile: new.File, Changes: d.changes}
}

type differ struct {
	old, new *Playbook
	changes  []Change
}

func (d *differ) add(c Change, format string, args ...any) {
	c.Code += "-" + c.Kind
	c.Message = fmt.Sprintf(format, args...)
	d.changes = append(d.changes, c)
}

// kindOf is the kind of change from old to new text.
func kindOf(old, new string) string {
	switch {
	case old == "":
		return ChangeAdded
	case new == "":
		return ChangeRemoved
	}
	return ChangeChanged
}

// flat collapses runs of white space, so rewrapping text is no change.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// quoted shows a text in a message, or "nothing" for none.
func quoted(s string) string {
	if s == "" {
		return "nothing"
	}
	return `"` + s + `"`
}

// was is " (was OLD)", or "" when there was nothing.
func was(old string) string {
	if old == "" {
		return ""
	}
	return " (was " + old + ")"
}

// setDiff lists what new has that old lacks, and what old has that new
// lacks, each in its own order.
func setDiff(old, new []string) (added, removed []string) {
	for _, s := range new {
		if !slices.Contains(old, s) && !slices.Contains(added, s) {
			added = append(added, s)
		}
	}
	for _, s := range old {
		if !slices.Contains(new, s) && !slices.Contains(removed, s) {
			removed = append(removed, s)
		}
	}
	return added, removed
}

func (d *differ) metadata() {
	o, n := d.old, d.new
	pb := Change{Area: AreaPlaybook, Subject: "playbook"}
	field := func(code, label, old, new string, show func(string) string) {
		old, new = flat(old), flat(new)
		if old == new {
			return
		}
		c := pb
		c.Code, c.Kind, c.Old, c.New = code, kindOf(old, new), old, new
		wasText := ""
		if old != "" {
			wasText = " (was " + show(old) + ")"
		}
		d.add(c, "%s: now %s%s", label, show(new), wasText)
	}
	plain := func(s string) string {
		if s == "" {
			return "nothing"
		}
		return s
	}
	field("id", "Playbook id", o.ID, n.ID, plain)
	field("title", "Title", o.Title, n.Title, quoted)
	field("product", "Product", o.Product, n.Product, plain)
	field("applies-to", "Applies to product versions", o.AppliesTo, n.AppliesTo, plain)
	// (reviewed_for is bookkeeping, like the version: a sign-off changes
	// nothing an agent does.)
	field("owner", "Owner", o.Owner, n.Owner, plain)
	added, removed := setDiff(values(o.Intents), values(n.Intents))
	for _, in := range added {
		c := pb
		c.Code, c.Kind, c.New = "intent", ChangeAdded, in
		d.add(c, "New intent %s: these cases now come to this playbook", in)
	}
	for _, in := range removed {
		c := pb
		c.Code, c.Kind, c.Old = "intent", ChangeRemoved, in
		d.add(c, "Intent %s no longer comes to this playbook", in)
	}
	oldStart, newStart := stepID(o.StartStep()), stepID(n.StartStep())
	if oldStart != newStart {
		c := pb
		c.Code, c.Kind, c.Old, c.New = "start", kindOf(oldStart, newStart), oldStart, newStart
		d.add(c, "Cases now start at step %s%s", plain(newStart), was(oldStart))
	}
}

func stepID(s *Step) string {
	if s == nil {
		return ""
	}
	return s.ID
}

// describeFact is "probe; valid, expired" for a new or removed fact.
func describeFact(f *Fact) string {
	if len(f.Values) == 0 {
		return f.Source
	}
	return f.Source + "; " + strings.Join(f.ValueNames(), ", ")
}

func (d *differ) facts() {
	for _, nf := range d.new.Facts {
		subject := "fact " + nf.Name
		c := Change{Area: AreaFact, Subject: subject}
		of := d.old.Fact(nf.Name)
		if of == nil {
			c.Code, c.Kind, c.New = "fact", ChangeAdded, nf.Source
			if ask := flat(nf.Ask); ask != "" {
				d.add(c, "New fact %s (%s): %s", nf.Name, describeFact(nf), ask)
			} else {
				d.add(c, "New fact %s (%s)", nf.Name, describeFact(nf))
			}
			continue
		}
		if of.Source != nf.Source {
			c := c
			c.Code, c.Kind, c.Old, c.New = "fact-source", kindOf(of.Source, nf.Source), of.Source, nf.Source
			d.add(c, "Fact %s now comes from %s%s", nf.Name, nf.Source, was(of.Source))
		}
		added, removed := setDiff(of.ValueNames(), nf.ValueNames())
		for _, v := range added {
			c := c
			c.Code, c.Kind, c.New = "fact-value", ChangeAdded, v
			d.add(c, "Fact %s can now be %s", nf.Name, v)
		}
		for _, v := range removed {
			c := c
			c.Code, c.Kind, c.Old = "fact-value", ChangeRemoved, v
			d.add(c, "Fact %s can no longer be %s", nf.Name, v)
		}
		if of.Type != nf.Type {
			c := c
			c.Code, c.Kind, c.Old, c.New = "fact-type", kindOf(of.Type, nf.Type), of.Type, nf.Type
			d.add(c, "Fact %s, type: now %s%s", nf.Name, orText(nf.Type), was(orText(of.Type)))
		}
		addedN, removedN := setDiff(values(of.Needs), values(nf.Needs))
		for _, n := range addedN {
			c := c
			c.Code, c.Kind, c.New = "fact-needs", ChangeAdded, n
			d.add(c, "Fact %s now needs capability %s to verify", nf.Name, n)
		}
		for _, n := range removedN {
			c := c
			c.Code, c.Kind, c.Old = "fact-needs", ChangeRemoved, n
			d.add(c, "Fact %s no longer needs capability %s", nf.Name, n)
		}
		if oa, na := flat(of.Ask), flat(nf.Ask); oa != na {
			c := c
			c.Code, c.Kind, c.Old, c.New = "fact-ask", kindOf(oa, na), oa, na
			d.add(c, "Fact %s, question: now %s%s", nf.Name, quoted(na), was(quoted(oa)))
		}
		if ot, nt := flat(of.Title), flat(nf.Title); ot != nt {
			c := c
			c.Code, c.Kind, c.Old, c.New = "fact-title", kindOf(ot, nt), ot, nt
			d.add(c, "Fact %s, title: now %s%s", nf.Name, quoted(nt), was(quoted(ot)))
		}
	}
	for _, of := range d.old.Facts {
		if d.new.Fact(of.Name) == nil {
			c := Change{Area: AreaFact, Subject: "fact " + of.Name, Code: "fact", Kind: ChangeRemoved, Old: of.Source}
			d.add(c, "Removed fact %s (%s)", of.Name, describeFact(of))
		}
	}
}

func (d *differ) tiers() {
	for _, nt := range d.new.Tiers {
		c := Change{Area: AreaTier, Subject: "tier " + string(nt.Name)}
		ot := d.old.Tier(nt.Name)
		caps := values(nt.Capabilities)
		if ot == nil {
			c.Code, c.Kind, c.New = "tier", ChangeAdded, strings.Join(caps, ", ")
			d.add(c, "New tier %s: %s", nt.Name, strings.Join(caps, ", "))
			continue
		}
		added, removed := setDiff(values(ot.Capabilities), caps)
		for _, cap := range added {
			c := c
			c.Code, c.Kind, c.New = "tier-capability", ChangeAdded, cap
			d.add(c, "Tier %s gains capability %s", nt.Name, cap)
		}
		for _, cap := range removed {
			c := c
			c.Code, c.Kind, c.Old = "tier-capability", ChangeRemoved, cap
			d.add(c, "Tier %s loses capability %s", nt.Name, cap)
		}
	}
	for _, ot := range d.old.Tiers {
		if d.new.Tier(ot.Name) == nil {
			c := Change{Area: AreaTier, Subject: "tier " + string(ot.Name), Code: "tier", Kind: ChangeRemoved,
				Old: strings.Join(values(ot.Capabilities), ", ")}
			d.add(c, "Removed tier %s", ot.Name)
		}
	}
	// Tiers rank lowest first: the order of the tiers both versions have
	// decides where a handoff goes.
	var oldOrder, newOrder []string
	for _, t := range d.old.Tiers {
		if d.new.Tier(t.Name) != nil {
			oldOrder = append(oldOrder, string(t.Name))
		}
	}
	for _, t := range d.new.Tiers {
		if d.old.Tier(t.Name) != nil {
			newOrder = append(newOrder, string(t.Name))
		}
	}
	if !slices.Equal(oldOrder, newOrder) {
		o, n := strings.Join(oldOrder, " < "), strings.Join(newOrder, " < ")
		c := Change{Area: AreaTier, Subject: "tiers", Code: "tier-order", Kind: ChangeChanged, Old: o, New: n}
		d.add(c, "Tiers now rank %s (was %s)", n, o)
	}
}

// stepPhrase says what a step does: "probe certificate", "action enable_ssl_tracking".
func stepPhrase(p *Playbook, s *Step) string {
	subj := s.Subject.Value
	switch s.Kind {
	case StepCheck:
		f := p.Fact(subj)
		if f == nil {
			break
		}
		switch f.SourceKind() {
		case SourceCustomer:
			return "ask the customer " + subj
		case SourceAdmin:
			return "look up " + subj + " in admin"
		case SourceProbe:
			return "probe " + subj
		case SourceDNS:
			return "DNS look-up " + subj
		case SourceTicket:
			return "read " + subj + " from the ticket"
		}
	case StepEscalate:
		return "escalate to " + subj
	}
	return s.Kind + " " + subj
}

func (d *differ) steps() {
	for _, newStep := range d.new.Steps {
		if newStep.ID == "" {
			continue
		}
		oldStep := d.old.Step(newStep.ID)
		if oldStep == nil {
			c := Change{Area: AreaStep, Subject: "step " + newStep.ID, Code: "step", Kind: ChangeAdded, New: stepPhrase(d.new, newStep)}
			if t := flat(newStep.Title); t != "" {
				d.add(c, "New step %s (%s): %s", newStep.ID, c.New, t)
			} else {
				d.add(c, "New step %s (%s)", newStep.ID, c.New)
			}
			continue
		}
		d.step(oldStep, newStep)
	}
	for _, oldStep := range d.old.Steps {
		if oldStep.ID == "" || d.new.Step(oldStep.ID) != nil {
			continue
		}
		c := Change{Area: AreaStep, Subject: "step " + oldStep.ID, Code: "step", Kind: ChangeRemoved, Old: stepPhrase(d.old, oldStep)}
		if t := flat(oldStep.Title); t != "" {
			d.add(c, "Removed step %s (%s): %s", oldStep.ID, c.Old, t)
		} else {
			d.add(c, "Removed step %s (%s)", oldStep.ID, c.Old)
		}
	}
}

func (d *differ) step(o, n *Step) {
	id := n.ID
	base := Change{Area: AreaStep, Subject: "step " + id}
	change := func(code, kind, detail, old, new string) Change {
		c := base
		c.Code, c.Kind, c.Detail, c.Old, c.New = code, kind, detail, old, new
		return c
	}

	if o.Kind != n.Kind || o.Subject.Value != n.Subject.Value {
		code := "step-kind"
		if o.Kind == n.Kind {
			code = "step-subject"
		}
		op, np := stepPhrase(d.old, o), stepPhrase(d.new, n)
		d.add(change(code, ChangeChanged, "", op, np), "Step %s: now %s (was %s)", id, np, op)
	}

	// Edges: each branch value, otherwise and next.
	when := func(s *Step, value string) string {
		if s.Kind == StepCheck {
			return fmt.Sprintf("when %s is %s", s.Subject.Value, value)
		}
		return "on " + value
	}
	oldOn := map[string]string{}
	for _, b := range o.On {
		oldOn[b.Value] = b.Target.Value
	}
	newOn := map[string]string{}
	for _, b := range n.On {
		newOn[b.Value] = b.Target.Value
		ot, had := oldOn[b.Value]
		switch {
		case !had:
			d.add(change("step-branch", ChangeAdded, b.Value, "", b.Target.Value),
				"Step %s: %s, go to %s (new branch)", id, when(n, b.Value), b.Target.Value)
		case ot != b.Target.Value:
			d.add(change("step-branch", ChangeChanged, b.Value, ot, b.Target.Value),
				"Step %s: %s, go to %s (was %s)", id, when(n, b.Value), b.Target.Value, ot)
		}
	}
	for _, b := range o.On {
		if _, has := newOn[b.Value]; !has {
			d.add(change("step-branch", ChangeRemoved, b.Value, b.Target.Value, ""),
				"Step %s: no branch %s any more (it went to %s)", id, when(o, b.Value), b.Target.Value)
		}
	}
	edge := func(code, label, name, old, new string) {
		switch {
		case old == new:
		case old == "":
			d.add(change(code, ChangeAdded, "", "", new), "Step %s: %s go to %s (new)", id, label, new)
		case new == "":
			d.add(change(code, ChangeRemoved, "", old, ""), "Step %s: no %s any more (it went to %s)", id, name, old)
		default:
			d.add(change(code, ChangeChanged, "", old, new), "Step %s: %s go to %s (was %s)", id, label, new, old)
		}
	}
	edge("step-otherwise", "otherwise,", "otherwise branch", o.Otherwise.Value, n.Otherwise.Value)
	edge("step-next", "then", "next step", o.Next.Value, n.Next.Value)

	if ot, nt := flat(o.Title), flat(n.Title); ot != nt {
		d.add(change("step-title", kindOf(ot, nt), "", ot, nt), "Step %s, title: now %s%s", id, quoted(nt), was(quoted(ot)))
	}
	if on, nn := flat(o.Note), flat(n.Note); on != nn {
		d.add(change("step-note", kindOf(on, nn), "", on, nn), "Step %s, note: now %s", id, quoted(nn))
	}
	for _, ref := range []struct {
		code, label string
		old, new    []Text
	}{
		{"step-ui", "UI reference", o.UI, n.UI},
		{"step-doc", "doc reference", o.Doc, n.Doc},
		{"step-setting", "setting reference", o.Setting, n.Setting},
	} {
		added, removed := setDiff(values(ref.old), values(ref.new))
		for _, r := range added {
			d.add(change(ref.code, ChangeAdded, "", "", r), "New %s %s on step %s", ref.label, r, id)
		}
		for _, r := range removed {
			d.add(change(ref.code, ChangeRemoved, "", r, ""), "Removed %s %s from step %s", ref.label, r, id)
		}
	}
	added, removed := setDiff(values(o.Needs), values(n.Needs))
	for _, c := range added {
		d.add(change("step-needs", ChangeAdded, "", "", c), "Step %s now escalates for capability %s", id, c)
	}
	for _, c := range removed {
		d.add(change("step-needs", ChangeRemoved, "", c, ""), "Step %s no longer escalates for capability %s", id, c)
	}
	if o.Visibility != n.Visibility {
		d.add(change("step-visibility", ChangeChanged, "", o.Visibility, n.Visibility),
			"Step %s: visibility now %s (was %s)", id, n.Visibility, o.Visibility)
	}
}

// partNames are the parts of a reply, in the order the format lists them.
var partNames = []string{"summary", "cause", "fix"}

func (p Parts) get(name string) string {
	switch name {
	case "summary":
		return p.Summary
	case "cause":
		return p.Cause
	}
	return p.Fix
}

// overrides reports whether the reply gives the audience its own part.
func (r *Reply) overrides(audience, part string) bool {
	for _, a := range r.Audiences {
		if a.Name == audience && a.Parts.get(part) != "" {
			return true
		}
	}
	return false
}

func (d *differ) replies() {
	audiences, _ := setDiff(nil, append(d.new.Audiences(), d.old.Audiences()...))
	for _, nr := range d.new.Replies {
		base := Change{Area: AreaReply, Subject: "reply " + nr.Name}
		or := d.old.Reply(nr.Name)
		if or == nil {
			c := base
			c.Code, c.Kind, c.New = "reply", ChangeAdded, flat(nr.Default.Summary)
			d.add(c, "New reply %s: %s", nr.Name, quoted(c.New))
			continue
		}
		for _, part := range partNames {
			// The default part, then each audience whose own text changed:
			// an audience that takes the default in both versions changes
			// with the default and is not listed again.
			o, n := flat(or.Default.get(part)), flat(nr.Default.get(part))
			if o != n {
				c := base
				c.Code, c.Kind, c.Detail, c.Old, c.New = "reply-"+part, kindOf(o, n), part, o, n
				d.add(c, "Reply %s, %s: now %s", nr.Name, part, quoted(n))
			}
			for _, a := range audiences {
				if !or.overrides(a, part) && !nr.overrides(a, part) {
					continue
				}
				o, n := flat(or.For(a).get(part)), flat(nr.For(a).get(part))
				if o == n {
					continue
				}
				c := base
				c.Code, c.Kind, c.Detail, c.Old, c.New = "reply-"+part, kindOf(o, n), part+" for "+a, o, n
				d.add(c, "Reply %s, %s for %s: now %s", nr.Name, part, a, quoted(n))
			}
		}
		added, removed := setDiff(values(or.Docs), values(nr.Docs))
		for _, doc := range added {
			c := base
			c.Code, c.Kind, c.New = "reply-doc", ChangeAdded, doc
			d.add(c, "Reply %s may now link %s", nr.Name, doc)
		}
		for _, doc := range removed {
			c := base
			c.Code, c.Kind, c.Old = "reply-doc", ChangeRemoved, doc
			d.add(c, "Reply %s no longer links %s", nr.Name, doc)
		}
		if or.Visibility != nr.Visibility {
			c := base
			c.Code, c.Kind, c.Old, c.New = "reply-visibility", ChangeChanged, or.Visibility, nr.Visibility
			d.add(c, "Reply %s: visibility now %s (was %s)", nr.Name, nr.Visibility, or.Visibility)
		}
	}
	for _, or := range d.old.Replies {
		if d.new.Reply(or.Name) == nil {
			c := Change{Area: AreaReply, Subject: "reply " + or.Name, Code: "reply", Kind: ChangeRemoved, Old: flat(or.Default.Summary)}
			d.add(c, "Removed reply %s", or.Name)
		}
	}
}

// rangeVersion matches the versions written in an applies_to range.
var rangeVersion = regexp.MustCompile(`[0-9]+(?:\.(?:[0-9]+|[xX*])){0,2}`)

// AppliesFrom reports whether the playbook is valid for product version v
// or some later one. It tries v and, after v, each version the range names
// and the versions just after it: a range is a union of intervals, each
// starting at a version it names, so one of these lies in it if any later
// version does.
func (p *Playbook) AppliesFrom(v *semver.Version) bool {
	if p.appliesTo == nil {
		return false
	}
	if p.appliesTo.Check(v) {
		return true
	}
	wild := strings.NewReplacer("x", "0", "X", "0", "*", "0")
	for _, m := range rangeVersion.FindAllString(p.AppliesTo, -1) {
		w, err := semver.NewVersion(wild.Replace(m))
		if err != nil {
			continue
		}
		for _, c := range []semver.Version{*w, w.IncPatch(), w.IncMinor(), w.IncMajor()} {
			if !c.LessThan(v) && p.appliesTo.Check(&c) {
				return true
			}
		}
	}
	return false
}

// A Briefing is what changed in a library's playbooks since a product
// version: what an agent who knew the playbooks of that version must learn.
type Briefing struct {
	Since     string          `json:"since"`
	Product   string          `json:"product,omitempty"`
	Changed   []*Delta        `json:"changed"`
	New       []BriefingEntry `json:"new"`
	Retired   []BriefingEntry `json:"retired"`
	Unchanged []BriefingEntry `json:"unchanged"`
}

// A BriefingEntry names one version of a playbook.
type BriefingEntry struct {
	ID        string `json:"id"`
	Version   string `json:"version"`
	Title     string `json:"title"`
	AppliesTo string `json:"applies_to"`
	File      string `json:"file"`
}

func entryOf(p *Playbook) BriefingEntry {
	return BriefingEntry{ID: p.ID, Version: p.Version, Title: p.Title, AppliesTo: p.AppliesTo, File: p.File}
}

// Then returns the newest version of the playbook with the id that applies
// at product version v, or nil.
func (l *Library) Then(id string, v *semver.Version) *Playbook {
	var best *Playbook
	for _, p := range l.Playbooks {
		if p.ID == id && p.Applies(v) && (best == nil || newer(p, best)) {
			best = p
		}
	}
	return best
}

// ChangesSince briefs on the library's playbooks of product (every product
// if "") since product version since. For each id it compares the newest
// version that applied at since with the newest version now:
//
//   - changed: they differ in meaning (Diff);
//   - unchanged: the same version, or versions alike in meaning;
//   - new: no version applied at since, and the newest applies at or after it;
//   - retired: a version applied at since, but the newest applies neither at
//     since nor at any later version (its applies_to ends before since).
//
// Ids whose every version ended before since are left out.
func ChangesSince(l *Library, product string, since *semver.Version) *Briefing {
	b := &Briefing{Since: since.Original(), Product: product,
		Changed: []*Delta{}, New: []BriefingEntry{}, Retired: []BriefingEntry{}, Unchanged: []BriefingEntry{}}
	lib := l
	if product != "" {
		lib = &Library{}
		for _, p := range l.Playbooks {
			if p.Product == product {
				lib.Playbooks = append(lib.Playbooks, p)
			}
		}
	}
	for _, id := range lib.IDs() {
		then, now := lib.Then(id, since), lib.Find(id)
		live := now.AppliesFrom(since)
		switch {
		case then == nil && live:
			b.New = append(b.New, entryOf(now))
		case then == nil:
		case !live:
			b.Retired = append(b.Retired, entryOf(now))
		case then == now:
			b.Unchanged = append(b.Unchanged, entryOf(now))
		default:
			if delta := Diff(then, now); len(delta.Changes) > 0 {
				b.Changed = append(b.Changed, delta)
			} else {
				b.Unchanged = append(b.Unchanged, entryOf(now))
			}
		}
	}
	return b
}

// orText names a fact type, "" being text.
func orText(t string) string {
	if t == "" {
		return "text"
	}
	return t
}
