package simulator

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// staleFindings lints the embedded library with the scenario's removed:
// list replaced, loaded the way mode says, and returns the findings of
// CheckStaleGoldenPaths.
func staleFindings(t *testing.T, scenario string, removed []string, mode scenarios.LoadMode) []string {
	t.Helper()
	files, _, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	name := playbooks.EmbeddedName + "/scenarios/" + scenario + ".yaml"
	found := false
	for i, f := range files {
		if f.Name != name {
			continue
		}
		found = true
		src := string(f.Src)
		start := strings.Index(src, "\nremoved:\n")
		if start < 0 {
			src += "\nremoved:\n"
			start = len(src) - len("\nremoved:\n")
		}
		end := strings.Index(src[start+1:], "\n\n")
		if end < 0 {
			end = len(src) - start - 1
		}
		list := "\nremoved:\n"
		for _, r := range removed {
			list += "  - " + r + "\n"
		}
		files[i].Src = []byte(src[:start] + list + src[start+1+end:])
	}
	if !found {
		t.Fatalf("no file %s", name)
	}
	b := scenarios.LoadFiles(files, nil, playbooks.EmbeddedName, mode, nil, nil)
	for _, f := range b.Problems {
		t.Errorf("the library has a problem: %s", f)
	}
	fs := CheckStaleGoldenPaths(b.Scenarios)
	playbooks.SortFindings(fs)
	var out []string
	for _, f := range fs {
		if f.Severity != playbooks.SeverityWarning || f.Rule != RuleStaleGoldenPath {
			t.Errorf("not a %s warning: %+v", RuleStaleGoldenPath, f)
		}
		out = append(out, f.String())
	}
	return out
}

func TestAGoldenPathThatUsesARemovedReferenceWarns(t *testing.T) {
	for _, c := range []struct {
		name, scenario string
		removed        []string
		want           []string
	}{
		{"the founding case's removed references are off its golden path", "https-proxy-cname",
			[]string{"ui:admin/accounts/settings/tracking/http-https", "setting:account.tracking_protocol"}, nil},
		{"a doc a reply on the path links, and the step before it", "https-proxy-cname",
			[]string{"doc:docs/link-branding/ssl"}, []string{
				`embedded/scenarios/https-proxy-cname.yaml:58:5: the golden path of playbook https-link-branding 2.1.0 at tiers L1, L2 sends the customer to doc:docs/link-branding/ssl (reply ssl-enabled at step reply-enabled), which this scenario lists as removed: a stale playbook in training [stale-golden-path]`,
				`embedded/scenarios/https-proxy-cname.yaml:58:5: the golden path of playbook https-link-branding 2.1.0 at tiers L1, L2 sends the customer to doc:docs/link-branding/ssl (step check-certificate), which this scenario lists as removed: a stale playbook in training [stale-golden-path]`,
			}},
		{"a ui path and a setting of the step L2 acts at", "https-proxy-cname",
			[]string{"ui:admin/accounts/tracking/ssl", "setting:account.ssl_click_tracking"}, []string{
				`embedded/scenarios/https-proxy-cname.yaml:58:5: the golden path of playbook https-link-branding 2.1.0 at tiers L1, L2 uses ui:admin/accounts/tracking/ssl (step check-ssl-tracking), which this scenario lists as removed: a stale playbook in training [stale-golden-path]`,
				`embedded/scenarios/https-proxy-cname.yaml:58:5: the golden path of playbook https-link-branding 2.1.0 at tiers L1, L2 uses ui:admin/accounts/tracking/ssl (step enable-ssl), which this scenario lists as removed: a stale playbook in training [stale-golden-path]`,
				`embedded/scenarios/https-proxy-cname.yaml:59:5: the golden path of playbook https-link-branding 2.1.0 at tiers L1, L2 uses setting:account.ssl_click_tracking (step enable-ssl), which this scenario lists as removed: a stale playbook in training [stale-golden-path]`,
			}},
		{"a setting only a step off the golden path names", "https-certificate-not-yet-valid",
			[]string{"setting:account.ssl_click_tracking"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, mode := range []scenarios.LoadMode{scenarios.LoadAll, scenarios.LoadSlim} {
				got := staleFindings(t, c.scenario, c.removed, mode)
				if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
					t.Errorf("mode %d:\n%s\nwant\n%s", mode, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
				}
			}
		})
	}
}
