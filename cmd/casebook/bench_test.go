package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/gen"
)

// benchRun runs casebook in-process with discarded output and fails the
// benchmark on any exit code but 0. A memory limit the command sets (lint
// does) is undone afterwards, as if each run were its own process, so that
// it does not slow the benchmarks that follow.
func benchRun(b *testing.B, args ...string) {
	b.Helper()
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	var errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: &errOut}
	if code := run(args, streams); code != 0 {
		b.Fatalf("casebook %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
}

// BenchmarkVersion is `casebook --version` without the process start-up.
func BenchmarkVersion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchRun(b, "--version")
	}
}

// benchDir is the data bench/compare.sh keeps when run with BENCH_DIR: set
// CASEBOOK_BENCH_DIR to the same directory to benchmark (and profile) lint
// on its 10k library and report on its 100k attempts in-process:
//
//	BENCH_DIR=/tmp/cb bench/compare.sh
//	CASEBOOK_BENCH_DIR=/tmp/cb go test -run '^$' -bench 'Lint/10k' -cpuprofile cpu.out ./cmd/casebook
//	go tool pprof -top cpu.out
func benchDir(sub string) (string, bool) {
	root := os.Getenv("CASEBOOK_BENCH_DIR")
	if root == "" {
		return "", false
	}
	dir := filepath.Join(root, sub)
	_, err := os.Stat(dir)
	return dir, err == nil
}

// BenchmarkLint is `casebook lint` end to end: on the embedded library,
// and on a generated library of 1,000 playbooks and 100 scenarios (with
// CASEBOOK_BENCH_DIR, also on compare.sh's 10k and 50k libraries).
func BenchmarkLint(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		b.Setenv("CASEBOOK_LIBRARY", "")
		b.ReportAllocs()
		for b.Loop() {
			benchRun(b, "lint")
		}
	})
	b.Run("1k", func(b *testing.B) {
		dir := b.TempDir()
		if err := gen.Library(dir, 1000, 1); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			benchRun(b, "lint", dir)
		}
	})
	for _, n := range []string{"10k", "50k"} {
		dir, ok := benchDir("lib-" + strings.TrimSuffix(n, "k") + "000")
		if !ok {
			continue
		}
		b.Run(n, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchRun(b, "lint", dir)
			}
		})
	}
}

// BenchmarkReport is `casebook report` end to end over 10,000 attempts made
// on a generated library of 1,000 playbooks (100 scenarios), the library
// loaded on every run as the command does (with CASEBOOK_BENCH_DIR, also
// over compare.sh's 100k attempts).
func BenchmarkReport(b *testing.B) {
	b.Run("10k", func(b *testing.B) {
		dir := b.TempDir()
		lib, attempts := filepath.Join(dir, "library"), filepath.Join(dir, "attempts")
		if err := gen.Library(lib, 1000, 1); err != nil {
			b.Fatal(err)
		}
		sl, fs, err := gen.Load(lib)
		if err != nil || len(fs) > 0 {
			b.Fatal(err, fs)
		}
		if err := gen.Attempts(attempts, sl, 10_000, 1); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			benchRun(b, "report", "--library", lib, attempts)
		}
	})
	if dir, ok := benchDir("report"); ok {
		b.Run("100k", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchRun(b, "report", "--library", filepath.Join(dir, "library"), filepath.Join(dir, "attempts"))
			}
		})
	}
}
