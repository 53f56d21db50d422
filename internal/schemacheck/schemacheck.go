// Package schemacheck holds the helpers of the tests that hold the JSON
// Schemas editors use (playbooks/schema) and the strict loaders to each
// other: it compiles a schema with a real JSON Schema validator, reads a
// YAML file the way an editor does, and checks a schema against what
// strict validators (ajv's strict mode) refuse. It is imported by tests
// only.
package schemacheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// Compile compiles the schema of a file kind ("playbook", "scenario",
// "release") under draft 2020-12, the draft the schemas declare, with
// formats asserted (the scenario schema's date-time), after checking it
// with Strict.
func Compile(t testing.TB, kind string) *jsonschema.Schema {
	t.Helper()
	src, err := playbooks.Schema(kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range Strict(src) {
		t.Errorf("%s schema: %s", kind, problem)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("%s schema is not JSON: %v", kind, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.AssertVocabs()
	url := "schema/" + kind + ".schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s schema does not compile: %v", kind, err)
	}
	return sch
}

// Strict reports what the strict mode of ajv (the validator editors and
// many CI tools use) refuses in a schema and the Go validator lets pass:
// a union type (`"type": [...]`, strictTypes without allowUnionTypes), and
// a required key that the same schema object does not declare in its
// properties (strictRequired).
func Strict(src []byte) []string {
	var schema any
	if err := json.Unmarshal(src, &schema); err != nil {
		return []string{err.Error()}
	}
	var problems []string
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if _, union := x["type"].([]any); union {
				problems = append(problems, fmt.Sprintf("%s: a union type (write anyOf)", at))
			}
			if x["type"] == "string" && x["pattern"] == nil && x["enum"] == nil && x["const"] == nil && x["format"] == nil {
				// Lint refuses control characters in every value; a string
				// the schema takes as it is would let them through (a format
				// such as date-time, checked, refuses them too).
				problems = append(problems, fmt.Sprintf("%s: a string with no pattern (control characters would pass)", at))
			}
			props, _ := x["properties"].(map[string]any)
			if req, ok := x["required"].([]any); ok {
				for _, r := range req {
					if _, declared := props[r.(string)]; !declared {
						problems = append(problems, fmt.Sprintf("%s: required key %q is not declared in the same object's properties", at, r))
					}
				}
			}
			for _, k := range slices.Sorted(mapKeys(x)) {
				if k == "enum" || k == "const" || k == "required" {
					continue // values, not schemas
				}
				walk(x[k], at+"/"+k)
			}
		case []any:
			for i, y := range x {
				walk(y, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(schema, "#")
	return problems
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// FromYAML reads a YAML document as an editor validating it against a JSON
// Schema does: YAML 1.2 as yaml.v3 reads it (on, off, yes and no are
// strings; true and false booleans; 2023.10 a number), keys as strings,
// timestamps as strings, aliases and merge keys expanded. It returns the
// JSON value in the form the validator takes. An empty document is null.
func FromYAML(src []byte) (any, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	var v any
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		var err error
		if v, err = toJSON(doc.Content[0], 0); err != nil {
			return nil, err
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

func toJSON(n *yaml.Node, depth int) (any, error) {
	if depth > 100 {
		return nil, fmt.Errorf("line %d: nested too deep", n.Line)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return toJSON(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := toJSON(item, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				merged, err := toJSON(v, depth+1)
				if err != nil {
					return nil, err
				}
				if m, ok := merged.(map[string]any); ok {
					for mk, mv := range m {
						if _, set := out[mk]; !set {
							out[mk] = mv
						}
					}
				}
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key that is not a string", k.Line)
			}
			val, err := toJSON(v, depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = val // a duplicate key: the last wins, as in JSON readers
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return nil, err
			}
			if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
				return nil, fmt.Errorf("line %d: %s has no JSON form", n.Line, n.Value)
			}
			return v, nil
		}
		return n.Value, nil // !!str, !!timestamp, and tags the loaders refuse
	}
	return nil, fmt.Errorf("line %d: an unknown YAML node", n.Line)
}

// BeyondSchema checks a document lint refuses for a reason no schema can
// see (why): an editor either reads it as valid JSON or cannot give it a
// JSON form at all (.inf, .nan).
func BeyondSchema(t testing.TB, sch *jsonschema.Schema, src []byte, why string) {
	t.Helper()
	v, err := FromYAML(src)
	if err != nil {
		if !strings.Contains(err.Error(), "no JSON form") {
			t.Errorf("not YAML to an editor: %v", err)
		}
		return
	}
	if refusal := Refusal(sch, v); refusal != "" {
		t.Errorf("listed as beyond the schema (%s), but the schema refuses it: %s", why, refusal)
	}
}

// Refusal returns the validator's reasons for refusing v, or "" when the
// schema accepts it.
func Refusal(sch *jsonschema.Schema, v any) string {
	err := sch.Validate(v)
	if err == nil {
		return ""
	}
	return strings.TrimSpace(err.Error())
}

// Mutate sets the node at path in the YAML document src to value (YAML),
// or deletes it when value is "-", and returns the document. The path is keys and list
// indexes, dot-separated; a missing last key is added.
func Mutate(t *testing.T, src []byte, path, value string) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	var val yaml.Node
	if value != "-" {
		if err := yaml.Unmarshal([]byte(value), &val); err != nil {
			t.Fatalf("value %q: %v", value, err)
		}
	}
	parts := strings.Split(path, ".")
	n := doc.Content[0]
	for i, p := range parts {
		last := i == len(parts)-1
		switch n.Kind {
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(p)
			if err != nil || idx >= len(n.Content) {
				t.Fatalf("path %s: no item %s", path, p)
			}
			if last {
				if value == "-" {
					n.Content = slices.Delete(n.Content, idx, idx+1)
				} else {
					n.Content[idx] = val.Content[0]
				}
				break
			}
			n = n.Content[idx]
		case yaml.MappingNode:
			at := -1
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == p {
					at = j
				}
			}
			if last {
				switch {
				case value == "-" && at >= 0:
					n.Content = slices.Delete(n.Content, at, at+2)
				case value == "-":
					t.Fatalf("path %s: no key %s to delete", path, p)
				case at >= 0:
					n.Content[at+1] = val.Content[0]
				default:
					n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: p}, val.Content[0])
				}
				break
			}
			if at < 0 {
				t.Fatalf("path %s: no key %s", path, p)
			}
			n = n.Content[at+1]
		default:
			t.Fatalf("path %s: %s is not a mapping or list", path, p)
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A Lint gives the findings the loader has for a file's text.
type Lint func(src []byte) []playbooks.Finding

// MutationAgrees checks one edit of a valid file base (Mutate's path and
// value): with rule "" both the schema and lint must accept it; otherwise
// both must refuse it, lint with rule as an error at a position.
func MutationAgrees(t *testing.T, sch *jsonschema.Schema, base []byte, path, value string, rule playbooks.RuleID, lint Lint) {
	t.Helper()
	src := Mutate(t, base, path, value)
	fs := lint(src)
	v, err := FromYAML(src)
	if err != nil {
		t.Fatalf("not YAML to an editor: %v", err)
	}
	refusal := Refusal(sch, v)
	if rule == "" {
		for _, f := range fs {
			t.Errorf("lint refuses it: %s", f)
		}
		if refusal != "" {
			t.Errorf("the schema refuses it: %s", refusal)
		}
		return
	}
	if refusal == "" {
		t.Errorf("the schema takes it")
	}
	if !HasError(fs, rule) {
		t.Errorf("lint gives no %s error with a position; it gives %v", rule, fs)
	}
}

// MutationBeyondSchema checks an edit no schema can see (why): lint
// refuses it with rule, at a position, and the schema takes it.
func MutationBeyondSchema(t *testing.T, sch *jsonschema.Schema, base []byte, path, value string, rule playbooks.RuleID, why string, lint Lint) {
	t.Helper()
	src := Mutate(t, base, path, value)
	BeyondSchema(t, sch, src, why)
	if fs := lint(src); !HasError(fs, rule) {
		t.Errorf("lint gives no %s error with a position; it gives %v", rule, fs)
	}
}

// HasError reports whether the findings hold an error of rule with a
// position.
func HasError(fs []playbooks.Finding, rule playbooks.RuleID) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == playbooks.SeverityError && f.Line > 0 && f.Col > 0 {
			return true
		}
	}
	return false
}
