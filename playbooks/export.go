package playbooks

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ExportMarkdown renders the customer-visible part of a playbook as a help
// article in Markdown: the customer-visible check and action steps as a
// checklist in graph order from the start step, then one section per
// customer-visible reply reached from it, with the parts for audience ("" for
// the default parts), and a footer naming the playbook and version it was
// generated from.
//
// Nothing internal is written: no internal step or reply, no note, no fact
// question, no tier, capability, setting or step id. Every text taken from
// the file is escaped, so it cannot add Markdown or HTML of its own; doc
// references become links only when they are http(s) URLs, else code spans.
// The output depends only on the playbook and the audience.
func ExportMarkdown(p *Playbook, audience string) string {
	steps, replies := exportContent(p)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", exportText(p, p.Title))
	switch {
	case len(steps) > 0 && len(replies) > 0:
		b.WriteString("Most of these cases are settled by a few checks you can make yourself. Work through them first; the sections after them say what a result means and what to do about it.\n\n")
	case len(steps) > 0:
		b.WriteString("Most of these cases are settled by a few checks you can make yourself. Work through them before you contact support.\n\n")
	case len(replies) > 0:
		b.WriteString("The sections below say what usually causes this and what to do about it.\n\n")
	default:
		b.WriteString("There is nothing to check yourself for this case: contact support and we will look into it.\n\n")
	}

	if len(steps) > 0 {
		b.WriteString("## Before you contact support\n\nCheck these first:\n\n")
		for i, s := range steps {
			marker := fmt.Sprintf("%d. ", i+1)
			indent := strings.Repeat(" ", len(marker))
			fmt.Fprintf(&b, "%s%s\n", marker, exportText(p, stepTitle(p, s)))
			if docs := docRefs(s.Doc); docs != "" {
				fmt.Fprintf(&b, "%s- Read: %s\n", indent, docs)
			}
			var where []string
			for _, ui := range s.UI {
				if c := codeSpan(ui.Value); c != "" {
					where = append(where, c)
				}
			}
			if len(where) > 0 {
				fmt.Fprintf(&b, "%s- Where: %s\n", indent, strings.Join(where, ", "))
			}
		}
		b.WriteString("\n")
	}

	if len(replies) > 0 {
		b.WriteString("## What the result means\n\n")
		for _, r := range replies {
			parts := r.For(audience)
			fmt.Fprintf(&b, "### If %s\n\n", exportText(p, ifClause(parts.Summary)))
			if parts.Cause != "" {
				fmt.Fprintf(&b, "**Why:** %s\n\n", exportText(p, parts.Cause))
			}
			if parts.Fix != "" {
				fmt.Fprintf(&b, "**What to do:** %s\n\n", exportText(p, parts.Fix))
			}
			if docs := docRefs(r.Docs); docs != "" {
				fmt.Fprintf(&b, "**Read more:** %s\n\n", docs)
			}
		}
	}

	b.WriteString("---\n\n")
	footer := fmt.Sprintf("version %s (reviewed for %s)", p.Version, p.ReviewedFor)
	if audience != "" {
		footer += fmt.Sprintf(" for the %s audience", audience)
	}
	fmt.Fprintf(&b, "Generated from playbook %s %s. Change the playbook, not this article.\n", codeSpan(p.ID), markdownText(strings.Join(strings.Fields(footer), " ")))
	return b.String()
}

// exportContent walks the graph breadth-first from the start step, each
// step once, and returns the customer-visible check and action steps that
// have something to show, and the customer-visible replies, in the order they
// are reached. Breadth-first puts the replies in the order of the checks
// that lead to them.
func exportContent(p *Playbook) ([]*Step, []*Reply) {
	var steps []*Step
	var replies []*Reply
	start := p.StartStep()
	if start == nil {
		return nil, nil
	}
	seen := map[*Step]bool{start: true}
	seenReply := map[*Reply]bool{}
	queue := []*Step{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		switch s.Kind {
		case StepCheck, StepAction:
			// Escalations name tiers and outcomes are labels: neither is
			// something a customer checks.
			if s.Visibility == Customer && stepTitle(p, s) != "" {
				steps = append(steps, s)
			}
		case StepReply:
			// A reply step is internal by default, like every step; what
			// counts is the template's visibility.
			if r := p.Reply(s.Subject.Value); r != nil && r.Visibility == Customer && !seenReply[r] {
				seenReply[r] = true
				replies = append(replies, r)
			}
		}
		// What follows an escalation or an action only support can make is
		// support's work, not something the reader can do: the article stops
		// there (a reply like "we turned it on" is no help-center answer).
		if s.Kind == StepEscalate || (s.Kind == StepAction && s.Visibility != Customer) {
			continue
		}
		for _, e := range s.Targets() {
			if t := p.Step(e.Target.Value); t != nil && !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	return steps, replies
}

// stepTitle is what the checklist shows for a step: its title, else the
// title of the fact it checks. Never the id, the note or the question.
func stepTitle(p *Playbook, s *Step) string {
	if t := strings.TrimSpace(s.Title); t != "" {
		return t
	}
	if s.Kind == StepCheck {
		if f := p.Fact(s.Subject.Value); f != nil {
			return strings.TrimSpace(f.Title)
		}
	}
	return ""
}

// ifClause turns a reply summary into the rest of an "If ..." heading: the
// first word is lower-cased when it is an ordinary capitalised word ("The"
// or "A", not "HTTPS" or "I"), and a final full stop is dropped.
func ifClause(summary string) string {
	s := strings.Join(strings.Fields(summary), " ")
	s = strings.TrimSuffix(s, ".")
	word, _, _ := strings.Cut(s, " ")
	r, size := utf8.DecodeRuneInString(word)
	if size == 0 || !unicode.IsUpper(r) || (len(word) == size && r != 'A') {
		return s
	}
	for _, c := range word[size:] {
		if !unicode.IsLower(c) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// exportText escapes a text from the playbook for Markdown, with its
// whitespace folded to single spaces and each {fact} placeholder shown as
// the fact's title in brackets: an article has no verified values to fill in.
func exportText(p *Playbook, s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(markdownText(s[last:m[0]]))
		name := s[m[2]:m[3]]
		label := strings.ReplaceAll(name, "_", " ")
		if f := p.Fact(name); f != nil && strings.TrimSpace(f.Title) != "" {
			label = f.Title
		}
		b.WriteString(`\[` + markdownText(label) + `\]`)
		last = m[1]
	}
	b.WriteString(markdownText(s[last:]))
	return b.String()
}

// markdownText escapes text so that Markdown shows it as written: the
// characters with an inline meaning in CommonMark, GitHub-flavoured Markdown
// and the common extensions (math, kramdown attributes) are backslash-escaped,
// <, > and & become entities so no HTML tag, comment or entity can form, and
// a leading "-", "+", "=" or "1." cannot start a list or heading inside the
// line it is put in. Runs of whitespace (line breaks too) become one space,
// so the text stays on its line; control and bidirectional-override
// characters are dropped.
func markdownText(s string) string {
	var b strings.Builder
	space := false
	first, lead := true, false // at the first rune; in a leading run of digits
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			lead = false
			continue
		}
		if dropRune(r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case strings.ContainsRune("\\`*_[]{}#|~$^", r),
			first && strings.ContainsRune("-+=", r),
			lead && (r == '.' || r == ')'):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		lead = (first || lead) && r >= '0' && r <= '9'
		first = false
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// codeSpan shows text as inline code. The fence is one backtick longer than
// the longest run of backticks in the text, and padded with a space when the
// text starts or ends with a backtick, as CommonMark requires.
func codeSpan(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case !dropRune(r):
			b.WriteRune(r)
		}
	}
	s = strings.TrimSpace(b.String())
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// dropRune reports whether a rune is left out of exported text: control
// characters and the invisible ones that reorder text (bidi overrides).
func dropRune(r rune) bool {
	switch {
	case r == utf8.RuneError, unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// docRefs shows doc references: http(s) URLs as links, anything else (a doc
// path such as docs/link-branding/ssl) as code, never guessing a base URL.
func docRefs(docs []Text) string {
	var out []string
	for _, d := range docs {
		if ref := docRef(d.Value); ref != "" {
			out = append(out, ref)
		}
	}
	return strings.Join(out, ", ")
}

func docRef(s string) string {
	s = strings.TrimSpace(s)
	if u, ok := webURL(s); ok {
		return "[" + markdownText(s) + "](" + u + ")"
	}
	return codeSpan(s)
}

// webURL returns an absolute http or https URL in a form safe as a Markdown
// link destination, and whether s is one.
func webURL(s string) (string, bool) {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || dropRune(r) || unicode.IsSpace(r) {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", false
	}
	// Percent-encode what could end the destination or be read as markup.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || strings.IndexByte("<>()[]\\`\"'{}|^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
