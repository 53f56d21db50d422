package playbooks

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
)

const diffBase = `casebook: playbook/v1
id: https
version: 1.0.0
title: Turn on HTTPS for branded links
product: mailer
applies_to: ">=2023.6"
reviewed_for: "2023.10"
owner: deliverability
intents: [https-links]
facts:
  cname_target:
    source: dns
    ask: Where does the CNAME point?
    values: [platform, proxy, missing]
  plan:
    source: ticket.plan
    ask: Which plan is the customer on?
tiers:
  L1: [lookup, reply]
  L2: [lookup, reply, enable_ssl]
steps:
  - id: check-cname
    title: Look up the CNAME
    check: cname_target
    note: Behind a proxy the CNAME points at the proxy.
    on: {platform: enable-ssl, proxy: enable-ssl, missing: reply-missing}
  - id: enable-ssl
    title: Turn on SSL
    action: enable_ssl
    ui: admin/tracking/ssl
    setting: account.ssl
    next: reply-enabled
  - id: reply-enabled
    reply: ssl-enabled
    next: resolved
  - id: reply-missing
    reply: cname-missing
    next: customer-action
  - id: resolved
    outcome: resolved
  - id: customer-action
    outcome: customer-action
replies:
  ssl-enabled:
    summary: HTTPS is on.
    cause: It takes a switch.
    fix: We turned it on.
    docs: [docs/ssl]
    audiences:
      developer:
        fix: We turned it on; links use https.
  cname-missing:
    summary: The CNAME is gone.
    cause: DNS changed.
    fix: Point it back.
`

// diffReordered says what diffBase says, in another order and wrapping.
const diffReordered = `casebook: playbook/v1
title: Turn on HTTPS for branded links
id: https
product: mailer
version: 1.0.0
owner: deliverability
applies_to: ">=2023.6"
reviewed_for: "2023.10"
intents: [https-links]
tiers:
  L1: [reply, lookup]
  L2: [enable_ssl, lookup, reply]
facts:
  plan: {ask: "Which plan is the customer on?", source: ticket.plan}
  cname_target:
    values: [missing, platform, proxy]
    ask: >-
      Where does the
      CNAME point?
    source: dns
replies:
  cname-missing:
    fix: Point it back.
    cause: DNS changed.
    summary: The CNAME is gone.
  ssl-enabled:
    audiences:
      developer: {fix: We turned it on; links use https.}
    docs: [docs/ssl]
    fix: We turned it on.
    summary: HTTPS is on.
    cause: It takes a switch.
steps:
  - id: check-cname
    check: cname_target
    on: {missing: reply-missing, proxy: enable-ssl, platform: enable-ssl}
    note: |
      Behind a proxy the CNAME
      points at the proxy.
    title: Look up the CNAME
  - id: customer-action
    outcome: customer-action
  - id: resolved
    outcome: resolved
  - id: reply-missing
    next: customer-action
    reply: cname-missing
  - next: resolved
    reply: ssl-enabled
    id: reply-enabled
  - id: enable-ssl
    setting: [account.ssl]
    next: reply-enabled
    ui: [admin/tracking/ssl]
    action: enable_ssl
    title: Turn on SSL
`

// edit applies replacements to the base playbook; each must match.
func edit(t *testing.T, src string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(src, pairs[i]) {
			t.Fatalf("the playbook does not contain %q", pairs[i])
		}
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

func parseForDiff(t *testing.T, name, src string) *Playbook {
	t.Helper()
	p, fs := ParsePlaybook(name, []byte(src))
	if p == nil {
		t.Fatalf("%s does not parse: %v", name, fs)
	}
	return p
}

// changeLines shows changes as "code: message", one a line.
func changeLines(cs []Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Code+": "+c.Message)
	}
	return out
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name  string
		old   string   // the base if ""
		edits []string // old, new pairs applied to the base for the new file
		want  []string
	}{
		{name: "a file diffed with itself has no changes"},
		{name: "a new version alone is no change in meaning",
			edits: []string{"version: 1.0.0", "version: 1.0.1"}},
		{name: "reordering keys, facts, tiers' capabilities, steps and replies, and rewrapping text, changes nothing",
			old: diffReordered},

		{name: "a new title is a metadata change",
			edits: []string{"title: Turn on HTTPS for branded links", "title: HTTPS for branded links"},
			want:  []string{`title-changed: Title: now "HTTPS for branded links" (was "Turn on HTTPS for branded links")`}},
		{name: "a new range is a metadata change; a new review is none an agent relearns",
			edits: []string{`applies_to: ">=2023.6"`, `applies_to: ">=2024.1"`, `reviewed_for: "2023.10"`, `reviewed_for: "2024.1"`},
			want: []string{
				"applies-to-changed: Applies to product versions: now >=2024.1 (was >=2023.6)",
			}},
		{name: "a review alone (reviewed_for and the patch version) is no change in meaning",
			edits: []string{"version: 1.0.0", "version: 1.0.1", `reviewed_for: "2023.10"`, `reviewed_for: "2024.1"`}},
		{name: "a new owner is a metadata change",
			edits: []string{"owner: deliverability", "owner: support-l2"},
			want:  []string{"owner-changed: Owner: now support-l2 (was deliverability)"}},
		{name: "intents come and go",
			edits: []string{"intents: [https-links]", "intents: [ssl-links]"},
			want: []string{
				"intent-added: New intent ssl-links: these cases now come to this playbook",
				"intent-removed: Intent https-links no longer comes to this playbook",
			}},
		{name: "a start key that names another step moves where cases start",
			edits: []string{"intents: [https-links]", "intents: [https-links]\nstart: enable-ssl"},
			want:  []string{"start-changed: Cases now start at step enable-ssl (was check-cname)"}},
		{name: "listing another step first moves the start when there is no start key",
			edits: []string{"  - id: check-cname\n    title: Look up the CNAME\n    check: cname_target\n    note: Behind a proxy the CNAME points at the proxy.\n    on: {platform: enable-ssl, proxy: enable-ssl, missing: reply-missing}\n", "", "  - id: customer-action", "  - id: check-cname\n    title: Look up the CNAME\n    check: cname_target\n    note: Behind a proxy the CNAME points at the proxy.\n    on: {platform: enable-ssl, proxy: enable-ssl, missing: reply-missing}\n  - id: customer-action"},
			want:  []string{"start-changed: Cases now start at step enable-ssl (was check-cname)"}},

		{name: "a new fact",
			edits: []string{"facts:\n", "facts:\n  certificate:\n    source: probe\n    ask: Open https://DOMAIN. What certificate is served?\n    values: [valid, none]\n"},
			want:  []string{"fact-added: New fact certificate (probe; valid, none): Open https://DOMAIN. What certificate is served?"}},
		{name: "a removed fact",
			edits: []string{"  plan:\n    source: ticket.plan\n    ask: Which plan is the customer on?\n", ""},
			want:  []string{"fact-removed: Removed fact plan (ticket.plan)"}},
		{name: "a fact that comes from somewhere else",
			edits: []string{"source: dns", "source: customer"},
			want:  []string{"fact-source-changed: Fact cname_target now comes from customer (was dns)"}},
		{name: "a fact's values come and go",
			edits: []string{"values: [platform, proxy, missing]", "values: [platform, proxy, gone]"},
			want: []string{
				"fact-value-added: Fact cname_target can now be gone",
				"fact-value-removed: Fact cname_target can no longer be missing",
			}},
		{name: "a fact asked another way",
			edits: []string{"ask: Where does the CNAME point?", "ask: Where does each CNAME point?"},
			want:  []string{`fact-ask-changed: Fact cname_target, question: now "Where does each CNAME point?" (was "Where does the CNAME point?")`}},

		{name: "a new tier",
			edits: []string{"  L2: [lookup, reply, enable_ssl]\n", "  L2: [lookup, reply, enable_ssl]\n  ENG: [lookup, debug]\n"},
			want:  []string{"tier-added: New tier ENG: lookup, debug"}},
		{name: "a removed tier",
			edits: []string{"  L1: [lookup, reply]\n", ""},
			want:  []string{"tier-removed: Removed tier L1"}},
		{name: "tiers gain and lose capabilities",
			edits: []string{"L1: [lookup, reply]", "L1: [lookup, enable_ssl]"},
			want: []string{
				"tier-capability-added: Tier L1 gains capability enable_ssl",
				"tier-capability-removed: Tier L1 loses capability reply",
			}},
		{name: "tiers ranked the other way round",
			edits: []string{"  L1: [lookup, reply]\n  L2: [lookup, reply, enable_ssl]\n", "  L2: [lookup, reply, enable_ssl]\n  L1: [lookup, reply]\n"},
			want:  []string{"tier-order-changed: Tiers now rank L2 < L1 (was L1 < L2)"}},

		{name: "a new step and the branch rewired to it",
			edits: []string{
				"proxy: enable-ssl,", "proxy: check-certificate,",
				"  - id: enable-ssl\n", "  - id: check-certificate\n    title: Probe each branded domain over HTTPS\n    check: cname_target\n    on: {platform: enable-ssl, proxy: enable-ssl, missing: enable-ssl}\n  - id: enable-ssl\n",
			},
			want: []string{
				"step-branch-changed: Step check-cname: when cname_target is proxy, go to check-certificate (was enable-ssl)",
				"step-added: New step check-certificate (DNS look-up cname_target): Probe each branded domain over HTTPS",
			}},
		{name: "a removed step comes after the steps of the new file",
			edits: []string{"missing: reply-missing}", "missing: resolved}", "  - id: reply-missing\n    reply: cname-missing\n    next: customer-action\n", ""},
			want: []string{
				"step-branch-changed: Step check-cname: when cname_target is missing, go to resolved (was reply-missing)",
				"step-removed: Removed step reply-missing (reply cname-missing)",
			}},
		{name: "a step of another kind",
			edits: []string{"    action: enable_ssl\n", "    escalate: L2\n"},
			want:  []string{"step-kind-changed: Step enable-ssl: now escalate to L2 (was action enable_ssl)"}},
		{name: "a step on another subject",
			edits: []string{"    reply: cname-missing\n", "    reply: ssl-enabled\n"},
			want:  []string{"step-subject-changed: Step reply-missing: now reply ssl-enabled (was reply cname-missing)"}},
		{name: "branches added and removed",
			edits: []string{"on: {platform: enable-ssl, proxy: enable-ssl, missing: reply-missing}", "on: {platform: enable-ssl, proxy: enable-ssl}\n    otherwise: reply-missing"},
			want: []string{
				"step-branch-removed: Step check-cname: no branch when cname_target is missing any more (it went to reply-missing)",
				"step-otherwise-added: Step check-cname: otherwise, go to reply-missing (new)",
			}},
		{name: "a next step rewired",
			edits: []string{"next: reply-enabled", "next: resolved"},
			want:  []string{"step-next-changed: Step enable-ssl: then go to resolved (was reply-enabled)"}},
		{name: "a step's title and note",
			edits: []string{"title: Look up the CNAME", "title: Look up each CNAME", "note: Behind a proxy the CNAME points at the proxy.", "note: A proxy is fine."},
			want: []string{
				`step-title-changed: Step check-cname, title: now "Look up each CNAME" (was "Look up the CNAME")`,
				`step-note-changed: Step check-cname, note: now "A proxy is fine."`,
			}},
		{name: "a note removed",
			edits: []string{"    note: Behind a proxy the CNAME points at the proxy.\n", ""},
			want:  []string{`step-note-removed: Step check-cname, note: now nothing`}},
		{name: "UI, doc and setting references come and go",
			edits: []string{"ui: admin/tracking/ssl", "ui: admin/settings/tracking/https\n    doc: docs/ssl", "    setting: account.ssl\n", ""},
			want: []string{
				"step-ui-added: New UI reference admin/settings/tracking/https on step enable-ssl",
				"step-ui-removed: Removed UI reference admin/tracking/ssl from step enable-ssl",
				"step-doc-added: New doc reference docs/ssl on step enable-ssl",
				"step-setting-removed: Removed setting reference account.ssl from step enable-ssl",
			}},
		{name: "a step shown to customers",
			edits: []string{"    title: Look up the CNAME\n", "    title: Look up the CNAME\n    visibility: customer\n"},
			want:  []string{"step-visibility-changed: Step check-cname: visibility now customer (was internal)"}},

		{name: "a new reply and a removed one",
			edits: []string{"  cname-missing:", "  dns-gone:"},
			want: []string{
				`reply-added: New reply dns-gone: "The CNAME is gone."`,
				"reply-removed: Removed reply cname-missing",
			}},
		{name: "a default part changed is listed once, not for each audience that takes it",
			edits: []string{"cause: It takes a switch.", "cause: Only our team can turn it on."},
			want:  []string{`reply-cause-changed: Reply ssl-enabled, cause: now "Only our team can turn it on."`}},
		{name: "an audience's own part changed",
			edits: []string{"fix: We turned it on; links use https.", "fix: We turned it on; tracked links now use https://."},
			want:  []string{`reply-fix-changed: Reply ssl-enabled, fix for developer: now "We turned it on; tracked links now use https://."`}},
		{name: "an audience that loses its own part now gets the default",
			edits: []string{"    audiences:\n      developer:\n        fix: We turned it on; links use https.\n", "    audiences:\n      developer:\n        summary: HTTPS is on.\n"},
			want:  []string{`reply-fix-changed: Reply ssl-enabled, fix for developer: now "We turned it on."`}},
		{name: "a reply's docs come and go",
			edits: []string{"docs: [docs/ssl]", "docs: [docs/link-branding/ssl]"},
			want: []string{
				"reply-doc-added: Reply ssl-enabled may now link docs/link-branding/ssl",
				"reply-doc-removed: Reply ssl-enabled no longer links docs/ssl",
			}},
		{name: "a reply made internal",
			edits: []string{"    fix: Point it back.\n", "    fix: Point it back.\n    visibility: internal\n"},
			want:  []string{"reply-visibility-changed: Reply cname-missing: visibility now internal (was customer)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oldSrc := tt.old
			if oldSrc == "" {
				oldSrc = diffBase
			}
			old := parseForDiff(t, "old.yaml", oldSrc)
			new := parseForDiff(t, "new.yaml", edit(t, diffBase, tt.edits...))
			d := Diff(old, new)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if got := changeLines(d.Changes); !slices.Equal(got, want) {
				t.Errorf("Diff:\n got %q\nwant %q", got, want)
			}
			for _, c := range d.Changes {
				if !strings.HasSuffix(c.Code, "-"+c.Kind) || c.Subject == "" || c.Area == "" {
					t.Errorf("change %+v: want a code ending in its kind, a subject and an area", c)
				}
			}
		})
	}
}

func TestDiffOrdersChangesByArea(t *testing.T) {
	old := parseForDiff(t, "old.yaml", diffBase)
	new := parseForDiff(t, "new.yaml", edit(t, diffBase,
		"fix: Point it back.", "fix: Point the CNAME back.",
		"next: reply-enabled", "next: resolved",
		"L1: [lookup, reply]", "L1: [lookup, reply, enable_ssl]",
		"source: dns", "source: customer",
		"owner: deliverability", "owner: support",
	))
	var areas []string
	for _, c := range Diff(old, new).Changes {
		areas = append(areas, c.Area)
	}
	want := []string{AreaPlaybook, AreaFact, AreaTier, AreaStep, AreaReply}
	if !slices.Equal(areas, want) {
		t.Errorf("areas in order %v, want %v", areas, want)
	}
}

func TestDeltaIsJSON(t *testing.T) {
	old := parseForDiff(t, "old.yaml", diffBase)
	new := parseForDiff(t, "new.yaml", edit(t, diffBase, "version: 1.0.0", "version: 1.1.0", "next: reply-enabled", "next: resolved"))
	b, err := json.Marshal(Diff(old, new))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"https","old_version":"1.0.0","new_version":"1.1.0","old_file":"old.yaml","new_file":"new.yaml","changes":[` +
		`{"kind":"changed","area":"step","subject":"step enable-ssl","code":"step-next-changed","old":"reply-enabled","new":"resolved",` +
		`"message":"Step enable-ssl: then go to resolved (was reply-enabled)"}]}`
	if string(b) != want {
		t.Errorf("JSON:\n got %s\nwant %s", b, want)
	}
}

func TestAppliesFrom(t *testing.T) {
	tests := []struct {
		rng, v string
		want   bool
	}{
		{">=2023.6", "2023.10", true},
		{">=2024.1", "2023.10", true},
		{"<2023.10", "2023.10", false},
		{">=1.0 <2.0", "1.5", true},
		{">=1.0 <2.0", "2.0", false},
		{">2.0", "1.0", true},
		{"^2", "1.9", true},
		{"^2", "3.0", false},
		{"~1.2 || ^3", "2.0", true},
		{"1.x", "1.4", true},
		{"1.x", "2.0", false},
	}
	for _, tt := range tests {
		t.Run(tt.rng+" at or after "+tt.v, func(t *testing.T) {
			p := parseForDiff(t, "p.yaml", edit(t, diffBase, `applies_to: ">=2023.6"`, `applies_to: "`+tt.rng+`"`))
			if got := p.AppliesFrom(semver.MustParse(tt.v)); got != tt.want {
				t.Errorf("AppliesFrom = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChangesSince(t *testing.T) {
	src := func(id, version, rng, title string) string {
		return edit(t, diffBase, "id: https", "id: "+id, "version: 1.0.0", "version: "+version,
			`applies_to: ">=2023.6"`, `applies_to: "`+rng+`"`, "title: Turn on HTTPS for branded links", "title: "+title)
	}
	lib := Load([]File{
		{Name: "a1.yaml", Src: []byte(src("alpha", "1.0.0", ">=1.0 <2.0", "Alpha"))},
		{Name: "a2.yaml", Src: []byte(src("alpha", "2.0.0", ">=2.0", "Alpha, reworked"))},
		{Name: "b.yaml", Src: []byte(src("beta", "1.0.0", ">=1.0", "Beta"))},
		{Name: "c.yaml", Src: []byte(src("gamma", "1.0.0", ">=1.8", "Gamma"))},
		{Name: "d1.yaml", Src: []byte(src("delta", "1.0.0", ">=1.0", "Delta"))},
		{Name: "d2.yaml", Src: []byte(src("delta", "1.1.0", ">=1.0 <1.5", "Delta, last"))},
		{Name: "e.yaml", Src: []byte(src("epsilon", "1.0.0", "<1.2", "Epsilon"))},
	})
	b := ChangesSince(lib, "", semver.MustParse("1.5"))
	var got []string
	for _, d := range b.Changed {
		got = append(got, "changed "+d.ID+" "+d.OldVersion+" "+d.NewVersion)
	}
	for _, e := range b.New {
		got = append(got, "new "+e.ID)
	}
	for _, e := range b.Retired {
		got = append(got, "retired "+e.ID)
	}
	for _, e := range b.Unchanged {
		got = append(got, "unchanged "+e.ID)
	}
	want := []string{"changed alpha 1.0.0 2.0.0", "new gamma", "retired delta", "unchanged beta"}
	if !slices.Equal(got, want) {
		t.Errorf("ChangesSince:\n got %q\nwant %q", got, want)
	}
	if b := ChangesSince(lib, "other", semver.MustParse("1.5")); len(b.Changed)+len(b.New)+len(b.Unchanged) != 0 {
		t.Errorf("another product's briefing lists this product's playbooks: %+v", b)
	}
}
