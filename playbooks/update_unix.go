//go:build linux || darwin || freebsd

package playbooks

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// TryLock tries once, without waiting, to take an exclusive flock on f:
// held is false when another open file holds it. The lock belongs to the
// open file (a second open in the same process is refused too) and goes
// when f is closed. Where there is no flock, TryLock takes nothing and
// says held.
func TryLock(f *os.File) (held bool, err error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		default:
			return false, err
		}
	}
}

// canWrite asks the system whether the caller may write the file.
func canWrite(name string) error {
	return syscall.Access(name, 2) // W_OK
}

// chownLike gives f the owner and group of the file info describes, where
// the caller may: changing the owner takes privileges most callers lack.
func chownLike(f *os.File, info fs.FileInfo) error {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	mine, err := f.Stat()
	if err != nil {
		return err
	}
	if m, ok := mine.Sys().(*syscall.Stat_t); ok && m.Uid == st.Uid && m.Gid == st.Gid {
		return nil
	}
	if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}
