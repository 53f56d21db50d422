package scenarios

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/casebook/casebook/playbooks"
)

//go:embed library
var embedded embed.FS

// Embedded returns the default scenarios built into the binary.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "library")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	return sub
}

// A Library is the scenarios of a set of files, each with the playbook it
// resolved to, and every finding of loading and checking them.
type Library struct {
	Scenarios []*Scenario
	Findings  []playbooks.Finding
	Others    []*playbooks.Document // documents that are neither playbooks nor scenarios

	playbook map[*Scenario]*playbooks.Playbook
}

// Load parses the scenario documents among the library's other documents
// and checks each against the library's playbooks.
func Load(lib *playbooks.Library) *Library {
	out := &Library{playbook: map[*Scenario]*playbooks.Playbook{}}
	first := map[string]*Scenario{}
	for _, doc := range lib.Others {
		if doc.Kind != Kind {
			out.Others = append(out.Others, doc)
			continue
		}
		s, fs := Parse(doc)
		out.Findings = append(out.Findings, fs...)
		p, more := Check(s, lib)
		out.Findings = append(out.Findings, more...)
		if s.ID != "" {
			if other, dup := first[s.ID]; dup {
				pos := s.Pos["id"]
				out.Findings = append(out.Findings, playbooks.Finding{File: s.File, Line: pos.Line, Col: pos.Col,
					Rule: playbooks.RuleDuplicateID, Severity: playbooks.SeverityError,
					Message: fmt.Sprintf("scenario %s is also defined in %s", s.ID, other.File)})
				continue
			}
			first[s.ID] = s
		}
		out.Scenarios = append(out.Scenarios, s)
		out.playbook[s] = p
	}
	playbooks.SortFindings(out.Findings)
	return out
}

// Find returns the scenario with the id, or nil.
func (l *Library) Find(id string) *Scenario {
	for _, s := range l.Scenarios {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Playbook returns the playbook a scenario resolved to (nil if none).
func (l *Library) Playbook(s *Scenario) *playbooks.Playbook { return l.playbook[s] }

// IDs lists the scenario ids in file order.
func (l *Library) IDs() []string {
	out := make([]string, len(l.Scenarios))
	for i, s := range l.Scenarios {
		out[i] = s.ID
	}
	return out
}

// EmbeddedFiles reads the embedded default library: the playbooks (named
// embedded/...) and the scenarios (named embedded/scenarios/...).
func EmbeddedFiles(limit int64) ([]playbooks.File, []playbooks.Finding, error) {
	files, findings, err := playbooks.ReadFS(playbooks.Embedded(), playbooks.EmbeddedName, limit)
	if err != nil {
		return nil, nil, err
	}
	more, fs, err := playbooks.ReadFS(Embedded(), playbooks.EmbeddedName+"/scenarios", limit)
	if err != nil {
		return nil, nil, err
	}
	return append(files, more...), append(findings, fs...), nil
}
