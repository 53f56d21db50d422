package simulator

import (
	"encoding/json"
	"os"
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
	j2, err := OpenJournal(a)
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
