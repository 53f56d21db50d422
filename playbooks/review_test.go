package playbooks

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestReviewChangesOnlyTheTwoValues(t *testing.T) {
	tests := []struct {
		name, version, reviewed, wantVersion, wantReviewed string
	}{
		{"quoted values keep their quotes", `"1.4.2"`, `"2023.10"   # last check`, `"1.4.3"`, `"2024.2"   # last check`},
		{"plain values stay plain", `1.4.2`, `2023.10`, `1.4.3`, `2024.2`},
		{"single quotes stay single", `'1.4.2'`, `'2023.10'`, `'1.4.3'`, `'2024.2'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "# A comment that must survive.\ncasebook: playbook/v1\nid: x\nversion: " + tt.version +
				"\ntitle: X   # trailing comment\nproduct: p\napplies_to: \">=1\"\nreviewed_for: " + tt.reviewed +
				"\nowner: o\nintents: [i]\nfacts: {}\ntiers: {L1: [reply]}\nsteps:\n  - id: done\n    outcome: resolved\n"
			if _, fs := ParsePlaybook("x.yaml", []byte(src)); len(fs) > 0 {
				t.Fatal(fs)
			}
			e, err := ReviewSource("x.yaml", []byte(src), "x", "2024.2")
			if err != nil {
				t.Fatal(err)
			}
			out, next := e.Out, e.NewVersion
			if next != "1.4.3" {
				t.Errorf("new version %s, want 1.4.3", next)
			}
			want := strings.Replace(strings.Replace(src, "version: "+tt.version, "version: "+tt.wantVersion, 1),
				"reviewed_for: "+tt.reviewed, "reviewed_for: "+tt.wantReviewed, 1)
			if string(out) != want {
				t.Errorf("got\n%s\nwant\n%s", out, want)
			}
			if q, fs := ParsePlaybook("x.yaml", out); len(fs) > 0 || q.ReviewedFor != "2024.2" || q.Version != "1.4.3" {
				t.Errorf("the edited file reads back as %s/%s with %v", q.Version, q.ReviewedFor, fs)
			}
		})
	}
}

// reviewBody is a small valid playbook with VERSION and REVIEWED standing
// for the two values, in block style.
const reviewBody = "casebook: playbook/v1\nid: x\nversion: VERSION\ntitle: X\nproduct: p\napplies_to: \">=1\"\nreviewed_for: REVIEWED\nowner: o\nintents: [i]\nfacts: {}\ntiers: {L1: [reply]}\nsteps:\n  - id: done\n    outcome: resolved\n"

func TestReviewEndsValuesWhereYAMLEndsThem(t *testing.T) {
	flow := `{casebook: playbook/v1, id: x, VERSIONtitle: "X, \"the\" one", product: p, applies_to: ">=1", REVIEWEDowner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}]}` + "\n"
	tests := []struct {
		name, src, want string
	}{
		{"a whole file in flow style on one line",
			strings.NewReplacer("VERSION", "version: 1.4.2, ", "REVIEWED", "reviewed_for: 2023.10, ").Replace(flow),
			strings.NewReplacer("VERSION", "version: 1.4.3, ", "REVIEWED", "reviewed_for: 2024.2, ").Replace(flow)},
		{"flow style with quoted values",
			strings.NewReplacer("VERSION", `version: "1.4.2", `, "REVIEWED", `reviewed_for: '2023.10', `).Replace(flow),
			strings.NewReplacer("VERSION", `version: "1.4.3", `, "REVIEWED", `reviewed_for: '2024.2', `).Replace(flow)},
		{"flow style with no space before the comma",
			strings.NewReplacer("VERSION", "version: 1.4.2,", "REVIEWED", "reviewed_for: \"2023.10\",").Replace(flow),
			strings.NewReplacer("VERSION", "version: 1.4.3,", "REVIEWED", "reviewed_for: \"2024.2\",").Replace(flow)},
		{"the value last before the closing brace",
			"{casebook: playbook/v1, id: x, title: X, product: p, applies_to: \">=1\", owner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}], reviewed_for: 2023.10, version: 1.4.2}\n",
			"{casebook: playbook/v1, id: x, title: X, product: p, applies_to: \">=1\", owner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}], reviewed_for: 2024.2, version: 1.4.3}\n"},
		{"a flow mapping over several lines",
			"{casebook: playbook/v1,\n id: x,\n version: 1.4.2 ,  # the playbook's\n title: X, product: p, applies_to: \">=1\",\n reviewed_for: \"2023.10\"\n , owner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}]}\n",
			"{casebook: playbook/v1,\n id: x,\n version: 1.4.3 ,  # the playbook's\n title: X, product: p, applies_to: \">=1\",\n reviewed_for: \"2024.2\"\n , owner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}]}\n"},
		{"block style with comments after the values",
			strings.NewReplacer("VERSION", "1.4.2 # semver", "REVIEWED", "\"2023.10\"\t# checked").Replace(reviewBody),
			strings.NewReplacer("VERSION", "1.4.3 # semver", "REVIEWED", "\"2024.2\"\t# checked").Replace(reviewBody)},
		{"a quoted value holding escapes",
			strings.NewReplacer("VERSION", `"1.4\x2e2" # "quoted" comment`, "REVIEWED", `'2023.10' # it''s`).Replace(reviewBody),
			strings.NewReplacer("VERSION", `"1.4.3" # "quoted" comment`, "REVIEWED", `'2024.2' # it''s`).Replace(reviewBody)},
		{"a tagged value on the next line",
			strings.NewReplacer("VERSION", "!!str\n  1.4.2", "REVIEWED", "&rev 2023.10").Replace(reviewBody),
			strings.NewReplacer("VERSION", "!!str\n  1.4.3", "REVIEWED", "&rev 2024.2").Replace(reviewBody)},
		{"Windows line ends and a byte-order mark",
			"\xef\xbb\xbf" + strings.ReplaceAll(strings.NewReplacer("VERSION", "1.4.2", "REVIEWED", "2023.10").Replace(reviewBody), "\n", "\r\n"),
			"\xef\xbb\xbf" + strings.ReplaceAll(strings.NewReplacer("VERSION", "1.4.3", "REVIEWED", "2024.2").Replace(reviewBody), "\n", "\r\n")},
		{"a non-ASCII key before the values on the same line",
			`{casebook: playbook/v1, id: x, title: "Überprüfung – ✓", version: 1.4.2, product: p, applies_to: ">=1", reviewed_for: 2023.10, owner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}]}`,
			`{casebook: playbook/v1, id: x, title: "Überprüfung – ✓", version: 1.4.3, product: p, applies_to: ">=1", reviewed_for: 2024.2, owner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, fs := ParsePlaybook("x.yaml", []byte(tt.src)); HasErrors(fs) {
				t.Fatalf("the test's playbook does not load: %v", fs)
			}
			e, err := ReviewSource("x.yaml", []byte(tt.src), "x", "2024.2")
			if err != nil {
				t.Fatal(err)
			}
			if string(e.Out) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", e.Out, tt.want)
			}
			if e.OldVersion != "1.4.2" || e.NewVersion != "1.4.3" || e.OldReviewed != "2023.10" || e.NewReviewed != "2024.2" {
				t.Errorf("the edit reports %+v", *e)
			}
		})
	}
}

func TestReviewRefusesWhatItCannotEditInPlace(t *testing.T) {
	tests := []struct {
		name, version, reviewed, wantErr string
	}{
		{"a folded block scalar", ">-\n  1.4.2", "2023.10", "x.yaml:3:10: version: a block scalar (| or >) cannot be edited in place; write the value on one line"},
		{"a value on the line after its key", "\n  1.4.2", "\n   2023.10 # c\n", ""},
		{"an alias", "&v 1.4.2", "*v", "x.yaml:3:10: version: the value's anchor (&v) is used elsewhere in the file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.NewReplacer("VERSION", tt.version, "REVIEWED", tt.reviewed).Replace(reviewBody)
			e, err := ReviewSource("x.yaml", []byte(src), "x", "2024.2")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; the edit gave\n%s", e.Out)
			}
			if !strings.HasPrefix(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line starting %q", err, tt.wantErr)
			}
		})
	}
}

func TestSameTreeSeesAnyOtherChange(t *testing.T) {
	parse := func(s string) *yaml.Node {
		n, fs := ParseDocumentAny("x.yaml", []byte(s))
		if len(fs) > 0 {
			t.Fatal(fs)
		}
		return n
	}
	old := parse("{a: 1, version: 1.0.0, b: [x, \"y\"]} # c\n")
	ver := old.Content[3]
	want := map[*yaml.Node]wantScalar{ver: {"1.0.1", 0}}
	if d := sameTree(old, parse("{a: 1, version: 1.0.1, b: [x, \"y\"]} # c\n"), want); d != nil {
		t.Errorf("the wanted edit is refused: %s", d.what)
	}
	for _, changed := range []string{
		"{a: 1, version: 1.0.2, b: [x, \"y\"]} # c\n",
		"{a: 1, version: \"1.0.1\", b: [x, \"y\"]} # c\n",
		"{a: 2, version: 1.0.1, b: [x, \"y\"]} # c\n",
		"{a: 1, version: 1.0.1, b: [x, y]} # c\n",
		"{a: 1, version: 1.0.1, b: [x]} # c\n",
		"{a: 1, version: 1.0.1, b: [x, \"y\"]}\n",
		"{a: 1, version: 1.0.1, b: {x: \"y\"}} # c\n",
		"{a: 1, version: 1.0.1}\n",
	} {
		if d := sameTree(old, parse(changed), want); d == nil {
			t.Errorf("%q passes as the same tree", changed)
		}
	}
}

func TestScalarSpanRefusesAPlainValueFoldedFromLines(t *testing.T) {
	src := []byte("a: one\n  two # c\n")
	n, _ := ParseDocumentAny("x.yaml", src)
	v := n.Content[1]
	if v.Value != "one two" {
		t.Fatalf("the test's value reads %q", v.Value)
	}
	if _, _, err := scalarSpan(src, lineStarts(src), v, "three"); err == nil || !strings.Contains(err.Error(), "spans lines") {
		t.Errorf("error %v, want one saying the value spans lines", err)
	}
}

// FuzzReviewSource: on any text, ReviewSource returns an error or an edit
// that reads back with the new values; it never panics.
func FuzzReviewSource(f *testing.F) {
	f.Add(strings.NewReplacer("VERSION", "1.4.2", "REVIEWED", `"2023.10" # c`).Replace(reviewBody), "2024.2")
	f.Add(`{casebook: playbook/v1, id: x, version: 1.4.2, title: "a, \"b\"", product: p, applies_to: ">=1", reviewed_for: '2023.10', owner: o, intents: [i], facts: {}, tiers: {L1: [reply]}, steps: [{id: done, outcome: resolved}]}`, "2024.2-rc.1")
	f.Fuzz(func(t *testing.T, src, forVer string) {
		e, err := ReviewSource("x.yaml", []byte(src), "", forVer)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("a multi-line error: %q", err)
			}
			return
		}
		p, _ := ParsePlaybook("x.yaml", e.Out)
		if p == nil || p.Version != e.NewVersion || p.ReviewedFor != forVer {
			t.Errorf("the edit reads back wrong:\n%s", e.Out)
		}
	})
}

// An anchored value that another key uses would change there too: the
// owner below would become "2024.2". Review refuses and writes nothing.
func TestReviewRefusesAnAnchorUsedElsewhere(t *testing.T) {
	src := strings.NewReplacer("VERSION", "1.4.2", "REVIEWED", `&r "2023.10"`, "owner: o", "owner: *r").Replace(reviewBody)
	if _, fs := ParsePlaybook("x.yaml", []byte(src)); HasErrors(fs) {
		t.Fatalf("the test's playbook does not load: %v", fs)
	}
	e, err := ReviewSource("x.yaml", []byte(src), "x", "2024.2")
	if err == nil {
		t.Fatalf("no error; the edit gave\n%s", e.Out)
	}
	if want := "x.yaml:7:15: reviewed_for: the value's anchor (&r) is used elsewhere"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q", err, want)
	}
}
