package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/pgtest"
	"github.com/casebook/casebook/store"
)

// The database stores these tests run train against, each with how many
// train processes the concurrency test runs on one store at once.
var storeKillBackends = []struct {
	name  string
	url   func(t *testing.T) string // a new, empty store
	procs int
}{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.ToSlash(filepath.Join(t.TempDir(), "team.db")) }, 8},
	{"postgres", func(t *testing.T) string { return pgtest.URL(t) }, 50},
}

// storePollTimeout bounds every wait for the store to reach a state.
const storePollTimeout = 20 * time.Second

// casebookWithin is casebookProcess, killed when ctx ends: no test waits
// on a stuck casebook for ever.
func casebookWithin(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = casebookProcess().Env
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// runCasebook runs casebook to the end and returns what it printed and
// its exit code (-1 when it did not exit by itself).
func runCasebook(t *testing.T, ctx context.Context, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := casebookWithin(ctx, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("casebook %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("casebook %s did not finish in time (stderr: %s)", strings.Join(args, " "), errOut.Bytes())
	}
	return out.Bytes(), errOut.Bytes(), code
}

// goldenMovesFile writes goldenL1, one move a line.
func goldenMovesFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "moves.txt")
	if err := os.WriteFile(path, []byte(strings.Join(goldenL1, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// attemptOf is the number of the attempt train names on stderr
// ("attempt: sqlite:PATH#ID").
func attemptOf(t *testing.T, stderr []byte) string {
	t.Helper()
	for _, line := range strings.Split(string(stderr), "\n") {
		if rest, ok := strings.CutPrefix(line, "attempt: "); ok {
			if i := strings.LastIndexByte(rest, '#'); i >= 0 {
				return rest[i+1:]
			}
		}
	}
	t.Fatalf("train named no stored attempt on stderr: %q", stderr)
	return ""
}

// errNoStore says a store has not been made yet (no file, no schema).
var errNoStore = errors.New("the store is not made yet")

// storedAttempts reads every attempt of a database store, as the store
// package gives them, in a fresh connection.
func storedAttempts(url string) ([]store.Info, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		if msg := err.Error(); strings.Contains(msg, "no such store") || strings.Contains(msg, "holds no casebook store") {
			return nil, errNoStore
		}
		return nil, err
	}
	defer st.Close()
	var infos []store.Info
	err = st.(store.Scored).Attempts(ctx, store.Filter{}, func(i store.Info) bool {
		infos = append(infos, i)
		return true
	})
	return infos, err
}

// storedMoves is the moves a stored attempt holds, read back from its rows.
func storedMoves(t *testing.T, url, ref string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.Read(ctx, ref)
	if err != nil {
		t.Fatalf("reading attempt %s: %v", ref, err)
	}
	var moves []string
	for _, m := range a.Moves {
		moves = append(moves, m.Move)
	}
	return moves
}

// waitForStoredMoves waits until the store's one attempt holds n moves
// (n > 0: an attempt is stored with its first move) and returns its ref.
func waitForStoredMoves(t *testing.T, url string, n int) string {
	t.Helper()
	deadline := time.Now().Add(storePollTimeout)
	var last error
	for time.Now().Before(deadline) {
		infos, err := storedAttempts(url)
		switch {
		case err != nil:
			last = err
		case len(infos) > 1:
			t.Fatalf("%d attempts in the store, want one", len(infos))
		case len(infos) == 1 && infos[0].Moves > n:
			t.Fatalf("attempt %s holds %d moves; only %d were sent", infos[0].Ref, infos[0].Moves, n)
		case len(infos) == 1 && infos[0].Moves == n:
			return infos[0].Ref
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the store never held an attempt of %d moves in %v (last error: %v)", n, storePollTimeout, last)
	return ""
}

// waitForStore waits until a store is made (train makes it before it
// reads a move) and holds no attempt.
func waitForStore(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(storePollTimeout)
	var last error
	for time.Now().Before(deadline) {
		infos, err := storedAttempts(url)
		if err == nil {
			if len(infos) > 0 {
				t.Fatalf("%d attempts in the store before any move was sent", len(infos))
			}
			return
		}
		last = err
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the store was never made in %v (last error: %v)", storePollTimeout, last)
}

// TestStoreConcurrentTrainsLoseNoMove runs many train processes on one
// database store at once, each playing a whole session into a store it
// may be the first to open: writers that wait for each other's
// transactions must neither lose nor mix up a move, and every stored
// attempt must replay to the scorecard its session printed.
func TestStoreConcurrentTrainsLoseNoMove(t *testing.T) {
	movesFile := goldenMovesFile(t)
	for _, b := range storeKillBackends {
		t.Run(b.name, func(t *testing.T) {
			url := b.url(t)
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			type result struct {
				out, errOut []byte
				err         error
			}
			results := make([]result, b.procs)
			trainee := func(i int) string { return fmt.Sprintf("trainee-%02d", i) }
			var wg sync.WaitGroup
			for i := range b.procs {
				wg.Go(func() {
					cmd := casebookWithin(ctx, "train", "https-proxy-cname", "--store", url, "--moves", movesFile,
						"-o", "json", "--seed", strconv.Itoa(100+i), "--trainee", trainee(i))
					var out, errOut bytes.Buffer
					cmd.Stdout, cmd.Stderr = &out, &errOut
					err := cmd.Run()
					results[i] = result{out.Bytes(), errOut.Bytes(), err}
				})
			}
			wg.Wait()
			if ctx.Err() != nil {
				t.Fatalf("the %d train processes did not finish in time", b.procs)
			}
			byRef := map[string]int{} // attempt -> process
			for i, r := range results {
				if r.err != nil {
					t.Fatalf("train process %d: %v\nstderr: %s", i, r.err, r.errOut)
				}
				outcomeOf(t, r.out)
				ref := attemptOf(t, r.errOut)
				if j, dup := byRef[ref]; dup {
					t.Fatalf("train processes %d and %d both name attempt %s", j, i, ref)
				}
				byRef[ref] = i
			}

			// What store list prints.
			out, errOut, code := runCasebook(t, ctx, "store", "list", "--store", url, "-o", "json")
			if code != 0 {
				t.Fatalf("store list exited %d: %s", code, errOut)
			}
			var listed []listedAttempt
			if err := json.Unmarshal(out, &listed); err != nil {
				t.Fatalf("store list -o json printed %q: %v", out, err)
			}
			if len(listed) != b.procs {
				t.Fatalf("store list shows %d attempts after %d sessions", len(listed), b.procs)
			}
			for _, la := range listed {
				i, ok := byRef[la.Attempt]
				switch {
				case !ok:
					t.Errorf("store list shows attempt %s, which no session made", la.Attempt)
				case la.Trainee != trainee(i):
					t.Errorf("attempt %s is listed as %q's, want %q's", la.Attempt, la.Trainee, trainee(i))
				case la.Moves != len(goldenL1):
					t.Errorf("attempt %s (%s) is listed with %d moves, want %d", la.Attempt, la.Trainee, la.Moves, len(goldenL1))
				case la.Score == nil:
					t.Errorf("attempt %s (%s) is listed with no score", la.Attempt, la.Trainee)
				}
			}

			// The moves rows and the stored scorecards, through the store.
			infos, err := storedAttempts(url)
			if err != nil {
				t.Fatal(err)
			}
			if len(infos) != b.procs {
				t.Fatalf("the store holds %d attempts after %d sessions", len(infos), b.procs)
			}
			for _, info := range infos {
				i := byRef[info.Ref]
				if got := storedMoves(t, url, info.Ref); !slices.Equal(got, goldenL1) {
					t.Errorf("attempt %s holds the moves %q, want %q", info.Ref, got, goldenL1)
				}
				if info.CardMove != len(goldenL1) || !bytes.Equal(bytes.TrimSpace(info.Card), bytes.TrimSpace(results[i].out)) {
					t.Errorf("attempt %s: the stored scorecard (of %d moves) is not the one its session printed", info.Ref, info.CardMove)
				}
			}

			// replay scores the stored moves again: byte for byte what the
			// session printed. Each replay is a process: all of a few
			// sessions, ten of many.
			step := max(1, b.procs/10)
			for n := 0; n < len(infos); n += step {
				ref := infos[n].Ref
				out, errOut, code := runCasebook(t, ctx, "replay", ref, "--store", url, "-o", "json")
				if code != 0 {
					t.Fatalf("replay %s exited %d: %s", ref, code, errOut)
				}
				if want := results[byRef[ref]].out; !bytes.Equal(out, want) {
					t.Errorf("replay %s differs from what its session printed\n got: %s\nwant: %s", ref, out, want)
				}
			}
		})
	}
}

// TestStoreKilledTrainResumes kills train with SIGKILL after each number
// of moves, with the next move sent, on a database store: at most the move
// in flight may be lost, the killed process's session lock must die with
// it (flock for SQLite, the connection's advisory lock for PostgreSQL),
// so resuming is not refused, and the resumed session must end with the
// scorecard of one never interrupted. While the killed process was still
// alive, a second session on its attempt must have been refused.
func TestStoreKilledTrainResumes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a unix signal")
	}
	movesFile := goldenMovesFile(t)
	const seed, trainee = "7", "kim"
	for _, b := range storeKillBackends {
		t.Run(b.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			refOut, errOut, code := runCasebook(t, ctx, "train", "https-proxy-cname", "--store", b.url(t), "--moves", movesFile,
				"-o", "json", "--seed", seed, "--trainee", trainee)
			if code != 0 {
				t.Fatalf("uninterrupted run exited %d: %s", code, errOut)
			}
			want := outcomeOf(t, refOut)

			// Killed as soon as move k+1 is sent (it is in flight, most
			// often unread), or once it is stored (the session idles, or
			// after the last move closes the case, holding its lock).
			type kill struct {
				k      int
				stored bool
			}
			var kills []kill
			for k := range goldenL1 {
				kills = append(kills, kill{k, false}, kill{k, true})
			}
			for _, kl := range kills {
				k := kl.k
				name := fmt.Sprintf("killed after %d moves", k)
				if kl.stored {
					name += " and the next stored"
				}
				t.Run(name, func(t *testing.T) {
					url := b.url(t)
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					cmd := casebookWithin(ctx, "train", "https-proxy-cname", "--store", url, "-o", "json", "--seed", seed, "--trainee", trainee)
					stdin, err := cmd.StdinPipe()
					if err != nil {
						t.Fatal(err)
					}
					// What the killed process said, for a failure's message.
					var said lockedBuffer
					cmd.Stdout, cmd.Stderr = io.Discard, &said
					t.Cleanup(func() {
						if t.Failed() {
							t.Logf("the train process printed on stderr:\n%s", said.String())
						}
					})
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					killed := false
					defer func() {
						if !killed {
							cmd.Process.Kill()
							cmd.Wait()
						}
					}()
					for _, m := range goldenL1[:k] {
						fmt.Fprintln(stdin, m)
					}
					if k == 0 {
						waitForStore(t, url)
					} else {
						ref := waitForStoredMoves(t, url, k)
						// The session waits for its next move, holding the
						// attempt: a second one is refused.
						_, errOut, code := runCasebook(t, ctx, "train", "--resume", ref, "--store", url, "--moves", movesFile, "-o", "json")
						if code != exitCannotRun || !bytes.Contains(errOut, []byte("open in another casebook")) {
							t.Fatalf("a second session on live attempt %s exited %d, want %d refusing it as open in another casebook; stderr: %s", ref, code, exitCannotRun, errOut)
						}
					}
					// One more move in flight, then the kill.
					fmt.Fprintln(stdin, goldenL1[k])
					if kl.stored {
						waitForStoredMoves(t, url, k+1)
					}
					cmd.Process.Kill()
					cmd.Wait()
					killed = true

					infos, err := storedAttempts(url)
					switch {
					case err != nil:
						t.Fatalf("reading the store after the kill: %v", err)
					case len(infos) == 0 && k == 0:
						return // killed before the first move was stored
					case len(infos) != 1:
						t.Fatalf("%d attempts in the store after the kill, want one", len(infos))
					}
					ref, n := infos[0].Ref, infos[0].Moves
					t.Logf("attempt %s holds %d moves after the kill", ref, n)
					if n != k && n != k+1 || kl.stored && n != k+1 {
						t.Fatalf("attempt %s holds %d moves after a kill during move %d", ref, n, k+1)
					}
					if got := storedMoves(t, url, ref); !slices.Equal(got, goldenL1[:n]) {
						t.Fatalf("attempt %s holds the moves %q, want %q", ref, got, goldenL1[:n])
					}

					out, errOut, code := runCasebook(t, ctx, "train", "--resume", ref, "--store", url, "--moves", movesFile, "-o", "json")
					if bytes.Contains(errOut, []byte("open in another casebook")) {
						t.Fatalf("resuming attempt %s after its session was killed is refused: the lock outlived the process\n%s", ref, errOut)
					}
					if n == len(goldenL1) {
						// The last move was stored before the kill: the case
						// is closed, and resuming says so.
						if code != exitCannotRun || !bytes.Contains(errOut, []byte("is finished")) {
							t.Fatalf("resuming closed attempt %s exited %d: %s", ref, code, errOut)
						}
						if out, errOut, code = runCasebook(t, ctx, "replay", ref, "--store", url, "-o", "json"); code != 0 {
							t.Fatalf("replay %s exited %d: %s", ref, code, errOut)
						}
					} else if code != 0 {
						t.Fatalf("resume of attempt %s exited %d: %s", ref, code, errOut)
					}
					if got := outcomeOf(t, out); got != want {
						t.Errorf("the resumed session differs from an uninterrupted one\n got: %s\nwant: %s", got, want)
					}
					if got := storedMoves(t, url, ref); !slices.Equal(got, goldenL1) {
						t.Errorf("the resumed attempt holds the moves %q, want %q", got, goldenL1)
					}
					if n < len(goldenL1) {
						// The session that closed the case stored its scorecard.
						infos, err := storedAttempts(url)
						if err != nil || len(infos) != 1 {
							t.Fatalf("the store after the resume: %d attempts, %v", len(infos), err)
						}
						if !bytes.Equal(bytes.TrimSpace(infos[0].Card), bytes.TrimSpace([]byte(want))) {
							t.Errorf("attempt %s: the stored scorecard is not the resumed session's", ref)
						}
					}
				})
			}
		})
	}
}

// A lockedBuffer is a bytes.Buffer a process writes to while a test may
// read it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
