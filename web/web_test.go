package web

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"golang.org/x/crypto/bcrypt"
)

func library(t testing.TB) *Library {
	t.Helper()
	files, fs, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		t.Fatal(err, fs)
	}
	return scenarios.LoadFiles(files, nil, playbooks.EmbeddedName, scenarios.LoadAll, nil, nil)
}

// server starts a server on a fresh SQLite store with accounts ana and bo
// (trainees) and tom (a trainer), all with the password "a long password".
func server(t *testing.T) (*httptest.Server, Store) {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "t.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ws := st.(Store)
	hash, _ := bcrypt.GenerateFromPassword([]byte("a long password"), bcrypt.MinCost)
	for name, role := range map[string]store.Role{"ana": store.Trainee, "bo": store.Trainee, "tom": store.Trainer, "<script>x</script>": store.Trainee} {
		if err := ws.AddUser(context.Background(), name, role, string(hash)); err != nil {
			t.Fatal(err)
		}
	}
	// ana has the founding case assigned at L2.
	if err := ws.Assign(context.Background(), "ana", store.Assignment{Scenario: "https-proxy-cname", Tier: "L2"}); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: ws, Library: library(t)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, ws
}

func TestAssignedScenariosComeFirst(t *testing.T) {
	srv, _ := server(t)
	ana := newBrowser(t, srv)
	ana.login("ana")
	_, _, home := ana.do("GET", "/", nil)
	i, j := strings.Index(home, "Assigned to you"), strings.Index(home, "Practise a case")
	if i < 0 || j < i || !strings.Contains(home[i:j], "https-proxy-cname · tier L2") || strings.Contains(home[i:j], "done") {
		t.Fatalf("ana's page does not start with her assignment, not done:\n%s", home)
	}
	if !strings.Contains(home[i:j], "Ready after 3 in a row resolved at 80 or more.") {
		t.Errorf("ana's assignment does not say what passing asks:\n%s", home[i:j])
	}
	// Her standing at it follows her attempts.
	lib := library(t)
	sc := lib.Scenarios.Find("https-proxy-cname")
	p := lib.Scenarios.Playbook(sc)
	g, err := simulator.GoldenPath(p, sc, p.Tier("L2"))
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for _, m := range g.Moves {
		moves = append(moves, m.Move)
	}
	ana.play("https-proxy-cname", "L2", "practice", moves)
	_, _, home = ana.do("GET", "/", nil)
	if !strings.Contains(home, "1 of 3 in a row resolved at 80 or more; last score 100.") {
		t.Errorf("after one golden attempt ana's page says:\n%s", home)
	}
	bo := newBrowser(t, srv)
	bo.login("bo")
	if _, _, page := bo.do("GET", "/", nil); strings.Contains(page, "Assigned to you") {
		t.Fatal("bo sees an assignment he does not have")
	}
}

// A browser is a client with its own cookies that does not follow
// redirects on its own.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: t, base: srv.URL, c: c}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request and returns the status, the Location and the body;
// the CSRF token of a page is remembered for the next form.
func (b *browser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(data); m != nil {
		b.csrf = string(m[1])
	}
	if resp.Header.Get("Content-Security-Policy") == "" {
		b.t.Errorf("%s %s: no Content-Security-Policy", method, path)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(data)
}

func (b *browser) login(name string) {
	b.t.Helper()
	code, loc, body := b.do("POST", "/login", url.Values{"name": {name}, "password": {"a long password"}})
	if code != http.StatusSeeOther || loc != "/" {
		b.t.Fatalf("login %s: %d %s\n%s", name, code, loc, body)
	}
	b.do("GET", "/", nil)
}

var seedField = regexp.MustCompile(`name="seed" value="(\d+)"`)

// play starts a case and makes the moves, finding each move's place on the
// menu with a session of its own (the browser sees no move ids). It
// returns the attempt's number and every page the browser got.
func (b *browser) play(scenario, tier, mode string, moves []string) (string, []string) {
	b.t.Helper()
	code, _, page := b.do("GET", "/play?"+url.Values{"scenario": {scenario}, "tier": {tier}, "mode": {mode}}.Encode(), nil)
	if code != http.StatusOK {
		b.t.Fatalf("start: %d\n%s", code, page)
	}
	pages := []string{page}
	m := seedField.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatal("no seed on the first page")
	}
	seed, _ := strconv.ParseUint(m[1], 10, 64)
	lib := library(b.t)
	sc := lib.Scenarios.Find(scenario)
	ss, err := simulator.New(lib.Scenarios.Playbook(sc), sc, playbooks.TierName(tier), mode, seed)
	if err != nil {
		b.t.Fatal(err)
	}
	ref := ""
	for n, mv := range moves {
		i := -1
		for j, o := range ss.Menu() {
			if o.ID == mv {
				i = j
			}
		}
		if i < 0 {
			b.t.Fatalf("move %s is not on the menu", mv)
		}
		if _, err := ss.Play(mv); err != nil {
			b.t.Fatal(err)
		}
		form := url.Values{"csrf": {b.csrf}, "n": {strconv.Itoa(n)}, "move": {strconv.Itoa(i)}}
		path := "/attempts/" + ref + "/moves"
		if ref == "" {
			path = "/play"
			form.Set("scenario", scenario)
			form.Set("tier", tier)
			form.Set("mode", mode)
			form.Set("seed", m[1])
		}
		code, loc, body := b.do("POST", path, form)
		if code != http.StatusSeeOther {
			b.t.Fatalf("move %d (%s): %d\n%s", n+1, mv, code, body)
		}
		ref = strings.TrimSuffix(strings.TrimPrefix(loc, "/attempts/"), "#now")
		code, _, page := b.do("GET", "/attempts/"+ref, nil)
		if code != http.StatusOK {
			b.t.Fatalf("after move %d: %d\n%s", n+1, code, page)
		}
		pages = append(pages, page)
	}
	return ref, pages
}

var goldenL1 = []string{"lookup:ssl_tracking", "lookup:click_tracking", "lookup:branded_domains", "lookup:link_branding",
	"probe:certificate", "dns:cname_target", "escalate:L2"}

func TestTheGoldenPathScoresAsReplayScoresIt(t *testing.T) {
	srv, st := server(t)
	b := newBrowser(t, srv)
	b.login("ana")
	ref, pages := b.play("https-proxy-cname", "L1", "practice", goldenL1)
	last := pages[len(pages)-1]
	if !strings.Contains(last, "Score 100/100") {
		t.Fatalf("the last page shows no score of 100:\n%s", last)
	}
	ctx := context.Background()
	a, err := st.Read(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	lib := library(t)
	sc := lib.Scenarios.Find(a.Header.Scenario)
	want, _, err := store.Score(a, sc, lib.Scenarios.Playbook(sc), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, moves, err := st.Card(ctx, ref)
	if err != nil || moves != len(goldenL1) || !bytes.Equal(got, want) {
		t.Fatalf("the stored scorecard (%d moves, %v) is not replay's:\n%s\n%s", moves, err, got, want)
	}
	var origin store.Origin
	st.Attempts(ctx, store.Filter{NoCards: true}, func(i store.Info) bool { origin = i.Origin; return true })
	if origin != store.Supervised {
		t.Fatalf("an attempt played in the browser is %s, not supervised", origin)
	}
}

// TestNoPageTellsWhatIsNotUncovered plays the case move by move: before
// the case closes, no page holds a fact's true value the trainee has not
// uncovered (asked or looked up; beyond what the case shows everybody at
// the start), the golden
// path, a trap's findings or, in exam mode, a hint.
func TestNoPageTellsWhatIsNotUncovered(t *testing.T) {
	srv, _ := server(t)
	lib := library(t)
	sc := lib.Scenarios.Find("https-proxy-cname")
	moves := []string{"trap:resend-tracking-guide", "lookup:click_tracking", "lookup:ssl_tracking", "ask:cname_target", "probe:certificate"}
	for _, mode := range []string{"practice", "exam"} {
		b := newBrowser(t, srv)
		b.login("bo")
		_, pages := b.play("https-proxy-cname", "L1", mode, moves)
		baseline := pages[0]
		verified := map[string]bool{}
		for _, f := range sc.Stated {
			verified[f.Value] = true
		}
		for n, page := range pages {
			if n > 0 {
				if mv, err := scenarios.ParseMove(moves[n-1]); err == nil && mv.Kind != scenarios.MoveTrap {
					verified[mv.Arg] = true
				}
			}
			for _, f := range sc.Truth {
				if verified[f.Key] {
					continue
				}
				if strings.Contains(page, f.Key+" = "+f.Value) || (!strings.Contains(baseline, f.Value) && strings.Contains(page, f.Value)) {
					t.Errorf("%s, page %d: shows %s = %s, not yet verified", mode, n, f.Key, f.Value)
				}
			}
			for _, leak := range []string{"golden", "context-ignored", "restated-fact", "on_path", "trap:"} {
				if strings.Contains(strings.ToLower(page), leak) {
					t.Errorf("%s, page %d: holds %q", mode, n, leak)
				}
			}
			if mode == "exam" && strings.Contains(page, "Hint:") {
				t.Errorf("exam, page %d: shows a hint", n)
			}
		}
	}
}

func TestEachSeesOnlyTheirOwn(t *testing.T) {
	srv, _ := server(t)
	ana := newBrowser(t, srv)
	ana.login("ana")
	ref, _ := ana.play("https-proxy-cname", "L1", "practice", goldenL1[:2])

	bo := newBrowser(t, srv)
	bo.login("bo")
	if code, _, _ := bo.do("GET", "/attempts/"+ref, nil); code != http.StatusNotFound {
		t.Fatalf("bo sees ana's attempt: %d", code)
	}
	if code, _, _ := bo.do("POST", "/attempts/"+ref+"/moves", url.Values{"csrf": {bo.csrf}, "n": {"2"}, "move": {"0"}}); code != http.StatusNotFound {
		t.Fatalf("bo moves in ana's attempt: %d", code)
	}
	if _, _, home := bo.do("GET", "/", nil); strings.Contains(home, `href="/attempts/`+ref+`"`) {
		t.Fatal("bo's list shows ana's attempt")
	}
	tom := newBrowser(t, srv)
	tom.login("tom")
	if code, _, page := tom.do("GET", "/attempts/"+ref, nil); code != http.StatusOK || strings.Contains(page, `name="move"`) {
		t.Fatalf("tom, a trainer, gets %d for ana's attempt (or a menu to move in it)", code)
	}
	// A form without its CSRF token, or with another browser's, is refused.
	if code, _, _ := ana.do("POST", "/attempts/"+ref+"/moves", url.Values{"n": {"2"}, "move": {"0"}}); code != http.StatusForbidden {
		t.Fatalf("a move without a CSRF token: %d", code)
	}
	if code, _, _ := ana.do("POST", "/attempts/"+ref+"/moves", url.Values{"csrf": {bo.csrf}, "n": {"2"}, "move": {"0"}}); code != http.StatusForbidden {
		t.Fatalf("a move with another browser's CSRF token: %d", code)
	}
	// A form made for an earlier point of the case is not played.
	if code, _, _ := ana.do("POST", "/attempts/"+ref+"/moves", url.Values{"csrf": {ana.csrf}, "n": {"1"}, "move": {"0"}}); code != http.StatusConflict {
		t.Fatalf("a stale form: %d", code)
	}
	// Signed out, the attempt is out of reach.
	ana.do("POST", "/logout", url.Values{"csrf": {ana.csrf}})
	if code, loc, _ := ana.do("GET", "/attempts/"+ref, nil); code != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("after signing out: %d %s", code, loc)
	}
}

func TestSignInIsCheckedAndLimited(t *testing.T) {
	srv, _ := server(t)
	b := newBrowser(t, srv)
	if code, loc, _ := b.do("GET", "/", nil); code != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("signed out, / gives %d %s", code, loc)
	}
	if code, _, _ := b.do("POST", "/login", url.Values{"name": {"nobody"}, "password": {"a long password"}}); code != http.StatusUnauthorized {
		t.Fatalf("an unknown name: %d", code)
	}
	for i := 0; i < 4; i++ {
		if code, _, body := b.do("POST", "/login", url.Values{"name": {"ana"}, "password": {"wrong"}}); code != http.StatusUnauthorized || !strings.Contains(body, "Wrong name or password") {
			t.Fatalf("a wrong password: %d", code)
		}
	}
	if code, _, _ := b.do("POST", "/login", url.Values{"name": {"ana"}, "password": {"wrong"}}); code != http.StatusUnauthorized {
		t.Fatalf("fifth try: %d", code)
	}
	if code, _, _ := b.do("POST", "/login", url.Values{"name": {"ana"}, "password": {"a long password"}}); code != http.StatusTooManyRequests {
		t.Fatalf("a sixth try within the minute, even right: %d", code)
	}
	// Text from names is escaped.
	x := newBrowser(t, srv)
	x.login("<script>x</script>")
	if _, _, home := x.do("GET", "/", nil); strings.Contains(home, "<script>x") || !strings.Contains(home, "&lt;script&gt;x") {
		t.Fatalf("a name with markup is not escaped:\n%s", home)
	}
	if code, _, _ := x.do("GET", "/healthz", nil); code != http.StatusOK {
		t.Fatalf("healthz: %d", code)
	}
}

// TestSingleSignOnIsBelievedOnlyFromTheProxy: the header names the account
// for requests from a trusted proxy, and is ignored from anywhere else.
func TestSingleSignOnIsBelievedOnlyFromTheProxy(t *testing.T) {
	for _, tc := range []struct {
		cidr    string
		believe bool
	}{{"127.0.0.0/8", true}, {"10.0.0.0/8", false}} {
		_, st := server(t)
		_, n, _ := net.ParseCIDR(tc.cidr)
		s, err := New(Config{Store: st, Library: library(t), AuthHeader: "X-Forwarded-User", TrustedProxies: []*net.IPNet{n}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		defer srv.Close()
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		req.Header.Set("X-Forwarded-User", "tom")
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		signedIn := resp.StatusCode == http.StatusOK && strings.Contains(string(body), "tom · trainer")
		if signedIn != tc.believe {
			t.Errorf("trusting %s, a request from 127.0.0.1 naming tom: %d (signed in: %v)", tc.cidr, resp.StatusCode, signedIn)
		}
		if tc.believe {
			req, _ := http.NewRequest("GET", srv.URL+"/", nil)
			req.Header.Set("X-Forwarded-User", "nobody")
			resp, _ := c.Do(req)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("the proxy naming no account: %d", resp.StatusCode)
			}
		}
	}
}

// TestCookiesAreSecureUnderTLS: behind TLS the session cookie is Secure.
func TestCookiesAreSecureUnderTLS(t *testing.T) {
	_, st := server(t)
	s, err := New(Config{Store: st, Library: library(t), Secure: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(s)
	defer srv.Close()
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(srv.URL+"/login", url.Values{"name": {"ana"}, "password": {"a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("the session cookie under TLS: %+v", cookies)
	}
}

// TestAHandoffNoteCarriesTheTickedFacts: unticking facts on the handoff
// form makes the move escalate:TIER:FACTS with the ticked ones only.
func TestAHandoffNoteCarriesTheTickedFacts(t *testing.T) {
	srv, st := server(t)
	b := newBrowser(t, srv)
	b.login("bo")
	ref, pages := b.play("https-proxy-cname", "L1", "practice", goldenL1[:2])
	if !strings.Contains(pages[len(pages)-1], `name="carry" value="ssl_tracking" checked`) {
		t.Fatal("the handoff form offers no verified fact to carry")
	}
	a, _ := st.Read(context.Background(), ref)
	lib := library(t)
	sc := lib.Scenarios.Find("https-proxy-cname")
	ss, err := simulator.Resume(a, lib.Scenarios.Playbook(sc), sc, true)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ss.Menu(), func(o simulator.Option) bool { return o.ID == "escalate:L2" })
	form := url.Values{"csrf": {b.csrf}, "n": {"2"}, "move": {strconv.Itoa(i)}, "carry-shown": {"1"}, "carry": {"click_tracking"}}
	if code, _, body := b.do("POST", "/attempts/"+ref+"/moves", form); code != http.StatusSeeOther {
		t.Fatalf("the handoff: %d\n%s", code, body)
	}
	a, _ = st.Read(context.Background(), ref)
	if got := a.Moves[2].Move; !strings.HasPrefix(got, "escalate:L2:") || !strings.Contains(got, "click_tracking") || strings.Contains(got, "ssl_tracking") {
		t.Fatalf("the stored handoff is %q, want one carrying click_tracking only", got)
	}
}

// TestTextFromFilesIsEscaped: a scenario whose title and opening hold
// markup shows it as text on every page; nothing of it runs.
func TestTextFromFilesIsEscaped(t *testing.T) {
	files, _, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	const evil = `</script><script>alert(1)</script><img src=x onerror=alert(2)>`
	for i, f := range files {
		src := f.Src
		if src == nil && f.Read != nil {
			src, _ = f.Read()
		}
		if strings.HasSuffix(f.Name, "https-proxy-cname.yaml") {
			edited := strings.Replace(string(src), "title: HTTPS for branded links behind a TLS proxy", "title: '"+evil+"'", 1)
			if edited == string(src) {
				t.Fatal("the scenario's title line has changed; update the test")
			}
			files[i] = playbooks.File{Name: f.Name, Src: []byte(edited)}
		}
	}
	lib := scenarios.LoadFiles(files, nil, playbooks.EmbeddedName, scenarios.LoadAll, nil, nil)
	if lib.Scenarios.Find("https-proxy-cname").Title != evil {
		t.Fatal("the edited scenario did not load")
	}
	_, st := server(t)
	s, err := New(Config{Store: st, Library: lib})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	b := newBrowser(t, srv)
	b.login("ana")
	_, _, home := b.do("GET", "/", nil)
	_, _, play := b.do("GET", "/play?scenario=https-proxy-cname&tier=L1", nil)
	for name, page := range map[string]string{"home": home, "play": play} {
		if strings.Contains(page, "<script>") || strings.Contains(page, "<img src=x") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s page: the title's markup is not escaped", name)
		}
	}
}

// TestTheTeamPageIsTheTrainers: a trainer sees the team's report and a
// heat-map per scenario; a trainee does not.
func TestTheTeamPageIsTheTrainers(t *testing.T) {
	srv, _ := server(t)
	ana := newBrowser(t, srv)
	ana.login("ana")
	ana.play("https-proxy-cname", "L1", "practice", goldenL1)
	x := newBrowser(t, srv)
	x.login("<script>x</script>")
	x.play("https-proxy-cname", "L1", "practice", append(append([]string{}, goldenL1[:2]...), "close"))
	if code, _, _ := ana.do("GET", "/team", nil); code != http.StatusNotFound {
		t.Fatalf("a trainee gets %d for /team", code)
	}
	tom := newBrowser(t, srv)
	tom.login("tom")
	code, _, page := tom.do("GET", "/team", nil)
	if code != http.StatusOK || !strings.Contains(page, "2 scored attempt(s)") || !strings.Contains(page, `<svg class="heat"`) ||
		!strings.Contains(page, "<rect") || !strings.Contains(page, "check-ssl-tracking") {
		t.Fatalf("the team page (%d):\n%s", code, page)
	}
	if strings.Contains(page, "<script>x") || !strings.Contains(page, "&lt;script&gt;x") {
		t.Fatal("a trainee's name with markup is not escaped on the team page")
	}
}
