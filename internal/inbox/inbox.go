// Package inbox receives bulletins by e-mail: an SMTP server
// (github.com/emersion/go-smtp) that takes messages only for the addresses
// the sources list (source key mail), never relays, refuses messages over the
// size cap, from senders a source does not accept (mail_from) or without a
// valid DKIM signature of their author's domain when the source asks for one
// (mail_dkim, verified with github.com/emersion/go-msgauth), and bounds what
// one client may cost: connections in all and per address, recipients and
// messages per connection, refused recipients, line length, idle time and
// the length of a whole session. STARTTLS is offered when a certificate is
// configured.
//
// Each accepted message is handed to a Receiver (the crawler's Receive,
// which reads it exactly as an imported .eml) and what became of it to a
// Recorder (the scheduler, which keeps it for /status and runs the hook that
// drops the source's cached feeds). A message that cannot be read is kept
// and acknowledged (250): the sender would only send it again. A failure on
// our side (disk full) is a 451, so the sender tries again later. Every
// refusal is logged once, with its reason, and counted in the metrics.
//
// It imports config, crawl (for its result), schedule (for the record of a
// message) and metrics; only the CLI imports it.
package inbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/run"
)

// Receiver brings a received message into a source; in serve it is the
// source's crawler's Receive.
type Receiver func(ctx context.Context, src *config.Source, msg []byte) (crawl.Received, error)

// Recorder keeps what became of a message received for a source;
// *schedule.Scheduler implements it, and then runs its OnMail hook.
type Recorder interface {
	RecordMail(source string, m run.Mail) error
}

// Options tune the server; zero values take the defaults named.
type Options struct {
	// Domain names the server in its greeting; default the host of
	// base_url.
	Domain string
	// TLS, when set, is offered with STARTTLS.
	TLS *tls.Config
	// MaxSize is the largest message accepted, in bytes; default the
	// config's smtp_max_size.
	MaxSize int64
	// MaxConns bounds the connections open at once (default 32) and
	// MaxConnsPerIP those from one address (default 4).
	MaxConns, MaxConnsPerIP int
	// MaxRecipients bounds the recipients of one message (default 10),
	// MaxMessages the messages of one connection (default 20) and
	// MaxRefused the recipients refused on one connection before it is
	// closed (default 5).
	MaxRecipients, MaxMessages, MaxRefused int
	// MaxLineLength bounds a command or message line (default 2000 bytes,
	// twice RFC 5321's limit).
	MaxLineLength int
	// ReadTimeout bounds the wait for each command and for a whole
	// message's data (default 2 minutes); WriteTimeout each reply (default
	// 1 minute); SessionTimeout a whole connection (default 10 minutes).
	ReadTimeout, WriteTimeout, SessionTimeout time.Duration
	// LookupTXT looks up the DNS TXT records of a DKIM key; default the
	// system resolver, with a 10-second time limit. Tests inject keys here.
	LookupTXT func(domain string) ([]string, error)
	// Metrics, when set, counts messages and refusals.
	Metrics *metrics.Metrics
	// Log receives one line per message and per refusal.
	Log *slog.Logger
}

// Reasons of a refusal, as logged and as the metrics' reason label.
const (
	ReasonRelay    = "relay"     // a recipient that is no source's address
	ReasonSize     = "size"      // the message is over the size cap
	ReasonSender   = "sender"    // a sender the source does not accept
	ReasonDKIM     = "dkim"      // no valid DKIM signature of the author's domain
	ReasonLimit    = "limit"     // too many connections, recipients, messages or refusals
	ReasonTimeout  = "timeout"   // the client was too slow
	ReasonProtocol = "protocol"  // a malformed or out-of-order command, a line too long
	ReasonLocal    = "local"     // a failure on our side: the sender should try again
	ReasonDKIMTemp = "dkim-temp" // the DKIM key could not be looked up now
)

// Server is bulletin's SMTP listener.
type Server struct {
	srv     *smtp.Server
	receive Receiver
	rec     Recorder
	opt     Options
	log     *slog.Logger
	byAddr  map[string]*config.Source // recipient address → source
	domains map[string]bool           // the domains of those addresses

	ctx    context.Context // cancelled once the server has stopped
	cancel context.CancelFunc
	work   sync.WaitGroup // messages being delivered

	mu     sync.Mutex
	conns  int
	perIP  map[string]int
	locks  map[string]*sync.Mutex // one delivery at a time per source
	closed bool
}

// New builds the SMTP server for the sources of cfg that have mail
// addresses.
func New(cfg *config.Config, receive Receiver, rec Recorder, opt Options) (*Server, error) {
	if receive == nil || rec == nil {
		return nil, errors.New("inbox: a receiver and a recorder are needed")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Domain == "" {
		opt.Domain = "localhost"
		if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
			opt.Domain = u.Hostname()
		}
	}
	if opt.MaxSize <= 0 {
		opt.MaxSize = int64(cfg.SMTPMaxSize)
	}
	if opt.MaxSize <= 0 {
		opt.MaxSize = int64(config.DefaultSMTPMaxSize)
	}
	defaults := []struct {
		v   *int
		def int
	}{{&opt.MaxConns, 32}, {&opt.MaxConnsPerIP, 4}, {&opt.MaxRecipients, 10}, {&opt.MaxMessages, 20},
		{&opt.MaxRefused, 5}, {&opt.MaxLineLength, 2000}}
	for _, d := range defaults {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&opt.ReadTimeout, 2 * time.Minute}, {&opt.WriteTimeout, time.Minute}, {&opt.SessionTimeout, 10 * time.Minute}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if opt.LookupTXT == nil {
		opt.LookupTXT = lookupTXT
	}
	s := &Server{receive: receive, rec: rec, opt: opt, log: opt.Log, byAddr: map[string]*config.Source{},
		domains: map[string]bool{}, perIP: map[string]int{}, locks: map[string]*sync.Mutex{}}
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		for _, a := range src.Mail {
			s.byAddr[a] = src
			_, domain, _ := strings.Cut(a, "@")
			s.domains[domain] = true
		}
		s.locks[src.ID] = &sync.Mutex{}
	}
	if len(s.byAddr) == 0 {
		return nil, errors.New("inbox: no source has a mail address")
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	srv := smtp.NewServer(backend{s})
	srv.Domain = opt.Domain
	srv.TLSConfig = opt.TLS
	srv.MaxMessageBytes = opt.MaxSize
	srv.MaxRecipients = opt.MaxRecipients
	srv.MaxLineLength = opt.MaxLineLength
	srv.ReadTimeout = opt.ReadTimeout
	srv.WriteTimeout = opt.WriteTimeout
	srv.ErrorLog = slogPrinter{opt.Log}
	s.srv = srv
	return s, nil
}

// Serve answers SMTP connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(&listener{Listener: l, s: s})
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("smtp: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections, closes the open ones, and waits
// (bounded by ctx) for the messages being delivered: a message whose reply
// was lost with its connection is sent again by its sender, and receiving
// it twice changes nothing.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	err := s.srv.Close()
	if errors.Is(err, smtp.ErrServerClosed) {
		err = nil
	}
	done := make(chan struct{})
	go func() { s.work.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		err = errors.Join(err, fmt.Errorf("smtp: messages still being delivered: %w", ctx.Err()))
	}
	s.cancel()
	return err
}

// refused logs a refusal once and counts it.
func (s *Server) refused(reason, msg string, attrs ...any) {
	s.log.Warn("smtp: refused: "+msg, append([]any{"reason", reason}, attrs...)...)
	if s.opt.Metrics != nil {
		s.opt.Metrics.MailRefused(reason)
	}
}

// lookupTXT is the default DKIM key lookup: the system resolver, bounded.
func lookupTXT(domain string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return net.DefaultResolver.LookupTXT(ctx, domain)
}

// slogPrinter passes go-smtp's own error lines to the log.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Printf(format string, v ...any) {
	p.log.Warn("smtp: " + fmt.Sprintf(format, v...))
}
func (p slogPrinter) Println(v ...any) {
	p.log.Warn("smtp: " + strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}
