package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"fritidsjob/cv"
	"fritidsjob/digest"
	"fritidsjob/employers"
	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/notify/mail"
	"fritidsjob/notify/sms"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
	"fritidsjob/store/redis"
	"fritidsjob/ui"
)

// openStore opens the configured engine. A locked bbolt file fails within
// lockWait with a one-line explanation.
func openStore(c *config, lockWait time.Duration) (store.DB, error) {
	// The data directory holds the secret and the control socket in Redis
	// mode too.
	if err := os.MkdirAll(c.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", c.Data, err)
	}
	if c.RedisURL != "" {
		db, err := redis.Open(c.RedisURL, redis.Options{Prefix: c.RedisPrefix})
		if err != nil {
			return nil, fmt.Errorf("redis store: %w", err)
		}
		return db, nil
	}
	db, err := bolt.Open(c.dbPath(), bolt.Options{LockTimeout: lockWait})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("the database %s is in use by another fritidsjob process; stop it first, or use 'fritidsjob backup' and 'fritidsjob check', which work while it runs", c.dbPath())
	}
	return db, err
}

// serve is the serve subcommand: it opens the store, builds the services
// and the web app, and serves until ctx ends.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := serveFlags(stderr, &c)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	requests := newLineBuffer(stderr, 100*time.Millisecond)
	defer requests.Flush()
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	if c.RedisURL != "" {
		redis.SetLibraryLogger(log)
	}
	if c.httpsUnseen() {
		log.Warn("-public-url is https:// but there is neither TLS (-tls-cert, -tls-key) nor a trusted proxy (-trusted-proxies): cookies are marked Secure, yet the app cannot tell a request came over HTTPS, and the form check may refuse posts",
			"public_url", c.PublicURL)
	}
	db, ppl, secret, err := openPeople(&c, time.Second)
	if err != nil {
		return err
	}
	defer db.Close()
	engine, err := rules.Default()
	if err != nil {
		return err
	}
	if c.Demo {
		if err := serveDemo(&c, fs, db, ppl, engine, stdout); err != nil {
			return err
		}
	}
	channels, err := notifyChannels(&c, log)
	if err != nil {
		return err
	}
	cvs := cv.NewService(db, ppl, cv.Options{})
	inbox := notify.NewService(db, nil)
	jobsSvc, pointsSvc := jobs.NewService(db, ppl, engine, jobs.Options{}), points.NewService(db, points.Options{})
	// An employer sees a youth's phone and town (from the CV) only when
	// the youth agreed to it on the share.
	employersSvc := employers.NewService(db, ppl, engine, employers.Options{Contact: cvs.ContactTx})
	stops, smsChannels, err := smsChannel(&c, db, secret, log)
	if err != nil {
		return err
	}
	channels = append(channels, smsChannels...)
	app, err := ui.New(ui.Config{
		Secret:                 secret,
		Secure:                 c.TLSCert != "" || strings.HasPrefix(c.PublicURL, "https://"),
		PublicURL:              c.PublicURL,
		AccessLogRetention:     c.AccessLogKeep,
		InactiveYouthRetention: c.InactiveKeep,
		CaseNoteRetention:      c.CaseNoteKeep,
		TrustedProxies:         c.proxies(),
		SessionIdle:            c.SessionIdle,
		SessionMax:             c.SessionMax,
		RequireSecondFactor:    c.Require2FA,
		SMSWebhookSecret:       []byte(c.SMSWebhookSecret),
		Logger:                 log,
		AccessLog:              requests,
		Ready:                  func() error { return ready(db) },
		Channels:               channelNames(channels),
	}, ui.Deps{DB: db, People: ppl, Jobs: jobsSvc, Points: pointsSvc, CV: cvs, Employers: employersSvc, Notify: inbox, SMSStops: stops})
	if err != nil {
		return err
	}
	ln, err := listen(&c)
	if err != nil {
		return err
	}
	ctl, err := startControl(c.socketPath(), db, secret, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer ctl.Close()

	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	app.RunSweepers(bg, 10*time.Minute)
	stopNotify := startNotify(bg, db, inbox, notify.WorkerOptions{Logger: log, Lease: c.NotifyLease,
		Directory: stops.Directory(notify.PeopleDirectory(ppl)), Render: app.RenderMessage}, channels...)
	defer stopNotify()
	// Coordinators' follow-up notices (from 08:00 on the day) and Monday's
	// digest: each run acts only in its window and writes a message once.
	digestDone := make(chan struct{})
	go func() {
		defer close(digestDone)
		digest.NewService(db, ppl, jobsSvc, pointsSvc, employersSvc).Run(bg, 10*time.Minute, time.Now, log)
	}()
	defer func() { stopBG(); <-digestDone }()
	go runReminders(bg, jobsSvc, time.Minute, log)

	return serveUntilDone(ctx, &c, app, ln, log, stdout)
}

// channelNames are the names of chs, for the pages that say which
// channels are on.
func channelNames(chs []notify.Channel) []string {
	names := make([]string, len(chs))
	for i, c := range chs {
		names[i] = c.Name()
	}
	return names
}

// notifyChannels returns the external channels c configures (e-mail
// with -smtp-url) and logs which are on, never with a password.
func notifyChannels(c *config, log *slog.Logger) ([]notify.Channel, error) {
	var out []notify.Channel
	if c.SMTPURL == "" {
		log.Info("e-mail notifications off: no -smtp-url")
		return out, nil
	}
	cfg, err := mail.ParseURL(c.SMTPURL)
	if err != nil {
		return nil, fmt.Errorf("-smtp-url: %w", err)
	}
	ch, err := mail.New(cfg)
	if err != nil {
		return nil, err
	}
	log.Info("e-mail notifications on", "smtp", cfg.String())
	return append(out, ch), nil
}

// smsChannel returns the SMS stop list (its numbers hashed with a key
// derived from secret) and, when an SMS token is configured, the SMS
// channel through GatewayAPI. The token is never logged.
func smsChannel(c *config, db store.DB, secret []byte, log *slog.Logger) (*sms.StopList, []notify.Channel, error) {
	k := hmac.New(sha256.New, secret)
	k.Write([]byte("sms stop list"))
	stops, err := sms.NewStopList(db, k.Sum(nil), nil)
	if err != nil {
		return nil, nil, err
	}
	if c.SMSWebhookSecret == "" {
		log.Info("SMS replies (STOP) are not received: no -sms-webhook-secret")
	}
	if c.SMSToken == "" {
		log.Info("SMS is off: no -sms-token; messages go to the in-app inbox only")
		return stops, nil, nil
	}
	link := ""
	if c.PublicURL != "" {
		link = strings.TrimRight(c.PublicURL, "/") + "/b"
	}
	ch, err := sms.New(sms.Options{Gateway: sms.NewGatewayAPI(c.SMSGatewayURL, c.SMSToken, nil),
		Sender: c.SMSSender, Link: link, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	log.Info("SMS is on", "gateway", c.SMSGatewayURL, "sender", c.SMSSender)
	return stops, []notify.Channel{ch}, nil
}

// startNotify starts the outbox's delivery worker and the inbox's daily
// prune; the function it returns stops both and waits for the worker to
// finish the message it is sending. Without channels the worker only
// clears the fan-out of inbox messages.
func startNotify(ctx context.Context, db store.DB, inbox *notify.Service, o notify.WorkerOptions, channels ...notify.Channel) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	log := o.Logger
	w := notify.NewWorker(db, o, channels...)
	go func() {
		defer close(done)
		w.Run(ctx, 5*time.Second)
	}()
	go func() {
		t := time.NewTicker(24 * time.Hour)
		defer t.Stop()
		for {
			if n, err := inbox.Prune(time.Now()); err != nil {
				log.Error("prune messages", "err", err)
			} else if n > 0 {
				log.Info("pruned messages", "n", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// runReminders sends the task reminders that are due (jobs.Reminders)
// every interval until ctx ends. Every instance runs it: each reminder is
// written once, under its idempotency key, however many run it.
func runReminders(ctx context.Context, js *jobs.Service, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := js.Reminders(time.Now()); err != nil {
			log.Error("task reminders", "err", err)
		} else if n > 0 {
			log.Info("task reminders sent", "n", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// serveDemo seeds the demo data and, unless -require-2fa was given, lets
// staff log in without a second factor.
func serveDemo(c *config, fs *flag.FlagSet, db store.DB, ppl *people.Service, engine *rules.Engine, stdout io.Writer) error {
	if err := seedDemo(db, ppl, engine, time.Now(), stdout); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if !require2FAGiven(fs) {
		c.Require2FA = false
		fmt.Fprintln(stdout, "Demo: staff log in without a second factor (TOTP); use -require-2fa=true to require it.")
	}
	return nil
}

// serveUntilDone serves app on ln until it fails or ctx ends, then shuts
// it down.
func serveUntilDone(ctx context.Context, c *config, app *ui.App, ln net.Listener, log *slog.Logger, stdout io.Writer) error {
	errc := make(chan error, 1)
	go func() { errc <- app.Serve(ln) }()
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	where := "data: " + c.Data
	if c.RedisURL != "" {
		where = "data i Redis: " + redactURL(c.RedisURL)
	}
	fmt.Fprintf(stdout, "Fritidsjob kører på %s://%s (%s). Stop med Ctrl+C.\n", scheme, ln.Addr(), where)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := app.Shutdown(10 * time.Second); err != nil {
		log.Error("shutdown", "err", err)
	}
	return nil
}

// ready reports whether the store answers: a ping for engines that talk to a
// server, an empty read transaction otherwise.
// openPeople opens the store, reads the installation secret and starts the
// people service on them: what every command that touches accounts needs.
// On error nothing is left open.
func openPeople(c *config, lockWait time.Duration) (store.DB, *people.Service, []byte, error) {
	db, err := openStore(c, lockWait)
	if err != nil {
		return nil, nil, nil, err
	}
	secret, err := c.secret()
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	ppl, err := people.NewService(db, people.Options{Secret: secret, OnLock: notify.AccountLocked, OnConsentLink: notify.ConsentLinkCreated})
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, ppl, secret, nil
}

func ready(db store.DB) error {
	if p, ok := db.(interface{ Ping() error }); ok {
		return p.Ping()
	}
	return db.View(func(store.Tx) error { return nil })
}

// listen opens the TCP listener, wrapped in TLS when a certificate is set.
func listen(c *config) (net.Listener, error) {
	var tcfg *tls.Config
	if c.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("TLS certificate: %w", err)
		}
		tcfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	if tcfg != nil {
		ln = tls.NewListener(ln, tcfg)
	}
	return ln, nil
}
