package scenarios

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/casebook/casebook/playbooks"
)

// TestSchemaMatchesLoader keeps the scenario JSON Schema and the loader in
// step: each object of the schema allows exactly the keys the loader reads.
func TestSchemaMatchesLoader(t *testing.T) {
	src, err := playbooks.Schema("scenario")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(src, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	var objects [][]string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				var keys []string
				for k := range props {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				objects = append(objects, keys)
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(schema)
	for name, keys := range map[string][]string{"scenario": ScenarioKeys, "ticket": TicketKeys, "persona": PersonaKeys,
		"trap": TrapKeys, "recording": RecordingKeys, "recorded move": MoveKeys} {
		want := slices.Sorted(slices.Values(keys))
		if !slices.ContainsFunc(objects, func(o []string) bool { return slices.Equal(o, want) }) {
			t.Errorf("no object in the schema has exactly the %s keys %v", name, want)
		}
	}
}
