// Package redistest starts a throwaway redis-server for tests: on a free
// loopback port, in a temporary directory, killed when the test ends. Tests
// of the Redis engine and of the app in Redis mode share it.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	// Addr is host:port on 127.0.0.1.
	Addr string
	// Dir is the server's working directory (its AOF/RDB files live here).
	Dir  string
	bin  string
	args []string
	cmd  *exec.Cmd
	done chan struct{}
}

// Options choose how the server persists.
type Options struct {
	// AOF turns on "appendonly yes" with "appendfsync always", so acknowledged
	// writes survive a restart (Stop then Start).
	AOF bool
}

// Binary returns the redis-server path, or skips the test with a reason
// when it is not on PATH; with FRITIDSJOB_REQUIRE_REDIS=1 it fails instead.
func Binary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("FRITIDSJOB_REQUIRE_REDIS") == "1" {
			t.Fatalf("redis-server not on PATH and FRITIDSJOB_REQUIRE_REDIS=1: %v", err)
		}
		t.Skip("redis-server not on PATH (install redis-server; FRITIDSJOB_REQUIRE_REDIS=1 makes this fail)")
	}
	return bin
}

// Start starts a redis-server and stops it in t.Cleanup.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := Binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{Addr: fmt.Sprintf("127.0.0.1:%d", port), Dir: t.TempDir(), bin: bin}
	s.args = []string{"--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--dir", s.Dir,
		"--save", "", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
		"--logfile", filepath.Join(s.Dir, "redis.log")}
	if o.AOF {
		s.args = append(s.args, "--appendonly", "yes", "--appendfsync", "always")
	} else {
		s.args = append(s.args, "--appendonly", "no")
	}
	t.Cleanup(func() { s.Stop(t) })
	s.Start(t)
	return s
}

// URL is the redis:// URL of the server.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Start (re)starts the server on the same port and directory and waits
// until it answers PING.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	if s.cmd != nil {
		t.Fatal("redistest: server already running")
	}
	cmd := exec.Command(s.bin, s.args...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() { cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ping(s.Addr) == nil {
			return
		}
		select {
		case <-s.done:
			log, _ := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
			s.cmd = nil
			t.Fatalf("redis-server exited at start:\n%s", log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s not answering within 10 s", s.Addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server (SIGKILL: like a crash, nothing is flushed beyond
// what its fsync policy already wrote) and waits for it to exit.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // harmless when running; SIGKILL works on a paused process too
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Pause freezes the server (SIGSTOP): connections stay open but nothing
// answers, like a hung host, so clients run into their timeouts.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	if s.cmd == nil {
		t.Fatal("redistest: server not running")
	}
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatalf("SIGSTOP redis-server: %v", err)
	}
}

// Resume lets a paused server go on (SIGCONT).
func (s *Server) Resume(t testing.TB) {
	t.Helper()
	if s.cmd == nil {
		t.Fatal("redistest: server not running")
	}
	if err := s.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatalf("SIGCONT redis-server: %v", err)
	}
}

// ping sends a raw PING and expects +PONG, without a client library.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("redis answered %q", line)
	}
	return nil
}
