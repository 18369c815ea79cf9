package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"fritidsjob/store"
	"fritidsjob/store/bolt"
	"fritidsjob/store/redis"
)

// migrate copies a whole store between engines (bbolt file ↔ Redis) and
// checks the copy. The source must not be served meanwhile.
func migrate(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flagSet("migrate", stderr, &c)
	from := fs.String("from", "", "source: bolt:PATH or redis://host:port/db")
	to := fs.String("to", "", "destination (must be empty): bolt:PATH or redis://host:port/db")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: fritidsjob migrate -from bolt:PATH|redis://... -to bolt:PATH|redis://... [-redis-prefix NAME]\nStop the server first: the source must not change during the copy.")
		return errUsage
	}
	src, err := openSpec(*from, c.RedisPrefix, false)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	defer src.Close()
	dst, err := openSpec(*to, c.RedisPrefix, true)
	if err != nil {
		return fmt.Errorf("destination: %w", err)
	}
	defer dst.Close()
	start := time.Now()
	st, err := store.Copy(dst, src)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(stdout, "copied %d buckets, %d keys, %d sequences in %s\n", st.Buckets, st.Keys, st.Sequences, time.Since(start).Round(time.Millisecond))
	if err := runChecks(dst, nil); err != nil { // the copy holds the same sealed bytes: the engine and domain checks suffice
		return fmt.Errorf("the copy fails its checks:\n%w", err)
	}
	fmt.Fprintln(stdout, "check of the copy: OK")
	return nil
}

// openSpec opens "bolt:PATH" or a redis:// URL. A bbolt source must exist.
func openSpec(spec, prefix string, create bool) (store.DB, error) {
	switch {
	case strings.HasPrefix(spec, "bolt:"):
		path := strings.TrimPrefix(spec, "bolt:")
		if path == "" {
			return nil, errors.New("bolt: needs a file path")
		}
		if !create {
			if _, err := os.Stat(path); err != nil {
				return nil, fmt.Errorf("no database at %s: %w", path, err)
			}
		}
		db, err := bolt.Open(path, bolt.Options{LockTimeout: 300 * time.Millisecond})
		if errors.Is(err, store.ErrLocked) {
			return nil, fmt.Errorf("%s is in use by a running fritidsjob; stop it first", path)
		}
		return db, err
	case strings.HasPrefix(spec, "redis://"), strings.HasPrefix(spec, "rediss://"):
		return redis.Open(spec, redis.Options{Prefix: prefix})
	default:
		return nil, fmt.Errorf("%q: want bolt:PATH or redis://host:port/db", spec)
	}
}

// redactURL hides a password in a URL meant for logs and messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
