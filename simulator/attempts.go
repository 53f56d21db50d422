package simulator

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// AttemptExt is the file name extension of attempt files.
const AttemptExt = ".attempt"

// WalkAttempts calls found with the path of every attempt file under the
// roots, and failed with every directory it cannot read (the walk goes on
// with the rest). A root that is the same directory as another, or lies
// inside another, is walked once, so no attempt is counted twice. Hidden
// directories are skipped and links to directories are not followed.
// Of a directory only the names of its attempts and subdirectories are
// kept while it is walked (about 100 bytes an attempt). found returns
// false to stop the walk.
func WalkAttempts(roots []string, found func(path string) bool, failed func(path string, err error)) {
	for _, root := range distinctRoots(roots) {
		if !walkDir(root, found, failed) {
			return
		}
	}
}

// distinctRoots drops roots that repeat another or lie inside another.
func distinctRoots(roots []string) []string {
	type root struct{ path, real string }
	var keep []root
	for _, r := range roots {
		real, err := filepath.EvalSymlinks(r)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		if err != nil {
			real = filepath.Clean(r)
		}
		keep = append(keep, root{r, real})
	}
	var out []string
	for i, r := range keep {
		dup := false
		for j, o := range keep {
			inside := r.real != o.real && strings.HasPrefix(r.real, strings.TrimSuffix(o.real, string(filepath.Separator))+string(filepath.Separator))
			if inside || (r.real == o.real && j < i) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r.path)
		}
	}
	return out
}

func walkDir(dir string, found func(string) bool, failed func(string, error)) bool {
	d, err := os.Open(dir)
	if err != nil {
		failed(dir, err)
		return true
	}
	// Only the names are kept (not the entries), and attempts are scored in
	// name order: names start with the scenario, so one scenario's
	// attempts come together, which is markedly faster to replay than the
	// directory's own order.
	var names, subdirs []string
	for {
		entries, err := d.ReadDir(512)
		for _, e := range entries {
			name := e.Name()
			switch {
			case e.IsDir():
				if !strings.HasPrefix(name, ".") {
					subdirs = append(subdirs, name)
				}
			case strings.HasSuffix(name, AttemptExt):
				names = append(names, name)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			failed(dir, err)
			break
		}
	}
	d.Close()
	slices.Sort(names)
	for _, name := range names {
		if !found(filepath.Join(dir, name)) {
			return false
		}
	}
	names = nil
	slices.Sort(subdirs)
	for _, sub := range subdirs {
		if !walkDir(filepath.Join(dir, sub), found, failed) {
			return false
		}
	}
	return true
}
