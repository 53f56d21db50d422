package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

var goldenL1 = []string{
	"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding",
	"probe:certificate", "dns:cname_target", "escalate:L2",
}

// casebookProcess runs this test binary as casebook.
func casebookProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	// Under -race a process sleeps a second at exit unless told not to.
	cmd.Env = append(os.Environ(), "CASEBOOK_TEST_MAIN=1", "CASEBOOK_LIBRARY=", "GORACE=atexit_sleep_ms=0")
	return cmd
}

// outcomeOf is what must not change whether or not a session was killed:
// the scorecard, byte for byte (it lists every move and the result).
func outcomeOf(t *testing.T, out []byte) string {
	t.Helper()
	var card scoring.Scorecard
	if err := json.Unmarshal(out, &card); err != nil || card.Format != scoring.Format {
		t.Fatalf("train -o json printed %q: %v", out, err)
	}
	return string(out)
}

// TestKilledTrainLosesAtMostTheMoveInFlight kills train with SIGKILL after
// each number of moves, resumes the attempt, and checks the finished
// session equals one that was never interrupted.
func TestKilledTrainLosesAtMostTheMoveInFlight(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a unix signal")
	}
	movesFile := filepath.Join(t.TempDir(), "moves.txt")
	if err := os.WriteFile(movesFile, []byte(strings.Join(goldenL1, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refOut, err := casebookProcess("train", "https-proxy-cname", "--seed", "1", "--attempts", t.TempDir(), "--moves", movesFile, "-o", "json").Output()
	if err != nil {
		t.Fatalf("uninterrupted run: %v", err)
	}
	want := outcomeOf(t, refOut)

	for k := 0; k < len(goldenL1); k++ {
		t.Run(fmt.Sprintf("killed after %d moves", k), func(t *testing.T) {
			dir := t.TempDir()
			cmd := casebookProcess("train", "https-proxy-cname", "--seed", "1", "--attempts", dir, "-o", "json")
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for _, m := range goldenL1[:k] {
				fmt.Fprintln(stdin, m)
			}
			path := waitForMoves(t, dir, k)
			// One more move in flight, then the kill.
			fmt.Fprintln(stdin, goldenL1[k])
			cmd.Process.Kill()
			cmd.Wait()
			if path == "" {
				if path = attemptFile(t, dir); path == "" {
					return // killed before the first move was saved: nothing to lose
				}
			}

			a, err := simulator.ReadAttempt(path)
			if err != nil {
				t.Fatalf("reading the killed attempt: %v", err)
			}
			if n := len(a.Moves); n != k && n != k+1 {
				t.Fatalf("the attempt holds %d moves after a kill at move %d", n, k+1)
			}
			if len(a.Moves) == len(goldenL1) {
				// The move in flight was the last and made it to disk before
				// the kill: the attempt is whole; its turns must match.
				var turns []simulator.Turn
				for _, m := range a.Moves {
					turns = append(turns, m.Turns...)
				}
				var ref scoring.Scorecard
				json.Unmarshal(refOut, &ref)
				if len(turns) != len(ref.Path) {
					t.Fatalf("the finished attempt has %d turns, an uninterrupted run %d", len(turns), len(ref.Path))
				}
				for i, tr := range turns {
					if r := ref.Path[i]; tr.Move != r.Move || tr.ClockMin != r.ClockMin || tr.By != r.By {
						t.Errorf("turn %d: %s by %s at %d, want %s by %s at %d", i+1, tr.Move, tr.By, tr.ClockMin, r.Move, r.By, r.ClockMin)
					}
				}
				return
			}
			rest := filepath.Join(t.TempDir(), "rest.txt")
			os.WriteFile(rest, []byte(strings.Join(goldenL1, "\n")+"\n"), 0o644)
			out, err := casebookProcess("train", "--resume", path, "--moves", rest, "-o", "json").Output()
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			if got := outcomeOf(t, out); got != want {
				t.Errorf("resumed session differs from an uninterrupted one\n got: %s\nwant: %s", got, want)
			}
		})
	}
}

// waitForMoves waits until the one attempt file in dir holds n moves. An
// attempt file is written with its first move: for n = 0 there is none to
// wait for.
func waitForMoves(t *testing.T, dir string, n int) string {
	t.Helper()
	if n == 0 {
		return ""
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.attempt"))
		if len(matches) == 1 {
			data, _ := os.ReadFile(matches[0])
			if bytes.Count(data, []byte("\n")) >= n+1 {
				return matches[0]
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the attempt in %s never reached %d moves", dir, n)
	return ""
}

// TestKillStormLosesNoAttempt kills train at random points, 100 times: with
// the move in flight at any stage of being written, every attempt resumes
// and ends with the scorecard of an uninterrupted run.
func TestKillStormLosesNoAttempt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a unix signal")
	}
	runs := 100
	if testing.Short() {
		runs = 10
	}
	movesFile := filepath.Join(t.TempDir(), "moves.txt")
	os.WriteFile(movesFile, []byte(strings.Join(goldenL1, "\n")+"\n"), 0o644)
	refOut, err := casebookProcess("train", "https-proxy-cname", "--seed", "1", "--attempts", t.TempDir(), "--moves", movesFile, "-o", "json").Output()
	if err != nil {
		t.Fatalf("uninterrupted run: %v", err)
	}
	want := outcomeOf(t, refOut)
	rng := rand.New(rand.NewPCG(2026, 11))
	for i := range runs {
		k := rng.IntN(len(goldenL1)) // whole moves before the kill
		delay := time.Duration(rng.IntN(3000)) * time.Microsecond
		dir := t.TempDir()
		cmd := casebookProcess("train", "https-proxy-cname", "--seed", "1", "--attempts", dir, "-o", "json")
		stdin, _ := cmd.StdinPipe()
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for _, m := range goldenL1[:k] {
			fmt.Fprintln(stdin, m)
		}
		path := waitForMoves(t, dir, k)
		fmt.Fprintln(stdin, goldenL1[k])
		time.Sleep(delay) // the kill lands anywhere while the move is made and written
		cmd.Process.Kill()
		cmd.Wait()
		if path == "" {
			if path = attemptFile(t, dir); path == "" {
				continue // killed before the first move was saved: nothing to lose
			}
		}

		a, err := simulator.ReadAttempt(path)
		if err != nil {
			t.Fatalf("run %d (kill after %d moves + %v): the attempt cannot be read: %v", i, k, delay, err)
		}
		if n := len(a.Moves); n != k && n != k+1 {
			t.Fatalf("run %d: %d moves survived a kill during move %d", i, n, k+1)
		}
		if len(a.Moves) == len(goldenL1) {
			continue // the last move made it: the case closed before the kill
		}
		rest := filepath.Join(t.TempDir(), "rest.txt")
		os.WriteFile(rest, []byte(strings.Join(goldenL1, "\n")+"\n"), 0o644)
		out, err := casebookProcess("train", "--resume", path, "--moves", rest, "-o", "json").Output()
		if err != nil {
			t.Fatalf("run %d (kill after %d moves + %v): resume failed: %v", i, k, delay, err)
		}
		if got := outcomeOf(t, out); got != want {
			t.Fatalf("run %d (kill after %d moves + %v): the resumed scorecard differs from an uninterrupted one", i, k, delay)
		}
	}
}

// attemptFile is the one attempt file in dir, or "" when there is none.
func attemptFile(t *testing.T, dir string) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, "*.attempt"))
	if len(matches) > 1 {
		t.Fatalf("%d attempt files in %s, want at most one", len(matches), dir)
	}
	if len(matches) == 0 {
		return ""
	}
	return matches[0]
}
