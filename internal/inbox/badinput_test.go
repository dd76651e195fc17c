package inbox

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/run"
)

// TestBadInput: what a broken or hostile client sends gets an error reply
// or a closed connection, never a crash or a hang, and the server goes on
// serving the next client.
func TestBadInput(t *testing.T) {
	ts := startServer(t, Options{MaxLineLength: 1000})
	long := strings.Repeat("x", 5000)
	tests := []struct {
		name   string
		script func(c *client)
	}{
		{"unknown commands", func(c *client) {
			for _, cmd := range []string{"FOO", "EHLO", "MAIL", "RCPT TO:<open@bulletins.example.gov.uk>", "DATA", "\x00\x01\x02", "ÉHLO ünïcode"} {
				if code, _ := c.cmd(cmd); code != 0 && code < 400 {
					t.Errorf("%q accepted: %d", cmd, code)
				}
			}
		}},
		{"commands out of order", func(c *client) {
			c.expect("MAIL FROM:<a@example.org>", 502) // before EHLO
			c.expect("EHLO client.example", 250)
			c.expect("RCPT TO:<open@bulletins.example.gov.uk>", 502) // before MAIL
			c.expect("DATA", 502)
			c.expect("MAIL FROM:<a@example.org>", 250)
			c.expect("DATA", 502) // no recipient
		}},
		{"malformed addresses", func(c *client) {
			c.expect("EHLO client.example", 250)
			for _, cmd := range []string{"MAIL FROM:a@example.org>", "MAIL FROM:<<>>", "MAIL FROM:<a@example.org> BODY=", "MAIL TO:<a@example.org>"} {
				if code, _ := c.cmd(cmd); code != 0 && code < 500 {
					t.Errorf("%q: %d", cmd, code)
				}
			}
		}},
		{"bare LFs", func(c *client) {
			c.send("EHLO client.example\nMAIL FROM:<a@example.org>\nRCPT TO:<open@bulletins.example.gov.uk>\nDATA\n")
			for i := 0; i < 4; i++ {
				if code, _ := c.reply(); code == 0 {
					return
				}
			}
			// A message with bare LFs: a lone "\n.\n" does not end it.
			c.send("Subject: bare\n\n<p>one</p>\n.\n<p>two</p>\r\n.\r\n")
			if code, text := c.reply(); code != 250 && code < 400 {
				t.Errorf("data with bare LFs: %d %s", code, text)
			}
		}},
		{"long command line", func(c *client) {
			c.send("EHLO " + long + "\r\n")
			if code, _ := c.reply(); code != 0 && code < 500 {
				t.Errorf("long line: %d", code)
			}
			if !c.closed() {
				t.Error("not closed after a line too long")
			}
		}},
		{"long data line", func(c *client) {
			c.expect("EHLO client.example", 250)
			c.expect("MAIL FROM:<a@example.org>", 250)
			c.expect("RCPT TO:<open@bulletins.example.gov.uk>", 250)
			c.expect("DATA", 354)
			c.send("Subject: long\r\n\r\n" + long + "\r\n.\r\n")
			if code, _ := c.reply(); code != 0 && code < 400 {
				t.Errorf("long data line accepted: %d", code)
			}
		}},
		{"pipelining abuse", func(c *client) {
			// Everything at once, data included, then garbage, without
			// waiting for a reply.
			var b strings.Builder
			b.WriteString("EHLO client.example\r\n")
			for i := 0; i < 50; i++ {
				b.WriteString("MAIL FROM:<a@example.org>\r\nRCPT TO:<victim@elsewhere.example>\r\nRCPT TO:<open@bulletins.example.gov.uk>\r\nDATA\r\nSubject: p\r\n\r\n<p>p</p>\r\n.\r\nRSET\r\nNOOP\r\n")
			}
			b.WriteString("QUIT\r\n")
			c.send(b.String())
			if !c.closed() {
				t.Error("not closed")
			}
		}},
		{"data without end", func(c *client) {
			c.expect("EHLO client.example", 250)
			c.expect("MAIL FROM:<a@example.org>", 250)
			c.expect("RCPT TO:<open@bulletins.example.gov.uk>", 250)
			c.expect("DATA", 354)
			c.send("Subject: cut\r\n\r\n<p>cut short")
			c.conn.(*net.TCPConn).CloseWrite()
			c.closed()
		}},
		{"chunking", func(c *client) {
			// BDAT (RFC 3030) works, and its size cap too.
			msg := "From: a@example.org\r\nSubject: chunks\r\n\r\n<p>in two chunks</p>\r\n"
			c.expect("EHLO client.example", 250)
			c.expect("MAIL FROM:<a@example.org>", 250)
			c.expect("RCPT TO:<open@bulletins.example.gov.uk>", 250)
			c.send(fmt.Sprintf("BDAT %d\r\n%s", 20, msg[:20]))
			if code, text := c.reply(); code != 250 {
				t.Fatalf("first chunk: %d %s", code, text)
			}
			c.send(fmt.Sprintf("BDAT %d LAST\r\n%s", len(msg)-20, msg[20:]))
			if code, text := c.reply(); code != 250 {
				t.Fatalf("last chunk: %d %s", code, text)
			}
			c.expect("MAIL FROM:<a@example.org>", 250)
			c.expect("RCPT TO:<open@bulletins.example.gov.uk>", 250)
			c.expect("BDAT 99999999 LAST", 552)
		}},
		{"binary garbage", func(c *client) {
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(i * 7)
			}
			c.send(string(b))
			c.closed()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.script(ts.dial(t))
			// The server still serves a well-behaved client.
			c := ts.dial(t)
			c.expect("EHLO client.example", 250)
			c.expect("NOOP", 250)
			c.expect("QUIT", 221)
		})
	}
}

// TestLimits: a client that is slow, greedy or probing is cut off, with one
// log line per refusal.
func TestLimits(t *testing.T) {
	t.Run("connections per address", func(t *testing.T) {
		ts := startServer(t, Options{MaxConnsPerIP: 2})
		a, b := ts.dial(t), ts.dial(t)
		conn, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		third := &client{t: t, conn: conn, r: newReader(conn)}
		if code, text := third.reply(); code != 421 || !strings.Contains(text, "too many connections") {
			t.Errorf("third connection: %d %s", code, text)
		}
		conn.Close()
		a.expect("QUIT", 221)
		a.closed()
		// A slot is free again once a connection has closed. Until the
		// server has seen the close, a new connection is refused (and
		// logged) like the third.
		refused := 1
		waitFor(t, func() bool {
			c, err := net.Dial("tcp", ts.addr)
			if err != nil {
				return false
			}
			defer c.Close()
			cl := &client{t: t, conn: c, r: newReader(c)}
			code, _ := cl.reply()
			if code == 421 {
				refused++
			}
			return code == 220
		})
		b.expect("NOOP", 250)
		if n := strings.Count(ts.log.String(), "reason=limit"); n != refused {
			t.Errorf("limit refusals logged %d times, for %d refusals:\n%s", n, refused, ts.log)
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		ts := startServer(t, Options{ReadTimeout: 200 * time.Millisecond})
		c := ts.dial(t)
		c.expect("EHLO client.example", 250)
		if code, _ := c.reply(); code != 421 {
			t.Errorf("idle client: %d, want 421", code)
		}
		if !c.closed() {
			t.Error("idle connection not closed")
		}
		waitFor(t, func() bool { return strings.Count(ts.log.String(), "reason=timeout") == 1 })
	})
	t.Run("session timeout", func(t *testing.T) {
		ts := startServer(t, Options{SessionTimeout: 300 * time.Millisecond})
		c := ts.dial(t)
		// A client that keeps busy is still cut off at the session's end.
		deadline := time.Now().Add(hangLimit)
		for time.Now().Before(deadline) {
			if code, _ := c.cmd("NOOP"); code != 250 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !c.closed() {
			t.Error("session not closed")
		}
	})
	t.Run("refused recipients", func(t *testing.T) {
		ts := startServer(t, Options{MaxRefused: 3})
		c := ts.dial(t)
		c.expect("EHLO client.example", 250)
		c.expect("MAIL FROM:<a@example.org>", 250)
		c.expect("RCPT TO:<a@elsewhere.example>", 550)
		c.expect("RCPT TO:<b@elsewhere.example>", 550)
		c.expect("RCPT TO:<c@elsewhere.example>", 550)
		if !c.closed() {
			t.Error("a probing client is not cut off")
		}
		if n := strings.Count(ts.log.String(), "smtp: refused"); n != 3 {
			t.Errorf("%d refusals logged, want 3:\n%s", n, ts.log)
		}
	})
	t.Run("recipients per message", func(t *testing.T) {
		ts := startServer(t, Options{MaxRecipients: 2})
		c := ts.dial(t)
		c.expect("EHLO client.example", 250)
		c.expect("MAIL FROM:<a@example.org>", 250)
		c.expect("RCPT TO:<senders@bulletins.example.gov.uk>", 250)
		c.expect("RCPT TO:<senders-2@bulletins.example.gov.uk>", 250)
		c.expect("RCPT TO:<senders@bulletins.example.gov.uk>", 452)
	})
	t.Run("messages per connection", func(t *testing.T) {
		ts := startServer(t, Options{MaxMessages: 2})
		c := ts.dial(t)
		c.expect("EHLO client.example", 250)
		msg := []byte("From: a@example.org\r\nSubject: s\r\n\r\n<p>x</p>\r\n")
		for i := 0; i < 2; i++ {
			if code, text := c.message("a@example.org", []string{"open@bulletins.example.gov.uk"}, msg); code != 250 {
				t.Fatalf("message %d: %d %s", i, code, text)
			}
		}
		c.expect("MAIL FROM:<a@example.org>", 421)
		if !c.closed() {
			t.Error("not closed after too many messages")
		}
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(hangLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestShutdown: stopping closes idle connections at once, refuses new ones,
// and waits for a message being delivered.
func TestShutdown(t *testing.T) {
	ts := startServer(t, Options{})
	idle := ts.dial(t)
	idle.expect("EHLO client.example", 250)

	delivering := make(chan struct{})
	release := make(chan struct{})
	ts.recv.answer = func([]byte) (crawl.Received, error) {
		close(delivering)
		<-release
		return crawl.Received{Summary: run.Summary{Editions: 1}}, nil
	}
	busy := ts.dial(t)
	busy.expect("EHLO client.example", 250)
	busy.expect("MAIL FROM:<a@example.org>", 250)
	busy.expect("RCPT TO:<open@bulletins.example.gov.uk>", 250)
	busy.expect("DATA", 354)
	busy.send("Subject: s\r\n\r\n<p>x</p>\r\n.\r\n")
	<-delivering

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
		defer cancel()
		done <- ts.Shutdown(ctx)
	}()
	if !idle.closed() {
		t.Error("idle connection not closed")
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a message was being delivered", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if _, rec := ts.rec.last(); rec.Outcome != "indexed" {
		t.Errorf("the message being delivered was not finished: %+v", rec)
	}
	if c, err := net.Dial("tcp", ts.addr); err == nil {
		c.Close()
		t.Error("still accepting connections after Shutdown")
	}
}
