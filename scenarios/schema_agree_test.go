package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/internal/schemacheck"
	"github.com/casebook/casebook/playbooks"
)

// The scenario JSON Schema and the loader must say the same, as for
// playbooks (playbooks/schema_agree_test.go): every golden error case is
// listed below as refused by the schema too, beyond any schema (it needs
// the playbook or the order of moves), or not YAML.

var scenarioSchemaErrs = map[string]string{
	"case-reply-unknown":       "a case reply whose findings are empty (minItems 1); the unknown reply is beyond it",
	"control-character":        "the patterns that refuse control characters in one-line values and text",
	"persona-does-not-know":    "the pattern of costs; the unknown fact is beyond it",
	"playbook-no-range":        "the ID@RANGE pattern of playbook",
	"recording-illegal-moves":  "the pattern of move ids (frobnicate:x); the other illegal moves are beyond it",
	"bad-kind-version":         "casebook is const scenario/v1",
	"channel-phone":            "the channel enum",
	"combined-first-draft":     "an unknown key, a wrong type",
	"missing-required-keys":    "the required keys",
	"persona-bad-tone":         "the tone enum",
	"recording-at-not-rfc3339": "the date-time format of at",
	"recording-moves-not-list": "moves is a list",
	"removed-no-kind":          "the pattern of references",
	"trap-bad-cost":            "the pattern of costs",
	"trap-bad-refs-findings":   "the patterns of references and of rule ids",
	"trap-empty-findings":      "findings has minItems 1",
	"trap-missing-answer":      "a trap's required keys",
	"trap-not-list":            "traps is a list",
	"unknown-key-typo":         "additionalProperties false",
}

var scenarioBeyondSchema = map[string]string{
	"answers-unknown-fact":       "answers against the playbook's facts",
	"persona-role-not-audience":  "the role against the playbook's audiences",
	"playbook-bad-range":         "the grammar of version ranges",
	"playbook-range-no-version":  "the playbook reference against the library",
	"playbook-unknown-id":        "the playbook reference against the library",
	"recording-out-of-order":     "the order of the moves' times",
	"recording-tier-unknown":     "the tier against the playbook's tiers",
	"stated-unknown-fact":        "stated against the playbook's facts",
	"ticket-metadata-illegal":    "metadata against the playbook's facts",
	"trap-duplicate-id":          "ids unique across the traps",
	"truth-blank-value":          "truth against the playbook's facts",
	"truth-contradicts-metadata": "truth against the ticket's metadata",
	"truth-golden-loop":          "the golden path the truth leads along",
	"truth-illegal-value":        "truth against the playbook's facts",
	"truth-missing-fact":         "truth against the playbook's facts",
	"truth-missing-ticket-fact":  "truth against the playbook's facts",
	"truth-rule-fact":            "truth against the playbook's facts",
	"truth-unknown-fact":         "truth against the playbook's facts",
	"truth-version-no-range":     "truth against the playbook's checks",
	"truth-version-range":        "truth against the playbook's checks",
}

var scenarioNotYAML = map[string]string{
	"yaml-syntax-colon": "a YAML syntax error",
}

func TestScenarioSchemaAgreesOnGoldenCases(t *testing.T) {
	sch := schemacheck.Compile(t, "scenario")
	ok := golden.Glob(t, filepath.Join("testdata", "ok", "*.yaml"))
	ok = append(ok, golden.Glob(t, filepath.Join("library", "*.yaml"))...)
	for _, path := range ok {
		t.Run("ok/"+filepath.Base(path), func(t *testing.T) {
			for _, f := range checkScenarioFile(t, path, path) {
				t.Errorf("the loader refuses it: %s", f)
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			v, err := schemacheck.FromYAML(src)
			if err != nil {
				t.Fatalf("not YAML to an editor: %v", err)
			}
			if why := schemacheck.Refusal(sch, v); why != "" {
				t.Errorf("the schema refuses it: %s", why)
			}
		})
	}
	seen := map[string]bool{}
	for _, path := range golden.Glob(t, filepath.Join("testdata", "err", "*.yaml")) {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		seen[name] = true
		t.Run("err/"+name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			v, yamlErr := schemacheck.FromYAML(src)
			if reason, ok := scenarioNotYAML[name]; ok {
				if yamlErr == nil {
					t.Errorf("listed as not YAML (%s), but an editor reads it", reason)
				}
				return
			}
			if yamlErr != nil {
				t.Fatalf("not YAML to an editor: %v", yamlErr)
			}
			why := schemacheck.Refusal(sch, v)
			if reason, ok := scenarioSchemaErrs[name]; ok {
				if why == "" {
					t.Errorf("the schema takes it; it is listed as refused for %s", reason)
				}
				return
			}
			if reason, ok := scenarioBeyondSchema[name]; ok {
				if why != "" {
					t.Errorf("listed as beyond the schema (%s), but the schema refuses it: %s", reason, why)
				}
				return
			}
			t.Errorf("golden case %s is in none of the lists of schema_agree_test.go: decide whether the schema refuses it", name)
		})
	}
	for _, list := range []map[string]string{scenarioSchemaErrs, scenarioBeyondSchema, scenarioNotYAML} {
		for name := range list {
			if !seen[name] {
				t.Errorf("listed case %s has no testdata/err/%s.yaml", name, name)
			}
		}
	}
}

// A mutation edits the base scenario at a path (keys and list indexes,
// dot-separated) to a YAML value, or deletes the key when value is "-", as
// for playbooks. rule is the rule lint refuses it with; "" means both take
// it.
type mutation struct {
	name, path, value string
	rule              playbooks.RuleID
}

var scenarioMutations = []mutation{
	// The top level.
	{"a misspelt key", "titel", "x", playbooks.RuleUnknownKey},
	{"no traps key", "traps", "-", playbooks.RuleMissingKey},
	{"no persona", "persona", "-", playbooks.RuleMissingKey},
	{"a bad scenario id", "id", "HTTPS proxy", playbooks.RuleBadID},
	{"a numeric title", "title", "404", playbooks.RuleWrongType},
	{"a playbook without a range", "playbook", "https-link-branding", RulePlaybook},
	{"a phone channel", "channel", "phone", playbooks.RuleBadValue},
	{"stated as a string", "stated", "click_tracking", playbooks.RuleWrongType},
	{"a numeric stated fact", "stated", "[click_tracking, 7]", playbooks.RuleWrongType},
	{"truth as a list", "truth", "[ssl_tracking]", playbooks.RuleWrongType},
	{"a truth value that is a list", "truth.certificate", "[valid]", playbooks.RuleWrongType},
	{"an answer that is a mapping", "answers.certificate", "{text: valid}", playbooks.RuleWrongType},
	{"a removed reference of no kind", "removed.0", "admin/accounts/settings", RuleReference},
	{"a removed capability", "removed.0", "capability:lookup", RuleReference},
	// The ticket and the persona.
	{"a ticket without opening", "ticket.opening", "-", playbooks.RuleMissingKey},
	{"a misspelt ticket key", "ticket.meta", "{plan: pro}", playbooks.RuleUnknownKey},
	{"metadata as a list", "ticket.metadata", "[plan]", playbooks.RuleWrongType},
	{"an unknown tone", "persona.tone", "angry", RulePersona},
	{"a misspelt persona key", "persona.mood", "patient", playbooks.RuleUnknownKey},
	{"a numeric persona name", "persona.name", "42", playbooks.RuleWrongType},
	{"does_not_know as a string", "persona.does_not_know", "cname_target", playbooks.RuleWrongType},
	{"an unknown key under does_not_know", "persona.does_not_know", "{cname_target: {answer: no idea, wait: 1h}}", playbooks.RuleUnknownKey},
	{"a bad does_not_know cost", "persona.does_not_know", "{cname_target: {cost: an hour}}", RulePersona},
	{"a numeric does_not_know answer", "persona.does_not_know", "{cname_target: {answer: 42}}", playbooks.RuleWrongType},
	// Traps.
	{"traps as a mapping", "traps", "{resend-docs: {}}", playbooks.RuleWrongType},
	{"a trap without answer", "traps.0.answer", "-", playbooks.RuleMissingKey},
	{"a trap without findings", "traps.0.findings", "-", playbooks.RuleMissingKey},
	{"a trap with no findings", "traps.0.findings", "[]", RuleTrap},
	{"a bad trap id", "traps.0.id", "Resend_Guide", playbooks.RuleBadID},
	{"a bad trap cost", "traps.0.cost", "15 minutes", RuleTrap},
	{"a numeric trap cost", "traps.0.cost", "15", playbooks.RuleWrongType},
	{"a misspelt trap key", "traps.0.costs", "15m", playbooks.RuleUnknownKey},
	{"a trap ref of no kind", "traps.2.refs", "[admin/accounts/settings]", RuleReference},
	{"an empty ui: reference", "traps.2.refs", "\"ui:\"", RuleReference},
	{"a numeric trap finding", "traps.0.findings", "[context-ignored, 7]", playbooks.RuleWrongType},
	{"a trap finding that is no rule id", "traps.0.findings", "[Context Ignored]", playbooks.RuleBadID},
	{"a case reply finding that is no rule id", "replies", "{ssl-enabled: {findings: [Literal answer]}}", playbooks.RuleBadID},
	{"a quoted trap reply", "traps.0.reply", "\"true\"", playbooks.RuleWrongType},
	{"a yes trap reply", "traps.0.reply", "yes", playbooks.RuleWrongType},
	// Case replies.
	{"replies as a list", "replies", "[ssl-enabled]", playbooks.RuleWrongType},
	{"a case reply without findings", "replies", "{ssl-enabled: {answer: thanks}}", playbooks.RuleMissingKey},
	{"a case reply with no findings", "replies", "{ssl-enabled: {findings: []}}", RuleCaseReply},
	{"a misspelt case reply key", "replies", "{ssl-enabled: {findings: [literal-answer], answr: ok}}", playbooks.RuleUnknownKey},
	{"a numeric case reply answer", "replies", "{ssl-enabled: {findings: [literal-answer], answer: 42}}", playbooks.RuleWrongType},
	// The recording.
	{"a recording without tier", "recording.tier", "-", playbooks.RuleMissingKey},
	{"a move time that is no RFC 3339 time", "recording.moves.0.at", "\"2023-10-02 09:04\"", playbooks.RuleBadValue},
	{"an unknown move kind", "recording.moves.0.move", "frobnicate:x", RuleMove},
	{"moves as a mapping", "recording.moves", "{first: close}", playbooks.RuleWrongType},
	// Control characters: a one-line value holds none, multi-line text
	// only line breaks and tabs.
	{"an escape in the title", "title", `"a\eb"`, playbooks.RuleControlChar},
	{"a bell in the opening", "ticket.opening", `"Hi\a there"`, playbooks.RuleControlChar},
	{"a line break in a metadata value", "ticket.metadata.user_agent", `"Mozilla\nChrome"`, playbooks.RuleControlChar},
	{"a tab in a metadata key", "ticket.metadata.user\tagent", "x", playbooks.RuleControlChar},
	{"a C1 control in a truth value", "truth.certificate", `"val\x85id"`, playbooks.RuleControlChar},
	{"an escape in an answer", "answers.certificate", `"\e[2J valid"`, playbooks.RuleControlChar},
	{"a line break in a trap label", "traps.0.label", `"Send\nthe steps"`, playbooks.RuleControlChar},
	{"a carriage return in a trap answer", "traps.0.answer", `"one\rtwo"`, playbooks.RuleControlChar},
	{"a line separator in a trap ref", "traps.2.refs", `["ui:admin\Lsettings"]`, playbooks.RuleControlChar},
	{"an escape in a removed reference", "removed.0", `"ui:admin\e[2J"`, playbooks.RuleControlChar},
	{"an escape in a does_not_know answer", "persona.does_not_know", `{cname_target: {answer: "no\eidea"}}`, playbooks.RuleControlChar},
	{"a NUL in a case reply answer", "replies", `{ssl-enabled: {findings: [literal-answer], answer: "a\0b"}}`, playbooks.RuleControlChar},
	{"a line break in the recording's tier", "recording.tier", `"L1\n"`, playbooks.RuleControlChar},
	// What both take: values YAML 1.2 reads as strings, numbers as text.
	{"line breaks and tabs in the opening", "ticket.opening", `"Hi,\n\tplease help.\n"`, ""},
	{"a multi-line answer", "answers.certificate", "|\n  Valid.\n  Both domains.\n", ""},
	{"a multi-line trap answer", "traps.0.answer", "|\n  No.\n  Thanks.\n", ""},
	{"on and off as truth values", "truth", "{ssl_tracking: off, click_tracking: on, branded_domains: yes, link_branding: verified, certificate: valid, cname_target: proxy}", ""},
	{"a quoted number as title", "title", "\"404\"", ""},
	{"a number as a metadata value", "ticket.metadata.seats", "25", ""},
	{"a number as an answer", "answers.branded_domains", "2", ""},
	{"a trap that is a reply", "traps.0.reply", "true", ""},
	{"a trap that is no reply", "traps.0.reply", "false", ""},
	{"one finding as a string", "traps.0.findings", "context-ignored", ""},
	{"one ref as a string", "traps.2.refs", "ui:admin/accounts/settings/tracking/http-https", ""},
	{"a case reply", "replies", "{ssl-already-on: {findings: [literal-answer], answer: That is not what I asked.}}", ""},
	{"a case reply with one finding as a string", "replies", "{ssl-already-on: {findings: literal-answer}}", ""},
	{"does_not_know as a list", "persona.does_not_know", "[cname_target]", ""},
	{"does_not_know with no details", "persona.does_not_know", "{cname_target: null}", ""},
	{"does_not_know with an empty mapping", "persona.does_not_know", "{cname_target: {}}", ""},
	{"does_not_know with answer and cost", "persona.does_not_know", "{cname_target: {answer: \"I'll ask our developer.\", cost: 1h30m}}", ""},
	{"an empty stated list", "stated", "[]", ""},
}

// scenarioMutationsBeyondSchema are edits lint refuses and no JSON Schema
// can see, as for playbooks: the validator sees the JSON value YAML made of
// the text, not the text.
var scenarioMutationsBeyondSchema = []struct {
	mutation
	why string
}{
	{mutation{"a hexadecimal truth value", "truth.certificate", "0x10", RuleTruth},
		"the schema sees the number 16, a scalar; lint reads the text 0x10, not one of the fact's values"},
	{mutation{"an infinite truth value", "truth.certificate", ".inf", RuleTruth},
		"JSON has no infinity: what a validator sees depends on its YAML reader"},
}

func TestScenarioSchemaCannotSeeMutations(t *testing.T) {
	sch := schemacheck.Compile(t, "scenario")
	base, err := os.ReadFile(filepath.Join("library", "https-proxy-cname.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range scenarioMutationsBeyondSchema {
		t.Run(m.name, func(t *testing.T) {
			schemacheck.MutationBeyondSchema(t, sch, base, m.path, m.value, m.rule, m.why, func(src []byte) []playbooks.Finding { return checkScenarioSrc(t, "mutated.yaml", src) })
		})
	}
}

func TestScenarioSchemaAgreesOnMutations(t *testing.T) {
	sch := schemacheck.Compile(t, "scenario")
	base, err := os.ReadFile(filepath.Join("library", "https-proxy-cname.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range scenarioMutations {
		t.Run(m.name, func(t *testing.T) {
			schemacheck.MutationAgrees(t, sch, base, m.path, m.value, m.rule, func(src []byte) []playbooks.Finding { return checkScenarioSrc(t, "mutated.yaml", src) })
		})
	}
}
