package simulator

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// fuzzLibrary loads the embedded playbooks and scenarios.
func fuzzLibrary(tb testing.TB) (*playbooks.Library, *scenarios.Library) {
	tb.Helper()
	files, fs, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		tb.Fatalf("reading the embedded library: %v %v", err, fs)
	}
	lib := playbooks.Load(files)
	return lib, scenarios.Load(lib)
}

// goldenAttempt writes the attempt file of a trainee who follows the
// golden path of a scenario at its first tier, and returns its bytes.
func goldenAttempt(tb testing.TB, dir string, p *playbooks.Playbook, s *scenarios.Scenario) []byte {
	tb.Helper()
	ss, err := New(p, s, p.Tiers[0].Name, ModePractice, 7)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	j, err := CreateJournal(dir, AttemptHeader{Casebook: AttemptKind, Scenario: s.ID, Playbook: p.ID, PlaybookVersion: p.Version,
		Tier: string(p.Tiers[0].Name), Mode: ModePractice, Seed: 7, Trainee: "fuzz", StartedAt: now.Format(time.RFC3339)}, now)
	if err != nil {
		tb.Fatal(err)
	}
	defer j.Close()
	for _, m := range ss.Golden().Moves {
		if ss.Over() || m.Tier != p.Tiers[0].Name {
			break
		}
		turns, err := ss.Play(m.Move)
		if err != nil {
			tb.Fatal(err)
		}
		if err := j.Append(m.Move, now, turns); err != nil {
			tb.Fatal(err)
		}
	}
	data, err := os.ReadFile(j.Path())
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// FuzzReadAttempt feeds the attempt reader arbitrary files: it must never
// panic, every error must name path:line:col, and an attempt it accepts
// must resume on the embedded library without a panic.
func FuzzReadAttempt(f *testing.F) {
	_, sl := fuzzLibrary(f)
	seeds := f.TempDir()
	for _, s := range sl.Scenarios {
		data := goldenAttempt(f, seeds, sl.Playbook(s), s)
		f.Add(data)
		// Killed while writing the last move.
		f.Add(data[:len(data)-len(data)/4])
	}
	names, _ := filepath.Glob("../cmd/casebook/testdata/bad/*.attempt")
	for _, name := range names {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}

	// One file per fuzzing process, rewritten for each input.
	path := filepath.Join(f.TempDir(), "fuzz.attempt")
	positioned := regexp.MustCompile(`^` + regexp.QuoteMeta(path) + `:([1-9][0-9]*):[1-9][0-9]*: \S`)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		a, err := ReadAttempt(path)
		if err != nil {
			msg := err.Error()
			m := positioned.FindStringSubmatch(msg)
			if m == nil {
				t.Fatalf("error without path:line:col: %s", msg)
			}
			if line, _ := strconv.Atoi(m[1]); line > bytes.Count(data, []byte("\n"))+1 {
				t.Errorf("error past the file's last line: %s", msg)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error is not one line: %q", msg)
			}
			return
		}
		if a.Torn && bytes.HasSuffix(data, []byte("\n")) {
			t.Errorf("Torn for a file that ends in a newline")
		}
		if !a.Torn && !bytes.HasSuffix(data, []byte("\n")) && len(a.Moves) > 0 {
			last := data[bytes.LastIndexByte(data, '\n')+1:]
			if !json.Valid(last) {
				t.Errorf("kept a last line without newline that is not JSON: %q", last)
			}
		}
		for i, m := range a.Moves {
			if m.N != i+1 || m.Move == "" {
				t.Errorf("move %d read as %+v", i+1, m)
			}
		}
		s := sl.Find(a.Header.Scenario)
		if s == nil || sl.Playbook(s) == nil {
			return
		}
		ss, err := Resume(a, sl.Playbook(s), s, false)
		if err != nil {
			return
		}
		if len(ss.Turns()) < len(a.Moves) {
			t.Errorf("resumed %d move(s) into %d turn(s)", len(a.Moves), len(ss.Turns()))
		}
		ss.Menu()
		ss.Verified()
		ss.GoldenClock()
	})
}

// FuzzSimulateScenario runs the simulator on arbitrary scenario files that
// check clean against the embedded playbooks: the golden path at every
// tier, a session that follows it, and the recording's replay must never
// panic or loop.
func FuzzSimulateScenario(f *testing.F) {
	fs.WalkDir(scenarios.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if src, err := fs.ReadFile(scenarios.Embedded(), p); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	for _, pattern := range []string{"../scenarios/testdata/ok/*.yaml", "../cmd/casebook/testdata/bad/*.scenario.yaml"} {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			if src, err := os.ReadFile(name); err == nil {
				f.Add(src)
			}
		}
	}
	lib, _ := fuzzLibrary(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, findings := playbooks.ParseDocument("fuzz.yaml", src)
		if doc.Root == nil || doc.Kind != scenarios.Kind {
			return
		}
		s, more := scenarios.Parse(doc)
		findings = append(findings, more...)
		p, more := scenarios.Check(s, lib)
		findings = append(findings, more...)
		if p == nil || playbooks.HasErrors(findings) {
			return
		}
		for _, tier := range p.Tiers {
			g, err := GoldenPath(p, s, tier)
			if err != nil {
				continue
			}
			g.Needed()
			for _, mode := range []string{ModePractice, ModeExam} {
				ss, err := New(p, s, tier.Name, mode, 1)
				if err != nil {
					continue
				}
				for _, m := range g.Moves {
					if ss.Over() {
						break
					}
					if m.Tier != tier.Name {
						continue
					}
					if _, err := ss.Play(m.Move); err != nil {
						t.Errorf("golden move %s at %s refused: %v", m.Move, tier.Name, err)
						break
					}
					ss.Menu()
				}
				ss.GoldenClock()
				ss.GoldenMoves()
			}
		}
		if s.Recording != nil {
			ReplayRecording(p, s)
		}
	})
}

// FuzzQuickHeader holds the fast header reader to encoding/json: whatever
// it accepts, encoding/json reads as the same header.
func FuzzQuickHeader(f *testing.F) {
	f.Add([]byte(`{"casebook":"attempt/v1","scenario":"s","playbook":"p","playbook_version":"1.0.0","tier":"L1","mode":"exam","seed":42,"trainee":"ana","started_at":"2024-01-10T19:18:00Z"}`))
	f.Add([]byte(`{"seed":18446744073709551615,"trainee":"Jos\u00e9"}`))
	f.Add([]byte(`{"seed":18446744073709551616}`))
	f.Add([]byte(`{"tier":"L1","tier":"L2"}`))
	f.Add([]byte(`{"Tier":"L1"}`))
	f.Add([]byte(`{"seed":01}`))
	f.Add([]byte("{\"trainee\":\"a\xffb\"}"))
	f.Add([]byte(`{"trainee":"José"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var quick AttemptHeader
		if !quickHeader(line, &quick) {
			if quick != (AttemptHeader{}) {
				t.Fatalf("refused %q but set %+v", line, quick)
			}
			return
		}
		var slow AttemptHeader
		if err := json.Unmarshal(line, &slow); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", line, err)
		}
		if quick != slow {
			t.Fatalf("%q: quick %+v, encoding/json %+v", line, quick, slow)
		}
	})
}
