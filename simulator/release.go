package simulator

import (
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

// RuleReleaseScenario is the gate's rule on scenarios, raised here.
const RuleReleaseScenario = "release-scenario"

// ReleaseRules lists every rule of the release gate: those on playbooks
// (playbooks.ReleaseRules), then the one on scenarios.
func ReleaseRules() []playbooks.Rule {
	return slices.Concat(playbooks.ReleaseRules, []playbooks.Rule{
		{ID: RuleReleaseScenario, Kind: "release", Description: "a scenario's pinned playbook range does not resolve for the release, or its golden path no longer reaches an outcome"},
	})
}

// A GateResult is what the release gate found for one manifest: the
// playbooks it checked (those of the product valid for the version) and
// its findings, sorted, with their severities as the caller set them.
type GateResult struct {
	Checked  []*playbooks.Playbook
	Findings []playbooks.Finding
}

// CheckReleaseGate is the whole release gate: the errors of loading the
// library (a file that does not load cannot be judged), the playbooks'
// references, reviews and intents (playbooks.CheckRelease) and the
// scenarios (CheckReleaseScenarios). severity sets a rule's severity
// ("error", "warning") or drops it ("off").
func CheckReleaseGate(m *playbooks.Manifest, lib *playbooks.Library, sl *scenarios.Library, loadProblems []playbooks.Finding, severity map[playbooks.RuleID]string) GateResult {
	var findings []playbooks.Finding
	for _, fd := range loadProblems {
		if fd.Severity == playbooks.SeverityError {
			findings = append(findings, fd)
		}
	}
	findings = append(findings, playbooks.CheckRelease(m, lib)...)
	findings = append(findings, CheckReleaseScenarios(m, lib, sl)...)
	var kept []playbooks.Finding
	for _, fd := range findings {
		if lvl, ok := severity[fd.Rule]; ok {
			if lvl == "off" {
				continue
			}
			fd.Severity = lvl
		}
		kept = append(kept, fd)
	}
	playbooks.SortFindings(kept)
	return GateResult{Checked: lib.Valid(m), Findings: kept}
}

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
			fs = append(fs, playbooks.ErrorAt(s.File, pos, RuleReleaseScenario,
				"scenario %s pins %s@%s, which matches no playbook valid for %s %s (valid versions: %s)", s.ID, s.Playbook, s.Range, m.Product, m.Version, valid))
			continue
		}
		for _, t := range p.Tiers {
			if _, err := GoldenPath(p, s, t); err != nil {
				fs = append(fs, playbooks.ErrorAt(s.File, pos, RuleReleaseScenario,
					"scenario %s no longer reaches an outcome at %s on %s %s: %v", s.ID, t.Name, p.ID, p.Version, err))
				break
			}
		}
	}
	return fs
}
