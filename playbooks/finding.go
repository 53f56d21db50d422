package playbooks

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// Pos is a 1-based line and column in a file.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

// Severity of a finding.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// A RuleID names a lint or gate rule ("unknown-key", "release-stale-review").
type RuleID string

// A Finding is one problem found in a file, with its position and the rule
// that found it. Findings are values; the command decides how to show them.
type Finding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Rule     RuleID `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	// More, on the last finding kept of a rule in a file, counts the
	// findings of the rule left out there (MaxFindingsPerRule).
	More int `json:"more,omitempty"`
}

// MaxFindingsPerRule is how many findings of one rule a file reports; the
// rest are counted in one summary finding, "... and N more like this".
const MaxFindingsPerRule = 100

// moreMessage is the message of a summary finding.
func moreMessage(n int) string {
	return "... and " + strconv.Itoa(n) + " more like this"
}

// CapFindings sorts findings and keeps, of each rule in each file, the
// first MaxFindingsPerRule; the rest become one summary finding at the
// place of the first left out, whose More counts them. Summaries already
// made (by a collector, or an earlier CapFindings) are merged in.
func CapFindings(fs []Finding) []Finding {
	SortFindings(fs)
	type key struct {
		file string
		rule RuleID
	}
	kept := map[key]int{}
	summary := map[key]int{} // index in out
	out := fs[:0]
	for _, f := range fs {
		k := key{f.File, f.Rule}
		if f.More == 0 && kept[k] < MaxFindingsPerRule {
			kept[k]++
			out = append(out, f)
			continue
		}
		n := f.More
		if n == 0 {
			n = 1 // a finding beyond the cap
		}
		if i, ok := summary[k]; ok {
			out[i].More += n
			if f.Severity != SeverityWarning {
				out[i].Severity = SeverityError
			}
			out[i].Message = moreMessage(out[i].More)
			continue
		}
		f.More, f.Message = n, moreMessage(n)
		summary[k] = len(out)
		out = append(out, f)
	}
	return out
}

// Total counts the findings, including those a summary stands for.
func Total(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.More > 0 {
			n += f.More // a summary stands for the findings it counts
		} else {
			n++
		}
	}
	return n
}

// A findingCap bounds what one collector of findings keeps, so that a
// hostile file cannot make millions of them: beyond MaxFindingsPerRule of a
// rule, a finding is only counted, in one summary, and never formatted.
type findingCap struct {
	n       map[RuleID]int
	summary map[RuleID]int // index of the rule's summary finding
}

// full reports whether findings of the rule are only counted from now on.
func (c *findingCap) full(rule RuleID) bool { return c.n[rule] >= MaxFindingsPerRule }

// add appends an error finding to fs, or counts it once its rule is full.
func (c *findingCap) add(fs []Finding, file string, pos Pos, rule RuleID, format string, args ...any) []Finding {
	return c.addAs(SeverityError, fs, file, pos, rule, format, args...)
}

// addAs is add with the finding's severity.
func (c *findingCap) addAs(severity string, fs []Finding, file string, pos Pos, rule RuleID, format string, args ...any) []Finding {
	if c.n == nil {
		c.n = map[RuleID]int{}
	}
	c.n[rule]++
	if c.n[rule] <= MaxFindingsPerRule {
		f := ErrorAt(file, pos, rule, format, args...)
		f.Severity = severity
		return append(fs, f)
	}
	if i, ok := c.summary[rule]; ok {
		fs[i].More++
		fs[i].Message = moreMessage(fs[i].More)
		if severity != SeverityWarning {
			fs[i].Severity = SeverityError
		}
		return fs
	}
	if c.summary == nil {
		c.summary = map[RuleID]int{}
	}
	c.summary[rule] = len(fs)
	return append(fs, Finding{File: file, Line: pos.Line, Col: pos.Col, Rule: rule, Severity: severity, More: 1, Message: moreMessage(1)})
}

// ErrorAt is an error finding at pos in file, its message formatted.
func ErrorAt(file string, pos Pos, rule RuleID, format string, args ...any) Finding {
	return Finding{File: file, Line: pos.Line, Col: pos.Col, Rule: rule, Severity: SeverityError, Message: fmt.Sprintf(format, args...)}
}

// String formats the finding the way compilers and linters do:
// file:line:col: message [rule]. It is one line whatever the file held:
// control characters in the file name and message are spelt out
// (EscapeControls), so a value cannot forge a finding or steer a terminal.
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s [%s]", EscapeControls(f.File), f.Line, f.Col, EscapeControls(f.Message), EscapeControls(string(f.Rule)))
}

// Text is String with "warning: " before the message of a warning.
func (f Finding) Text() string {
	if f.Severity == SeverityWarning {
		f.Message = "warning: " + f.Message
	}
	return f.String()
}

// SortFindings orders findings by file, line, column, rule and message.
func SortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// HasErrors reports whether any finding is an error (not a warning).
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity != SeverityWarning {
			return true
		}
	}
	return false
}

// A Rule is one check the loader or validator makes, with a stable id.
type Rule struct {
	ID          RuleID `json:"id"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
}

// Rule ids. They are stable: scripts and editors match on them.
const (
	RuleSyntax         = "yaml-syntax"
	RuleTooLarge       = "file-too-large"
	RuleOutsideLibrary = "outside-library"
	RuleUnreadable     = "unreadable"
	RuleAliasLimit     = "alias-limit"
	RuleBadKind        = "bad-kind"
	RuleUnknownKey     = "unknown-key"
	RuleDuplicateKey   = "duplicate-key"
	RuleWrongType      = "wrong-type"
	RuleMissingKey     = "missing-key"
	RuleBadID          = "bad-id"
	RuleBadVersion     = "bad-version"
	RuleBadRange       = "bad-range"
	RuleBadValue       = "bad-value"
	RuleControlChar    = "control-character"
	RuleStepKind       = "step-kind"
	RuleMisplacedKey   = "misplaced-key"
	RuleDuplicateID    = "duplicate-id"
	RuleDangling       = "dangling-target"
	RuleUnreachable    = "unreachable-step"
	RuleDeadEnd        = "dead-end"
	RuleCycle          = "cycle-no-exit"
	RuleUnknownFact    = "unknown-fact"
	RuleMissingBranch  = "missing-branch"
	RuleUnknownBranch  = "unknown-branch"
	RuleNoSource       = "fact-no-source"
	RuleBadSource      = "bad-source"
	RuleUnheld         = "capability-unheld"
	RuleUnknownReply   = "unknown-reply"
	RuleReplyPart      = "reply-missing-part"
	RulePlaceholder    = "unknown-placeholder"
	RuleUnknownTier    = "unknown-tier"
	RuleEscalation     = "escalation-lacks-capability"
	RuleUnchecked      = "placeholder-unchecked"
	RuleOverlap        = "overlapping-ranges"
	RuleRuleFact       = "rule-fact"
)

// Rules lists every playbook rule with a one-line description.
var Rules = []Rule{
	{RuleSyntax, "file", "the file is not valid YAML"},
	{RuleTooLarge, "file", "the file is larger than the size limit (--max-file-size)"},
	{RuleOutsideLibrary, "file", "a file or directory of the library links outside it, or is not a regular file (a FIFO, a device)"},
	{RuleUnreadable, "file", "a file or directory of the library cannot be read (permissions, ...); the rest is still loaded"},
	{RuleAliasLimit, "file", "YAML aliases expand beyond the allowed number of nodes"},
	{RuleBadKind, "file", "the first key is not `casebook: KIND/v1` for a known kind"},
	{RuleUnknownKey, "schema", "a key the format does not define (often a typo)"},
	{RuleDuplicateKey, "schema", "the same key twice in one mapping"},
	{RuleWrongType, "schema", "a value of the wrong type (a list where a string belongs, a number or boolean where text belongs, ...)"},
	{RuleMissingKey, "schema", "a required key is missing"},
	{RuleBadID, "schema", "an id that is not lower-case letters, digits and dashes"},
	{RuleBadVersion, "schema", "a version that is not semver (MAJOR.MINOR.PATCH for the playbook itself)"},
	{RuleBadRange, "schema", "a version range that does not parse (quote ranges starting with >)"},
	{RuleBadValue, "schema", "a value outside the allowed set (visibility, ...)"},
	{RuleControlChar, "schema", "a control character in a value, or a line break in a one-line value (id, title, label, reference, key)"},
	{RuleStepKind, "graph", "a step without exactly one of check, action, reply, escalate, outcome"},
	{RuleMisplacedKey, "graph", "a key that does not belong to the step's kind (on: on an action, ...)"},
	{RuleDuplicateID, "graph", "two steps, or two playbooks of the same version, share an id"},
	{RuleDangling, "graph", "a step target (next, on, otherwise, start) names no step"},
	{RuleUnreachable, "graph", "a step no path from the start reaches"},
	{RuleDeadEnd, "graph", "a step that is not an outcome but has nowhere to go"},
	{RuleCycle, "graph", "steps that form a cycle with no way out to an outcome"},
	{RuleUnknownFact, "graph", "a check of a fact the playbook does not declare"},
	{RuleMissingBranch, "graph", "a check with no branch for one of the fact's declared values"},
	{RuleUnknownBranch, "graph", "a check branch on a value the fact does not declare"},
	{RuleOverlap, "graph", "two version-range branches of a check that share a version"},
	{RuleNoSource, "facts", "a fact that does not say where its answer comes from"},
	{RuleBadSource, "facts", "a fact source that is not customer, admin, probe, dns, rule or ticket.FIELD"},
	{RuleRuleFact, "facts", "a rule fact (source: rule) without a value or a from with a map, with both, derived in a circle, or whose map misses a value of its input"},
	{RuleUnheld, "tiers", "an action, or a fact's needs, naming a capability that no tier holds (or that no tier holds together)"},
	{RuleUnknownTier, "tiers", "an escalation to a tier the playbook does not declare"},
	{RuleEscalation, "tiers", "an escalation to a tier that lacks the capability the case needs next"},
	{RuleUnknownReply, "replies", "a reply step naming a template that does not exist"},
	{RuleReplyPart, "replies", "a reply template missing summary, cause or fix for an audience"},
	{RulePlaceholder, "replies", "a {placeholder} in a reply that names no fact (it would reach the customer as written)"},
	{RuleUnchecked, "replies", "a {placeholder} naming a fact that some path to a step sending the reply never checks, nor does the ticket give it (a warning)"},
}
