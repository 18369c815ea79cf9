// Package smstest is a fake GatewayAPI for tests and benchmarks: a local
// HTTP server that speaks GatewayAPI's /rest/mtsms request and response
// format, its token check and error bodies, with a slow and a failing
// mode, and records every accepted message by its userref.
package smstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"fritidsjob/notify/sms"
)

// Gateway is the fake GatewayAPI.
type Gateway struct {
	*httptest.Server
	Token string

	mu       sync.Mutex
	delay    time.Duration
	fail     []int // statuses to answer the next requests with, in order
	nextID   uint64
	requests int
	inFlight int
	maxIn    int
	byRef    map[string][]sms.MTRequest
	at       map[string][]time.Time
}

// New starts a fake gateway accepting token; Close it when done.
func New(token string) *Gateway {
	g := &Gateway{Token: token, nextID: 1000, byRef: map[string][]sms.MTRequest{}, at: map[string][]time.Time{}}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serve))
	return g
}

// SetDelay makes every answer wait d (the slow mode).
func (g *Gateway) SetDelay(d time.Duration) {
	g.mu.Lock()
	g.delay = d
	g.mu.Unlock()
}

// FailNext makes the next requests fail with these HTTP statuses, one
// each, in order (401, 422, 429, 500, 503, …), with GatewayAPI's error body.
func (g *Gateway) FailNext(statuses ...int) {
	g.mu.Lock()
	g.fail = append(g.fail, statuses...)
	g.mu.Unlock()
}

// Sent returns the accepted messages with userref ref (more than one
// means it was delivered twice).
func (g *Gateway) Sent(ref string) []sms.MTRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]sms.MTRequest(nil), g.byRef[ref]...)
}

// AcceptedAt returns when the gateway accepted each message with
// userref ref, in order.
func (g *Gateway) AcceptedAt(ref string) []time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]time.Time(nil), g.at[ref]...)
}

// Refs returns how many times each userref was accepted.
func (g *Gateway) Refs() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.byRef))
	for k, v := range g.byRef {
		out[k] = len(v)
	}
	return out
}

// Requests returns how many requests reached the gateway, failed ones included.
func (g *Gateway) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests
}

// MaxInFlight returns the most requests the gateway was answering at once.
func (g *Gateway) MaxInFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.maxIn
}

// errorCodes are GatewayAPI-style codes for the statuses the fake answers.
var errorCodes = map[int]struct{ code, msg string }{
	http.StatusBadRequest:          {"0x0203", "Invalid JSON or request"},
	http.StatusUnauthorized:        {"0x0213", "Unauthorized: invalid API token"},
	http.StatusForbidden:           {"0x0216", "Insufficient credit"},
	http.StatusUnprocessableEntity: {"0x0229", "Invalid recipient"},
	http.StatusTooManyRequests:     {"0x0240", "Too many requests"},
	http.StatusInternalServerError: {"0x0100", "Internal error"},
	http.StatusServiceUnavailable:  {"0x0101", "Service unavailable"},
}

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.requests++
	g.inFlight++
	g.maxIn = max(g.maxIn, g.inFlight)
	defer func() { g.mu.Lock(); g.inFlight--; g.mu.Unlock() }()
	delay := g.delay
	status := 0
	if len(g.fail) > 0 {
		status, g.fail = g.fail[0], g.fail[1:]
	}
	g.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/rest/mtsms" {
		status = http.StatusNotFound
	} else if !g.authorized(r) {
		status = http.StatusUnauthorized
	}
	var req sms.MTRequest
	if status == 0 {
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Message == "" || len(req.Recipients) == 0 {
			status = http.StatusBadRequest
		} else if !sms.ValidSender(req.Sender) {
			status = http.StatusUnprocessableEntity
		} else if req.Encoding == "" && !sms.IsGSM7(req.Message) {
			status = http.StatusUnprocessableEntity // would be mangled as GSM-7
		}
	}
	// The slow mode waits after reading the request, as a gateway at work
	// would; a request whose client went away meanwhile is not taken.
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if status != 0 {
		e, ok := errorCodes[status]
		if !ok {
			e.code, e.msg = "0x0000", http.StatusText(status)
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"code":%q,"message":%q,"incident_uuid":"00000000-0000-4000-8000-%012d","variables":[]}`, e.code, e.msg, g.Requests())
		return
	}
	g.mu.Lock()
	ids := make([]uint64, len(req.Recipients))
	for i := range ids {
		g.nextID++
		ids[i] = g.nextID
	}
	g.byRef[req.UserRef] = append(g.byRef[req.UserRef], req)
	g.at[req.UserRef] = append(g.at[req.UserRef], time.Now())
	g.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"ids": ids, "usage": map[string]any{"currency": "DKK", "total_cost": 0.2}})
}

// authorized accepts "Authorization: Token <token>" and HTTP basic with
// the token as user name, as GatewayAPI does.
func (g *Gateway) authorized(r *http.Request) bool {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token "); ok {
		return t == g.Token
	}
	u, _, ok := r.BasicAuth()
	return ok && u == g.Token
}
