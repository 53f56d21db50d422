package main

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/casebook/casebook/playbooks"
)

// readInput reads a file named by a flag, with the errors a user can act on.
func readInput(flag, name string, limit int64) ([]byte, error) {
	// A FIFO or device would block the read (or never end): refuse it, as
	// the library loader does.
	if info, err := os.Stat(name); err == nil && !info.Mode().IsRegular() {
		return nil, usageErrorf("--%s: %s is not a regular file", flag, filepath.ToSlash(name))
	}
	src, err := playbooks.ReadFile(name, limit)
	switch {
	case errors.Is(err, playbooks.ErrTooLarge):
		return nil, usageErrorf("--%s: %s is larger than the limit of %d bytes (--max-file-size)", flag, filepath.ToSlash(name), limit)
	case err != nil:
		return nil, usageErrorf("--%s: %v", flag, err)
	}
	return src, nil
}
