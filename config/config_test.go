package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestShipped(t *testing.T) {
	c, err := Shipped(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "data" || c.Listen != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" {
		t.Errorf("defaults: %+v", c)
	}
	s, ok := c.Source("lga-cdt")
	if !ok {
		t.Fatal("no lga-cdt source")
	}
	if len(s.Editions) != 8 {
		t.Errorf("known editions = %d, want 8", len(s.Editions))
	}
	if got := strings.Join(s.Hosts, ","); got != "content.govdelivery.com" {
		t.Errorf("hosts = %q", got)
	}
	for _, subject := range []string{"LGA Cyber, Digital and Technology Bulletin - 9", "Cyber, digital and technology in 2024", "LGA Cyber, Digital & Technology Bulletin"} {
		if !s.Matches(subject, "") {
			t.Errorf("match rejects %q", subject)
		}
	}
	if s.Matches("LGA Workforce Bulletin", "Workforce news") {
		t.Error("match accepts another series")
	}
	if s.Location.String() != "Europe/London" || s.Delay != time.Second {
		t.Errorf("source defaults: %v %v", s.Location, s.Delay)
	}
	if c.RetryBackoff.Duration != time.Minute {
		t.Errorf("retry_backoff default = %v, want 1m", c.RetryBackoff)
	}
}

func TestEnvOverrides(t *testing.T) {
	env := map[string]string{"BULLETIN_LISTEN": "0.0.0.0:9000", "BULLETIN_DATA_DIR": "/var/lib/bulletin",
		"BULLETIN_TRUST_PROXY": "true", "BULLETIN_FRAME_ANCESTORS": "'self', https://*.intranet.example",
		"BULLETIN_RETRY_BACKOFF": "90s"}
	c, err := Shipped(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "0.0.0.0:9000" || c.DataDir != "/var/lib/bulletin" || c.BaseURL != "http://0.0.0.0:9000" ||
		!c.TrustProxy || strings.Join(c.FrameAncestors, " ") != "'self' https://*.intranet.example" ||
		c.RetryBackoff.Duration != 90*time.Second {
		t.Errorf("overrides not applied: %+v", c)
	}
	for _, bad := range []map[string]string{{"BULLETIN_TRUST_PROXY": "perhaps"}, {"BULLETIN_SOURCE": "x"}, {"BULLETIN_RETRY_BACKOFF": "soon"}} {
		if _, err := Shipped(func(k string) string { return bad[k] }); err == nil {
			t.Errorf("env %v accepted", bad)
		}
	}
}

func TestErrors(t *testing.T) {
	const src = "\n[[source]]\nid = \"s\"\ntitle = \"T\"\neditions = [\"https://example.org/b/1\"]\n"
	tests := []struct {
		name, text, key, msg string
	}{
		{"syntax", "listen = ", "listen", "line 1"},
		{"unknown top key", "colour = 1" + src, "colour", "unknown key"},
		{"unknown source key", src + "colour = 1\n", "source.colour", "unknown key"},
		{"no source", `listen = "127.0.0.1:1"`, "source", "at least one"},
		{"bad listen", `listen = "nope"` + src, "listen", "host:port"},
		{"bad base_url", `base_url = "example.org"` + src, "base_url", "absolute"},
		{"bad id", strings.Replace(src, `"s"`, `"S S"`, 1), "source[S S].id", "lower-case"},
		{"duplicate id", src + src, "source[s].id", "duplicate"},
		{"no title", strings.Replace(src, "title = \"T\"\n", "", 1), "source[s].title", "missing"},
		{"bad schedule", src + "schedule = \"every tuesday\"\n", "source[s].schedule", "invalid cron spec"},
		{"bad profile", src + "profile = \"mailchimp\"\n", "source[s].profile", "unknown profile"},
		{"bad match", src + "match = \"(\"\n", "source[s].match", "invalid regular expression"},
		{"bad timezone", src + "timezone = \"Mars/Olympus\"\n", "source[s].timezone", "unknown time zone"},
		{"bad delay", src + "delay = \"soon\"\n", "delay", "duration"},
		{"bad retry_backoff", "retry_backoff = \"-1m\"\n" + src, "retry_backoff", "negative"},
		{"relative edition", strings.Replace(src, "https://example.org/b/1", "/b/1", 1), "source[s].editions[0]", "absolute"},
		{"bad selector", src + "[source.selectors]\nitem = \"div[\"\n", "source[s].selectors.item", "invalid CSS selector"},
		{"org without name", "[[org]]\naliases = [\"x\"]\n" + src, "org[0].name", "missing"},
		{"negative max_new", src + "max_new = -1\n", "source[s].max_new", "want 0"},
		{"short admin_token", "admin_token = \"hunter2\"\n" + src, "admin_token", "too short"},
		{"bad frame ancestor", "frame_ancestors = [\"intranet\"]" + src, "frame_ancestors[0]", "origin"},
		{"frame ancestor with path", "frame_ancestors = [\"https://a.example/x\"]" + src, "frame_ancestors[0]", "origin"},
		{"bad list pattern", src + "list_pattern = \"(\"\n", "source[s].list_pattern", "invalid regular expression"},
		{"nothing to crawl", "[[source]]\nid = \"s\"\ntitle = \"T\"\n", "source[s]", "at least one of govdelivery, feeds, lists, editions or mail"},
		{"bad smtp_listen", "smtp_listen = \"2525\"" + src, "smtp_listen", "host:port"},
		{"smtp_listen without mail", "smtp_listen = \"127.0.0.1:2525\"" + src, "smtp_listen", "no source has a mail address"},
		{"bad smtp_max_size", "smtp_max_size = \"lots\"" + src, "smtp_max_size", "10MiB"},
		{"zero smtp_max_size", "smtp_max_size = 0" + src, "smtp_max_size", "10MiB"},
		{"cert without key", "smtp_tls_cert = \"c.pem\"" + src, "smtp_tls_cert", "both or neither"},
		{"bad mail", src + "mail = [\"bulletins\"]\n", "source[s].mail[0]", "want an address"},
		{"mail with a name", src + "mail = [\"Bulletins <b@example.org>\"]\n", "source[s].mail[0]", "want an address"},
		{"mail twice", src + "mail = [\"b@example.org\"]\n" + strings.Replace(src, `"s"`, `"t"`, 1) + "mail = [\"B@Example.org\"]\n",
			"source[t].mail[0]", "already the address of source s"},
		{"bad mail_from", src + "mail = [\"b@example.org\"]\nmail_from = [\"not a domain\"]\n", "source[s].mail_from[0]", "address or a domain"},
		{"mail_from without mail", src + "mail_from = [\"example.org\"]\n", "source[s].mail", "need the source's mail"},
		{"mail_dkim without mail", src + "mail_dkim = true\n", "source[s].mail", "need the source's mail"},
		{"bad govdelivery code", src + "govdelivery = \"UK LGA\"\n", "source[s].govdelivery", "account code (UKLGA) or topic code"},
		{"govdelivery URL for a code", src + "govdelivery = \"https://content.govdelivery.com/accounts/UKLGA\"\n", "source[s].govdelivery", "account code"},
		{"govdelivery_base alone", src + "govdelivery_base = \"http://127.0.0.1:1\"\n", "source[s].govdelivery_base", "only with govdelivery"},
		{"bad govdelivery_base", src + "govdelivery = \"UKLGA\"\ngovdelivery_base = \"content.govdelivery.com\"\n", "source[s].govdelivery_base", "absolute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.text), "test.toml", nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if !strings.HasPrefix(err.Error(), "test.toml: ") || !strings.Contains(ce.Key, tt.key) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q (key %q), want key %q and %q", err, ce.Key, tt.key, tt.msg)
			}
		})
	}
}

func TestAdminToken(t *testing.T) {
	const src = "\n[[source]]\nid = \"s\"\ntitle = \"T\"\neditions = [\"https://example.org/b/1\"]\n"
	const fileToken, envToken = "file-token-0123456789", "env-token-0123456789"
	tests := []struct {
		name, text, env, want string
	}{
		{"none", src, "", ""},
		{"from file", "admin_token = \"" + fileToken + "\"\n" + src, "", fileToken},
		{"env overrides file", "admin_token = \"" + fileToken + "\"\n" + src, envToken, envToken},
		{"env only", src, envToken, envToken},
		{"spaces trimmed", "admin_token = \"  " + fileToken + "\\n\"\n" + src, "", fileToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.text), "test.toml", func(k string) string {
				if k == "BULLETIN_ADMIN_TOKEN" {
					return tt.env
				}
				return ""
			})
			if err != nil {
				t.Fatal(err)
			}
			if c.AdminToken != tt.want {
				t.Errorf("admin token = %q, want %q", c.AdminToken, tt.want)
			}
		})
	}
	// A rejected token is never repeated in the message.
	_, err := Parse([]byte("admin_token = \"short-secret\"\n"+src), "test.toml", nil)
	if err == nil || strings.Contains(err.Error(), "short-secret") {
		t.Errorf("err = %v", err)
	}
}

func TestValid(t *testing.T) {
	c, err := Parse([]byte(`
base_url = "https://intranet.example/bulletins/"

[[org]]
name = "Socitm"
aliases = ["Society for Innovation, Technology and Modernisation"]

[[source]]
id = "s"
title = "T"
schedule = "@daily"
timezone = "UTC"
delay = "0s"
max_new = 5
allow_private = true
profile = "generic"
feeds = ["http://127.0.0.1:8081/feed.rss"]
lists = ["http://127.0.0.1:8081/list"]
[source.selectors]
body = "main"
item = "article"
`), "test.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sources[0]
	if s.Selectors.Item != "article" || s.Selectors.Body != "main" || len(c.Orgs) != 1 || len(c.Orgs[0].Aliases) != 1 {
		t.Errorf("selectors/orgs: %+v %+v", s.Selectors, c.Orgs)
	}
	if c.BaseURL != "https://intranet.example/bulletins" || s.Profile != "generic" || !s.AllowPrivate || s.Delay != 0 || s.CronSpec() != "CRON_TZ=UTC @daily" {
		t.Errorf("got %+v / %+v", c, s)
	}
	if s.MaxNew != 5 || c.AdminToken != "" {
		t.Errorf("max_new %d, admin token %q", s.MaxNew, c.AdminToken)
	}
	if !s.Matches("anything", "") {
		t.Error("no match pattern should accept everything")
	}
}

func TestMail(t *testing.T) {
	c, err := Parse([]byte(`
smtp_listen = "127.0.0.1:2525"
smtp_max_size = "2MiB"

[[source]]
id = "s"
title = "T"
mail = ["LGA-CDT@Bulletins.Example.gov.uk"]
mail_from = ["Bulletins@Public.GovDelivery.com", "@local.gov.uk", "example.org"]
mail_dkim = true
`), "test.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sources[0]
	if c.SMTPListen != "127.0.0.1:2525" || c.SMTPMaxSize != 2<<20 || !s.MailDKIM ||
		strings.Join(s.Mail, " ") != "lga-cdt@bulletins.example.gov.uk" ||
		strings.Join(s.MailFrom, " ") != "bulletins@public.govdelivery.com local.gov.uk example.org" {
		t.Errorf("got %+v / %+v", c, s)
	}
	for addr, want := range map[string]bool{
		"bulletins@public.govdelivery.com": true, "BULLETINS@public.govdelivery.com": true,
		"other@public.govdelivery.com": false, "news@local.gov.uk": true, "news@lists.local.gov.uk": true,
		"news@notlocal.gov.uk": false, "x@example.org": true, "x@example.org.evil.test": false, "example.org": false, "": false,
	} {
		if got := s.AcceptsSender(addr); got != want {
			t.Errorf("AcceptsSender(%q) = %v, want %v", addr, got, want)
		}
	}
	if !(&Source{}).AcceptsSender("anyone@anywhere.test") {
		t.Error("a source without mail_from should accept any sender")
	}

	env, err := Parse([]byte("[[source]]\nid = \"s\"\ntitle = \"T\"\nmail = [\"s@example.org\"]\n"), "test.toml", func(k string) string {
		return map[string]string{"BULLETIN_SMTP_LISTEN": "0.0.0.0:25", "BULLETIN_SMTP_TLS_CERT": "/c.pem", "BULLETIN_SMTP_TLS_KEY": "/k.pem"}[k]
	})
	if err != nil || env.SMTPListen != "0.0.0.0:25" || env.SMTPTLSCert != "/c.pem" || env.SMTPTLSKey != "/k.pem" {
		t.Errorf("smtp keys from the environment: %+v, %v", env, err)
	}
	if _, err := Shipped(func(k string) string { return map[string]string{"BULLETIN_SMTP_MAX_SIZE": "big"}[k] }); err == nil {
		t.Error("BULLETIN_SMTP_MAX_SIZE=big accepted")
	}
	def, err := Shipped(func(k string) string {
		return map[string]string{"BULLETIN_SMTP_MAX_SIZE": "512KiB"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if def.SMTPListen != "" || def.SMTPMaxSize != 512<<10 {
		t.Errorf("smtp defaults/env: %q %d", def.SMTPListen, def.SMTPMaxSize)
	}
	if def, _ := Shipped(nil); def.SMTPMaxSize != DefaultSMTPMaxSize {
		t.Errorf("default smtp_max_size %d", def.SMTPMaxSize)
	}
	for size, want := range map[ByteSize]string{10 << 20: "10MiB", 1536: "1536", 1000: "1000", 3 << 30: "3GiB"} {
		if got, _ := size.MarshalText(); string(got) != want {
			t.Errorf("%d → %q, want %q", size, got, want)
		}
	}
}

// TestGovDelivery: a source configured by a GovDelivery account or topic
// code alone gets the feed and list URLs the code implies, beside any
// explicit ones, and the hosts to crawl follow.
func TestGovDelivery(t *testing.T) {
	const base = "https://content.govdelivery.com/accounts/"
	tests := []struct {
		name, keys   string
		feeds, lists []string
	}{
		{"account", `govdelivery = "UKLGA"`, []string{base + "UKLGA/bulletins.rss"}, []string{base + "UKLGA/bulletins"}},
		{"account in lower case", `govdelivery = " uklga "`, []string{base + "UKLGA/bulletins.rss"}, []string{base + "UKLGA/bulletins"}},
		{"topic", `govdelivery = "OHCCC_129"`, []string{base + "OHCCC/topics/OHCCC_129/feed.rss"}, nil},
		{"topic with match: the account's list too", "govdelivery = \"OHCCC_129\"\nmatch = \"Highlights\"",
			[]string{base + "OHCCC/topics/OHCCC_129/feed.rss"}, []string{base + "OHCCC/bulletins"}},
		{"explicit URLs kept, none twice", "govdelivery = \"UKLGA\"\nfeeds = [\"https://example.org/f.rss\", \"" + base + "UKLGA/bulletins.rss\"]",
			[]string{"https://example.org/f.rss", base + "UKLGA/bulletins.rss"}, []string{base + "UKLGA/bulletins"}},
		{"another origin", "govdelivery = \"UKLGA\"\ngovdelivery_base = \"http://127.0.0.1:8081/\"",
			[]string{"http://127.0.0.1:8081/accounts/UKLGA/bulletins.rss"}, []string{"http://127.0.0.1:8081/accounts/UKLGA/bulletins"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte("[[source]]\nid = \"s\"\ntitle = \"T\"\n"+tt.keys+"\n"), "test.toml", nil)
			if err != nil {
				t.Fatal(err)
			}
			s := c.Sources[0]
			if strings.Join(s.Feeds, " ") != strings.Join(tt.feeds, " ") || strings.Join(s.Lists, " ") != strings.Join(tt.lists, " ") {
				t.Errorf("feeds %q lists %q, want %q %q", s.Feeds, s.Lists, tt.feeds, tt.lists)
			}
			if len(s.Hosts) == 0 {
				t.Error("no hosts")
			}
			// The effective config, printed by `config check`, reads back the same.
			again, err := Parse([]byte("[[source]]\nid = \"s\"\ntitle = \"T\"\ngovdelivery = \""+s.GovDelivery+"\"\ngovdelivery_base = \""+s.GovDeliveryBase+
				"\"\nmatch = \""+s.Match+"\"\nfeeds = [\""+strings.Join(s.Feeds, "\", \"")+"\"]\n"), "again.toml", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := again.Sources[0].Feeds; strings.Join(got, " ") != strings.Join(s.Feeds, " ") {
				t.Errorf("read back: feeds %q", got)
			}
		})
	}
}
