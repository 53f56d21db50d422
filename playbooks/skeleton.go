package playbooks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A SkeletonSpec is what a trainer says about a new playbook.
type SkeletonSpec struct {
	ID          string
	Title       string
	Product     string
	AppliesTo   string
	ReviewedFor string
	Owner       string
	Intents     []string
	Tiers       []TierSpec
	SchemaPath  string // for the yaml-language-server line
}

// A TierSpec is a tier and its capabilities.
type TierSpec struct {
	Name         string
	Capabilities []string
}

var firstVersion = regexp.MustCompile(`\d+(\.\d+)*`)

// DefaultReviewedFor is the lowest version a range names, a sensible first
// reviewed_for ("1.0" when the range names none).
func DefaultReviewedFor(appliesTo string) string {
	if v := firstVersion.FindString(appliesTo); v != "" {
		return v
	}
	return "1.0"
}

// ParseTierSpec reads NAME=cap1,cap2.
func ParseTierSpec(s string) (TierSpec, error) {
	name, caps, _ := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !validName(name) {
		return TierSpec{}, fmt.Errorf("tier %q: write NAME=capability,capability (e.g. L1=reply,escalate)", s)
	}
	t := TierSpec{Name: name}
	for _, c := range strings.Split(caps, ",") {
		if c = strings.TrimSpace(c); c != "" {
			t.Capabilities = append(t.Capabilities, c)
		}
	}
	return t, nil
}

// Skeleton writes a commented starter playbook from the spec. It lints
// clean as written: one example fact, check, reply and outcome that the
// trainer replaces with the case's own.
func Skeleton(s SkeletonSpec) string {
	q := strconv.Quote
	var b strings.Builder
	if s.SchemaPath != "" {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n#\n", s.SchemaPath)
	}
	fmt.Fprintf(&b, `# %s
#
# Written by casebook new playbook. Replace the example fact, steps and reply
# below with the case's own; casebook lint checks the file, casebook show
# draws the graph. The format: docs/format.md.
casebook: playbook/v1
id: %s
version: 1.0.0          # semver of the playbook; casebook release review bumps it
title: %s
product: %s
applies_to: %s   # product versions it is valid for (quoted: > starts a block scalar)
reviewed_for: %s   # the last product release you checked it against
owner: %s
intents: [%s]

facts:
  # Each fact says where its answer comes from: customer (ask), admin (look it
  # up), probe (test it), dns, or ticket.FIELD (known from the ticket, never
  # asked). Ask the customer only what nobody else can tell.
  example_fact:
    source: customer
    title: Example fact
    ask: Replace with the question this case turns on.
    values: [yes, no]

tiers:
  # Lowest tier first. An action step needs a capability; an agent whose tier
  # lacks it hands off at once to the first tier that holds it.
`, oneLine(s.Title), s.ID, q(s.Title), q(s.Product), q(s.AppliesTo), q(s.ReviewedFor), q(s.Owner), strings.Join(s.Intents, ", "))
	for _, t := range s.Tiers {
		fmt.Fprintf(&b, "  %s: [%s]\n", t.Name, strings.Join(t.Capabilities, ", "))
	}
	b.WriteString(`
steps:
  # The first step is where every case starts (or name one with start:).
  # Kinds: check (branch on a fact), action (needs a capability), reply (a
  # template below), escalate (hand off to a tier), outcome (the case ends).
  - id: check-example
    title: Check the example fact
    check: example_fact
    on: {yes: reply-example, no: reply-example}

  # An action only a higher tier holds would look like this:
  # - id: make-the-change
  #   title: Turn the setting on for the account
  #   action: some_capability
  #   ui: admin/path/to/the/setting
  #   next: reply-example

  - id: reply-example
    reply: example
    next: resolved

  - id: resolved
    outcome: resolved

replies:
  # Three parts for every reply; override any part per audience under
  # audiences: (marketer, developer, ...). Link only canonical docs.
  example:
    summary: Replace with one line saying what happened.
    cause: Replace with why it happened.
    fix: Replace with what changed, or what the customer does next.
`)
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
