package main_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/testenv"
)

// mailEnv is a bulletin with three sources that receive e-mail and no web
// source at all: one open to any sender, one for GovDelivery's senders,
// one that also wants their DKIM signature.
func mailEnv(t *testing.T) (e *env, smtpAddr string) {
	t.Helper()
	dir := t.TempDir()
	e = &env{t: t, bin: binary(t), config: filepath.Join(dir, "bulletin.toml"), addr: freeAddr(t)}
	smtpAddr = freeAddr(t)
	cert, key := selfSignedPEM(t, dir)
	cfg := fmt.Sprintf(`data_dir = %q
listen = %q
smtp_listen = %q
smtp_max_size = "64KiB"
smtp_tls_cert = %q
smtp_tls_key = %q

[[source]]
id = "wessex"
title = "Wessex Councils Digital Bulletin"
mail = ["wessex-digital@bulletins.example.gov.uk"]

[[source]]
id = "senders"
title = "From GovDelivery"
mail = ["senders@bulletins.example.gov.uk"]
mail_from = ["public.govdelivery.com"]

[[source]]
id = "signed"
title = "Signed by GovDelivery"
mail = ["signed@bulletins.example.gov.uk"]
mail_from = ["govdelivery.com"]
mail_dkim = true
`, filepath.Join(dir, "data"), e.addr, smtpAddr, cert, key)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e, smtpAddr
}

// smtpResult is what smtp_send.py prints: each step's code and text.
type smtpResult struct {
	TLS  bool    `json:"tls"`
	Mail []any   `json:"mail"`
	Rcpt [][]any `json:"rcpt"`
	Data []any   `json:"data"`
}

func code(step []any) int {
	if len(step) == 0 {
		return 0
	}
	n, _ := step[0].(float64)
	return int(n)
}

// sendMail sends a message with Python's smtplib (testdata/smtp_send.py).
func sendMail(t *testing.T, addr, from, to string, msg []byte, announceSize bool, flags ...string) smtpResult {
	t.Helper()
	file := filepath.Join(t.TempDir(), "message.eml")
	if err := os.WriteFile(file, msg, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"testdata/smtp_send.py", addr, from, to, file}
	if announceSize {
		args = append(args, "--size")
	}
	args = append(args, flags...)
	cmd := exec.Command(python(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("smtp_send.py: %v\n%s", err, errb.String())
	}
	var res smtpResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("smtp_send.py printed %q: %v", out.String(), err)
	}
	return res
}

// python is the Python 3 that runs the SMTP client (any will do: smtplib
// is in the standard library).
func python(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is missing: the SMTP end-to-end test needs it")
		}
		t.Skip("python3 is missing")
	}
	return p
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "inbox", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replaceHeader sets header name of msg to value.
func replaceHeader(msg []byte, name, value string) []byte {
	head, body, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
	lines := strings.Split(string(head), "\r\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.ToLower(l), strings.ToLower(name)+":") {
			lines[i] = name + ": " + value
		}
	}
	return append([]byte(strings.Join(lines, "\r\n")+"\r\n\r\n"), body...)
}

// TestMail: bulletins sent to the sources' addresses with a real SMTP
// client are searchable and in the feeds as soon as the server says 250;
// the same message again changes nothing; nothing else gets in.
func TestMail(t *testing.T) {
	e2e(t, "builds and runs the binary")
	python(t)
	e, smtpAddr := mailEnv(t)
	stopServe := e.serve()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			stopServe()
		}
	}
	defer stop()
	waitForPort(t, smtpAddr)

	bulletin := readFixture(t, "bulletin.eml")
	const to = "wessex-digital@bulletins.example.gov.uk"
	const webCopy = "https://content.govdelivery.com/accounts/UKWESSEX/bulletins/3d0a001"

	// The feed is cached before the message comes: it must be dropped.
	if code, _, body := e.get("/feeds/wessex.atom"); code != 200 || bytes.Contains(body, []byte("Heron-watch")) {
		t.Fatalf("feed before the message: %d", code)
	}

	// Over STARTTLS, with the configured certificate.
	res := sendMail(t, smtpAddr, "wessex@public.govdelivery.com", to, bulletin, true, "--starttls")
	if code(res.Data) != 250 || !res.TLS {
		t.Fatalf("bulletin refused: %+v", res)
	}
	accepted := time.Now()
	var hits int
	for {
		hits = searchTotal(t, e, "heron", "wessex")
		_, _, feed := e.get("/feeds/wessex.atom")
		if hits > 0 && bytes.Contains(feed, []byte("Heron-watch river sensors")) {
			break
		}
		if time.Since(accepted) > time.Second {
			t.Fatalf("not searchable and in the feed within a second of the 250 (hits %d)", hits)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("searchable and in the feed %s after the 250", time.Since(accepted).Round(time.Millisecond))
	st := mailStatus(t, e, "wessex")
	if st.Outcome != "indexed" || st.URL != webCopy || st.Editions != 1 || st.Items == 0 ||
		st.Subject != "Wessex Councils Digital Bulletin - March 2026" || st.From != "wessex@public.govdelivery.com" {
		t.Errorf("status after the bulletin: %+v", st)
	}
	feeds := map[string][]byte{}
	for _, p := range []string{"/feeds/wessex.atom", "/feeds/wessex.rss", "/feeds/wessex.json", "/feeds/wessex/editions.atom"} {
		_, _, feeds[p] = e.get(p)
	}

	// The same message again, as a mailbox rule would redirect it (new
	// trace and Resent- headers, another envelope sender): nothing changes.
	again := append([]byte("Received: from relay.example ([192.0.2.1]) by mx.example; Tue, 17 Mar 2026 10:05:00 +0000\r\n"+
		"Resent-From: officer@council.example.gov.uk\r\nResent-Date: Tue, 17 Mar 2026 10:05:00 +0000\r\n"), bulletin...)
	if res := sendMail(t, smtpAddr, "officer@council.example.gov.uk", to, again, false); code(res.Data) != 250 {
		t.Fatalf("the same message again: %+v", res)
	}
	if n := searchTotal(t, e, "heron", "wessex"); n != hits {
		t.Errorf("the same message again changed the search: %d hits, was %d", n, hits)
	}
	for p, before := range feeds {
		if _, _, now := e.get(p); !bytes.Equal(now, before) {
			t.Errorf("the same message again changed %s", p)
		}
	}
	if st := mailStatus(t, e, "wessex"); st.Outcome != "unchanged" {
		t.Errorf("status after the same message: %+v", st)
	}

	// Nothing else gets in.
	big := append(bytes.Clone(bulletin), bytes.Repeat([]byte("<p>padding to go over the size limit of this server</p>\r\n"), 2000)...)
	unsigned := replaceHeader(bulletin, "From", "Wessex <wessex@public.govdelivery.com>")
	brokenSig := append([]byte("DKIM-Signature: v=1; a=rsa-sha256; d=govdelivery.com; s=k1; h=from:subject; b=AAAA\r\n"), unsigned...)
	refusals := []struct {
		name, from, to string
		msg            []byte
		size           bool
		step           string // the step refused: mail, rcpt or data
		want           int
		enh            string
	}{
		{"relay", "someone@example.org", "victim@elsewhere.example", bulletin, false, "rcpt", 550, "5.7.1"},
		{"unknown address", "someone@example.org", "nobody@bulletins.example.gov.uk", bulletin, false, "rcpt", 550, "5.1.1"},
		{"oversize, announced", "wessex@public.govdelivery.com", to, big, true, "mail", 552, "5.3.4"},
		{"oversize", "wessex@public.govdelivery.com", to, big, false, "data", 552, "5.3.4"},
		{"wrong sender", "spoof@evil.example", "senders@bulletins.example.gov.uk",
			replaceHeader(bulletin, "From", "Wessex <wessex@evil.example>"), false, "data", 550, "5.7.1"},
		{"no DKIM signature", "wessex@public.govdelivery.com", "signed@bulletins.example.gov.uk", unsigned, false, "data", 550, "5.7.20"},
		{"broken DKIM signature", "wessex@public.govdelivery.com", "signed@bulletins.example.gov.uk", brokenSig, false, "data", 550, "5.7.20"},
	}
	for _, r := range refusals {
		res := sendMail(t, smtpAddr, r.from, r.to, r.msg, r.size)
		var step []any
		switch r.step {
		case "mail":
			step = res.Mail
		case "rcpt":
			if len(res.Rcpt) > 0 {
				step = res.Rcpt[0]
			}
		case "data":
			step = res.Data
		}
		if code(step) != r.want || len(step) < 2 || !strings.HasPrefix(fmt.Sprint(step[1]), r.enh) {
			t.Errorf("%s: %+v, want %d %s at %s", r.name, res, r.want, r.enh, r.step)
		}
	}
	if n := searchTotal(t, e, "heron", ""); n != hits {
		t.Errorf("refused messages changed the index: %d hits, was %d", n, hits)
	}
	if st := mailStatus(t, e, "signed"); st.Outcome != "refused" || !strings.Contains(st.Error, "DKIM") {
		t.Errorf("status of the DKIM source: %+v", st)
	}

	// A message that cannot be read is kept, reported, and acknowledged.
	if res := sendMail(t, smtpAddr, "wessex@public.govdelivery.com", to, readFixture(t, "malformed.eml"), false); code(res.Data) != 250 {
		t.Fatalf("malformed message: %+v", res)
	}
	st = mailStatus(t, e, "wessex")
	if st.Outcome != "failed" || st.Error == "" || !strings.HasPrefix(st.URL, "mid:") {
		t.Errorf("status after the malformed message: %+v", st)
	}
	_, _, page := e.get("/status")
	for _, want := range []string{"Last e-mail received", "wessex-digital@bulletins.example.gov.uk", "<strong>failed</strong>", "Wessex Councils Digital Bulletin - broken"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("/status lacks %q", want)
		}
	}
	if n := testenv.CountFiles(t, filepath.Join(filepath.Dir(e.config), "data", "snapshots", "meta", "wessex")); n != 2 {
		t.Errorf("snapshots of the wessex source: %d, want the bulletin and the malformed message", n)
	}

	_, _, metrics := e.get("/metrics")
	for _, want := range []string{
		`bulletin_mail_messages_total{outcome="indexed",source="wessex"} 1`,
		`bulletin_mail_messages_total{outcome="unchanged",source="wessex"} 1`,
		`bulletin_mail_messages_total{outcome="failed",source="wessex"} 1`,
		`bulletin_mail_refused_total{reason="relay"} 2`,
		`bulletin_mail_refused_total{reason="size"} 2`,
		`bulletin_mail_refused_total{reason="sender"} 1`,
		`bulletin_mail_refused_total{reason="dkim"} 2`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// What came by e-mail is kept: a reindex from the snapshots keeps it,
	// and the message kept as failed does not fail the reindex.
	stop()
	e.mustRun("reindex")
	if out := e.mustRun("search", "--source", "wessex", "heron"); !strings.Contains(out, "Heron-watch river sensors") {
		t.Errorf("after reindex, search finds no e-mailed article:\n%s", out)
	}
}

// mailStatus is a source's last e-mail as /api/status gives it.
type mailStatusJSON struct {
	Outcome, URL, Error, Subject, From string
	Editions, Items                    int
}

func mailStatus(t *testing.T, e *env, source string) mailStatusJSON {
	t.Helper()
	_, _, body := e.get("/api/status")
	var st struct {
		Sources []struct {
			ID       string
			Mail     []string
			LastMail *mailStatusJSON `json:"last_mail"`
		}
	}
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Sources {
		if s.ID == source && s.LastMail != nil {
			return *s.LastMail
		}
	}
	t.Fatalf("/api/status has no last e-mail for %s: %s", source, body)
	return mailStatusJSON{}
}

func searchTotal(t *testing.T, e *env, q, source string) int {
	t.Helper()
	path := "/api/search?q=" + q
	if source != "" {
		path += "&source=" + source
	}
	code, _, body := e.get(path)
	if code != 200 {
		t.Fatalf("%s: %d %s", path, code, body)
	}
	var res struct{ Total int }
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// selfSignedPEM writes a self-signed certificate and its key for
// STARTTLS and returns their paths.
func selfSignedPEM(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bulletins.example.gov.uk"},
		DNSNames: []string{"bulletins.example.gov.uk"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "smtp.crt"), filepath.Join(dir, "smtp.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestMailConfigErrors: serve says which key is wrong and exits.
func TestMailConfigErrors(t *testing.T) {
	e2e(t, "builds and runs the binary")
	e, _ := mailEnv(t)
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	missing := strings.Replace(string(cfg), "smtp.crt", "missing.crt", 1)
	if err := os.WriteFile(e.config, []byte(missing), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := e.run("serve"); code != 1 || !strings.Contains(errs, "smtp_tls_cert") || !strings.Contains(errs, "missing.crt") {
		t.Errorf("missing certificate: exit %d\n%s", code, errs)
	}
	// A port already taken.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := regexp.MustCompile(`smtp_listen = "[^"]*"`).ReplaceAllString(string(cfg), `smtp_listen = "`+l.Addr().String()+`"`)
	if err := os.WriteFile(e.config, []byte(taken), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := e.run("serve"); code != 1 || !strings.Contains(errs, "smtp_listen") {
		t.Errorf("port taken: exit %d\n%s", code, errs)
	}
	// smtp_listen without any source to receive for.
	if _, errs, code := e.runRaw("--config", writeConfig(t, "smtp_listen = \"127.0.0.1:2525\"\n[[source]]\nid = \"s\"\ntitle = \"S\"\neditions = [\"https://example.org/b/1\"]\n"), "config", "check"); code == 0 ||
		!strings.Contains(errs, "smtp_listen") || !strings.Contains(errs, "no source has a mail address") {
		t.Errorf("smtp_listen without mail: exit %d\n%s", code, errs)
	}
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bulletin.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func waitForPort(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
