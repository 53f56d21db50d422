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

	"github.com/casebook/casebook/playbooks"
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
	// Rules is the version of the scoring rules the attempt was made
	// under (Rules); 0, in attempts made before rules were versioned, is
	// RulesV1. An attempt is scored under its own rules unless a caller
	// asks to rescore it.
	Rules Rules `json:"rules,omitempty"`
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
	// while writing it): that line, TornLine, is dropped. A last line that
	// is whole but lacks its newline is kept, and is not torn.
	Torn     bool
	TornLine int
	// size is the length of the file's whole lines; unterminated is true
	// when the last of them has no newline.
	size         int64
	unterminated bool
}

// TornWarning says what was dropped of a torn attempt, as a one-line
// positioned message, or "" when nothing was.
func (a *Attempt) TornWarning() string {
	if !a.Torn {
		return ""
	}
	return fmt.Sprintf("%s:%d:1: the last line was cut short (casebook was stopped while saving it); that move is dropped", a.Path, a.TornLine)
}

// A Journal appends moves to an attempt file, syncing each one to disk
// before the next move is taken, so a killed process loses at most the
// move in flight. A new journal writes its file with the first move, so a
// session that makes no move leaves nothing behind. While a journal is
// open it holds an exclusive lock on its file: a second session on the
// same attempt is refused (ErrAttemptBusy).
type Journal struct {
	f    *os.File
	path string
	n    int

	// A journal not yet written: its directory, header and start time.
	dir    string
	header AttemptHeader
	start  time.Time

	// Of a reopened attempt: the length of its whole lines, and whether the
	// last of them lacks its newline, mended before the next move.
	size         int64
	truncate     bool
	unterminated bool
}

// An AttemptBusyError is the refusal of a second session on an attempt
// that another casebook process (PID, 0 when unknown) has open.
type AttemptBusyError struct {
	Path string
	PID  int
}

func (e *AttemptBusyError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%s: the attempt is open in another casebook (pid %d)", e.Path, e.PID)
	}
	return fmt.Sprintf("%s: the attempt is open in another casebook session", e.Path)
}

// CreateJournal prepares a new attempt file in dir, named after the
// scenario, trainee and start time; it never replaces an existing file.
// The directory and the file are made with the first move.
func CreateJournal(dir string, h AttemptHeader, now time.Time) (*Journal, error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return nil, &os.PathError{Op: "mkdir", Path: dir, Err: errors.New("not a directory")}
	}
	if err := playbooks.WritableDir(dir); err != nil {
		return nil, err
	}
	return &Journal{dir: dir, header: h, start: now}, nil
}

// create makes the attempt file, locked, holding the header and the
// first move (line): written and synced under a temporary name, then
// linked to its own, so a crash leaves either no attempt or one with its
// first move, never an empty or header-only file.
func (j *Journal) create(line []byte) error {
	h := j.header
	head, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(j.dir, 0o755); err != nil {
		return err
	}
	base := fmt.Sprintf("%s-%s-%s", SafeName(h.Scenario), SafeName(h.Trainee), j.start.UTC().Format("20060102T150405Z"))
	tmp, err := os.CreateTemp(j.dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	data := append(append(append(head, '\n'), line...), '\n')
	if _, err := tmp.Write(data); err == nil {
		err = tmp.Sync()
	}
	if err != nil {
		tmp.Close()
		return err
	}
	tmp.Close()
	for i := 1; ; i++ {
		name := base + ".attempt"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.attempt", base, i)
		}
		path := filepath.Join(j.dir, name)
		err := os.Link(tmp.Name(), path)
		if errors.Is(err, os.ErrExist) && i < 1000 {
			continue
		}
		if err != nil {
			return err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err == nil {
			err = lockFile(f, path)
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			os.Remove(path)
			return err
		}
		j.f, j.path = f, path
		syncDir(j.dir)
		return nil
	}
}

// lockFile takes an exclusive lock on f for as long as it stays open
// (playbooks.TryLock), or fails at once with *AttemptBusyError when another
// open file holds it, so a second session on the attempt, even in the same
// process, is refused.
func lockFile(f *os.File, path string) error {
	held, err := playbooks.TryLock(f)
	switch {
	case err != nil:
		return &os.PathError{Op: "lock", Path: path, Err: err}
	case !held:
		return &AttemptBusyError{Path: path, PID: lockHolder(f)}
	}
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: some file systems cannot sync a directory
		d.Close()
	}
}

// SafeName is a name fit for a file name: letters, digits, - and _ kept,
// anything else _, at most 40 runes ("trainee" for nothing).
func SafeName(s string) string {
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

// OpenJournal opens an attempt file to append further moves: it takes the
// file's lock (refusing with *AttemptBusyError when another session holds
// it), then reads the attempt under the lock. Nothing is written until the
// next move: then a torn last line is cut off, and a whole last line
// without its newline gets one.
func OpenJournal(path string) (*Journal, *Attempt, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, nil, &os.PathError{Op: "open", Path: path, Err: errors.New("not a regular file")}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		return nil, nil, err
	}
	if err := lockFile(f, path); err != nil {
		f.Close()
		return nil, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxAttemptSize+1))
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	a, err := parseAttempt(path, data, true)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	j := &Journal{f: f, path: path, n: len(a.Moves), size: a.size, truncate: a.Torn, unterminated: a.unterminated}
	return j, a, nil
}

// Path is the attempt file, or "" while a new journal has no move yet.
func (j *Journal) Path() string { return j.path }

// Moves is the number of moves the attempt file holds.
func (j *Journal) Moves() int { return j.n }

// Append writes one move and syncs it.
func (j *Journal) Append(move string, at time.Time, turns []Turn) error {
	m := AttemptMove{N: j.n + 1, Move: move, At: at.UTC().Format(time.RFC3339), Turns: turns}
	if j.f == nil {
		line, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := j.create(line); err != nil {
			return err
		}
		j.n++
		return nil
	}
	if j.truncate {
		if err := j.f.Truncate(j.size); err != nil {
			return err
		}
		j.truncate = false
	}
	if j.unterminated {
		if _, err := j.f.Write([]byte{'\n'}); err != nil {
			return err
		}
		j.unterminated = false
	}
	if err := j.writeLine(m); err != nil {
		return err
	}
	j.n++
	return nil
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

// Close closes the file, releasing its lock.
func (j *Journal) Close() error {
	if j.f == nil {
		return nil
	}
	return j.f.Close()
}

// MaxAttemptSize bounds the attempt files ReadAttempt accepts.
const MaxAttemptSize = 16 << 20

// ReadAttempt reads an attempt file with the turns recorded for people
// reading it. A last line cut short by a crash is dropped (Torn); any other
// bad line is an error with its line number. It accepts exactly the files
// AttemptReader.ReadMoves accepts: the recorded turns are not trusted (a replay
// plays the moves again), so turns that do not decode are left out rather
// than refused.
func ReadAttempt(path string) (*Attempt, error) { return (&AttemptReader{}).read(path, true) }

// An AttemptReader reads attempt files one after another into one buffer,
// so a report over a hundred thousand files does not allocate each file's
// size again. It is not safe for concurrent use: give each goroutine its
// own. The attempts it returns share nothing with the buffer.
type AttemptReader struct {
	buf []byte
}

// ReadMoves is ReadAttempt without the recorded turns (Turns stay nil),
// into the reader's buffer: it reads only what a replay needs, fast enough
// for reports over a year of attempts.
func (r *AttemptReader) ReadMoves(path string) (*Attempt, error) { return r.read(path, false) }

func (r *AttemptReader) read(path string, turns bool) (*Attempt, error) {
	data, err := readFile(path, r.buf[:0], MaxAttemptSize+1)
	if err != nil {
		return nil, err
	}
	if cap(data) <= 1<<20 {
		r.buf = data[:0] // keep a buffer of ordinary size for the next file
	}
	return parseAttempt(path, data, turns)
}

// ParseAttempt reads an attempt held somewhere other than a file of its
// own (a store): data is what the file would hold, and name stands for its
// path in messages and in Attempt.Path. It accepts exactly what
// ReadAttempt accepts, recorded turns included.
func ParseAttempt(name string, data []byte) (*Attempt, error) {
	return parseAttempt(name, data, true)
}

// parseAttempt reads the contents of an attempt file.
func parseAttempt(path string, data []byte, turns bool) (*Attempt, error) {
	if len(data) > MaxAttemptSize {
		return nil, fmt.Errorf("%s:1:1: larger than the limit of %d bytes for an attempt file", path, MaxAttemptSize)
	}
	a := &Attempt{Path: path}
	lines := bytes.Split(data, []byte("\n"))
	// After a final newline comes an empty string; otherwise the last line
	// has no newline: whole (kept) or cut short by a crash (dropped).
	last := lines[len(lines)-1]
	lines = lines[:len(lines)-1]
	if len(last) > 0 {
		lines = append(lines, last)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s:1:1: empty; not an attempt file", path)
	}
	a.size = int64(len(data))
	if !quickHeader(lines[0], &a.Header) {
		if err := json.Unmarshal(lines[0], &a.Header); err != nil {
			a.Header.Casebook = ""
		}
	}
	if a.Header.Casebook != AttemptKind {
		if len(lines) == 1 && len(last) > 0 {
			return nil, fmt.Errorf("%s:1:1: the header line was cut short; not an attempt file", path)
		}
		return nil, fmt.Errorf("%s:1:1: not an attempt file (the first line must be an %s header)", path, AttemptKind)
	}
	a.unterminated = len(last) > 0
	a.Moves = make([]AttemptMove, 0, len(lines)-1)
	for i, text := range lines[1:] {
		m, ok := parseMove(text, turns)
		final := i == len(lines)-2 && len(last) > 0
		if ok && final && !json.Valid(text) {
			ok = false // a line cut short after a turn's closing brace
		}
		if !ok && final {
			// The last line, without its newline, does not parse: cut short.
			a.Torn, a.TornLine, a.unterminated = true, i+2, false
			a.size = int64(len(data) - len(last))
			break
		}
		if !ok {
			return nil, fmt.Errorf("%s:%d:1: not a move line of an attempt file", path, i+2)
		}
		if m.N != len(a.Moves)+1 {
			return nil, fmt.Errorf("%s:%d:1: move %d follows move %d", path, i+2, m.N, len(a.Moves))
		}
		a.Moves = append(a.Moves, m)
	}
	return a, nil
}

// parseMove reads one move line: the one test of what a move line is, for
// every reader. Its turns are decoded only when asked for, and turns that
// do not decode are left out (they are a record for people, never
// trusted).
func parseMove(text []byte, turns bool) (AttemptMove, bool) {
	m, ok := quickMove(text)
	if !ok {
		var bare struct {
			N    int    `json:"n"`
			Move string `json:"move"`
		}
		if err := json.Unmarshal(text, &bare); err != nil || bare.Move == "" {
			return AttemptMove{}, false
		}
		m = AttemptMove{N: bare.N, Move: bare.Move}
	}
	if turns {
		var full AttemptMove
		if json.Unmarshal(text, &full) == nil {
			m.At, m.Turns = full.At, full.Turns
		}
	}
	return m, true
}

// quickHeader reads a header line as Journal writes it: one flat object
// of the header's keys, each at most once, with no spaces, string values
// without escapes or control characters and a number for the seed. It
// returns false, having set nothing, for anything else, which is left to
// encoding/json; what it accepts, encoding/json reads the same.
func quickHeader(line []byte, h *AttemptHeader) bool {
	var out AttemptHeader
	var seen [len(headerKeys)]bool
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
		if key == "seed" || key == "rules" {
			end := 0
			for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
				end++
			}
			n, err := strconv.ParseUint(string(rest[:end]), 10, 64)
			if err != nil || (end > 1 && rest[0] == '0') {
				return false
			}
			if key == "seed" {
				out.Seed = n
			} else {
				if n > 1<<20 {
					return false
				}
				out.Rules = Rules(n)
			}
			rest = rest[end:]
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

var headerKeys = [10]string{"casebook", "scenario", "playbook", "playbook_version", "tier", "mode", "seed", "trainee", "started_at", "rules"}

func headerField(h *AttemptHeader, i int) *string {
	return [...]*string{&h.Casebook, &h.Scenario, &h.Playbook, &h.PlaybookVersion, &h.Tier, &h.Mode, nil, &h.Trainee, &h.StartedAt, nil}[i]
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
// {"n":N,"move":"ID","at":"TIME","turns":[...]}, without decoding the
// turns. Any other shape is left to encoding/json (ok false).
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
	move := rest[:close]
	// Then the time and the turns, as Journal writes them; the turns
	// themselves are not read (no reader trusts them), but a line of any
	// other shape is left to encoding/json, which refuses what is not JSON.
	rest, ok = bytes.CutPrefix(rest[close+1:], []byte(`,"at":"`))
	if !ok {
		return AttemptMove{}, false
	}
	close = bytes.IndexByte(rest, '"')
	if close < 0 || bytes.IndexByte(rest[:close], '\\') >= 0 {
		return AttemptMove{}, false
	}
	rest = rest[close+1:]
	if !bytes.Equal(rest, []byte(`,"turns":null}`)) && (!bytes.HasPrefix(rest, []byte(`,"turns":[`)) || !bytes.HasSuffix(rest, []byte("]}"))) {
		return AttemptMove{}, false
	}
	return AttemptMove{N: n, Move: string(move)}, true
}
