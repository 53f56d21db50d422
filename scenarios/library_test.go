package scenarios

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/playbooks"
)

// A slim load (lint's) checks scenarios while the playbooks load and then
// drops the playbooks' graphs; a scenario met only after its playbook was
// slimmed is checked against the playbook's file, read again. Every way
// must find exactly what a full load finds.
func TestSlimLoadFindsWhatAFullLoadFinds(t *testing.T) {
	embedded, _, err := playbooks.ReadFS(playbooks.Embedded(), playbooks.EmbeddedName, playbooks.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	cases := append(golden.Glob(t, filepath.Join("testdata", "err", "*.yaml")), golden.Glob(t, filepath.Join("testdata", "ok", "*.yaml"))...)
	findings := func(lib *playbooks.Library, sl *Library) []string {
		var out []string
		for _, f := range append(slices.Clone(lib.Findings), sl.Findings...) {
			out = append(out, f.String())
		}
		slices.Sort(out)
		return out
	}
	checked := 0
	for _, path := range cases {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yaml"), func(t *testing.T) {
			// Named as a scenario, the file loads before every playbook.
			first := append([]playbooks.File{{Name: "scenarios/case.yaml", Src: src}}, embedded...)
			// Named otherwise and last, it may load after its playbook.
			last := append(slices.Clone(embedded), playbooks.File{Name: "cases/case.yaml", Src: src})

			full := playbooks.Load(first)
			want := findings(full, Load(full))

			var l Loader
			lib := playbooks.LoadWith(first, l.Options(true))
			sl := l.Load(lib)
			if got := findings(lib, sl); !slices.Equal(got, want) {
				t.Errorf("slim load, scenario first:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(l.checks) > 0 {
				checked++
			}
			for _, p := range lib.Playbooks {
				if !p.Slimmed {
					t.Errorf("playbook %s was not slimmed", p.ID)
				}
			}

			// A whole load through a loader checks while loading too.
			var whole Loader
			lib = playbooks.LoadWith(first, whole.Options(false))
			if got := findings(lib, whole.Load(lib)); !slices.Equal(got, want) {
				t.Errorf("whole load through a loader:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			// No checks made while loading: each scenario's playbook is
			// read again.
			lib = playbooks.LoadWith(last, playbooks.LoadOptions{Slim: true})
			var none Loader
			sl = none.Load(lib)
			got := findings(lib, sl)
			for i := range got {
				got[i] = strings.ReplaceAll(got[i], "cases/case.yaml", "scenarios/case.yaml")
			}
			if !slices.Equal(got, want) {
				t.Errorf("slim load, playbooks read again:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(sl.Scenarios) == 1 && sl.Playbook(sl.Scenarios[0]) != nil && sl.Playbook(sl.Scenarios[0]).Slimmed {
				t.Errorf("the playbook read again is not the one Playbook returns")
			}
		})
	}
	if checked == 0 {
		t.Error("no scenario was checked while its library loaded")
	}
}
