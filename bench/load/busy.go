package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// busyYouths log in for the mix with writes: youths of 15–17, whom the
// young-worker rules let claim most demo tasks.
var busyYouths = []string{"amira", "mads", "mikkel", "oliver", "sara", "zainab"}

// evaluator is the demo evaluator whose export runs during the busy mix.
const evaluatorUser, evaluatorPass = "aase", coordPass

var claimRE = regexp.MustCompile(`id="claim-(\d+)"`)

// busyMix is the mix with writes, per youth: 32 task-list views, 4 home
// views, the coordinator's approvals and task pages twice each, and one
// claim and one cancel of a task the youth may take (4.8 % writes). Each
// write commits and so makes every kept page stale. It returns the
// targets and a description.
func busyMix(base, coord, enc string) ([]target, string, error) {
	var mix []target
	writers := 0
	for _, u := range busyYouths {
		cookie, err := login(base, u, youthPIN)
		if err != nil {
			return nil, "", err
		}
		page, token, err := pageAndToken(base+"/a/1/tasks", cookie)
		if err != nil {
			return nil, "", fmt.Errorf("%s's task list: %w", u, err)
		}
		read := func(name, path, cookie string) target {
			return target{name: name, url: base + path, cookie: cookie, encoding: enc}
		}
		for range 32 {
			mix = append(mix, read("GET /a/1/tasks (6 youths)", "/a/1/tasks", cookie))
		}
		for range 4 {
			mix = append(mix, read("GET / (6 youths)", "/", cookie))
		}
		for range 2 {
			mix = append(mix, read("GET /a/1/approvals (coordinator)", "/a/1/approvals", coord),
				read("GET /a/1/manage/tasks (coordinator)", "/a/1/manage/tasks", coord))
		}
		m := claimRE.FindStringSubmatch(page)
		if m == nil {
			continue // nothing this youth may claim now
		}
		writers++
		task, _ := strconv.ParseUint(m[1], 10, 64)
		form := url.Values{"_csrf": {token}}.Encode()
		for _, act := range []string{"claim", "cancel"} {
			mix = append(mix, target{name: "POST claim / cancel (youths)", url: fmt.Sprintf("%s/a/1/tasks/%d/%s", base, task, act),
				cookie: cookie, encoding: enc, form: form})
		}
	}
	if writers == 0 {
		return nil, "", fmt.Errorf("no demo youth has a task to claim")
	}
	return mix, fmt.Sprintf("%d youths read, %d of them claim and cancel", len(busyYouths), writers), nil
}

// pageAndToken GETs a page and returns it with its CSRF token.
func pageAndToken(u, cookie string) (string, string, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", "", err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", "", err
	}
	m := csrfRE.FindSubmatch(b)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", "", fmt.Errorf("status %d, CSRF token found: %v", resp.StatusCode, m != nil)
	}
	return string(b), string(m[1]), nil
}

// exportLoop downloads the evaluator's ZIP export over and over, one at a
// time (the app allows one stream per user), until stop is closed.
type exportLoop struct {
	done, errs atomic.Int64
	bytes      atomic.Int64
	firstErr   atomic.Value
	wg         sync.WaitGroup
	cancel     context.CancelFunc
}

func startExports(ctx context.Context, base, cookie string) *exportLoop {
	ctx, cancel := context.WithCancel(ctx)
	l := &exportLoop{cancel: cancel}
	hc := &http.Client{Timeout: time.Minute}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for ctx.Err() == nil {
			status, n, err := fetch(ctx, hc, target{url: base + "/eval/export.zip", cookie: cookie})
			if ctx.Err() != nil {
				return
			}
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("export: status %d", status)
			}
			if err != nil {
				l.errs.Add(1)
				l.firstErr.CompareAndSwap(nil, err.Error())
				time.Sleep(100 * time.Millisecond)
				continue
			}
			l.done.Add(1)
			l.bytes.Add(int64(n))
		}
	}()
	return l
}

// stop ends the loop and waits for it.
func (l *exportLoop) stop() {
	l.cancel()
	l.wg.Wait()
}
