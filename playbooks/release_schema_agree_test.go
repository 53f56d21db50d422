package playbooks_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/internal/schemacheck"
	"github.com/casebook/casebook/playbooks"
)

// The release manifest schema and ParseManifest must say the same, as for
// playbooks (schema_agree_test.go): the embedded manifests are taken by
// both, every bad manifest of the command's tests
// (cmd/casebook/testdata/bad/rel-*.release.yaml) is named below with what
// the schema refuses, and each mutation is refused by both or taken by both.

var releaseSchemaErrs = map[string]string{
	"rel-bad-version":             "the version pattern",
	"rel-kind-v2":                 "casebook is const release/v1",
	"rel-missing-keys":            "the required keys",
	"rel-removed-all-strings":     "an item of removed is an object",
	"rel-removed-bad-ref":         "the pattern of ref",
	"rel-removed-bad-replaced-by": "the pattern of replaced_by",
	"rel-removed-no-ref":          "ref is required",
	"rel-removed-scalar":          "removed is a list",
	"rel-ui-control":              "the pattern that refuses control characters",
	"rel-ui-mapping":              "ui is a list",
	"rel-unknown-key":             "additionalProperties false",
	"rel-version-list":            "version is a string or a number",
}

func TestReleaseSchemaAgreesOnGoldenCases(t *testing.T) {
	sch := schemacheck.Compile(t, "release")
	for _, path := range golden.Glob(t, filepath.Join("library", "releases", "*.yaml")) {
		t.Run("ok/"+filepath.Base(path), func(t *testing.T) {
			src := read(t, path)
			if _, fs := playbooks.ParseManifest(path, src); len(fs) > 0 {
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
	for _, path := range golden.Glob(t, filepath.Join("..", "cmd", "casebook", "testdata", "bad", "rel-*.release.yaml")) {
		name := strings.TrimSuffix(filepath.Base(path), ".release.yaml")
		seen[name] = true
		t.Run("err/"+name, func(t *testing.T) {
			reason, listed := releaseSchemaErrs[name]
			if !listed {
				t.Fatalf("bad manifest %s is not listed in release_schema_agree_test.go: decide whether the schema refuses it", name)
			}
			src := read(t, path)
			if _, fs := playbooks.ParseManifest(name+".release.yaml", src); !hasAnyError(fs) {
				t.Errorf("the loader takes it")
			}
			v, err := schemacheck.FromYAML(src)
			if err != nil {
				t.Fatalf("not YAML to an editor: %v", err)
			}
			if schemacheck.Refusal(sch, v) == "" {
				t.Errorf("the schema takes it; it is listed as refused for %s", reason)
			}
		})
	}
	for name := range releaseSchemaErrs {
		if !seen[name] {
			t.Errorf("listed case %s has no cmd/casebook/testdata/bad/%s.release.yaml", name, name)
		}
	}
}

func hasAnyError(fs []playbooks.Finding) bool {
	for _, f := range fs {
		if f.Severity == playbooks.SeverityError {
			return true
		}
	}
	return false
}

var releaseMutations = []mutation{
	{"a misspelt key", "capabilites", "[probe]", playbooks.RuleUnknownKey},
	{"no product", "product", "-", playbooks.RuleMissingKey},
	{"no docs", "docs", "-", playbooks.RuleMissingKey},
	{"a numeric product", "product", "42", playbooks.RuleWrongType},
	{"a version that is no version", "version", "latest", playbooks.RuleBadVersion},
	{"a version with a space", "version", "\"2024.2 beta\"", playbooks.RuleBadVersion},
	{"a boolean version", "version", "true", playbooks.RuleBadVersion},
	{"a version list", "version", "[2024, 2]", playbooks.RuleWrongType},
	{"ui as a string", "ui", "admin/accounts", playbooks.RuleWrongType},
	{"a numeric setting", "settings", "[account.click_tracking, 7]", playbooks.RuleWrongType},
	{"a boolean capability", "capabilities", "[lookup, true]", playbooks.RuleWrongType},
	{"intents as a mapping", "intents", "{https-tracking-links: yes}", playbooks.RuleWrongType},
	{"removed as a mapping", "removed", "{ref: ui:x}", playbooks.RuleWrongType},
	{"a removal without ref", "removed.0.ref", "-", playbooks.RuleMissingKey},
	{"a removal ref of no kind", "removed.0.ref", "admin/accounts", playbooks.RuleBadValue},
	{"a removal ref with nothing after the kind", "removed.0.ref", "\"ui:\"", playbooks.RuleBadValue},
	{"a replaced_by of another kind", "removed.0.replaced_by", "page:admin", playbooks.RuleBadValue},
	{"a misspelt removal key", "removed.0.replacement", "ui:x", playbooks.RuleUnknownKey},
	{"a numeric note", "removed.0.note", "42", playbooks.RuleWrongType},
	{"an escape in a ui path", "ui.0", `"admin/\eaccounts"`, playbooks.RuleControlChar},
	{"a line break in a doc", "docs.0", `"docs/a\nb"`, playbooks.RuleControlChar},
	{"a C1 control in a removal ref", "removed.0.ref", `"ui:admin\x9b"`, playbooks.RuleControlChar},
	{"an escape in a note", "removed.0.note", `"gone\e[2J"`, playbooks.RuleControlChar},
	// What both take.
	{"an unquoted version", "version", "2024.2", ""},
	{"a v-prefixed version", "version", "v2024.2.1", ""},
	{"no intents", "intents", "-", ""},
	{"no removed", "removed", "-", ""},
	{"empty lists", "ui", "[]", ""},
	{"a capability removed without replacement", "removed.2", "{ref: \"capability:probe\"}", ""},
	{"a multi-line note", "removed.0.note", "|\n  gone;\n  use SSL tracking\n", ""},
	{"on and off as strings", "capabilities", "[on, off, yes, no]", ""},
}

// releaseMutationsBeyondSchema, as for playbooks: the schema sees the
// number YAML made of the text.
var releaseMutationsBeyondSchema = []struct {
	mutation
	why string
}{
	{mutation{"a hexadecimal version", "version", "0x10", playbooks.RuleBadVersion},
		"the schema sees the number 16; lint reads the text 0x10, which is no version"},
	{mutation{"an infinite version", "version", ".inf", playbooks.RuleBadVersion},
		"JSON has no infinity: what a validator sees depends on its YAML reader"},
}

func TestReleaseSchemaAgreesOnMutations(t *testing.T) {
	sch := schemacheck.Compile(t, "release")
	base := read(t, filepath.Join("library", "releases", "mailer-2024.2.yaml"))
	for _, m := range releaseMutations {
		t.Run(m.name, func(t *testing.T) {
			schemacheck.MutationAgrees(t, sch, base, m.path, m.value, m.rule, lintManifest)
		})
	}
	for _, m := range releaseMutationsBeyondSchema {
		t.Run(m.name, func(t *testing.T) {
			schemacheck.MutationBeyondSchema(t, sch, base, m.path, m.value, m.rule, m.why, lintManifest)
		})
	}
}

// lintManifest is what lint finds in a release manifest's text.
func lintManifest(src []byte) []playbooks.Finding {
	_, fs := playbooks.ParseManifest("mutated.yaml", src)
	return fs
}
