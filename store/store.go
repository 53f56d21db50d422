// Package store keeps a team's training attempts in one place: attempt
// files in a directory (dir:PATH, the CLI's default), an embedded SQLite
// database (sqlite:PATH) or a PostgreSQL database (postgres://...). Every
// back end gives the same guarantees as the attempt files: each move is
// durable before the next is taken, one session at a time may play an
// attempt, and the same moves read back give the same scorecard.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// An Origin is where an attempt came from, which says how far its moves
// can be trusted.
type Origin string

const (
	// Supervised attempts were played through a server (casebook serve):
	// the trainee never held the moves.
	Supervised Origin = "supervised"
	// Local attempts were played by casebook train on the trainee's own
	// machine, straight into the store.
	Local Origin = "local"
	// SelfReported attempts were imported from attempt files, which their
	// owner could have edited; their moves were simulated again on import.
	SelfReported Origin = "self-reported"
)

// Origins lists the origins, most trusted first.
var Origins = []Origin{Supervised, Local, SelfReported}

// ParseOrigin reads an origin's name.
func ParseOrigin(s string) (Origin, error) {
	for _, o := range Origins {
		if string(o) == s {
			return o, nil
		}
	}
	return "", fmt.Errorf("unknown origin %q (one of supervised, local, self-reported)", s)
}

// A Store holds attempts.
type Store interface {
	// Kind is "dir", "sqlite" or "postgres".
	Kind() string
	// String names the store for people, without any password.
	String() string
	// Create prepares a new attempt; like a journal, it is stored with its
	// first move, so a session that makes none leaves nothing behind.
	Create(ctx context.Context, h simulator.AttemptHeader, origin Origin, source string) (Session, error)
	// Open continues the attempt ref names, refusing with *BusyError while
	// another session has it open; the attempt is read under its lock.
	Open(ctx context.Context, ref string) (Session, *simulator.Attempt, error)
	// Read reads an attempt, recorded turns included.
	Read(ctx context.Context, ref string) (*simulator.Attempt, error)
	// Close releases the store.
	Close() error
}

// A Session appends moves to one attempt, each durable before Append
// returns.
type Session interface {
	// Ref names the attempt for Open and Read: "" until the first move is
	// stored.
	Ref() string
	// Moves is the number of moves the attempt holds.
	Moves() int
	// Append stores a move and its turns; over says the move closed the
	// case (a report then knows the attempt is complete without
	// replaying it).
	Append(move string, at time.Time, turns []simulator.Turn, over bool) error
	// Close ends the session, releasing its hold on the attempt.
	Close() error
}

// A BusyError refuses a second session on an attempt.
type BusyError struct {
	Ref string
	PID int // of the session that holds it, 0 when unknown
}

func (e *BusyError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%s: the attempt is open in another casebook (pid %d)", e.Ref, e.PID)
	}
	return fmt.Sprintf("%s: the attempt is open in another casebook session", e.Ref)
}

// ErrNotFound is returned for an attempt the store does not hold.
var ErrNotFound = errors.New("no such attempt in the store")

// A Scored store also keeps scorecards and provenance: the database back
// ends.
type Scored interface {
	Store
	// SaveScorecard stores the scorecard of a closed attempt of moves
	// moves: card as replay -o json prints it, brief as ScoreAttempt gives
	// it ForReport (what a report counts). It replaces any scorecard
	// stored before.
	SaveScorecard(ctx context.Context, ref string, moves int, card []byte, brief *scoring.Scorecard) error
	// Raw is a stored attempt as its attempt file holds it.
	Raw(ctx context.Context, ref string) ([]byte, error)
	// Card is the scorecard stored for an attempt (as replay -o json
	// prints it) and the moves it scored; nil when none is stored.
	Card(ctx context.Context, ref string) ([]byte, int, error)
	// Attempts calls each with every attempt the filter lets through, in
	// the order they were stored, until each returns false.
	Attempts(ctx context.Context, f Filter, each func(Info) bool) error
	// Summaries calls each with what a report counts of every scored
	// attempt the filter lets through; the card and its slices are reused
	// for the next call, and workers of them may run at once.
	Summaries(ctx context.Context, f Filter, workers int, each func(worker int, s *Summary) error) error
	// Import stores an attempt read from a file, whose moves were
	// simulated again (closed: they close the case), marked
	// self-reported and with the file as its source. An attempt stored
	// already (the same header) with the same moves is Unchanged; one
	// whose stored moves are the first of the file's gets the rest
	// (Extended); one with other moves is refused.
	Import(ctx context.Context, a *simulator.Attempt, closed bool, source string) (ImportResult, string, error)
	// Schema is the schema version the store has and the one this
	// casebook knows (Open migrates to it).
	Schema(ctx context.Context) (have, want int, err error)
}

// Info describes a stored attempt.
type Info struct {
	Ref      string
	Header   simulator.AttemptHeader
	Origin   Origin
	Source   string
	Moves    int
	Closed   bool   // its last move closed the case
	Scored   bool   // a scorecard is stored
	CardMove int    // the moves the stored scorecard scored
	Total    int    // its total score
	Card     []byte // the scorecard as replay -o json prints it
}

// A Filter selects attempts; the zero Filter selects all.
type Filter struct {
	Origins []Origin
	// Unscored selects only the attempts with no scorecard (never
	// closed, or closed and not yet scored).
	Unscored bool
	// NoCards leaves Info.Card empty: the caller needs no scorecard.
	NoCards bool
	// Trainee selects one trainee's attempts.
	Trainee string
	// Newest, when above 0, gives only that many attempts, newest first.
	Newest int
}

func (f Filter) admits(o Origin) bool {
	if len(f.Origins) == 0 {
		return true
	}
	for _, x := range f.Origins {
		if x == o {
			return true
		}
	}
	return false
}

// A Summary is one stored scorecard as a report counts it. StartedAt and
// File are good only until the next Summary (they share the row's memory,
// as scoring.Entry allows): copy them to keep them.
type Summary struct {
	Card      *scoring.Scorecard
	StartedAt string
	File      string
}

// ImportResult says what importing an attempt did.
type ImportResult int

const (
	// Added: the store did not hold the attempt.
	Added ImportResult = iota
	// Unchanged: the store held it, with the same moves or more (the file
	// is an older copy).
	Unchanged
	// Extended: the store held its first moves; the file's later ones
	// were added.
	Extended
)

// Options say how Open opens a store.
type Options struct {
	// Create makes the store when it does not exist (a SQLite file, or
	// the schema in an empty PostgreSQL database).
	Create bool
	// Bulk trades the sync of every commit for speed, for an import
	// (which can be run again): a crash of the process loses nothing
	// committed, but a crash of the machine may lose the last commits.
	Bulk bool
	// upTo stops the migrations at a version (tests of migrating from an
	// older schema); 0 applies them all.
	upTo int
	// Migrated, when set, is told when opening brought the schema from
	// one version to another (from 0: the store was created).
	Migrated func(from, to int)
}

// Open opens the store a URL names: dir:PATH or a plain path (attempt
// files), sqlite:PATH, or postgres://... (postgresql:// too).
func Open(ctx context.Context, raw string, opts Options) (Store, error) {
	kind, target, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "dir":
		return openDir(target, opts)
	case "sqlite":
		return openSQLite(ctx, target, opts)
	default:
		return openPostgres(ctx, target, opts)
	}
}

// Parse splits a store URL into its kind and what the back end opens: a
// path for dir and sqlite, the URL itself for postgres. Schemes are read
// without regard to case.
func Parse(raw string) (kind, target string, err error) {
	lower := strings.ToLower(raw)
	switch {
	case raw == "":
		return "", "", errors.New("empty store URL (dir:PATH, sqlite:PATH or postgres://...)")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil {
			return "", "", errors.New("bad PostgreSQL URL (postgres://USER@HOST[:PORT]/DB, with special characters %-encoded)")
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return "", "", errors.New("a PostgreSQL URL needs a host, as in postgres://USER@HOST/DB")
		}
		return "postgres", raw, nil
	case strings.HasPrefix(lower, "sqlite:"):
		p := strings.TrimPrefix(raw[len("sqlite:"):], "//")
		if p == "" {
			return "", "", errors.New("sqlite: needs a file path, as in sqlite:casebook.db")
		}
		return "sqlite", filepath.FromSlash(p), nil
	case strings.HasPrefix(lower, "dir:"):
		p := raw[len("dir:"):]
		if p == "" {
			return "", "", errors.New("dir: needs a directory, as in dir:attempts")
		}
		return "dir", filepath.FromSlash(p), nil
	case strings.Contains(lower, "password=") || strings.Contains(lower, "host=") && strings.ContainsRune(raw, ' '):
		return "", "", errors.New("a PostgreSQL store is named by a URL, postgres://USER@HOST/DB, not by key=value settings")
	}
	if i := strings.Index(raw, "://"); i > 0 && !strings.ContainsAny(raw[:i], `/\`) {
		return "", "", fmt.Errorf("unknown store %q: use dir:PATH, sqlite:PATH or postgres://...", raw[:i+3])
	}
	if i := strings.IndexByte(raw, ':'); i > 1 && !strings.ContainsAny(raw[:i], `/\.`) {
		return "", "", fmt.Errorf("unknown store %q: use dir:PATH, sqlite:PATH or postgres://...", raw[:i+1])
	}
	return "dir", raw, nil
}

// SameStore says two store URLs name the same store: the same file (a
// SQLite path however written), or the same PostgreSQL URL, passwords
// aside.
func SameStore(a, b string) bool {
	ka, ta, errA := Parse(a)
	kb, tb, errB := Parse(b)
	if errA != nil || errB != nil || ka != kb {
		return false
	}
	if ka == "postgres" {
		return Redact(ta) == Redact(tb)
	}
	pa, errA := filepath.Abs(ta)
	pb, errB := filepath.Abs(tb)
	return errA == nil && errB == nil && pa == pb
}

// RefStore splits an attempt named as messages name it, STORE#NUMBER,
// into the store's URL and the number; ok is false for anything else.
func RefStore(ref string) (url, number string, ok bool) {
	i := strings.LastIndexByte(ref, '#')
	if i <= 0 || i == len(ref)-1 {
		return "", "", false
	}
	for _, r := range ref[i+1:] {
		if r < '0' || r > '9' {
			return "", "", false
		}
	}
	kind, _, err := Parse(ref[:i])
	if err != nil || kind == "dir" {
		return "", "", false
	}
	return ref[:i], ref[i+1:], true
}

// Redact is a store URL fit to print: any password (in the user part of
// the URL, however badly encoded, or a password= setting) is replaced.
func Redact(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return passwordSetting.ReplaceAllString(raw, "${1}xxxxx")
	}
	head, rest, query := raw[:i+3], raw[i+3:], ""
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		rest, query = rest[:q], rest[q:]
	}
	// The user part runs to the last @: a password with an unencoded @
	// stays inside it.
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if k := strings.IndexByte(rest[:at], ':'); k >= 0 {
			rest = rest[:k] + ":xxxxx" + rest[at:]
		}
	}
	if query != "" {
		params := strings.Split(query[1:], "&")
		for j, p := range params {
			if k, _, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "password") {
				params[j] = k + "=xxxxx"
			}
		}
		query = "?" + strings.Join(params, "&")
	}
	return head + rest + query
}

// passwordSetting is a password=VALUE setting, in a query or a list of
// key=value settings.
var passwordSetting = regexp.MustCompile(`(?i)(password=)[^&\s]*`)

// secrets are the passwords a store URL holds, to be kept out of the
// messages of the drivers.
func secrets(raw string) []string {
	var out []string
	i := strings.Index(raw, "://")
	if i < 0 {
		return nil
	}
	rest := raw[i+3:]
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		for _, p := range strings.Split(rest[q+1:], "&") {
			if k, v, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "password") && v != "" {
				out = append(out, v)
				if d, err := url.QueryUnescape(v); err == nil && d != v {
					out = append(out, d)
				}
			}
		}
		rest = rest[:q]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if _, pw, ok := strings.Cut(rest[:at], ":"); ok && pw != "" {
			out = append(out, pw)
			if d, err := url.PathUnescape(pw); err == nil && d != pw {
				out = append(out, d)
			}
			// A password with an unencoded @ reaches a driver in pieces.
			for _, piece := range strings.Split(pw, "@") {
				if len(piece) >= 4 {
					out = append(out, piece)
				}
			}
		}
	}
	return out
}

// Scrub keeps a store URL's passwords out of a message.
func Scrub(raw, msg string) string {
	for _, s := range secrets(raw) {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return msg
}
