package web

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium finds the system's Chromium, or skips the test with one line
// saying how to run it (fails instead with CASEBOOK_TEST_BROWSER=require,
// which .ci/run sets).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CASEBOOK_TEST_BROWSER") == "require" {
		t.Fatal("no chromium on PATH, and CASEBOOK_TEST_BROWSER=require")
	}
	t.Skip("browser tests skipped: no chromium on PATH (apt-get install chromium; CI sets CASEBOOK_TEST_BROWSER=require)")
	return ""
}

// chrome starts headless Chromium for a test; shot keeps a screenshot of
// the page (sel "") or of one element.
func chrome(t *testing.T, path string) (context.Context, func(name, sel string)) {
	t.Helper()
	shots := os.Getenv("CASEBOOK_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]), chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1400, 1000), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(cancel)
	shot := func(name, sel string) {
		t.Helper()
		var png []byte
		var err error
		if sel == "" {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		} else {
			png, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
		}
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", shots)
	return ctx, shot
}

// watch records, from now on, the requests of the page that leave where
// they may (elsewhere says which) and what it writes to the console; seen
// gives what it has recorded so far.
func watch(t *testing.T, ctx context.Context, elsewhere func(*url.URL) bool) (seen func() (requests, console []string)) {
	t.Helper()
	var mu sync.Mutex
	var requests, console []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			if u, err := url.Parse(e.Request.URL); err == nil && elsewhere(u) {
				mu.Lock()
				requests = append(requests, e.Request.URL)
				mu.Unlock()
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, m.String())
			mu.Unlock()
		}
	}()
	return func() ([]string, []string) {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(requests), slices.Clone(console)
	}
}

// TestInARealBrowser signs in to a server in headless Chromium, plays the
// HTTPS case's golden path to 100 (reloading half-way: the attempt goes on
// where it was), then the recorded handling, to its low score and its
// findings. Every screen is kept as a screenshot ($CASEBOOK_SCREENSHOTS, or
// the test's own directory); no page writes to the console or asks for
// anything from another origin.
func TestInARealBrowser(t *testing.T) {
	path := chromium(t)
	srv, st := server(t)
	ctx, screenshot := chrome(t, path)

	seen := watch(t, ctx, func(u *url.URL) bool {
		return (u.Scheme == "http" || u.Scheme == "https") && u.Host != strings.TrimPrefix(srv.URL, "http://")
	})
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shot := func(name string) { t.Helper(); screenshot(name, "") }
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	do("sign in", chromedp.Navigate(srv.URL+"/login"))
	shot("1-login")
	do("sign in", chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "ana"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "a long password"),
		chromedp.Click(chromedp.CSS(`form.card button`)), chromedp.WaitVisible(chromedp.CSS(`.grid`)))
	shot("2-home")

	lib := library(t)
	sc := lib.Scenarios.Find("https-proxy-cname")
	// play starts the case from its card on the home page and makes the
	// moves by clicking them; it returns the attempt's number.
	play := func(name, tier string, moves []string, reloadAt int) string {
		t.Helper()
		do("home", chromedp.Navigate(srv.URL+"/"))
		card := `form.scenario:not(.assigned):has(input[name=scenario][value="https-proxy-cname"])`
		do("start", chromedp.SetValue(chromedp.CSS(card+` select[name=tier]`), tier),
			chromedp.Click(chromedp.CSS(card+` button`)), chromedp.WaitVisible(chromedp.CSS(`form.moves`)))
		seed, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`input[name=seed]`), "value"))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.ParseUint(seed.Value, 10, 64)
		ss, err := simulator.New(lib.Scenarios.Playbook(sc), sc, playbooks.TierName(tier), simulator.ModePractice, n)
		if err != nil {
			t.Fatal(err)
		}
		for k, mv := range moves {
			if ss.Over() {
				break
			}
			i := slices.IndexFunc(ss.Menu(), func(o simulator.Option) bool { return o.ID == mv })
			if i < 0 {
				break // not this tier's move (the recording goes on after its handoff)
			}
			if _, err := ss.Play(mv); err != nil {
				t.Fatal(err)
			}
			next := chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`input[name=n][value="%d"]`, k+1)))
			if ss.Over() {
				next = chromedp.WaitVisible(chromedp.CSS(`.scorecard`))
			}
			do(fmt.Sprintf("move %d (%s)", k+1, mv), chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=move][value="%d"]`, i))),
				chromedp.Click(chromedp.CSS(`form.moves button`)), next)
			if k+1 == reloadAt {
				shot(name + "-during")
				// A reload, or a browser closed and opened again, finds the
				// attempt where it was.
				do("reload", chromedp.Reload(), chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`input[name=n][value="%d"]`, k+1))))
			}
		}
		if !ss.Over() {
			t.Fatalf("%s: the case is still open after the moves", name)
		}
		shot(name + "-scorecard")
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(loc)
		return strings.TrimPrefix(u.Path, "/attempts/")
	}

	ref := play("3-golden", "L1", goldenL1, 3)
	if got := text(`.scorecard h2`); got != "Score 100/100" {
		t.Errorf("the golden path's scorecard says %q", got)
	}
	a, err := st.Read(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := store.Score(a, sc, lib.Scenarios.Playbook(sc), nil)
	if got, _, _ := st.Card(ctx, ref); !bytes.Equal(got, want) {
		t.Errorf("the stored scorecard is not replay's:\n%s\n%s", got, want)
	}

	var recorded []string
	for _, m := range sc.Recording.Moves {
		recorded = append(recorded, m.Move)
	}
	play("4-recorded", sc.Recording.Tier.Value, recorded, 0)
	head := text(`.scorecard h2`)
	total, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(head, "Score "), "/100"))
	if total >= 50 || !strings.Contains(text(`.findings`), "[") {
		t.Errorf("the recorded handling scores %q with findings %q; want a low score and its findings", head, text(`.findings`))
	}
	do("home", chromedp.Navigate(srv.URL+"/"))
	shot("5-home-after")
	// A trainer sees the team.
	do("sign out", chromedp.Click(chromedp.CSS(`form.inline button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
	do("sign in as a trainer", chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "tom"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "a long password"),
		chromedp.Click(chromedp.CSS(`form.card button`)), chromedp.WaitVisible(chromedp.CSS(`.grid`)))
	do("team", chromedp.Navigate(srv.URL+"/team"), chromedp.WaitVisible(chromedp.CSS(`svg.heat`)))
	shot("6-team")
	// A trainer on a closed attempt: its timeline and the grading form;
	// and a playbook's graph.
	do("a trainer on an attempt", chromedp.Navigate(srv.URL+"/attempts/"+ref), chromedp.WaitVisible(chromedp.CSS(`form.grading`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.timeline`)))
	shot("6b-attempt-trainer")
	do("a playbook's graph", chromedp.Navigate(srv.URL+"/team/playbooks/https-link-branding"), chromedp.WaitVisible(chromedp.CSS(`svg.graph`)))
	shot("6c-playbook")
	// The error page answers 404, which the browser itself logs: the
	// console is checked before it.
	_, before := seen()
	do("an attempt that is not there", chromedp.Navigate(srv.URL+"/attempts/99999"), chromedp.WaitVisible(chromedp.CSS(`p.error`)))
	if got := text(`p.error`); got != "No such attempt." {
		t.Errorf("the error page says %q", got)
	}
	shot("7-error")

	elsewhere, _ := seen()
	if len(before) > 0 {
		t.Errorf("the pages wrote to the console: %q", before)
	}
	if len(elsewhere) > 0 {
		t.Errorf("requests left the server's origin: %q", elsewhere)
	}
}
