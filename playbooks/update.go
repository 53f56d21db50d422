package playbooks

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ResolveInLibrary returns the file that name (a file of the library at
// root) stands for: name itself, or the target of the links it goes
// through. A target outside the library is refused, so that editing a
// library cannot change files elsewhere on the machine.
func ResolveInLibrary(root, name string) (string, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", cleanPathError(err)
	}
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return "", cleanPathError(err)
	}
	if !inside(realRoot, real) {
		return "", fmt.Errorf("%s links to %s, outside the library %s; only files inside the library are edited", filepath.ToSlash(name), filepath.ToSlash(real), filepath.ToSlash(root))
	}
	return real, nil
}

// inside reports whether the resolved path real lies under the resolved
// directory root. Both are made absolute first: a link may name its target
// either way, and the root may be given relative.
func inside(root, real string) bool {
	absRoot, err1 := filepath.Abs(root)
	absReal, err2 := filepath.Abs(real)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(absRoot, absReal)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Writable reports, as an error, why the file at name cannot be
// rewritten: it has no owner write permission (a file made read-only on
// purpose stays so, even for root), or the caller may not write it.
func Writable(name string) error {
	info, err := os.Stat(name)
	if err != nil {
		return cleanPathError(err)
	}
	return writable(name, info)
}

// WritableDir says whether files can be made in dir, or where it would be
// made (its nearest existing parent), without making anything: a session
// that will write there refuses at once rather than at its first write.
func WritableDir(dir string) error {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err == nil {
			if !info.IsDir() {
				return fmt.Errorf("%s: not a directory", filepath.ToSlash(d))
			}
			if err := canWrite(d); err != nil {
				return fmt.Errorf("%s: cannot write there (%v)", filepath.ToSlash(d), err)
			}
			return nil
		}
		if parent := filepath.Dir(d); parent == d {
			return nil
		}
	}
}

func writable(name string, info fs.FileInfo) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", filepath.ToSlash(name))
	}
	if info.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%s is read-only (mode %04o); make it writable (chmod u+w) to edit it", filepath.ToSlash(name), info.Mode().Perm())
	}
	if err := canWrite(name); err != nil {
		return fmt.Errorf("%s: you may not write this file (%s)", filepath.ToSlash(name), describeErrno(err))
	}
	return nil
}

// A LockedFile is a file held under an exclusive lock for a
// read-modify-write: every casebook that edits the file takes the same
// lock, so two edits at once both land, one after the other.
type LockedFile struct {
	name string
	f    *os.File
	info fs.FileInfo
}

// ErrChanged says a locked file was changed by a program that does not
// take the lock while it was being edited.
var ErrChanged = errors.New("the file changed while it was being edited; nothing was written, try again")

// lockWait is how long LockForUpdate waits for another edit to finish.
const lockWait = 10 * time.Second

var errLockHeld = errors.New("another program has held its lock for too long; try again when it is done")

// lockExclusive waits for an exclusive lock on f (TryLock), for at most
// wait; closing f releases it. An edit holds the lock for milliseconds, so
// a lock held longer is a program that hangs, not one to wait for forever.
func lockExclusive(f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		held, err := TryLock(f)
		switch {
		case err != nil:
			return err
		case held:
			return nil
		case time.Now().After(deadline):
			return errLockHeld
		}
		time.Sleep(pause)
	}
}

// LockForUpdate opens the regular file name, which must be writable, and
// waits for an exclusive lock on it. A writer that held the lock before may
// have replaced the file (edits are written to a new file renamed over the
// old): then the lock is on a file the name no longer names, and it is
// taken again on the new one. It gives up when another holds the lock for
// longer than lockWait.
func LockForUpdate(name string) (*LockedFile, error) { return lockForUpdate(name, lockWait) }

func lockForUpdate(name string, wait time.Duration) (*LockedFile, error) {
	for range 1000 {
		f, err := os.Open(name)
		if err != nil {
			return nil, cleanPathError(err)
		}
		if err := lockExclusive(f, wait); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: cannot lock the file: %w", filepath.ToSlash(name), err)
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		now, err := os.Stat(name)
		if err == nil && os.SameFile(info, now) {
			if err := writable(name, info); err != nil {
				f.Close()
				return nil, err
			}
			return &LockedFile{name: name, f: f, info: info}, nil
		}
		f.Close()
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, cleanPathError(err)
		}
	}
	return nil, fmt.Errorf("%s: the file keeps being replaced; cannot lock it", filepath.ToSlash(name))
}

// Read returns the file's contents as they are now, at most limit bytes.
func (l *LockedFile) Read(limit int64) ([]byte, error) {
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return readLimited(l.f, limit)
}

// Replace writes data as the file's new contents, atomically: a temporary
// file in the same directory gets the old file's mode (and its owner and
// group, where the caller may give them), is synced and renamed over the
// name. The file is first checked to be the one locked, unchanged since: a
// program that does not take the lock may have written it meanwhile.
// Errors name the file, never the temporary one.
func (l *LockedFile) Replace(data []byte) error {
	dir, base := filepath.Dir(l.name), filepath.Base(l.name)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return WriteError(l.name, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	fail := func(err error) error {
		tmp.Close()
		return WriteError(l.name, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	// The owner first: changing it clears set-id bits the mode restores.
	if err := chownLike(tmp, l.info); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(l.info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return WriteError(l.name, err)
	}
	now, err := os.Stat(l.name)
	if err != nil {
		return WriteError(l.name, err)
	}
	if !os.SameFile(now, l.info) || now.Size() != l.info.Size() || !now.ModTime().Equal(l.info.ModTime()) {
		return fmt.Errorf("%s: %w", filepath.ToSlash(l.name), ErrChanged)
	}
	if err := os.Rename(tmp.Name(), l.name); err != nil {
		return WriteError(l.name, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: some file systems cannot sync a directory
		d.Close()
	}
	sweepStale(dir, base)
	return nil
}

// Close releases the lock.
func (l *LockedFile) Close() error { return l.f.Close() }
