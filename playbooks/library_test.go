package playbooks

import (
	"strings"
	"testing"
)

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

func TestSlimLoadKeepsWhatScenariosPin(t *testing.T) {
	pb := func(id string) File {
		return File{Name: id + ".yaml", Src: []byte(strings.ReplaceAll(walkPlaybook, "id: refund", "id: "+id))}
	}
	scenario := File{Name: "case.yaml", Src: []byte("casebook: scenario/v1\nid: c\nplaybook: kept@^1\n")}
	// The scenario's name does not say "scenario" and it comes last, so the
	// pinned playbook is slimmed first and must be parsed again.
	lib := LoadWith([]File{pb("kept"), pb("dropped"), scenario}, LoadOptions{Slim: true})
	if p := lib.Find("kept"); p == nil || p.Slimmed || len(p.Steps) == 0 {
		t.Errorf("the pinned playbook was slimmed: %+v", p)
	}
	if p := lib.Find("dropped"); p == nil || !p.Slimmed || p.Steps != nil {
		t.Errorf("an unpinned playbook kept its graph in a slim load")
	}
	if len(lib.Playbooks) != 2 || len(lib.Others) != 1 {
		t.Errorf("%d playbooks and %d other documents, want 2 and 1", len(lib.Playbooks), len(lib.Others))
	}
	if full := Load([]File{pb("dropped")}); full.Find("dropped").Slimmed {
		t.Error("a normal load slimmed a playbook")
	}
}
