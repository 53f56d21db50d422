package playbooks

import (
	"os"
	"strings"
	"testing"
)

func TestAVersionCheckTakesTheBranchWhoseRangeHoldsTheVersion(t *testing.T) {
	src, err := os.ReadFile("testdata/ok/sdk-version-range.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, fs := ParsePlaybook("sdk.yaml", src)
	if len(fs) > 0 {
		t.Fatalf("findings: %v", fs)
	}
	for _, tt := range []struct{ version, branch, outcome string }{
		{"4.9.3", "<5.0", "customer-action"},
		{"5.2.1", ">=5.0 <6", "resolved"},
		{"5.0", ">=5.0 <6", "resolved"},
		{"6.1.0", "otherwise", "resolved"},
	} {
		w := NewWalker(p, p.Tier("L1"), "")
		if err := w.Set("sdk_version", tt.version); err != nil {
			t.Fatal(err)
		}
		var branch, outcome string
		if err := w.Run(func(ev Event) error {
			switch ev.Kind {
			case EventCheck:
				branch = ev.Branch
			case EventOutcome:
				outcome = ev.Outcome
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if branch != tt.branch || outcome != tt.outcome {
			t.Errorf("sdk %s: branch %q to %s, want %q to %s", tt.version, branch, outcome, tt.branch, tt.outcome)
		}
	}
	w := NewWalker(p, p.Tier("L1"), "")
	if err := w.Set("sdk_version", "latest"); err == nil {
		t.Error("a version fact took \"latest\"")
	}
}

func TestDiffNamesAFactThatBecameAVersion(t *testing.T) {
	src, _ := os.ReadFile("testdata/ok/sdk-version-range.yaml")
	new, _ := ParsePlaybook("b.yaml", src)
	old, _ := ParsePlaybook("a.yaml", []byte(strings.Replace(string(src), ", type: version}", "}", 1)))
	var got []string
	for _, c := range Diff(old, new).Changes {
		if c.Area == AreaFact {
			got = append(got, c.Code+": "+c.Message)
		}
	}
	if want := "fact-type-added: Fact sdk_version, type: now version (was text)"; strings.Join(got, "; ") != want {
		t.Errorf("fact changes %q, want %q", got, want)
	}
}
