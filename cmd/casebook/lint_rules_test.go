package main

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// foundingCase are words of the founding case (cases/https-link-branding.md)
// that a rule's own text must not lean on: a library about password resets
// should read its findings in its own terms.
var foundingCase = []string{"cname", "proxy", "ssl", "click tracking", "click-tracking", "cloudflare", "https-link-branding", "branded"}

func TestLintRuleDescriptionsNameNoFoundingCaseSpecifics(t *testing.T) {
	for _, r := range allRules() {
		for _, w := range foundingCase {
			if strings.Contains(strings.ToLower(r.Description), w) {
				t.Errorf("rule %s: description %q mentions %q", r.ID, r.Description, w)
			}
		}
	}
}

// A message gives an example only from the file's own values.
func TestAPlaybookPinWithoutARangeGivesTheFilesOwnIDAsTheExample(t *testing.T) {
	for ref, want := range map[string]string{
		"password-reset": `playbook "password-reset" must be ID@RANGE, e.g. password-reset@^1`,
		"@^2":            `playbook "@^2" must be ID@RANGE, e.g. my-playbook@^1`,
	} {
		src := "casebook: scenario/v1\nid: s\nplaybook: \"" + ref + "\"\n"
		doc, fs := playbooks.ParseDocument("s.yaml", []byte(src))
		if len(fs) > 0 {
			t.Fatal(fs)
		}
		_, fs = scenarios.Parse(doc)
		found := false
		for _, f := range fs {
			if f.Rule == scenarios.RulePlaybook {
				found = true
				if f.Message != want {
					t.Errorf("got %s\nwant %s", f.Message, want)
				}
			}
		}
		if !found {
			t.Errorf("%q: no %s finding in %v", ref, scenarios.RulePlaybook, fs)
		}
	}
}
