// Package config loads and validates bulletin's TOML configuration. It also
// embeds the shipped config/bulletin.toml, used when no file is given.
//
// It imports nothing from this module; the CLI, the crawler and the server
// import it. Stage packages (parse, index, feed, fetch) must not: they take
// plain values.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // schedules default to Europe/London even without system zoneinfo

	"github.com/BurntSushi/toml"
	"github.com/andybalholm/cascadia"
	"github.com/robfig/cron/v3"
)

//go:embed bulletin.toml
var shipped []byte

// DefaultPath is where the CLI looks for the config when none is given.
const DefaultPath = "config/bulletin.toml"

// EmbeddedName names the shipped config in messages when it is used.
const EmbeddedName = "(embedded config/bulletin.toml)"

// Config is the whole configuration.
type Config struct {
	File    string   `toml:"-"` // where the config was read from
	DataDir string   `toml:"data_dir"`
	Listen  string   `toml:"listen"`
	BaseURL string   `toml:"base_url"` // absolute, without a trailing slash
	Sources []Source `toml:"source"`
	// Orgs are organisations to recognise in items, added to the parser's
	// built-in list (NCSC, DSIT, CCS, …); a name already there replaces it.
	Orgs []Org `toml:"org"`
	// AdminToken is the bearer token of POST /api/crawl; empty turns the
	// endpoint off. BULLETIN_ADMIN_TOKEN overrides it.
	AdminToken string `toml:"admin_token" json:"-"`
	// TrustProxy makes the server believe X-Forwarded-For / X-Forwarded-Proto
	// (set it only behind a reverse proxy that overwrites them).
	TrustProxy bool `toml:"trust_proxy"`
	// FrameAncestors are the origins that may embed pages in a frame (the
	// CSP frame-ancestors list); default none but this server itself.
	FrameAncestors []string `toml:"frame_ancestors"`
	// SMTPListen is the host:port serve receives bulletins on by e-mail
	// (SMTP); empty (the default) receives none.
	SMTPListen string `toml:"smtp_listen"`
	// SMTPMaxSize is the largest message accepted; default DefaultSMTPMaxSize.
	SMTPMaxSize ByteSize `toml:"smtp_max_size"`
	// SMTPTLSCert and SMTPTLSKey are PEM files of the certificate STARTTLS
	// offers; both or neither.
	SMTPTLSCert string `toml:"smtp_tls_cert"`
	SMTPTLSKey  string `toml:"smtp_tls_key"`
	// RetryBackoff is the wait before serve tries again a crawl that failed
	// because a host did not answer; it doubles with each failure in a row,
	// up to 30 minutes. Default one minute.
	RetryBackoff Duration `toml:"retry_backoff"`
}

// DefaultSMTPMaxSize is the default smtp_max_size: GovDelivery bulletins
// are a few hundred KiB; a message with images inline may be a few MiB.
const DefaultSMTPMaxSize ByteSize = 10 << 20

// DefaultRetryBackoff is retry_backoff's default.
const DefaultRetryBackoff = time.Minute

// MinAdminTokenLen is the shortest admin_token accepted.
const MinAdminTokenLen = 16

// Org is an organisation the parser recognises: a canonical short name and
// the full names and variants that mean it.
type Org struct {
	Name    string   `toml:"name"`
	Aliases []string `toml:"aliases"`
}

// Selectors locate the parts of a page for the generic profile (CSS
// selectors; empty means the parser's default).
type Selectors struct {
	Body   string `toml:"body"`
	Item   string `toml:"item"`
	Title  string `toml:"title"`
	Date   string `toml:"date"`
	Number string `toml:"number"`
}

// Source is one bulletin series to crawl.
type Source struct {
	ID       string   `toml:"id"`
	Title    string   `toml:"title"`
	Home     string   `toml:"home"`
	Profile  string   `toml:"profile"`
	Schedule string   `toml:"schedule"`
	Feeds    []string `toml:"feeds"`
	Lists    []string `toml:"lists"`
	Editions []string `toml:"editions"`
	Match    string   `toml:"match"`
	// GovDelivery is a GovDelivery account code ("UKLGA") or topic code
	// ("UKLGA_123"); the feed and list URLs it implies are added to Feeds
	// and Lists (see GovDeliveryURLs).
	GovDelivery string `toml:"govdelivery"`
	// GovDeliveryBase is the origin the GovDelivery URLs are built on;
	// default https://content.govdelivery.com (another for a mirror or a
	// fixture site).
	GovDeliveryBase string `toml:"govdelivery_base"`
	// AllowPrivate lets the crawler fetch private and loopback addresses
	// (local fixture sites, tests).
	AllowPrivate bool `toml:"allow_private"`
	// Timezone of the schedule; default Europe/London.
	Timezone string `toml:"timezone"`
	// Selectors configure the generic profile.
	Selectors Selectors `toml:"selectors"`
	// ListPattern is a regular expression over URL paths that picks the
	// edition links of a list page; default GovDelivery's /bulletins/<id>.
	ListPattern string `toml:"list_pattern"`
	// DelaySetting is the "delay" key: the gap between two requests to one
	// host. Unset means 1s; "0s" means none (local sites, benchmarks).
	DelaySetting *Duration `toml:"delay"`
	// MaxNew stops a crawl after this many new edition pages; 0 = no limit.
	MaxNew int `toml:"max_new"`
	// Mail are the addresses whose messages are this source's bulletins,
	// received by serve's SMTP listener (smtp_listen); lower-cased.
	Mail []string `toml:"mail"`
	// MailFrom are the senders accepted (addresses, or domains matching
	// themselves and their sub-domains); empty accepts any; lower-cased.
	MailFrom []string `toml:"mail_from"`
	// MailDKIM requires a valid DKIM signature of the From: address's
	// domain (or a parent domain of it).
	MailDKIM bool `toml:"mail_dkim"`
	// SignOff are the source's own closing lines (regular expressions,
	// matched case-insensitively against each line), never article text.
	SignOff []string `toml:"sign_off"`
	// Groups are the source's own group headings ("Monthly Highlights"),
	// added to the parser's built-in ones.
	Groups []string `toml:"groups"`

	// Derived by validation.
	MatchRE  *regexp.Regexp `toml:"-"`
	ListRE   *regexp.Regexp `toml:"-"` // compiled list_pattern; nil for the default
	Location *time.Location `toml:"-"`
	Hosts    []string       `toml:"-"` // hosts of the configured feed, list and edition URLs
	Delay    time.Duration  `toml:"-"` // the effective delay
}

// Duration is a time.Duration written as a Go duration string ("1s", "500ms").
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration like \"1s\": %q", b)
	}
	if v < 0 {
		return fmt.Errorf("negative duration %q", b)
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Error is a configuration error: the file, the key and what is wrong.
type Error struct {
	File string
	Key  string // e.g. "listen", "source[lga-cdt].schedule"; empty for syntax errors
	Msg  string
}

func (e *Error) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Msg)
}

// Profiles are the page profiles the parser knows.
var profiles = map[string]bool{"govdelivery": true, "generic": true}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// cronParser accepts standard five-field specs and descriptors (@daily).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Load reads and validates the config file at path. getenv supplies
// BULLETIN_<KEY> overrides of top-level keys (os.Getenv in production).
func Load(path string, getenv func(string) string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(b, path, getenv)
}

// Shipped returns the embedded config/bulletin.toml, validated.
func Shipped(getenv func(string) string) (*Config, error) {
	return Parse(shipped, EmbeddedName, getenv)
}

// Parse decodes and validates config text; name is used in error messages.
func Parse(b []byte, name string, getenv func(string) string) (*Config, error) {
	var c Config
	md, err := toml.Decode(string(b), &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{File: name, Key: pe.LastKey, Msg: fmt.Sprintf("line %d: %s", pe.Position.Line, pe.Message)}
		}
		return nil, &Error{File: name, Msg: err.Error()}
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, &Error{File: name, Key: und[0].String(), Msg: "unknown key"}
	}
	c.File = name
	if getenv != nil {
		if err := c.applyEnv(getenv); err != nil {
			return nil, err
		}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// applyEnv lets BULLETIN_<KEY> override each top-level key.
func (c *Config) applyEnv(getenv func(string) string) error {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := range t.NumField() {
		key := t.Field(i).Tag.Get("toml")
		if key == "" || key == "-" {
			continue
		}
		env := "BULLETIN_" + strings.ToUpper(key)
		val := getenv(env)
		if val == "" {
			continue
		}
		switch f := v.Field(i); f.Interface().(type) {
		case string:
			f.SetString(val)
		case bool:
			b, err := strconv.ParseBool(val)
			if err != nil {
				return &Error{File: env, Key: key, Msg: fmt.Sprintf("want true or false, got %q", val)}
			}
			f.SetBool(b)
		case []string:
			f.Set(reflect.ValueOf(strings.Fields(strings.ReplaceAll(val, ",", " "))))
		case ByteSize:
			if err := f.Addr().Interface().(*ByteSize).UnmarshalText([]byte(val)); err != nil {
				return &Error{File: env, Key: key, Msg: err.Error()}
			}
		case Duration:
			var d Duration
			if err := d.UnmarshalText([]byte(val)); err != nil {
				return &Error{File: env, Key: key, Msg: err.Error()}
			}
			f.Set(reflect.ValueOf(d))
		default:
			return &Error{File: env, Key: key, Msg: "cannot be set from the environment; use the config file"}
		}
	}
	return nil
}

// failFunc makes the error of a key's bad value.
type failFunc func(key, format string, args ...any) error

// validate fills in defaults, checks every key and derives the values the
// code uses (parsed time zones, compiled patterns, each source's hosts).
// The first bad key is the error.
func (c *Config) validate() error {
	bad := func(key, format string, args ...any) error {
		return &Error{File: c.File, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	c.setDefaults()
	if err := c.checkServer(bad); err != nil {
		return err
	}
	if len(c.Sources) == 0 {
		return bad("source", "at least one [[source]] is required")
	}
	for i, o := range c.Orgs {
		if strings.TrimSpace(o.Name) == "" {
			return bad(fmt.Sprintf("org[%d].name", i), "missing")
		}
	}
	if err := c.checkSMTP(bad); err != nil {
		return err
	}
	seen := map[string]bool{}
	mailTo := map[string]string{} // address → source id
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("source[%d]", i)
		if s.ID != "" {
			key = fmt.Sprintf("source[%s]", s.ID)
		}
		if seen[s.ID] && idRE.MatchString(s.ID) {
			return bad(key+".id", "duplicate source id %q", s.ID)
		}
		seen[s.ID] = true
		if err := s.validate(key, mailTo, bad); err != nil {
			return err
		}
	}
	if c.SMTPListen != "" && len(mailTo) == 0 {
		return bad("smtp_listen", "no source has a mail address to receive on (source key mail)")
	}
	return nil
}

// setDefaults fills in the top-level keys left out.
func (c *Config) setDefaults() {
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Listen
	}
	if c.RetryBackoff.Duration == 0 {
		c.RetryBackoff.Duration = DefaultRetryBackoff
	}
	c.AdminToken = strings.TrimSpace(c.AdminToken)
	if c.SMTPMaxSize == 0 {
		c.SMTPMaxSize = DefaultSMTPMaxSize
	}
}

// checkServer checks the HTTP server's keys.
func (c *Config) checkServer(bad failFunc) error {
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return bad("listen", "want host:port, got %q", c.Listen)
	}
	if err := checkURL(c.BaseURL); err != nil {
		return bad("base_url", "%v", err)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.AdminToken != "" && len(c.AdminToken) < MinAdminTokenLen {
		// The message must not repeat the token.
		return bad("admin_token", "too short: want at least %d characters", MinAdminTokenLen)
	}
	for i, fa := range c.FrameAncestors {
		if err := checkFrameAncestor(fa); err != nil {
			return bad(fmt.Sprintf("frame_ancestors[%d]", i), "%v", err)
		}
	}
	return nil
}

// checkSMTP checks the SMTP listener's keys.
func (c *Config) checkSMTP(bad failFunc) error {
	if c.SMTPListen != "" {
		if _, _, err := net.SplitHostPort(c.SMTPListen); err != nil {
			return bad("smtp_listen", "want host:port, got %q", c.SMTPListen)
		}
	}
	if (c.SMTPTLSCert == "") != (c.SMTPTLSKey == "") {
		return bad("smtp_tls_cert", "smtp_tls_cert and smtp_tls_key go together: set both or neither")
	}
	return nil
}

// validate checks one source (key names it in errors), fills in its
// defaults and derives its values; mailTo maps each mail address already
// taken to its source.
func (s *Source) validate(key string, mailTo map[string]string, bad failFunc) error {
	if !idRE.MatchString(s.ID) {
		return bad(key+".id", "want lower-case letters, digits and dashes, got %q", s.ID)
	}
	if s.Title == "" {
		return bad(key+".title", "missing")
	}
	if s.Home != "" {
		if err := checkURL(s.Home); err != nil {
			return bad(key+".home", "%v", err)
		}
	}
	if s.Profile == "" {
		s.Profile = "govdelivery"
	}
	if !profiles[s.Profile] {
		return bad(key+".profile", "unknown profile %q (want govdelivery or generic)", s.Profile)
	}
	if err := s.checkSchedule(key, bad); err != nil {
		return err
	}
	s.Delay = time.Second
	if s.DelaySetting != nil {
		s.Delay = s.DelaySetting.Duration
	}
	if s.MaxNew < 0 {
		return bad(key+".max_new", "want 0 (no limit) or more, got %d", s.MaxNew)
	}
	if err := s.expandGovDelivery(key, bad); err != nil {
		return err
	}
	if len(s.Feeds)+len(s.Lists)+len(s.Editions)+len(s.Mail) == 0 {
		return bad(key, "needs at least one of govdelivery, feeds, lists, editions or mail")
	}
	if err := s.validateMail(key, mailTo, bad); err != nil {
		return err
	}
	if err := s.checkURLs(key, bad); err != nil {
		return err
	}
	return s.checkPatterns(key, bad)
}

// expandGovDelivery checks govdelivery and govdelivery_base and adds the
// feed and archive list URLs they stand for to Feeds and Lists.
func (s *Source) expandGovDelivery(key string, bad failFunc) error {
	if s.GovDeliveryBase != "" && s.GovDelivery == "" {
		return bad(key+".govdelivery_base", "set only with govdelivery")
	}
	if s.GovDelivery == "" {
		return nil
	}
	if s.GovDeliveryBase == "" {
		s.GovDeliveryBase = DefaultGovDeliveryBase
	}
	if err := checkURL(s.GovDeliveryBase); err != nil {
		return bad(key+".govdelivery_base", "%v", err)
	}
	s.GovDeliveryBase = strings.TrimRight(s.GovDeliveryBase, "/")
	feeds, lists, err := GovDeliveryURLs(s.GovDeliveryBase, s.GovDelivery, s.Match != "")
	if err != nil {
		return bad(key+".govdelivery", "%v", err)
	}
	s.GovDelivery = strings.ToUpper(strings.TrimSpace(s.GovDelivery))
	s.Feeds = appendNew(s.Feeds, feeds...)
	s.Lists = appendNew(s.Lists, lists...)
	return nil
}

// checkSchedule reads the time zone (default Europe/London) and checks the
// schedule with the one cron parser the scheduler uses (CronSchedule).
func (s *Source) checkSchedule(key string, bad failFunc) error {
	if s.Timezone == "" {
		s.Timezone = "Europe/London"
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return bad(key+".timezone", "unknown time zone %q", s.Timezone)
	}
	s.Location = loc
	if s.Schedule != "" {
		if _, err := s.CronSchedule(); err != nil {
			return bad(key+".schedule", "invalid cron spec %q: %v", s.Schedule, err)
		}
	}
	return nil
}

// checkURLs checks the feeds, lists and editions and derives Hosts from them.
func (s *Source) checkURLs(key string, bad failFunc) error {
	hosts := map[string]bool{}
	for field, urls := range map[string][]string{"feeds": s.Feeds, "lists": s.Lists, "editions": s.Editions} {
		for j, u := range urls {
			if err := checkURL(u); err != nil {
				return bad(fmt.Sprintf("%s.%s[%d]", key, field, j), "%v", err)
			}
			pu, _ := url.Parse(u)
			hosts[strings.ToLower(pu.Hostname())] = true
		}
	}
	for h := range hosts {
		s.Hosts = append(s.Hosts, h)
	}
	slices.Sort(s.Hosts)
	return nil
}

// checkPatterns checks the selectors, patterns and groups, and compiles
// ListRE and MatchRE.
func (s *Source) checkPatterns(key string, bad failFunc) error {
	for name, sel := range map[string]string{"body": s.Selectors.Body, "item": s.Selectors.Item,
		"title": s.Selectors.Title, "date": s.Selectors.Date, "number": s.Selectors.Number} {
		if sel == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(sel); err != nil {
			return bad(key+".selectors."+name, "invalid CSS selector %q: %v", sel, err)
		}
	}
	if s.ListPattern != "" {
		re, err := regexp.Compile(s.ListPattern)
		if err != nil {
			return bad(key+".list_pattern", "invalid regular expression: %v", err)
		}
		s.ListRE = re
	}
	for j, pat := range s.SignOff {
		if _, err := regexp.Compile("(?i)" + pat); err != nil {
			return bad(fmt.Sprintf("%s.sign_off[%d]", key, j), "invalid regular expression: %v", err)
		}
	}
	for j, g := range s.Groups {
		if strings.TrimSpace(g) == "" {
			return bad(fmt.Sprintf("%s.groups[%d]", key, j), "empty group name")
		}
	}
	if s.Match != "" {
		re, err := regexp.Compile(s.Match)
		if err != nil {
			return bad(key+".match", "invalid regular expression: %v", err)
		}
		s.MatchRE = re
	}
	return nil
}

// validateMail checks and lower-cases the mail keys of a source; taken maps
// each address already given to a source to that source's id.
func (s *Source) validateMail(key string, taken map[string]string, fail failFunc) error {
	bad := func(k, format string, args ...any) error { return fail(key+"."+k, format, args...) }
	for j, a := range s.Mail {
		addr, err := mailAddress(a)
		if err != nil {
			return bad(fmt.Sprintf("mail[%d]", j), "%v", err)
		}
		if other, ok := taken[addr]; ok {
			return bad(fmt.Sprintf("mail[%d]", j), "%s is already the address of source %s", addr, other)
		}
		taken[addr] = s.ID
		s.Mail[j] = addr
	}
	for j, f := range s.MailFrom {
		f = strings.ToLower(strings.TrimSpace(f))
		var err error
		if strings.Contains(f, "@") && !strings.HasPrefix(f, "@") {
			f, err = mailAddress(f)
		} else {
			f = strings.TrimPrefix(f, "@")
			if !domainRE.MatchString(f) {
				err = fmt.Errorf("want an address or a domain, got %q", s.MailFrom[j])
			}
		}
		if err != nil {
			return bad(fmt.Sprintf("mail_from[%d]", j), "%v", err)
		}
		s.MailFrom[j] = f
	}
	if len(s.Mail) == 0 && (len(s.MailFrom) > 0 || s.MailDKIM) {
		return bad("mail", "mail_from and mail_dkim need the source's mail addresses")
	}
	return nil
}

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// mailAddress checks a bare address (local@domain) and lower-cases it.
func mailAddress(a string) (string, error) {
	a = strings.ToLower(strings.TrimSpace(a))
	local, domain, ok := strings.Cut(a, "@")
	if !ok || local == "" || strings.ContainsAny(local, " <>\"\t,;@") || len(a) > 254 || !domainRE.MatchString(domain) || !strings.Contains(domain, ".") {
		return "", fmt.Errorf("want an address like bulletins@example.gov.uk, got %q", a)
	}
	return a, nil
}

// AcceptsSender reports whether a sender's address is one the source
// accepts: any when mail_from is empty, else one listed, or one whose
// domain is a listed domain or a sub-domain of one.
func (s *Source) AcceptsSender(addr string) bool {
	if len(s.MailFrom) == 0 {
		return true
	}
	addr = strings.ToLower(strings.TrimSpace(addr))
	_, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return false
	}
	for _, f := range s.MailFrom {
		if strings.Contains(f, "@") {
			if addr == f {
				return true
			}
		} else if domain == f || strings.HasSuffix(domain, "."+f) {
			return true
		}
	}
	return false
}

// DefaultGovDeliveryBase is where GovDelivery serves bulletin archives.
const DefaultGovDeliveryBase = "https://content.govdelivery.com"

// govDeliveryCodeRE is an account code ("UKLGA") or a topic code, which is
// its account's code, an underscore and the topic's own part ("UKLGA_123").
var govDeliveryCodeRE = regexp.MustCompile(`^([A-Z0-9]{2,32})(_[A-Z0-9_-]{1,64})?$`)

// GovDeliveryURLs returns the feed and list URLs that a GovDelivery code
// implies, on base (e.g. https://content.govdelivery.com). A code with an
// underscore is a topic code, whose account is the part before the first
// underscore; any other is an account code.
//
// An account gives its bulletins feed (…/accounts/ACCT/bulletins.rss) and
// its archive list (…/accounts/ACCT/bulletins). A topic gives its topic feed
// (…/accounts/ACCT/topics/CODE/feed.rss), whose items carry each bulletin's
// whole body; the account's archive list, which holds every topic's
// bulletins, is added only when withList is set (a source with a match
// pattern, which keeps the topic's own bulletins and skips the others).
func GovDeliveryURLs(base, code string, withList bool) (feeds, lists []string, err error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	m := govDeliveryCodeRE.FindStringSubmatch(code)
	if m == nil {
		return nil, nil, fmt.Errorf("want a GovDelivery account code (UKLGA) or topic code (UKLGA_123), got %q", code)
	}
	acct := base + "/accounts/" + url.PathEscape(m[1])
	if m[2] == "" {
		return []string{acct + "/bulletins.rss"}, []string{acct + "/bulletins"}, nil
	}
	feeds = []string{acct + "/topics/" + url.PathEscape(code) + "/feed.rss"}
	if withList {
		lists = []string{acct + "/bulletins"}
	}
	return feeds, lists, nil
}

// appendNew appends each of add not already in list.
func appendNew(list []string, add ...string) []string {
	for _, a := range add {
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	return list
}

// Source returns the source with the given id.
func (c *Config) Source(id string) (*Source, bool) {
	for i := range c.Sources {
		if c.Sources[i].ID == id {
			return &c.Sources[i], true
		}
	}
	return nil, false
}

// Matches reports whether a bulletin with this subject or masthead belongs to
// the source. A source without a match pattern accepts every bulletin.
func (s *Source) Matches(subject, masthead string) bool {
	if s.MatchRE == nil {
		return true
	}
	return s.MatchRE.MatchString(subject) || s.MatchRE.MatchString(masthead)
}

// CronSpec returns the schedule with its time zone, as robfig/cron expects it.
func (s *Source) CronSpec() string {
	return "CRON_TZ=" + s.Timezone + " " + s.Schedule
}

// CronSchedule parses the schedule in the source's time zone, with the one
// cron parser the config check also uses, so that what passes the check is
// what the scheduler runs.
func (s *Source) CronSchedule() (cron.Schedule, error) {
	return cronParser.Parse(s.CronSpec())
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid URL %q: %v", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an absolute http(s) URL, got %q", raw)
	}
	return nil
}

// checkFrameAncestor accepts what CSP frame-ancestors allows us to say:
// 'self', 'none', or an http(s) origin, whose host may start with "*.".
func checkFrameAncestor(s string) error {
	if s == "'self'" || s == "'none'" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
		u.RawQuery != "" || strings.ContainsAny(s, " ;,'") || strings.Contains(strings.TrimPrefix(u.Host, "*."), "*") {
		return fmt.Errorf("want 'self', 'none' or an origin like https://intranet.example.gov.uk, got %q", s)
	}
	return nil
}
