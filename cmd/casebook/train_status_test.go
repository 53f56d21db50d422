package main

import (
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
)

func TestStatusLineShowsClockAndFactsWithinTheWidth(t *testing.T) {
	t.Setenv("CASEBOOK_LIBRARY", "") // the embedded library
	f := newFactory(&ioStreams{})
	lib, err := f.library()
	if err != nil {
		t.Fatal(err)
	}
	sc, p, err := trainScenario(f, lib, "https-certificate-not-yet-valid")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := simulator.New(p, sc, playbooks.TierName("L2"), simulator.ModeExam, 1)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, cols int, want string) {
		t.Helper()
		if got := statusLine(ss, cols); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	check("before any move, on an unknown width", 0, "clock 0m · verified: nothing yet")
	for _, m := range []string{"lookup:ssl_tracking", "ask:click_tracking"} {
		if _, err := ss.Play(m); err != nil {
			t.Fatal(err)
		}
	}
	check("by email a question takes hours", 0, "clock 4h2m · verified: ssl_tracking=off; click_tracking=on")
	check("a narrow terminal clips the line, keeping its last column free", 40, "clock 4h2m · verified: ssl_tracking=of…")
}
