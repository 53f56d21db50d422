package simulator

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestJournalSurvivesATornLastLine(t *testing.T) {
	dir := t.TempDir()
	h := AttemptHeader{Casebook: AttemptKind, Scenario: "s", Playbook: "p", PlaybookVersion: "1.0.0", Tier: "L1", Mode: ModeExam, Seed: 1, Trainee: "sam"}
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	j, err := CreateJournal(dir, h, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"lookup:a", "probe:b"} {
		if err := j.Append(m, now, nil); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	// A crash in the middle of writing the third move.
	f, _ := os.OpenFile(j.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"n":3,"move":"dns:c","at":"20`)
	f.Close()

	a, err := ReadAttempt(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !a.Torn || len(a.Moves) != 2 || a.Moves[1].Move != "probe:b" {
		t.Fatalf("torn=%v moves=%v, want the two whole moves and the torn one dropped", a.Torn, a.Moves)
	}
	if a.TornLine != 4 || !strings.Contains(a.TornWarning(), ":4:1: the last line was cut short") {
		t.Errorf("TornLine %d, warning %q: want line 4 named", a.TornLine, a.TornWarning())
	}
	j2, _, err := OpenJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := j2.Append("dns:c", now, nil); err != nil {
		t.Fatal(err)
	}
	j2.Close()
	b, err := ReadAttempt(j.Path())
	if err != nil {
		t.Fatalf("after resuming: %v", err)
	}
	if b.Torn || len(b.Moves) != 3 || b.Moves[2].N != 3 {
		t.Errorf("after resuming: torn=%v moves=%v, want three whole moves", b.Torn, b.Moves)
	}
}

func TestJournalNeverReplacesAnAttempt(t *testing.T) {
	dir := t.TempDir()
	h := AttemptHeader{Casebook: AttemptKind, Scenario: "s", Trainee: "sam/../x"}
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	a, err := CreateJournal(dir, h, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := CreateJournal(dir, h, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []*Journal{a, b} {
		if err := j.Append("close", now, nil); err != nil {
			t.Fatal(err)
		}
	}
	defer a.Close()
	defer b.Close()
	if a.Path() == b.Path() {
		t.Fatalf("two attempts started in the same second share %s", a.Path())
	}
	if strings.Contains(strings.TrimPrefix(a.Path(), dir), "..") {
		t.Errorf("a trainee name escaped the attempts directory: %s", a.Path())
	}
}

func TestReadAttemptRejectsOtherFiles(t *testing.T) {
	for name, content := range map[string]string{
		"empty":              "",
		"not json":           "hello\n",
		"no header":          `{"n":1,"move":"close"}` + "\n",
		"moves out of order": `{"casebook":"attempt/v1"}` + "\n" + `{"n":2,"move":"close"}` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := t.TempDir() + "/a.attempt"
			os.WriteFile(path, []byte(content), 0o644)
			if _, err := ReadAttempt(path); err == nil || !strings.Contains(err.Error(), path+":") {
				t.Errorf("ReadAttempt = %v, want a positioned error", err)
			}
		})
	}
}

// The header Journal writes is read without encoding/json (quickHeader),
// as a report reads a hundred thousand of them.
func TestJournalHeaderTakesTheQuickPath(t *testing.T) {
	h := AttemptHeader{Casebook: AttemptKind, Scenario: "https-case", Playbook: "https-link-branding", PlaybookVersion: "2.1.0",
		Tier: "L1", Mode: ModeExam, Seed: 1<<63 + 5, Trainee: "josé.m", StartedAt: "2024-01-10T19:18:00Z"}
	line, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var got AttemptHeader
	if !quickHeader(line, &got) || got != h {
		t.Errorf("quickHeader(%s) = %+v, want %+v", line, got, h)
	}
}

// An AttemptReader reuses its buffer from file to file: what it returned
// for one file must not change when it reads the next.
func TestAttemptReaderKeepsNothingOfTheBuffer(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	write := func(trainee string, moves ...string) string {
		h := AttemptHeader{Casebook: AttemptKind, Scenario: "s", Playbook: "p", PlaybookVersion: "1.0.0", Tier: "L1", Mode: ModeExam, Seed: 1, Trainee: trainee}
		j, err := CreateJournal(dir, h, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range moves {
			if err := j.Append(m, now, nil); err != nil {
				t.Fatal(err)
			}
		}
		j.Close()
		return j.Path()
	}
	first := write("ana", "lookup:aaaa", "probe:bbbb")
	second := write("ben", "dns:zzzz", "ask:yyyy")
	var r AttemptReader
	a, err := r.ReadMoves(first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadMoves(second); err != nil {
		t.Fatal(err)
	}
	if a.Header.Trainee != "ana" || a.Moves[0].Move != "lookup:aaaa" || a.Moves[1].Move != "probe:bbbb" {
		t.Errorf("the first attempt changed when the reader read the second: %+v %+v", a.Header, a.Moves)
	}
}

func testHeader() AttemptHeader {
	return AttemptHeader{Casebook: AttemptKind, Scenario: "s", Playbook: "p", PlaybookVersion: "1.0.0", Tier: "L1", Mode: ModeExam, Seed: 1, Trainee: "sam"}
}

func TestAJournalWithoutMovesWritesNoFile(t *testing.T) {
	dir := t.TempDir()
	j, err := CreateJournal(dir, testHeader(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if j.Path() != "" {
		t.Errorf("Path() = %q before any move", j.Path())
	}
	j.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a journal with no move left %d file(s) behind", len(entries))
	}
}

func TestASecondSessionOnAnAttemptIsRefused(t *testing.T) {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd":
	default:
		t.Skip("attempts are locked with flock, which " + runtime.GOOS + " lacks")
	}
	j, err := CreateJournal(t.TempDir(), testHeader(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append("lookup:a", time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	// The session that created the file holds it: no resume while it runs.
	if _, _, err := OpenJournal(j.Path()); !isBusy(err) {
		t.Fatalf("OpenJournal while the creating session runs = %v, want AttemptBusyError", err)
	}
	j.Close()
	first, _, err := OpenJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(j.Path())
	if _, _, err := OpenJournal(j.Path()); !isBusy(err) {
		t.Fatalf("a second OpenJournal = %v, want AttemptBusyError", err)
	}
	after, _ := os.ReadFile(j.Path())
	if string(before) != string(after) {
		t.Errorf("the refused session changed the file")
	}
	first.Close()
	again, _, err := OpenJournal(j.Path())
	if err != nil {
		t.Fatalf("after the first session closed: %v", err)
	}
	again.Close()
}

func isBusy(err error) bool {
	var busy *AttemptBusyError
	return errors.As(err, &busy)
}

func TestAWholeLastLineWithoutNewlineIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.attempt")
	h, _ := json.Marshal(testHeader())
	content := string(h) + "\n" + `{"n":1,"move":"lookup:a","at":"2026-11-21T10:00:00Z","turns":[]}`
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := ReadAttempt(path)
	if err != nil {
		t.Fatal(err)
	}
	if a.Torn || len(a.Moves) != 1 {
		t.Fatalf("torn=%v moves=%v: a whole line without its newline must be kept", a.Torn, a.Moves)
	}
	j, b, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.Torn || len(b.Moves) != 1 {
		t.Fatalf("OpenJournal read torn=%v moves=%v", b.Torn, b.Moves)
	}
	if data, _ := os.ReadFile(path); string(data) != content {
		t.Errorf("opening the journal changed the file before any move")
	}
	if err := j.Append("probe:b", time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	j.Close()
	c, err := ReadAttempt(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Moves) != 2 || c.Moves[0].Move != "lookup:a" || c.Moves[1].Move != "probe:b" {
		t.Errorf("after resuming: %v, want both moves", c.Moves)
	}
}

func TestALineCutAfterATurnIsTorn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.attempt")
	h, _ := json.Marshal(testHeader())
	content := string(h) + "\n" + `{"n":1,"move":"lookup:a","at":"2026-11-21T10:00:00Z","turns":[{"move":"lookup:a"}`
	os.WriteFile(path, []byte(content), 0o644)
	a, err := ReadAttempt(path)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Torn || len(a.Moves) != 0 || a.TornLine != 2 {
		t.Errorf("torn=%v line=%d moves=%v, want line 2 dropped as torn", a.Torn, a.TornLine, a.Moves)
	}
}

// Resume, replay and report read attempts through one reader: a line one
// of them accepts, the others accept too.
func TestTheReadersAgree(t *testing.T) {
	h, _ := json.Marshal(testHeader())
	for name, line := range map[string]string{
		"turns of the wrong type": `{"n":1,"move":"lookup:a","turns":5}`,
		"no turns":                `{"n":1,"move":"lookup:a"}`,
		"keys reordered":          `{"move":"lookup:a","n":1}`,
		"not json":                `{"n":1,"move":"lookup:a",}x`,
		"junk after the move":     `{"n":1,"move":"lookup:a","junk{"x":1}`,
		"junk after the time":     `{"n":1,"move":"lookup:a","at":"2026-11-21T10:00:00Z",junk}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.attempt")
			os.WriteFile(path, []byte(string(h)+"\n"+line+"\n"), 0o644)
			_, errFull := ReadAttempt(path)
			_, errMoves := (&AttemptReader{}).ReadMoves(path)
			if (errFull == nil) != (errMoves == nil) {
				t.Errorf("ReadAttempt: %v; ReadMoves: %v", errFull, errMoves)
			}
			// What encoding/json refuses, every reader refuses.
			if !json.Valid([]byte(line)) && errMoves == nil {
				t.Errorf("a line that is not JSON was read as a move")
			}
		})
	}
}
