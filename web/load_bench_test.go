package web

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
	"github.com/casebook/casebook/store"
)

// BenchmarkServe200Trainees plays the HTTPS case's golden path for 200
// trainees at once against one server on a SQLite store, over HTTP, and
// reports the latency of a move as a trainee feels it: the POST that makes
// it and the GET of the page that shows what came of it. Each trainee
// reads each page for 1 to 3 s (seeded) before its move: about 100
// moves a second in all. The target (the design brief): p99 under 50 ms on
// 2 cores. With no reading time at all (CASEBOOK_BENCH_NO_THINK=1) the
// benchmark measures the most moves a second the server makes.
func BenchmarkServe200Trainees(b *testing.B) {
	const trainees = 200
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "load.db"), store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ws := st.(Store)
	lib := library(b)
	s, err := New(Config{Store: ws, Library: lib})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	// Signed in already: the sessions are made in the store (bcrypt would
	// be the benchmark otherwise).
	cookies := make([]string, trainees)
	for i := range trainees {
		name := fmt.Sprintf("t%03d", i)
		if err := ws.AddUser(context.Background(), name, store.Trainee, "x"); err != nil {
			b.Fatal(err)
		}
		u, _ := ws.User(context.Background(), name)
		tok := token()
		if err := ws.CreateWebSession(context.Background(), tokenHash(tok), u.ID, "csrf-"+name, time.Now().Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
		cookies[i] = tok
	}
	sc := lib.Scenarios.Find("https-proxy-cname")
	p := lib.Scenarios.Playbook(sc)
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: trainees, MaxConnsPerHost: trainees},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	seedRe := regexp.MustCompile(`name="seed" value="(\d+)"`)
	var mu sync.Mutex
	var lat []time.Duration
	think := os.Getenv("CASEBOOK_BENCH_NO_THINK") == ""
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		errs := make(chan error, trainees)
		for i := range trainees {
			wg.Go(func() {
				send := func(method, path string, form url.Values) (int, string, string, error) {
					var body io.Reader
					if form != nil {
						body = strings.NewReader(form.Encode())
					}
					req, _ := http.NewRequest(method, srv.URL+path, body)
					if form != nil {
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					}
					req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookies[i]})
					resp, err := client.Do(req)
					if err != nil {
						return 0, "", "", err
					}
					data, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					return resp.StatusCode, resp.Header.Get("Location"), string(data), nil
				}
				_, _, page, err := send("GET", "/play?scenario=https-proxy-cname&tier=L1&mode=practice", nil)
				m := seedRe.FindStringSubmatch(page)
				if err != nil || m == nil {
					errs <- fmt.Errorf("start: %v", err)
					return
				}
				seed, _ := strconv.ParseUint(m[1], 10, 64)
				ss, err := simulator.New(p, sc, playbooks.TierName("L1"), simulator.ModePractice, seed)
				if err != nil {
					errs <- err
					return
				}
				ref := ""
				rng := rand.New(rand.NewPCG(uint64(i), 16))
				for k, mv := range goldenL1 {
					if think {
						time.Sleep(time.Second + time.Duration(rng.Int64N(int64(2*time.Second))))
					}
					idx := slices.IndexFunc(ss.Menu(), func(o simulator.Option) bool { return o.ID == mv })
					ss.Play(mv)
					form := url.Values{"csrf": {"csrf-" + fmt.Sprintf("t%03d", i)}, "n": {strconv.Itoa(k)}, "move": {strconv.Itoa(idx)}}
					path := "/attempts/" + ref + "/moves"
					if ref == "" {
						path = "/play"
						form.Set("scenario", "https-proxy-cname")
						form.Set("tier", "L1")
						form.Set("mode", "practice")
						form.Set("seed", m[1])
					}
					start := time.Now()
					code, loc, body, err := send("POST", path, form)
					if err != nil || code != http.StatusSeeOther {
						errs <- fmt.Errorf("move %d: %d %v %s", k+1, code, err, body)
						return
					}
					ref = strings.TrimSuffix(strings.TrimPrefix(loc, "/attempts/"), "#now")
					if code, _, _, err := send("GET", "/attempts/"+ref, nil); err != nil || code != http.StatusOK {
						errs <- fmt.Errorf("page after move %d: %d %v", k+1, code, err)
						return
					}
					d := time.Since(start)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	at := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "moves/s")
}
