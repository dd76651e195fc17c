package inbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/run"
)

// backend makes a session per connection.
type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: guardOf(c.Conn()), remote: remoteIP(c.Conn().RemoteAddr())}, nil
}

// session is one connection's state: the transaction under way and what
// the client has cost so far.
type session struct {
	s      *Server
	conn   *guardConn
	remote string

	from  string         // envelope sender of the transaction under way
	src   *config.Source // the source its recipients belong to
	rcpts []string

	messages int // DATA commands on this connection
	refusals int // recipients refused on this connection
}

// refuse logs and counts a refusal and returns the reply for it; with
// closeAfter the connection ends after the reply.
func (ss *session) refuse(reason string, code int, enh smtp.EnhancedCode, msg string, closeAfter bool, attrs ...any) error {
	ss.s.refused(reason, msg, append([]any{"remote", ss.remote, "mail_from", ss.from}, attrs...)...)
	ss.conn.expectReply(closeAfter)
	return &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}
}

func (ss *session) Reset() {
	ss.from, ss.src, ss.rcpts = "", nil, nil
}

func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.messages >= ss.s.opt.MaxMessages {
		return ss.refuse(ReasonLimit, 421, smtp.EnhancedCode{4, 7, 0},
			fmt.Sprintf("at most %d messages on one connection; reconnect to send more", ss.s.opt.MaxMessages), true)
	}
	ss.from = strings.ToLower(strings.TrimSpace(from))
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	addr := strings.ToLower(strings.TrimSpace(to))
	src := ss.s.byAddr[addr]
	if src == nil {
		ss.refusals++
		last := ss.refusals >= ss.s.opt.MaxRefused
		_, domain, _ := strings.Cut(addr, "@")
		if ss.s.domains[domain] {
			return ss.refuse(ReasonRelay, 550, smtp.EnhancedCode{5, 1, 1}, fmt.Sprintf("<%s>: no such address here", addr), last, "to", addr)
		}
		return ss.refuse(ReasonRelay, 550, smtp.EnhancedCode{5, 7, 1}, fmt.Sprintf("<%s>: relaying denied", addr), last, "to", addr)
	}
	if ss.src != nil && ss.src != src {
		// One message, one source: each source may accept other senders.
		return ss.refuse(ReasonLimit, 452, smtp.EnhancedCode{4, 5, 3},
			fmt.Sprintf("<%s>: send to this address in a message of its own", addr), false, "to", addr)
	}
	ss.src = src
	ss.rcpts = append(ss.rcpts, addr)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	ss.messages++
	src := ss.src
	raw, err := io.ReadAll(r)
	if errors.Is(err, smtp.ErrDataTooLarge) {
		msg := fmt.Sprintf("message over the size limit of %d bytes", ss.s.opt.MaxSize)
		ss.s.record(src, run.Mail{Received: time.Now().UTC(), From: ss.from, Outcome: run.MailRefused, Error: msg})
		return ss.refuse(ReasonSize, 552, smtp.EnhancedCode{5, 3, 4}, msg, false, "source", src.ID)
	}
	if err != nil {
		// A timeout, a line too long, a lost connection: go-smtp says so
		// (and the guard logs it) once the data phase is over.
		ss.conn.expectReply(false)
		return err
	}
	return ss.s.deliver(ss, src, raw)
}

// header is what a message's header says of it, for the record and the
// sender checks.
type header struct {
	from      string // the single From: address, lower-cased; "" when absent or several
	subject   string
	messageID string
}

func readHeader(raw []byte) header {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return header{}
	}
	var h header
	if list, err := mail.ParseAddressList(msg.Header.Get("From")); err == nil && len(list) == 1 {
		h.from = strings.ToLower(list[0].Address)
	}
	subject := msg.Header.Get("Subject")
	if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = dec
	}
	h.subject = clip(strings.Join(strings.Fields(subject), " "), 200)
	h.messageID = clip(strings.Trim(strings.TrimSpace(msg.Header.Get("Message-Id")), "<>"), 200)
	return h
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// deliver checks the message's sender and hands it to the receiver.
func (s *Server) deliver(ss *session, src *config.Source, raw []byte) error {
	h := readHeader(raw)
	m := run.Mail{Received: time.Now().UTC(), From: h.from, Subject: h.subject, MessageID: h.messageID}
	if m.From == "" {
		m.From = ss.from
	}
	attrs := []any{"source", src.ID, "from", m.From, "subject", m.Subject, "message_id", m.MessageID}
	if r := s.checkSender(src, ss.from, h.from, raw); r != nil {
		m.Outcome, m.Error = run.MailRefused, r.msg
		s.record(src, m)
		return ss.refuse(r.reason, r.code, r.enh, r.msg, false, attrs...)
	}

	s.mu.Lock()
	closed := s.closed
	if !closed {
		s.work.Add(1)
	}
	s.mu.Unlock()
	if closed {
		return ss.refuse(ReasonLocal, 421, smtp.EnhancedCode{4, 3, 2}, "shutting down; try again later", true, attrs...)
	}
	defer s.work.Done()
	got, err := s.receiveOne(src, raw)
	m.URL, m.Editions, m.Items = got.URL, got.Editions, got.Items
	if err != nil {
		m.Outcome, m.Error = run.MailDeferred, err.Error()
		s.record(src, m)
		return ss.refuse(ReasonLocal, 451, smtp.EnhancedCode{4, 3, 0}, "cannot keep the message now; try again later", false,
			append(attrs, "err", err)...)
	}
	switch {
	case got.Failed > 0:
		m.Outcome = run.MailFailed
		if len(got.Errors) > 0 {
			m.Error = got.Errors[0]
		}
	case got.Editions > 0:
		m.Outcome = run.MailIndexed
	case got.Skipped > 0:
		m.Outcome = run.MailSkipped
	default:
		m.Outcome = run.MailUnchanged
	}
	s.record(src, m)
	if m.Error != "" {
		// Kept and acknowledged (the sender would only send it again);
		// the crawler has logged what went wrong.
		attrs = append(attrs, "err", m.Error)
	}
	s.log.Info("smtp: received", append(attrs, "outcome", m.Outcome, "url", m.URL, "editions", m.Editions, "items", m.Items)...)
	return nil
}

// receiveOne hands a message to the receiver, one at a time per source.
func (s *Server) receiveOne(src *config.Source, raw []byte) (crawl.Received, error) {
	lock := s.locks[src.ID]
	lock.Lock()
	defer lock.Unlock()
	return s.receive(s.ctx, src, raw)
}

// record keeps what became of a message and counts it.
func (s *Server) record(src *config.Source, m run.Mail) {
	if err := s.rec.RecordMail(src.ID, m); err != nil {
		s.log.Warn("smtp: message not recorded: "+err.Error(), "source", src.ID)
	}
	if s.opt.Metrics != nil {
		s.opt.Metrics.MailReceived(src.ID, m.Outcome, m.Editions, m.Items)
	}
}

// refusal is a reply refusing a message.
type refusal struct {
	reason string
	code   int
	enh    smtp.EnhancedCode
	msg    string
}

// checkSender applies the source's mail_from and mail_dkim. Without
// mail_dkim, the envelope sender or the From: address must be accepted (a
// mailbox rule that forwards keeps the one or the other). With it, the
// From: address must be accepted and its domain (or a parent domain) must
// have signed the message.
func (s *Server) checkSender(src *config.Source, envelope, from string, raw []byte) *refusal {
	if !src.MailDKIM {
		if src.AcceptsSender(envelope) || (from != "" && src.AcceptsSender(from)) {
			return nil
		}
		who := from
		if who == "" {
			who = envelope
		}
		return &refusal{ReasonSender, 550, smtp.EnhancedCode{5, 7, 1}, fmt.Sprintf("sender <%s> is not accepted here", who)}
	}
	if from == "" {
		return &refusal{ReasonSender, 550, smtp.EnhancedCode{5, 7, 1}, "a message needs a single From: address here"}
	}
	if !src.AcceptsSender(from) {
		return &refusal{ReasonSender, 550, smtp.EnhancedCode{5, 7, 1}, fmt.Sprintf("sender <%s> is not accepted here", from)}
	}
	_, domain, _ := strings.Cut(from, "@")
	switch ok, temp, why := s.checkDKIM(raw, domain); {
	case ok:
		return nil
	case temp:
		return &refusal{ReasonDKIMTemp, 451, smtp.EnhancedCode{4, 7, 5}, "DKIM signature of " + domain + " cannot be checked now (" + why + "); try again later"}
	default:
		return &refusal{ReasonDKIM, 550, smtp.EnhancedCode{5, 7, 20}, "no valid DKIM signature of " + domain + " (" + why + ")"}
	}
}
