package ui

import (
	"errors"
	"strconv"
	"sync"
	"time"

	"fritidsjob/evaluation"
)

// fitQueueWait is how long a fit waits for one of the global fit slots
// before the request is refused with 429: a little longer than a large fit
// takes (about a second for a million person-years), well within the
// server's write timeout.
const fitQueueWait = 15 * time.Second

// fitCacheSize bounds the kept fits.
const fitCacheSize = 16

// Refusals of a fit (429 with Retry-After).
var (
	// errFitBusy: the user's previous fit is still running.
	errFitBusy = &tooManyError{Code: "fit_busy", RetryAfter: 5 * time.Second}
	// errFitsFull: every fit slot stayed taken for fitQueueWait.
	errFitsFull = &tooManyError{Code: "fits_full", RetryAfter: 10 * time.Second}
)

// errFitUnfinished is what waiters get from a fit that panicked.
var errFitUnfinished = errors.New("chart fit did not finish")

// fitCache keeps fits of the event-study model and limits how many run. A
// fit holds a core for up to a second, so:
//   - a fit is kept under its inputs and the store's data generation
//     (store.Quieter), and served for as long as the data are the same,
//     however long that is: the page and its chart image fit once, and
//     after any write the next request fits again. Quiet writes (sessions,
//     the access log) leave it fresh;
//   - concurrent requests for the same fit share one computation;
//   - each user has at most one fit of their own running: a second, other
//     fit is refused (errFitBusy) instead of queued, so one user (or a
//     stolen session) cannot hold the cores with distinct fits;
//   - at most slots fits run at once (one per core); the rest wait up to
//     wait for a slot, then are refused (errFitsFull).
//
// Keys are the normalised options, checked against the user's areas before
// any lookup, with the Copenhagen day (the panel ends today).
type fitCache struct {
	kept  *genCache[fitEntry]
	slots chan struct{}
	wait  time.Duration

	mu    sync.Mutex
	calls map[string]*fitCall // running fits by key and generation
	busy  map[uint64]bool     // users with a fit of their own running

	// Test hooks: onFit runs in each computation before it fits, onWait
	// when a request joins a running computation.
	onFit, onWait func(key string)
}

type fitEntry struct {
	split *evaluation.GenderSplit
	err   error
}

// fitCall is one running computation; done closes when split and err are
// set.
type fitCall struct {
	done  chan struct{}
	split *evaluation.GenderSplit
	err   error
}

func newFitCache(slots int, wait time.Duration) *fitCache {
	return &fitCache{kept: newGenCache[fitEntry](fitCacheSize), slots: make(chan struct{}, max(slots, 1)),
		wait: wait, calls: map[string]*fitCall{}, busy: map[uint64]bool{}}
}

// get returns the fit for key as of data generation gen, for user: the
// kept one, the one running for someone else, or a new one made with fit.
// haveGen false (the store cannot tell its generation) fits without
// keeping the result. A store error is not kept; the estimator's refusal
// is (it is the answer for these data).
func (fc *fitCache) get(user uint64, key string, gen uint64, haveGen bool, fit func() (*evaluation.GenderSplit, error)) (*evaluation.GenderSplit, error) {
	if haveGen {
		if e, ok := fc.kept.get(key, gen); ok {
			return e.split, e.err
		}
	}
	callKey := key + "\x00" + strconv.FormatUint(gen, 10)
	fc.mu.Lock()
	if haveGen {
		// A fit may have finished between the look above and the lock.
		if e, ok := fc.kept.get(key, gen); ok {
			fc.mu.Unlock()
			return e.split, e.err
		}
	}
	if call, ok := fc.calls[callKey]; ok {
		fc.mu.Unlock()
		if fc.onWait != nil {
			fc.onWait(key)
		}
		<-call.done
		return call.split, call.err
	}
	if fc.busy[user] {
		fc.mu.Unlock()
		return nil, errFitBusy
	}
	fc.busy[user] = true
	call := &fitCall{done: make(chan struct{}), err: errFitUnfinished}
	if haveGen { // without a generation, nobody can tell whether they want this fit
		fc.calls[callKey] = call
	}
	fc.mu.Unlock()

	defer func() {
		fc.mu.Lock()
		var refusal *evaluation.RefusalError
		if haveGen {
			if call.err == nil || errors.As(call.err, &refusal) {
				fc.kept.put(key, gen, fitEntry{split: call.split, err: call.err})
			}
			delete(fc.calls, callKey)
		}
		delete(fc.busy, user)
		fc.mu.Unlock()
		close(call.done)
	}()
	call.split, call.err = fc.run(key, fit)
	return call.split, call.err
}

// run fits in one of the global slots, waiting up to fc.wait for one.
func (fc *fitCache) run(key string, fit func() (*evaluation.GenderSplit, error)) (*evaluation.GenderSplit, error) {
	select {
	case fc.slots <- struct{}{}:
	default:
		timer := time.NewTimer(fc.wait)
		defer timer.Stop()
		select {
		case fc.slots <- struct{}{}:
		case <-timer.C:
			return nil, errFitsFull
		}
	}
	defer func() { <-fc.slots }()
	if fc.onFit != nil {
		fc.onFit(key)
	}
	return fit()
}
