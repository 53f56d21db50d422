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

func TestAFailedWriteNamesTheFileNotTheTemporaryOne(t *testing.T) {
	dir := t.TempDir()
	if os.Geteuid() != 0 { // root writes to read-only directories
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(ro, "x.md")
		err := WriteFileAtomic(name, []byte("x"), 0o644, false)
		if want := filepath.ToSlash(name) + ": permission denied"; err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("errors.Is(%v, fs.ErrPermission) is false", err)
		}
	}
	// A file where the directory should be fails for root too.
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	under := filepath.Join(dir, "file", "x.md")
	err := WriteFileAtomic(under, []byte("x"), 0o644, true)
	if want := filepath.ToSlash(under) + ": not a directory"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	missing := filepath.Join(dir, "no-dir", "x.md")
	err = WriteFileAtomic(missing, []byte("x"), 0o644, false)
	if want := filepath.ToSlash(missing) + ": no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "ok"), nil, 0o644, false); err != nil {
		t.Fatal(err)
	}
	err = WriteFileAtomic(filepath.Join(dir, "ok"), nil, 0o644, false)
	if want := filepath.ToSlash(filepath.Join(dir, "ok")) + ": file already exists"; err == nil || err.Error() != want || !errors.Is(err, fs.ErrExist) {
		t.Errorf("got %v, want %q and fs.ErrExist", err, want)
	}
}
