package scenarios

import (
	"io/fs"
	"slices"
	"testing"

	"github.com/casebook/casebook/playbooks"
)

func TestEveryMoveKindRoundTripsThroughItsID(t *testing.T) {
	for _, k := range MoveKinds {
		if k.Info().Kind != k {
			t.Errorf("kind %s has no entry in the table", k)
		}
		m := NewMove(k, "x")
		got, err := ParseMove(m.String())
		if err != nil {
			t.Errorf("%s: ParseMove(%q): %v", k, m, err)
			continue
		}
		if got.String() != m.String() || got.Kind != k {
			t.Errorf("%s: %q reads back as %q (kind %s)", k, m, got, got.Kind)
		}
	}
	for _, c := range []struct {
		m    Move
		want string
	}{
		{NewMove(MoveLookup, "click_tracking"), "lookup:click_tracking"},
		{NewMove(MoveEscalate, "L2"), "escalate:L2"},
		{Handoff("L2", []string{"a", "b"}), "escalate:L2:a,b"},
		{Handoff("L2", nil), "escalate:L2:"},
		{Handoff("L2", []string{"a"}).Target(), "escalate:L2"},
		{CloseMove, "close"},
		{NewMove(MoveClose, "ignored"), "close"},
	} {
		if got := c.m.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestTheTableSaysWhichKindsVerifyAFactAndFromWhere(t *testing.T) {
	var verifying []MoveKind
	for _, k := range MoveKinds {
		if NewMove(k, "f").Verifies() {
			verifying = append(verifying, k)
		}
	}
	if want := []MoveKind{MoveAsk, MoveLookup, MoveProbe, MoveDNS}; !slices.Equal(verifying, want) {
		t.Errorf("kinds that verify a fact: %v, want %v", verifying, want)
	}
	for src, want := range map[string]string{
		playbooks.SourceAdmin: "lookup:f", playbooks.SourceProbe: "probe:f", playbooks.SourceDNS: "dns:f",
		playbooks.SourceCustomer: "ask:f", "ticket.user_agent": "ask:f",
	} {
		if got := FactMove(&playbooks.Fact{Name: "f", Source: src}).String(); got != want {
			t.Errorf("a fact from %s is learnt by %s, want %s", src, got, want)
		}
	}
}

func TestParseMoveNamesWhatTheArgumentShouldBe(t *testing.T) {
	for id, want := range map[string]string{
		"ask:":      `"ask:" names no fact`,
		"action:":   `"action:" names no capability`,
		"reply:":    `"reply:" names no reply template`,
		"doc:":      `"doc:" names no doc page`,
		"escalate:": `"escalate:" names no tier`,
		"trap:":     `"trap:" names no trap`,
		"close:x":   `"close:x" is not a move; a move is KIND:ARG with KIND one of ask, lookup, probe, dns, action, reply, doc, escalate, trap, or close`,
		"wave:hi":   `"wave:hi" is not a move; a move is KIND:ARG with KIND one of ask, lookup, probe, dns, action, reply, doc, escalate, trap, or close`,
	} {
		_, err := ParseMove(id)
		if err == nil || err.Error() != want {
			t.Errorf("ParseMove(%q): %v, want %s", id, err, want)
		}
	}
}

// A moves file with a typo says what was meant: each unknown fact, trap,
// tier, reply template, capability or doc ends with a did-you-mean.
func TestAnUnknownMoveArgumentSuggestsTheNearestName(t *testing.T) {
	pbSrc, err := fs.ReadFile(playbooks.Embedded(), "https-link-branding.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, pfs := playbooks.ParsePlaybook("https-link-branding.yaml", pbSrc)
	if len(pfs) > 0 {
		t.Fatal(pfs)
	}
	scSrc, err := fs.ReadFile(Embedded(), "https-proxy-cname.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, dfs := playbooks.ParseDocument("https-proxy-cname.yaml", scSrc)
	if len(dfs) > 0 {
		t.Fatal(dfs)
	}
	s, sfs := Parse(doc)
	if len(sfs) > 0 {
		t.Fatal(sfs)
	}
	for id, want := range map[string]string{
		"lookup:click_trackng":          `playbook https-link-branding has no fact "click_trackng"; did you mean "click_tracking"?`,
		"ask:brwser":                    `playbook https-link-branding has no fact "brwser"; did you mean "browser"?`,
		"trap:resend-doc":               `scenario https-proxy-cname has no trap "resend-doc"; did you mean "resend-docs"?`,
		"escalate:L3":                   `playbook https-link-branding has no tier "L3" (tiers: L1, L2); did you mean "L1"?`,
		"escalate:L2:ssl_trackin":       `the handoff carries "ssl_trackin", which is not a fact of playbook https-link-branding; did you mean "ssl_tracking"?`,
		"reply:ssl-enable":              `playbook https-link-branding has no reply template "ssl-enable"; did you mean "ssl-enabled"?`,
		"action:enable_ssl_trackin":     `playbook https-link-branding has no action "enable_ssl_trackin" (actions: enable_ssl_tracking, send_test_email); did you mean "enable_ssl_tracking"?`,
		"doc:docs/link-brandin":         `playbook https-link-branding references no doc "docs/link-brandin"; did you mean "docs/link-branding"?`,
		"lookup:nothing_like_any_fact":  `playbook https-link-branding has no fact "nothing_like_any_fact"`,
		"trap:nothing-like-any-trap-id": `scenario https-proxy-cname has no trap "nothing-like-any-trap-id"`,
	} {
		m, err := ParseMove(id)
		if err != nil {
			t.Fatalf("ParseMove(%q): %v", id, err)
		}
		err = CheckMove(m, p, s)
		if err == nil || err.Error() != want {
			t.Errorf("CheckMove(%q):\n got %v\nwant %s", id, err, want)
		}
	}
}

// Info's switch agrees with the table, whatever order the table has.
func TestInfoAgreesWithTheTable(t *testing.T) {
	for _, ki := range kinds {
		if got := ki.Kind.Info(); got != ki {
			t.Errorf("Info(%s) = %+v, want %+v", ki.Kind, got, ki)
		}
	}
	if got := MoveKind("nope").Info(); got != (KindInfo{}) {
		t.Errorf("an unknown kind has info %+v", got)
	}
}
