package playbooks

import (
	"sync"
	"testing"
)

func TestHeadKindReadsTheFirstKey(t *testing.T) {
	for head, want := range map[string]string{
		"casebook: scenario/v1\nid: x\n":                                 "scenario/v1",
		"\xef\xbb\xbf# a comment\n\n---\ncasebook: playbook/v1 # kind\n": "playbook/v1",
		`casebook: "release/v1"` + "\n":                                  "release/v1",
		"{casebook: scenario/v1, id: x}\n":                               "scenario/v1",
		"id: x\ncasebook: scenario/v1\n":                                 "",
		"casebook: 'scenario/v1\n":                                       "",
		"":                                                               "",
	} {
		if got := HeadKind([]byte(head)); got != want {
			t.Errorf("HeadKind(%q) = %q, want %q", head, got, want)
		}
	}
}

// Whatever their paths say, files of other kinds are decoded before any
// playbook is visited, so the scenarios are known when the playbooks they
// pin are whole.
func TestLoadWithTakesOtherKindsFirstByTheirFirstKey(t *testing.T) {
	files := []File{
		{Name: "scenarios/playbook.yaml", Src: []byte(runBody)}, // a path that says scenario
		{Name: "a/cases.yaml", Src: []byte("casebook: scenario/v1\nid: s\n")},
	}
	var mu sync.Mutex
	var order []string
	LoadWith(files, LoadOptions{
		Decode: func(doc *Document) (any, []Finding) {
			mu.Lock()
			order = append(order, "decode "+doc.File)
			mu.Unlock()
			return nil, nil
		},
		Visit: func(p *Playbook) {
			mu.Lock()
			order = append(order, "visit "+p.File)
			mu.Unlock()
		},
	})
	if len(order) != 2 || order[0] != "decode a/cases.yaml" {
		t.Errorf("order %v: the scenario must be decoded before the playbook is visited", order)
	}
}
