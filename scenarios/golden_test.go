package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"

	"github.com/casebook/casebook/playbooks"
)

// Scenario golden cases, as for playbooks (STYLE.md item 18): every file in
// testdata/ok/ must check clean against the embedded playbooks; every file
// in testdata/err/ must produce exactly the findings in the .out file beside
// it. Set CASEBOOK_UPDATE_GOLDEN=1 to rewrite the .out files, then read every
// one before committing it.

// checkScenarioFile loads the embedded playbooks, those of
// testdata/playbooks (which must load clean) and one scenario file,
// named name, and returns every finding about that file, sorted: from
// parsing the document (YAML syntax, kind), from the scenario loader and
// checks, and one for a document of an unknown kind (as the command reports
// it).
func checkScenarioFile(t *testing.T, path, name string) []playbooks.Finding {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return checkScenarioSrc(t, name, src)
}

// checkScenarioSrc is checkScenarioFile for a scenario's text.
func checkScenarioSrc(t *testing.T, name string, src []byte) []playbooks.Finding {
	t.Helper()
	files, readFindings, err := playbooks.ReadFS(playbooks.Embedded(), playbooks.EmbeddedName, playbooks.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range readFindings {
		t.Errorf("reading the embedded playbooks: %s", f)
	}
	for _, pb := range golden.Glob(t, filepath.Join("testdata", "playbooks", "*.yaml")) {
		src, err := os.ReadFile(pb)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, playbooks.File{Name: "testdata/playbooks/" + filepath.Base(pb), Src: src})
	}
	files = append(files, playbooks.File{Name: name, Src: src})
	lib := playbooks.Load(files)
	sl := Load(lib)

	var fs []playbooks.Finding
	for _, f := range lib.Findings {
		if f.File == name {
			fs = append(fs, f)
		} else {
			t.Errorf("embedded playbook finding: %s", f)
		}
	}
	fs = append(fs, sl.Findings...)
	for _, doc := range sl.Others {
		if doc.File != name {
			continue // the embedded release manifests are not scenarios
		}
		fs = append(fs, playbooks.Finding{File: doc.File, Line: doc.KindPos.Line, Col: doc.KindPos.Col,
			Rule: playbooks.RuleBadKind, Severity: playbooks.SeverityError,
			Message: fmt.Sprintf("casebook: %q is not a known kind; expected %s or %s", doc.Kind, playbooks.KindPlaybook, Kind)})
	}
	playbooks.SortFindings(fs)
	return fs
}

func TestOKScenariosCheckClean(t *testing.T) {
	for _, path := range golden.Glob(t, filepath.Join("testdata", "ok", "*.yaml")) {
		base := filepath.Base(path)
		name := "testdata/ok/" + base
		t.Run(strings.TrimSuffix(base, ".yaml"), func(t *testing.T) {
			for _, f := range checkScenarioFile(t, path, name) {
				t.Errorf("%s", f)
			}
		})
	}
}

func TestErrScenariosMatchGolden(t *testing.T) {
	for _, path := range golden.Glob(t, filepath.Join("testdata", "err", "*.yaml")) {
		base := filepath.Base(path)
		name := "testdata/err/" + base
		goldenPath := strings.TrimSuffix(path, ".yaml") + ".out"
		t.Run(strings.TrimSuffix(base, ".yaml"), func(t *testing.T) {
			fs := checkScenarioFile(t, path, name)
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

func TestEveryScenarioRuleHasAnErrCase(t *testing.T) {
	all := golden.Concat(t, filepath.Join("testdata", "err", "*.out"))
	for _, r := range Rules {
		if !strings.Contains(all, "["+string(r.ID)+"]") {
			t.Errorf("no testdata/err/*.out shows rule %s failing; add a case", r.ID)
		}
	}
}
