package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/playbooks"

	"modernc.org/sqlite" // pure Go
)

// busyRetry opens SQLite connections, trying again while the database is
// busy in a way the busy timeout does not cover: a connection opened while
// another process checkpoints or resets the WAL gets SQLITE_BUSY at once.
type busyRetry struct {
	dsn string
	d   *sqlite.Driver
}

func (c busyRetry) Connect(ctx context.Context) (driver.Conn, error) {
	var conn driver.Conn
	err := retryBusy(ctx, func() (err error) {
		conn, err = c.d.Open(c.dsn)
		return err
	})
	return conn, err
}

func (c busyRetry) Driver() driver.Driver { return c.d }

// retryBusy runs op again while it fails with SQLITE_BUSY, for up to the
// busy timeout.
func retryBusy(ctx context.Context, op func() error) error {
	deadline := time.Now().Add(busyTimeout * time.Millisecond)
	wait := 2 * time.Millisecond
	for {
		err := op()
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// isBusy says an error is SQLite's "database is locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == 5 // SQLITE_BUSY, with any extended code
	}
	return strings.Contains(err.Error(), "SQLITE_BUSY")
}

// sqliteDialect is an embedded SQLite file in WAL mode: several processes
// on one machine may write it at once (each waits its turn, up to the busy
// timeout). WAL needs a local file system: a team on many machines uses
// PostgreSQL.
type sqliteDialect struct {
	path  string
	locks string // the directory of the session lock files
}

func (sqliteDialect) kind() string         { return "sqlite" }
func (sqliteDialect) bind(q string) string { return q }

// busyTimeout is how long a writer waits for another to finish.
const busyTimeout = 30000 // ms

func openSQLite(ctx context.Context, path string, opts Options) (Store, error) {
	name := "sqlite:" + filepath.ToSlash(path)
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a SQLite file (for attempt files use dir:%s)", name, filepath.ToSlash(path))
	case errors.Is(err, fs.ErrNotExist) && !opts.Create:
		return nil, fmt.Errorf("%s: no such store (casebook store migrate --store %s creates it)", name, name)
	case errors.Is(err, fs.ErrNotExist):
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
		}
	case err != nil:
		return nil, err
	}
	if !opts.Create {
		// A command that only reads opens casebook's stores only: another
		// program's database (or an empty file) is left as it is, not
		// turned into a store.
		if err := probeSQLite(ctx, path, name); err != nil {
			return nil, err
		}
	}
	// Every connection: WAL, a busy timeout, foreign keys, a full sync at
	// each commit (a move is durable before the next), and transactions
	// that take the write lock at once (no upgrade deadlocks).
	q := url.Values{}
	syncMode := "synchronous(FULL)"
	if opts.Bulk {
		syncMode = "synchronous(NORMAL)"
	}
	for _, p := range []string{"busy_timeout(" + strconv.Itoa(busyTimeout) + ")", "journal_mode(WAL)", syncMode, "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db := sql.OpenDB(busyRetry{dsn: dsn, d: &sqlite.Driver{}})
	d := sqliteDialect{path: path, locks: path + ".sessions"}
	s := &sqlStore{db: db, d: d, name: name, writeMu: &sync.Mutex{}}
	if err := retryBusy(ctx, func() error { return db.PingContext(ctx) }); err != nil {
		db.Close()
		return nil, sqliteOpenError(name, err)
	}
	var mode string
	if err := retryBusy(ctx, func() error { return db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: not a SQLite database (%v)", name, err)
	}
	noLock := func(context.Context, *sql.Tx) error { return nil } // the immediate transaction is the lock
	if err := retryBusy(ctx, func() error { return migrate(ctx, db, d, name, noLock, opts) }); err != nil {
		db.Close()
		return nil, sqliteOpenError(name, err)
	}
	return s, nil
}

// sqliteOpenError says why a SQLite file cannot be a store.
func sqliteOpenError(name string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a database"):
		return fmt.Errorf("%s: not a SQLite database (the file was left as it is)", name)
	case strings.Contains(msg, "readonly database"), strings.Contains(msg, "unable to open"):
		return fmt.Errorf("%s: cannot write the database or beside it (SQLite keeps its write-ahead log in two files next to the database, so its directory must be writable too): %v", name, err)
	case strings.HasPrefix(msg, name):
		return err
	}
	return fmt.Errorf("%s: %v", name, err)
}

// probeSQLite checks, reading only, that a file is one of casebook's
// stores.
func probeSQLite(ctx context.Context, path, name string) error {
	if info, err := os.Stat(path); err == nil && info.Size() == 0 {
		return fmt.Errorf("%s is empty, not a casebook store (casebook store migrate --store %s makes it one)", name, name)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout("+strconv.Itoa(busyTimeout)+")")
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	err = retryBusy(ctx, func() error {
		return db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'casebook_schema'`).Scan(&n)
	})
	switch {
	case err != nil && strings.Contains(err.Error(), "not a database"):
		return fmt.Errorf("%s: not a SQLite database (the file was left as it is)", name)
	case err != nil:
		return sqliteOpenError(name, err)
	case n == 0:
		return fmt.Errorf("%s is a SQLite database but no casebook store; it was left as it is (casebook store migrate --store %s would add casebook's tables to it)", name, name)
	}
	return nil
}

// lock takes the attempt's lock file, held (flock) while the session is
// open: a killed process's lock goes with it. The file is removed when the
// lock is released; a lock taken on a file that was removed meanwhile is
// taken again on the new one.
func (d sqliteDialect) lock(ctx context.Context, conn *sql.Conn, q querier, ref string, id int64) (func(), error) {
	if err := os.MkdirAll(d.locks, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(d.locks, strconv.FormatInt(id, 10)+".lock")
	for range 100 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		held, err := playbooks.TryLock(f)
		if err != nil || !held {
			pid := readPID(f)
			f.Close()
			if err != nil {
				return nil, err
			}
			return nil, &BusyError{Ref: ref, PID: pid}
		}
		// The holder before may have removed the file after this process
		// opened it: then this lock guards nothing, and the new file is
		// tried.
		a, errA := f.Stat()
		b, errB := os.Stat(path)
		if errA != nil || errB != nil || !os.SameFile(a, b) {
			f.Close()
			continue
		}
		f.Truncate(0)
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		return func() {
			os.Remove(path)
			f.Close()
		}, nil
	}
	return nil, &BusyError{Ref: ref}
}

func readPID(f *os.File) int {
	buf := make([]byte, 20)
	n, _ := f.ReadAt(buf, 0)
	pid, _ := strconv.Atoi(string(trimNL(buf[:n])))
	return pid
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	return b
}
