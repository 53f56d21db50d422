//go:build linux || darwin || freebsd

package playbooks

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestReplaceKeepsTheOwnerWhereItMay(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user")
	}
	name := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(name, []byte("old"), 0o640)
	const uid, gid = 65534, 65534
	if err := os.Chown(name, uid, gid); err != nil {
		t.Skip("cannot give the file away:", err)
	}
	l, err := LockForUpdate(name)
	if err != nil {
		t.Fatal(err)
	}
	err = l.Replace([]byte("new"))
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(name)
	if st, ok := info.Sys().(*syscall.Stat_t); !ok || st.Uid != uid || st.Gid != gid {
		t.Errorf("the file's owner became %v", info.Sys())
	}
}

func TestLockForUpdateWaitsForTheHolderButNotForever(t *testing.T) {
	name := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(name, []byte("old"), 0o644)
	held, err := LockForUpdate(name)
	if err != nil {
		t.Fatal(err)
	}
	if l, err := lockForUpdate(name, 50*time.Millisecond); !errors.Is(err, errLockHeld) {
		if l != nil {
			l.Close()
		}
		t.Fatalf("a second lock while the first is held: %v", err)
	}
	// The holder replaces the file and lets go; the waiter then locks
	// the new file and reads what the holder wrote.
	got := make(chan string)
	go func() {
		l, err := lockForUpdate(name, 10*time.Second)
		if err != nil {
			got <- err.Error()
			return
		}
		defer l.Close()
		data, _ := l.Read(100)
		got <- string(data)
	}()
	time.Sleep(20 * time.Millisecond)
	if err := held.Replace([]byte("new")); err != nil {
		t.Fatal(err)
	}
	held.Close()
	if s := <-got; s != "new" {
		t.Errorf("the waiter read %q, want the holder's \"new\"", s)
	}
}
