package simulator

import "testing"

// Golden paths are kept with the scenario they belong to: sessions on one
// loaded library share them, and a library loaded again gets its own, so
// nothing outlives the library it was derived from.
func TestGoldenPathsLiveWithTheirLibrary(t *testing.T) {
	_, first := fuzzLibrary(t)
	_, second := fuzzLibrary(t)
	sc1, sc2 := first.Scenarios[0], second.Scenarios[0]
	p1, p2 := first.Playbook(sc1), second.Playbook(sc2)
	tier := p1.Tiers[0].Name
	a, err := New(p1, sc1, tier, ModeExam, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(p1, sc1, tier, ModeExam, 2)
	c, _ := New(p2, sc2, tier, ModeExam, 1)
	if a.Golden() != b.Golden() {
		t.Errorf("two sessions on one library derived the golden path twice")
	}
	if a.Golden() == c.Golden() {
		t.Errorf("a library loaded again shares the first one's golden path: the cache outlives its library")
	}
	n := 0
	sc1.Derived.Range(func(any, any) bool { n++; return true })
	if n != 1 {
		t.Errorf("the scenario keeps %d derived value(s), want the one golden path", n)
	}
}

// The golden path's time is played once and kept with the path: scoring
// asks for it on every scorecard.
func TestTheGoldenClockIsPlayedOnce(t *testing.T) {
	_, sl := fuzzLibrary(t)
	sc := sl.Scenarios[0]
	p := sl.Playbook(sc)
	a, _ := New(p, sc, p.Tiers[0].Name, ModeExam, 1)
	b, _ := New(p, sc, p.Tiers[0].Name, ModePractice, 9)
	want := a.GoldenClock()
	if want <= 0 {
		t.Fatalf("the golden path takes %v", want)
	}
	if allocs := testing.AllocsPerRun(10, func() { b.GoldenClock() }); allocs != 0 {
		t.Errorf("GoldenClock allocates %v times once known: it plays the path again", allocs)
	}
	if got := b.GoldenClock(); got != want {
		t.Errorf("another session on the same path says %v, want %v", got, want)
	}
}
