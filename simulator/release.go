package simulator

import (
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// CheckReleaseScenarios checks the scenarios of the release's product: each
// pinned playbook range must still resolve among the playbooks valid for
// the release, and the golden path must still reach an outcome at every tier.
func CheckReleaseScenarios(m *playbooks.Manifest, lib *playbooks.Library, sl *scenarios.Library) []playbooks.Finding {
	var fs []playbooks.Finding
	valid := lib.Valid(m)
	for _, s := range sl.Scenarios {
		if s.Constraint() == nil {
			continue
		}
		product := false
		var candidates []string
		for _, p := range lib.Playbooks {
			if p.ID == s.Playbook && p.Product == m.Product {
				product = true
			}
		}
		if !product {
			continue
		}
		var p *playbooks.Playbook
		for _, q := range valid {
			if q.ID != s.Playbook {
				continue
			}
			candidates = append(candidates, q.Version)
			if p == nil && q.SemVersion() != nil && s.Constraint().Check(q.SemVersion()) {
				p = q
			}
		}
		pos := s.Pos["playbook"]
		if p == nil {
			valid := "none"
			if len(candidates) > 0 {
				valid = strings.Join(candidates, ", ")
			}
			fs = append(fs, playbooks.ErrorAt(s.File, pos, playbooks.RuleReleaseScenario,
				"scenario %s pins %s@%s, which matches no playbook valid for %s %s (valid versions: %s)", s.ID, s.Playbook, s.Range, m.Product, m.Version, valid))
			continue
		}
		for _, t := range p.Tiers {
			if _, err := GoldenPath(p, s, t); err != nil {
				fs = append(fs, playbooks.ErrorAt(s.File, pos, playbooks.RuleReleaseScenario,
					"scenario %s no longer reaches an outcome at %s on %s %s: %v", s.ID, t.Name, p.ID, p.Version, err))
				break
			}
		}
	}
	return fs
}
