package playbooks

import "testing"

func TestEmbeddedLibraryLintsClean(t *testing.T) {
	files, fs, err := ReadFS(Embedded(), EmbeddedName, DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	lib := Load(files)
	fs = append(fs, lib.Findings...)
	for _, f := range fs {
		t.Errorf("%s", f)
	}
	if len(lib.Playbooks) < 2 {
		t.Errorf("embedded library has %d playbooks, want at least 2", len(lib.Playbooks))
	}
}
