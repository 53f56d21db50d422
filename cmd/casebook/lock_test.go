package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestASecondSessionOnAnAttemptIsRefused holds an attempt open in one
// casebook process (while it is created, then while it is resumed) and
// checks that a resume in another process is refused at once, naming the
// holder, and writes nothing.
func TestASecondSessionOnAnAttemptIsRefused(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the holder's pid comes from /proc/locks")
	}
	dir := t.TempDir()
	script := filepath.Join(t.TempDir(), "moves.txt")
	os.WriteFile(script, []byte(strings.Join(goldenL1, "\n")+"\n"), 0o644)

	hold := func(args ...string) (*exec.Cmd, func()) {
		cmd := casebookProcess(args...)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for _, m := range goldenL1[:2] {
			fmt.Fprintln(stdin, m)
		}
		return cmd, func() { stdin.Close(); cmd.Wait() }
	}
	second := func(path string, holder int) {
		t.Helper()
		before, _ := os.ReadFile(path)
		var errOut bytes.Buffer
		cmd := casebookProcess("train", "--resume", path, "--moves", script)
		cmd.Stderr = &errOut
		err := cmd.Run()
		if code := cmd.ProcessState.ExitCode(); err == nil || code != exitCannotRun {
			t.Fatalf("a second session ran: exit %d, stderr %s", code, &errOut)
		}
		want := fmt.Sprintf("casebook: --resume: %s: the attempt is open in another casebook (pid %d)\n", path, holder)
		if errOut.String() != want {
			t.Errorf("stderr %q, want %q", errOut.String(), want)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("the refused session changed the attempt")
		}
	}

	// While the session that created the attempt runs.
	first, done := hold("train", "https-proxy-cname", "--seed", "1", "--attempts", dir)
	path := waitForMoves(t, dir, 2)
	second(path, first.Process.Pid)
	done()

	// While a resumed session runs: it checks the two moves it is given
	// against the attempt and waits for more.
	resumed, done := hold("train", "--resume", path)
	waitForOpening(t, resumed)
	second(path, resumed.Process.Pid)
	done()

	// Once no session holds it, the attempt resumes.
	if out, err := casebookProcess("train", "--resume", path, "--moves", script, "-o", "json").CombinedOutput(); err != nil {
		t.Fatalf("resume after both sessions ended: %v\n%s", err, out)
	}
}

// waitForOpening waits until a resumed session holds its lock: it takes it
// before reading the attempt, so the file's lock shows in /proc/locks.
func waitForOpening(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	for range 2000 {
		data, _ := os.ReadFile("/proc/locks")
		if bytes.Contains(data, []byte(fmt.Sprintf(" %d ", cmd.Process.Pid))) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the resumed session never took its lock")
}
