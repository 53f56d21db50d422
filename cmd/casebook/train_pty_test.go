package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
)

// trainMove is one pick from train's move menu on a terminal: the filter
// typed into the Select, the menu label it must leave as the only option,
// the move id that label stands for, and the simulated clock shown in the
// prompt before the move and in the turn line after it.
type trainMove struct {
	filter string
	label  string
	id     string
	before string
	after  string
	result string
}

// trainGoldenL1 is the L1 golden path of https-proxy-cname (casebook show
// https-proxy-cname) up to and including the handoff to L2, in chat, where
// look-ups and DNS checks take 2 minutes, a probe 3 and a handoff 30.
var trainGoldenL1 = []trainMove{
	{"admin: ssl", "Look up in admin: SSL click tracking", "lookup:ssl_tracking", "+0m", "+2m", "ssl_tracking = off"},
	{"lookup:click", "Look up in admin: Click tracking", "lookup:click_tracking", "+2m", "+4m", "click_tracking = on"},
	{"admin: branded", "Look up in admin: Branded link domains", "lookup:branded_domains", "+4m", "+6m", "branded_domains = foo.io, bar.io"},
	{"admin: link branding", "Look up in admin: Link branding", "lookup:link_branding", "+6m", "+8m", "link_branding = verified"},
	{"probe: cert", "Probe: Certificate", "probe:certificate", "+8m", "+11m", "certificate = valid"},
	{"dns: cname", "Check DNS: CNAME target", "dns:cname_target", "+11m", "+13m", "cname_target = proxy"},
	{"escalate to l2", "Escalate to L2 with a handoff note", "escalate:L2", "+13m", "+43m", ""},
}

// trainCarriedL1 is every fact verified when L1 hands off on the golden
// path, in the order learned: the browser comes from the ticket, the rest
// from the six checks. The MultiSelect offers them all, all ticked.
var trainCarriedL1 = []string{"browser", "ssl_tracking", "click_tracking", "branded_domains", "link_branding", "certificate", "cname_target"}

// checkTrainFilters makes sure each filter, as the menu applies it
// (menuMatches), leaves exactly the intended label in the menu train shows
// for this scenario, tier and seed, so that Enter picks it.
func checkTrainFilters(t *testing.T, scenario, tier string, seed uint64, moves []trainMove) {
	t.Helper()
	menu := trainMenu(t, scenario, tier, seed)
	for _, m := range moves {
		var kept []simulator.Option
		for _, o := range menu {
			if menuMatches(m.filter, menuOption{Label: o.Label, Key: o.ID}) {
				kept = append(kept, o)
			}
		}
		if len(kept) != 1 || kept[0].Label != m.label || kept[0].ID != m.id {
			t.Fatalf("typing %q in the move menu leaves %v, want only %q (%s)", m.filter, kept, m.label, m.id)
		}
	}
}

// trainMenu is the first move menu train shows for this scenario, tier
// and seed.
func trainMenu(t *testing.T, scenario, tier string, seed uint64) []simulator.Option {
	t.Helper()
	f := newFactory(&ioStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard})
	lib, err := f.library()
	if err != nil {
		t.Fatalf("loading the library: %v", err)
	}
	sc, p, err := trainScenario(f, lib, scenario)
	if err != nil {
		t.Fatalf("scenario %s: %v", scenario, err)
	}
	ss, err := simulator.New(p, sc, playbooks.TierName(tier), simulator.ModePractice, seed)
	if err != nil {
		t.Fatalf("starting a session: %v", err)
	}
	return ss.Menu()
}

// attemptIn is the one attempt file in dir.
func attemptIn(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.attempt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("%d attempt files in %s, want 1: %q", len(files), dir, files)
	}
	return files[0]
}

// playOnTerminal makes moves in train's menu as a person would: wait for
// the prompt with the clock, type the filter, Enter; then wait for the
// turn line and what the move found.
func (r *ptyRun) playOnTerminal(t *testing.T, moves []trainMove) {
	t.Helper()
	for _, m := range moves {
		r.expect(t, "["+m.before+"] Your move:")
		r.send(t, m.filter+"\r")
		if strings.HasPrefix(m.id, "escalate:") {
			// The turn line follows the handoff-note question.
			return
		}
		r.expect(t, "["+m.after+"] you: "+m.id)
		if m.result != "" {
			r.expect(t, m.result)
		}
	}
}

func TestTrainMenuOnATerminal(t *testing.T) {
	t.Setenv("CASEBOOK_LIBRARY", "") // the embedded library
	checkTrainFilters(t, "https-proxy-cname", "L1", 1, trainGoldenL1)
	dir := t.TempDir()
	r := startOnTerminal(t, "train", "https-proxy-cname", "--tier", "L1", "--seed", "1", "--attempts", dir)

	r.expect(t, "https-proxy-cname — HTTPS for branded links behind a TLS proxy")
	r.expect(t, "Sam: Hi!")
	r.playOnTerminal(t, trainGoldenL1)

	// Escalating asks what the handoff note carries, every verified fact
	// ticked; Enter takes them all.
	r.expect(t, "Which verified facts does the handoff note carry?")
	r.send(t, "\r")
	// Keeping every fact is the plain escalate:L2, as a script would write it.
	r.expect(t, "[+43m] you: escalate:L2 (note carries "+strings.Join(trainCarriedL1, ", ")+")")

	// L2 takes over and finishes the case.
	for _, s := range []string{
		"[+48m] L2: action:enable_ssl_tracking",
		"[+53m] L2: action:send_test_email",
		"[+57m] L2: reply:ssl-enabled",
		"[+58m] L2: close",
		"outcome: resolved",
		"your moves: 7, 0 off the golden path (golden path: 7)",
	} {
		r.expect(t, s)
	}
	rest, code := r.finish(t)
	if code != exitOK {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitOK, r.screenText())
	}
	path := attemptIn(t, dir)
	if !strings.Contains(rest, "attempt: "+filepath.ToSlash(path)) {
		t.Errorf("the summary does not name the attempt file %s; it ends:\n%s", path, rest)
	}

	// On screen, each Select is left with the label chosen.
	screen := r.screenText()
	for _, m := range trainGoldenL1 {
		if want := "[" + m.before + "] Your move: " + m.label; !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q; it shows:\n%s", want, screen)
		}
	}

	// The attempt file records the escalation; its turn lists the facts the
	// note carries, as chosen in the MultiSelect.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"move":"escalate:L2"`; !bytes.Contains(data, []byte(want)) {
		t.Errorf("the attempt file lacks %s; it reads:\n%s", want, data)
	}
	a, err := simulator.ReadAttempt(path)
	if err != nil {
		t.Fatalf("reading the attempt back: %v", err)
	}
	if len(a.Moves) != len(trainGoldenL1) {
		t.Fatalf("the attempt holds %d moves, want %d", len(a.Moves), len(trainGoldenL1))
	}
	for i, m := range trainGoldenL1[:len(trainGoldenL1)-1] {
		if a.Moves[i].Move != m.id {
			t.Errorf("move %d is %q, want %q", i+1, a.Moves[i].Move, m.id)
		}
	}
	esc := a.Moves[len(a.Moves)-1]
	if len(esc.Turns) == 0 || strings.Join(esc.Turns[0].Carry, ",") != strings.Join(trainCarriedL1, ",") {
		t.Errorf("the handoff turn carries %v, want %v", esc.Turns, trainCarriedL1)
	}
}

func TestTrainInterruptedOnATerminalResumes(t *testing.T) {
	t.Setenv("CASEBOOK_LIBRARY", "") // the embedded library
	checkTrainFilters(t, "https-proxy-cname", "L1", 1, trainGoldenL1)
	dir := t.TempDir()
	r := startOnTerminal(t, "train", "https-proxy-cname", "--tier", "L1", "--seed", "1", "--attempts", dir)

	r.playOnTerminal(t, trainGoldenL1[:2])
	r.expect(t, "["+trainGoldenL1[2].before+"] Your move:")
	r.send(t, "\x03") // Ctrl-C at the third menu

	rest, code := r.finish(t)
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitInterrupted, r.screenText())
	}
	path := attemptIn(t, dir)
	for _, want := range []string{
		"Interrupted. The attempt is saved; continue it with:",
		"casebook train --resume " + filepath.ToSlash(path),
	} {
		if !strings.Contains(rest, want) {
			t.Errorf("no %q after Ctrl-C; casebook wrote:\n%s", want, rest)
		}
	}
	if strings.Contains(rest, "casebook: interrupted") || strings.Contains(rest, "you: "+trainGoldenL1[2].id) || strings.Contains(rest, "outcome:") {
		t.Errorf("more than the resume hint after Ctrl-C; casebook wrote:\n%s", rest)
	}

	// The attempt holds exactly the two moves made.
	a, err := simulator.ReadAttempt(path)
	if err != nil {
		t.Fatalf("reading the attempt back: %v", err)
	}
	if a.Torn {
		t.Errorf("the attempt's last line was cut short")
	}
	if a.Header.Scenario != "https-proxy-cname" || a.Header.Tier != "L1" || a.Header.Seed != 1 {
		t.Errorf("the attempt header is %+v", a.Header)
	}
	var got []string
	for _, m := range a.Moves {
		got = append(got, m.Move)
	}
	if want := []string{trainGoldenL1[0].id, trainGoldenL1[1].id}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("the attempt holds moves %q, want %q", got, want)
	}

	// Resumed without a terminal, the golden path's script closes it: the
	// two moves already made are checked and skipped.
	var script strings.Builder
	for _, m := range trainGoldenL1 {
		script.WriteString(m.id + "\n")
	}
	movesFile := filepath.Join(t.TempDir(), "moves.txt")
	if err := os.WriteFile(movesFile, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := run([]string{"train", "--resume", path, "--moves", movesFile}, streams); code != exitOK {
		t.Fatalf("train --resume: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitOK, &out, &errOut)
	}
	for _, want := range []string{
		"(resumed: 2 move(s) so far)",
		"[+43m] you: escalate:L2 (note carries " + strings.Join(trainCarriedL1, ", ") + ")",
		"[+58m] L2: close",
		"outcome: resolved",
		"your moves: 7, 0 off the golden path (golden path: 7)",
		"attempt: " + filepath.ToSlash(path),
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("train --resume wrote no %q; stdout:\n%s\nstderr:\n%s", want, &out, &errOut)
		}
	}
	if a, err = simulator.ReadAttempt(path); err != nil {
		t.Fatalf("reading the resumed attempt back: %v", err)
	}
	if len(a.Moves) != len(trainGoldenL1) {
		t.Errorf("the resumed attempt holds %d moves, want %d", len(a.Moves), len(trainGoldenL1))
	}
}

// TestTrainShowsStatusAndPicksTheHighlightedFilteredMove checks the
// trainee's view on a terminal: above each menu a status line with the
// simulated clock and the facts verified so far; a menu as tall as the
// terminal allows, with reply labels filled from those facts; typing that
// filters by label words or move id; and Enter on a filtered menu that
// picks the highlighted move, not the first.
func TestTrainShowsStatusAndPicksTheHighlightedFilteredMove(t *testing.T) {
	t.Setenv("CASEBOOK_LIBRARY", "") // the embedded library
	dir := t.TempDir()
	r := startOnTerminal(t, "train", "https-proxy-cname", "--tier", "L1", "--seed", "1", "--attempts", dir)

	// The first menu: the ticket's browser is known from the start (a long
	// value is clipped); the terminal's 100 rows hold the whole menu, down
	// to its last entry, and a reply shows the fact it needs as not yet
	// verified.
	const browser = "browser=Mozilla/5.0 (Windows NT 10.0; Win64; x6…"
	r.expect(t, "\r\nclock 0m · verified: "+browser+"\r\n")
	r.expect(t, "[+0m] Your move:")
	r.expect(t, "[type to filter, ↑↓ to move, Enter to pick]")
	screen := r.expect(t, "Close the case")
	if want := "Reply: HTTPS is now on for your branded tracking links ({branded_domains?})."; !strings.Contains(screen, want) {
		t.Errorf("the first menu lacks %q; it shows:\n%s", want, screen)
	}

	// Words of a label, in any order, filter the menu.
	r.send(t, "branded lookup")
	r.send(t, "\r")
	r.expect(t, "[+2m] you: lookup:branded_domains")
	r.expect(t, "\r\nclock 2m · verified: "+browser+"; branded_domains=foo.io, bar.io\r\n")
	screen = r.expect(t, "Close the case")
	if want := "Reply: HTTPS is now on for your branded tracking links (foo.io, bar.io)."; !strings.Contains(screen, want) {
		t.Errorf("once branded_domains is verified the menu lacks %q; it shows:\n%s", want, screen)
	}

	// A filter that leaves several moves: ↓ highlights the second, and
	// Enter picks it.
	const filter = "click"
	var kept []string
	for _, o := range trainMenu(t, "https-proxy-cname", "L1", 1) {
		if menuMatches(filter, menuOption{Label: o.Label, Key: o.ID}) {
			kept = append(kept, o.ID)
		}
	}
	if len(kept) < 3 {
		t.Fatalf("filter %q keeps %v; the test needs three moves or more", filter, kept)
	}
	r.send(t, filter)
	r.send(t, "\x1b[B") // arrow down
	r.send(t, "\r")
	r.expect(t, "[+2m] Your move: ") // the prompt, left with the label chosen
	r.expect(t, "you: "+kept[1])

	r.expect(t, "Your move:")
	r.send(t, "\x03") // Ctrl-C
	if _, code := r.finish(t); code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitInterrupted, r.screenText())
	}
	a, err := simulator.ReadAttempt(attemptIn(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Moves) != 2 || a.Moves[1].Move != kept[1] {
		t.Errorf("the attempt holds %v, want lookup:branded_domains then %s (the second of %v)", a.Moves, kept[1], kept)
	}
}

func TestTrainCtrlDOnAnEmptyFilteredMenuEndsLikeCtrlC(t *testing.T) {
	t.Setenv("CASEBOOK_LIBRARY", "") // the embedded library
	r := startOnTerminal(t, "train", "https-proxy-cname", "--tier", "L1", "--seed", "1", "--attempts", t.TempDir())
	r.expect(t, "[+0m] Your move:")
	r.send(t, "zzz")  // a filter that keeps no move
	r.send(t, "\x04") // Ctrl-D
	rest, code := r.finish(t)
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitInterrupted, r.screenText())
	}
	if !strings.Contains(rest, "Interrupted before the first move; no attempt was saved.") {
		t.Errorf("Ctrl-D did not end the session as Ctrl-C does; casebook wrote:\n%s", rest)
	}
}

// On a terminal train asks the trainee's name once, keeps it in the config
// directory and does not ask again; $USER is only the suggestion.
func TestTrainAsksTheTraineesNameOnce(t *testing.T) {
	t.Setenv("CASEBOOK_LIBRARY", "") // the embedded library
	t.Setenv("CASEBOOK_TEST_OWN_CONFIG", "1")
	t.Setenv("CASEBOOK_TRAINEE", "")
	t.Setenv("USER", "root")
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	dir := t.TempDir()

	r := startOnTerminal(t, "train", "https-proxy-cname", "--tier", "L1", "--seed", "1", "--attempts", dir)
	r.expect(t, "Your name, for your attempts (asked once):")
	r.send(t, "\x15maria\r") // Ctrl-U clears the suggested $USER
	r.expect(t, "[+0m] Your move:")
	r.send(t, "\x03") // Ctrl-C
	r.finish(t)
	saved, err := os.ReadFile(filepath.Join(config, "casebook", "trainee"))
	if err != nil || string(saved) != "maria\n" {
		t.Fatalf("the name was not kept: %q, %v", saved, err)
	}

	r = startOnTerminal(t, "train", "https-proxy-cname", "--tier", "L1", "--seed", "1", "--attempts", dir)
	r.expect(t, "[+0m] Your move:")
	r.send(t, "\x03")
	rest, _ := r.finish(t)
	if strings.Contains(r.screenText()+rest, "Your name") {
		t.Errorf("train asked the name again:\n%s", r.screenText())
	}
}
