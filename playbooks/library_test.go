package playbooks

import (
	"strings"
	"sync"
	"testing"

	"github.com/Masterminds/semver/v3"
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

func TestMadeOn(t *testing.T) {
	lib := &Library{}
	for _, v := range []string{"1.0.0", "2.0.3", "2.1.0", "2.1.4", "3.0.0"} {
		lib.Playbooks = append(lib.Playbooks, &Playbook{ID: "refund", Version: v, version: semver.MustParse(v)})
	}
	lib.Playbooks = append(lib.Playbooks,
		&Playbook{ID: "other", Version: "2.1.9", version: semver.MustParse("2.1.9")},
		&Playbook{ID: "loose", Version: "4.2", version: nil}) // not semver: a load error
	for _, tc := range []struct {
		name, id, version string
		want              string // "" for nil
		exact             bool
	}{
		{"the exact version is found even when a newer patch exists", "refund", "2.1.0", "2.1.0", true},
		{"an older exact version is found", "refund", "1.0.0", "1.0.0", true},
		{"a patch-only difference gives the newest of that minor", "refund", "2.1.2", "2.1.4", false},
		{"a newer patch than the library has also matches", "refund", "2.1.7", "2.1.4", false},
		{"the patch match keeps to the minor version", "refund", "2.0.9", "2.0.3", false},
		{"a minor version the library lacks matches nothing", "refund", "2.2.0", "", false},
		{"a major version the library lacks matches nothing", "refund", "4.0.0", "", false},
		{"another id's version does not count", "refund", "2.1.9", "2.1.4", false},
		{"an unknown id matches nothing", "nope", "2.1.0", "", false},
		{"an attempt version that is not semver matches nothing", "refund", "two", "", false},
		{"a library version that is not semver matches only exactly", "loose", "4.2.1", "", false},
		{"a library version that is not semver matches exactly", "loose", "4.2", "4.2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, exact := lib.MadeOn(tc.id, tc.version)
			got := ""
			if p != nil {
				got = p.Version
				if p.ID != tc.id {
					t.Errorf("got playbook %s, want %s", p.ID, tc.id)
				}
			}
			if got != tc.want || exact != tc.exact {
				t.Errorf("MadeOn(%q, %q) = %q, %v; want %q, %v", tc.id, tc.version, got, exact, tc.want, tc.exact)
			}
		})
	}
}

func TestPatchOnly(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"2.1.0", "2.1.0", true},
		{"2.1.0", "2.1.5", true},
		{"2.1.5", "2.1.0", true},
		{"2.1.0", "2.2.0", false},
		{"2.1.0", "3.1.0", false},
		{"2.1", "2.1.3", true}, // an attempt's version is read leniently
		{"x", "2.1.0", false},
		{"2.1.0", "", false},
	} {
		if got := PatchOnly(tc.a, tc.b); got != tc.want {
			t.Errorf("PatchOnly(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
