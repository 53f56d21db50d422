package playbooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
)

// Validator golden cases (STYLE.md item 18): every file in testdata/ok/ must
// lint clean; every file in testdata/err/ must produce exactly the findings in
// the .out file beside it. Set CASEBOOK_UPDATE_GOLDEN=1 to rewrite the .out
// files, then read every one before committing it.

func TestOKFilesLintClean(t *testing.T) {
	for _, path := range golden.Glob(t, filepath.Join("testdata", "ok", "*.yaml")) {
		name := "testdata/ok/" + filepath.Base(path)
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, fs := ParsePlaybook(name, src)
			for _, f := range fs {
				t.Errorf("%s", f)
			}
			if p == nil {
				t.Errorf("%s: ParsePlaybook returned no playbook", name)
			}
		})
	}
}

func TestErrFilesMatchGolden(t *testing.T) {
	for _, path := range golden.Glob(t, filepath.Join("testdata", "err", "*.yaml")) {
		base := filepath.Base(path)
		name := "testdata/err/" + base
		goldenPath := strings.TrimSuffix(path, ".yaml") + ".out"
		t.Run(strings.TrimSuffix(base, ".yaml"), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, fs := ParsePlaybook(name, src)
			if len(fs) == 0 {
				t.Errorf("%s: an err case produced no finding", name)
			}
			var b strings.Builder
			for _, f := range fs {
				if f.Line < 1 || f.Col < 1 {
					t.Errorf("finding without a position (line %d, col %d): %s", f.Line, f.Col, f)
				}
				if f.File != name {
					t.Errorf("finding names file %q, want %q: %s", f.File, name, f)
				}
				b.WriteString(f.String())
				b.WriteByte('\n')
			}
			golden.Compare(t, goldenPath, b.String())
		})
	}
}

func TestEveryRuleHasAnErrCase(t *testing.T) {
	all := golden.Concat(t, filepath.Join("testdata", "err", "*.out"))
	// file-too-large, outside-library and unreadable are checked when
	// files are read (ReadFS, ReadPaths; the limits testscripts and
	// unreadable_test.go show them), not by ParsePlaybook; alias-limit needs
	// an alias bomb, which does not make a readable golden case.
	skip := map[RuleID]bool{RuleTooLarge: true, RuleAliasLimit: true, RuleOutsideLibrary: true, RuleUnreadable: true}
	for _, r := range Rules {
		if skip[r.ID] {
			continue
		}
		if !strings.Contains(all, "["+string(r.ID)+"]") {
			t.Errorf("no testdata/err/*.out shows rule %s failing; add a case", r.ID)
		}
	}
}

// Two ok cases also pin down how the loader reads them, not only that they
// are clean.
func TestOKFilesReadAsWritten(t *testing.T) {
	read := func(file string) *Playbook {
		t.Helper()
		src, err := os.ReadFile(filepath.Join("testdata", "ok", file))
		if err != nil {
			t.Fatal(err)
		}
		p, fs := ParsePlaybook("testdata/ok/"+file, src)
		if p == nil || len(fs) > 0 {
			t.Fatalf("%s does not lint clean: %v", file, fs)
		}
		return p
	}

	// reviewed_for: 2024.10, unquoted, is the text "2024.10", not the float 2024.1.
	p := read("webhook-deliveries-failing.yaml")
	if p.ReviewedFor != "2024.10" {
		t.Errorf("reviewed_for = %q, want %q", p.ReviewedFor, "2024.10")
	}
	if v := p.Reviewed(); v == nil || v.Minor() != 10 {
		t.Errorf("reviewed_for parsed as %v, want minor version 10", v)
	}

	// start: names a step that is not listed first.
	p = read("sso-login-loop.yaml")
	if s := p.StartStep(); s == nil || s.ID != "read-plan" {
		t.Errorf("start step = %v, want read-plan", s)
	}
}
