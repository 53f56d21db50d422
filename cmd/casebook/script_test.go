package main

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/pgtest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	// Tests that need a real casebook process (killing it, say) run the
	// test binary itself with this variable set.
	if os.Getenv("CASEBOOK_TEST_MAIN") == "1" {
		os.Exit(Main())
	}
	// testscript.Main exits itself: the shared PostgreSQL server (if a
	// test started one) is stopped inside Run, after the tests.
	testscript.Main(stopPostgresAfter{m}, map[string]func(){
		"casebook": func() { os.Exit(Main()) },
	})
}

// stopPostgresAfter runs the tests, then stops the PostgreSQL server
// pgtest.URL may have started for them.
type stopPostgresAfter struct{ m *testing.M }

func (s stopPostgresAfter) Run() int {
	defer pgtest.Stop()
	return s.m.Run()
}

// TestScripts runs the end-to-end scripts in testdata/script. Set
// CASEBOOK_UPDATE_GOLDEN=1 to rewrite the files that cmp compares against.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       os.Getenv("CASEBOOK_UPDATE_GOLDEN") == "1",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":   cmdExits,
			"replace": cmdReplace,
			"cpglob":  cmdCpGlob,
			"xmlok":   cmdXMLOK,
			"chop":    cmdChop,
			"bigline": cmdBigLine,
		},
		Setup: func(env *testscript.Env) error {
			env.Setenv("CASEBOOK_LIBRARY", "")
			// Under -race every process sleeps a second at exit unless told not to.
			env.Setenv("GORACE", "atexit_sleep_ms=0")
			return nil
		},
	})
}

// cmdExits runs a command and checks its exit code:
//
//	exits 2 casebook run nope
//
// Its stdout and stderr can be checked afterwards like exec's.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// cmdReplace edits a file in the work directory, replacing the first
// occurrence of OLD with NEW (Go-quoted strings, so \n and \t work):
//
//	replace lib/x.yaml "next: a" "next: b"
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	unquote := func(s string) string {
		u, err := strconv.Unquote(`"` + s + `"`)
		if err != nil {
			ts.Fatalf("replace: %v", err)
		}
		return u
	}
	name := ts.MkAbs(args[0])
	data, err := os.ReadFile(name)
	ts.Check(err)
	old, repl := unquote(args[1]), unquote(args[2])
	if !strings.Contains(string(data), old) {
		ts.Fatalf("replace: %s does not contain %q", args[0], old)
	}
	ts.Check(os.WriteFile(name, []byte(strings.Replace(string(data), old, repl, 1)), 0o644))
}

// cmdCpGlob copies the one file matching a glob to a fixed name, so a
// script can use a file whose name it cannot know (an attempt named after
// the time it started):
//
//	cpglob data/casebook/attempts/*.attempt first.attempt
func cmdCpGlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cpglob PATTERN DEST")
	}
	matches, err := filepath.Glob(ts.MkAbs(args[0]))
	ts.Check(err)
	if len(matches) != 1 {
		ts.Fatalf("cpglob: %d files match %s, want 1", len(matches), args[0])
	}
	data, err := os.ReadFile(matches[0])
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

// cmdXMLOK checks that a file is well-formed XML:
//
//	xmlok report.xml
func cmdXMLOK(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: xmlok FILE")
	}
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	dec := xml.NewDecoder(f)
	var bad error
	for {
		if _, err := dec.Token(); err != nil {
			if err != io.EOF {
				bad = err
			}
			break
		}
	}
	switch {
	case bad != nil && !neg:
		ts.Fatalf("%s is not well-formed XML: %v", args[0], bad)
	case bad == nil && neg:
		ts.Fatalf("%s is well-formed XML", args[0])
	}
}

// cmdChop cuts the last N bytes off a file, as a crash while writing
// would:
//
//	chop x.attempt 1    # the last newline
func cmdChop(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: chop FILE N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	name := ts.MkAbs(args[0])
	data, err := os.ReadFile(name)
	ts.Check(err)
	if n > len(data) {
		ts.Fatalf("chop: %s has only %d bytes", args[0], len(data))
	}
	ts.Check(os.WriteFile(name, data[:len(data)-n], 0o644))
}

// cmdBigLine writes a file whose line LINE (1-based) holds N bytes of "x"
// after the lines given:
//
//	bigline long.txt 70000 lookup:ssl_tracking
func cmdBigLine(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: bigline FILE N [LINE...]")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	var b strings.Builder
	for _, l := range args[2:] {
		b.WriteString(l + "\n")
	}
	b.WriteString(strings.Repeat("x", n) + "\n")
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b.String()), 0o644))
}
