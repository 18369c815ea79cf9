package mail_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// mailpit is a real SMTP server (github.com/axllent/mailpit) run by a
// test on free 127.0.0.1 ports, read through its HTTP API.
type mailpit struct {
	smtpPort int
	api      string // http://127.0.0.1:port
}

// startMailpit starts mailpit with extra flags and stops it when the test
// ends. Without mailpit on PATH the test is skipped, unless
// FRITIDSJOB_REQUIRE_MAILPIT=1 (CI), when it fails.
func startMailpit(t *testing.T, flags ...string) *mailpit {
	t.Helper()
	return startMailpitOn(t, 0, flags...)
}

// startMailpitOn is startMailpit with SMTP on port smtpPort (0: a free one).
func startMailpitOn(t *testing.T, smtpPort int, flags ...string) *mailpit {
	t.Helper()
	bin := mailpitBin(t)
	if smtpPort == 0 {
		smtpPort = freePort(t)
	}
	mp := &mailpit{smtpPort: smtpPort}
	httpAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	mp.api = "http://" + httpAddr
	args := append([]string{
		"--smtp", "127.0.0.1:" + strconv.Itoa(mp.smtpPort), "--listen", httpAddr,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--disable-version-check", "--smtp-disable-rdns", "--quiet",
	}, flags...)
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			t.Fatalf("mailpit exited at start: %v\n%s", err, out.String())
		default:
		}
		if r, err := http.Get(mp.api + "/readyz"); err == nil {
			r.Body.Close()
			if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(mp.smtpPort), time.Second); err == nil && r.StatusCode == http.StatusOK {
				c.Close()
				return mp
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit not ready after 30 s\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mailpitBin returns the path of mailpit; without it on PATH it skips
// the test, unless FRITIDSJOB_REQUIRE_MAILPIT=1 (CI), when it fails it.
func mailpitBin(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("mailpit")
	if err != nil {
		if os.Getenv("FRITIDSJOB_REQUIRE_MAILPIT") == "1" {
			t.Fatalf("mailpit not on PATH and FRITIDSJOB_REQUIRE_MAILPIT=1: %v", err)
		}
		t.Skip("mailpit not on PATH (go install github.com/axllent/mailpit@v1.33.1)")
	}
	return bin
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type address struct{ Name, Address string }

// summary is a message in mailpit's list.
type summary struct {
	ID, MessageID, Subject string
	To                     []address
}

// message is one message as mailpit's API shows it.
type message struct {
	ID, MessageID, Subject string
	From                   address
	To                     []address
	Text, HTML             string
}

func (mp *mailpit) get(t *testing.T, path string, into any) {
	t.Helper()
	r, err := http.Get(mp.api + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s: %s", path, r.Status, b)
	}
	if s, ok := into.(*string); ok {
		*s = string(b)
		return
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("mailpit %s: %v: %s", path, err, b)
	}
}

// messages returns every message mailpit holds, newest first.
func (mp *mailpit) messages(t *testing.T) []summary {
	t.Helper()
	var list struct {
		Total    int
		Messages []summary
	}
	mp.get(t, "/api/v1/messages?limit=500", &list)
	if list.Total != len(list.Messages) {
		t.Fatalf("mailpit holds %d messages, listed %d", list.Total, len(list.Messages))
	}
	return list.Messages
}

func (mp *mailpit) message(t *testing.T, id string) message {
	t.Helper()
	var m message
	mp.get(t, "/api/v1/message/"+id, &m)
	return m
}

func (mp *mailpit) raw(t *testing.T, id string) string {
	t.Helper()
	var s string
	mp.get(t, "/api/v1/message/"+id+"/raw", &s)
	return s
}

// selfSigned writes a certificate for 127.0.0.1 and its key into dir and
// returns their paths and a TLS config that trusts it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, trust *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	write := func(path, typ string, b []byte) {
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(certFile, "CERTIFICATE", der)
	write(keyFile, "EC PRIVATE KEY", kder)
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// url is the -smtp-url of mp with the query q.
func (mp *mailpit) url(scheme, user, q string) string {
	return fmt.Sprintf("%s://%s127.0.0.1:%d?%s", scheme, user, mp.smtpPort, q)
}
