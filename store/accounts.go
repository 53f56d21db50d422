package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A Role is what an account may do in casebook serve.
type Role string

const (
	// Trainee accounts practise and see their own attempts.
	Trainee Role = "trainee"
	// Trainer accounts see every attempt and the dashboard.
	Trainer Role = "trainer"
)

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case Trainee, Trainer:
		return Role(s), nil
	}
	return "", fmt.Errorf("unknown role %q (trainee or trainer)", s)
}

// A User is an account of casebook serve.
type User struct {
	ID           int64
	Name         string
	Role         Role
	PasswordHash string
	CreatedAt    string
}

// A WebSession is a signed-in browser.
type WebSession struct {
	User    User
	CSRF    string
	Expires time.Time
}

// ErrExists refuses a second account of one name.
var ErrExists = errors.New("exists already")

// ErrNoUser is returned for an account the store does not hold.
var ErrNoUser = errors.New("no such account")

// Accounts is what casebook serve keeps of its users: the database
// stores have it.
type Accounts interface {
	AddUser(ctx context.Context, name string, role Role, passwordHash string) error
	User(ctx context.Context, name string) (User, error)
	Users(ctx context.Context) ([]User, error)
	RemoveUser(ctx context.Context, name string) error
	SetPassword(ctx context.Context, name, passwordHash string) error
	// CreateWebSession stores a signed-in browser by the hash of its
	// token; WebSession finds it (ErrNoUser once it expired or was
	// ended) and DeleteWebSession ends it.
	CreateWebSession(ctx context.Context, tokenHash string, user int64, csrf string, expires time.Time) error
	WebSession(ctx context.Context, tokenHash string, now time.Time) (WebSession, error)
	DeleteWebSession(ctx context.Context, tokenHash string) error
	// Assign gives an account a scenario to practise at a tier (again:
	// nothing changes); Unassign takes it back; Assignments lists an
	// account's, oldest first.
	Assign(ctx context.Context, name, scenario, tier string) error
	Unassign(ctx context.Context, name, scenario, tier string) error
	Assignments(ctx context.Context, name string) ([]Assignment, error)
}

// An Assignment is a scenario a trainer gave a trainee to practise.
type Assignment struct {
	Scenario, Tier, CreatedAt string
}

func (s *sqlStore) AddUser(ctx context.Context, name string, role Role, hash string) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`),
		name, string(role), hash, now())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("account %q: %w", name, ErrExists)
	}
	return nil
}

const userColumns = `id, name, role, password_hash, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var role string
	err := row.Scan(&u.ID, &u.Name, &role, &u.PasswordHash, &u.CreatedAt)
	u.Role = Role(role)
	return u, err
}

func (s *sqlStore) User(ctx context.Context, name string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("account %q: %w", name, ErrNoUser)
	}
	return u, err
}

func (s *sqlStore) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *sqlStore) RemoveUser(ctx context.Context, name string) error {
	return s.exactlyOne(ctx, name, `DELETE FROM users WHERE name = ?`, name)
}

func (s *sqlStore) SetPassword(ctx context.Context, name, hash string) error {
	if err := s.exactlyOne(ctx, name, `UPDATE users SET password_hash = ? WHERE name = ?`, hash, name); err != nil {
		return err
	}
	// A new password ends every session signed in with the old one.
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM users WHERE name = ?)`), name)
	return err
}

// exactlyOne runs a statement that must change the one account's row.
func (s *sqlStore) exactlyOne(ctx context.Context, name, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("account %q: %w", name, ErrNoUser)
	}
	return err
}

func (s *sqlStore) CreateWebSession(ctx context.Context, tokenHash string, user int64, csrf string, expires time.Time) error {
	// The account's expired sessions go first: the table does not grow.
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM web_sessions WHERE user_id = ? AND expires_at < ?`), user, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO web_sessions (token_hash, user_id, csrf, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`),
		tokenHash, user, csrf, expires.UTC().Format(time.RFC3339Nano), now())
	return err
}

func (s *sqlStore) WebSession(ctx context.Context, tokenHash string, at time.Time) (WebSession, error) {
	var ws WebSession
	var expires string
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+prefixed("u.", userColumns)+`, w.csrf, w.expires_at
		FROM web_sessions w JOIN users u ON u.id = w.user_id WHERE w.token_hash = ?`), tokenHash)
	var role string
	err := row.Scan(&ws.User.ID, &ws.User.Name, &role, &ws.User.PasswordHash, &ws.User.CreatedAt, &ws.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return WebSession{}, ErrNoUser
	}
	if err != nil {
		return WebSession{}, err
	}
	ws.User.Role = Role(role)
	if ws.Expires, err = time.Parse(time.RFC3339Nano, expires); err != nil || !at.Before(ws.Expires) {
		s.DeleteWebSession(ctx, tokenHash)
		return WebSession{}, ErrNoUser
	}
	return ws, nil
}

func (s *sqlStore) DeleteWebSession(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM web_sessions WHERE token_hash = ?`), tokenHash)
	return err
}

// prefixed puts a table's alias before each of a list of columns.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, p := range parts {
		parts[i] = alias + p
	}
	return strings.Join(parts, ", ")
}

func (s *sqlStore) Assign(ctx context.Context, name, scenario, tier string) error {
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO assignments (user_id, scenario, tier, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, scenario, tier) DO NOTHING`), u.ID, scenario, tier, now())
	return err
}

func (s *sqlStore) Unassign(ctx context.Context, name, scenario, tier string) error {
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM assignments WHERE user_id = ? AND scenario = ? AND tier = ?`), u.ID, scenario, tier)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%s has no assignment of %s at tier %s", name, scenario, tier)
	}
	return nil
}

func (s *sqlStore) Assignments(ctx context.Context, name string) ([]Assignment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a.scenario, a.tier, a.created_at FROM assignments a
		JOIN users u ON u.id = a.user_id WHERE u.name = ? ORDER BY a.created_at, a.scenario, a.tier`), name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		var a Assignment
		if err := rows.Scan(&a.Scenario, &a.Tier, &a.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
