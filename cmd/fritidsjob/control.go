package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"fritidsjob/store"
)

// The control socket lets 'fritidsjob backup' and 'fritidsjob check' work
// while the server holds the database file's lock. It is a Unix socket in
// the data directory with mode 0600, so only the account that runs the
// server (or root) can use it; it is never on the network.

type control struct {
	srv  *http.Server
	path string
}

func startControl(path string, db store.DB, secret []byte, log *slog.Logger) (*control, error) {
	_ = os.Remove(path) // a stale socket from a killed server; the DB lock proves no one else serves
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		b, ok := db.(store.Backuper)
		if !ok {
			http.Error(w, "this engine has no hot backup", http.StatusNotImplemented)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		if n, err := b.Backup(w); err != nil {
			log.Error("backup over control socket", "err", err, "bytes", n)
			return
		}
		log.Info("backup written over control socket")
	})
	mux.HandleFunc("GET /check", func(w http.ResponseWriter, r *http.Request) {
		if err := runChecks(db, secret); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		io.WriteString(w, "OK\n")
	})
	c := &control{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, path: path}
	go func() {
		if err := c.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("control socket", "err", err)
		}
	}()
	return c, nil
}

// Close stops the socket and removes its file.
func (c *control) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.srv.Shutdown(ctx)
	os.Remove(c.path)
	return err
}

// controlGet asks the running server over its control socket.
func controlGet(ctx context.Context, socket, path string) (*http.Response, error) {
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://control"+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the database is in use, and the running server's control socket %s does not answer: %w", socket, err)
	}
	return resp, nil
}
