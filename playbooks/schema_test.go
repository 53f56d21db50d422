package playbooks

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"
)

// TestSchemaMatchesLoader keeps the JSON Schema editors use and the strict
// loader in step: each object of the schema allows exactly the keys the
// loader accepts.
func TestSchemaMatchesLoader(t *testing.T) {
	src, err := Schema("playbook")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(src, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	defs, _ := schema["$defs"].(map[string]any)
	keysOf := func(obj any) []string {
		m, _ := obj.(map[string]any)
		props, _ := m["properties"].(map[string]any)
		var keys []string
		for k := range props {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	findDef := func(want []string) bool {
		want = slices.Sorted(slices.Values(want))
		for _, d := range defs {
			if slices.Equal(keysOf(d), want) {
				return true
			}
		}
		return false
	}
	if got, want := keysOf(schema), slices.Sorted(slices.Values(PlaybookKeys)); !slices.Equal(got, want) {
		t.Errorf("top-level keys: schema has %v, loader accepts %v", got, want)
	}
	for name, keys := range map[string][]string{"fact": FactKeys, "reply": ReplyKeys, "audience parts": AudienceKeys} {
		if !findDef(keys) {
			t.Errorf("no $defs object in the schema has exactly the %s keys %v", name, keys)
		}
	}
	// Steps: one branch per kind, each with exactly the keys the loader
	// allows on that kind, and together every step key.
	var all []string
	for _, kind := range StepKinds {
		got, want := keysOf(defs[kind+"Step"]), slices.Sorted(slices.Values(StepKindKeys(kind)))
		if !slices.Equal(got, want) {
			t.Errorf("$defs/%sStep has the keys %v, the loader allows %v on a %s step", kind, got, want, kind)
		}
		all = append(all, got...)
	}
	slices.Sort(all)
	if got, want := slices.Compact(all), slices.Sorted(slices.Values(StepKeys)); !slices.Equal(got, want) {
		t.Errorf("the step branches have the keys %v, the loader %v", got, want)
	}
}

func TestReleaseSchemaMatchesLoader(t *testing.T) {
	src, err := Schema("release")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(src, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	props, _ := schema["properties"].(map[string]any)
	var keys []string
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := slices.Sorted(slices.Values(ManifestKeys)); !slices.Equal(keys, want) {
		t.Errorf("release schema keys %v, loader %v", keys, want)
	}
	removed, _ := props["removed"].(map[string]any)
	items, _ := removed["items"].(map[string]any)
	rprops, _ := items["properties"].(map[string]any)
	var rkeys []string
	for k := range rprops {
		rkeys = append(rkeys, k)
	}
	slices.Sort(rkeys)
	if want := slices.Sorted(slices.Values(RemovalKeys)); !slices.Equal(rkeys, want) {
		t.Errorf("removed item keys %v, loader %v", rkeys, want)
	}
}

func TestIDAndNameCheckersMatchTheirPatterns(t *testing.T) {
	id := regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	name := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	for _, s := range []string{"", "a", "-a", "a-", "A", "a_b", "a.b", "_a", ".a", "1", "é", "a b", "https-link-branding", "L1", "ticket.user_agent", "x\n"} {
		if got, want := ValidID(s), id.MatchString(s); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", s, got, want)
		}
		if got, want := validName(s), name.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, want %v", s, got, want)
		}
	}
}
