package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// A fetcher sends one GET and reads the whole response. Each load worker
// has its own.
type fetcher func(ctx context.Context, t target) (status, size int, err error)

// netHTTPFetcher uses Go's net/http client (shared keep-alive pool).
func netHTTPFetcher(hc *http.Client) func() fetcher {
	return func() fetcher {
		return func(ctx context.Context, t target) (int, int, error) { return fetch(ctx, hc, t) }
	}
}

// rawFetcher is a lean HTTP/1.1 client in the manner of wrk: one
// keep-alive connection per worker and server, a request written from
// prepared bytes, and a response read with just enough parsing (status
// line, Content-Length, Connection: close). On 2 cores the load client
// competes with the servers it measures, and net/http's client costs more
// CPU per response than either server; this one leaves them most of the
// machine, so bare fiber runs ~3 × faster and the ratio is stricter.
func rawFetcher() fetcher {
	conns := map[string]*rawConn{}
	return func(ctx context.Context, t target) (int, int, error) {
		if t.req == nil {
			return 0, 0, errors.New("raw client: target not prepared")
		}
		req, host := t.req.b, t.req.host
		rc := conns[host]
		if rc == nil {
			c, err := net.DialTimeout("tcp", host, 5*time.Second)
			if err != nil {
				return 0, 0, err
			}
			rc = &rawConn{c: c, r: bufio.NewReaderSize(c, 32<<10)}
			conns[host] = rc
		}
		status, size, keep, err := rc.do(req)
		if err != nil || !keep {
			rc.c.Close()
			delete(conns, host)
		}
		return status, size, err
	}
}

type rawConn struct {
	c net.Conn
	r *bufio.Reader
}

var errNoLength = errors.New("response without Content-Length")

// do writes req and reads one response, discarding its body.
func (rc *rawConn) do(req []byte) (status, size int, keep bool, err error) {
	if err := rc.c.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return 0, 0, false, err
	}
	if _, err := rc.c.Write(req); err != nil {
		return 0, 0, false, err
	}
	line, err := rc.r.ReadSlice('\n')
	if err != nil {
		return 0, 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, 0, false, fmt.Errorf("bad status line %q", line)
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, keep := -1, true
	for {
		line, err := rc.r.ReadSlice('\n')
		if err != nil {
			return status, 0, false, err
		}
		if len(line) <= 2 {
			break // the blank line after the headers
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(v)); err != nil {
				return status, 0, false, fmt.Errorf("bad Content-Length %q", v)
			}
		case bytes.EqualFold(k, []byte("Connection")) && bytes.EqualFold(v, []byte("close")):
			keep = false
		}
	}
	if length < 0 {
		return status, 0, false, errNoLength
	}
	n, err := rc.r.Discard(length)
	if err != nil && !errors.Is(err, io.EOF) {
		return status, n, false, err
	}
	return status, n, keep, err
}

func buildRaw(t target) ([]byte, string, error) {
	u, err := url.Parse(t.url)
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	method := "GET"
	if t.form != "" {
		method = "POST"
	}
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: fj-load\r\n", method, u.RequestURI(), u.Host)
	if t.cookie != "" {
		fmt.Fprintf(&b, "Cookie: %s\r\n", t.cookie)
	}
	if t.encoding != "" {
		fmt.Fprintf(&b, "Accept-Encoding: %s\r\n", t.encoding)
	}
	if t.form != "" {
		fmt.Fprintf(&b, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(t.form), t.form)
		return b.Bytes(), u.Host, nil
	}
	b.WriteString("\r\n")
	return b.Bytes(), u.Host, nil
}

// rawReq is a target's prepared request.
type rawReq struct {
	b    []byte
	host string
}

// prepared returns ts with their raw requests built.
func prepared(ts []target) ([]target, error) {
	out := make([]target, len(ts))
	for i, t := range ts {
		b, host, err := buildRaw(t)
		if err != nil {
			return nil, err
		}
		t.req = &rawReq{b: b, host: host}
		out[i] = t
	}
	return out, nil
}
