package playbooks

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseManifest feeds the release-manifest loader arbitrary bytes: it
// must never panic, every finding must point into the file and be one
// line, and a manifest without errors must go through the freshness check
// against the embedded library.
func FuzzParseManifest(f *testing.F) {
	fs.WalkDir(Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if src, err := fs.ReadFile(Embedded(), p); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	for _, pattern := range []string{"../cmd/casebook/testdata/bad/*.release.yaml", "../cmd/casebook/testdata/bad/pb-*.yaml"} {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			if src, err := os.ReadFile(name); err == nil {
				f.Add(src)
			}
		}
	}
	files, readFindings, err := ReadFS(Embedded(), EmbeddedName, DefaultMaxFileSize)
	if err != nil || len(readFindings) > 0 {
		f.Fatalf("reading the embedded library: %v %v", err, readFindings)
	}
	lib := Load(files)

	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "fuzz.yaml"
		m, findings := ParseManifest(name, src)
		lines := 1 + bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) +
			bytes.Count(src, []byte("\u0085")) + bytes.Count(src, []byte("\u2028")) + bytes.Count(src, []byte("\u2029"))
		for _, fd := range findings {
			if fd.File != name || fd.Line < 1 || fd.Col < 1 || fd.Line > lines {
				t.Errorf("finding outside the file's %d line(s): %s", lines, fd)
			}
			if fd.Message == "" || strings.ContainsAny(fd.Message, "\n\r") {
				t.Errorf("finding message is not one line: %q", fd.Message)
			}
		}
		if m == nil || HasErrors(findings) {
			return
		}
		for _, fd := range CheckRelease(m, lib) {
			if fd.File == "" || fd.Line < 1 || fd.Col < 1 {
				t.Errorf("release finding without a position: %s", fd)
			}
			if strings.ContainsAny(fd.Message, "\n\r") {
				t.Errorf("release finding message is not one line: %q", fd.Message)
			}
		}
	})
}
