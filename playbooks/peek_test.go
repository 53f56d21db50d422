package playbooks

import "testing"

func TestPeekPlaybookID(t *testing.T) {
	for _, c := range []struct {
		src, id string
	}{
		{"casebook: playbook/v1\nid: refund\nversion: 1.0.0\n", "refund"},
		{"# header\n\ncasebook: playbook/v1\r\nid: refund-2 \r\nsteps:\n  - id: other\n", "refund-2"},
		{"casebook: playbook/v1\nnote: |\n  id: inner\nid: outer\n", "outer"},
		{"casebook: playbook/v1\nid: \"refund\"\n", "refund"},
		{"casebook: \"playbook/v1\"\nid: a\n", "a"},
		{"casebook: playbook/v1\nid: refund # the id\n", "refund"},
		// Doubt: the caller must parse.
		{"casebook: playbook/v1\nid: &a refund\n", ""},
		{"casebook: playbook/v1\nid:refund\n", ""},
		{"casebook: playbook/v1\nid: a\nid: b\n", ""},
		{"casebook: playbook/v1\nid: a\n---\nid: b\n", ""},
		{"casebook: playbook/v1\n{id: a}\n", ""},
		{"casebook: playbook/v1\ntitle: x\n", ""},
		{"casebook: scenario/v1\nid: a\n", ""},
		{"\xef\xbb\xbfcasebook: playbook/v1\nid: a\n", ""},
		{"id: a\ncasebook: playbook/v1\n", ""},
		{"casebook: playbook/v1\nintents: [a,\nid: b]\n", ""},
		{"casebook: playbook/v1\nintents: [a,\nid: bb\n]\n", ""},
		{"casebook: playbook/v1\nintents: [a, b]\nid: c\n", "c"},
		{"casebook: playbook/v1\nid: a\n b\n", ""},
		{"casebook: playbook/v1\nid: a\n\n# note\n", ""},
		{"", ""},
	} {
		id, ok := PeekPlaybookID([]byte(c.src))
		if id != c.id || ok != (c.id != "") {
			t.Errorf("PeekPlaybookID(%q) = %q, %v; want %q", c.src, id, ok, c.id)
		}
	}
}

// Whatever PeekPlaybookID is sure of, a parse agrees with.
func FuzzPeekPlaybookID(f *testing.F) {
	f.Add([]byte("casebook: playbook/v1\nid: refund\nversion: 1.0.0\n"))
	f.Add([]byte("casebook: playbook/v1\ntitle: \"a\nid: b\"\nid: c\n"))
	f.Add([]byte("casebook: playbook/v1\nnote: |\n  x\nid: outer\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		id, ok := PeekPlaybookID(src)
		if !ok {
			return
		}
		doc, fs := ParseDocument("f.yaml", src)
		if len(fs) > 0 || doc.Root == nil {
			return // a file that does not parse is reported, whatever its id
		}
		if got := PeekID(doc.Root); got != id {
			t.Fatalf("%q: peeked id %q, the parse says %q", src, id, got)
		}
	})
}
