package scenarios

import (
	"fmt"
	"slices"

	"github.com/casebook/casebook/playbooks"
)

// A LoadMode says how much of a library to load.
type LoadMode int

// The modes of LoadFiles.
const (
	LoadAll    LoadMode = iota // everything, whole
	LoadSlim                   // every check, little of each playbook kept (lint)
	LoadPinned                 // only the playbooks the scenarios pin (report)
)

// A Bundle is a whole library of every file kind: its playbooks, its
// scenarios checked against them, its release manifests, every problem
// found reading and loading the files, and where it came from.
type Bundle struct {
	*playbooks.Library
	Scenarios *Library
	Manifests []*playbooks.Manifest
	Problems  []playbooks.Finding // of every file: reading, playbooks, scenarios, manifests, unknown kinds
	Files     int
	Source    string // playbooks.EmbeddedName or the directory
}

// LoadFiles is the one loader of a library's files, whatever their kind:
// playbooks, the scenarios (checked against the playbooks while they
// load), release manifests; any other kind is a bad-kind finding.
// readFindings are the problems met listing and reading the files. more,
// when not nil, adds findings of checks that live above this package (the
// scoring rules a trap names). progress, when not nil, is
// playbooks.LoadOptions.Progress. The findings are capped per rule and file.
func LoadFiles(files []playbooks.File, readFindings []playbooks.Finding, source string, mode LoadMode, more func(*Library) []playbooks.Finding, progress func(done, total int)) *Bundle {
	var loader Loader
	opt := loader.Options(mode == LoadSlim)
	if mode == LoadPinned {
		opt = loader.PinnedOptions()
	}
	opt.Progress = progress
	lib := playbooks.LoadWith(files, opt)
	if source != playbooks.EmbeddedName {
		lib.Dir = source
	}
	sl := loader.Load(lib)
	if mode == LoadPinned && loader.Skipped() > 0 {
		for _, s := range sl.Scenarios {
			if sl.Playbook(s) == nil {
				// A scenario met after the playbooks it pins were
				// skipped (or pinning none there is): load it all.
				return LoadFiles(files, readFindings, source, LoadAll, more, progress)
			}
		}
	}
	problems := append(append(slices.Clone(readFindings), lib.Findings...), sl.Findings...)
	var manifests []*playbooks.Manifest
	for _, doc := range sl.Others {
		if doc.Kind == playbooks.KindRelease {
			m, fs := playbooks.DecodeManifest(doc)
			problems = append(problems, fs...)
			manifests = append(manifests, m)
			continue
		}
		problems = append(problems, playbooks.Finding{File: doc.File, Line: doc.KindPos.Line, Col: doc.KindPos.Col,
			Rule: playbooks.RuleBadKind, Severity: playbooks.SeverityError,
			Message: fmt.Sprintf("casebook: %q is not a known kind; expected %s, %s or %s", doc.Kind, playbooks.KindPlaybook, Kind, playbooks.KindRelease)})
	}
	if more != nil {
		problems = append(problems, more(sl)...)
	}
	problems = playbooks.CapFindings(problems)
	return &Bundle{Library: lib, Scenarios: sl, Manifests: manifests, Problems: problems, Files: len(files) + len(readFindings), Source: source}
}
