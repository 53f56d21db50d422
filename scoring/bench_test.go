package scoring_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/casebook/casebook/internal/gen"
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// inputs generates a library of 200 playbooks and n attempts on its
// scenarios, and builds the scoring input of each attempt the way `casebook
// report` does (read the attempt, golden path per scenario and tier, the
// turns it recorded), outside the timer.
func inputs(b *testing.B, n int) []scoring.Input {
	b.Helper()
	dir := b.TempDir()
	if err := gen.Library(dir, 200, 1); err != nil {
		b.Fatal(err)
	}
	sl, fs, err := gen.Load(dir)
	if err != nil || len(fs) > 0 {
		b.Fatal(err, fs)
	}
	adir := filepath.Join(dir, "attempts")
	if err := gen.Attempts(adir, sl, n, 1); err != nil {
		b.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(adir, "*.attempt"))
	if err != nil {
		b.Fatal(err)
	}
	var out []scoring.Input
	for _, name := range names {
		a, err := simulator.ReadAttempt(name)
		if err != nil {
			b.Fatal(err)
		}
		sc := sl.Find(a.Header.Scenario)
		p := sl.Playbook(sc)
		ss, err := simulator.New(p, sc, playbooks.TierName(a.Header.Tier), simulator.ModeExam, 0)
		if err != nil {
			b.Fatal(err)
		}
		var turns []simulator.Turn
		for _, m := range a.Moves {
			turns = append(turns, m.Turns...)
		}
		out = append(out, scoring.Input{Scenario: sc, Playbook: p, Tier: playbooks.TierName(a.Header.Tier), Trainee: a.Header.Trainee,
			Mode: a.Header.Mode, Source: scoring.SourceAttempt, Turns: turns, Golden: ss.Golden(),
			GoldenClockMin: int(ss.GoldenClock().Minutes()), GoldenMoves: ss.GoldenMoves()})
	}
	b.ResetTimer()
	return out
}

// BenchmarkScore grades one generated attempt from its recorded turns.
func BenchmarkScore(b *testing.B) {
	in := inputs(b, 200)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if c := scoring.Score(in[i%len(in)]); c.Total < 0 {
			b.Fatal(c.Total)
		}
		i++
	}
}

// BenchmarkAggregate builds the team report from 10,000 scorecards (the
// scorecards of 1,000 generated attempts, each counted ten times under
// other file names).
func BenchmarkAggregate(b *testing.B) {
	b.Run("10k", func(b *testing.B) {
		in := inputs(b, 1000)
		var entries []scoring.Entry
		for c := range 10 {
			for i, x := range in {
				entries = append(entries, scoring.Entry{Card: scoring.Score(x), StartedAt: fmt.Sprintf("2024-01-%02dT09:%02d:00Z", 1+c, i%60),
					File: fmt.Sprintf("copy%d/%d.attempt", c, i)})
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			a := scoring.NewAggregator(3, 3)
			for _, e := range entries {
				a.Add(e)
			}
			if r := a.Report(); r.Attempts != len(entries) {
				b.Fatal(r.Attempts)
			}
		}
	})
}
