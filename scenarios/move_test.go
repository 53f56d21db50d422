package scenarios

import (
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
