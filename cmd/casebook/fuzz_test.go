package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// fuzzLibrary loads the embedded library as the commands do.
func fuzzLibrary(tb testing.TB) *loadedLibrary {
	tb.Helper()
	files, findings, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil {
		tb.Fatal(err)
	}
	lib := loadFiles(files, findings, playbooks.EmbeddedName, loadAll, nil)
	if playbooks.HasErrors(lib.Problems) {
		tb.Fatalf("the embedded library has problems: %v", lib.Problems)
	}
	return lib
}

// fuzzRun runs casebook in-process on the already loaded library, with
// stdin from in and no terminal.
func fuzzRun(lib *loadedLibrary, args []string, in []byte) (int, string) {
	var out bytes.Buffer
	streams := &ioStreams{In: bytes.NewReader(in), Out: &out, ErrOut: &out}
	code := runWith(args, streams, func(f *factory) {
		f.once.Do(func() { f.lib = lib })
		f.getenv = func(string) string { return "" }
		f.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	})
	return code, out.String()
}

func addFiles(f *testing.F, pattern string) {
	names, _ := filepath.Glob(pattern)
	for _, name := range names {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
}

// FuzzAnswers feeds `run --answers` arbitrary files: parsing must never
// panic, every error must be a usage error at FILE:LINE:COL, every answer
// accepted must be legal, and the whole command, reading the answers from
// stdin, must exit 0 or 2.
func FuzzAnswers(f *testing.F) {
	f.Add([]byte("ssl_tracking: off\nclick_tracking: on\nbranded_domains: foo.io\nlink_branding: verified\ncertificate: valid\ncname_target: proxy\n"))
	f.Add([]byte("ssl_tracking: on\n"))
	f.Add([]byte("ssl_tracking: OFF\nclick_tracking: \"on\"\nbrowser: Chrome\n"))
	f.Add([]byte("{ssl_tracking: off, click_tracking: off}\n"))
	addFiles(f, "testdata/bad/*.answers.yaml")
	lib := fuzzLibrary(f)
	p := lib.Find("https-link-branding")
	if p == nil {
		f.Fatal("no embedded playbook https-link-branding")
	}
	const name = "fuzz.answers.yaml"
	positioned := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `:[1-9][0-9]*:[1-9][0-9]*: \S`)
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := parseAnswers(p, name, src)
		if err != nil {
			if code := exitCode(err); code != exitCannotRun {
				t.Errorf("exit %d for bad answers, want %d: %v", code, exitCannotRun, err)
			}
			if msg := err.Error(); !positioned.MatchString(msg) || strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error is not one line starting with %s:LINE:COL: %q", name, msg)
			}
		}
		if m == nil {
			m = &answerMap{}
		}
		for fact, v := range m.values {
			fc := p.Fact(fact)
			if fc == nil {
				t.Errorf("answer for %q, which is not a fact", fact)
				continue
			}
			if _, ok := fc.Legal(v); !ok {
				t.Errorf("answer %s = %q is not legal", fact, v)
			}
		}
		for _, tier := range []string{"L1", "L2"} {
			code, out := fuzzRun(lib, []string{"run", "https-link-branding", "--tier", tier}, src)
			if code != exitOK && code != exitCannotRun {
				t.Errorf("run --tier %s exited %d:\n%s", tier, code, out)
			}
			if strings.Contains(out, "internal error") || strings.Contains(out, "panic") {
				t.Errorf("run --tier %s:\n%s", tier, out)
			}
		}
	})
}

// trainSeeds are move files: each scenario's golden path at its first tier
// and its recording.
func trainSeeds(f *testing.F, lib *loadedLibrary) {
	for _, sc := range lib.Scenarios.Scenarios {
		p := lib.Scenarios.Playbook(sc)
		g, err := simulator.GoldenPath(p, sc, p.Tiers[0])
		if err != nil {
			f.Fatal(err)
		}
		var b strings.Builder
		for _, m := range g.Moves {
			b.WriteString(m.Move + "\n")
		}
		f.Add([]byte(b.String()))
		if sc.Recording != nil {
			b.Reset()
			for _, m := range sc.Recording.Moves {
				fmt.Fprintf(&b, "%s %s\n", m.At.Format(time.RFC3339), m.Move)
			}
			f.Add([]byte(b.String()))
		}
	}
	f.Add([]byte("# comment\n\n  lookup:ssl_tracking  \r\nescalate:L2:click_tracking,ssl_tracking\nescalate:L2:\nclose\n"))
	f.Add([]byte("2023-10-02T09:04:00Z lookup:ssl_tracking\n+15m escalate:L2\n+1d2h close\n"))
	addFiles(f, "testdata/bad/*.moves")
}

// FuzzTrainMoves plays arbitrary move files, one move per line as
// `train --moves` reads them, on every embedded scenario at its lowest and
// highest tier: no move may panic, a refused move's error is one line, and
// the same moves played again give a byte-identical scorecard.
func FuzzTrainMoves(f *testing.F) {
	lib := fuzzLibrary(f)
	trainSeeds(f, lib)
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := strings.Split(string(src), "\n")
		for _, sc := range lib.Scenarios.Scenarios {
			p := lib.Scenarios.Playbook(sc)
			for _, tier := range []*playbooks.Tier{p.Tiers[0], p.Tiers[len(p.Tiers)-1]} {
				ss, err := simulator.New(p, sc, tier.Name, simulator.ModePractice, 1)
				if err != nil {
					t.Fatal(err)
				}
				moves := &scriptedMoves{name: "fuzz.moves", lines: lines}
				var played []string
				for !ss.Over() {
					id, err := moves.next(ss)
					if errors.Is(err, errNoMoreMoves) {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					if moves.line < 1 || moves.line > len(lines) {
						t.Fatalf("move %q read from line %d of %d", id, moves.line, len(lines))
					}
					turns, err := ss.Play(id)
					if err != nil {
						if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\n\r") {
							t.Errorf("line %d: refusal is not one line: %q", moves.line, msg)
						}
						continue // the command stops here; playing on explores further
					}
					for _, turn := range turns {
						printTurn(io.Discard, ss, turn)
					}
					played = append(played, id)
				}
				card := scoreJSON(t, ss)
				again, err := simulator.New(p, sc, tier.Name, simulator.ModePractice, 1)
				if err != nil {
					t.Fatal(err)
				}
				for _, id := range played {
					if _, err := again.Play(id); err != nil {
						t.Fatalf("replaying %q: %v", id, err)
					}
				}
				if card2 := scoreJSON(t, again); !bytes.Equal(card, card2) {
					t.Errorf("%s at %s: the same moves gave different scorecards:\n%s\n%s", sc.ID, tier.Name, card, card2)
				}
			}
		}
	})
}

func scoreJSON(t *testing.T, ss *simulator.Session) []byte {
	t.Helper()
	data, err := json.Marshal(scoring.Score(scoring.FromSession(ss, "fuzz", scoring.SourceAttempt)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// FuzzRecordingMoves feeds `new recording --moves` arbitrary files of
// "TIME MOVE" lines: reading them must never panic, every error must be a
// usage error at FILE:LINE, and an accepted recording must be written into
// the scenario without a panic.
func FuzzRecordingMoves(f *testing.F) {
	lib := fuzzLibrary(f)
	trainSeeds(f, lib)
	fct := newFactory(&ioStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard})
	fct.once.Do(func() { fct.lib = lib })
	path := filepath.Join(f.TempDir(), "fuzz.moves")
	name := filepath.ToSlash(path)
	positioned := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `:[1-9][0-9]*: \S`)
	sc := lib.Scenarios.Find("https-proxy-cname")
	if sc == nil {
		f.Fatal("no embedded scenario https-proxy-cname")
	}
	p := lib.Scenarios.Playbook(sc)
	f.Fuzz(func(t *testing.T, src []byte) {
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		ss, err := simulator.NewManual(p, sc, p.Tiers[0].Name)
		if err != nil {
			t.Fatal(err)
		}
		steps, err := scriptedRecording(fct, ss, path)
		if err != nil {
			if code := exitCode(err); code != exitCannotRun {
				t.Errorf("exit %d, want %d: %v", code, exitCannotRun, err)
			}
			if msg := err.Error(); !positioned.MatchString(msg) || strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error is not one line starting with %s:LINE: %q", name, msg)
			}
			return
		}
		if len(steps) == 0 {
			return
		}
		doc, _ := playbooks.ParseDocument(sc.File, sc.Src)
		out, err := scenarios.WithRecording(sc, doc, p.Tiers[0].Name, steps)
		if err != nil {
			return
		}
		checkScenarioSource(fct, sc.File, out)
	})
}
