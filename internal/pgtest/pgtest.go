// Package pgtest gives tests a real PostgreSQL database.
//
// The first call to URL starts a throwaway server (initdb into a temporary
// directory, then postgres on a free port of 127.0.0.1) that the whole test
// binary shares; every call creates a new, empty database on it. Call Stop
// from TestMain after m.Run. The server is also sent SIGQUIT when the test
// binary dies, so a crashed or killed test run leaves no server behind.
//
// Environment:
//
//	CASEBOOK_TEST_POSTGRES=require  fail, rather than skip, when no server can be had (CI sets it)
//	CASEBOOK_TEST_POSTGRES_URL=URL  use this existing server (a URL of its maintenance
//	                                database) instead of starting one
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

const (
	envRequire = "CASEBOOK_TEST_POSTGRES"
	envURL     = "CASEBOOK_TEST_POSTGRES_URL"

	prefix = "casebook-pgtest-" // of the servers' temporary directories

	startTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
	howTo        = "apt-get install postgresql, or set " + envURL + " to a server's URL; CI sets " + envRequire + "=require"
)

var (
	mu       sync.Mutex
	srv      *server // nil until started
	startErr error   // why the last start failed; not retried
	admin    *sql.DB // connection to srv's maintenance database
	seq      int
)

// server is a PostgreSQL server this package started, or, with ext set, one
// named by CASEBOOK_TEST_POSTGRES_URL.
type server struct {
	url  *url.URL // maintenance database
	ext  bool
	base string        // temporary directory holding data/, the socket and log
	proc *os.Process   // the postmaster
	done chan struct{} // closed when the postmaster has exited
}

// URL returns the connection URL (postgres://...@127.0.0.1:PORT/DBNAME?sslmode=disable)
// of a fresh, empty database on a server shared by the whole test binary,
// started on first use. Each call creates a new database
// (CREATE DATABASE casebook_test_PID_N) so tests don't see each other's tables.
//
// When no server can be had, URL calls t.Fatalf with the reason if the
// environment variable CASEBOOK_TEST_POSTGRES is "require", and t.Skip with
// one line saying how to run these tests otherwise.
func URL(t testing.TB) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if srv == nil && startErr == nil {
		srv, startErr = start()
		if startErr == nil {
			admin, startErr = sql.Open("pgx", srv.url.String())
			if startErr != nil {
				srv.stop()
				srv = nil
			}
		}
	}
	if startErr != nil {
		if os.Getenv(envRequire) == "require" {
			t.Fatalf("PostgreSQL tests cannot run (%s=require): %v", envRequire, startErr)
		}
		t.Skipf("PostgreSQL tests skipped: %s (%s)", oneLine(startErr.Error(), 300), howTo)
	}

	seq++
	name := fmt.Sprintf("casebook_test_%d_%d", os.Getpid(), seq)
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: CREATE DATABASE %s on %s: %v", name, redact(srv.url), err)
	}
	if srv.ext {
		// Someone else's server: leave nothing behind on it.
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
			defer cancel()
			if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
				t.Logf("pgtest: DROP DATABASE %s: %v", name, err)
			}
		})
	}
	u := *srv.url
	u.Path = "/" + name
	return u.String()
}

// Stop stops the shared server, if one was started, and removes its files;
// call it from TestMain after m.Run(). A server named by
// CASEBOOK_TEST_POSTGRES_URL is left running.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if admin != nil {
		admin.Close()
		admin = nil
	}
	if srv != nil {
		srv.stop()
		srv = nil
	}
	startErr = nil
}

// start returns the server named by CASEBOOK_TEST_POSTGRES_URL, or starts one.
func start() (*server, error) {
	if raw := os.Getenv(envURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
			return nil, fmt.Errorf("%s=%q is no postgres:// URL", envURL, raw)
		}
		if err := waitConnect(u, 5*time.Second, nil); err != nil {
			return nil, fmt.Errorf("%s=%s: %v", envURL, redact(u), err)
		}
		return &server{url: u, ext: true}, nil
	}

	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	// Root may not run initdb or postgres: run them as the postgres user.
	var cred *syscall.Credential
	var uid, gid = -1, -1
	if os.Geteuid() == 0 {
		pu, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and no postgres user to run the server as: %v", err)
		}
		uid, _ = strconv.Atoi(pu.Uid)
		gid, _ = strconv.Atoi(pu.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	}
	base, err := makeBase(uid, gid)
	if err != nil {
		return nil, err
	}
	s := &server{base: base}
	data := filepath.Join(base, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.Dir = base
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(base)
		return nil, fmt.Errorf("initdb failed: %v\n%s", err, tail(out, 20))
	}

	// The port is free when picked but may be taken before postgres binds it:
	// try again with another.
	for try := 1; ; try++ {
		err := s.startPostgres(bin, data, cred)
		if err == nil {
			return s, nil
		}
		if try < 3 && strings.Contains(err.Error(), "could not bind") {
			continue
		}
		os.RemoveAll(base)
		return nil, err
	}
}

// startPostgres runs the postmaster on a free port as a child of this process
// and waits until it takes connections.
func (s *server) startPostgres(bin, data string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(s.base, "log")
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-p", strconv.Itoa(port), "-k", s.base,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
		"-c", "max_connections=200")
	cmd.Dir = s.base
	cmd.Stdout, cmd.Stderr = logf, logf
	// Pdeathsig: when this test binary dies, however it dies, the kernel sends
	// the postmaster SIGQUIT (an immediate shutdown). It fires when the thread
	// that started the child exits, so that thread is kept, locked, for as long
	// as the postmaster runs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	started := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
		close(done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("starting postgres: %v", err)
	}
	s.proc, s.done = cmd.Process, done
	s.url = &url.URL{Scheme: "postgres", User: url.User("postgres"),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Path: "/postgres",
		RawQuery: "sslmode=disable"}
	if err := waitConnect(s.url, startTimeout, done); err != nil {
		s.kill()
		log, _ := os.ReadFile(logPath)
		return fmt.Errorf("postgres on port %d did not come up: %v; last lines of %s:\n%s",
			port, err, logPath, tail(log, 20))
	}
	return nil
}

// waitConnect waits until a connection to u succeeds, the server exits
// (done is closed), or timeout passes.
func waitConnect(u *url.URL, timeout time.Duration, done <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, u.String())
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(ctx)
		}
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-done:
			return errors.New("server exited")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no connection after %v: %v", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts a started server down at once and removes its directory.
func (s *server) stop() {
	if s.ext {
		return
	}
	s.kill()
	os.RemoveAll(s.base)
}

// kill sends the postmaster SIGQUIT (what pg_ctl -m immediate stop sends)
// and waits for it to exit, with SIGKILL as the last resort.
func (s *server) kill() {
	if s.proc == nil {
		return
	}
	s.proc.Signal(syscall.SIGQUIT)
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.proc.Kill()
		<-s.done
	}
	s.proc = nil
}

// findBin returns the directory holding initdb and postgres: initdb's own
// directory (symlinks resolved) when initdb is in $PATH, otherwise the
// highest version of /usr/lib/postgresql/*/bin.
func findBin() (string, error) {
	has := func(dir string) bool {
		for _, n := range []string{"initdb", "postgres"} {
			if fi, err := os.Stat(filepath.Join(dir, n)); err != nil || fi.IsDir() {
				return false
			}
		}
		return true
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil && has(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
		if has(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		return v
	}
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if has(d) {
			return d, nil
		}
	}
	return "", errors.New("no initdb found")
}

// makeBase makes the server's temporary directory, owned by uid:gid when
// those are not -1, under a parent that user can reach.
func makeBase(uid, gid int) (string, error) {
	parents := []string{os.TempDir()}
	if uid >= 0 && os.TempDir() != "/tmp" {
		parents = append(parents, "/tmp")
	}
	var why []string
	for _, parent := range parents {
		if uid >= 0 {
			if err := reachable(parent, uid, gid); err != nil {
				why = append(why, err.Error())
				continue
			}
		}
		sweep(parent)
		base, err := os.MkdirTemp(parent, prefix)
		if err == nil {
			err = os.WriteFile(filepath.Join(base, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644)
		}
		if err != nil {
			why = append(why, err.Error())
			continue
		}
		if uid >= 0 {
			if err := os.Chown(base, uid, gid); err != nil {
				os.RemoveAll(base)
				return "", err
			}
		}
		return base, nil
	}
	return "", fmt.Errorf("no temporary directory the server's user can use: %s", strings.Join(why, "; "))
}

// sweep removes the directories under parent left by test binaries that died
// without Stop (their servers died with them): those whose owner file names a
// process that is gone.
func sweep(parent string) {
	dirs, _ := filepath.Glob(filepath.Join(parent, prefix+"*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "owner"))
		if err != nil {
			continue // being made, or not ours
		}
		pid, err := strconv.Atoi(string(b))
		if err == nil && pid > 0 && syscall.Kill(pid, 0) == syscall.ESRCH {
			os.RemoveAll(d)
		}
	}
}

// reachable reports an error unless uid:gid may search dir and each of its parents.
func reachable(dir string, uid, gid int) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		m := fi.Mode().Perm()
		ok := m&0o001 != 0 || int(st.Uid) == uid && m&0o100 != 0 || int(st.Gid) == gid && m&0o010 != 0
		if !ok {
			return fmt.Errorf("%s is not searchable by uid %d", d, uid)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// oneLine returns msg on one line of at most n bytes.
func oneLine(msg string, n int) string {
	msg = strings.Join(strings.Fields(msg), " ")
	if len(msg) > n {
		msg = msg[:n] + "..."
	}
	return msg
}

// redact returns u with any password hidden, for messages.
func redact(u *url.URL) string { return u.Redacted() }
