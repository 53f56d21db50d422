package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The migrations, numbered from 1, one directory per back end: each file
// runs in one transaction with the row that records it.
//
//go:embed migrations
var migrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrationsFor lists a back end's migrations in order.
func migrationsFor(kind string) ([]migration, error) {
	dir := path.Join("migrations", kind)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s/%s: not named NNNN_what.sql", dir, e.Name())
		}
		data, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, e.Name(), string(data)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations of %s: %s should be number %d", kind, m.name, i+1)
		}
	}
	return out, nil
}

// A NewerSchemaError refuses a store made by a newer casebook.
type NewerSchemaError struct {
	Store      string
	Have, Know int
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("%s has schema version %d, newer than the %d this casebook knows: use a newer casebook (the store was not changed)", e.Store, e.Have, e.Know)
}

const schemaTable = `CREATE TABLE IF NOT EXISTS casebook_schema (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// schemaVersion is the newest migration the store has, 0 for none.
func schemaVersion(ctx context.Context, q querier, d dialect) (int, bool, error) {
	var exists int
	var probe string
	switch d.kind() {
	case "sqlite":
		probe = `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'casebook_schema'`
	default:
		probe = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'casebook_schema'`
	}
	if err := q.QueryRowContext(ctx, probe).Scan(&exists); err != nil {
		return 0, false, err
	}
	if exists == 0 {
		return 0, false, nil
	}
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM casebook_schema`).Scan(&v); err != nil {
		return 0, true, err
	}
	return int(v.Int64), true, nil
}

// migrate brings the schema to the newest migration, one transaction per
// migration; lock serialises migrating processes (taken inside each
// transaction). It refuses a schema newer than it knows, changing nothing.
func migrate(ctx context.Context, db *sql.DB, d dialect, name string, lock func(ctx context.Context, tx *sql.Tx) error, opts Options) error {
	ms, err := migrationsFor(d.kind())
	if err != nil {
		return err
	}
	told := opts.Migrated
	want := len(ms)
	if opts.upTo > 0 && opts.upTo < want {
		want = opts.upTo
	}
	from := -1
	for {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := lock(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
		v, _, err := schemaVersion(ctx, tx, d)
		if err != nil {
			tx.Rollback()
			return err
		}
		if from < 0 {
			from = v
		}
		if v > len(ms) {
			tx.Rollback()
			return &NewerSchemaError{Store: name, Have: v, Know: len(ms)}
		}
		if v >= want {
			tx.Rollback()
			if v != from && told != nil {
				told(from, v)
			}
			return nil
		}
		m := ms[v]
		if _, err := tx.ExecContext(ctx, schemaTable); err != nil {
			tx.Rollback()
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: migration %s: %v (nothing of it was applied)", name, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, d.bind(`INSERT INTO casebook_schema (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, now()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("%s: migration %s: %v (nothing of it was applied)", name, m.name, err)
		}
	}
}

// Known is the schema version this casebook's migrations reach.
func Known() int {
	ms, _ := migrationsFor("sqlite")
	return len(ms)
}

func (s *sqlStore) Schema(ctx context.Context) (have, want int, err error) {
	ms, err := migrationsFor(s.d.kind())
	if err != nil {
		return 0, 0, err
	}
	v, _, err := schemaVersion(ctx, s.db, s.d)
	return v, len(ms), err
}
