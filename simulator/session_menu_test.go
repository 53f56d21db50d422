package simulator

import (
	"slices"
	"testing"
)

// label is the menu label of move id, or "" when the menu has no such move.
func label(ss *Session, id string) string {
	for _, o := range ss.Menu() {
		if o.ID == id {
			return o.Label
		}
	}
	return ""
}

func ids(menu []Option) []string {
	out := make([]string, len(menu))
	for i, o := range menu {
		out[i] = o.ID
	}
	return out
}

func TestReplyLabelsShowTheFactsVerifiedSoFar(t *testing.T) {
	ss := session(t, "https-proxy-cname", "L2", ModeExam)
	order := ids(ss.Menu())
	steps := []struct {
		name  string
		play  string // the move made before looking ("" for none)
		reply string
		want  string
	}{
		{"a fact not yet verified shows as {fact?}", "",
			"reply:ssl-enabled", "Reply: HTTPS is now on for your branded tracking links ({branded_domains?})."},
		{"a fact another move verified stays unknown", "lookup:click_tracking",
			"reply:ssl-enabled", "Reply: HTTPS is now on for your branded tracking links ({branded_domains?})."},
		{"once looked up, the fact's value fills the placeholder", "lookup:branded_domains",
			"reply:ssl-enabled", "Reply: HTTPS is now on for your branded tracking links (foo.io, bar.io)."},
		{"a long summary is clipped after it is filled", "",
			"reply:certificate-not-yet-valid", "Reply: The certificate on foo.io, bar.io is not valid yet, so we have not tu…"},
		{"a reply without placeholders is left as it is", "",
			"reply:ssl-already-on", "Reply: HTTPS is already on for your branded tracking links."},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.play != "" {
				if _, err := ss.Play(st.play); err != nil {
					t.Fatal(err)
				}
			}
			if got := label(ss, st.reply); got != st.want {
				t.Errorf("%s is labelled\n%q, want\n%q", st.reply, got, st.want)
			}
			if got := ids(ss.Menu()); !slices.Equal(got, order) {
				t.Errorf("the menu's order changed as facts were verified:\n got %v\nwant %v", got, order)
			}
		})
	}
}
