package playbooks

import (
	"strings"
	"testing"
)

func TestReviewChangesOnlyTheTwoValues(t *testing.T) {
	tests := []struct {
		name, version, reviewed, wantVersion, wantReviewed string
	}{
		{"quoted values keep their quotes", `"1.4.2"`, `"2023.10"   # last check`, `"1.4.3"`, `"2024.2"   # last check`},
		{"plain values stay plain", `1.4.2`, `2023.10`, `1.4.3`, `2024.2`},
		{"single quotes stay single", `'1.4.2'`, `'2023.10'`, `'1.4.3'`, `'2024.2'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "# A comment that must survive.\ncasebook: playbook/v1\nid: x\nversion: " + tt.version +
				"\ntitle: X   # trailing comment\nproduct: p\napplies_to: \">=1\"\nreviewed_for: " + tt.reviewed +
				"\nowner: o\nintents: [i]\nfacts: {}\ntiers: {L1: [reply]}\nsteps:\n  - id: done\n    outcome: resolved\n"
			p, fs := ParsePlaybook("x.yaml", []byte(src))
			if len(fs) > 0 {
				t.Fatal(fs)
			}
			out, next, err := Review(p, "2024.2")
			if err != nil {
				t.Fatal(err)
			}
			if next != "1.4.3" {
				t.Errorf("new version %s, want 1.4.3", next)
			}
			want := strings.Replace(strings.Replace(src, "version: "+tt.version, "version: "+tt.wantVersion, 1),
				"reviewed_for: "+tt.reviewed, "reviewed_for: "+tt.wantReviewed, 1)
			if string(out) != want {
				t.Errorf("got\n%s\nwant\n%s", out, want)
			}
			if q, fs := ParsePlaybook("x.yaml", out); len(fs) > 0 || q.ReviewedFor != "2024.2" || q.Version != "1.4.3" {
				t.Errorf("the edited file reads back as %s/%s with %v", q.Version, q.ReviewedFor, fs)
			}
		})
	}
}
