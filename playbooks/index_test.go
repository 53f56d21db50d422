package playbooks

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPeekHeader(t *testing.T) {
	for _, c := range []struct {
		src  string
		want Header
	}{
		{"casebook: playbook/v1\nid: a-b\nversion: 1.0.0\n", Header{"playbook/v1", "a-b", "", true}},
		{"# comment\ncasebook: scenario/v1\nid: s1\ntitle: x\nplaybook: a-b@^2\n", Header{"scenario/v1", "s1", "a-b", true}},
		{"casebook: scenario/v1\nid: s1\nplaybook: \"a-b@>=2 <3\"\n", Header{"scenario/v1", "s1", "a-b", true}},
		{"casebook: release/v1\nid: r\n", Header{"release/v1", "r", "", true}},
		{"casebook: playbook/v1\nsteps:\n  - id: not-this\nid: top\n", Header{"playbook/v1", "top", "", true}},
		{"casebook: 'playbook/v1'\nid: \"a-b\"  # quoted\n", Header{"playbook/v1", "a-b", "", true}},
		{"casebook: playbook/v1 # the kind\nid: a-b # the id\n", Header{"playbook/v1", "a-b", "", true}},
		{"casebook: scenario/v1\nid: 's1'\nplaybook: 'a-b@^2'\n", Header{"scenario/v1", "s1", "a-b", true}},
		// Doubt: the caller must parse.
		{"casebook: playbook/v1\nid: \"a\\x62\"\n", Header{}},
		{"casebook: playbook/v1\nid: \"a\" b\n", Header{}},
		{"casebook: playbook/v1\nid: !!str a\n", Header{}},
		{"casebook: playbook/v1\nid: |\n  a\n", Header{}},
		{"id: a\ncasebook: playbook/v1\n", Header{}},
		{"casebook: playbook/v1\nid: a\nid: b\n", Header{}},
		{"casebook: playbook/v1\nid: a\n  b\n", Header{}},
		{"casebook: playbook/v1\nid: &x a\n", Header{}},
		{"{casebook: playbook/v1, id: a}\n", Header{}},
		{"casebook: playbook/v1\nid: a\n---\nid: b\n", Header{}},
		{"\xef\xbb\xbfcasebook: playbook/v1\nid: a\n", Header{}},
		{"casebook: scenario/v1\nid: s\n", Header{}},
		{"casebook: scenario/v1\nid: s\nplaybook: a@^1\n  more\n", Header{}},
		{"casebook: playbook/v1\n", Header{}},
		// Line breaks YAML sees where a split at newlines does not: a line
		// hides another.
		{"casebook: playbook/v1\n# note\rid: real\ntitle: 'x\nid: fake\ny'\n", Header{}},
		{"casebook: playbook/v1\n# note\u0085id: real\n", Header{}},
		{"casebook: playbook/v1\n# note\u2028id: real\n", Header{}},
		{"casebook: playbook/v1\r\nid: a-b\r\n", Header{"playbook/v1", "a-b", "", true}},
		// A quoted value of any key that goes on to the next line.
		{"casebook: playbook/v1\ntitle: 'SAML\nid: fake\nshow'\nid: real\n", Header{}},
		{"casebook: playbook/v1\n  x\nid: a\n", Header{}},
	} {
		if got := PeekHeader([]byte(c.src)); got != c.want {
			t.Errorf("%q: %+v, want %+v", c.src, got, c.want)
		}
	}
}

// indexed lists the library at root and returns each file's Header by
// the index kept in cache, as of now.
func indexed(t *testing.T, cache, root string, now time.Time) map[string]Header {
	t.Helper()
	files, _, err := ListPaths([]string{root}, DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	x := OpenIndex(cache, root, "test")
	heads := x.Heads(files, now)
	if err := x.Save(cache, files, now); err != nil {
		t.Fatal(err)
	}
	out := map[string]Header{}
	for i, f := range files {
		out[strings.TrimPrefix(f.Name, filepath.ToSlash(root)+"/")] = heads[i]
	}
	return out
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The index is a cache: whatever happens to the files, it gives what
// reading them gives.
func TestIndexFollowsTheFiles(t *testing.T) {
	root, cache := t.TempDir(), t.TempDir()
	write(t, filepath.Join(root, "a.yaml"), "casebook: playbook/v1\nid: aaa\n")
	write(t, filepath.Join(root, "b.yaml"), "casebook: playbook/v1\nid: bbb\n")
	// "Now" runs ahead of the files' times, so their entries are kept.
	now := time.Now().Add(10 * time.Second)
	if h := indexed(t, cache, root, now); h["a.yaml"].ID != "aaa" || h["b.yaml"].ID != "bbb" {
		t.Fatalf("first: %+v", h)
	}
	x := OpenIndex(cache, root, "test")
	if len(x.entries) != 2 {
		t.Fatalf("the index holds %d entries, want 2", len(x.entries))
	}

	// An edit of the same size that puts the modification time back: the
	// change time (or, elsewhere, nothing but luck) gives it away.
	a := filepath.Join(root, "a.yaml")
	info, _ := os.Stat(a)
	write(t, a, "casebook: playbook/v1\nid: ccc\n")
	os.Chtimes(a, info.ModTime(), info.ModTime())
	now = now.Add(10 * time.Second)
	if h := indexed(t, cache, root, now); h["a.yaml"].ID != "ccc" {
		t.Errorf("after an edit that kept size and time: %+v", h["a.yaml"])
	}

	// A rename and a deletion: the old names leave the index.
	os.Rename(filepath.Join(root, "b.yaml"), filepath.Join(root, "d.yaml"))
	now = now.Add(10 * time.Second)
	h := indexed(t, cache, root, now)
	if _, ok := h["b.yaml"]; ok || h["d.yaml"].ID != "bbb" {
		t.Errorf("after a rename: %+v", h)
	}
	if x := OpenIndex(cache, root, "test"); len(x.entries) != 2 {
		t.Errorf("the index kept %d entries after the rename, want 2", len(x.entries))
	}

	// A file modified "in the future" (a clock that jumped) is read every
	// time and never kept.
	future := time.Now().Add(time.Hour)
	write(t, filepath.Join(root, "f.yaml"), "casebook: playbook/v1\nid: fff\n")
	os.Chtimes(filepath.Join(root, "f.yaml"), future, future)
	if h := indexed(t, cache, root, now); h["f.yaml"].ID != "fff" {
		t.Errorf("a file from the future: %+v", h["f.yaml"])
	}
	if _, ok := OpenIndex(cache, root, "test").entries[filepath.ToSlash(root)+"/f.yaml"]; ok {
		t.Error("the index keeps a file modified after now")
	}

	// A file written just before the index is not believed: it may still
	// be being written within the same tick.
	write(t, filepath.Join(root, "g.yaml"), "casebook: playbook/v1\nid: ggg\n")
	if h := indexed(t, cache, root, time.Now()); h["g.yaml"].ID != "ggg" {
		t.Errorf("a fresh file: %+v", h["g.yaml"])
	}
	if _, ok := OpenIndex(cache, root, "test").entries[filepath.ToSlash(root)+"/g.yaml"]; ok {
		t.Error("the index keeps a file modified within two seconds of writing it")
	}
}

func TestADamagedIndexIsAnEmptyOne(t *testing.T) {
	root, cache := t.TempDir(), t.TempDir()
	write(t, filepath.Join(root, "a.yaml"), "casebook: playbook/v1\nid: aaa\n")
	now := time.Now().Add(10 * time.Second)
	indexed(t, cache, root, now)
	path := indexPath(cache, root)
	for _, bad := range []string{"", indexFormat + "\n", indexFormat + "\ntest\nx\n", indexFormat + "\ntest\n1 1\n" + filepath.ToSlash(root) + "/a.yaml\tbad\n", "something else\n"} {
		write(t, path, bad)
		if x := OpenIndex(cache, root, "test"); len(x.entries) != 0 {
			t.Errorf("%q gave %d entries", bad, len(x.entries))
		}
		if h := indexed(t, cache, root, now); h["a.yaml"].ID != "aaa" {
			t.Errorf("after %q: %+v", bad, h)
		}
	}
}

// Writers at once leave an index that reads: each replaces it whole.
// An index another build of casebook wrote is not believed: its reader
// of headers may differ.
func TestAnotherBuildsIndexIsNotBelieved(t *testing.T) {
	root, cache := t.TempDir(), t.TempDir()
	write(t, filepath.Join(root, "a.yaml"), "casebook: playbook/v1\nid: aaa\n")
	now := time.Now().Add(10 * time.Second)
	indexed(t, cache, root, now)
	if x := OpenIndex(cache, root, "test"); len(x.entries) != 1 {
		t.Fatalf("the same build reads %d entries, want 1", len(x.entries))
	}
	if x := OpenIndex(cache, root, "another build"); len(x.entries) != 0 {
		t.Errorf("another build reads %d entries, want none", len(x.entries))
	}
	info, err := os.Stat(indexPath(cache, root))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the index is %v (%v), want readable by its user only", info.Mode(), err)
	}
}

func TestConcurrentWritersLeaveAWholeIndex(t *testing.T) {
	root, cache := t.TempDir(), t.TempDir()
	for _, id := range []string{"a", "b", "c", "d"} {
		write(t, filepath.Join(root, id+".yaml"), "casebook: playbook/v1\nid: "+id+"\n")
	}
	now := time.Now().Add(10 * time.Second)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			files, _, _ := ListPaths([]string{root}, DefaultMaxFileSize)
			x := OpenIndex(cache, root, "test")
			x.Heads(files, now)
			x.Save(cache, files, now)
		})
	}
	wg.Wait()
	if x := OpenIndex(cache, root, "test"); len(x.entries) != 4 {
		t.Errorf("%d entries after concurrent writers, want 4", len(x.entries))
	}
}
