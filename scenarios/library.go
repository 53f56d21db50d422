package scenarios

import (
	"embed"
	"io/fs"
	"sync"

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
func Load(lib *playbooks.Library) *Library { return (&Loader{}).Load(lib) }

// A Loader checks scenarios while their library loads, so that a slim
// load (playbooks.LoadOptions.Slim) need not keep the playbooks they pin:
// LoadOptions hands it each scenario as it is parsed and each playbook,
// whole, as it is decoded, and it checks the playbook against every
// scenario whose range it matches. Load then takes the findings of the
// version each scenario resolves to. A scenario seen after its playbook
// was slimmed (its first line did not show its kind, so it was not
// loaded first) is checked against that playbook's file, read again.
type Loader struct {
	mu      sync.Mutex
	pinned  map[string][]*Scenario // by playbook id
	checks  map[*Scenario]map[*playbooks.Playbook][]playbooks.Finding
	skipped int
	slim    bool
}

// Options returns the load options that feed the loader: Decode, Visit,
// and Slim as given.
func (l *Loader) Options(slim bool) playbooks.LoadOptions {
	l.slim = slim
	return playbooks.LoadOptions{Slim: slim, Decode: l.decode, Visit: l.visit}
}

// PinnedOptions is Options(false) for a command that needs of the
// playbooks only those its scenarios pin (every version of each), such
// as report: a file that plainly is a playbook (playbooks.PeekPlaybookID)
// whose id no scenario pins is not parsed or loaded. A scenario file
// loaded after the playbooks (its first line did not show its kind) may find
// its playbook skipped: Load then leaves it unresolved, and Skipped says
// that files were left out, so the caller can load again with Options.
func (l *Loader) PinnedOptions() playbooks.LoadOptions {
	opt := l.Options(false)
	opt.Skip = l.unpinned
	return opt
}

// Skipped is the number of files PinnedOptions left out.
func (l *Loader) Skipped() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.skipped
}

func (l *Loader) unpinned(name string, src []byte) bool {
	id, ok := playbooks.PeekPlaybookID(src)
	if !ok {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, pinned := l.pinned[id]; pinned {
		return false
	}
	l.skipped++
	return true
}

func (l *Loader) decode(doc *playbooks.Document) (any, []playbooks.Finding) {
	if doc.Kind != Kind {
		return nil, nil
	}
	s, fs := Parse(doc)
	if l.slim {
		s.Src = nil // a slim load keeps models, not text
	}
	if s.Playbook != "" && s.constraint != nil {
		l.mu.Lock()
		if l.pinned == nil {
			l.pinned = map[string][]*Scenario{}
		}
		l.pinned[s.Playbook] = append(l.pinned[s.Playbook], s)
		l.mu.Unlock()
	}
	return s, fs
}

func (l *Loader) visit(p *playbooks.Playbook) {
	l.mu.Lock()
	ss := l.pinned[p.ID]
	l.mu.Unlock()
	for _, s := range ss {
		if p.SemVersion() == nil || !s.constraint.Check(p.SemVersion()) {
			continue
		}
		fs := checkAgainst(s, p)
		l.mu.Lock()
		if l.checks == nil {
			l.checks = map[*Scenario]map[*playbooks.Playbook][]playbooks.Finding{}
		}
		if l.checks[s] == nil {
			l.checks[s] = map[*playbooks.Playbook][]playbooks.Finding{}
		}
		l.checks[s][p] = fs
		l.mu.Unlock()
	}
}

// Load is the package's Load, using the checks made while the library
// loaded. Of a slim load, Playbook(s) is the slimmed playbook unless it
// had to be read again.
func (l *Loader) Load(lib *playbooks.Library) *Library {
	out := &Library{playbook: map[*Scenario]*playbooks.Playbook{}}
	first := map[string]*Scenario{}
	for _, doc := range lib.Others {
		if doc.Kind != Kind {
			out.Others = append(out.Others, doc)
			continue
		}
		s, ok := doc.Model.(*Scenario)
		if !ok {
			var fs []playbooks.Finding
			s, fs = Parse(doc)
			out.Findings = append(out.Findings, fs...)
		}
		p, more := l.check(s, lib)
		out.Findings = append(out.Findings, more...)
		if s.ID != "" {
			if other, dup := first[s.ID]; dup {
				pos := s.Pos["id"]
				out.Findings = append(out.Findings, playbooks.ErrorAt(s.File, pos, playbooks.RuleDuplicateID,
					"scenario %s is also defined in %s", s.ID, other.File))
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

// check is Check, taking the findings made while loading when there are.
func (l *Loader) check(s *Scenario, lib *playbooks.Library) (*playbooks.Playbook, []playbooks.Finding) {
	p := Resolve(s, lib)
	if fs, ok := l.checks[s][p]; ok && p != nil {
		return p, fs
	}
	if p == nil || !p.Slimmed {
		return Check(s, lib)
	}
	src, err := playbooks.Source(p)
	if err != nil {
		return p, []playbooks.Finding{playbooks.ErrorAt(s.File, s.Pos["playbook"], RulePlaybook,
			"playbook %s %s cannot be read again to check the scenario: %v", p.ID, p.Version, err)}
	}
	full, _ := playbooks.ParsePlaybook(p.File, src)
	if full == nil {
		return p, nil // the playbook's own findings say why
	}
	return full, checkAgainst(s, full)
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
