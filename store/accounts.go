package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scoring"
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
	// Tier is the tier the account works at ("" for none): a scenario
	// assigned to the tier is assigned to it.
	Tier string
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
	// SetTier puts an account in a tier ("" for none).
	SetTier(ctx context.Context, name, tier string) error
	// Assign gives an account a scenario to practise at a tier, with a
	// pass mark and k (again: the new pass mark and k replace the old);
	// Unassign takes it back; Assignments lists an account's, its own
	// and its tier's, oldest first.
	Assign(ctx context.Context, name string, a Assignment) error
	Unassign(ctx context.Context, name, scenario, tier string) error
	Assignments(ctx context.Context, name string) ([]Assignment, error)
	// AssignTier gives a scenario to every account of a.Tier, at that
	// tier; UnassignTier takes it back; TierAssignments lists them.
	AssignTier(ctx context.Context, a Assignment) error
	UnassignTier(ctx context.Context, scenario, tier string) error
	TierAssignments(ctx context.Context) ([]Assignment, error)
	// Goals are every account's own assignments and every trainee's
	// tier's, as readiness measures them.
	Goals(ctx context.Context) ([]scoring.Goal, error)
	// SaveGrades stores a trainer's hand grading of a stored attempt,
	// part by part, replacing their earlier grading of it; Grades lists
	// the gradings of an attempt (of every attempt when ref is "").
	SaveGrades(ctx context.Context, ref, trainer string, grades []Grade) error
	Grades(ctx context.Context, ref string) ([]Grade, error)
}

// An Assignment is a scenario a trainer gave a trainee (or a whole tier)
// to practise, and what passing means: a resolved attempt scoring at
// least PassMark, K times in a row. WholeTier marks an account's
// assignment that comes from its tier.
type Assignment struct {
	Scenario, Tier, CreatedAt string
	PassMark, K               int
	WholeTier                 bool
}

// A Grade is a trainer's score of one part of a stored attempt, with a
// comment.
type Grade struct {
	Attempt    string // the attempt's ref
	Trainer    string
	Part       string
	Score, Max int
	Comment    string
	CreatedAt  string
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

const userColumns = `id, name, role, password_hash, created_at, tier`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var role string
	err := row.Scan(&u.ID, &u.Name, &role, &u.PasswordHash, &u.CreatedAt, &u.Tier)
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
	err := row.Scan(&ws.User.ID, &ws.User.Name, &role, &ws.User.PasswordHash, &ws.User.CreatedAt, &ws.User.Tier, &ws.CSRF, &expires)
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

// normal fills in an assignment's default pass mark and k.
func (a Assignment) normal() Assignment {
	if a.PassMark <= 0 {
		a.PassMark = scoring.DefaultPassMark
	}
	if a.K <= 0 {
		a.K = 3
	}
	return a
}

func (s *sqlStore) SetTier(ctx context.Context, name, tier string) error {
	return s.exactlyOne(ctx, name, `UPDATE users SET tier = ? WHERE name = ?`, tier, name)
}

func (s *sqlStore) Assign(ctx context.Context, name string, a Assignment) error {
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	a = a.normal()
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO assignments (user_id, scenario, tier, created_at, pass_mark, k) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, scenario, tier) DO UPDATE SET pass_mark = excluded.pass_mark, k = excluded.k`), u.ID, a.Scenario, a.Tier, now(), a.PassMark, a.K)
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
	u, err := s.User(ctx, name)
	if err != nil {
		return nil, err
	}
	own, err := s.assignments(ctx, `SELECT scenario, tier, created_at, pass_mark, k FROM assignments WHERE user_id = ?`, u.ID)
	if err != nil {
		return nil, err
	}
	var tier []Assignment
	if u.Tier != "" {
		if tier, err = s.assignments(ctx, `SELECT scenario, tier, created_at, pass_mark, k FROM tier_assignments WHERE tier = ?`, u.Tier); err != nil {
			return nil, err
		}
	}
	return mergeAssignments(own, tier), nil
}

// mergeAssignments is an account's own assignments and its tier's (those
// it does not have itself), oldest first.
func mergeAssignments(own, tier []Assignment) []Assignment {
	out := slices.Clone(own)
	for _, t := range tier {
		if !slices.ContainsFunc(own, func(a Assignment) bool { return a.Scenario == t.Scenario && a.Tier == t.Tier }) {
			t.WholeTier = true
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Assignment) int {
		return cmp.Or(cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Tier, b.Tier))
	})
	return out
}

func (s *sqlStore) assignments(ctx context.Context, query string, args ...any) ([]Assignment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		var a Assignment
		if err := rows.Scan(&a.Scenario, &a.Tier, &a.CreatedAt, &a.PassMark, &a.K); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *sqlStore) AssignTier(ctx context.Context, a Assignment) error {
	a = a.normal()
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO tier_assignments (scenario, tier, pass_mark, k, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (scenario, tier) DO UPDATE SET pass_mark = excluded.pass_mark, k = excluded.k`), a.Scenario, a.Tier, a.PassMark, a.K, now())
	return err
}

func (s *sqlStore) UnassignTier(ctx context.Context, scenario, tier string) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM tier_assignments WHERE scenario = ? AND tier = ?`), scenario, tier)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("tier %s has no assignment of %s", tier, scenario)
	}
	return nil
}

func (s *sqlStore) TierAssignments(ctx context.Context) ([]Assignment, error) {
	out, err := s.assignments(ctx, `SELECT scenario, tier, created_at, pass_mark, k FROM tier_assignments ORDER BY created_at, scenario, tier`)
	for i := range out {
		out[i].WholeTier = true
	}
	return out, err
}

func (s *sqlStore) Goals(ctx context.Context) ([]scoring.Goal, error) {
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	var goals []scoring.Goal
	for _, u := range users {
		as, err := s.Assignments(ctx, u.Name)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if a.WholeTier && u.Role != Trainee {
				continue // a tier's scenarios are its trainees'
			}
			goals = append(goals, scoring.Goal{Trainee: u.Name, Scenario: a.Scenario, Tier: playbooks.TierName(a.Tier), PassMark: a.PassMark, K: a.K})
		}
	}
	return goals, nil
}

func (s *sqlStore) SaveGrades(ctx context.Context, ref, trainer string, grades []Grade) error {
	id, err := s.parseRef(ref)
	if err != nil {
		return err
	}
	u, err := s.User(ctx, trainer)
	if err != nil {
		return err
	}
	defer s.writing()()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM attempts WHERE id = ?`), id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", s.attemptName(id), ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM grades WHERE attempt_id = ? AND user_id = ?`), id, u.ID); err != nil {
		return err
	}
	at := now()
	for _, g := range grades {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO grades (attempt_id, user_id, part, score, max_score, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			id, u.ID, g.Part, g.Score, g.Max, g.Comment, at); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *sqlStore) Grades(ctx context.Context, ref string) ([]Grade, error) {
	query := `SELECT g.attempt_id, u.name, g.part, g.score, g.max_score, g.comment, g.created_at
		FROM grades g JOIN users u ON u.id = g.user_id`
	var args []any
	if ref != "" {
		id, err := s.parseRef(ref)
		if err != nil {
			return nil, err
		}
		query += ` WHERE g.attempt_id = ?`
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+` ORDER BY g.attempt_id, u.name, g.part`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grade
	for rows.Next() {
		var g Grade
		var id int64
		if err := rows.Scan(&id, &g.Trainer, &g.Part, &g.Score, &g.Max, &g.Comment, &g.CreatedAt); err != nil {
			return nil, err
		}
		g.Attempt = strconv.FormatInt(id, 10)
		out = append(out, g)
	}
	return out, rows.Err()
}
