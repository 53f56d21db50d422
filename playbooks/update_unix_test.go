//go:build linux || darwin || freebsd

package playbooks

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
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
