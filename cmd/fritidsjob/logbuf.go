package main

import (
	"io"
	"sync"
	"time"
)

// lineBuffer collects the access log's request lines and writes them out
// together: within delay of the first waiting line, as soon as 32 KiB
// wait, and on Flush. A busy server then makes one write per batch instead
// of one per request. Other log records do not go through it, so they are
// never delayed; what a crash can lose is the last delay's worth of
// request lines.
type lineBuffer struct {
	w     io.Writer
	delay time.Duration

	mu    sync.Mutex
	buf   []byte
	timer *time.Timer
}

const lineBufferMax = 32 << 10

func newLineBuffer(w io.Writer, delay time.Duration) *lineBuffer {
	return &lineBuffer{w: w, delay: delay}
}

// Write keeps p (one whole access-log line) for the next flush.
func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) >= lineBufferMax {
		return len(p), b.flushLocked()
	}
	if b.timer == nil {
		b.timer = time.AfterFunc(b.delay, func() { _ = b.Flush() })
	}
	return len(p), nil
}

// Flush writes out every waiting line.
func (b *lineBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *lineBuffer) flushLocked() error {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	if cap(b.buf) > 4*lineBufferMax {
		b.buf = nil // a burst of long lines: do not keep its memory
	}
	return err
}
