package schemacheck

import (
	"strings"
	"testing"
)

// Strict names what editors' strict validators refuse, and a string the
// schema would take with control characters in it.
func TestStrictNamesWhatAStrictValidatorRefuses(t *testing.T) {
	for _, c := range []struct{ schema, want string }{
		{`{"type": "object", "properties": {"a": {"type": "string"}}}`, "a string with no pattern"},
		{`{"type": ["string", "number"], "pattern": "^x$"}`, "a union type"},
		{`{"type": "object", "required": ["a"], "properties": {}}`, `required key "a" is not declared`},
	} {
		got := strings.Join(Strict([]byte(c.schema)), "; ")
		if !strings.Contains(got, c.want) {
			t.Errorf("Strict(%s) = %q, want it to say %q", c.schema, got, c.want)
		}
	}
	ok := `{"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "pattern": "^[^\\u0000-\\u001f]*$"}, "b": {"type": "string", "format": "date-time"}, "c": {"enum": ["x"]}}}`
	if got := Strict([]byte(ok)); len(got) > 0 {
		t.Errorf("a clean schema: %v", got)
	}
}
