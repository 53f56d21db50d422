package playbooks

import (
	"strings"
	"sync"
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

func TestSlimLoad(t *testing.T) {
	pb := func(id string) File {
		return File{Name: id + ".yaml", Src: []byte(strings.ReplaceAll(walkPlaybook, "id: refund", "id: "+id))}
	}
	other := func(name string) File {
		return File{Name: name, Src: []byte("casebook: scenario/v1\nid: c\n")}
	}
	files := []File{pb("a"), other("x/case.yaml"), pb("b"), other("scenarios/one.yaml"), other("scenarios/two.yaml")}
	var mu sync.Mutex
	decoded := map[string]bool{}
	lib := LoadWith(files, LoadOptions{
		Slim: true,
		Decode: func(doc *Document) (any, []Finding) {
			mu.Lock()
			defer mu.Unlock()
			decoded[doc.File] = true
			return doc.Kind, nil
		},
		Visit: func(p *Playbook) {
			mu.Lock()
			defer mu.Unlock()
			if len(p.Steps) == 0 || p.Slimmed {
				t.Errorf("Visit saw playbook %s without its graph", p.ID)
			}
			if !decoded["scenarios/one.yaml"] || !decoded["scenarios/two.yaml"] {
				t.Errorf("Visit saw playbook %s before the scenario files were decoded", p.ID)
			}
		},
	})
	for _, p := range lib.Playbooks {
		if !p.Slimmed || p.Steps != nil || p.Facts != nil || p.ID == "" || p.Version == "" || p.Pos["id"].Line == 0 {
			t.Errorf("slimmed playbook %s keeps the wrong things: %+v", p.ID, p)
		}
	}
	if len(lib.Playbooks) != 2 || len(lib.Others) != 3 {
		t.Errorf("%d playbooks and %d other documents, want 2 and 3", len(lib.Playbooks), len(lib.Others))
	}
	for _, doc := range lib.Others {
		if doc.Root != nil || doc.Model != "scenario/v1" {
			t.Errorf("%s: a decoded document kept its node tree or lost its model (%v)", doc.File, doc.Model)
		}
	}
	if full := Load([]File{pb("b")}); full.Find("b").Slimmed {
		t.Error("a normal load slimmed a playbook")
	}
}
