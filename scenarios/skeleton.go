package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
)

// A SkeletonSpec is what a trainer says about a new scenario.
type SkeletonSpec struct {
	ID          string
	Title       string
	Channel     string
	Opening     string
	PersonaName string
	PersonaRole string
	Tone        string
	Truth       map[string]string // fact → value; others get a placeholder
	Stated      []string
	SchemaPath  string
}

// DefaultTruth is the value a skeleton gives a fact nobody chose: the
// first declared value, or a placeholder to replace.
func DefaultTruth(f *playbooks.Fact) string {
	if len(f.Values) > 0 {
		return f.Values[0].Value
	}
	return "TODO"
}

// Skeleton writes a starter scenario for a playbook: every fact under
// truth with its legal values in a comment, so it lints clean as written.
func Skeleton(p *playbooks.Playbook, s SkeletonSpec) string {
	q := strconv.Quote
	var b strings.Builder
	if s.SchemaPath != "" {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n#\n", s.SchemaPath)
	}
	fmt.Fprintf(&b, `# %s
#
# Written by casebook new scenario for playbook %s %s. Check the truth
# against the real case, add the traps real agents fell into, then record the
# real handling with casebook new recording --scenario %s. The format:
# docs/scenario.md.
casebook: scenario/v1
id: %s
title: %s
playbook: %s@^%d
channel: %s                     # chat or email: sets the simulated clock
ticket:
  opening: %s
`, oneLine(s.Title), p.ID, p.Version, s.ID, s.ID, q(s.Title), p.ID, majorOf(p), s.Channel, q(oneLine(s.Opening)))
	var meta []*playbooks.Fact
	for _, f := range p.Facts {
		if f.TicketField() != "" {
			meta = append(meta, f)
		}
	}
	if len(meta) > 0 {
		b.WriteString("  metadata:                       # what the ticket shows: ticket.FIELD facts\n")
		for _, f := range meta {
			fmt.Fprintf(&b, "    %s: %s\n", f.TicketField(), q(truthOf(f, s)))
		}
	}
	b.WriteString("persona:\n")
	fmt.Fprintf(&b, "  name: %s\n", q(orDefault(s.PersonaName, "Customer")))
	if s.PersonaRole != "" {
		fmt.Fprintf(&b, "  role: %s                   # the audience replies are written for\n", s.PersonaRole)
	}
	fmt.Fprintf(&b, "  tone: %s                 # patient, terse or annoyed\n", orDefault(s.Tone, "patient"))
	b.WriteString("truth:                            # the hidden facts of the case\n")
	for _, f := range p.Facts {
		if f.TicketField() != "" {
			fmt.Fprintf(&b, "  # %s: given by ticket.metadata.%s above\n", f.Name, f.TicketField())
			continue
		}
		if f.IsRule() {
			fmt.Fprintf(&b, "  # %s: fixed by a product rule\n", f.Name)
			continue
		}
		comment := "free text"
		if len(f.Values) > 0 {
			comment = "one of: " + strings.Join(f.ValueNames(), ", ")
		}
		fmt.Fprintf(&b, "  %s: %s   # %s (%s)\n", f.Name, q(truthOf(f, s)), comment, f.Source)
	}
	fmt.Fprintf(&b, "stated: [%s]   # facts the opening already gives\n", strings.Join(s.Stated, ", "))
	b.WriteString(`traps: []
# Wrong moves seen in real handling, each with what the customer says back:
# traps:
#   - id: resend-setup-guide
#     label: Send the set-up steps again
#     answer: I did all of that already; it is in my first message.
#     cost: 15m
#     findings: [context-ignored]
`)
	return b.String()
}

func truthOf(f *playbooks.Fact, s SkeletonSpec) string {
	if v, ok := s.Truth[f.Name]; ok {
		return v
	}
	return DefaultTruth(f)
}

func majorOf(p *playbooks.Playbook) uint64 {
	if v := p.SemVersion(); v != nil {
		return v.Major()
	}
	return 0
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// A RecordedStep is one move of a recording being written.
type RecordedStep struct {
	At   time.Time
	Move string
}

// WithRecording returns the scenario file with its recording set to moves,
// by the tier. The rest of the file (comments, key order) is kept: an
// existing recording block is replaced in place, else one is appended.
func WithRecording(s *Scenario, doc *playbooks.Document, tier playbooks.TierName, moves []RecordedStep) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "recording:\n  tier: %s\n  moves:\n", tier)
	for _, m := range moves {
		fmt.Fprintf(&b, "    - {at: %s, move: %s}\n", strconv.Quote(m.At.UTC().Format(time.RFC3339)), strconv.Quote(m.Move))
	}
	block := b.String()
	src := string(s.Src)
	root := doc.Root
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "recording" {
			continue
		}
		lines := strings.SplitAfter(src, "\n")
		start := root.Content[i].Line - 1
		end := len(lines)
		if i+2 < len(root.Content) {
			end = root.Content[i+2].Line - 1
			// Comments just above the next key belong to it.
			for end-1 > start && strings.HasPrefix(strings.TrimSpace(lines[end-1]), "#") {
				end--
			}
		}
		if root.Content[i].Column != 1 {
			return nil, fmt.Errorf("the recording key is not at the start of its line; edit the file by hand")
		}
		return []byte(strings.Join(lines[:start], "") + block + strings.Join(lines[end:], "")), nil
	}
	if !strings.HasSuffix(src, "\n") && src != "" {
		src += "\n"
	}
	return []byte(src + block), nil
}
