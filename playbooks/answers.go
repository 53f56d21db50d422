package playbooks

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseAnswers reads the answers to a live case: a YAML mapping of
// "fact: value" lines for the playbook's facts (what `casebook run` takes
// with --answers or on stdin). Each value is made legal for its fact (the
// fact's own spelling of it). A fact the playbook lacks or a value it does
// not allow is a finding at its position; findings come sorted.
func ParseAnswers(p *Playbook, name string, src []byte) (map[string]string, []Finding) {
	doc, fs := ParseDocumentAny(name, src)
	if len(fs) > 0 {
		return nil, fs
	}
	values := map[string]string{}
	if doc == nil {
		return values, nil
	}
	d := NewDecoder(name, DefaultMaxNodes)
	d.Mapping(doc, "the answers", nil, func(key string, k, v *yaml.Node) {
		f := p.Fact(key)
		if f == nil {
			d.Errorf(k, RuleUnknownFact, "playbook %s has no fact %q (facts: %s)", p.ID, key, strings.Join(factNames(p), ", "))
			return
		}
		val, ok := d.Scalar(v, "the answer for "+key)
		if !ok {
			return
		}
		legal, ok := f.Legal(val)
		if !ok {
			d.Errorf(v, RuleBadValue, "%q is not a value of %s (%s)", val, key, strings.Join(f.ValueNames(), ", "))
			return
		}
		values[key] = legal
	})
	if len(d.Findings) > 0 {
		SortFindings(d.Findings)
		return nil, d.Findings
	}
	return values, nil
}
