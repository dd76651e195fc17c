package inbox

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/run"
)

// TestPolicy: who may send what to which address, and the reply each gets.
func TestPolicy(t *testing.T) {
	bulletin := fixture(t, "bulletin.eml") // From: wessex@public.govdelivery.com
	signed := sign(t, withFrom(bulletin, "Wessex <wessex@public.govdelivery.com>"), "govdelivery.com", "test")
	tampered := bytes.Replace(signed, []byte("Heron-watch"), []byte("Heron-WATCH"), 1)
	tests := []struct {
		name    string
		from    string
		to      []string
		msg     []byte
		code    int
		enh     string // the reply's enhanced code
		reason  string // the refusal's reason in the log; "" = accepted
		outcome string // what the record says; "" = no record
		answer  func([]byte) (crawl.Received, error)
	}{
		{name: "accepted", from: "someone@example.org", to: []string{"open@bulletins.example.gov.uk"}, msg: bulletin,
			code: 250, outcome: run.MailIndexed},
		{name: "address in another case", from: "someone@example.org", to: []string{"Open@Bulletins.Example.GOV.UK"}, msg: bulletin,
			code: 250, outcome: run.MailIndexed},
		{name: "relay", from: "someone@example.org", to: []string{"victim@elsewhere.example"},
			code: 550, enh: "5.7.1", reason: ReasonRelay},
		{name: "unknown address of our domain", from: "someone@example.org", to: []string{"nobody@bulletins.example.gov.uk"},
			code: 550, enh: "5.1.1", reason: ReasonRelay},
		{name: "two sources in one message", from: "someone@example.org",
			to: []string{"open@bulletins.example.gov.uk", "senders@bulletins.example.gov.uk"}, code: 452, enh: "4.5.3", reason: ReasonLimit},
		{name: "two addresses of one source", from: "wessex@public.govdelivery.com",
			to: []string{"senders@bulletins.example.gov.uk", "senders-2@bulletins.example.gov.uk"}, msg: bulletin, code: 250, outcome: run.MailIndexed},
		{name: "sender by envelope", from: "bounces@public.govdelivery.com", to: []string{"senders@bulletins.example.gov.uk"},
			msg: withFrom(bulletin, "someone@example.org"), code: 250, outcome: run.MailIndexed},
		{name: "sender by From", from: "forwarder@mailbox.example", to: []string{"senders@bulletins.example.gov.uk"},
			msg: bulletin, code: 250, outcome: run.MailIndexed},
		{name: "sender by address", from: "officer@council.example.gov.uk", to: []string{"senders@bulletins.example.gov.uk"},
			msg: withFrom(bulletin, "officer@council.example.gov.uk"), code: 250, outcome: run.MailIndexed},
		{name: "wrong sender", from: "spoof@evil.example", to: []string{"senders@bulletins.example.gov.uk"},
			msg: withFrom(bulletin, "Wessex <wessex@govdelivery.com.evil.example>"), code: 550, enh: "5.7.1", reason: ReasonSender, outcome: run.MailRefused},
		{name: "dkim valid", from: "bounces@example.net", to: []string{"signed@bulletins.example.gov.uk"}, msg: signed,
			code: 250, outcome: run.MailIndexed},
		{name: "dkim tampered", from: "bounces@example.net", to: []string{"signed@bulletins.example.gov.uk"}, msg: tampered,
			code: 550, enh: "5.7.20", reason: ReasonDKIM, outcome: run.MailRefused},
		{name: "dkim missing", from: "wessex@public.govdelivery.com", to: []string{"signed@bulletins.example.gov.uk"}, msg: bulletin,
			code: 550, enh: "5.7.20", reason: ReasonDKIM, outcome: run.MailRefused},
		{name: "dkim of another domain", from: "x@example.net", to: []string{"signed@bulletins.example.gov.uk"},
			msg: sign(t, withFrom(bulletin, "wessex@public.govdelivery.com"), "example.net", "test"), code: 550, enh: "5.7.20", reason: ReasonDKIM, outcome: run.MailRefused},
		{name: "dkim signed but sender not listed", from: "x@example.net", to: []string{"signed@bulletins.example.gov.uk"},
			msg: sign(t, withFrom(bulletin, "x@example.net"), "example.net", "test"), code: 550, enh: "5.7.1", reason: ReasonSender, outcome: run.MailRefused},
		{name: "dkim key lookup down", from: "x@example.net", to: []string{"signed@bulletins.example.gov.uk"},
			msg: sign(t, withFrom(bulletin, "wessex@public.govdelivery.com"), "govdelivery.com", "down"), code: 451, enh: "4.7.5", reason: ReasonDKIMTemp, outcome: run.MailRefused},
		{name: "unreadable message kept and acknowledged", from: "someone@example.org", to: []string{"open@bulletins.example.gov.uk"},
			msg: fixture(t, "malformed.eml"), code: 250, outcome: run.MailFailed, answer: func([]byte) (crawl.Received, error) {
				return crawl.Received{Summary: run.Summary{Failed: 1, Errors: []string{"mid:x: no text/html part"}}, URL: "mid:x"}, nil
			}},
		{name: "our failure is temporary", from: "someone@example.org", to: []string{"open@bulletins.example.gov.uk"}, msg: bulletin,
			code: 451, enh: "4.3.0", reason: ReasonLocal, outcome: run.MailDeferred, answer: func([]byte) (crawl.Received, error) {
				return crawl.Received{}, fmt.Errorf("%w: no space left on device", crawl.ErrLocal)
			}},
		{name: "the same bulletin again", from: "someone@example.org", to: []string{"open@bulletins.example.gov.uk"}, msg: bulletin,
			code: 250, outcome: run.MailUnchanged, answer: func([]byte) (crawl.Received, error) {
				return crawl.Received{URL: "https://example.org/b/1", Unchanged: true}, nil
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New(t.TempDir())
			ts := startServer(t, Options{Metrics: m})
			ts.recv.answer = tt.answer
			c := ts.dial(t)
			c.expect("EHLO client.example", 250)
			code, text := c.message(tt.from, tt.to, tt.msg)
			if code != tt.code || !strings.HasPrefix(text, tt.enh) {
				t.Fatalf("reply %d %s, want %d %s", code, text, tt.code, tt.enh)
			}
			c.expect("QUIT", 221)
			wantDelivered := 0
			if tt.code == 250 || tt.reason == ReasonLocal {
				wantDelivered = 1
			}
			if n := ts.recv.count(); n != wantDelivered {
				t.Errorf("receiver saw %d message(s), want %d", n, wantDelivered)
			}
			src, rec := ts.rec.last()
			if rec.Outcome != tt.outcome {
				t.Errorf("recorded outcome %q, want %q", rec.Outcome, tt.outcome)
			}
			if tt.outcome != "" && (src == "" || rec.Received.IsZero() || rec.From == "") {
				t.Errorf("record %s %+v", src, rec)
			}
			logs := ts.log.String()
			refusals := strings.Count(logs, "smtp: refused")
			if tt.reason == "" {
				if refusals != 0 {
					t.Errorf("accepted message logged refusals:\n%s", logs)
				}
				return
			}
			if refusals != 1 || !strings.Contains(logs, "reason="+tt.reason) {
				t.Errorf("want one refusal logged with reason %s:\n%s", tt.reason, logs)
			}
			if got := scrape(t, m); !strings.Contains(got, `bulletin_mail_refused_total{reason="`+tt.reason+`"} 1`) {
				t.Errorf("refusal not counted:\n%s", got)
			}
		})
	}
}

// TestSize: a message over the cap is refused with 552, whether the client
// says its size beforehand or not, and the connection goes on.
func TestSize(t *testing.T) {
	ts := startServer(t, Options{MaxSize: 4096})
	c := ts.dial(t)
	if text := c.expect("EHLO client.example", 250); !strings.Contains(text, "SIZE 4096") {
		t.Errorf("EHLO does not announce the size cap: %s", text)
	}
	big := append(fixture(t, "bulletin.eml"), bytes.Repeat([]byte("padding line of a message that is far too big\r\n"), 200)...)
	if code, text := c.message("someone@example.org", []string{"open@bulletins.example.gov.uk"}, big); code != 552 {
		t.Errorf("oversize data: %d %s", code, text)
	}
	if code, text := c.cmd("MAIL FROM:<someone@example.org> SIZE=999999"); code != 552 {
		t.Errorf("oversize SIZE=: %d %s", code, text)
	}
	small := []byte("From: a@example.org\r\nSubject: small\r\n\r\n<p>small</p>\r\n")
	if code, text := c.message("someone@example.org", []string{"open@bulletins.example.gov.uk"}, small); code != 250 {
		t.Errorf("a small message after: %d %s", code, text)
	}
	if _, rec := ts.rec.last(); rec.Outcome != run.MailIndexed {
		t.Errorf("last record %+v", rec)
	}
	if n := strings.Count(ts.log.String(), "reason=size"); n != 2 {
		t.Errorf("size refusals logged %d times, want 2:\n%s", n, ts.log)
	}
}

// TestSTARTTLS: with a certificate, STARTTLS is offered and a message
// arrives over it.
func TestSTARTTLS(t *testing.T) {
	ts := startServer(t, Options{TLS: &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}})
	c, err := smtp.Dial(ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered")
	}
	if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("wessex@public.govdelivery.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("open@bulletins.example.gov.uk"); err != nil {
		t.Fatal(err)
	}
	// A relay attempt over TLS is refused all the same.
	if err := c.Rcpt("victim@elsewhere.example"); err == nil || !strings.HasPrefix(err.Error(), "550") {
		t.Errorf("relay over TLS: %v", err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write(fixture(t, "bulletin.eml"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	if ts.recv.count() != 1 {
		t.Errorf("received %d", ts.recv.count())
	}
	if n := strings.Count(ts.log.String(), "smtp: refused"); n != 1 || !strings.Contains(ts.log.String(), "reason=relay") {
		t.Errorf("the relay attempt over TLS logged %d refusals:\n%s", n, ts.log)
	}
}

func selfSigned(t *testing.T) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bulletins.example.gov.uk"},
		DNSNames: []string{"bulletins.example.gov.uk"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	var b strings.Builder
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			var labels []string
			for _, l := range mt.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			if c := mt.GetCounter(); c != nil {
				fmt.Fprintf(&b, "%s{%s} %g\n", mf.GetName(), strings.Join(labels, ","), c.GetValue())
			}
		}
	}
	return b.String()
}
