package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
)

// postgresDialect is a PostgreSQL database: for a support org with
// trainees on many machines and several servers.
type postgresDialect struct{}

func (postgresDialect) kind() string { return "postgres" }

// bind numbers the placeholders: ? becomes $1, $2, ... (no query of the
// store has a ? in a string).
func (postgresDialect) bind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lockSpace is the first key of casebook's advisory locks, so they do not
// meet another program's in the same database.
const lockSpace = 0x0cb00c

// lock takes a session-level advisory lock on the attempt: the server
// releases it when the connection ends, so a killed process's lock goes
// with it.
func (postgresDialect) lock(ctx context.Context, conn *sql.Conn, q querier, ref string, id int64) (func(), error) {
	var held bool
	if err := q.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockSpace, int32(id)).Scan(&held); err != nil {
		return nil, err
	}
	if !held {
		return nil, &BusyError{Ref: ref}
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, lockSpace, int32(id))
	}, nil
}

func openPostgres(ctx context.Context, raw string, opts Options) (Store, error) {
	name := Redact(raw)
	dsn := raw
	if opts.Bulk {
		// The server confirms a commit before it is on disk.
		if strings.Contains(dsn, "?") {
			dsn += "&synchronous_commit=off"
		} else {
			dsn += "?synchronous_commit=off"
		}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %v", name, pgMessage(err))
	}
	d := postgresDialect{}
	if !opts.Create {
		if _, exists, err := schemaVersion(ctx, db, d); err != nil || !exists {
			db.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %v", name, pgMessage(err))
			}
			return nil, fmt.Errorf("%s holds no casebook store (casebook store migrate --store %s creates it)", name, name)
		}
	}
	// Migrating processes take turns: a transaction-level advisory lock.
	lock := func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockSpace+1)
		return err
	}
	if err := migrate(ctx, db, d, name, lock, opts); err != nil {
		db.Close()
		return nil, err
	}
	return &sqlStore{db: db, d: d, name: name}, nil
}

// pgMessage is a PostgreSQL error without the driver's wrapping.
func pgMessage(err error) error {
	if pe, ok := err.(*pgconn.PgError); ok {
		return fmt.Errorf("%s (%s)", pe.Message, pe.Code)
	}
	return err
}
