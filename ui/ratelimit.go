package ui

import (
	"net"
	"sync"
	"time"

	"fritidsjob/fault"

	"github.com/gofiber/fiber/v2"
)

// verifyRateLimit is how many verification pages (/v) one client address
// gets per minute: plenty for an employer checking a few CVs, too few to
// flood a youth's access page or to guess codes.
const verifyRateLimit = 30

// rateLimitAddresses bounds how many addresses a rateLimiter remembers.
const rateLimitAddresses = 10000

// tooManyError refuses a request with 429, the message of Code ("err." +
// Code) and a Retry-After of RetryAfter. It unwraps to a fault.Error of
// kind Throttled.
type tooManyError struct {
	Code       string
	RetryAfter time.Duration
}

func (e *tooManyError) Error() string { return "too many requests: " + e.Code }

// Unwrap gives the kind and code that classify maps.
func (e *tooManyError) Unwrap() error { return fault.New(fault.Throttled, e.Code) }

// rateLimiter counts requests per key (a client address) in fixed windows,
// on the injected clock. It lives in this process's memory: with several
// instances (Redis) each allows the limit on its own, which is acceptable
// for the anonymous pages it guards (the limit only has to keep one client
// from flooding them, not to be exact). Logins are throttled in the store.
type rateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	max    int
	m      map[string]rateWindow
}

type rateWindow struct {
	start time.Time
	n     int
}

func newRateLimiter(limit int, window time.Duration, max int) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, max: max, m: map[string]rateWindow{}}
}

// allow counts a request of key at now and reports whether it is within
// the limit, and if not, how long until it will be. When max keys have
// open windows, a new key is refused (fails closed) until some expire:
// that many addresses within one window is an attack, not employers.
func (l *rateLimiter) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.m[key]
	if !ok || !now.Before(w.start.Add(l.window)) {
		if !ok && len(l.m) >= l.max {
			for k, v := range l.m {
				if !now.Before(v.start.Add(l.window)) {
					delete(l.m, k)
				}
			}
			if len(l.m) >= l.max {
				return l.window, false
			}
		}
		w = rateWindow{start: now}
	}
	if w.n >= l.limit {
		return w.start.Add(l.window).Sub(now), false
	}
	w.n++
	l.m[key] = w
	return 0, true
}

// limitKey is the key an address is limited under: an IPv6 address by its
// /64, which one client usually holds whole.
func limitKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// limited runs h only while the request's client address (clientIP: the
// proxy-aware one the login throttle uses) is within l's limit; beyond it
// the client gets 429 with the message of code and Retry-After.
func (a *App) limited(l *rateLimiter, code string, h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if wait, ok := l.allow(limitKey(a.clientIP(c)), a.cfg.Now()); !ok {
			return &tooManyError{Code: code, RetryAfter: wait}
		}
		return h(c)
	}
}
