package playbooks

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestAFileThatCannotBeReadIsUnreadableNotTooLarge(t *testing.T) {
	denied := func() ([]byte, error) {
		return nil, &fs.PathError{Op: "open", Path: "lib/x.yaml", Err: fs.ErrPermission}
	}
	lib := Load([]File{{Name: "lib/x.yaml", Read: denied}})
	want := "lib/x.yaml:1:1: the file cannot be read: permission denied [unreadable]"
	if len(lib.Findings) != 1 || lib.Findings[0].String() != want {
		t.Errorf("findings %v, want [%s]", lib.Findings, want)
	}
}

func skipAsRoot(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode, so chmod 000 cannot make one unreadable")
	}
}

func TestAnUnreadableDirectoryIsAFindingAndTheRestLoads(t *testing.T) {
	skipAsRoot(t)
	dir := t.TempDir()
	for _, name := range []string{"a.yaml", "locked/b.yaml", "z/c.yaml"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("casebook: playbook/v1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	files, findings, err := ListPaths([]string{dir}, DefaultMaxFileSize)
	if err != nil {
		t.Fatalf("ListPaths failed: %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	root := filepath.ToSlash(dir)
	if len(names) != 2 || names[0] != root+"/a.yaml" || names[1] != root+"/z/c.yaml" {
		t.Errorf("files %v, want a.yaml and z/c.yaml", names)
	}
	want := root + "/locked:1:1: the directory cannot be read: permission denied [unreadable]"
	if len(findings) != 1 || findings[0].String() != want {
		t.Errorf("findings %v, want [%s]", findings, want)
	}
}

func TestAnUnreadableFileIsAFindingOfReadPaths(t *testing.T) {
	skipAsRoot(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "x.yaml")
	if err := os.WriteFile(p, []byte("casebook: playbook/v1\n"), 0); err != nil {
		t.Fatal(err)
	}
	_, findings, err := ReadPaths([]string{dir}, DefaultMaxFileSize)
	if err != nil {
		t.Fatalf("ReadPaths failed: %v", err)
	}
	want := filepath.ToSlash(p) + ":1:1: the file cannot be read: permission denied [unreadable]"
	if len(findings) != 1 || findings[0].String() != want {
		t.Errorf("findings %v, want [%s]", findings, want)
	}
}
