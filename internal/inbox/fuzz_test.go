package inbox

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/snapshot"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// FuzzMessage: any message, to any source, through the sender checks,
// DKIM verification and the crawler's Receive (MIME, parse, snapshot,
// index), is accepted, kept as failed or refused — never a crash, never a
// failure on "our side".
func FuzzMessage(f *testing.F) {
	bulletin := fixture(f, "bulletin.eml")
	f.Add(bulletin, 0)
	f.Add(sign(f, withFrom(bulletin, "wessex@public.govdelivery.com"), "govdelivery.com", "test"), 2)
	f.Add(fixture(f, "malformed.eml"), 1)
	f.Add([]byte("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--x--\r\n"), 0)
	f.Add([]byte("DKIM-Signature: v=1; a=rsa-sha256; d=govdelivery.com; s=test; h=from; bh=; b=\r\nFrom: x@govdelivery.com\r\n\r\n"), 2)
	f.Add([]byte(""), 1)

	cfg, err := config.Parse([]byte(testConfig), "test.toml", nil)
	if err != nil {
		f.Fatal(err)
	}
	st, err := snapshot.Open(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := &crawl.Crawler{Store: st, Index: testenv.NewMemIndex(), Log: log}
	rec := &recorder{}
	s, err := New(cfg, c.Receive, rec, Options{LookupTXT: lookupTestKey, Log: log})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg []byte, which int) {
		src := &cfg.Sources[(which%3+3)%3]
		ss := &session{s: s, from: "bounces@public.govdelivery.com", src: src}
		err := s.deliver(ss, src, msg)
		if err != nil && !strings.HasPrefix(err.Error(), "SMTP error 550") && !strings.HasPrefix(err.Error(), "SMTP error 451: DKIM") {
			t.Fatalf("message to %s: %v", src.ID, err)
		}
		if _, m := rec.last(); m.Outcome == "" || m.Received.IsZero() {
			t.Fatalf("not recorded: %+v", m)
		}
	})
}

// FuzzSession: any bytes a client sends get replies and an end, never a
// crash or a hang.
func FuzzSession(f *testing.F) {
	for _, s := range []string{
		"EHLO a\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<open@bulletins.example.gov.uk>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n",
		"HELO a\nMAIL FROM:<>\nRCPT TO:<x@y>\nDATA\n.\n",
		"EHLO a\r\nBDAT 5 LAST\r\nhello",
		"EHLO a\r\nMAIL FROM:<a@example.org> SIZE=99999999999\r\nAUTH PLAIN AGFAYg==\r\nSTARTTLS\r\nVRFY x\r\n",
		"EHLO " + strings.Repeat("a", 3000) + "\r\n",
		"\r\n\r\n\x00\xff\r\n",
	} {
		f.Add([]byte(s))
	}
	ts := startServer(f, Options{ReadTimeout: 2 * time.Second, MaxSize: 64 << 10})
	f.Fuzz(func(t *testing.T, in []byte) {
		c := ts.dial(t)
		c.send(string(in))
		c.conn.(interface{ CloseWrite() error }).CloseWrite()
		c.closed()
	})
}
