package main

import (
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"golang.org/x/term"
)

// ptyTimeout bounds every wait on the pseudo-terminal, so a prompt that
// never comes (or never returns) fails the test instead of hanging it.
const ptyTimeout = 10 * time.Second

// Size of the emulated screen: tall enough to hold a whole walk, so the
// screen checks below never depend on scrolling.
const ptyCols, ptyRows = 120, 100

// ptyRun is casebook running on a pseudo-terminal, as survey's own tests
// drive it: the program reads and writes the console's tty; go-expect reads
// what it writes and feeds it to a vt10x screen, which answers the cursor
// position queries survey sends (through a second pty whose output the
// console copies back in as keystrokes).
type ptyRun struct {
	c      *expect.Console
	screen vt10x.Terminal
	fd     int         // the tty's descriptor, for reading its mode
	cooked *term.State // the tty's mode before any prompt

	done     chan struct{} // closed when run has returned
	code     int           // run's exit code, set before done is closed
	restored bool          // the tty was back in its first mode when run returned
}

// startOnTerminal runs casebook with args on a fresh pseudo-terminal, with
// stdin, stdout and stderr all on it.
func startOnTerminal(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	return startOnTerminalWith(t, ptyCols, nil, args...)
}

// startOnTerminalWith is startOnTerminal on a terminal cols wide, with
// adjust (when not nil) changing the factory first, as runWith does.
func startOnTerminalWith(t *testing.T, cols int, adjust func(*factory), args ...string) *ptyRun {
	t.Helper()
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skipf("pseudo-terminal tests run on linux and darwin, not %s", runtime.GOOS)
	}
	// Never the developer's own config (train keeps the trainee's name
	// there); a test of that sets its own.
	if os.Getenv("CASEBOOK_TEST_OWN_CONFIG") == "" {
		t.Setenv("XDG_CONFIG_HOME", t.TempDir())
		t.Setenv("CASEBOOK_TRAINEE", "sam")
	}

	// Replies of the emulated terminal go into this pty and come back out
	// of its master, which the console copies to the program as input.
	replyMaster, replyTTY, err := pty.Open()
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	screen := vt10x.New(vt10x.WithWriter(replyTTY), vt10x.WithSize(cols, ptyRows))
	c, err := expect.NewConsole(
		expect.WithStdin(replyMaster),
		expect.WithStdout(screen),
		expect.WithCloser(replyMaster, replyTTY),
		expect.WithDefaultTimeout(ptyTimeout),
	)
	if err != nil {
		replyMaster.Close()
		replyTTY.Close()
		t.Fatalf("creating the console: %v", err)
	}
	// Closing the master side also wakes a prompt still blocked reading
	// the tty when a test fails half-way, so run's goroutine ends too.
	t.Cleanup(func() { c.Close() })

	tty := c.Tty()
	if err := pty.Setsize(tty, &pty.Winsize{Cols: uint16(cols), Rows: ptyRows}); err != nil {
		t.Fatalf("sizing the pseudo-terminal: %v", err)
	}
	// Fd puts the file in blocking mode; do it once here rather than
	// concurrently with survey.
	fd := int(tty.Fd())
	cooked, err := term.GetState(fd)
	if err != nil {
		t.Fatalf("reading the terminal mode: %v", err)
	}

	r := &ptyRun{c: c, screen: screen, fd: fd, cooked: cooked, done: make(chan struct{})}
	streams := &ioStreams{
		In: tty, Out: tty, ErrOut: tty,
		InTTY: true, OutTTY: true,
		InFile: tty, OutFile: tty,
	}
	go func() {
		r.code = runWith(args, streams, adjust)
		if st, err := term.GetState(fd); err == nil {
			r.restored = *st == *cooked
		}
		// With the last slave descriptor closed, the console reads EOF.
		tty.Close()
		close(r.done)
	}()
	return r
}

// expect waits for s in what casebook writes and returns everything
// written since the previous wait.
func (r *ptyRun) expect(t *testing.T, s string) string {
	t.Helper()
	out, err := r.c.ExpectString(s)
	if err != nil {
		t.Fatalf("waiting for %q: %v\nwritten since the last match: %q\nscreen:\n%s", s, err, out, r.screenText())
	}
	return out
}

// waitForKeys waits until the prompt on screen reads keys itself. survey
// renders a prompt before it switches the tty out of line mode; keys sent
// earlier are echoed by the line discipline, and a Ctrl-C is turned into a
// signal for the (absent) foreground process instead of reaching survey.
func (r *ptyRun) waitForKeys(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(ptyTimeout)
	for {
		if st, err := term.GetState(r.fd); err == nil && *st != *r.cooked {
			return
		}
		select {
		case <-r.done:
			t.Fatalf("casebook exited with %d while a prompt was waiting for keys\nscreen:\n%s", r.code, r.screenText())
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the prompt did not start reading keys within %v\nscreen:\n%s", ptyTimeout, r.screenText())
		}
	}
}

// send types keys once the prompt reads them.
func (r *ptyRun) send(t *testing.T, keys string) {
	t.Helper()
	r.waitForKeys(t)
	if _, err := r.c.Send(keys); err != nil {
		t.Fatalf("sending %q: %v", keys, err)
	}
}

// finish reads what casebook writes until it exits and returns that text
// and the exit code.
func (r *ptyRun) finish(t *testing.T) (string, int) {
	t.Helper()
	out, err := r.c.ExpectEOF()
	if err != nil {
		t.Fatalf("waiting for casebook to exit: %v\nwritten since the last match: %q\nscreen:\n%s", err, out, r.screenText())
	}
	select {
	case <-r.done:
	case <-time.After(ptyTimeout):
		t.Fatalf("the terminal closed but run did not return within %v", ptyTimeout)
	}
	if !r.restored {
		t.Errorf("run returned with the terminal still in a prompt's mode")
	}
	return out, r.code
}

// screenText is what a person would see on the terminal, one line per
// row, without trailing blanks. (String takes the screen's lock itself.)
func (r *ptyRun) screenText() string {
	lines := strings.Split(r.screen.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func TestRunPromptsOnATerminal(t *testing.T) {
	r := startOnTerminal(t, "run", "https-link-branding", "--tier", "L1")

	r.expect(t, "https-link-branding 2.1.0")

	// Each step asks only its own fact, as what the agent finds when they
	// look (admin, probe, DNS), in the order of the walk. Selects are
	// answered the way a person would: type to filter, then Enter. The
	// filter keeps the options' order, so "verified" and "valid" pick
	// themselves over "not-verified" and "not-yet-valid".
	steps := []struct {
		prompt string
		keys   string
	}{
		{"Look up in admin: Is SSL click tracking already on for the account?", "off\r"},
		{"Look up in admin: Is click tracking on for the account?", "on\r"},
		{"Look up in admin: Which branded link domains does the account have?", "foo.io, bar.io\r"},
		{"Look up in admin: Are all branded link domains verified?", "verified\r"},
		{"Probe: Open https://DOMAIN for each branded domain. What certificate is served?", "valid\r"},
		{"Check DNS: Where does the CNAME of each branded domain point?", "\x1b[B\r"}, // arrow down: platform → proxy
	}
	for _, s := range steps {
		r.expect(t, s.prompt)
		r.send(t, s.keys)
	}

	r.expect(t, "HANDOFF L1 → L2 at step enable-ssl")
	rest, code := r.finish(t)
	if code != exitOK {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitOK, r.screenText())
	}

	// The handoff carries every answer, as typed or chosen.
	for _, fact := range []string{
		`ssl_tracking +off +\(admin\)`,
		`click_tracking +on +\(admin\)`,
		`branded_domains +foo\.io, bar\.io +\(admin\)`,
		`link_branding +verified +\(admin\)`,
		`certificate +valid +\(probe\)`,
		`cname_target +proxy +\(dns\)`,
	} {
		if !regexp.MustCompile(`(?m)^ +` + fact).MatchString(rest) {
			t.Errorf("the handoff lacks a verified fact matching %q; it reads:\n%s", fact, rest)
		}
	}
	if !strings.Contains(rest, "L2 carries on from step enable-ssl") {
		t.Errorf("the handoff does not say where L2 carries on; it reads:\n%s", rest)
	}

	// On screen, each answered question is left with its answer, and the
	// walk records each check.
	screen := r.screenText()
	for _, want := range []string{
		"Is SSL click tracking already on for the account? off",
		"Is click tracking on for the account? on",
		"Which branded link domains does the account have? foo.io, bar.io",
		"Are all branded link domains verified? verified",
		"What certificate is served? valid",
		"Where does the CNAME of each branded domain point? proxy",
		"ssl_tracking = off (admin)",
		"cname_target = proxy (dns)",
		"Verified facts:",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q; it shows:\n%s", want, screen)
		}
	}
}

func TestRunInterruptedOnATerminal(t *testing.T) {
	r := startOnTerminal(t, "run", "https-link-branding", "--tier", "L1")

	r.expect(t, "Look up in admin: Is SSL click tracking already on for the account?")
	r.send(t, "off\r")
	r.expect(t, "Look up in admin: Is click tracking on for the account?")
	r.send(t, "\x03") // Ctrl-C

	rest, code := r.finish(t)
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitInterrupted, r.screenText())
	}
	if !strings.Contains(rest, "casebook: interrupted") {
		t.Errorf("no \"casebook: interrupted\" after Ctrl-C; casebook wrote:\n%s", rest)
	}
	if strings.Contains(rest, "HANDOFF") || strings.Contains(rest, "click_tracking =") {
		t.Errorf("the walk went on after Ctrl-C; casebook wrote:\n%s", rest)
	}
}
