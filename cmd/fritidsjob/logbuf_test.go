package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingSink records what reaches the real log output and in how many writes.
type countingSink struct {
	mu     sync.Mutex
	writes int
	buf    bytes.Buffer
}

func (s *countingSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.buf.Write(p)
}

func (s *countingSink) snapshot() (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes, s.buf.String()
}

func TestLineBufferBatchesRequestLines(t *testing.T) {
	sink := &countingSink{}
	b := newLineBuffer(sink, time.Hour) // only size and Flush write
	for i := range 1000 {
		fmt.Fprintf(b, "time=2026-11-25T23:24:05.123Z level=INFO msg=request path=/a/1/tasks n=%d\n", i)
	}
	writes, _ := sink.snapshot()
	if writes == 0 || writes > 1000*80/lineBufferMax+1 {
		t.Fatalf("1000 lines took %d writes; want a few of 32 KiB", writes)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	_, out := sink.snapshot()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1000 || !strings.HasSuffix(lines[999], "n=999") || !strings.HasSuffix(lines[500], "n=500") {
		t.Fatalf("after Flush: %d lines; want all 1000 in order", len(lines))
	}
}

func TestLineBufferWritesWithinDelay(t *testing.T) {
	sink := &countingSink{}
	b := newLineBuffer(sink, 20*time.Millisecond)
	fmt.Fprintln(b, "msg=request path=/a/1/tasks")
	if _, out := sink.snapshot(); out != "" {
		t.Fatal("a request line was written at once; want it batched")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, out := sink.snapshot(); strings.Contains(out, "/a/1/tasks") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the line was not written within 5 s of a 20 ms delay")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
