// Package web is casebook serve: trainees practise the library's scenarios
// in the browser, over a store, with server-rendered pages and no script.
// The hidden truth, the golden path, trap findings and (in exam mode)
// hints never reach a browser before its attempt ends.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// A Library is what the server trains on: the playbooks and the scenarios
// checked against them.
type Library = scenarios.Bundle

// The store a server needs: attempts with their scorecards, and accounts.
type Store interface {
	store.Scored
	store.Accounts
}

// Config says what a Server serves.
type Config struct {
	Store   Store
	Library *Library
	Log     *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Secure marks cookies Secure: the server is reached over TLS.
	Secure bool
	// Source names the server in the source of the attempts it stores.
	Source string
	// AuthHeader, when set, names the header a single-sign-on proxy puts
	// the signed-in user's name in; it is believed only from the
	// TrustedProxies, and names an account of the store.
	AuthHeader     string
	TrustedProxies []*net.IPNet
}

// A Server is the handler of casebook serve.
type Server struct {
	cfg   Config
	pages *template.Template
	mux   *http.ServeMux
	login *limiter
	dash  dashCache
}

// New makes a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Library == nil {
		return nil, errors.New("web: a store and a library are needed")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	pages, err := parsedPages()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, pages: pages, mux: http.NewServeMux(), login: newLimiter(5, time.Minute)}
	static, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/icon.svg", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.loginSubmit)
	s.mux.HandleFunc("POST /logout", s.signedIn(s.logout))
	s.mux.HandleFunc("GET /{$}", s.signedIn(s.home))
	s.mux.HandleFunc("GET /play", s.signedIn(s.newAttempt))
	s.mux.HandleFunc("POST /play", s.signedIn(s.firstMove))
	s.mux.HandleFunc("GET /attempts/{id}", s.signedIn(s.attempt))
	s.mux.HandleFunc("POST /attempts/{id}/moves", s.signedIn(s.move))
	s.mux.HandleFunc("GET /team", s.signedIn(s.trainers(s.team)))
	s.mux.HandleFunc("GET /team/playbooks/{id}", s.signedIn(s.trainers(s.playbookPage)))
	s.mux.HandleFunc("POST /attempts/{id}/grade", s.signedIn(s.trainers(s.grade)))
	return s, nil
}

// ServeHTTP serves a request with the headers every response carries, a
// log line, and a 500 page for a panic.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.cfg.Now()
	h := w.Header()
	// Nothing but this server's own styles: no script runs at all.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			s.cfg.Log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !rec.wrote {
				http.Error(rec, "internal error", http.StatusInternalServerError)
			}
		}
		s.cfg.Log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"ms", float64(s.cfg.Now().Sub(start).Microseconds())/1000, "remote", r.RemoteAddr)
	}()
	s.mux.ServeHTTP(rec, r)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, _, err := s.cfg.Store.Schema(ctx); err != nil {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// render writes a page; the templates escape everything from files.
func (s *Server) render(w http.ResponseWriter, status int, page string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.pages.ExecuteTemplate(w, page, data); err != nil {
		s.cfg.Log.Error("template", "page", page, "err", err.Error())
	}
}

// fail shows an error page with a message for people.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "error.html", map[string]any{"Status": status, "Message": msg, "User": userOf(r)})
}
