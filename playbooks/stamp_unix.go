//go:build linux

package playbooks

import (
	"os"
	"syscall"
)

// sysStamp is a file's inode and change time.
func sysStamp(info os.FileInfo) (inode uint64, change int64) {
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		return sys.Ino, sys.Ctim.Nano()
	}
	return 0, 0
}
