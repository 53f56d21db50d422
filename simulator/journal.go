package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
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
func ReadAttempt(path string) (*Attempt, error) { return (&AttemptReader{}).read(path, true) }

// ReadAttemptMoves is ReadAttempt without the recorded turns (Turns stay
// nil): it reads only what a replay needs, fast enough for reports over a
// year of attempts.
func ReadAttemptMoves(path string) (*Attempt, error) { return (&AttemptReader{}).read(path, false) }

// An AttemptReader reads attempt files one after another into one buffer,
// so a report over a hundred thousand files does not allocate each file's
// size again. It is not safe for concurrent use: give each goroutine its
// own. The attempts it returns share nothing with the buffer.
type AttemptReader struct {
	buf []byte
}

// ReadMoves is ReadAttemptMoves with the reader's buffer.
func (r *AttemptReader) ReadMoves(path string) (*Attempt, error) { return r.read(path, false) }

func (r *AttemptReader) read(path string, turns bool) (*Attempt, error) {
	data, err := readFile(path, r.buf[:0], MaxAttemptSize+1)
	if err != nil {
		return nil, err
	}
	if cap(data) <= 1<<20 {
		r.buf = data[:0] // keep a buffer of ordinary size for the next file
	}
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
	if !quickHeader(lines[0], &a.Header) {
		if err := json.Unmarshal(lines[0], &a.Header); err != nil {
			a.Header.Casebook = ""
		}
	}
	if a.Header.Casebook != AttemptKind {
		return nil, fmt.Errorf("%s:1:1: not an attempt file (the first line must be an %s header)", path, AttemptKind)
	}
	a.Moves = make([]AttemptMove, 0, len(lines)-1)
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

// quickHeader reads a header line as Journal writes it: one flat object
// of the header's keys, each at most once, with no spaces, string values
// without escapes or control characters and a number for the seed. It
// returns false, having set nothing, for anything else, which is left to
// encoding/json; what it accepts, encoding/json reads the same.
func quickHeader(line []byte, h *AttemptHeader) bool {
	var out AttemptHeader
	var seen [9]bool
	rest, ok := bytes.CutPrefix(line, []byte{'{'})
	if !ok {
		return false
	}
	for {
		key, tail, ok := quickString(rest)
		if !ok || len(tail) == 0 || tail[0] != ':' {
			return false
		}
		rest = tail[1:]
		i := slices.Index(headerKeys[:], key)
		if i < 0 || seen[i] {
			return false
		}
		seen[i] = true
		if key == "seed" {
			end := 0
			for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
				end++
			}
			seed, err := strconv.ParseUint(string(rest[:end]), 10, 64)
			if err != nil || (end > 1 && rest[0] == '0') {
				return false
			}
			out.Seed, rest = seed, rest[end:]
		} else {
			val, tail, ok := quickString(rest)
			if !ok {
				return false
			}
			*headerField(&out, i) = val
			rest = tail
		}
		switch {
		case len(rest) == 1 && rest[0] == '}':
			*h = out
			return true
		case len(rest) > 0 && rest[0] == ',':
			rest = rest[1:]
		default:
			return false
		}
	}
}

var headerKeys = [9]string{"casebook", "scenario", "playbook", "playbook_version", "tier", "mode", "seed", "trainee", "started_at"}

func headerField(h *AttemptHeader, i int) *string {
	return [...]*string{&h.Casebook, &h.Scenario, &h.Playbook, &h.PlaybookVersion, &h.Tier, &h.Mode, nil, &h.Trainee, &h.StartedAt}[i]
}

// quickString reads a JSON string without escapes at the start of b:
// valid UTF-8, no control characters.
func quickString(b []byte) (string, []byte, bool) {
	if len(b) == 0 || b[0] != '"' {
		return "", nil, false
	}
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			if !utf8.Valid(b[1:i]) {
				return "", nil, false
			}
			return string(b[1:i]), b[i+1:], true
		case c == '\\' || c < 0x20:
			return "", nil, false
		}
	}
	return "", nil, false
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
