package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/evaluation"
	"fritidsjob/jobs"
	"fritidsjob/notify"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

// domainChecks are the invariant checks of every domain package, run by
// 'fritidsjob check' in one read transaction.
var domainChecks = []struct {
	name  string
	check func(store.Tx) error
}{
	{"people", people.Check},
	{"jobs", jobs.Check},
	{"points", points.Check},
	{"participation", participation.Check},
	{"cv", cv.Check},
	{"employers", employers.Check},
	{"evaluation", evaluation.Check},
	{"notify", notify.Check},
}

// runChecks verifies the engine's own consistency, then every domain
// invariant; with the installation secret (nil skips it) also that every
// youth's sealed data opens.
func runChecks(db store.DB, secret []byte) error {
	var errs []error
	if c, ok := db.(store.Checker); ok {
		if err := c.CheckIntegrity(); err != nil {
			errs = append(errs, fmt.Errorf("store: %w", err))
		}
	}
	var domain []error
	err := consistentRead(db, func(tx store.Tx) error {
		domain = domain[:0] // fn may run more than once
		for _, d := range domainChecks {
			if err := d.check(tx); err != nil {
				domain = append(domain, fmt.Errorf("%s: %w", d.name, err))
			}
		}
		if secret != nil {
			if err := people.CheckSealed(tx, secret); err != nil {
				domain = append(domain, fmt.Errorf("people (sealed data): %w", err))
			}
		}
		return nil
	})
	errs = append(errs, domain...)
	if err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// consistentRead runs fn on one consistent state of the store: a View where
// views are snapshots (bbolt), a validated read-only transaction where they
// are not (Redis, which may rerun fn).
func consistentRead(db store.DB, fn func(store.Tx) error) error {
	if r, ok := db.(interface {
		ReadConsistent(func(store.Tx) error) error
	}); ok {
		return r.ReadConsistent(fn)
	}
	return db.View(fn)
}

// withStore runs fn on the database when no server holds it; when one does
// it returns locked=true so the caller can go through the control socket.
func withStore(c *config, fn func(store.DB) error) (locked bool, err error) {
	if c.RedisURL != "" {
		db, err := openStore(c, 0)
		if err != nil {
			return false, err
		}
		defer db.Close()
		return false, fn(db)
	}
	if _, err := os.Stat(c.dbPath()); err != nil {
		return false, fmt.Errorf("no database at %s: %w", c.dbPath(), err)
	}
	db, err := bolt.Open(c.dbPath(), bolt.Options{LockTimeout: 300 * time.Millisecond})
	if errors.Is(err, store.ErrLocked) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	defer db.Close()
	return false, fn(db)
}

func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flagSet("check", stderr, &c)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	secret, err := c.existingSecret()
	if err != nil {
		return err
	}
	locked, err := withStore(&c, func(db store.DB) error { return runChecks(db, secret) })
	if locked {
		resp, err := controlGet(ctx, c.socketPath(), "/check")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("check failed:\n%s", strings.TrimSpace(string(body)))
		}
		fmt.Fprintln(stdout, "OK (checked by the running server)")
		return nil
	}
	if err != nil {
		return fmt.Errorf("check failed:\n%w", err)
	}
	fmt.Fprintln(stdout, "OK")
	return nil
}

// backup is the backup subcommand: a verified copy of the store, taken
// directly or, while the server holds the store, through the server.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flagSet("backup", stderr, &c)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: fritidsjob backup [-data DIR] FILE")
		return errUsage
	}
	dst := fs.Arg(0)
	// Write next to the target and rename, so a failed backup never leaves a
	// half file under the name an operator would restore from.
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	var n int64
	locked, err := withStore(&c, func(db store.DB) error {
		b, ok := db.(store.Backuper)
		if !ok {
			// Redis: the backup is a bbolt file with the same data, which
			// 'fritidsjob migrate' can load back into Redis.
			return backupInto(tmp, db)
		}
		n, err = b.Backup(tmp)
		return err
	})
	if !locked && err == nil && n == 0 {
		if fi, serr := os.Stat(tmp.Name()); serr == nil {
			n = fi.Size()
		}
	}
	if locked {
		if n, err = backupFromServer(ctx, &c, tmp); err != nil {
			tmp.Close()
			return err
		}
	} else if err != nil {
		tmp.Close()
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// Verify the copy opens and is consistent before calling it a backup.
	secret, err := c.existingSecret()
	if err != nil {
		return err
	}
	if err := verifyBackup(tmp.Name(), secret); err != nil {
		return fmt.Errorf("backup is not usable: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup written to %s (%d bytes)\n", dst, n)
	return nil
}

// backupFromServer asks the running server for a backup and writes it to
// tmp, returning its size.
func backupFromServer(ctx context.Context, c *config, tmp *os.File) (int64, error) {
	resp, err := controlGet(ctx, c.socketPath(), "/backup")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		msg, _ := io.ReadAll(resp.Body)
		return 0, fmt.Errorf("backup: server says %s", strings.TrimSpace(string(msg)))
	}
	n, err := io.Copy(tmp, resp.Body)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// backupInto copies db into the empty file f as a bbolt database.
func backupInto(f *os.File, db store.DB) error {
	dst, err := bolt.Open(f.Name(), bolt.Options{})
	if err != nil {
		return err
	}
	if _, err := store.Copy(dst, db); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// existingSecret is the installation secret when one is set or stored, and
// nil (never a new one) otherwise: the checks open sealed data with it.
func (c *config) existingSecret() ([]byte, error) {
	if c.secretEnv == "" {
		if _, err := os.Stat(filepath.Join(c.Data, "secret")); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	return c.secret()
}

func verifyBackup(path string, secret []byte) error {
	db, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	return runChecks(db, secret)
}

func userAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c config
	fs := flagSet("user add", stderr, &c)
	username := fs.String("username", "", "login name (a–z, 0–9, . - _)")
	name := fs.String("name", "", "display name")
	isAdmin := fs.Bool("admin", false, "installation administrator")
	area := fs.Uint64("area", 0, "area ID for -role")
	role := fs.String("role", "", "role in -area: coordinator, task_owner, evaluator, employer_contact, guardian")
	lang := fs.String("lang", "da", "preferred language: da or en")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if *username == "" || *name == "" {
		fmt.Fprintln(stderr, "usage: fritidsjob user add -username NAME -name \"Display Name\" [-admin] [-area ID -role ROLE]\nThe password is read from standard input (one line).")
		return errUsage
	}
	fmt.Fprint(stderr, "Password (at least 10 characters): ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	fmt.Fprintln(stderr)
	n := people.NewUser{
		Username: *username, DisplayName: *name, Secret: strings.TrimRight(line, "\r\n"),
		SecretKind: people.SecretPassword, Admin: *isAdmin, Lang: *lang,
	}
	if *role != "" || *area != 0 {
		n.Memberships = []people.Membership{{AreaID: *area, Role: people.Role(*role)}}
	}
	db, ppl, _, err := openPeople(&c, 300*time.Millisecond)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := ppl.CreateUser(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %q created (id %d)\n", u.Username, u.ID)
	return nil
}
