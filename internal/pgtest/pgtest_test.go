package pgtest

import (
	"context"
	"database/sql"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Two URLs name two databases of a real server: a table made in one is
// absent from the other.
func TestURLsAreSeparateDatabases(t *testing.T) {
	ctx := context.Background()
	open := func(u string) *sql.DB {
		db, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	u1, u2 := URL(t), URL(t)
	if u1 == u2 {
		t.Fatalf("two calls gave the same URL %s", u1)
	}
	a, b := open(u1), open(u2)
	if _, err := a.ExecContext(ctx, "CREATE TABLE only_in_a (x int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ExecContext(ctx, "INSERT INTO only_in_a VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.QueryRowContext(ctx, "SELECT count(*) FROM only_in_a").Scan(&n); err != nil || n != 1 {
		t.Fatalf("count in the first database: %d, %v", n, err)
	}
	var reg sql.NullString
	if err := b.QueryRowContext(ctx, "SELECT to_regclass('only_in_a')::text").Scan(&reg); err != nil {
		t.Fatal(err)
	}
	if reg.Valid {
		t.Fatalf("table only_in_a is visible in the second database (%s)", u2)
	}
	// Tests that run many processes at once need room for their connections.
	var max string
	if err := b.QueryRowContext(ctx, "SHOW max_connections").Scan(&max); err != nil {
		t.Fatal(err)
	}
	if os.Getenv(envURL) == "" && max != "200" {
		t.Errorf("max_connections = %s, want 200", max)
	}
}
