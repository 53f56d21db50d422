package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/casebook/casebook/playbooks"
)

// stdoutPath is the file name that means standard output, in every flag
// that names a file to write (export --out, run --log).
const stdoutPath = "-"

// toStdout says a file-output flag's value means standard output.
func toStdout(path string) bool { return path == stdoutPath }

// writeOutput writes data where a file-output flag points: out for "-",
// else the file, as writeFile writes it.
func writeOutput(out io.Writer, path string, data []byte, force bool) error {
	if toStdout(path) {
		_, err := out.Write(data)
		return err
	}
	return writeFile(path, data, force)
}

// writeFile writes a file atomically, making its missing parent
// directories, and replaces an existing one only with force. Its errors
// are usage errors (exit 2) that name path, never a temporary file:
// "help/x.md: permission denied".
func writeFile(path string, data []byte, force bool) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return usageErrorf("%s is a directory; give the name of a file to write", filepath.ToSlash(path))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return usageErrorf("%v", playbooks.WriteError(path, err))
	}
	if err := playbooks.WriteFileAtomic(path, data, 0o644, force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return usageErrorf("not overwriting %s (use --force to replace it)", filepath.ToSlash(path))
		}
		return usageErrorf("%v", err)
	}
	return nil
}
