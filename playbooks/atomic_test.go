package playbooks

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.yaml")
	if err := WriteFileAtomic(name, []byte("one"), 0o644, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(name, []byte("two"), 0o644, false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a second write without overwrite: %v, want fs.ErrExist", err)
	}
	if data, _ := os.ReadFile(name); string(data) != "one" {
		t.Errorf("the refused write changed the file to %q", data)
	}
	// A temporary file a killed write left behind an hour ago is swept;
	// a fresh one (a write in progress) is not.
	stale := filepath.Join(dir, ".out.yaml.tmp-123")
	fresh := filepath.Join(dir, ".out.yaml.tmp-456")
	os.WriteFile(stale, []byte("x"), 0o644)
	os.WriteFile(fresh, []byte("x"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	if err := WriteFileAtomic(name, []byte("two"), 0o644, true); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(name); string(data) != "two" {
		t.Errorf("overwrite wrote %q", data)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the stale temporary file is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh temporary file was removed")
	}
}
