package playbooks

import (
	"strings"
	"testing"
)

func TestParseAnswers(t *testing.T) {
	p, fs := ParsePlaybook("r.yaml", []byte(runBody))
	if HasErrors(fs) {
		t.Fatal(fs)
	}
	values, fs := ParseAnswers(p, "a.yaml", []byte("on: \"yes\"\n"))
	if len(fs) > 0 || values["on"] != "yes" {
		t.Errorf("values %v, findings %v", values, fs)
	}
	for src, want := range map[string]string{
		"off: yes\n":        `a.yaml:1:1: playbook r has no fact "off" (facts: on) [unknown-fact]`,
		"on: maybe\n":       `a.yaml:1:5: "maybe" is not a value of on (yes, no) [bad-value]`,
		"on: [\"yes\"]\n":   "a.yaml:1:5: ",
		"on: yes\non: no\n": "a.yaml:2:1: ",
		"- on\n":            "a.yaml:1:1: ",
	} {
		_, fs := ParseAnswers(p, "a.yaml", []byte(src))
		if len(fs) == 0 || !strings.HasPrefix(fs[0].String(), want) {
			t.Errorf("%q: findings %v, want the first to start %q", src, fs, want)
		}
	}
}
