package playbooks

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParsePlaybook feeds the loader arbitrary bytes: it must never panic,
// and every finding must carry a position.
func FuzzParsePlaybook(f *testing.F) {
	fs.WalkDir(Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if src, err := fs.ReadFile(Embedded(), p); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	for _, dir := range []string{"testdata/ok", "testdata/err"} {
		names, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, name := range names {
			if src, err := os.ReadFile(name); err == nil {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, findings := ParsePlaybook("fuzz.yaml", src)
		for _, fd := range findings {
			if fd.Line < 1 || fd.Col < 1 {
				t.Fatalf("finding without a position: %s", fd)
			}
		}
		if p != nil && !HasErrors(findings) {
			for _, write := range []func(io.Writer, *Playbook) error{WriteTree, WriteMermaid, WriteDOT} {
				if err := write(io.Discard, p); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func BenchmarkLoadEmbeddedLibrary(b *testing.B) {
	files, _, err := ReadFS(Embedded(), EmbeddedName, DefaultMaxFileSize)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, f := range files {
		size += int64(len(f.Src))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if lib := Load(files); len(lib.Findings) > 0 {
			b.Fatal(lib.Findings)
		}
	}
}
