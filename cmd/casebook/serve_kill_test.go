package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/pgtest"
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"golang.org/x/crypto/bcrypt"
)

// These tests run casebook serve as a process and play the golden path of
// https-proxy-cname at L1 over HTTP, as a browser does: a move is
// acknowledged by the 303 to /attempts/ID#now. They check what
// docs/store.md promises of the database stores, through the server: a
// move acknowledged to a browser is in the store (a SIGKILL loses at most
// the one in flight), sign-ins live in the store (they survive a restart
// and work on every server of one store), and a finished attempt's stored
// scorecard is the one replay gives.

const (
	servePassword = "a long password"
	serveScenario = "https-proxy-cname"
	serveTier     = "L1"
	servePoll     = 20 * time.Second // bounds every wait on a server
)

// A servedCasebook is a running casebook serve.
type servedCasebook struct {
	cmd    *exec.Cmd
	addr   string
	stderr *lockedBuffer
	exited chan struct{}
}

// freeAddr is a port of 127.0.0.1 that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startServe runs casebook serve on storeURL at addr (a free port when
// addr is "") and waits until /healthz answers 200. The process is killed
// when the test ends.
func startServe(t *testing.T, storeURL, addr string) *servedCasebook {
	t.Helper()
	for try := 1; ; try++ {
		a := addr
		if a == "" {
			a = freeAddr(t)
		}
		p := &servedCasebook{addr: a, stderr: &lockedBuffer{}, exited: make(chan struct{})}
		p.cmd = casebookProcess("serve", "--addr", a, "--store", storeURL)
		p.cmd.Stdout, p.cmd.Stderr = io.Discard, p.stderr
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.cmd.Wait(); close(p.exited) }()
		t.Cleanup(p.kill)
		err := p.waitHealthy()
		if err == nil {
			return p
		}
		p.kill()
		// Another program may have taken the free port meanwhile.
		if addr == "" && try < 3 && strings.Contains(p.stderr.String(), "address already in use") {
			continue
		}
		t.Fatalf("casebook serve --addr %s: %v\nstderr:\n%s", a, err, p.stderr.String())
	}
}

func (p *servedCasebook) base() string { return "http://" + p.addr }

// kill sends SIGKILL and waits for the process to be gone; a process gone
// already is left as it is.
func (p *servedCasebook) kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

func (p *servedCasebook) waitHealthy() error {
	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(servePoll)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			return fmt.Errorf("exited before it answered (%v)", p.cmd.ProcessState)
		default:
		}
		resp, err := c.Get(p.base() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("GET /healthz did not answer 200 within %v", servePoll)
}

// A webClient talks to servers as a browser does, without following
// redirects; the session cookie is sent by hand, so one sign-in works on
// every server (a cookie jar keeps cookies per host and port).
type webClient struct {
	c *http.Client
}

func newWebClient(t *testing.T) *webClient {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	return &webClient{c: &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// A netError is a request that got no response: the server is gone.
type netError struct{ err error }

func (e netError) Error() string { return e.err.Error() }

// do sends a request and returns the status, the Location, the body and
// the response's session cookie, if any.
func (w *webClient) do(method, base, path, cookie string, form url.Values) (int, string, string, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		return 0, "", "", "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", (&http.Cookie{Name: "casebook_session", Value: cookie}).String())
	}
	resp, err := w.c.Do(req)
	if err != nil {
		return 0, "", "", "", netError{err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", "", "", netError{err}
	}
	set := ""
	for _, c := range resp.Cookies() {
		if c.Name == "casebook_session" {
			set = c.Value
		}
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(data), set, nil
}

var (
	serveCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	serveSeed = regexp.MustCompile(`name="seed" value="(\d+)"`)
	serveN    = regexp.MustCompile(`name="n" value="(\d+)"`)
	serveNow  = regexp.MustCompile(`^/attempts/(\d+)#now$`)
)

// A servedTrainee is one browser playing the golden path.
type servedTrainee struct {
	name   string
	cookie string
	csrf   string
	seed   string // of the attempt's first page, until its first move
	ref    string // the attempt, once the server said it
	acked  []string
	ss     *simulator.Session // at the acknowledged moves
}

// serveLib is the library casebook serve loads (CASEBOOK_LIBRARY is empty
// for casebookProcess): the embedded one.
type serveLib struct {
	sc *scenarios.Scenario
	p  *playbooks.Playbook
}

func newServeLib(t *testing.T) serveLib {
	lib := fuzzLibrary(t)
	sc := lib.Scenarios.Find(serveScenario)
	if sc == nil {
		t.Fatalf("no scenario %s", serveScenario)
	}
	return serveLib{sc: sc, p: lib.Scenarios.Playbook(sc)}
}

// session is a simulator session of seed with the moves played.
func (l serveLib) session(seed uint64, moves []string) (*simulator.Session, error) {
	ss, err := simulator.New(l.p, l.sc, serveTier, simulator.ModePractice, seed)
	if err != nil {
		return nil, err
	}
	for _, m := range moves {
		if _, err := ss.Play(m); err != nil {
			return nil, err
		}
	}
	return ss, nil
}

// addTrainees makes accounts in the store (bcrypt's least cost: fast).
func addTrainees(t *testing.T, storeURL string, names []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), servePoll)
	defer cancel()
	st, err := store.Open(ctx, storeURL, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash, err := bcrypt.GenerateFromPassword([]byte(servePassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := st.(store.Accounts).AddUser(ctx, n, store.Trainee, string(hash)); err != nil {
			t.Fatal(err)
		}
	}
}

// signIn signs tr in through the server at base.
func (w *webClient) signIn(base string, tr *servedTrainee) error {
	code, loc, body, cookie, err := w.do("POST", base, "/login", "", url.Values{"name": {tr.name}, "password": {servePassword}})
	if err != nil {
		return err
	}
	if code != http.StatusSeeOther || loc != "/" || cookie == "" {
		return fmt.Errorf("sign-in of %s: %d %s\n%s", tr.name, code, loc, body)
	}
	tr.cookie = cookie
	return nil
}

// open starts tr's case: the first page, with its seed.
func (w *webClient) open(base string, lib serveLib, tr *servedTrainee) error {
	q := url.Values{"scenario": {serveScenario}, "tier": {serveTier}, "mode": {simulator.ModePractice}}
	code, _, page, _, err := w.do("GET", base, "/play?"+q.Encode(), tr.cookie, nil)
	if err != nil {
		return err
	}
	c, s := serveCSRF.FindStringSubmatch(page), serveSeed.FindStringSubmatch(page)
	if code != http.StatusOK || c == nil || s == nil {
		return fmt.Errorf("%s: GET /play: %d, no csrf or seed\n%s", tr.name, code, page)
	}
	seed, _ := strconv.ParseUint(s[1], 10, 64)
	ss, err := lib.session(seed, nil)
	if err != nil {
		return err
	}
	tr.csrf, tr.seed, tr.ss, tr.acked, tr.ref = c[1], s[1], ss, nil, ""
	return nil
}

// move plays mv through the server at base; nil means the server
// acknowledged it.
func (w *webClient) move(base string, tr *servedTrainee, mv string) error {
	i := slices.IndexFunc(tr.ss.Menu(), func(o simulator.Option) bool { return o.ID == mv })
	if i < 0 {
		return fmt.Errorf("%s: %s is not on the menu after %v", tr.name, mv, tr.acked)
	}
	form := url.Values{"csrf": {tr.csrf}, "n": {strconv.Itoa(len(tr.acked))}, "move": {strconv.Itoa(i)}}
	path := "/attempts/" + tr.ref + "/moves"
	if tr.ref == "" {
		path = "/play"
		form.Set("scenario", serveScenario)
		form.Set("tier", serveTier)
		form.Set("mode", simulator.ModePractice)
		form.Set("seed", tr.seed)
	}
	code, loc, body, _, err := w.do("POST", base, path, tr.cookie, form)
	if err != nil {
		return err
	}
	m := serveNow.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || m == nil || (tr.ref != "" && m[1] != tr.ref) {
		return fmt.Errorf("%s: move %d (%s) on %s: %d %q\n%s", tr.name, len(tr.acked)+1, mv, base, code, loc, body)
	}
	if _, err := tr.ss.Play(mv); err != nil {
		return err
	}
	tr.ref, tr.acked = m[1], append(tr.acked, mv)
	return nil
}

// resume reads tr's attempt from the server at base, as a reload does, and
// checks the page is at the moves the store holds.
func (w *webClient) resume(base string, lib serveLib, tr *servedTrainee, a *simulator.Attempt) error {
	code, _, page, _, err := w.do("GET", base, "/attempts/"+tr.ref, tr.cookie, nil)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return fmt.Errorf("%s: GET /attempts/%s: %d (the sign-in did not survive?)\n%s", tr.name, tr.ref, code, page)
	}
	var moves []string
	for _, m := range a.Moves {
		moves = append(moves, m.Move)
	}
	ss, err := lib.session(a.Header.Seed, moves)
	if err != nil {
		return err
	}
	tr.ss, tr.acked = ss, moves
	if ss.Over() {
		return nil // no form on a closed case's page
	}
	c, n := serveCSRF.FindStringSubmatch(page), serveN.FindStringSubmatch(page)
	if c == nil || n == nil || n[1] != strconv.Itoa(len(moves)) {
		return fmt.Errorf("%s: the page of attempt %s is not at its %d stored moves (n %v)\n%s", tr.name, tr.ref, len(moves), n, page)
	}
	tr.csrf = c[1]
	return nil
}

// attemptsOf is every attempt of a trainee in the store.
func attemptsOf(ctx context.Context, st store.Store, name string) ([]store.Info, error) {
	var out []store.Info
	err := st.(store.Scored).Attempts(ctx, store.Filter{Trainee: name, NoCards: true}, func(i store.Info) bool {
		out = append(out, i)
		return true
	})
	return out, err
}

// checkGolden checks a finished attempt in the store: the golden path's
// moves once each, in order, and a stored scorecard of total 100 that is
// the one replay gives of the stored moves and of an uninterrupted session
// of the same seed.
func checkGolden(t *testing.T, ctx context.Context, st store.Store, lib serveLib, who, ref string) {
	t.Helper()
	a, err := st.Read(ctx, ref)
	if err != nil {
		t.Errorf("%s: %v", who, err)
		return
	}
	var moves []string
	for i, m := range a.Moves {
		moves = append(moves, m.Move)
		if m.N != i+1 {
			t.Errorf("%s: attempt %s: move %d is numbered %d", who, ref, i+1, m.N)
		}
	}
	if !slices.Equal(moves, goldenL1) {
		t.Errorf("%s: attempt %s holds %v, want the golden path once: %v", who, ref, moves, goldenL1)
		return
	}
	card, scored, err := st.(store.Scored).Card(ctx, ref)
	if err != nil || card == nil || scored != len(goldenL1) {
		t.Errorf("%s: attempt %s: stored scorecard of %d moves (%v), want one of %d:\n%s", who, ref, scored, err, len(goldenL1), card)
		return
	}
	var sc scoring.Scorecard
	if err := json.Unmarshal(card, &sc); err != nil || sc.Total != 100 {
		t.Errorf("%s: attempt %s: stored total %d (%v), want 100", who, ref, sc.Total, err)
	}
	want, _, err := store.Score(a, lib.sc, lib.p, nil)
	if err != nil || !bytes.Equal(card, want) {
		t.Errorf("%s: attempt %s: the stored scorecard is not replay's (%v)\n got: %s\nwant: %s", who, ref, err, card, want)
	}
	// The same moves, played by one session that was never interrupted.
	ss, err := lib.session(a.Header.Seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	whole := *a
	whole.Moves = nil
	for i, m := range goldenL1 {
		turns, err := ss.Play(m)
		if err != nil {
			t.Fatal(err)
		}
		whole.Moves = append(whole.Moves, simulator.AttemptMove{N: i + 1, Move: m, At: a.Moves[i].At, Turns: turns})
	}
	if wholeCard, _, err := store.Score(&whole, lib.sc, lib.p, nil); err != nil || !bytes.Equal(card, wholeCard) {
		t.Errorf("%s: attempt %s: the stored scorecard differs from an uninterrupted session's (%v)\n got: %s\nwant: %s", who, ref, err, card, wholeCard)
	}
}

// TestServeKilledUnderLoadLosesNoAcknowledgedMove SIGKILLs casebook serve
// on SQLite while 20 trainees play (CASEBOOK_SERVE_KILL_TRAINEES=200 for
// the design brief's load), each in its own goroutine: every move
// the server acknowledged is in the store, with at most the one in flight
// besides; the restarted server knows every sign-in and lets each trainee
// finish where the store says the attempt is, and every finished attempt
// stores the golden path's scorecard.
func TestServeKilledUnderLoadLosesNoAcknowledgedMove(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a unix signal")
	}
	lib := newServeLib(t)
	storeURL := "sqlite:" + filepath.ToSlash(filepath.Join(t.TempDir(), "team.db"))
	n := 20
	if v, err := strconv.Atoi(os.Getenv("CASEBOOK_SERVE_KILL_TRAINEES")); err == nil && v > 0 {
		n = v
	}
	var names []string
	for i := range n {
		names = append(names, fmt.Sprintf("trainee%03d", i))
	}
	// zed's attempt is stored while the server is down, closed and not
	// scored: the state a kill between the last move and its scorecard
	// leaves.
	addTrainees(t, storeURL, append(names, "zed"))

	srv := startServe(t, storeURL, "")
	base := srv.base()
	w := newWebClient(t)
	trainees := make([]*servedTrainee, n)
	for i, name := range names {
		trainees[i] = &servedTrainee{name: name}
	}
	zed := &servedTrainee{name: "zed"}
	for _, tr := range append(trainees, zed) {
		if err := w.signIn(base, tr); err != nil {
			t.Fatal(err)
		}
	}
	for _, tr := range trainees {
		if err := w.open(base, lib, tr); err != nil {
			t.Fatal(err)
		}
	}

	rng := rand.New(rand.NewPCG(2026, 17))
	delay := time.Duration(100+rng.IntN(300)) * time.Millisecond
	var killed atomic.Bool
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i, tr := range trainees {
		think := rand.New(rand.NewPCG(2026, uint64(i)))
		wg.Go(func() {
			for _, mv := range goldenL1 {
				err := w.move(base, tr, mv)
				var ne netError
				if errors.As(err, &ne) && killed.Load() {
					return // the server is gone: this move is in flight or never sent
				}
				if err != nil {
					errs <- err
					return
				}
				time.Sleep(time.Duration(think.IntN(40)) * time.Millisecond)
			}
		})
	}
	time.Sleep(delay)
	killed.Store(true)
	srv.kill()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	acked, done := 0, 0
	for _, tr := range trainees {
		acked += len(tr.acked)
		if len(tr.acked) == len(goldenL1) {
			done++
		}
	}
	t.Logf("killed after %v: %d moves acknowledged, %d of %d attempts finished", delay, acked, done, n)

	// Every acknowledged move is in the store, in order, with at most the
	// move in flight besides.
	ctx, cancel := context.WithTimeout(context.Background(), 2*servePoll)
	defer cancel()
	st, err := store.Open(ctx, storeURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]*simulator.Attempt{}
	for _, tr := range trainees {
		infos, err := attemptsOf(ctx, st, tr.name)
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) > 1 {
			t.Errorf("%s: %d attempts stored, want at most one", tr.name, len(infos))
			continue
		}
		if len(infos) == 0 {
			if len(tr.acked) > 0 {
				t.Errorf("%s: %d moves acknowledged in attempt %s, none stored", tr.name, len(tr.acked), tr.ref)
			}
			continue
		}
		if tr.ref != "" && infos[0].Ref != tr.ref {
			t.Errorf("%s: acknowledged attempt %s, the store holds %s", tr.name, tr.ref, infos[0].Ref)
			continue
		}
		a, err := st.Read(ctx, infos[0].Ref)
		if err != nil {
			t.Errorf("%s: %v", tr.name, err)
			continue
		}
		var moves []string
		for _, m := range a.Moves {
			moves = append(moves, m.Move)
		}
		if len(moves) < len(tr.acked) || len(moves) > len(tr.acked)+1 || !slices.Equal(moves, goldenL1[:len(moves)]) || infos[0].Moves != len(moves) {
			t.Errorf("%s: attempt %s holds %v (%d by its row) after %v were acknowledged", tr.name, infos[0].Ref, moves, infos[0].Moves, tr.acked)
			continue
		}
		// A first move stored but not acknowledged: the trainee finds the
		// attempt in its list.
		tr.ref = infos[0].Ref
		stored[tr.name] = a
	}
	// zed's attempt, closed but not scored.
	zedRef := storeClosedUnscored(t, ctx, st, lib, "zed")
	st.Close()
	if t.Failed() {
		t.FailNow()
	}

	// Restarted on the same address and store: the sign-ins hold, and each
	// trainee goes on from where the store says the attempt is.
	srv = startServe(t, storeURL, srv.addr)
	w = newWebClient(t)
	errs = make(chan error, n+1)
	for _, tr := range trainees {
		wg.Go(func() {
			code, loc, body, _, err := w.do("GET", base, "/", tr.cookie, nil)
			if err == nil && code != http.StatusOK {
				err = fmt.Errorf("%s: after the restart GET / is %d %s: the sign-in was lost\n%s", tr.name, code, loc, body)
			}
			if err == nil {
				if a := stored[tr.name]; a == nil {
					err = w.open(base, lib, tr)
				} else {
					err = w.resume(base, lib, tr, a)
				}
			}
			for err == nil && !tr.ss.Over() {
				err = w.move(base, tr, goldenL1[len(tr.acked)])
			}
			if err == nil {
				// The last page shows the score.
				var page string
				code, _, page, _, err = w.do("GET", base, "/attempts/"+tr.ref, tr.cookie, nil)
				if err == nil && (code != http.StatusOK || !strings.Contains(page, "Score 100/100")) {
					err = fmt.Errorf("%s: the finished attempt %s shows %d, no score of 100\n%s", tr.name, tr.ref, code, page)
				}
			}
			if err != nil {
				errs <- err
			}
		})
	}
	// zed reloads the closed case's page.
	if code, _, page, _, err := w.do("GET", base, "/attempts/"+zedRef, zed.cookie, nil); err != nil || code != http.StatusOK || !strings.Contains(page, "Score 100/100") {
		t.Errorf("zed: GET /attempts/%s: %d %v\n%s", zedRef, code, err, page)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	srv.kill()

	st, err = store.Open(ctx, storeURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tr := range trainees {
		if infos, err := attemptsOf(ctx, st, tr.name); err != nil || len(infos) != 1 {
			t.Errorf("%s: %d attempts stored (%v), want one", tr.name, len(infos), err)
		}
		checkGolden(t, ctx, st, lib, tr.name, tr.ref)
	}
	checkGolden(t, ctx, st, lib, "zed", zedRef)
}

// storeClosedUnscored stores, straight into the store, an attempt of
// name's that plays the golden path to its end with no scorecard: what a
// server killed after committing the last move, before storing the
// scorecard, leaves.
func storeClosedUnscored(t *testing.T, ctx context.Context, st store.Store, lib serveLib, name string) string {
	t.Helper()
	const seed = 7
	ss, err := lib.session(seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ses, err := st.Create(ctx, simulator.AttemptHeader{
		Casebook: simulator.AttemptKind, Scenario: lib.sc.ID, Playbook: lib.p.ID, PlaybookVersion: lib.p.Version,
		Tier: serveTier, Mode: simulator.ModePractice, Seed: seed, Trainee: name,
		StartedAt: now.UTC().Format(time.RFC3339Nano), Rules: simulator.CurrentRules,
	}, store.Supervised, "casebook serve on a killed host")
	if err != nil {
		t.Fatal(err)
	}
	defer ses.Close()
	for _, m := range goldenL1 {
		turns, err := ss.Play(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := ses.Append(m, now, turns, ss.Over()); err != nil {
			t.Fatal(err)
		}
	}
	if !ss.Over() {
		t.Fatal("the golden path does not close the case")
	}
	return ses.Ref()
}

// TestServeTwoServersOnePostgres plays one attempt through two casebook
// serve processes on one PostgreSQL store, moves alternating: one sign-in
// (made through the first) works on both, each move is stored once, in
// order, and the finished attempt stores the golden path's scorecard.
func TestServeTwoServersOnePostgres(t *testing.T) {
	storeURL := pgtest.URL(t)
	lib := newServeLib(t)
	addTrainees(t, storeURL, []string{"ana"})
	a, b := startServe(t, storeURL, ""), startServe(t, storeURL, "")
	servers := []string{a.base(), b.base()}
	w := newWebClient(t)
	tr := &servedTrainee{name: "ana"}
	if err := w.signIn(servers[0], tr); err != nil {
		t.Fatal(err)
	}
	if err := w.open(servers[0], lib, tr); err != nil {
		t.Fatal(err)
	}
	for i, mv := range goldenL1 {
		if err := w.move(servers[i%2], tr, mv); err != nil {
			t.Fatal(err)
		}
	}
	for _, base := range servers {
		code, _, page, _, err := w.do("GET", base, "/attempts/"+tr.ref, tr.cookie, nil)
		if err != nil || code != http.StatusOK || !strings.Contains(page, "Score 100/100") {
			t.Errorf("GET %s/attempts/%s: %d %v, no score of 100\n%s", base, tr.ref, code, err, page)
		}
	}
	a.kill()
	b.kill()
	ctx, cancel := context.WithTimeout(context.Background(), servePoll)
	defer cancel()
	st, err := store.Open(ctx, storeURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if infos, err := attemptsOf(ctx, st, "ana"); err != nil || len(infos) != 1 || infos[0].Ref != tr.ref {
		t.Fatalf("ana's attempts in the store: %+v (%v), want %s alone", infos, err, tr.ref)
	}
	checkGolden(t, ctx, st, lib, "ana", tr.ref)
}
