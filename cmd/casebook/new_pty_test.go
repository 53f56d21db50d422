package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
)

// answerInput types keys into the survey Input prompt just shown (the test
// has waited for its question) once the prompt reads them key by key.
//
// An Input asks the terminal where the cursor is twice before it reads its
// first key (once to learn the screen's size, once for the position), and
// survey v2.3.7 reads each reply straight from the tty up to the first "R"
// (terminal.Cursor.Location): typed keys read in the same chunk as a reply
// are lost when they come after it, and when they hold an "R" and come
// before it, the reply itself is swallowed and the prompt waits for ever.
// The emulated terminal only replies while the test reads casebook's
// output, so keys sent at once after the question are read before any
// reply; that is safe unless they hold an "R" ("Reset ...").
//
// So answerInput first lets both replies through, then presses the right
// arrow, which at the end of the empty line only rings the bell: once the
// bell sounds, the prompt has read both replies and waits in its own key
// reader, which takes the whole answer in one read. An arrow lost with a
// reply (read in the same chunk after it) is pressed again.
func (r *ptyRun) answerInput(t *testing.T, keys string) {
	t.Helper()
	r.waitForKeys(t)
	r.expect(t, "\x1b[6n") // the size query
	r.expect(t, "\x1b[6n") // the position query
	deadline := time.Now().Add(ptyTimeout)
	for {
		if _, err := r.c.Send("\x1b[C"); err != nil {
			t.Fatalf("pressing the right arrow: %v", err)
		}
		if _, err := r.c.Expect(expect.String("\a"), expect.WithTimeout(500*time.Millisecond)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Input did not ring the bell for the right arrow within %v\nscreen:\n%s", ptyTimeout, r.screenText())
		}
	}
	if _, err := r.c.Send(keys); err != nil {
		t.Fatalf("sending %q: %v", keys, err)
	}
}

// newWizardLibrary is a starter library in a temporary directory, made as
// a trainer would (casebook init DIR), so the wizard writes into its
// playbooks/ and points the editor hint at its schema/.
func newWizardLibrary(t *testing.T) string {
	t.Helper()
	t.Setenv("CASEBOOK_LIBRARY", "") // only --library counts
	dir := filepath.Join(t.TempDir(), "lib")
	var out, errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := run([]string{"init", dir}, streams); code != exitOK {
		t.Fatalf("init: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitOK, &out, &errOut)
	}
	return dir
}

func TestNewPlaybookWizardOnATerminal(t *testing.T) {
	dir := newWizardLibrary(t)
	r := startOnTerminal(t, "new", "playbook", "password-reset", "--library", dir)

	// The id comes from the argument, so the wizard starts at the title.
	// Each answer is typed whole once its prompt reads keys (answerInput);
	// the wait for the next prompt that follows is what feeds the emulated
	// terminal's replies to the cursor-position query the Input makes after
	// every key. An empty Enter takes the default shown in brackets.
	steps := []struct {
		prompt string
		keys   string
	}{
		{"Title (what the case is, in one line):", "Reset a password that does not arrive\r"},
		{"Product:", "mailer\r"},
		{"Product versions it applies to (a range, e.g. >=2024.1):", ">=2024.1\r"},
		{"Owner (the team that keeps it current):", "accounts\r"},
		{"Last release you checked it against:", "\r"},
		{"Customer intents it answers (comma-separated ids):", "password-reset\r"},
		{"Tiers, lowest first (comma-separated):", "\r"},
		{"Capabilities of L1 (comma-separated):", "\r"},
		{"Capabilities of L2 (comma-separated):", "lookup, reply, escalate, resend_reset\r"},
	}
	for _, s := range steps {
		r.expect(t, s.prompt)
		r.answerInput(t, s.keys)
	}
	r.expect(t, "wrote ")
	rest, code := r.finish(t)
	if code != exitOK {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitOK, r.screenText())
	}
	if !strings.Contains(rest, "Next: edit it, then casebook lint") {
		t.Errorf("no hint of what to do next; casebook wrote after \"wrote\":\n%s", rest)
	}

	// On screen, each question is left with its answer, the defaults taken
	// included.
	screen := r.screenText()
	for _, want := range []string{
		"Title (what the case is, in one line): Reset a password that does not arrive",
		"Product: mailer",
		"Product versions it applies to (a range, e.g. >=2024.1): >=2024.1",
		"Owner (the team that keeps it current): accounts",
		"Last release you checked it against: 2024.1",
		"Customer intents it answers (comma-separated ids): password-reset",
		"Tiers, lowest first (comma-separated): L1, L2",
		"Capabilities of L1 (comma-separated): lookup, reply, escalate",
		"Capabilities of L2 (comma-separated): lookup, reply, escalate, resend_reset",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q; it shows:\n%s", want, screen)
		}
	}

	file := filepath.Join(dir, "playbooks", "password-reset.yaml")
	if !strings.Contains(screen, "wrote "+filepath.ToSlash(file)) {
		t.Errorf("the screen does not say it wrote %s; it shows:\n%s", filepath.ToSlash(file), screen)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("reading what the wizard wrote: %v", err)
	}
	src := string(data)
	if !strings.HasPrefix(src, "# yaml-language-server: $schema=../schema/playbook.schema.json\n") {
		t.Errorf("the file does not start with the yaml-language-server line pointing at the library's schema; it reads:\n%s", src)
	}
	for _, want := range []string{
		"id: password-reset\n",
		`title: "Reset a password that does not arrive"`,
		`product: "mailer"`,
		`applies_to: ">=2024.1"`,
		`reviewed_for: "2024.1"`,
		`owner: "accounts"`,
		"intents: [password-reset]\n",
		"L1: [lookup, reply, escalate]\n",
		"L2: [lookup, reply, escalate, resend_reset]\n",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the file lacks %q; it reads:\n%s", want, src)
		}
	}

	// What the wizard writes lints clean.
	var out, errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := run([]string{"lint", file}, streams); code != exitOK || out.Len() != 0 {
		t.Errorf("lint %s: exit code %d (want %d), stdout %q (want none)\nstderr:\n%s", file, code, exitOK, &out, &errOut)
	}
}

func TestNewPlaybookWizardInterruptedOnATerminal(t *testing.T) {
	dir := newWizardLibrary(t)
	before := newWizardFiles(t, dir)
	r := startOnTerminal(t, "new", "playbook", "password-reset", "--library", dir)

	r.expect(t, "Title (what the case is, in one line):")
	r.answerInput(t, "Reset a password that does not arrive\r")
	r.expect(t, "Product:")
	r.send(t, "\x03") // Ctrl-C at the second prompt

	rest, code := r.finish(t)
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\nscreen:\n%s", code, exitInterrupted, r.screenText())
	}
	if !strings.Contains(rest, "casebook: interrupted") {
		t.Errorf("no \"casebook: interrupted\" after Ctrl-C; casebook wrote:\n%s", rest)
	}
	if strings.Contains(rest, "wrote") || strings.Contains(rest, "Product versions") {
		t.Errorf("the wizard went on after Ctrl-C; casebook wrote:\n%s", rest)
	}
	if _, err := os.Stat(filepath.Join(dir, "playbooks", "password-reset.yaml")); !os.IsNotExist(err) {
		t.Errorf("a playbook file exists after Ctrl-C (stat: %v)", err)
	}
	if after := newWizardFiles(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("the library's files changed after Ctrl-C:\nbefore: %q\nafter:  %q", before, after)
	}
}

// newWizardFiles lists every file under dir (temporary files of an atomic
// write included), relative to it.
func newWizardFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
