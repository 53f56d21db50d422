package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// AttemptKind is the format of an attempt file's first line.
const AttemptKind = "attempt/v1"

// An AttemptHeader is the first line of an attempt file: everything needed
// to rebuild the session the moves were made in.
type AttemptHeader struct {
	Casebook        string `json:"casebook"`
	Scenario        string `json:"scenario"`
	Playbook        string `json:"playbook"`
	PlaybookVersion string `json:"playbook_version"`
	Tier            string `json:"tier"`
	Mode            string `json:"mode"`
	Seed            uint64 `json:"seed"`
	Trainee         string `json:"trainee"`
	StartedAt       string `json:"started_at"`
}

// An AttemptMove is one line after the header: the move and, for people
// reading the file, what came of it.
type AttemptMove struct {
	N     int    `json:"n"`
	Move  string `json:"move"`
	At    string `json:"at"`
	Turns []Turn `json:"turns"`
}

// An Attempt is an attempt file read back.
type Attempt struct {
	Path   string
	Header AttemptHeader
	Moves  []AttemptMove
	// Torn is true when the last line was cut short (the process was killed
	// while writing it); that move is dropped.
	Torn bool
}

// A Journal appends moves to an attempt file, syncing each one to disk
// before the next move is taken, so a killed process loses at most the
// move in flight.
type Journal struct {
	f    *os.File
	path string
	n    int
}

// CreateJournal starts a new attempt file in dir, named after the scenario,
// trainee and start time; it never replaces an existing file.
func CreateJournal(dir string, h AttemptHeader, now time.Time) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	base := fmt.Sprintf("%s-%s-%s", h.Scenario, safeName(h.Trainee), now.UTC().Format("20060102T150405Z"))
	for i := 1; ; i++ {
		name := base + ".attempt"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.attempt", base, i)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) && i < 1000 {
			continue
		}
		if err != nil {
			return nil, err
		}
		j := &Journal{f: f, path: path}
		if err := j.writeLine(h); err != nil {
			f.Close()
			os.Remove(path)
			return nil, err
		}
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
		return j, nil
	}
}

func safeName(s string) string {
	out := []rune{}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			out = append(out, r)
		default:
			out = append(out, '_')
		}
	}
	if len(out) == 0 {
		return "trainee"
	}
	if len(out) > 40 {
		out = out[:40]
	}
	return string(out)
}

// OpenJournal reopens an attempt file to append further moves, cutting off
// a torn last line first.
func OpenJournal(a *Attempt) (*Journal, error) {
	f, err := os.OpenFile(a.Path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	if a.Torn {
		size, err := completeSize(f)
		if err == nil {
			err = f.Truncate(size)
		}
		if err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, err
	}
	return &Journal{f: f, path: a.Path, n: len(a.Moves)}, nil
}

// completeSize is the length of the file up to its last newline.
func completeSize(f *os.File) (int64, error) {
	data, err := io.ReadAll(f)
	if err != nil {
		return 0, err
	}
	return int64(bytes.LastIndexByte(data, '\n') + 1), nil
}

// Path is the attempt file.
func (j *Journal) Path() string { return j.path }

// Append writes one move and syncs it.
func (j *Journal) Append(move string, at time.Time, turns []Turn) error {
	j.n++
	return j.writeLine(AttemptMove{N: j.n, Move: move, At: at.UTC().Format(time.RFC3339), Turns: turns})
}

func (j *Journal) writeLine(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(data, '\n')); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close closes the file.
func (j *Journal) Close() error { return j.f.Close() }

// MaxAttemptSize bounds the attempt files ReadAttempt accepts.
const MaxAttemptSize = 16 << 20

// ReadAttempt reads an attempt file. A last line cut short by a crash is
// dropped (Torn); any other bad line is an error with its line number.
func ReadAttempt(path string) (*Attempt, error) { return readAttempt(path, true) }

// ReadAttemptMoves is ReadAttempt without the recorded turns (Turns stay
// nil): it reads only what a replay needs, fast enough for reports over a
// year of attempts.
func ReadAttemptMoves(path string) (*Attempt, error) { return readAttempt(path, false) }

func readAttempt(path string, turns bool) (*Attempt, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read at once, sized from the file (attempt files are read by the
	// hundred thousand in a report).
	size := 512
	if info, err := f.Stat(); err == nil && info.Size() < MaxAttemptSize {
		size = int(info.Size()) + 1
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxAttemptSize+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if len(data) > MaxAttemptSize {
		return nil, fmt.Errorf("%s: larger than %d bytes; not an attempt file", path, MaxAttemptSize)
	}
	a := &Attempt{Path: path}
	// A line is only complete once its newline is on disk: whatever follows
	// the last newline was cut short by a crash and is dropped.
	complete := data[:bytes.LastIndexByte(data, '\n')+1]
	a.Torn = len(complete) < len(data)
	lines := bytes.Split(complete, []byte("\n"))
	lines = lines[:len(lines)-1] // the empty string after the final newline
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s:1:1: empty; not an attempt file", path)
	}
	if err := json.Unmarshal(lines[0], &a.Header); err != nil || a.Header.Casebook != AttemptKind {
		return nil, fmt.Errorf("%s:1:1: not an attempt file (the first line must be an %s header)", path, AttemptKind)
	}
	for i, text := range lines[1:] {
		var m AttemptMove
		ok := false
		if !turns {
			m, ok = quickMove(text)
		}
		if !ok {
			if err := json.Unmarshal(text, &m); err != nil || m.Move == "" {
				return nil, fmt.Errorf("%s:%d:1: not a move line of an attempt file", path, i+2)
			}
			if !turns {
				m.Turns = nil
			}
		}
		if m.N != len(a.Moves)+1 {
			return nil, fmt.Errorf("%s:%d:1: move %d follows move %d", path, i+2, m.N, len(a.Moves))
		}
		a.Moves = append(a.Moves, m)
	}
	return a, nil
}

// quickMove reads the number and move of a line as Journal writes it,
// {"n":N,"move":"ID",...}, without decoding the turns that follow. Any
// other shape is left to encoding/json (ok false).
func quickMove(line []byte) (AttemptMove, bool) {
	rest, ok := bytes.CutPrefix(line, []byte(`{"n":`))
	if !ok || !bytes.HasSuffix(line, []byte("}")) {
		return AttemptMove{}, false
	}
	end := bytes.IndexByte(rest, ',')
	if end <= 0 {
		return AttemptMove{}, false
	}
	n, err := strconv.Atoi(string(rest[:end]))
	if err != nil {
		return AttemptMove{}, false
	}
	rest, ok = bytes.CutPrefix(rest[end:], []byte(`,"move":"`))
	if !ok {
		return AttemptMove{}, false
	}
	close := bytes.IndexByte(rest, '"')
	if close <= 0 || bytes.IndexByte(rest[:close], '\\') >= 0 {
		return AttemptMove{}, false // escapes: let encoding/json read it
	}
	return AttemptMove{N: n, Move: string(rest[:close])}, true
}
