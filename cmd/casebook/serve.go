package main

import (
	"context"
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
	addr  string
	store string
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
	databaseStoreFlag(cmd, &opts.store)
	return cmd
}

func runServe(f *factory, opts *serveOptions) error {
	s := f.streams
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
	handler, err := web.New(web.Config{Store: st, Library: lib, Log: log})
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
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(s.ErrOut, "casebook: serving %s on http://%s (store %s); Ctrl-C stops\n", lib.Source, ln.Addr(), c)
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
