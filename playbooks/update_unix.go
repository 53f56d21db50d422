//go:build linux || darwin || freebsd

package playbooks

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// lockExclusive waits for an exclusive flock on f, for at most wait;
// closing f releases it. An edit holds the lock for milliseconds, so a
// lock held longer is a program that hangs, not one to wait for forever.
func lockExclusive(f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return err
		case time.Now().After(deadline):
			return errLockHeld
		}
		time.Sleep(pause)
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
