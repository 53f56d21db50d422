package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/pgtest"
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// backEnds gives each back end a fresh store URL.
var backEnds = []struct {
	kind string
	url  func(t *testing.T) string
}{
	{"dir", func(t *testing.T) string { return "dir:" + filepath.Join(t.TempDir(), "attempts") }},
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "casebook.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.URL(t) }},
}

// forEach runs the contract on every back end, each on a fresh store.
func forEach(t *testing.T, contract func(t *testing.T, open func() Store)) {
	for _, be := range backEnds {
		t.Run(be.kind, func(t *testing.T) {
			url := be.url(t)
			contract(t, func() Store {
				s, err := Open(context.Background(), url, Options{Create: true})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if s.Kind() != be.kind {
					t.Fatalf("%s opened as %s", url, s.Kind())
				}
				return s
			})
		})
	}
}

var golden = []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding",
	"probe:certificate", "dns:cname_target", "escalate:L2"}

func library(t testing.TB) *scenarios.Library {
	t.Helper()
	files, fs, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		t.Fatal(err, fs)
	}
	return scenarios.Load(playbooks.Load(files))
}

// live plays moves as train does, appending each to the session, and
// returns the live session's scorecard as JSON.
func live(t *testing.T, st Store, moves []string) (Session, string) {
	t.Helper()
	sl := library(t)
	sc := sl.Find("https-proxy-cname")
	p := sl.Playbook(sc)
	ss, err := simulator.New(p, sc, "L1", simulator.ModePractice, 7)
	if err != nil {
		t.Fatal(err)
	}
	h := simulator.AttemptHeader{Casebook: simulator.AttemptKind, Scenario: sc.ID, Playbook: p.ID, PlaybookVersion: p.Version,
		Tier: "L1", Mode: simulator.ModePractice, Seed: 7, Trainee: "ana", StartedAt: time.Now().UTC().Format(time.RFC3339Nano), Rules: ss.Rules()}
	ses, err := st.Create(context.Background(), h, Local, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range moves {
		turns, err := ss.Play(m)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if err := ses.Append(m, time.Now(), turns, ss.Over()); err != nil {
			t.Fatal(err)
		}
	}
	return ses, jsonOf(t, scoring.Score(scoring.FromSession(ss, "ana", scoring.SourceAttempt)))
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// rescored scores a stored attempt read back, as replay does.
func rescored(t *testing.T, a *simulator.Attempt) string {
	t.Helper()
	sl := library(t)
	sc := sl.Find(a.Header.Scenario)
	card, _, err := scoring.ScoreAttempt(a, sc, sl.Playbook(sc), scoring.AttemptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return jsonOf(t, card)
}

func TestContractMovesComeBackAndScoreTheSame(t *testing.T) {
	forEach(t, func(t *testing.T, open func() Store) {
		st := open()
		ses, want := live(t, st, golden)
		ref := ses.Ref()
		if ref == "" || ses.Moves() != len(golden) {
			t.Fatalf("after %d moves: ref %q, %d moves", len(golden), ref, ses.Moves())
		}
		ses.Close()
		a, err := st.Read(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Moves) != len(golden) || a.Header.Trainee != "ana" || a.Header.Rules != simulator.CurrentRules {
			t.Fatalf("read back %d moves, header %+v", len(a.Moves), a.Header)
		}
		for i, m := range a.Moves {
			if m.N != i+1 || m.Move != golden[i] || len(m.Turns) == 0 {
				t.Fatalf("move %d read back as %+v", i+1, m)
			}
		}
		if got := rescored(t, a); got != want {
			t.Fatalf("scorecard of the stored moves differs from the live one:\n%s\n%s", got, want)
		}
	})
}

func TestContractNoMoveStoresNothing(t *testing.T) {
	forEach(t, func(t *testing.T, open func() Store) {
		st := open()
		ses, _ := live(t, st, nil)
		if ses.Ref() != "" {
			t.Fatalf("a session with no move has ref %q", ses.Ref())
		}
		ses.Close()
		if sc, ok := st.(Scored); ok {
			n := 0
			sc.Attempts(context.Background(), Filter{}, func(Info) bool { n++; return true })
			if n != 0 {
				t.Fatalf("%d attempts stored for a session with no move", n)
			}
		} else if entries, _ := os.ReadDir(Dir(st)); len(entries) != 0 {
			t.Fatalf("files left for a session with no move: %v", entries)
		}
	})
}

func TestContractOneSessionPerAttempt(t *testing.T) {
	forEach(t, func(t *testing.T, open func() Store) {
		st := open()
		ses, _ := live(t, st, golden[:2])
		ref := ses.Ref()
		// Another store handle stands for another process.
		other := open()
		var busy *BusyError
		if _, _, err := other.Open(context.Background(), ref); !errors.As(err, &busy) {
			t.Fatalf("a second session on a new attempt: %v, want BusyError", err)
		}
		ses.Close()
		again, a, err := other.Open(context.Background(), ref)
		if err != nil {
			t.Fatalf("after the first session closed: %v", err)
		}
		if again.Moves() != 2 || len(a.Moves) != 2 {
			t.Fatalf("resumed with %d moves (%d read)", again.Moves(), len(a.Moves))
		}
		if _, _, err := st.Open(context.Background(), ref); !errors.As(err, &busy) {
			t.Fatalf("a second session on a resumed attempt: %v, want BusyError", err)
		}
		// The resumed session goes on where the first stopped.
		sl := library(t)
		sc := sl.Find("https-proxy-cname")
		ss, err := simulator.Resume(a, sl.Playbook(sc), sc, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range golden[2:] {
			turns, err := ss.Play(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := again.Append(m, time.Now(), turns, ss.Over()); err != nil {
				t.Fatal(err)
			}
		}
		again.Close()
		whole, err := st.Read(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(whole.Moves) != len(golden) {
			t.Fatalf("%d moves after resuming, want %d", len(whole.Moves), len(golden))
		}
		_, want := live(t, open(), golden)
		if got := rescored(t, whole); got != want {
			t.Fatalf("resumed attempt scores differently:\n%s\n%s", got, want)
		}
	})
}

func TestContractUnknownAttempt(t *testing.T) {
	forEach(t, func(t *testing.T, open func() Store) {
		st := open()
		ref := "999"
		if st.Kind() == "dir" {
			ref = filepath.Join(Dir(st), "none.attempt")
		}
		if _, err := st.Read(context.Background(), ref); err == nil {
			t.Fatal("read an attempt the store does not hold")
		}
		if _, _, err := st.Open(context.Background(), ref); err == nil {
			t.Fatal("opened an attempt the store does not hold")
		}
	})
}

// forSQL runs a contract on the database back ends.
func forSQL(t *testing.T, contract func(t *testing.T, url string, open func() Scored)) {
	for _, be := range backEnds[1:] {
		t.Run(be.kind, func(t *testing.T) {
			url := be.url(t)
			contract(t, url, func() Scored {
				s, err := Open(context.Background(), url, Options{Create: true})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s.(Scored)
			})
		})
	}
}

func TestContractImportIsIdempotent(t *testing.T) {
	forSQL(t, func(t *testing.T, url string, open func() Scored) {
		// The attempt comes from a file, as store import reads it.
		files, err := Open(context.Background(), "dir:"+t.TempDir(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		ses, _ := live(t, files, golden[:3])
		ses.Close()
		a, err := files.Read(context.Background(), ses.Ref())
		if err != nil {
			t.Fatal(err)
		}
		target := open()
		// Only the first three moves, then the whole attempt.
		part := *a
		r, ref, err := target.Import(context.Background(), &part, false, "a.attempt")
		if err != nil || r != Added {
			t.Fatalf("import: %v %v, want added", r, err)
		}
		r2, ref2, err := target.Import(context.Background(), &part, false, "a.attempt")
		if err != nil || r2 != Unchanged || ref2 != ref {
			t.Fatalf("second import: %v %q %v, want unchanged %q", r2, ref2, err, ref)
		}
		more := part
		more.Moves = append(append([]simulator.AttemptMove{}, part.Moves...), simulator.AttemptMove{N: 4, Move: golden[3]})
		if r, _, err := target.Import(context.Background(), &more, false, "a.attempt"); err != nil || r != Extended {
			t.Fatalf("import of the attempt gone on: %v %v, want extended", r, err)
		}
		other := part
		other.Moves = []simulator.AttemptMove{{N: 1, Move: "close"}}
		if _, _, err := target.Import(context.Background(), &other, true, "b.attempt"); err == nil {
			t.Fatal("imported other moves over a stored attempt")
		}
		var infos []Info
		target.Attempts(context.Background(), Filter{Origins: []Origin{SelfReported}}, func(i Info) bool { infos = append(infos, i); return true })
		if len(infos) != 1 || infos[0].Moves != 4 || infos[0].Source != "a.attempt" {
			t.Fatalf("after the imports the store holds %+v", infos)
		}
	})
}

func TestContractSummariesCountAsTheScorecards(t *testing.T) {
	forSQL(t, func(t *testing.T, url string, open func() Scored) {
		st := open()
		sl := library(t)
		sc := sl.Find("https-proxy-cname")
		p := sl.Playbook(sc)
		want := scoring.NewAggregator(3, 3)
		for _, moves := range [][]string{golden, golden[:4], append(append([]string{}, golden[:2]...), "close")} {
			ses, _ := live(t, st, moves)
			ses.Close()
			a, err := st.Read(context.Background(), ses.Ref())
			if err != nil {
				t.Fatal(err)
			}
			brief, complete, err := scoring.ScoreAttempt(a, sc, p, scoring.AttemptOptions{ForReport: true})
			if err != nil {
				t.Fatal(err)
			}
			if !complete {
				continue
			}
			full, _, err := scoring.ScoreAttempt(a, sc, p, scoring.AttemptOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var card bytes.Buffer
			enc := json.NewEncoder(&card)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			enc.Encode(full)
			if err := st.SaveScorecard(context.Background(), ses.Ref(), len(a.Moves), card.Bytes(), brief); err != nil {
				t.Fatal(err)
			}
			kept, moves, err := st.Card(context.Background(), ses.Ref())
			if err != nil || moves != len(a.Moves) || !bytes.Equal(kept, card.Bytes()) {
				t.Fatalf("the stored scorecard (of %d moves, %v) reads back as\n%s\nnot\n%s", moves, err, kept, card.Bytes())
			}
			want.Add(scoring.Entry{Card: brief, StartedAt: a.Header.StartedAt, File: Name(st, ses.Ref())})
		}
		got := scoring.NewAggregator(3, 3)
		aggs := []*scoring.Aggregator{got, scoring.NewAggregator(3, 3)}
		if err := st.Summaries(context.Background(), Filter{}, 2, func(w int, sm *Summary) error {
			aggs[w].Add(scoring.Entry{Card: sm.Card, StartedAt: sm.StartedAt, File: sm.File})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		got.Merge(aggs[1])
		if g, w := jsonOf(t, got.Report()), jsonOf(t, want.Report()); g != w {
			t.Fatalf("report from summaries:\n%s\nfrom scorecards:\n%s", g, w)
		}
		n := 0
		st.Summaries(context.Background(), Filter{Origins: []Origin{Supervised}}, 1, func(int, *Summary) error { n++; return nil })
		if n != 0 {
			t.Fatalf("%d summaries of supervised attempts, none stored", n)
		}
		for trainee, want := range map[string]int{"ana": 2, "nobody": 0} {
			n = 0
			st.Summaries(context.Background(), Filter{Trainee: trainee}, 1, func(int, *Summary) error { n++; return nil })
			if n != want {
				t.Errorf("%d summaries of %s's attempts, want %d", n, trainee, want)
			}
		}
	})
}

func TestContractNewerSchemaIsRefused(t *testing.T) {
	forSQL(t, func(t *testing.T, url string, open func() Scored) {
		st := open()
		ses, _ := live(t, st, golden[:1])
		ses.Close()
		have, want, err := st.Schema(context.Background())
		if err != nil || have != want || want != Known() {
			t.Fatalf("schema %d of %d (%v)", have, want, err)
		}
		db := st.(*sqlStore).db
		if _, err := db.Exec(st.(*sqlStore).q(`INSERT INTO casebook_schema (version, name, applied_at) VALUES (?, 'future', 'now')`), want+1); err != nil {
			t.Fatal(err)
		}
		_, err = Open(context.Background(), url, Options{})
		var newer *NewerSchemaError
		if !errors.As(err, &newer) || newer.Have != want+1 {
			t.Fatalf("opening a newer schema: %v", err)
		}
		if _, err := st.Read(context.Background(), ses.Ref()); err != nil {
			t.Fatalf("the store changed after the refusal: %v", err)
		}
	})
}

func TestContractAnOlderSchemaIsMigratedKeepingItsAttempts(t *testing.T) {
	forSQL(t, func(t *testing.T, url string, open func() Scored) {
		old, err := Open(context.Background(), url, Options{Create: true, upTo: 1})
		if err != nil {
			t.Fatal(err)
		}
		ses, want := live(t, old, golden)
		ses.Close()
		if have, _, _ := old.(Scored).Schema(context.Background()); have != 1 {
			t.Fatalf("the old store has schema %d", have)
		}
		old.Close()
		var told [][2]int
		st, err := Open(context.Background(), url, Options{Migrated: func(from, to int) { told = append(told, [2]int{from, to}) }})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if len(told) != 1 || told[0] != [2]int{1, Known()} {
			t.Fatalf("told %v, want one migration from 1 to %d", told, Known())
		}
		a, err := st.Read(context.Background(), ses.Ref())
		if err != nil {
			t.Fatal(err)
		}
		if got := rescored(t, a); got != want {
			t.Fatalf("after migrating, the attempt scores differently:\n%s\n%s", got, want)
		}
		acc := st.(Accounts)
		if err := acc.AddUser(context.Background(), "ana", Trainee, "x"); err != nil {
			t.Fatalf("the accounts of schema 2 after migrating: %v", err)
		}
	})
}

func TestContractAccounts(t *testing.T) {
	forSQL(t, func(t *testing.T, url string, open func() Scored) {
		ctx := context.Background()
		acc := open().(Accounts)
		if err := acc.AddUser(ctx, "ana", Trainee, "h1"); err != nil {
			t.Fatal(err)
		}
		if err := acc.AddUser(ctx, "ana", Trainer, "h2"); !errors.Is(err, ErrExists) {
			t.Fatalf("a second ana: %v", err)
		}
		if err := acc.AddUser(ctx, "bo", "admin", "h"); err == nil {
			t.Fatal("added an account of an unknown role")
		}
		acc.AddUser(ctx, "cy", Trainer, "h3")
		u, err := acc.User(ctx, "ana")
		if err != nil || u.Role != Trainee || u.PasswordHash != "h1" {
			t.Fatalf("ana is %+v (%v)", u, err)
		}
		now := time.Now()
		if err := acc.CreateWebSession(ctx, "t1", u.ID, "c1", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		acc.CreateWebSession(ctx, "t2", u.ID, "c2", now.Add(-time.Second))
		if ws, err := acc.WebSession(ctx, "t1", now); err != nil || ws.User.Name != "ana" || ws.CSRF != "c1" {
			t.Fatalf("session t1: %+v (%v)", ws, err)
		}
		if _, err := acc.WebSession(ctx, "t2", now); !errors.Is(err, ErrNoUser) {
			t.Fatalf("an expired session: %v", err)
		}
		if err := acc.SetPassword(ctx, "ana", "h4"); err != nil {
			t.Fatal(err)
		}
		if _, err := acc.WebSession(ctx, "t1", now); !errors.Is(err, ErrNoUser) {
			t.Fatalf("a session after the password changed: %v", err)
		}
		if err := acc.RemoveUser(ctx, "nobody"); !errors.Is(err, ErrNoUser) {
			t.Fatalf("removing nobody: %v", err)
		}
		if err := acc.RemoveUser(ctx, "ana"); err != nil {
			t.Fatal(err)
		}
		users, err := acc.Users(ctx)
		if err != nil || len(users) != 1 || users[0].Name != "cy" {
			t.Fatalf("users %+v (%v)", users, err)
		}
		for _, mark := range []int{0, 90} {
			if err := acc.Assign(ctx, "cy", Assignment{Scenario: "https-proxy-cname", Tier: "L1", PassMark: mark}); err != nil {
				t.Fatal(err)
			}
		}
		acc.Assign(ctx, "cy", Assignment{Scenario: "https-proxy-cname", Tier: "L2"})
		if err := acc.Assign(ctx, "nobody", Assignment{Scenario: "https-proxy-cname", Tier: "L1"}); !errors.Is(err, ErrNoUser) {
			t.Fatalf("assigning to nobody: %v", err)
		}
		if as, err := acc.Assignments(ctx, "cy"); err != nil || len(as) != 2 {
			t.Fatalf("cy's assignments: %+v (%v)", as, err)
		}
		if err := acc.Unassign(ctx, "cy", "https-proxy-cname", "L2"); err != nil {
			t.Fatal(err)
		}
		if err := acc.Unassign(ctx, "cy", "https-proxy-cname", "L2"); err == nil {
			t.Fatal("took back an assignment twice")
		}
		if as, _ := acc.Assignments(ctx, "cy"); len(as) != 1 || as[0].Tier != "L1" || as[0].PassMark != 90 || as[0].K != 3 {
			t.Fatalf("cy's assignments after one is taken back: %+v", as)
		}

		// A scenario assigned to a tier is assigned to its accounts.
		if err := acc.AssignTier(ctx, Assignment{Scenario: "sdk-crash", Tier: "L2", PassMark: 70, K: 2}); err != nil {
			t.Fatal(err)
		}
		if err := acc.SetTier(ctx, "cy", "L2"); err != nil {
			t.Fatal(err)
		}
		if err := acc.SetTier(ctx, "nobody", "L2"); !errors.Is(err, ErrNoUser) {
			t.Fatalf("a tier for nobody: %v", err)
		}
		if u, _ := acc.User(ctx, "cy"); u.Tier != "L2" {
			t.Fatalf("cy's tier is %q", u.Tier)
		}
		as, _ := acc.Assignments(ctx, "cy")
		if len(as) != 2 || !as[1].WholeTier || as[1].Scenario != "sdk-crash" || as[1].PassMark != 70 || as[1].K != 2 {
			t.Fatalf("cy's assignments with the tier's: %+v", as)
		}
		// Goals: cy's own (a trainer's tier's scenarios are its trainees'),
		// and ed's from the tier.
		if err := acc.AddUser(ctx, "ed", Trainee, "h5"); err != nil {
			t.Fatal(err)
		}
		acc.SetTier(ctx, "ed", "L2")
		goals, err := acc.Goals(ctx)
		if err != nil || len(goals) != 2 || goals[0].Trainee != "cy" || goals[0].PassMark != 90 || goals[1].Trainee != "ed" || goals[1].Scenario != "sdk-crash" || goals[1].PassMark != 70 {
			t.Fatalf("goals %+v (%v)", goals, err)
		}
		if ts, _ := acc.TierAssignments(ctx); len(ts) != 1 {
			t.Fatalf("tier assignments %+v", ts)
		}
		if err := acc.UnassignTier(ctx, "sdk-crash", "L2"); err != nil {
			t.Fatal(err)
		}
		if err := acc.UnassignTier(ctx, "sdk-crash", "L2"); err == nil {
			t.Fatal("took back a tier's assignment twice")
		}
	})
}

func TestContractGrades(t *testing.T) {
	forEach(t, func(t *testing.T, open func() Store) {
		s := open()
		acc, ok := s.(Accounts)
		if !ok {
			t.Skip("attempt files keep no accounts")
		}
		ctx := context.Background()
		ses, _ := live(t, s, golden)
		ref := ses.Ref()
		ses.Close()
		if err := acc.AddUser(ctx, "tom", Trainer, "h"); err != nil {
			t.Fatal(err)
		}
		grades := []Grade{{Part: "resolution", Score: 30, Max: 40, Comment: "closed <early>"}, {Part: "communication", Score: 10, Max: 10}}
		for range 2 { // again: replaces, does not add
			if err := acc.SaveGrades(ctx, ref, "tom", grades); err != nil {
				t.Fatal(err)
			}
		}
		got, err := acc.Grades(ctx, "")
		if err != nil || len(got) != 2 || got[0].Part != "communication" || got[1].Comment != "closed <early>" || got[1].Trainer != "tom" || got[1].Attempt != ref {
			t.Fatalf("grades %+v (%v)", got, err)
		}
		if one, err := acc.Grades(ctx, ref); err != nil || len(one) != 2 {
			t.Fatalf("the grades of %s: %+v (%v)", ref, one, err)
		}
		if none, err := acc.Grades(ctx, "999999"); err != nil || len(none) != 0 {
			t.Fatalf("the grades of an attempt nobody graded: %+v (%v)", none, err)
		}
		if err := acc.SaveGrades(ctx, "999999", "tom", grades); !errors.Is(err, ErrNotFound) {
			t.Fatalf("grading an attempt that is not stored: %v", err)
		}
		if err := acc.SaveGrades(ctx, ref, "nobody", grades); !errors.Is(err, ErrNoUser) {
			t.Fatalf("grades of nobody: %v", err)
		}
	})
}

func TestOpeningMigratesAndSays(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "sub", "c.db")
	if _, err := Open(context.Background(), url, Options{}); err == nil {
		t.Fatal("opened a store that does not exist without Create")
	}
	var told [][2]int
	s, err := Open(context.Background(), url, Options{Create: true, Migrated: func(from, to int) { told = append(told, [2]int{from, to}) }})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(told) != 1 || told[0] != [2]int{0, Known()} {
		t.Fatalf("told %v", told)
	}
	told = nil
	s, err = Open(context.Background(), url, Options{Migrated: func(from, to int) { told = append(told, [2]int{from, to}) }})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(told) != 0 {
		t.Fatalf("told %v on opening an up-to-date store", told)
	}
	// Not a database at all.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("hello, this is not sqlite at all, not even close........................................"), 0o644)
	if _, err := Open(context.Background(), "sqlite:"+junk, Options{}); err == nil {
		t.Fatal("opened a file that is not SQLite")
	}
}

func TestParse(t *testing.T) {
	for raw, want := range map[string]string{
		"attempts": "dir", "dir:x": "dir", "./a:b": "dir", "sqlite:x.db": "sqlite", "sqlite:///tmp/x.db": "sqlite",
		"postgres://u@h/db": "postgres", "postgresql://h/db": "postgres", "C:/x": "dir",
	} {
		if kind, _, err := Parse(raw); err != nil || kind != want {
			t.Errorf("Parse(%q) = %s, %v; want %s", raw, kind, err, want)
		}
	}
	for _, raw := range []string{"", "mysql://h/db", "sqlite:", "dir:", "redis:x"} {
		if _, _, err := Parse(raw); err == nil {
			t.Errorf("Parse(%q) accepted", raw)
		}
	}
	if got := Redact("postgres://u:secret@h/db"); got != "postgres://u:xxxxx@h/db" {
		t.Errorf("Redact = %s", got)
	}
}

func TestRedactAndScrub(t *testing.T) {
	for raw, want := range map[string]string{
		"postgres://u:SECRETPW@h/db":                  "postgres://u:xxxxx@h/db",
		"postgres://h/db?password=SECRETPW&sslmode=x": "postgres://h/db?password=xxxxx&sslmode=x",
		"postgres://u:SEC@RETPW@127.0.0.1:1/db":       "postgres://u:xxxxx@127.0.0.1:1/db",
		"POSTGRES://u:SECRETPW@h/db":                  "POSTGRES://u:xxxxx@h/db",
		"postgres://u:SECRETPW@127.0.0.1:abc/db":      "postgres://u:xxxxx@127.0.0.1:abc/db",
		"postgres://u:SECRETPW@[::1/db":               "postgres://u:xxxxx@[::1/db",
		"postgres://u@h/db":                           "postgres://u@h/db",
		"sqlite:team.db":                              "sqlite:team.db",
	} {
		if got := Redact(raw); got != want {
			t.Errorf("Redact(%q) = %q, want %q", raw, got, want)
		}
	}
	msg := Scrub("postgres://u:SEC@RETPW@127.0.0.1:1/db", "lookup RETPW@127.0.0.1: no such host; SEC@RETPW")
	if strings.Contains(msg, "RETPW") || strings.Contains(msg, "SEC@") {
		t.Errorf("Scrub left a piece of the password: %s", msg)
	}
	for _, raw := range []string{"host=127.0.0.1 port=1 password=SECRETPW", "POSTGRES://h/db"} {
		if kind, _, err := Parse(raw); raw[0] == 'h' && err == nil {
			t.Errorf("Parse(%q) took key=value settings as %s", raw, kind)
		} else if raw[0] == 'P' && (err != nil || kind != "postgres") {
			t.Errorf("Parse(%q) = %s, %v", raw, kind, err)
		}
	}
}
