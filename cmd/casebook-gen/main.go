// Command casebook-gen writes a generated casebook library for benchmarks:
// N playbooks shaped like the embedded ones, one scenario per ten
// playbooks, and M attempt files made by playing training sessions on
// those scenarios. The same seed always gives the same files.
//
//	casebook-gen -playbooks 10000 -seed 1 /tmp/lib
//	casebook-gen -playbooks 1000 -attempts 100000 -seed 1 /tmp/lib
//	casebook-gen -replicate sqlite:/tmp/store.db -copies 10
//
// Playbooks go to DIR/playbooks, scenarios to DIR/scenarios and attempts to
// DIR/attempts (or -attempts-dir), so `casebook lint DIR/playbooks
// DIR/scenarios` lints the library and `casebook report --library DIR
// DIR/attempts` reports on the attempts.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/casebook/casebook/internal/gen"
)

func main() {
	n := flag.Int("playbooks", 1000, "number of playbooks to generate")
	m := flag.Int("attempts", 0, "number of attempt files to generate")
	seed := flag.Uint64("seed", 1, "seed of the generator")
	attemptsDir := flag.String("attempts-dir", "", "where attempts go (default DIR/attempts)")
	quiet := flag.Bool("q", false, "print nothing on success")
	replicate := flag.String("replicate", "", "make the store at `sqlite:PATH` hold -copies times its attempts, and do nothing else")
	copies := flag.Int("copies", 10, "copies for -replicate")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: casebook-gen [-playbooks N] [-attempts M] [-seed S] DIR\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *replicate != "" {
		if err := gen.Replicate(*replicate, *copies); err != nil {
			fail(err)
		}
		return
	}
	if flag.NArg() != 1 || *n < 1 || *m < 0 {
		flag.Usage()
		os.Exit(2)
	}
	dir := flag.Arg(0)
	start := time.Now()
	if err := gen.Library(dir, *n, *seed); err != nil {
		fail(err)
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "casebook-gen: %d playbooks, %d scenarios in %s (%s)\n", *n, (*n+gen.ScenarioEvery-1)/gen.ScenarioEvery, dir, time.Since(start).Round(time.Millisecond))
	}
	if *m == 0 {
		return
	}
	start = time.Now()
	lib, findings, err := gen.Load(dir)
	if err != nil {
		fail(err)
	}
	if len(findings) > 0 {
		fail(fmt.Errorf("the generated library has %d finding(s), first: %s", len(findings), findings[0]))
	}
	adir := *attemptsDir
	if adir == "" {
		adir = filepath.Join(dir, "attempts")
	}
	if err := gen.Attempts(adir, lib, *m, *seed); err != nil {
		fail(err)
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "casebook-gen: %d attempts in %s (%s)\n", *m, adir, time.Since(start).Round(time.Millisecond))
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "casebook-gen: %v\n", err)
	os.Exit(1)
}
