package scenarios

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
)

// FuzzParseScenario feeds the scenario loader and checks arbitrary bytes:
// parsing the document, decoding the scenario and checking it against the
// embedded playbooks must never panic, and every finding must carry a
// position inside the file and be one line.
func FuzzParseScenario(f *testing.F) {
	fs.WalkDir(Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if src, err := fs.ReadFile(Embedded(), p); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	for _, pattern := range []string{"testdata/ok/*.yaml", "testdata/err/*.yaml", "../cmd/casebook/testdata/bad/*.scenario.yaml"} {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			if src, err := os.ReadFile(name); err == nil {
				f.Add(src)
			}
		}
	}
	files, readFindings, err := playbooks.ReadFS(playbooks.Embedded(), playbooks.EmbeddedName, playbooks.DefaultMaxFileSize)
	if err != nil || len(readFindings) > 0 {
		f.Fatalf("reading the embedded playbooks: %v %v", err, readFindings)
	}
	lib := playbooks.Load(files)

	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "fuzz.yaml"
		doc, fs := playbooks.ParseDocument(name, src)
		checkFuzzFindings(t, name, src, fs)
		if doc.Root == nil || doc.Kind != Kind {
			return
		}
		s, fs := Parse(doc)
		checkFuzzFindings(t, name, src, fs)
		p, fs := Check(s, lib)
		checkFuzzFindings(t, name, src, fs)
		if p != nil {
			for _, fc := range p.Facts {
				s.TruthFor(fc)
				s.IsStated(fc.Name)
			}
		}
	})
}

// checkFuzzFindings checks that each finding names the file, points into
// it and says what is wrong on one line.
func checkFuzzFindings(t *testing.T, name string, src []byte, fs []playbooks.Finding) {
	t.Helper()
	// An upper bound of the lines YAML sees: it breaks lines on \r as well
	// as \n, and on NEL, LS and PS.
	lines := 1 + bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) +
		bytes.Count(src, []byte("\u0085")) + bytes.Count(src, []byte("\u2028")) + bytes.Count(src, []byte("\u2029"))
	for _, fd := range fs {
		if fd.File != name {
			t.Errorf("finding about %q, not %q: %s", fd.File, name, fd)
		}
		if fd.Line < 1 || fd.Col < 1 || fd.Line > lines {
			t.Errorf("finding outside the file's %d line(s): %s", lines, fd)
		}
		if fd.Message == "" || strings.ContainsAny(fd.Message, "\n\r") {
			t.Errorf("finding message is not one line: %q", fd.Message)
		}
	}
}
