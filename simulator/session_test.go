package simulator

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
)

func embedded(t testing.TB) (*playbooks.Library, *scenarios.Library) {
	t.Helper()
	files, fs, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		t.Fatalf("reading the embedded library: %v %v", err, fs)
	}
	lib := playbooks.Load(files)
	sl := scenarios.Load(lib)
	if len(lib.Findings)+len(sl.Findings) > 0 {
		t.Fatalf("the embedded library has findings: %v %v", lib.Findings, sl.Findings)
	}
	return lib, sl
}

func session(t *testing.T, id string, tier playbooks.TierName, mode string) *Session {
	t.Helper()
	_, sl := embedded(t)
	s := sl.Find(id)
	if s == nil {
		t.Fatalf("no embedded scenario %s", id)
	}
	ss, err := New(sl.Playbook(s), s, tier, mode, 1)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func moves(g *Golden) []string {
	var out []string
	for _, m := range g.Moves {
		out = append(out, string(m.Tier)+" "+m.Move)
	}
	return out
}

func TestGoldenPathOfTheFoundingCase(t *testing.T) {
	ss := session(t, "https-proxy-cname", "L1", ModeExam)
	want := []string{
		"L1 lookup:ssl_tracking", "L1 lookup:click_tracking", "L1 lookup:branded_domains", "L1 lookup:link_branding",
		"L1 probe:certificate", "L1 dns:cname_target", "L1 escalate:L2",
		"L2 action:enable_ssl_tracking", "L2 action:send_test_email", "L2 reply:ssl-enabled", "L2 close",
	}
	if got := moves(ss.Golden()); !slices.Equal(got, want) {
		t.Errorf("golden path at L1\n got: %v\nwant: %v", got, want)
	}
	l2 := session(t, "https-proxy-cname", "L2", ModeExam)
	for _, m := range l2.Golden().Moves {
		if strings.HasPrefix(m.Move, "escalate") || m.Tier != "L2" {
			t.Errorf("an L2 agent holds the switch and never hands off, got %s by %s", m.Move, m.Tier)
		}
	}
}

func TestPlayingTheGoldenPathResolvesOnPath(t *testing.T) {
	for _, tier := range []playbooks.TierName{"L1", "L2"} {
		ss := session(t, "https-proxy-cname", tier, ModePractice)
		for _, m := range ss.Golden().Moves {
			if ss.Over() {
				break
			}
			turns, err := ss.Play(m.Move)
			if err != nil {
				t.Fatal(err)
			}
			if !turns[0].OnPath || turns[0].Hint != "" || len(turns[0].Events) > 0 {
				t.Errorf("%s: golden move %s was judged %+v", tier, m.Move, turns[0])
			}
		}
		if !ss.Over() || ss.Outcome() != "resolved" {
			t.Errorf("%s: after the golden path over=%v outcome=%q, want resolved", tier, ss.Over(), ss.Outcome())
		}
	}
}

func TestTheWorldAnswersFromTruthAndPersona(t *testing.T) {
	ss := session(t, "https-proxy-cname", "L1", ModePractice)
	play := func(id string) Turn {
		t.Helper()
		turns, err := ss.Play(id)
		if err != nil {
			t.Fatal(err)
		}
		return turns[0]
	}
	if tr := play("ask:click_tracking"); !slices.Contains(tr.Events, EventRestated) || tr.Hint == "" {
		t.Errorf("asking a stated fact: %+v, want restated-fact and a hint", tr)
	}
	if tr := play("ask:browser"); !slices.Contains(tr.Events, EventDerivable) {
		t.Errorf("asking the browser: %+v, want derivable-asked", tr)
	}
	if tr := play("ask:cname_target"); !slices.Contains(tr.Events, EventKnowable) || !strings.Contains(tr.Said, "proxy") {
		t.Errorf("asking a DNS fact: %+v, want knowable-asked and the truth", tr)
	}
	if tr := play("trap:http-https-setting"); !slices.Contains(tr.Events, EventRemoved) || len(tr.Findings) == 0 {
		t.Errorf("the removed setting: %+v, want removed-reference and the trap's findings", tr)
	}
	if tr := play("action:enable_ssl_tracking"); !slices.Contains(tr.Events, EventRefused) {
		t.Errorf("L1 turning SSL on: %+v, want refused", tr)
	}
	if tr := play("lookup:ssl_tracking"); !tr.OnPath || tr.Result != "ssl_tracking = off" {
		t.Errorf("a golden look-up: %+v", tr)
	}
}

func TestHandoffLeavingFactsOutIsPaidForByTheCustomer(t *testing.T) {
	// Under v1 L2 asks the customer for all 4 facts the note left out;
	// under v2 it looks up again the one the customer never gave
	// (cname_target) and asks again the 3 the opening stated.
	for rules, want := range map[Rules]int{RulesV1: 4, RulesV2: 3} {
		ss := session(t, "https-proxy-cname", "L1", ModeExam)
		ss, _ = NewUnder(ss.Playbook(), ss.Scenario(), "L1", ModeExam, 1, rules)
		handoffLeavingFactsOut(t, ss, want)
	}
}

func handoffLeavingFactsOut(t *testing.T, ss *Session, want int) {
	t.Helper()
	for _, m := range []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding", "probe:certificate", "dns:cname_target"} {
		if _, err := ss.Play(m); err != nil {
			t.Fatal(err)
		}
	}
	turns, err := ss.Play("escalate:L2:ssl_tracking,certificate")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(turns[0].Events, EventIncomplete) {
		t.Errorf("escalation leaving facts out: %+v, want handoff-incomplete", turns[0])
	}
	reasked := 0
	for _, tr := range turns[1:] {
		if !tr.Auto || tr.By != "L2" {
			t.Errorf("after the handoff L2 plays on, got %+v", tr)
		}
		if slices.Contains(tr.Events, EventReasked) {
			reasked++
		}
	}
	if reasked != want {
		t.Errorf("under %s L2 re-asked %d facts, want %d", ss.Rules(), reasked, want)
	}
	if !ss.Over() || ss.Outcome() != "resolved" {
		t.Errorf("over=%v outcome=%q, want resolved by L2", ss.Over(), ss.Outcome())
	}
}

func TestRecordedHandlingReplaysAsLegalMoves(t *testing.T) {
	ss := session(t, "https-proxy-cname", "L1", ModeExam)
	for _, m := range ss.Scenario().Recording.Moves {
		if ss.Over() {
			break
		}
		if _, err := ss.Play(m.Move); err != nil {
			t.Fatalf("recorded move %s: %v", m.Move, err)
		}
	}
	if !ss.Over() {
		t.Error("the recording does not close the case")
	}
}

func TestMenuOrderFollowsTheSeed(t *testing.T) {
	_, sl := embedded(t)
	s := sl.Find("https-proxy-cname")
	a, _ := New(sl.Playbook(s), s, "L1", ModeExam, 7)
	b, _ := New(sl.Playbook(s), s, "L1", ModeExam, 7)
	c, _ := New(sl.Playbook(s), s, "L1", ModeExam, 8)
	if !slices.Equal(a.Menu(), b.Menu()) {
		t.Error("the same seed gave two menus")
	}
	if slices.Equal(a.Menu(), c.Menu()) {
		t.Error("two seeds gave the same menu")
	}
	if last := a.Menu()[len(a.Menu())-1]; last.ID != "close" {
		t.Errorf("close is not last: %v", last)
	}
}

func TestResumeTakesAPatchOnlyDifferenceOnlyWhenAllowed(t *testing.T) {
	_, sl := embedded(t)
	sc := sl.Find("https-proxy-cname")
	p := sl.Playbook(sc)
	v := p.SemVersion()
	attempt := func(version string) *Attempt {
		return &Attempt{Path: "a.attempt",
			Header: AttemptHeader{Casebook: AttemptKind, Scenario: sc.ID, Playbook: p.ID, PlaybookVersion: version, Tier: "L1", Mode: ModeExam, Seed: 1},
			Moves:  []AttemptMove{{N: 1, Move: "lookup:ssl_tracking"}}}
	}
	patch := fmt.Sprintf("%d.%d.%d", v.Major(), v.Minor(), v.Patch()+3)
	minor := fmt.Sprintf("%d.%d.%d", v.Major(), v.Minor()+1, v.Patch())
	for _, tc := range []struct {
		name    string
		version string
		patchOK bool
		wantErr bool
	}{
		{"the exact version resumes", p.Version, false, false},
		{"the exact version resumes when a patch difference is allowed", p.Version, true, false},
		{"a patch difference is refused unless allowed", patch, false, true},
		{"an allowed patch difference resumes", patch, true, false},
		{"a minor difference is refused even when a patch difference is allowed", minor, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := attempt(tc.version)
			ss, err := Resume(a, p, sc, tc.patchOK)
			if tc.wantErr {
				want := "a.attempt:1:1: made on playbook " + p.ID + " " + tc.version + ", but the library has " + p.Version
				if err == nil || err.Error() != want {
					t.Fatalf("Resume: %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ss.Turns()) != 1 || a.Header.PlaybookVersion != tc.version {
				t.Errorf("turns %d, header version %s; want 1 turn and the header untouched", len(ss.Turns()), a.Header.PlaybookVersion)
			}
		})
	}
}
