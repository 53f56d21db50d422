package playbooks

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed schema/*.schema.json
var schemas embed.FS

// SchemaKinds lists the file kinds that have a JSON Schema.
func SchemaKinds() []string {
	entries, _ := schemas.ReadDir("schema")
	var kinds []string
	for _, e := range entries {
		kinds = append(kinds, strings.TrimSuffix(e.Name(), ".schema.json"))
	}
	sort.Strings(kinds)
	return kinds
}

// Schema returns the JSON Schema of a file kind ("playbook").
func Schema(kind string) ([]byte, error) {
	src, err := schemas.ReadFile("schema/" + kind + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("no schema for %q", kind)
	}
	return src, nil
}
