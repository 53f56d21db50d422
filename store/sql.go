package store

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// A dialect is what differs between the SQL back ends.
type dialect interface {
	kind() string
	// bind rewrites a query's ? placeholders for the database.
	bind(q string) string
	// lock takes the session lock of an attempt on conn, failing at once
	// with *BusyError when another session holds it; release gives it
	// back. It is called inside the transaction that stores the
	// attempt's first move, or before an attempt is read to be continued.
	// q runs the lock's query: conn itself, or the transaction open on it.
	lock(ctx context.Context, conn *sql.Conn, q querier, ref string, id int64) (release func(), err error)
}

// A querier is a connection or a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sqlStore is a store in a SQL database.
type sqlStore struct {
	db   *sql.DB
	d    dialect
	name string // the store as String gives it

	// writeMu, for SQLite, lets one write transaction of this process at
	// a time ask for the database's write lock: writers queue here in
	// turn rather than polling SQLite's busy handler, which sleeps ever
	// longer between tries and starves some under load.
	writeMu *sync.Mutex

	cacheMu sync.Mutex
	goldens map[string]bool  // golden keys known to be stored
	words   map[string]int64 // words known to be stored, by id
}

func (s *sqlStore) Kind() string   { return s.d.kind() }
func (s *sqlStore) String() string { return s.name }
func (s *sqlStore) Close() error   { return s.db.Close() }

func (s *sqlStore) q(query string) string { return s.d.bind(query) }

// writing takes this process's turn to write (SQLite) and returns the
// function that gives it back.
func (s *sqlStore) writing() func() {
	if s.writeMu == nil {
		return func() {}
	}
	s.writeMu.Lock()
	return s.writeMu.Unlock
}

// attemptName is how messages name a stored attempt: the store, #, its id.
func (s *sqlStore) attemptName(id int64) string { return s.name + "#" + strconv.FormatInt(id, 10) }

// parseRef reads an attempt's ref: its id, or STORE#id as messages name it.
func (s *sqlStore) parseRef(ref string) (int64, error) {
	r := ref
	if i := strings.LastIndexByte(r, '#'); i >= 0 {
		if !SameStore(r[:i], s.name) {
			return 0, fmt.Errorf("%s is an attempt of another store than %s", Redact(ref), s.name)
		}
		r = r[i+1:]
	}
	id, err := strconv.ParseInt(r, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not an attempt of %s: attempts in a store are named by number, as train and store import print them", ref, s.name)
	}
	return id, nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// headerLine is an attempt's header as its file's first line, and the key
// that makes one attempt one row however often it is imported.
func headerLine(h simulator.AttemptHeader) ([]byte, string, error) {
	line, err := json.Marshal(h)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(line)
	return line, hex.EncodeToString(sum[:]), nil
}

func moveLine(m simulator.AttemptMove) (string, error) {
	line, err := json.Marshal(m)
	return string(line), err
}

func (s *sqlStore) Create(ctx context.Context, h simulator.AttemptHeader, origin Origin, source string) (Session, error) {
	if _, err := ParseOrigin(string(origin)); err != nil {
		return nil, err
	}
	line, key, err := headerLine(h)
	if err != nil {
		return nil, err
	}
	return &sqlSession{s: s, header: h, line: line, key: key, origin: origin, source: source}, nil
}

// insertAttempt stores a new attempt's row (not its moves) in tx.
func (s *sqlStore) insertAttempt(ctx context.Context, tx *sql.Tx, h simulator.AttemptHeader, line []byte, key string, origin Origin, source string, moves int, closed bool) (int64, error) {
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO trainees (name) VALUES (?) ON CONFLICT (name) DO NOTHING`), h.Trainee); err != nil {
		return 0, err
	}
	var trainee int64
	if err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM trainees WHERE name = ?`), h.Trainee).Scan(&trainee); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO attempts (trainee_id, scenario, playbook, playbook_version, tier, mode, rules,
		started_at, header, header_key, origin, source, moves, closed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		trainee, h.Scenario, h.Playbook, h.PlaybookVersion, h.Tier, h.Mode, int(h.Rules.OrV1()),
		h.StartedAt, string(line), key, string(origin), source, moves, b2i(closed), now()).Scan(&id)
	return id, err
}

func (s *sqlStore) insertMove(ctx context.Context, tx *sql.Tx, id int64, m simulator.AttemptMove) error {
	line, err := moveLine(m)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO moves (attempt_id, n, move, line) VALUES (?, ?, ?, ?)`), id, m.N, m.Move, line)
	return err
}

func (s *sqlStore) Open(ctx context.Context, ref string) (Session, *simulator.Attempt, error) {
	id, err := s.parseRef(ref)
	if err != nil {
		return nil, nil, err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	// The attempt must exist before it is locked: a lock on an id the
	// store does not hold would say nothing.
	var one int
	if err := conn.QueryRowContext(ctx, s.q(`SELECT 1 FROM attempts WHERE id = ?`), id).Scan(&one); err != nil {
		conn.Close()
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, fmt.Errorf("%s: %w", s.attemptName(id), ErrNotFound)
		}
		return nil, nil, err
	}
	release, err := s.d.lock(ctx, conn, conn, s.attemptName(id), id)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	a, err := s.read(ctx, conn, id)
	if err != nil {
		release()
		conn.Close()
		return nil, nil, err
	}
	ses := &sqlSession{s: s, conn: conn, release: release, id: id, n: len(a.Moves), header: a.Header}
	return ses, a, nil
}

func (s *sqlStore) Read(ctx context.Context, ref string) (*simulator.Attempt, error) {
	id, err := s.parseRef(ref)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, s.db, id)
}

// read rebuilds an attempt from its rows, as its file would hold it, and
// reads that with the attempt file's own reader.
func (s *sqlStore) read(ctx context.Context, q rowsQuerier, id int64) (*simulator.Attempt, error) {
	data, err := s.raw(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return simulator.ParseAttempt(s.attemptName(id), data)
}

// A rowsQuerier is a connection or a database.
type rowsQuerier interface {
	querier
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Raw is a stored attempt as its attempt file: the header line, then a
// line per move.
func (s *sqlStore) Raw(ctx context.Context, ref string) ([]byte, error) {
	id, err := s.parseRef(ref)
	if err != nil {
		return nil, err
	}
	return s.raw(ctx, s.db, id)
}

func (s *sqlStore) raw(ctx context.Context, q rowsQuerier, id int64) ([]byte, error) {
	var header string
	err := q.QueryRowContext(ctx, s.q(`SELECT header FROM attempts WHERE id = ?`), id).Scan(&header)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", s.attemptName(id), ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	var data bytes.Buffer
	data.WriteString(header)
	data.WriteByte('\n')
	rows, err := q.QueryContext(ctx, s.q(`SELECT line FROM moves WHERE attempt_id = ? ORDER BY n`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var line sql.RawBytes
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		data.Write(line)
		data.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return data.Bytes(), nil
}

// A sqlSession appends the moves of one attempt, one transaction each.
type sqlSession struct {
	s       *sqlStore
	conn    *sql.Conn // held while the session has the attempt
	release func()
	id      int64 // 0 until the first move is stored
	n       int

	// Of a new attempt, until its first move.
	header simulator.AttemptHeader
	line   []byte
	key    string
	origin Origin
	source string
}

func (x *sqlSession) Ref() string {
	if x.id == 0 {
		return ""
	}
	return strconv.FormatInt(x.id, 10)
}

func (x *sqlSession) Moves() int { return x.n }

func (x *sqlSession) Append(move string, at time.Time, turns []simulator.Turn, over bool) error {
	ctx := context.Background()
	m := simulator.AttemptMove{N: x.n + 1, Move: move, At: at.UTC().Format(time.RFC3339), Turns: turns}
	if x.id == 0 {
		return x.create(ctx, m, over)
	}
	defer x.s.writing()()
	tx, err := x.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := x.s.insertMove(ctx, tx, x.id, m); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, x.s.q(`UPDATE attempts SET moves = ?, closed = ? WHERE id = ? AND moves = ?`), m.N, b2i(over), x.id, x.n)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("%s: the attempt changed in the store while this session had it", x.s.attemptName(x.id))
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	x.n++
	return nil
}

// create stores a new attempt with its first move, and takes its lock,
// in one transaction.
func (x *sqlSession) create(ctx context.Context, m simulator.AttemptMove, over bool) error {
	conn, err := x.s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer x.s.writing()()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return err
	}
	fail := func(err error) error {
		tx.Rollback()
		conn.Close()
		return err
	}
	id, err := x.s.insertAttempt(ctx, tx, x.header, x.line, x.key, x.origin, x.source, 1, over)
	if err != nil {
		return fail(err)
	}
	if err := x.s.insertMove(ctx, tx, id, m); err != nil {
		return fail(err)
	}
	release, err := x.s.d.lock(ctx, conn, tx, x.s.attemptName(id), id)
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		release()
		conn.Close()
		return err
	}
	x.conn, x.release, x.id, x.n = conn, release, id, 1
	return nil
}

func (x *sqlSession) Close() error {
	if x.conn == nil {
		return nil
	}
	x.release()
	err := x.conn.Close()
	x.conn = nil
	return err
}

// goldenKey names a golden path in the goldens table.
func goldenKey(enc string) string {
	sum := sha256.Sum256([]byte(enc))
	return hex.EncodeToString(sum[:12])
}

func (s *sqlStore) SaveScorecard(ctx context.Context, ref string, moves int, card []byte, brief *scoring.Scorecard) error {
	id, err := s.parseRef(ref)
	if err != nil {
		return err
	}
	packed, err := packCard(card)
	if err != nil {
		return err
	}
	golden := encodeGolden(brief.Golden)
	gkey := goldenKey(golden)
	defer s.writing()()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var origin, source, startedAt string
	err = tx.QueryRowContext(ctx, s.q(`SELECT origin, source, started_at FROM attempts WHERE id = ?`), id).Scan(&origin, &source, &startedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", s.attemptName(id), ErrNotFound)
	}
	if err != nil {
		return err
	}
	s.cacheMu.Lock()
	known := s.goldens[gkey]
	s.cacheMu.Unlock()
	if !known {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO goldens (key, moves) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`), gkey, golden); err != nil {
			return err
		}
	}
	added := map[string]int64{}
	summary, err := encodeSummary(brief, startedAt, fileOf(Origin(origin), source), gkey, func(w string) (int64, error) {
		return s.wordID(ctx, tx, w, added)
	})
	if err != nil {
		return err
	}
	if err := s.dropScorecard(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO scorecards (attempt_id, rules, total, moves, card, scored_at)
		VALUES (?, ?, ?, ?, ?, ?)`), id, int(brief.Rules), brief.Total, moves, packed, now()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO summaries (attempt_id, origin, summary) VALUES (?, ?, ?)`), id, origin, summary); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE attempts SET scored = 1 WHERE id = ?`), id); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Only what is committed is remembered.
	s.cacheMu.Lock()
	if s.goldens == nil {
		s.goldens, s.words = map[string]bool{}, map[string]int64{}
	}
	s.goldens[gkey] = true
	for w, id := range added {
		s.words[w] = id
	}
	s.cacheMu.Unlock()
	return nil
}

// wordID is the id of a word in the words table, stored in tx when it is
// new (added remembers it until tx commits).
func (s *sqlStore) wordID(ctx context.Context, tx *sql.Tx, w string, added map[string]int64) (int64, error) {
	s.cacheMu.Lock()
	id, ok := s.words[w]
	s.cacheMu.Unlock()
	if ok {
		return id, nil
	}
	if id, ok := added[w]; ok {
		return id, nil
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO words (text) VALUES (?) ON CONFLICT (text) DO NOTHING`), w); err != nil {
		return 0, err
	}
	if err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM words WHERE text = ?`), w).Scan(&id); err != nil {
		return 0, err
	}
	added[w] = id
	return id, nil
}

// packCard stores a scorecard's JSON compact and compressed; unpackCard
// gives back the bytes replay -o json prints (indented by two spaces, a
// newline at the end).
func packCard(card []byte) ([]byte, error) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, card); err != nil {
		return nil, fmt.Errorf("a scorecard that is not JSON: %v", err)
	}
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.DefaultCompression)
	w.Write(compact.Bytes())
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func unpackCard(packed []byte) ([]byte, error) {
	compact, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(packed)), 64<<20))
	if err != nil {
		return nil, fmt.Errorf("a stored scorecard that does not decompress: %v", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, fmt.Errorf("a stored scorecard that is not JSON: %v", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// dropScorecard removes an attempt's scorecard and summary.
func (s *sqlStore) dropScorecard(ctx context.Context, tx *sql.Tx, id int64) error {
	for _, q := range []string{`DELETE FROM scorecards WHERE attempt_id = ?`, `DELETE FROM summaries WHERE attempt_id = ?`, `UPDATE attempts SET scored = 0 WHERE id = ?`} {
		if _, err := tx.ExecContext(ctx, s.q(q), id); err != nil {
			return err
		}
	}
	return nil
}

// ReportFile is how a report names a stored attempt, as Summaries does:
// by the file it was imported from, else by the store and its number.
func ReportFile(s Store, i Info) string {
	if f := fileOf(i.Origin, i.Source); f != "" {
		return f
	}
	return Name(s, i.Ref)
}

// fileOf is the file a report names an attempt by: the file it was
// imported from; "" for an attempt played into the store (the report
// names it by its id).
func fileOf(o Origin, source string) string {
	if o == SelfReported {
		return source
	}
	return ""
}

// ScoresVersion changes whenever a scorecard is stored, replaced or
// dropped: what a cache of the report over the summaries is keyed by.
func (s *sqlStore) ScoresVersion(ctx context.Context) (string, error) {
	var n int64
	var last sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(scored_at) FROM scorecards`).Scan(&n, &last); err != nil {
		return "", err
	}
	return strconv.FormatInt(n, 10) + " " + last.String, nil
}

// Card is the scorecard stored for an attempt (as replay -o json prints
// it) and the moves it scored; nil when none is stored.
func (s *sqlStore) Card(ctx context.Context, ref string) ([]byte, int, error) {
	id, err := s.parseRef(ref)
	if err != nil {
		return nil, 0, err
	}
	var packed []byte
	var moves int
	err = s.db.QueryRowContext(ctx, s.q(`SELECT card, moves FROM scorecards WHERE attempt_id = ?`), id).Scan(&packed, &moves)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	card, err := unpackCard(packed)
	return card, moves, err
}

func (s *sqlStore) Attempts(ctx context.Context, f Filter, each func(Info) bool) error {
	card := "c.card"
	if f.NoCards {
		card = "NULL"
	}
	query := `SELECT a.id, a.header, a.origin, a.source, a.moves, a.closed, c.moves, c.total, ` + card + `
		FROM attempts a LEFT JOIN scorecards c ON c.attempt_id = a.id`
	var where []string
	var args []any
	if f.Unscored {
		where = append(where, `a.scored = 0`)
	}
	if f.Trainee != "" {
		where = append(where, `a.trainee_id = (SELECT id FROM trainees WHERE name = ?)`)
		args = append(args, f.Trainee)
	}
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	if f.Newest > 0 {
		query += ` ORDER BY a.id DESC LIMIT ` + strconv.Itoa(f.Newest)
	} else {
		query += ` ORDER BY a.id`
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var header, origin, source string
		var moves int
		var closed int
		var cardMoves, total sql.NullInt64
		var packed []byte
		if err := rows.Scan(&id, &header, &origin, &source, &moves, &closed, &cardMoves, &total, &packed); err != nil {
			return err
		}
		if !f.admits(Origin(origin)) {
			continue
		}
		info := Info{Ref: strconv.FormatInt(id, 10), Origin: Origin(origin), Source: source, Moves: moves,
			Closed: closed == 1, Scored: cardMoves.Valid, CardMove: int(cardMoves.Int64), Total: int(total.Int64)}
		if info.Scored && !f.NoCards {
			card, err := unpackCard(packed)
			if err != nil {
				return fmt.Errorf("%s: %v", s.attemptName(id), err)
			}
			info.Card = card
		}
		if err := json.Unmarshal([]byte(header), &info.Header); err != nil {
			return fmt.Errorf("%s: a header that does not decode: %v", s.attemptName(id), err)
		}
		if !each(info) {
			return nil
		}
	}
	return rows.Err()
}

// Name is how messages and reports name a stored attempt: the store, #,
// its ref.
func Name(s Store, ref string) string {
	if x, ok := s.(*sqlStore); ok {
		if id, err := x.parseRef(ref); err == nil {
			return x.attemptName(id)
		}
	}
	return ref
}

func (s *sqlStore) Summaries(ctx context.Context, f Filter, workers int, each func(worker int, sm *Summary) error) error {
	goldens := map[string][]simulator.GoldenMove{}
	rows, err := s.db.QueryContext(ctx, `SELECT key, moves FROM goldens`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var key, moves string
		if err := rows.Scan(&key, &moves); err != nil {
			rows.Close()
			return err
		}
		g, err := decodeGolden(moves)
		if err != nil {
			rows.Close()
			return fmt.Errorf("%s: golden path %s: %v", s.name, key, err)
		}
		goldens[key] = g
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	words, err := s.wordList(ctx)
	if err != nil {
		return err
	}
	// Two queries: SQLite finds a lone MIN or MAX of the key in the index,
	// but scans the table for both at once.
	var lo, hi sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(attempt_id) FROM summaries`).Scan(&lo); err != nil {
		return err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(attempt_id) FROM summaries`).Scan(&hi); err != nil {
		return err
	}
	if !lo.Valid {
		return nil
	}
	workers = max(1, workers)
	span := (hi.Int64 - lo.Int64 + int64(workers)) / int64(workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		from := lo.Int64 + int64(w)*span
		wg.Go(func() {
			errs[w] = s.summaries(ctx, f, from, from+span, words, goldens, func(sm *Summary) error { return each(w, sm) })
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// summaries reads the summaries of the attempts with ids in [from, to).
func (s *sqlStore) summaries(ctx context.Context, f Filter, from, to int64, words *wordList, goldens map[string][]simulator.GoldenMove, each func(*Summary) error) error {
	query, args := `SELECT attempt_id, summary FROM summaries WHERE attempt_id >= ? AND attempt_id < ?`, []any{from, to}
	if f.Trainee != "" {
		query += ` AND attempt_id IN (SELECT a.id FROM attempts a JOIN trainees t ON t.id = a.trainee_id WHERE t.name = ?)`
		args = append(args, f.Trainee)
	}
	if len(f.Origins) > 0 {
		query += ` AND origin IN (?` + strings.Repeat(", ?", len(f.Origins)-1) + `)`
		for _, o := range f.Origins {
			args = append(args, string(o))
		}
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+` ORDER BY attempt_id`), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	dec := newSummaryDecoder(words, goldens)
	prefix := s.name + "#"
	var file []byte
	for rows.Next() {
		var id int64
		var summary sql.RawBytes
		if err := rows.Scan(&id, &summary); err != nil {
			return err
		}
		sm, err := dec.decode(summary)
		if err != nil {
			return fmt.Errorf("%s: a stored summary that does not decode (%v): casebook store rescore rewrites it", s.attemptName(id), err)
		}
		if sm.File == "" {
			// Reused for each row, as Summary allows.
			file = strconv.AppendInt(append(file[:0], prefix...), id, 10)
			sm.File = unsafe.String(&file[0], len(file))
		}
		if err := each(sm); err != nil {
			return err
		}
	}
	return rows.Err()
}

// wordList reads the words table.
func (s *sqlStore) wordList(ctx context.Context) (*wordList, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, text FROM words`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	wl := &wordList{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		if id < 0 || id > 1<<24 {
			return nil, fmt.Errorf("%s: a word numbered %d", s.name, id)
		}
		for int64(len(wl.text)) <= id {
			wl.text, wl.present = append(wl.text, ""), append(wl.present, false)
		}
		wl.text[id], wl.present[id] = text, true
	}
	return wl, rows.Err()
}

func (s *sqlStore) Import(ctx context.Context, a *simulator.Attempt, closed bool, source string) (ImportResult, string, error) {
	line, key, err := headerLine(a.Header)
	if err != nil {
		return 0, "", err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	defer s.writing()()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, "", err
	}
	defer tx.Rollback()
	var id int64
	var have int
	err = tx.QueryRowContext(ctx, s.q(`SELECT id, moves FROM attempts WHERE header_key = ?`), key).Scan(&id, &have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if id, err = s.insertAttempt(ctx, tx, a.Header, line, key, SelfReported, source, len(a.Moves), closed); err != nil {
			return 0, "", err
		}
		for _, m := range a.Moves {
			if err := s.insertMove(ctx, tx, id, m); err != nil {
				return 0, "", err
			}
		}
		return Added, strconv.FormatInt(id, 10), tx.Commit()
	case err != nil:
		return 0, "", err
	}
	ref := strconv.FormatInt(id, 10)
	rows, err := tx.QueryContext(ctx, s.q(`SELECT move FROM moves WHERE attempt_id = ? ORDER BY n`), id)
	if err != nil {
		return 0, "", err
	}
	var stored []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return 0, "", err
		}
		stored = append(stored, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, "", err
	}
	for i, m := range a.Moves {
		if i >= len(stored) {
			break
		}
		if stored[i] != m.Move {
			return 0, ref, fmt.Errorf("the store holds this attempt as %s with other moves (from move %d on); it was not changed", s.attemptName(id), i+1)
		}
	}
	// A file with the store's first moves only (an older copy, or one cut
	// short by a crash) adds nothing.
	if len(stored) >= len(a.Moves) {
		return Unchanged, ref, nil
	}
	// The file went on after it was imported: add its later moves, unless
	// a session is adding moves of its own.
	release, err := s.d.lock(ctx, conn, tx, s.attemptName(id), id)
	if err != nil {
		return 0, ref, err
	}
	defer release()
	for _, m := range a.Moves[len(stored):] {
		if err := s.insertMove(ctx, tx, id, m); err != nil {
			return 0, "", err
		}
	}
	res, err := tx.ExecContext(ctx, s.q(`UPDATE attempts SET moves = ?, closed = ? WHERE id = ? AND moves = ?`), len(a.Moves), b2i(closed), id, len(stored))
	if err != nil {
		return 0, "", err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, ref, fmt.Errorf("%s changed in the store while it was imported", s.attemptName(id))
	}
	// Its scorecard, if any, scored fewer moves: it goes.
	if err := s.dropScorecard(ctx, tx, id); err != nil {
		return 0, "", err
	}
	return Extended, ref, tx.Commit()
}
