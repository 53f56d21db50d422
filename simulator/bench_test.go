package simulator_test

import (
	"path/filepath"
	"testing"

	"github.com/casebook/casebook/internal/gen"
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// library generates n playbooks (n/10 scenarios) and loads them, outside
// the timer.
func library(b *testing.B, n int) (string, *scenarios.Library) {
	b.Helper()
	dir := b.TempDir()
	if err := gen.Library(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	sl, fs, err := gen.Load(dir)
	if err != nil || len(fs) > 0 {
		b.Fatal(err, fs)
	}
	return dir, sl
}

func embedded(b *testing.B) *scenarios.Library {
	b.Helper()
	files, fs, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		b.Fatal(err, fs)
	}
	return scenarios.Load(playbooks.Load(files))
}

// BenchmarkGoldenPath derives the golden path of a scenario for its lowest
// tier: on the founding case, and round the scenarios of a generated
// library of 200 playbooks.
func BenchmarkGoldenPath(b *testing.B) {
	run := func(b *testing.B, sl *scenarios.Library) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			s := sl.Scenarios[i%len(sl.Scenarios)]
			p := sl.Playbook(s)
			if _, err := simulator.GoldenPath(p, s, p.Tiers[0]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	b.Run("embedded", func(b *testing.B) {
		sl := embedded(b)
		sl.Scenarios = []*scenarios.Scenario{sl.Find("https-proxy-cname")}
		b.ResetTimer()
		run(b, sl)
	})
	b.Run("generated", func(b *testing.B) {
		_, sl := library(b, 200)
		b.ResetTimer()
		run(b, sl)
	})
}

// BenchmarkPlayGoldenPath starts a session and plays the golden path of
// the lowest tier to the end, as a trainee who knows the playbook would.
func BenchmarkPlayGoldenPath(b *testing.B) {
	_, sl := library(b, 200)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		s := sl.Scenarios[i%len(sl.Scenarios)]
		p := sl.Playbook(s)
		ss, err := simulator.New(p, s, p.Tiers[0].Name, simulator.ModePractice, uint64(i))
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range ss.Golden().Moves {
			if ss.Over() {
				break
			}
			if _, err := ss.Play(m.Move); err != nil {
				b.Fatal(err)
			}
		}
		i++
	}
}

// BenchmarkReadAttempt reads generated attempt files back (what `casebook
// report` does first for every attempt).
func BenchmarkReadAttempt(b *testing.B) {
	dir, sl := library(b, 100)
	adir := filepath.Join(dir, "attempts")
	if err := gen.Attempts(adir, sl, 200, 1); err != nil {
		b.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(adir, "*.attempt"))
	if err != nil || len(names) == 0 {
		b.Fatal(err, names)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := simulator.ReadAttempt(names[i%len(names)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
