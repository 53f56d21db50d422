// Package golden holds the helpers of the golden-file tests the loaders
// share (STYLE.md item 18): find the cases, and compare what a case
// produced with the file beside it, or rewrite that file when
// CASEBOOK_UPDATE_GOLDEN=1. It is imported by tests only.
package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// UpdateEnv names the environment variable that rewrites golden files.
const UpdateEnv = "CASEBOOK_UPDATE_GOLDEN"

// Update reports whether golden files are to be rewritten.
func Update() bool { return os.Getenv(UpdateEnv) == "1" }

// Glob returns the files matching pattern, failing the test when there are
// none (a misplaced corpus must not pass by testing nothing).
func Glob(t testing.TB, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files match %s", pattern)
	}
	return files
}

// Compare fails the test unless got equals the contents of the golden
// file, or, when Update, writes got to it.
func Compare(t testing.TB, golden, got string) {
	t.Helper()
	if Update() {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with %s=1 to create it)", err, UpdateEnv)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with %s=1 to update)\n--- got\n%s--- want\n%s", golden, UpdateEnv, got, want)
	}
}

// Concat returns the contents of every file matching pattern, one after
// another (to see which rules some golden file shows).
func Concat(t testing.TB, pattern string) string {
	t.Helper()
	var all strings.Builder
	for _, path := range Glob(t, pattern) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	return all.String()
}
