package gen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// TestGeneratedLibraryLintsClean loads a generated library the way `casebook
// lint` does and expects no finding at all, and playbooks shaped like the
// embedded ones.
func TestGeneratedLibraryLintsClean(t *testing.T) {
	dir := t.TempDir()
	if err := Library(dir, 50, 1); err != nil {
		t.Fatal(err)
	}
	sl, findings, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("finding: %s", f)
	}
	if got, want := len(sl.Scenarios), 50/ScenarioEvery; got != want {
		t.Errorf("%d scenarios, want %d", got, want)
	}
	files, _, err := playbooks.ReadPaths([]string{filepath.Join(dir, "playbooks")}, playbooks.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	lib := playbooks.Load(files)
	if len(lib.Playbooks) != 50 {
		t.Fatalf("%d playbooks, want 50", len(lib.Playbooks))
	}
	size := 0
	for _, f := range files {
		size += len(f.Src)
	}
	sources := map[string]bool{}
	for _, p := range lib.Playbooks {
		if n := len(p.Facts); n < 5 || n > 12 {
			t.Errorf("%s has %d facts, want 5–12", p.ID, n)
		}
		if n := len(p.Tiers); n < 2 || n > 3 {
			t.Errorf("%s has %d tiers, want 2–3", p.ID, n)
		}
		if n := len(p.Steps); n < 10 || n > 30 {
			t.Errorf("%s has %d steps, want 10–30", p.ID, n)
		}
		for _, f := range p.Facts {
			sources[f.SourceKind()] = true
		}
	}
	if len(sources) != 5 {
		t.Errorf("fact sources %v, want all five", sources)
	}
	if avg := size / len(lib.Playbooks); avg < 4000 || avg > 9000 {
		t.Errorf("playbooks average %d bytes, want about 5–8 KB", avg)
	}
	for _, s := range sl.Scenarios {
		for _, tr := range s.Traps {
			for _, f := range tr.Findings {
				if scoring.RuleByID(f.Value) == nil {
					t.Errorf("scenario %s: trap %s earns %q, which is no scoring rule", s.ID, tr.ID, f.Value)
				}
			}
		}
	}
}

// TestSameSeedSameBytes generates twice with one seed, libraries and
// attempts, and compares every file.
func TestSameSeedSameBytes(t *testing.T) {
	gen := func() map[string][]byte {
		dir := t.TempDir()
		if err := Library(dir, 30, 7); err != nil {
			t.Fatal(err)
		}
		sl, findings, err := Load(dir)
		if err != nil || len(findings) > 0 {
			t.Fatalf("loading: %v %v", err, findings)
		}
		if err := Attempts(filepath.Join(dir, "attempts"), sl, 12, 7); err != nil {
			t.Fatal(err)
		}
		return tree(t, dir)
	}
	a, b := gen(), gen()
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	other := t.TempDir()
	if err := Library(other, 30, 8); err != nil {
		t.Fatal(err)
	}
	if same := tree(t, other); bytes.Equal(same["playbooks/"+firstKey(a, "playbooks/")], a["playbooks/"+firstKey(a, "playbooks/")]) {
		t.Errorf("seeds 7 and 8 gave the same first playbook")
	}
}

// TestAttemptsAreRealSessions reads the generated attempts back as
// `casebook report` does and resumes each session from its moves.
func TestAttemptsAreRealSessions(t *testing.T) {
	dir := t.TempDir()
	if err := Library(dir, 40, 3); err != nil {
		t.Fatal(err)
	}
	sl, findings, err := Load(dir)
	if err != nil || len(findings) > 0 {
		t.Fatalf("loading: %v %v", err, findings)
	}
	adir := filepath.Join(dir, "attempts")
	if err := Attempts(adir, sl, 40, 3); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(adir, "*.attempt"))
	if err != nil || len(names) != 40 {
		t.Fatalf("%d attempt files (%v), want 40", len(names), err)
	}
	closed, offPath := 0, 0
	for _, name := range names {
		a, err := simulator.ReadAttempt(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := sl.Find(a.Header.Scenario)
		if sc == nil {
			t.Fatalf("%s: no scenario %s", name, a.Header.Scenario)
		}
		ss, err := simulator.Resume(a, sl.Playbook(sc), sc, false)
		if err != nil {
			t.Fatalf("resuming %s: %v", name, err)
		}
		if ss.Over() {
			closed++
		}
		for _, turn := range ss.Turns() {
			if !turn.OnPath {
				offPath++
				break
			}
		}
	}
	if closed == 0 || offPath == 0 {
		t.Errorf("%d of 40 attempts closed, %d with moves off the golden path; want a mix", closed, offPath)
	}
}

func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func firstKey(m map[string][]byte, prefix string) string {
	best := ""
	for k := range m {
		if rest, ok := strings.CutPrefix(k, prefix); ok && (best == "" || rest < best) {
			best = rest
		}
	}
	return best
}
