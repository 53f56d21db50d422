package playbooks

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// WriteFileAtomic writes data to name so that readers see either the old
// file or the whole new one: a temporary file in the same directory is
// written, synced and renamed over name, and the directory is synced.
// Without overwrite, an existing file is left alone and fs.ErrExist returned.
// Every error names name, never the temporary file (see WriteError).
func WriteFileAtomic(name string, data []byte, perm fs.FileMode, overwrite bool) error {
	if err := writeFileAtomic(name, data, perm, overwrite); err != nil {
		return WriteError(name, err)
	}
	return nil
}

func writeFileAtomic(name string, data []byte, perm fs.FileMode, overwrite bool) error {
	if !overwrite {
		if _, err := os.Lstat(name); err == nil {
			return fs.ErrExist
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: some file systems cannot sync a directory
		d.Close()
	}
	sweepStale(dir, filepath.Base(name))
	return nil
}

// A writeError is a failure to write a file, named by the file the
// caller asked for: "help/x.md: permission denied", never the temporary
// file or the system call that failed. errors.Is sees the cause
// (fs.ErrExist, fs.ErrPermission).
type writeError struct {
	name string
	err  error
}

func (e *writeError) Error() string { return filepath.ToSlash(e.name) + ": " + describeErrno(e.err) }
func (e *writeError) Unwrap() error { return e.err }

// WriteError is err, from writing name through a temporary file, named by
// name alone: the one place that decides how a failed write reads.
func WriteError(name string, err error) error {
	var we *writeError
	if errors.As(err, &we) {
		return err
	}
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	case errors.As(err, &se):
		err = se.Err
	}
	return &writeError{name: name, err: err}
}

// sweepStale removes temporary files an earlier write of the same file
// left behind when it was killed between creating and renaming them. Only
// old ones go, so a write in progress elsewhere keeps its own.
func sweepStale(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+base+".tmp-*"))
	for _, m := range matches {
		if info, err := os.Lstat(m); err == nil && info.Mode().IsRegular() && time.Since(info.ModTime()) > 10*time.Minute {
			os.Remove(m)
		}
	}
}
