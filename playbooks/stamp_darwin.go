//go:build darwin

package playbooks

import (
	"os"
	"syscall"
)

// stampOf is the Stamp of the file at path (a link's target).
func stampOf(path string) (Stamp, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Stamp{}, err
	}
	st := Stamp{Size: info.Size(), Mod: info.ModTime().UnixNano()}
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		st.Inode = sys.Ino
		st.Change = sys.Ctimespec.Nano()
	}
	return st, nil
}
