package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/casebook/casebook/store"
	"golang.org/x/crypto/bcrypt"
)

// HashPassword hashes a password with bcrypt (cost 12) for an account.
func HashPassword(password string) (string, error) {
	if len(password) < 8 {
		return "", errors.New("a password needs at least 8 characters")
	}
	if len(password) > 72 {
		return "", errors.New("a password may have at most 72 bytes (bcrypt reads no more)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), 12)
	return string(h), err
}

// dummyHash is a hash to compare against when the account does not exist,
// so a wrong name takes as long as a wrong password. It is made on the
// first sign-in, not when casebook starts: hashing takes a quarter of a
// second.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such account, no such password"), 12)
	return h
})

const (
	sessionCookie = "casebook_session"
	sessionLength = 12 * time.Hour
)

type ctxKey struct{}

// userOf is the signed-in user of a request, nil when none.
func userOf(r *http.Request) *store.WebSession {
	ws, _ := r.Context().Value(ctxKey{}).(*store.WebSession)
	return ws
}

func token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// signedIn lets through requests of a signed-in browser, with its session
// in the context, and checks the CSRF token of every POST; others go to
// the login page.
func (s *Server) signedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		var ws store.WebSession
		if err == nil {
			ws, err = s.cfg.Store.WebSession(r.Context(), tokenHash(c.Value), s.cfg.Now())
		}
		if name := s.proxyUser(r); name != "" && (err != nil || ws.User.Name != name) {
			// Signed in by the proxy: a session of the named account, as a
			// sign-in would make it (the CSRF check applies from the next
			// form on).
			if ws, err = s.proxySession(w, r, name); err != nil {
				s.fail(w, r, http.StatusForbidden, "The single sign-on names no account of this server: a trainer adds it with casebook users add.")
				return
			}
			if r.Method == http.MethodPost {
				s.fail(w, r, http.StatusForbidden, "This form is out of date or did not come from this site: reload the page and try again.")
				return
			}
		}
		if err != nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			s.fail(w, r, http.StatusUnauthorized, "Sign in first.")
			return
		}
		if r.Method == http.MethodPost {
			got := r.PostFormValue("csrf")
			if subtle.ConstantTimeCompare([]byte(got), []byte(ws.CSRF)) != 1 {
				s.fail(w, r, http.StatusForbidden, "This form is out of date or did not come from this site: reload the page and try again.")
				return
			}
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, &ws)))
	}
}

// trainers lets through the requests of a trainer's session (signedIn
// goes first); to anyone else the page does not exist.
func (s *Server) trainers(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if userOf(r).User.Role != store.Trainer {
			s.fail(w, r, http.StatusNotFound, "No such page.")
			return
		}
		next(w, r)
	}
}

// proxyUser is the user a trusted single-sign-on proxy names in the
// request, "" when there is none or the request did not come from one.
func (s *Server) proxyUser(r *http.Request) string {
	if s.cfg.AuthHeader == "" {
		return ""
	}
	name := r.Header.Get(s.cfg.AuthHeader)
	if name == "" {
		return ""
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	for _, n := range s.cfg.TrustedProxies {
		if ip != nil && n.Contains(ip) {
			return name
		}
	}
	s.cfg.Log.Warn("auth header from an untrusted address, ignored", "remote", r.RemoteAddr, "header", s.cfg.AuthHeader)
	return ""
}

// proxySession signs in the account a trusted proxy names.
func (s *Server) proxySession(w http.ResponseWriter, r *http.Request, name string) (store.WebSession, error) {
	u, err := s.cfg.Store.User(r.Context(), name)
	if err != nil {
		return store.WebSession{}, err
	}
	ws, err := s.startSession(w, r, u)
	if err != nil {
		return store.WebSession{}, err
	}
	return ws, nil
}

// startSession stores a new session of an account and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u store.User) (store.WebSession, error) {
	t, csrf := token(), token()
	expires := s.cfg.Now().Add(sessionLength)
	if err := s.cfg.Store.CreateWebSession(r.Context(), tokenHash(t), u.ID, csrf, expires); err != nil {
		return store.WebSession{}, err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: t, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.cfg.Secure})
	return store.WebSession{User: u, CSRF: csrf, Expires: expires}, nil
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "login.html", map[string]any{})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.login.allow(host+"\x00"+name, s.cfg.Now()) {
		s.render(w, http.StatusTooManyRequests, "login.html", map[string]any{"Error": "Too many attempts to sign in: wait a minute.", "Name": name})
		return
	}
	u, err := s.cfg.Store.User(r.Context(), name)
	hash := []byte(u.PasswordHash)
	if err != nil {
		hash = dummyHash()
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || err != nil {
		s.render(w, http.StatusUnauthorized, "login.html", map[string]any{"Error": "Wrong name or password.", "Name": name})
		return
	}
	if _, err := s.startSession(w, r, u); err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "The store is unavailable: try again.")
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.cfg.Store.DeleteWebSession(r.Context(), tokenHash(c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.cfg.Secure})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// A limiter allows n tries per key in a window.
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	tries  map[string][]time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, tries: map[string][]time.Time{}}
}

func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.tries) > 10000 {
		l.tries = map[string][]time.Time{} // bounded: a flood forgets, it does not grow
	}
	recent := l.tries[key][:0]
	for _, t := range l.tries[key] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= l.n {
		l.tries[key] = recent
		return false
	}
	l.tries[key] = append(recent, now)
	return true
}
