package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A trainee name goes into the attempt file and onto reports and replays:
// one that would steer a terminal is refused, and nothing is saved.
func TestTrainRefusesATraineeNameWithControlCharacters(t *testing.T) {
	t.Setenv("CASEBOOK_LIBRARY", "")
	dir := t.TempDir()
	moves := filepath.Join(t.TempDir(), "moves.txt")
	os.WriteFile(moves, []byte("lookup:ssl_tracking\n"), 0o644)
	var out, errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code := run([]string{"train", "https-proxy-cname", "--moves", moves, "--attempts", dir, "--trainee", "sam\x1b]0;owned\a"}, streams)
	if code != exitCannotRun {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitCannotRun, &errOut)
	}
	if want := "casebook: the trainee name sam\\x1b]0;owned\\x07 holds control characters; pass a plain --trainee NAME\n"; errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
	if bytes.ContainsRune(out.Bytes(), 0x1b) || bytes.ContainsRune(errOut.Bytes(), 0x1b) {
		t.Errorf("an escape character reached the output")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused session saved %d file(s)", len(entries))
	}
}
