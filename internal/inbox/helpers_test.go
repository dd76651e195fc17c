package inbox

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/run"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// testConfig has three sources: one that takes mail from anyone, one from
// GovDelivery only, one that also wants GovDelivery's DKIM signature.
const testConfig = `
[[source]]
id = "open"
title = "Open"
mail = ["open@bulletins.example.gov.uk"]

[[source]]
id = "senders"
title = "Senders"
mail = ["senders@bulletins.example.gov.uk", "senders-2@bulletins.example.gov.uk"]
mail_from = ["public.govdelivery.com", "officer@council.example.gov.uk"]

[[source]]
id = "signed"
title = "Signed"
mail = ["signed@bulletins.example.gov.uk"]
mail_from = ["govdelivery.com"]
mail_dkim = true
`

// recorder is a Recorder that keeps every record.
type recorder struct {
	mu   sync.Mutex
	mail []run.Mail
	srcs []string
}

func (r *recorder) RecordMail(source string, m run.Mail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mail = append(r.mail, m)
	r.srcs = append(r.srcs, source)
	return nil
}

func (r *recorder) last() (string, run.Mail) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.mail) == 0 {
		return "", run.Mail{}
	}
	return r.srcs[len(r.srcs)-1], r.mail[len(r.mail)-1]
}

// receiver is a Receiver that keeps the messages and answers as told.
type receiver struct {
	mu     sync.Mutex
	got    [][]byte
	answer func(msg []byte) (crawl.Received, error)
}

func (r *receiver) receive(_ context.Context, src *config.Source, msg []byte) (crawl.Received, error) {
	r.mu.Lock()
	r.got = append(r.got, msg)
	answer := r.answer
	r.mu.Unlock()
	if answer != nil {
		return answer(msg)
	}
	return crawl.Received{Summary: run.Summary{Source: src.ID, Editions: 1, Items: 3}, URL: "https://example.org/b/1"}, nil
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// testKey signs test messages as govdelivery.com (selector "test").
var testKey = func() ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil {
		panic(err)
	}
	return k
}()

// lookupTestKey answers DKIM key lookups: the test key for
// test._domainkey.govdelivery.com, a temporary failure for
// down._domainkey.govdelivery.com, nothing for the rest. No real DNS.
func lookupTestKey(domain string) ([]string, error) {
	switch domain {
	case "test._domainkey.govdelivery.com":
		return []string{"v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(testKey.Public().(ed25519.PublicKey))}, nil
	case "down._domainkey.govdelivery.com":
		return nil, &net.DNSError{Err: "server misbehaving", Name: domain, IsTemporary: true}
	}
	return nil, &net.DNSError{Err: "no such host", Name: domain, IsNotFound: true}
}

// sign returns msg with a DKIM-Signature of domain by the test key.
func sign(t testing.TB, msg []byte, domain, selector string) []byte {
	t.Helper()
	var out bytes.Buffer
	err := dkim.Sign(&out, bytes.NewReader(msg), &dkim.SignOptions{Domain: domain, Selector: selector,
		Signer: testKey, Hash: crypto.SHA256, HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization: dkim.CanonicalizationRelaxed})
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// fixture reads a test e-mail.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withFrom replaces the From: header of msg.
func withFrom(msg []byte, from string) []byte {
	head, body, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
	var lines []string
	for _, l := range strings.Split(string(head), "\r\n") {
		if strings.HasPrefix(strings.ToLower(l), "from:") {
			l = "From: " + from
		}
		lines = append(lines, l)
	}
	return append([]byte(strings.Join(lines, "\r\n")+"\r\n\r\n"), body...)
}

// testServer is an inbox on a loopback port.
type testServer struct {
	*Server
	addr string
	rec  *recorder
	recv *receiver
	log  *testenv.LogBuffer
}

func startServer(t testing.TB, opt Options) *testServer {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig), "test.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{rec: &recorder{}, recv: &receiver{}, log: &testenv.LogBuffer{}}
	opt.Log = slog.New(slog.NewTextHandler(ts.log, nil))
	if opt.LookupTXT == nil {
		opt.LookupTXT = lookupTestKey
	}
	ts.Server, err = New(cfg, ts.recv.receive, ts.rec, opt)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = l.Addr().String()
	done := make(chan error, 1)
	go func() { done <- ts.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := ts.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ts
}

// client is a raw SMTP client: it sends lines as given and reads replies.
type client struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
}

// hangLimit is how long a test waits for a reply before calling it a hang.
const hangLimit = 20 * time.Second

func (ts *testServer) dial(t testing.TB) *client {
	t.Helper()
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &client{t: t, conn: conn, r: bufio.NewReader(conn)}
	if code, text := c.reply(); code != 220 {
		t.Fatalf("greeting %d %s", code, text)
	}
	return c
}

// reply reads one (possibly multi-line) reply: its code and its text; code
// 0 when the connection closed.
func (c *client) reply() (int, string) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(hangLimit))
	var text []string
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				c.t.Fatalf("no reply within %s: the server hangs", hangLimit)
			}
			return 0, strings.Join(text, "\n")
		}
		line = strings.TrimRight(line, "\r\n")
		if len(line) < 4 {
			c.t.Fatalf("bad reply line %q", line)
		}
		text = append(text, line[4:])
		if line[3] == ' ' {
			var code int
			fmt.Sscanf(line[:3], "%d", &code)
			return code, strings.Join(text, "\n")
		}
	}
}

// send writes raw bytes.
func (c *client) send(s string) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(hangLimit))
	if _, err := c.conn.Write([]byte(s)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// cmd sends one command line and returns the reply.
func (c *client) cmd(line string) (int, string) {
	c.t.Helper()
	c.send(line + "\r\n")
	return c.reply()
}

// expect sends a command and fails unless the reply has the code.
func (c *client) expect(line string, want int) string {
	c.t.Helper()
	code, text := c.cmd(line)
	if code != want {
		c.t.Fatalf("%q: got %d %s, want %d", line, code, text, want)
	}
	return text
}

// message sends one whole transaction and returns the reply to its data
// (or to the first command refused).
func (c *client) message(from string, to []string, msg []byte) (int, string) {
	c.t.Helper()
	if code, text := c.cmd("MAIL FROM:<" + from + ">"); code != 250 {
		return code, text
	}
	for _, r := range to {
		if code, text := c.cmd("RCPT TO:<" + r + ">"); code != 250 {
			c.cmd("RSET")
			return code, text
		}
	}
	if code, text := c.cmd("DATA"); code != 354 {
		return code, text
	}
	c.send(dotStuff(msg) + ".\r\n")
	return c.reply()
}

// dotStuff escapes lines that start with a dot and ends the data with CRLF.
func dotStuff(msg []byte) string {
	s := string(msg)
	if !strings.HasSuffix(s, "\r\n") {
		s += "\r\n"
	}
	s = strings.ReplaceAll(s, "\r\n.", "\r\n..")
	if strings.HasPrefix(s, ".") {
		s = "." + s
	}
	return s
}

// closed reports whether the server closed the connection (within
// hangLimit).
func (c *client) closed() bool {
	c.conn.SetReadDeadline(time.Now().Add(hangLimit))
	for {
		_, err := c.r.ReadString('\n')
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				c.t.Fatalf("connection still open after %s: the server hangs", hangLimit)
			}
			return true
		}
	}
}

func newReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }
