package playbooks

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReplaceKeepsTheFileMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o600, 0o640, 0o664, 0o755} {
		name := filepath.Join(t.TempDir(), "p.yaml")
		if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chmod(name, mode) // past the umask
		l, err := LockForUpdate(name)
		if err != nil {
			t.Fatal(err)
		}
		err = l.Replace([]byte("new"))
		l.Close()
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(name); string(data) != "new" || info.Mode().Perm() != mode {
			t.Errorf("a %04o file became %04o holding %q", mode, info.Mode().Perm(), data)
		}
	}
}

func TestWritableRefusesAReadOnlyFileEvenToRoot(t *testing.T) {
	name := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(name, []byte("x"), 0o644)
	if err := Writable(name); err != nil {
		t.Errorf("a writable file: %v", err)
	}
	os.Chmod(name, 0o444)
	err := Writable(name)
	if err == nil || !strings.Contains(err.Error(), "is read-only (mode 0444)") {
		t.Errorf("a read-only file: %v", err)
	}
	if _, err := LockForUpdate(name); err == nil {
		t.Error("a read-only file was locked for an update")
	}
}

func TestReplaceRefusesAFileChangedBehindTheLock(t *testing.T) {
	name := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(name, []byte("old"), 0o644)
	l, err := LockForUpdate(name)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// An editor that takes no lock writes the file in place.
	os.WriteFile(name, []byte("theirs, longer"), 0o644)
	later := time.Now().Add(time.Second)
	os.Chtimes(name, later, later)
	if err := l.Replace([]byte("ours")); !errors.Is(err, ErrChanged) {
		t.Errorf("Replace: %v, want ErrChanged", err)
	}
	if data, _ := os.ReadFile(name); string(data) != "theirs, longer" {
		t.Errorf("the other editor's text was lost: %q", data)
	}
}

func TestResolveInLibraryFollowsLinksOnlyInside(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "lib")
	os.MkdirAll(filepath.Join(root, ".shared"), 0o755)
	target := filepath.Join(root, ".shared", "p.yaml")
	os.WriteFile(target, []byte("x"), 0o644)
	outside := filepath.Join(dir, "elsewhere.yaml")
	os.WriteFile(outside, []byte("x"), 0o644)
	in, out := filepath.Join(root, "in.yaml"), filepath.Join(root, "out.yaml")
	if err := os.Symlink(filepath.Join(".shared", "p.yaml"), in); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(outside, out)
	got, err := ResolveInLibrary(root, in)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := filepath.EvalSymlinks(target); got != want {
		t.Errorf("resolved to %s, want %s", got, want)
	}
	if _, err := ResolveInLibrary(root, out); err == nil || !strings.Contains(err.Error(), "outside the library") {
		t.Errorf("a link outside the library: %v", err)
	}
	if got, err := ResolveInLibrary(root, target); err != nil || filepath.Base(got) != "p.yaml" {
		t.Errorf("a plain file: %s, %v", got, err)
	}
}

func TestWritableDirLooksUpToTheNearestExistingParent(t *testing.T) {
	dir := t.TempDir()
	if err := WritableDir(filepath.Join(dir, "a", "b")); err != nil {
		t.Errorf("a directory to be made under a writable one: %v", err)
	}
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WritableDir(filepath.Join(file, "sub")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a directory under a file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); err == nil {
		t.Error("WritableDir made a directory")
	}
}
