package gen

import (
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // the store's own driver
)

// Replicate makes a SQLite store hold copies times the attempts it holds,
// for report's benchmark over a million stored attempts: each copy of an
// attempt gets a new number and header key and the same scorecard. The
// copies of scored attempts carry no moves (a report over the store reads
// only the summaries of their scorecards); that is the one way they differ
// from imported attempts.
func Replicate(url string, copies int) error {
	path, ok := strings.CutPrefix(url, "sqlite:")
	if !ok || copies < 1 {
		return fmt.Errorf("replicate: want sqlite:PATH and at least one copy, not %q and %d", url, copies)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	var top sql.NullInt64
	if err := db.QueryRow(`SELECT MAX(id) FROM attempts`).Scan(&top); err != nil {
		return fmt.Errorf("replicate %s: %v", url, err)
	}
	if !top.Valid {
		return fmt.Errorf("replicate %s: the store holds no attempt", url)
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k := 1; k < copies; k++ {
		off := int64(k) * top.Int64
		if _, err := tx.Exec(`INSERT INTO attempts (id, trainee_id, scenario, playbook, playbook_version, tier, mode, rules,
			started_at, header, header_key, origin, source, moves, scored, created_at)
			SELECT id + ?, trainee_id, scenario, playbook, playbook_version, tier, mode, rules,
			started_at, header, header_key || ':copy' || ?, origin, source, moves, scored, created_at FROM attempts WHERE id <= ?`, off, k, top.Int64); err != nil {
			return fmt.Errorf("replicate %s: %v", url, err)
		}
		// Attempts with no scorecard are replayed by a report: their copies
		// get their moves too.
		if _, err := tx.Exec(`INSERT INTO moves (attempt_id, n, move, line)
			SELECT attempt_id + ?, n, move, line FROM moves WHERE attempt_id IN (SELECT id FROM attempts WHERE id <= ? AND scored = 0)`, off, top.Int64); err != nil {
			return fmt.Errorf("replicate %s: %v", url, err)
		}
		for _, q := range []string{
			`INSERT INTO scorecards (attempt_id, rules, total, moves, card, scored_at)
			SELECT attempt_id + ?, rules, total, moves, card, scored_at FROM scorecards WHERE attempt_id <= ?`,
			`INSERT INTO summaries (attempt_id, origin, summary) SELECT attempt_id + ?, origin, summary FROM summaries WHERE attempt_id <= ?`,
		} {
			if _, err := tx.Exec(q, off, top.Int64); err != nil {
				return fmt.Errorf("replicate %s: %v", url, err)
			}
		}
	}
	return tx.Commit()
}
