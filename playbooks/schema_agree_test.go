package playbooks_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/internal/schemacheck"
	"github.com/casebook/casebook/playbooks"
)

// The JSON Schema an editor validates a playbook with and the strict loader
// must say the same: every file the loader takes the schema takes, and
// every golden error case within a schema's reach is refused by both. Each
// golden error case is named below, in one list, with its reason; a new
// case fails the test until it is added to one.

// playbookSchemaErrs are the cases the schema refuses too, with what it
// refuses.
var playbookSchemaErrs = map[string]string{
	"bad-id":                   "the id pattern",
	"bad-id-tier":              "the pattern of tier names",
	"bad-kind":                 "casebook is const playbook/v1",
	"bad-kind-version":         "casebook is const playbook/v1",
	"bad-source":               "the source enum and ticket.FIELD pattern",
	"bad-value":                "an enum (type, visibility)",
	"bad-version":              "the semver pattern of version",
	"casebook-list":            "casebook is const playbook/v1",
	"combined-first-draft":     "an unknown key, a missing key",
	"combined-one-step":        "a misplaced key, a wrong type",
	"comments-only":            "an empty document is not an object",
	"control-character":        "the patterns that refuse control characters in one-line values and text",
	"empty":                    "an empty document is not an object",
	"fact-no-source":           "source is required",
	"misplaced-key":            "the check branch of steps takes no needs",
	"misplaced-key-on-action":  "the action branch of steps takes no on",
	"missing-key":              "a required key",
	"missing-key-step-id":      "id is required in every step branch",
	"missing-key-steps-empty":  "steps has minItems 1",
	"missing-key-tiers-empty":  "tiers has minProperties 1",
	"null-sections":            "null is not an object or list",
	"null-step-parts":          "null is not a string",
	"only-header":              "the required keys",
	"reply-missing-part":       "a reply without audiences needs summary, cause and fix",
	"rule-fact":                "value on a fact that is not a rule fact; a rule fact with both value and from",
	"step-kind":                "no step branch matches a step without a kind",
	"step-kind-two-kinds":      "no step branch takes two kind keys",
	"top-level-list":           "a list is not an object",
	"unknown-key":              "additionalProperties false",
	"unknown-key-otherwise":    "the action branch takes no otherwise",
	"unknown-key-top-level":    "additionalProperties false",
	"wrong-type":               "a string where a list belongs",
	"wrong-type-empty-next":    "null is not a string",
	"wrong-type-number":        "a number where a string belongs",
	"wrong-type-step-string":   "a step that is a string",
	"overlapping-ranges":       "values on a fact of type version",
	"bad-version-reviewed-for": "the loose version pattern of reviewed_for",
}

// playbookBeyondSchema are the cases no JSON Schema can see, with why: the
// schema takes them, the loader does not.
var playbookBeyondSchema = map[string]string{
	"bad-kind-not-first":                "key order: casebook must be the first key",
	"bad-range":                         "the grammar of version ranges",
	"bom-crlf-dangling":                 "the step graph: a target that names no step",
	"capability-unheld":                 "which tier holds which capability",
	"capability-unheld-fact":            "which tier holds which capability",
	"combined-renamed-fact":             "references to facts",
	"cycle-no-exit":                     "the step graph: a cycle with no exit",
	"cycle-no-exit-order":               "the step graph: a cycle with no exit",
	"dangling-start":                    "the step graph: start names no step",
	"dangling-target":                   "the step graph: a target that names no step",
	"dead-end":                          "the step graph: a step that leads nowhere",
	"duplicate-id":                      "ids unique across the steps",
	"duplicate-key":                     "a duplicate key: a YAML reader keeps one (editors report it as YAML, not schema)",
	"duplicate-key-value":               "fact values unique ignoring case",
	"escalation-lacks-capability":       "which tier holds which capability",
	"escalation-lacks-capability-needs": "which tier holds which capability",
	"missing-branch":                    "a check's branches against its fact's values",
	"placeholder-unchecked":             "the paths that check a placeholder's fact",
	"reply-forward":                     "forward against the playbook's audiences",
	"reply-missing-part-audience":       "every audience of the playbook gets every part",
	"unknown-branch":                    "a check's branches against its fact's values",
	"unknown-branch-free-text":          "a check's branches against its fact's values",
	"unknown-fact":                      "references to facts",
	"unknown-placeholder":               "references to facts",
	"unknown-reply":                     "references to replies",
	"unknown-tier":                      "references to tiers",
	"unreachable-step":                  "the step graph: a step no path reaches",
	"yaml-merge-key":                    "the loader refuses merge keys; an editor expands them into a valid document",
}

// playbookNotYAML are the cases an editor cannot read as YAML at all.
var playbookNotYAML = map[string]string{
	"bad-range-unquoted":            "an unquoted > starts a block scalar",
	"bad-range-unquoted-comment":    "an unquoted > starts a block scalar",
	"bad-range-unquoted-two-bounds": "an unquoted > starts a block scalar",
	"bom-crlf-unquoted-range":       "an unquoted > starts a block scalar",
	"invalid-utf8":                  "not UTF-8",
	"yaml-syntax":                   "a YAML syntax error",
	"yaml-syntax-colon-title":       "a YAML syntax error",
	"yaml-syntax-gt-in-note":        "a YAML syntax error",
	"yaml-syntax-indent":            "a YAML syntax error",
	"yaml-syntax-tab":               "a YAML syntax error",
}

func schemaCase(t *testing.T, name string) (kind, reason string) {
	if r, ok := playbookSchemaErrs[name]; ok {
		return "schema", r
	}
	if r, ok := playbookBeyondSchema[name]; ok {
		return "beyond", r
	}
	if r, ok := playbookNotYAML[name]; ok {
		return "not-yaml", r
	}
	t.Fatalf("golden case %s is in none of the lists of schema_agree_test.go: decide whether the schema refuses it", name)
	return "", ""
}

func TestPlaybookSchemaAgreesOnGoldenCases(t *testing.T) {
	sch := schemacheck.Compile(t, "playbook")
	var ok []string
	ok = append(ok, golden.Glob(t, filepath.Join("testdata", "ok", "*.yaml"))...)
	ok = append(ok, golden.Glob(t, filepath.Join("library", "*.yaml"))...)
	ok = append(ok, golden.Glob(t, filepath.Join("..", "scenarios", "testdata", "playbooks", "*.yaml"))...)
	for _, path := range ok {
		t.Run("ok/"+filepath.Base(path), func(t *testing.T) {
			src := read(t, path)
			if _, fs := playbooks.ParsePlaybook(path, src); len(fs) > 0 {
				t.Errorf("the loader refuses it: %s", fs[0])
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
			kind, reason := schemaCase(t, name)
			src := read(t, path)
			// The loader's side is the golden .out file (TestErrFilesMatchGolden).
			v, err := schemacheck.FromYAML(src)
			switch {
			case kind == "not-yaml":
				if err == nil {
					t.Errorf("listed as not YAML (%s), but an editor reads it", reason)
				}
			case err != nil:
				t.Fatalf("not YAML to an editor: %v", err)
			case kind == "schema":
				if schemacheck.Refusal(sch, v) == "" {
					t.Errorf("the schema takes it; it is listed as refused for %s", reason)
				}
			case kind == "beyond":
				if why := schemacheck.Refusal(sch, v); why != "" {
					t.Errorf("listed as beyond the schema (%s), but the schema refuses it: %s", reason, why)
				}
			}
		})
	}
	for _, list := range []map[string]string{playbookSchemaErrs, playbookBeyondSchema, playbookNotYAML} {
		for name := range list {
			if !seen[name] {
				t.Errorf("listed case %s has no testdata/err/%s.yaml", name, name)
			}
		}
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// A mutation edits the base playbook at a path (keys and list indexes,
// dot-separated) to a YAML value, or deletes the key when value is "-".
// rule is the rule lint refuses it with; "" means both take it.
type mutation struct {
	name, path, value string
	rule              playbooks.RuleID
}

var playbookMutations = []mutation{
	// The cases: the schema took them, lint did not.
	{"a numeric version", "version", "2.1", playbooks.RuleBadVersion},
	{"no steps", "steps", "[]", playbooks.RuleMissingKey},
	{"on on an action step", "steps.4.on", "{a: resolved}", playbooks.RuleMisplacedKey},
	{"otherwise on an action step", "steps.4.otherwise", "resolved", playbooks.RuleMisplacedKey},
	{"next on an outcome step", "steps.9.next", "resolved", playbooks.RuleMisplacedKey},
	{"needs on a reply step", "steps.5.needs", "[lookup]", playbooks.RuleMisplacedKey},
	// The cases: lint took them, the schema did not.
	{"a numeric title", "title", "123", playbooks.RuleWrongType},
	{"numeric ui paths", "steps.0.ui", "[1, 2]", playbooks.RuleWrongType},
	{"a numeric intent", "intents", "[42]", playbooks.RuleWrongType},
	{"a numeric capability", "tiers.L1", "[lookup, 7]", playbooks.RuleWrongType},
	{"a boolean note", "steps.0.note", "true", playbooks.RuleWrongType},
	{"a numeric step id", "steps.9.id", "404", playbooks.RuleWrongType},
	// More of the same kind.
	{"a step with two kinds", "steps.4.reply", "endpoint-tls", playbooks.RuleStepKind},
	{"a step with no kind", "steps.4.action", "-", playbooks.RuleStepKind},
	{"a step without id", "steps.4.id", "-", playbooks.RuleMissingKey},
	{"a misspelt step key", "steps.4.nxt", "resolved", playbooks.RuleUnknownKey},
	{"no tiers", "tiers", "{}", playbooks.RuleMissingKey},
	{"a bad tier name", "tiers._L3", "[lookup]", playbooks.RuleBadID},
	{"a bad fact name", "facts.-x", "{source: admin}", playbooks.RuleBadID},
	{"a bad intent", "intents", "[Webhook Failing]", playbooks.RuleBadID},
	{"a bad step id", "steps.9.id", "Resolved", playbooks.RuleBadID},
	{"a bad source", "facts.endpoint_url.source", "crm", playbooks.RuleBadSource},
	{"a bad ticket field", "facts.api_client.source", "ticket._agent", playbooks.RuleBadSource},
	{"a fact without source", "facts.endpoint_url.source", "-", playbooks.RuleNoSource},
	{"value on an admin fact", "facts.endpoint_url.value", "x", playbooks.RuleMisplacedKey},
	{"a rule fact with value and from", "facts.fixed", "{source: rule, value: a, from: last_status, map: {timeout: a, 4xx: a, 5xx: a, tls-error: a}}", playbooks.RuleRuleFact},
	{"a rule fact with neither", "facts.fixed", "{source: rule}", playbooks.RuleRuleFact},
	{"a version fact with values", "facts.sdk", "{source: customer, type: version, values: [\"1.0\"]}", playbooks.RuleBadValue},
	{"a bad visibility", "steps.0.visibility", "public", playbooks.RuleBadValue},
	{"a reply without fix", "replies.endpoint-tls.fix", "-", playbooks.RuleReplyPart},
	{"a blank summary", "replies.endpoint-tls.summary", "\" \"", playbooks.RuleReplyPart},
	{"a null title", "title", "null", playbooks.RuleWrongType},
	{"a list for next", "steps.0.next", "[read-client]", playbooks.RuleWrongType},
	{"a reviewed_for that is no version", "reviewed_for", "October", playbooks.RuleBadVersion},
	{"a boolean applies_to", "applies_to", "true", playbooks.RuleBadRange},
	// Control characters: a one-line value holds none, multi-line text
	// only line breaks and tabs (the schema's patterns say the same).
	{"an escape in the title", "title", `"a\eb"`, playbooks.RuleControlChar},
	{"a line break in the product", "product", `"a\nb"`, playbooks.RuleControlChar},
	{"an owner that ends with a line break", "owner", `"integrations\n"`, playbooks.RuleControlChar},
	{"a C1 control in a ui path", "steps.0.ui", `"admin/\x9bwebhooks"`, playbooks.RuleControlChar},
	{"a line separator in a capability", "tiers.L1", `[lookup, reply, "esc\Lalate"]`, playbooks.RuleControlChar},
	{"an escape in a question", "facts.endpoint_url.ask", `"Which URL?\e[2J"`, playbooks.RuleControlChar},
	{"an escape in a fact value", "facts.last_status.values", `[timeout, 4xx, 5xx, "tls\e-error"]`, playbooks.RuleControlChar},
	{"a tab in a reply name", "replies.tls\tfix", "{summary: s, cause: c, fix: f}", playbooks.RuleControlChar},
	{"an escape in a note", "steps.0.note", `"see \e[31mhere"`, playbooks.RuleControlChar},
	{"a carriage return in a note", "steps.0.note", `"one\rtwo"`, playbooks.RuleControlChar},
	{"a NUL in a reply fix", "replies.endpoint-tls.fix", `"a\0b"`, playbooks.RuleControlChar},
	// What both take: values YAML 1.2 reads as strings, versions as numbers.
	{"line breaks and tabs in a note", "steps.0.note", `"one\n\ttwo\n"`, ""},
	{"a multi-line reply fix", "replies.endpoint-tls.fix", "|\n  one\n  two\n", ""},
	{"a non-ASCII title", "title", "Webhooks échouent → 5xx", ""},
	{"an unquoted product version", "reviewed_for", "2024.1", ""},
	{"an unquoted range", "applies_to", "4.2", ""},
	{"on and off as values", "facts.power", "{source: admin, values: [on, off, yes, no, 1, true]}", ""},
	{"a quoted number as title", "title", "\"123\"", ""},
	{"a reply whose audiences give every part", "replies.endpoint-tls", "{audiences: {developer: {summary: s, cause: c, fix: f}, marketer: {summary: s, cause: c, fix: f}}}", ""},
	{"a derived rule fact", "facts.tier_of", "{source: rule, from: last_status, map: {timeout: a, 4xx: b, 5xx: a, tls-error: b}}", ""},
}

// playbookMutationsBeyondSchema are edits lint refuses and no JSON Schema
// can: the editor's validator sees the JSON value YAML made of the text,
// not the text. Each names the rule lint gives and why the schema cannot.
var playbookMutationsBeyondSchema = []struct {
	mutation
	why string
}{
	{mutation{"a hexadecimal reviewed_for", "reviewed_for", "0x10", playbooks.RuleBadVersion},
		"the schema sees the number 16, which is a version; lint reads the text 0x10, which is not"},
	{mutation{"an octal applies_to", "applies_to", "0o17", playbooks.RuleBadRange},
		"the schema sees the number 15, which is a range; lint reads the text 0o17, which is not"},
	{mutation{"an exponent reviewed_for", "reviewed_for", "1e3", playbooks.RuleBadVersion},
		"the schema sees the number 1000; lint reads the text 1e3"},
	{mutation{"an infinite reviewed_for", "reviewed_for", ".inf", playbooks.RuleBadVersion},
		"JSON has no infinity: what a validator sees depends on its YAML reader"},
	{mutation{"a NaN applies_to", "applies_to", ".nan", playbooks.RuleBadRange},
		"JSON has no NaN: what a validator sees depends on its YAML reader"},
}

func TestPlaybookSchemaCannotSeeMutations(t *testing.T) {
	sch := schemacheck.Compile(t, "playbook")
	base := read(t, filepath.Join("testdata", "ok", "webhook-deliveries-failing.yaml"))
	for _, m := range playbookMutationsBeyondSchema {
		t.Run(m.name, func(t *testing.T) {
			schemacheck.MutationBeyondSchema(t, sch, base, m.path, m.value, m.rule, m.why, lintPlaybook)
		})
	}
}

func TestPlaybookSchemaAgreesOnMutations(t *testing.T) {
	sch := schemacheck.Compile(t, "playbook")
	base := read(t, filepath.Join("testdata", "ok", "webhook-deliveries-failing.yaml"))
	for _, m := range playbookMutations {
		t.Run(m.name, func(t *testing.T) {
			schemacheck.MutationAgrees(t, sch, base, m.path, m.value, m.rule, lintPlaybook)
		})
	}
}

// lintPlaybook is what lint finds in a playbook's text.
func lintPlaybook(src []byte) []playbooks.Finding {
	_, fs := playbooks.ParsePlaybook("mutated.yaml", src)
	return fs
}
