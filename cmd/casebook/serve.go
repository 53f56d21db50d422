package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/casebook/casebook/web"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	addr            string
	store           string
	tlsCert, tlsKey string
	authHeader      string
	trustedProxies  []string
}

func newServeCmd(f *factory) *cobra.Command {
	opts := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Train in the browser: a web server over a store",
		Long: `Serve runs casebook's training in the browser: trainees sign in, pick a
scenario and a tier, and work the case as a ticket (the customer's
messages, the ticket's details, the simulated clock, the facts verified so
far) with the moves grouped as an agent thinks of them. Every move is
stored as it is made, so closing the browser or restarting the server
leaves the attempt to be resumed; at the end the scorecard shows every
finding and the golden path beside the trainee's.

Attempts played here are marked supervised: the trainee never held the
moves. The browser never receives the case's hidden truth, the golden path,
trap findings or, in exam mode, hints before the case is closed. Pages are
rendered on the server and run no script; every asset is built in.

Accounts come from casebook users (casebook users add NAME --role trainee).
With --tls-cert and --tls-key the server speaks HTTPS only and its cookies
are Secure. Behind a single-sign-on proxy, --auth-header X-Forwarded-User
--trusted-proxy 10.0.0.5/32 signs in the account the proxy names, but only
for requests from that proxy (the header from anywhere else is ignored).
The store is --store, else $CASEBOOK_STORE, else the SQLite file
$XDG_DATA_HOME/casebook/casebook.db, created when missing. SIGINT or SIGTERM
stops the server after the requests in flight. GET /healthz answers "ok"
while the store answers. One log line per request goes to stderr (JSON).

` + exitCodesHelp,
		Example: `  casebook serve                                   # http://127.0.0.1:8080, embedded library (runs until stopped)
  casebook serve --addr :8080 --store sqlite:team.db --library ./library   # runs until stopped`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	cmd.Flags().StringVar(&opts.tlsCert, "tls-cert", "", "serve HTTPS with the certificate in `FILE` (PEM; with --tls-key)")
	cmd.Flags().StringVar(&opts.tlsKey, "tls-key", "", "the private key of --tls-cert, in `FILE` (PEM)")
	cmd.Flags().StringVar(&opts.authHeader, "auth-header", "", "single sign-on: believe the account named in request `HEADER` (such as X-Forwarded-User), from --trusted-proxy only")
	cmd.Flags().StringSliceVar(&opts.trustedProxies, "trusted-proxy", nil, "the `CIDR` of the proxy that sets --auth-header (repeatable)")
	databaseStoreFlag(cmd, &opts.store)
	return cmd
}

func runServe(f *factory, opts *serveOptions) error {
	s := f.streams
	// Every flag is checked before anything is opened.
	if (opts.tlsCert == "") != (opts.tlsKey == "") {
		return usageErrorf("--tls-cert and --tls-key go together: give both, or neither for plain HTTP")
	}
	var cert tls.Certificate
	if opts.tlsCert != "" {
		var err error
		if cert, err = tls.LoadX509KeyPair(opts.tlsCert, opts.tlsKey); err != nil {
			return usageErrorf("--tls-cert %s --tls-key %s: %v", opts.tlsCert, opts.tlsKey, err)
		}
	}
	var proxies []*net.IPNet
	for _, c := range opts.trustedProxies {
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return usageErrorf("--trusted-proxy %q is not a CIDR, such as 10.0.0.0/8 or 127.0.0.1/32", c)
		}
		proxies = append(proxies, n)
	}
	if opts.authHeader != "" && len(proxies) == 0 {
		return usageErrorf("--auth-header needs --trusted-proxy CIDR: a header anyone can send proves nothing")
	}
	if opts.authHeader == "" && len(proxies) > 0 {
		return usageErrorf("--trusted-proxy needs --auth-header, the header the proxy sets")
	}
	lib, err := f.library()
	if err != nil {
		return err
	}
	c, _, err := f.databaseStore(opts.store, true)
	if err != nil {
		return err
	}
	defer c.Close()
	st, ok := c.Store.(web.Store)
	if !ok {
		return usageErrorf("%s keeps no accounts", c)
	}
	log := slog.New(slog.NewJSONHandler(s.ErrOut, nil))
	handler, err := web.New(web.Config{Store: st, Library: lib, Log: log, Secure: opts.tlsCert != "",
		AuthHeader: opts.authHeader, TrustedProxies: proxies})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return usageErrorf("--addr %s: %v", opts.addr, unwrapNetError(err))
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	scheme := "http"
	if opts.tlsCert != "" {
		scheme = "https"
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(s.ErrOut, "casebook: serving %s on %s://%s (store %s); Ctrl-C stops\n", lib.Source, scheme, ln.Addr(), c)
	select {
	case err := <-done:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serving: %v", err)
		}
	case sig := <-stop:
		log.Info("stopping", "signal", sig.String())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			return fmt.Errorf("stopping: %v", err)
		}
	}
	return nil
}

// unwrapNetError is a listen error without the operation's prefix.
func unwrapNetError(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}
