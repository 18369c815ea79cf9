package ui

import (
	"sync"
	"time"

	"fritidsjob/fault"
)

// errExportBusy refuses a second streamed export while the user's first
// is still running.
var errExportBusy = fault.New(fault.Throttled, "export_busy")

// exportSlots lets each user run one streamed export at a time: a large
// evaluation export holds a read transaction and a core for seconds, so
// repeated clicks (or a stolen session) must not pile them up. A slot is
// freed when its stream ends, and at the latest after ttl, should the
// stream never start.
type exportSlots struct {
	mu   sync.Mutex
	ttl  time.Duration
	busy map[uint64]time.Time // user → when the slot frees itself
}

func newExportSlots(ttl time.Duration) *exportSlots {
	return &exportSlots{ttl: ttl, busy: map[uint64]time.Time{}}
}

// take claims user's slot at now, or returns errExportBusy. The returned
// release frees it (once; later calls do nothing).
func (s *exportSlots) take(user uint64, now time.Time) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until, ok := s.busy[user]; ok && now.Before(until) {
		return nil, errExportBusy
	}
	until := now.Add(s.ttl)
	s.busy[user] = until
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.busy[user].Equal(until) {
				delete(s.busy, user)
			}
			s.mu.Unlock()
		})
	}, nil
}
