// Package redis implements the store contract on Redis, for installations
// that run several instances of the app against one shared database.
//
// # Key layout
//
// Every key starts with the installation prefix in one Redis Cluster hash
// tag, so one Redis can hold several installations and a transaction never
// spans cluster slots:
//
//	{PREFIX}:h:BUCKET   hash: key → 16-byte commit stamp + value
//	{PREFIX}:z:BUCKET   sorted set (all scores 0): the bucket's keys, for
//	                    ordered prefix scans with ZRANGEBYLEX (byte order)
//	{PREFIX}:bv         hash: bucket → version, bumped by every commit that
//	                    writes the bucket; field "" is the global commit counter
//	{PREFIX}:seq        hash: bucket → last ID handed out by NextID
//	{PREFIX}:dg         counter: commits with a write not made through
//	                    Quiet (the data generation, see store.Quieter)
//
// PREFIX defaults to "fritidsjob". The consequence of the single hash tag:
// one installation lives in one cluster slot (one shard). That is fine for
// the data volumes of this programme; it buys whole-installation atomic
// transactions without cross-slot coordination.
//
// # Transactions
//
// A Tx reads straight from Redis and records what it read: each key with the
// stamp of the commit that wrote it (or "absent"), and each scanned bucket
// with its version. Writes are buffered in the Tx (reads and scans see them).
// Commit is one Lua script that checks every recorded stamp and version and,
// only if none changed, applies all writes atomically; otherwise Update runs
// fn again (bounded, with jittered backoff). Because validation and writes
// happen in one atomic script, an Update is serializable at its commit
// point: a conflicting commit is never lost and never applied twice.
//
// View runs fn once without validation: every read sees only committed
// transactions (a commit is never half visible), but two reads in one View
// may straddle a concurrent commit. Code that needs a consistent picture of
// several keys uses Update, which validates even when it writes nothing.
//
// Batch is group commit: concurrent callers run one after another in one
// Tx and share one commit script (and one AOF fsync).
//
// NextID increments the bucket's sequence at call time (HINCRBY): IDs are
// unique and never reused; a rolled-back or retried transaction leaves gaps.
// A group commit (Batch) reserves one block of IDs per bucket for all its
// members, in one round trip.
//
// # Failures
//
// Connection failures and timeouts (500 ms by default) come back wrapping
// store.ErrUnavailable. Commands are never retried by the client library:
// a commit whose reply was lost is reported as unavailable (it may or may not
// have happened) rather than re-run, which could apply it twice.
package redis

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"fritidsjob/store"
)

// Options tune Open. The zero value is usable.
type Options struct {
	// Prefix names the installation; every key carries "{Prefix}:".
	// Default "fritidsjob".
	Prefix string
	// Timeout bounds dialling, each read and write on the connection, and
	// the wait for a free pooled connection (default 500 ms), so a request
	// fails with store.ErrUnavailable within about a second when Redis is
	// unreachable instead of hanging.
	Timeout time.Duration
	// PoolSize is the number of connections kept (default 64).
	PoolSize int
	// MaxAttempts bounds how often Update runs fn when commits conflict
	// (default 100); after that it fails with store.ErrUnavailable.
	MaxAttempts int
	// MaxBatchDelay is how long Batch waits to gather concurrent callers
	// into one commit (default 1 ms).
	MaxBatchDelay time.Duration
	// MaxBatchSize starts a group commit as soon as this many callers have
	// joined (default 64); 1 turns group commit off (Batch is Update).
	MaxBatchSize int
}

// DB is a store.DB on Redis.
type DB struct {
	c        *goredis.Client
	prefix   string // "{name}:"
	attempts int
	timeout  time.Duration
	retry    chan struct{} // the retry slot: capacity 1, see Update
	commits  atomic.Int64
	conflict atomic.Int64

	// Group commit for Batch (see Batch).
	batching   atomic.Int64 // Batch calls in flight
	batchDelay time.Duration
	maxBatch   int
	bmu        sync.Mutex
	pending    []*batchCall
	btimer     *time.Timer
}

// Stats counts what this DB handle did since Open.
type Stats struct {
	// Commits is the number of Update attempts that committed.
	Commits int64
	// Conflicts is the number of attempts that found something they read
	// changed and ran again.
	Conflicts int64
}

// Stats returns the commit and conflict counts, for benchmarks and
// operators judging contention.
func (d *DB) Stats() Stats {
	return Stats{Commits: d.commits.Load(), Conflicts: d.conflict.Load()}
}

var (
	_ store.DB      = (*DB)(nil)
	_ store.Checker = (*DB)(nil)
	_ store.Dumper  = (*DB)(nil)
	_ store.Loader  = (*DB)(nil)
	_ store.Quieter = (*DB)(nil)
)

// Open connects to the Redis server at url (redis://[user:pass@]host:port/db
// or rediss:// for TLS) and checks that it answers.
func Open(url string, o Options) (*DB, error) {
	opt, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis URL: %w", err)
	}
	if o.Prefix == "" {
		o.Prefix = "fritidsjob"
	}
	if o.Timeout <= 0 {
		o.Timeout = 500 * time.Millisecond
	}
	if o.PoolSize <= 0 {
		o.PoolSize = 64
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 100
	}
	if o.MaxBatchDelay <= 0 {
		o.MaxBatchDelay = time.Millisecond
	}
	if o.MaxBatchSize <= 0 {
		o.MaxBatchSize = 64
	}
	opt.DialTimeout = o.Timeout
	opt.ReadTimeout = o.Timeout
	opt.WriteTimeout = o.Timeout
	opt.PoolTimeout = o.Timeout
	opt.PoolSize = o.PoolSize
	opt.MaxRetries = -1   // a retried commit could apply twice; see package doc
	opt.DialerRetries = 1 // fail fast; the next request dials again
	opt.DisableIdentity = true
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	if strings.ContainsAny(o.Prefix, "{}") {
		return nil, fmt.Errorf("redis prefix %q: must not contain { or }", o.Prefix)
	}
	d := &DB{c: goredis.NewClient(opt), prefix: "{" + o.Prefix + "}:", attempts: o.MaxAttempts, timeout: o.Timeout, retry: make(chan struct{}, 1),
		batchDelay: o.MaxBatchDelay, maxBatch: o.MaxBatchSize}
	if err := d.Ping(); err != nil {
		d.c.Close()
		return nil, fmt.Errorf("open %s: %w", opt.Addr, err)
	}
	return d, nil
}

// Prefix is the installation name the keys are under.
func (d *DB) Prefix() string { return d.prefix[1 : len(d.prefix)-2] }

// Close closes the connection pool.
func (d *DB) Close() error { return d.c.Close() }

// Generation is the installation's commit counter, which the commit script
// raises with every transaction that writes (see commitScript).
func (d *DB) Generation() (uint64, error) {
	ctx, cancel := d.ctx()
	defer cancel()
	n, err := d.c.HGet(ctx, d.bvKey(), "").Uint64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	return n, wrap("generation", err)
}

// Generations returns Generation and the data generation, the count of
// commits with a write not made through Quiet, in one round trip.
func (d *DB) Generations() (all, data uint64, err error) {
	ctx, cancel := d.ctx()
	defer cancel()
	var a *goredis.StringCmd
	var b *goredis.StringCmd
	_, err = d.c.Pipelined(ctx, func(p goredis.Pipeliner) error {
		a = p.HGet(ctx, d.bvKey(), "")
		b = p.Get(ctx, d.dataGenKey())
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return 0, 0, wrap("generations", err)
	}
	if all, err = a.Uint64(); err != nil && !errors.Is(err, goredis.Nil) {
		return 0, 0, wrap("generation", err)
	}
	if data, err = b.Uint64(); err != nil && !errors.Is(err, goredis.Nil) {
		return 0, 0, wrap("data generation", err)
	}
	return all, data, nil
}

// Quiet returns a handle whose writes raise Generation but not the data
// generation (see store.Quieter).
func (d *DB) Quiet() store.DB { return quietDB{d} }

// quietDB is DB with quiet writes.
type quietDB struct{ d *DB }

func (q quietDB) View(fn func(store.Tx) error) error   { return q.d.View(fn) }
func (q quietDB) Update(fn func(store.Tx) error) error { return q.d.update(fn, true) }
func (q quietDB) Batch(fn func(store.Tx) error) error  { return q.d.batch(fn, true) }
func (q quietDB) Close() error                         { return nil }

// Ping checks that Redis answers, for readiness probes.
func (d *DB) Ping() error {
	ctx, cancel := d.ctx()
	defer cancel()
	return wrap("ping", d.c.Ping(ctx).Err())
}

func (d *DB) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*d.timeout)
}

func (d *DB) hashKey(bucket string) string { return d.prefix + "h:" + bucket }
func (d *DB) zsetKey(bucket string) string { return d.prefix + "z:" + bucket }
func (d *DB) bvKey() string                { return d.prefix + "bv" }
func (d *DB) dataGenKey() string           { return d.prefix + "dg" }
func (d *DB) seqKey() string               { return d.prefix + "seq" }

// wrap turns connection failures, timeouts and "server not ready" replies
// into store.ErrUnavailable, with context.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var rerr goredis.Error
	if errors.As(err, &rerr) {
		msg := rerr.Error()
		for _, p := range []string{"LOADING", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "BUSY"} {
			if len(msg) >= len(p) && msg[:len(p)] == p {
				return fmt.Errorf("redis %s: %w: %w", what, store.ErrUnavailable, err)
			}
		}
		return fmt.Errorf("redis %s: %w", what, err)
	}
	return fmt.Errorf("redis %s: %w: %w", what, store.ErrUnavailable, err)
}

// errConflict means a commit found something it read changed; Update
// retries. It never leaves the package.
var errConflict = errors.New("redis: transaction conflict")

// stampLen is the width of the commit stamp stored before each value.
const stampLen = 16

// View runs fn once in a read-only transaction (see the package doc for
// its isolation).
func (d *DB) View(fn func(store.Tx) error) error {
	t := d.newTx(false)
	return fn(t)
}

// Update runs fn in a serializable read-write transaction and commits it
// atomically, running fn again when a concurrent commit changed what it
// read.
//
// The first attempt runs in parallel with everything else. A retry first
// takes the process's retry slot (waiting at most a second for it), so
// transactions that keep colliding in one process run one at a time
// instead of wasting each other's work; only other instances still race
// them.
func (d *DB) Update(fn func(store.Tx) error) error { return d.update(fn, false) }

func (d *DB) update(fn func(store.Tx) error, quiet bool) error {
	backoff := 200 * time.Microsecond
	holding := false
	release := func() {
		if holding {
			<-d.retry
			holding = false
		}
	}
	defer release()
	for attempt := 1; ; attempt++ {
		t := d.newTx(true)
		t.quiet = quiet
		err := fn(t)
		if err == nil {
			err = t.commit()
		}
		if !errors.Is(err, errConflict) {
			if err == nil {
				d.commits.Add(1)
			}
			return err
		}
		d.conflict.Add(1)
		if attempt >= d.attempts {
			return fmt.Errorf("redis: gave up after %d conflicting attempts: %w", attempt, store.ErrUnavailable)
		}
		if !holding {
			timer := time.NewTimer(time.Second)
			select {
			case d.retry <- struct{}{}:
				holding = true
			case <-timer.C:
			}
			timer.Stop()
		} else {
			// Holding the slot and still conflicting: another instance
			// wins; back off a little.
			time.Sleep(backoff/2 + rand.N(backoff))
			backoff = min(backoff*2, 20*time.Millisecond)
		}
	}
}

// ReadConsistent runs fn on one consistent state of the store, which View
// does not promise on Redis: it is Update for a fn that only reads (writes
// fail with store.ErrReadOnly), so fn may run more than once.
func (d *DB) ReadConsistent(fn func(store.Tx) error) error {
	return d.Update(func(t store.Tx) error {
		t.(*tx).readOnly = true
		return fn(t)
	})
}

// Batch is Update with group commit: callers that overlap another Batch
// wait up to MaxBatchDelay (or until MaxBatchSize have joined) and then run
// one after another in one transaction with one commit script, so under
// load N callers cost one round trip and one fsync instead of N. A caller
// alone commits at once. A member whose fn fails is taken out and run on
// its own (its fn runs again); a conflict reruns the whole group.
func (d *DB) Batch(fn func(store.Tx) error) error { return d.batch(fn, false) }

func (d *DB) batch(fn func(store.Tx) error, quiet bool) error {
	n := d.batching.Add(1)
	defer d.batching.Add(-1)
	if n == 1 || d.maxBatch == 1 {
		return d.update(fn, quiet)
	}
	c := &batchCall{fn: fn, quiet: quiet, done: make(chan error, 1)}
	d.bmu.Lock()
	d.pending = append(d.pending, c)
	switch {
	case len(d.pending) >= d.maxBatch:
		calls := d.pending
		d.pending = nil
		if d.btimer != nil {
			d.btimer.Stop()
			d.btimer = nil
		}
		go d.runBatch(calls)
	case len(d.pending) == 1:
		d.btimer = time.AfterFunc(d.batchDelay, d.flushBatch)
	}
	d.bmu.Unlock()
	return <-c.done
}

// batchCall is one caller waiting in a group commit.
type batchCall struct {
	fn    func(store.Tx) error
	quiet bool
	done  chan error
}

// flushBatch runs the pending group when its delay is up.
func (d *DB) flushBatch() {
	d.bmu.Lock()
	calls := d.pending
	d.pending = nil
	d.btimer = nil
	d.bmu.Unlock()
	if len(calls) > 0 {
		d.runBatch(calls)
	}
}

// runBatch runs calls in one transaction and commits them together.
func (d *DB) runBatch(calls []*batchCall) {
	backoff := 200 * time.Microsecond
	for attempt := 1; len(calls) > 0; attempt++ {
		t := d.newTx(true)
		// The members are concurrent callers, so their relative ID order
		// is arbitrary anyway: take their IDs in one block per bucket.
		t.reserve = len(calls)
		var err error
		failed := -1
		for i, c := range calls {
			t.quiet = c.quiet
			if err = c.fn(t); err != nil {
				failed = i
				break
			}
		}
		if failed >= 0 && !errors.Is(err, errConflict) {
			// Take the failing member out; it runs alone, the rest again.
			c := calls[failed]
			go func() { c.done <- d.update(c.fn, c.quiet) }()
			calls = append(calls[:failed:failed], calls[failed+1:]...)
			continue
		}
		if err == nil {
			err = t.commit()
		}
		if err == nil {
			d.commits.Add(1)
		}
		if !errors.Is(err, errConflict) {
			for _, c := range calls {
				c.done <- err
			}
			return
		}
		d.conflict.Add(1)
		if attempt >= d.attempts {
			err = fmt.Errorf("redis: gave up after %d conflicting attempts: %w", attempt, store.ErrUnavailable)
			for _, c := range calls {
				c.done <- err
			}
			return
		}
		time.Sleep(backoff/2 + rand.N(backoff))
		backoff = min(backoff*2, 20*time.Millisecond)
	}
}

// ---- transaction ----

type readKey struct {
	bucket, key string
}

type tx struct {
	d        *DB
	writable bool
	readOnly bool                          // validated like an Update, but refuses writes
	reads    map[readKey]string            // key → stamp read ("" = absent)
	scans    map[string]string             // bucket → version read
	writes   map[string]map[string]*[]byte // bucket → key → value (nil = delete)
	// cache holds what this Tx already read (nil = absent), so a key read
	// twice costs one round trip. Keys that came from a Scan are covered
	// by that bucket's recorded version instead of a stamp.
	cache map[readKey][]byte
	// reserve > 1 (a group commit of that many members) makes NextID take
	// that many IDs per round trip and hand them out from ids: one fsync
	// on Redis instead of one per member.
	reserve int
	ids     map[string][2]uint64 // bucket → next, last
	// quiet marks the writes fn makes now as quiet (store.Quieter); loud
	// records that some write was not, so the commit raises the data
	// generation.
	quiet, loud bool
}

func (d *DB) newTx(writable bool) *tx {
	return &tx{d: d, writable: writable}
}

func (x *tx) buffered(bucket string, key []byte) (val []byte, deleted, ok bool) {
	if x.writes == nil {
		return nil, false, false
	}
	v, ok := x.writes[bucket][string(key)]
	if !ok {
		return nil, false, false
	}
	if v == nil {
		return nil, true, true
	}
	return *v, false, true
}

func (x *tx) Get(bucket string, key []byte) ([]byte, error) {
	if bucket == "" || len(key) == 0 {
		return nil, store.ErrBadKey
	}
	if v, deleted, ok := x.buffered(bucket, key); ok {
		if deleted {
			return nil, nil
		}
		return bytes.Clone(v), nil
	}
	if v, ok := x.cache[readKey{bucket, string(key)}]; ok {
		return bytes.Clone(v), nil
	}
	ctx, cancel := x.d.ctx()
	defer cancel()
	raw, err := x.d.c.HGet(ctx, x.d.hashKey(bucket), string(key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		x.recordRead(bucket, key, "")
		x.remember(bucket, key, nil)
		return nil, nil
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("get %s/%x", bucket, key), err)
	}
	if len(raw) < stampLen {
		return nil, fmt.Errorf("redis get %s/%x: stored value shorter than its stamp", bucket, key)
	}
	x.recordRead(bucket, key, string(raw[:stampLen]))
	x.remember(bucket, key, raw[stampLen:])
	return bytes.Clone(raw[stampLen:]), nil
}

// remember caches a value read from Redis (nil = absent) for this Tx.
func (x *tx) remember(bucket string, key, val []byte) {
	if x.cache == nil {
		x.cache = map[readKey][]byte{}
	}
	x.cache[readKey{bucket, string(key)}] = val
}

func (x *tx) recordRead(bucket string, key []byte, stamp string) {
	if !x.writable {
		return
	}
	if x.reads == nil {
		x.reads = map[readKey]string{}
	}
	rk := readKey{bucket, string(key)}
	if _, seen := x.reads[rk]; !seen { // the first read is what fn based its work on
		x.reads[rk] = stamp
	}
}

func (x *tx) write(bucket string, key []byte, val *[]byte) {
	if !x.quiet {
		x.loud = true
	}
	if x.writes == nil {
		x.writes = map[string]map[string]*[]byte{}
	}
	b := x.writes[bucket]
	if b == nil {
		b = map[string]*[]byte{}
		x.writes[bucket] = b
	}
	b[string(key)] = val
}

func (x *tx) Put(bucket string, key, val []byte) error {
	if bucket == "" || len(key) == 0 {
		return store.ErrBadKey
	}
	if !x.writable || x.readOnly {
		return store.ErrReadOnly
	}
	v := bytes.Clone(val)
	if v == nil {
		v = []byte{}
	}
	x.write(bucket, key, &v)
	return nil
}

func (x *tx) Delete(bucket string, key []byte) error {
	if bucket == "" || len(key) == 0 {
		return store.ErrBadKey
	}
	if !x.writable || x.readOnly {
		return store.ErrReadOnly
	}
	x.write(bucket, key, nil)
	return nil
}

func (x *tx) NextID(bucket string) (uint64, error) {
	if bucket == "" {
		return 0, store.ErrBadKey
	}
	if !x.writable || x.readOnly {
		return 0, store.ErrReadOnly
	}
	if r, ok := x.ids[bucket]; ok && r[0] <= r[1] {
		x.ids[bucket] = [2]uint64{r[0] + 1, r[1]}
		return r[0], nil
	}
	take := int64(max(x.reserve, 1))
	ctx, cancel := x.d.ctx()
	defer cancel()
	n, err := x.d.c.HIncrBy(ctx, x.d.seqKey(), bucket, take).Result()
	if err != nil {
		return 0, wrap("next id "+bucket, err)
	}
	first := uint64(n - take + 1)
	if take > 1 {
		if x.ids == nil {
			x.ids = map[string][2]uint64{}
		}
		x.ids[bucket] = [2]uint64{first + 1, uint64(n)}
	}
	return first, nil
}

// scanPage is how many pairs one scan round trip fetches.
const scanPage = 256

// scanScript returns the bucket's version and up to ARGV[4] key/value pairs
// in [ARGV[2], ARGV[3]] (ZRANGEBYLEX bounds), atomically.
var scanScript = goredis.NewScript(`
local ver = redis.call('HGET', KEYS[1], ARGV[1]) or '0'
local ks = redis.call('ZRANGEBYLEX', KEYS[3], ARGV[2], ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))
local out = {ver}
if #ks == 0 then return out end
local vs = redis.call('HMGET', KEYS[2], unpack(ks))
for i = 1, #ks do
  out[#out+1] = ks[i]
  out[#out+1] = vs[i] or ''
end
return out
`)

// prefixEnd is the exclusive ZRANGEBYLEX upper bound for keys starting with
// prefix: "+" when there is none.
func prefixEnd(prefix []byte) string {
	end := bytes.Clone(prefix)
	for len(end) > 0 {
		if end[len(end)-1] < 0xff {
			end[len(end)-1]++
			return "(" + string(end)
		}
		end = end[:len(end)-1]
	}
	return "+"
}

// Scan calls fn for the bucket's pairs under prefix in key order: the
// stored ones, fetched a page at a time, merged with this Tx's buffered
// writes. In a writable Tx, a bucket that changes between pages (or since
// an earlier scan of this Tx) is a conflict.
func (x *tx) Scan(bucket string, prefix []byte, fn func(key, val []byte) error) error {
	return x.ScanAfter(bucket, prefix, nil, fn)
}

// ScanAfter starts the sorted set's range just after the cursor (an
// exclusive ZRANGEBYLEX bound) when it sorts after prefix.
func (x *tx) ScanAfter(bucket string, prefix, after []byte, fn func(key, val []byte) error) error {
	if bucket == "" {
		return store.ErrBadKey
	}
	sc := &txScan{x: x, bucket: bucket, fn: fn, pend: x.pendingKeys(bucket, prefix, after)}
	lo, hi := "-", prefixEnd(prefix)
	if len(prefix) > 0 {
		lo = "[" + string(prefix)
	}
	if len(after) > 0 && bytes.Compare(after, prefix) >= 0 {
		lo = "(" + string(after)
	}
	for {
		pairs, err := sc.page(lo, hi)
		if err != nil {
			return err
		}
		if err := sc.emitPage(pairs); err != nil {
			return stopOK(err)
		}
		if len(pairs)/2 < scanPage {
			break
		}
		lastKey, _ := pairs[len(pairs)-2].(string)
		lo = "(" + lastKey
	}
	return stopOK(sc.flushPending(nil))
}

// pendingKeys lists the Tx's buffered writes to bucket under prefix and
// after the cursor (when there is one), in key order, to merge into a
// scan.
func (x *tx) pendingKeys(bucket string, prefix, after []byte) []string {
	var pend []string
	for k := range x.writes[bucket] {
		if bytes.HasPrefix([]byte(k), prefix) && (len(after) == 0 || k > string(after)) {
			pend = append(pend, k)
		}
	}
	sort.Strings(pend)
	return pend
}

// txScan is one Scan: the buffered writes not yet emitted, in key order.
type txScan struct {
	x      *tx
	bucket string
	fn     func(key, val []byte) error
	pend   []string
}

// emit calls fn with a copy of v.
func (sc *txScan) emit(k string, v []byte) error {
	return sc.fn([]byte(k), bytes.Clone(v))
}

// flushPending emits buffered puts with keys < limit (all when limit
// is nil) and drops them from pend.
func (sc *txScan) flushPending(limit *string) error {
	for len(sc.pend) > 0 && (limit == nil || sc.pend[0] < *limit) {
		k := sc.pend[0]
		sc.pend = sc.pend[1:]
		if v := sc.x.writes[sc.bucket][k]; v != nil {
			if err := sc.emit(k, *v); err != nil {
				return err
			}
		}
	}
	return nil
}

// page fetches the next page of stored pairs in [lo, hi] and, in a
// writable Tx, checks the bucket's version against the scans before.
func (sc *txScan) page(lo, hi string) ([]any, error) {
	x, bucket := sc.x, sc.bucket
	ctx, cancel := x.d.ctx()
	res, err := scanScript.Run(ctx, x.d.c, []string{x.d.bvKey(), x.d.hashKey(bucket), x.d.zsetKey(bucket)}, bucket, lo, hi, scanPage).Slice()
	cancel()
	if err != nil {
		return nil, wrap("scan "+bucket, err)
	}
	ver, _ := res[0].(string)
	if x.writable {
		if x.scans == nil {
			x.scans = map[string]string{}
		}
		if old, seen := x.scans[bucket]; !seen {
			x.scans[bucket] = ver
		} else if old != ver {
			return nil, errConflict // changed under this scan or since an earlier one
		}
	}
	return res[1:], nil
}

// emitPage emits one page's stored pairs, each after the buffered writes
// before it and replaced by this Tx's own write to the same key.
func (sc *txScan) emitPage(pairs []any) error {
	x, bucket := sc.x, sc.bucket
	for i := 0; i+1 < len(pairs); i += 2 {
		k, _ := pairs[i].(string)
		raw, _ := pairs[i+1].(string)
		if err := sc.flushPending(&k); err != nil {
			return err
		}
		if len(sc.pend) > 0 && sc.pend[0] == k { // overridden by this Tx
			v := x.writes[bucket][k]
			sc.pend = sc.pend[1:]
			if v != nil {
				if err := sc.emit(k, *v); err != nil {
					return err
				}
			}
			continue
		}
		if len(raw) < stampLen {
			return fmt.Errorf("redis scan %s/%x: stored value shorter than its stamp", bucket, k)
		}
		val := []byte(raw[stampLen:])
		x.remember(bucket, []byte(k), val)
		if err := sc.emit(k, val); err != nil {
			return err
		}
	}
	return nil
}

func stopOK(err error) error {
	if errors.Is(err, store.ErrStop) {
		return nil
	}
	return err
}

// commitScript validates the read set and applies the writes atomically.
//
// KEYS[1] = bucket-version hash; then per bucket i (1-based) KEYS[2i] its
// value hash and KEYS[2i+1] its sorted set; last, the data-generation
// counter.
// ARGV: loud ("1" when a write was not quiet), nBuckets, bucket names…,
// nReads, (bucketIdx, key, stamp)…, nScans, (bucketIdx, version)…,
// nWrites, (bucketIdx, op, key, value)…
// Returns 1 on commit, 0 on conflict. The field "" of the bucket-version
// hash counts commits that write (the generation and the value stamps).
var commitScript = goredis.NewScript(`
local loud = ARGV[1]
local a = 2
local nb = tonumber(ARGV[a]); a = a + 1
local names = {}
for i = 1, nb do names[i] = ARGV[a]; a = a + 1 end
local nr = tonumber(ARGV[a]); a = a + 1
for i = 1, nr do
  local b = tonumber(ARGV[a]); local k = ARGV[a+1]; local s = ARGV[a+2]; a = a + 3
  local v = redis.call('HGET', KEYS[2*b], k)
  if s == '' then
    if v then return 0 end
  else
    if (not v) or string.sub(v, 1, 16) ~= s then return 0 end
  end
end
local ns = tonumber(ARGV[a]); a = a + 1
for i = 1, ns do
  local b = tonumber(ARGV[a]); local want = ARGV[a+1]; a = a + 2
  local ver = redis.call('HGET', KEYS[1], names[b]) or '0'
  if ver ~= want then return 0 end
end
local nw = tonumber(ARGV[a]); a = a + 1
if nw == 0 then return 1 end
local c = redis.call('HINCRBY', KEYS[1], '', 1)
if loud == '1' then redis.call('INCR', KEYS[#KEYS]) end
local stamp = string.format('%016.0f', c)
local touched = {}
for i = 1, nw do
  local b = tonumber(ARGV[a]); local op = ARGV[a+1]; local k = ARGV[a+2]; local v = ARGV[a+3]; a = a + 4
  if op == 'p' then
    redis.call('HSET', KEYS[2*b], k, stamp .. v)
    redis.call('ZADD', KEYS[2*b+1], 0, k)
  else
    redis.call('HDEL', KEYS[2*b], k)
    redis.call('ZREM', KEYS[2*b+1], k)
  end
  touched[b] = true
end
for b, _ in pairs(touched) do
  redis.call('HINCRBY', KEYS[1], names[b], 1)
end
return 1
`)

func (x *tx) commit() error {
	if len(x.reads) == 0 && len(x.scans) == 0 && len(x.writes) == 0 {
		return nil
	}
	idx := map[string]int{}
	keys := []string{x.d.bvKey()}
	var names []string
	bucketIdx := func(b string) int {
		if i, ok := idx[b]; ok {
			return i
		}
		names = append(names, b)
		i := len(names)
		idx[b] = i
		keys = append(keys, x.d.hashKey(b), x.d.zsetKey(b))
		return i
	}
	var reads, scans, writes []any
	for rk, stamp := range x.reads {
		reads = append(reads, bucketIdx(rk.bucket), rk.key, stamp)
	}
	for b, ver := range x.scans {
		scans = append(scans, bucketIdx(b), ver)
	}
	// Deterministic write order keeps the AOF readable; order does not
	// matter for correctness.
	wb := make([]string, 0, len(x.writes))
	for b := range x.writes {
		wb = append(wb, b)
	}
	slices.Sort(wb)
	nw := 0
	for _, b := range wb {
		i := bucketIdx(b)
		for k, v := range x.writes[b] {
			if v == nil {
				writes = append(writes, i, "d", k, "")
			} else {
				writes = append(writes, i, "p", k, *v)
			}
			nw++
		}
	}
	keys = append(keys, x.d.dataGenKey())
	loud := "0"
	if x.loud {
		loud = "1"
	}
	args := make([]any, 0, 5+len(names)+len(reads)+len(scans)+len(writes))
	args = append(args, loud, len(names))
	for _, n := range names {
		args = append(args, n)
	}
	args = append(args, len(x.reads))
	args = append(args, reads...)
	args = append(args, len(x.scans))
	args = append(args, scans...)
	args = append(args, nw)
	args = append(args, writes...)
	ctx, cancel := x.d.ctx()
	defer cancel()
	n, err := commitScript.Run(ctx, x.d.c, keys, args...).Int()
	if err != nil {
		return wrap("commit", err)
	}
	if n != 1 {
		return errConflict
	}
	return nil
}

// ---- operations ----

// CheckIntegrity verifies that every bucket's hash and sorted set hold the
// same keys and that every stored value carries its stamp.
func (d *DB) CheckIntegrity() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	buckets, err := d.buckets(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, b := range buckets {
		h, err := d.c.HGetAll(ctx, d.hashKey(b)).Result()
		if err != nil {
			return wrap("check "+b, err)
		}
		z, err := d.c.ZRangeWithScores(ctx, d.zsetKey(b), 0, -1).Result()
		if err != nil {
			return wrap("check "+b, err)
		}
		inZ := make(map[string]bool, len(z))
		for _, m := range z {
			k, _ := m.Member.(string)
			inZ[k] = true
			if m.Score != 0 {
				errs = append(errs, fmt.Errorf("bucket %s: key %x has score %v, want 0", b, k, m.Score))
			}
			if _, ok := h[k]; !ok {
				errs = append(errs, fmt.Errorf("bucket %s: key %x is indexed but has no value", b, k))
			}
		}
		for k, v := range h {
			if !inZ[k] {
				errs = append(errs, fmt.Errorf("bucket %s: key %x has a value but is not indexed", b, k))
			}
			if len(v) < stampLen {
				errs = append(errs, fmt.Errorf("bucket %s: key %x: value shorter than its stamp", b, k))
			} else if _, err := strconv.ParseUint(v[:stampLen], 10, 64); err != nil {
				errs = append(errs, fmt.Errorf("bucket %s: key %x: bad stamp %q", b, k, v[:stampLen]))
			}
		}
	}
	return errors.Join(errs...)
}

// buckets lists every bucket that has keys or a sequence, sorted.
func (d *DB) buckets(ctx context.Context) ([]string, error) {
	seen := map[string]bool{}
	for _, pat := range []string{"h:", "z:"} {
		p := d.prefix + pat
		iter := d.c.Scan(ctx, 0, escapeGlob(p)+"*", 1000).Iterator()
		for iter.Next(ctx) {
			seen[iter.Val()[len(p):]] = true
		}
		if err := iter.Err(); err != nil {
			return nil, wrap("list buckets", err)
		}
	}
	seqs, err := d.c.HKeys(ctx, d.seqKey()).Result()
	if err != nil {
		return nil, wrap("list sequences", err)
	}
	for _, s := range seqs {
		seen[s] = true
	}
	out := make([]string, 0, len(seen))
	for b := range seen {
		out = append(out, b)
	}
	slices.Sort(out)
	return out, nil
}

func escapeGlob(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Buckets lists every bucket that holds keys or has a sequence, sorted.
func (d *DB) Buckets() ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return d.buckets(ctx)
}

// Sequence is the last ID NextID handed out for bucket (0 if none).
func (d *DB) Sequence(bucket string) (uint64, error) {
	ctx, cancel := d.ctx()
	defer cancel()
	n, err := d.c.HGet(ctx, d.seqKey(), bucket).Uint64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, wrap("sequence "+bucket, err)
	}
	return n, nil
}

// SetSequence makes the next NextID(bucket) return n+1.
func (d *DB) SetSequence(bucket string, n uint64) error {
	ctx, cancel := d.ctx()
	defer cancel()
	return wrap("set sequence "+bucket, d.c.HSet(ctx, d.seqKey(), bucket, strconv.FormatUint(n, 10)).Err())
}

// SetLibraryLogger sends go-redis's own log lines (such as failed dials
// while Redis is down) to log at warn level instead of the standard logger.
// go-redis keeps its logger in a package variable, so this is process-wide:
// main calls it once.
func SetLibraryLogger(log *slog.Logger) { goredis.SetLogger(libLogger{log}) }

type libLogger struct{ log *slog.Logger }

func (l libLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis client", "msg", fmt.Sprintf(format, v...))
}
