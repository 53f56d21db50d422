package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/internal/schemacheck"
)

// The scenario JSON Schema and the loader must say the same, as for
// playbooks (playbooks/schema_agree_test.go): every golden error case is
// listed below as refused by the schema too, beyond any schema (it needs
// the playbook or the order of moves), or not YAML.

var scenarioSchemaErrs = map[string]string{
	"case-reply-unknown":       "a case reply whose findings are empty (minItems 1); the unknown reply is beyond it",
	"control-character":        "a line break in a removed reference fails its pattern; other control characters are beyond it",
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
