package inbox

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// writeGrace is how long after a session's end a last reply may still be
// written (the 421 that says why the connection closes).
const writeGrace = 5 * time.Second

// listener admits connections within the limits: MaxConns in all,
// MaxConnsPerIP from one address. Others get a 421 and are closed.
type listener struct {
	net.Listener
	s *Server
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := remoteIP(c.RemoteAddr())
		if why := l.s.admit(ip); why != "" {
			l.s.refused(ReasonLimit, why, "remote", ip)
			go func() {
				c.SetDeadline(time.Now().Add(writeGrace))
				io.WriteString(c, "421 4.7.0 "+why+"; try again later\r\n")
				c.Close()
			}()
			continue
		}
		return newGuardConn(c, l.s, ip), nil
	}
}

// admit counts a new connection from ip, or says why it is refused.
func (s *Server) admit(ip string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return "shutting down"
	case s.conns >= s.opt.MaxConns:
		return "too many connections"
	case s.perIP[ip] >= s.opt.MaxConnsPerIP:
		return "too many connections from " + ip
	}
	s.conns++
	s.perIP[ip]++
	return ""
}

func (s *Server) release(ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns--
	if s.perIP[ip]--; s.perIP[ip] <= 0 {
		delete(s.perIP, ip)
	}
}

func remoteIP(a net.Addr) string {
	if host, _, err := net.SplitHostPort(a.String()); err == nil {
		return host
	}
	return a.String()
}

// guardConn is one admitted connection. It keeps every read and write
// deadline go-smtp sets within the session's end, logs a timeout once, and
// watches the replies go-smtp writes on its own (bad commands, lines too
// long, a SIZE over the cap) to log and count them as refusals; refusals
// the session decided are logged by the session, which says so with
// expectReply. After STARTTLS the replies are encrypted and only the
// session's refusals and timeouts are logged.
type guardConn struct {
	net.Conn
	s   *Server
	ip  string
	end time.Time

	mu         sync.Mutex
	partial    []byte // a reply line not yet complete
	expected   int    // refusals already logged whose reply is still to come
	closeAfter bool   // close once the next reply is written
	encrypted  bool   // STARTTLS under way: replies are no longer readable
	timedOut   bool
	closeOnce  sync.Once
}

func newGuardConn(c net.Conn, s *Server, ip string) *guardConn {
	g := &guardConn{Conn: c, s: s, ip: ip, end: time.Now().Add(s.opt.SessionTimeout)}
	c.SetDeadline(g.end)
	return g
}

// guardOf finds the guardConn under a connection go-smtp hands the backend
// (a *tls.Conn after STARTTLS).
func guardOf(c net.Conn) *guardConn {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	g, _ := c.(*guardConn)
	return g
}

func (g *guardConn) clamp(t time.Time, grace time.Duration) time.Time {
	if end := g.end.Add(grace); t.IsZero() || t.After(end) {
		return end
	}
	return t
}

func (g *guardConn) SetDeadline(t time.Time) error {
	if err := g.SetReadDeadline(t); err != nil {
		return err
	}
	return g.SetWriteDeadline(t)
}

func (g *guardConn) SetReadDeadline(t time.Time) error {
	return g.Conn.SetReadDeadline(g.clamp(t, 0))
}

func (g *guardConn) SetWriteDeadline(t time.Time) error {
	return g.Conn.SetWriteDeadline(g.clamp(t, writeGrace))
}

func (g *guardConn) Read(b []byte) (int, error) {
	n, err := g.Conn.Read(b)
	var ne net.Error
	if err != nil && errors.As(err, &ne) && ne.Timeout() {
		g.mu.Lock()
		first := !g.timedOut
		g.timedOut = true // go-smtp's replies to it are not logged again
		g.mu.Unlock()
		if first {
			what := "idle too long"
			if !time.Now().Before(g.end) {
				what = "session too long"
			}
			g.s.refused(ReasonTimeout, what, "remote", g.ip)
		}
	}
	return n, err
}

func (g *guardConn) Write(b []byte) (int, error) {
	n, err := g.Conn.Write(b)
	g.mu.Lock()
	if !g.encrypted {
		g.watch(b[:n])
	}
	closeNow := g.closeAfter
	g.mu.Unlock()
	if closeNow {
		g.Conn.Close()
	}
	return n, err
}

// watch reads the reply lines in b. The caller holds g.mu.
func (g *guardConn) watch(b []byte) {
	g.partial = append(g.partial, b...)
	for {
		i := bytes.IndexByte(g.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(g.partial[:i]), "\r")
		g.partial = g.partial[i+1:]
		if len(line) < 4 || line[3] != ' ' { // a continued line, or not a reply
			continue
		}
		switch {
		case strings.HasPrefix(line, "220 ") && strings.HasSuffix(line, "Ready to start TLS"): // go-smtp's reply to STARTTLS
			g.encrypted = true
		case line[0] == '4' || line[0] == '5':
			if g.timedOut {
				continue
			}
			if g.expected > 0 {
				g.expected--
				continue
			}
			reason := ReasonProtocol
			if strings.HasPrefix(line, "552") {
				reason = ReasonSize
			}
			g.s.refused(reason, line[4:], "remote", g.ip, "reply", line)
		}
	}
	if len(g.partial) > 4096 {
		g.partial = nil
	}
}

// expectReply says that the next 4xx or 5xx reply is a refusal already
// logged; closeAfterReply that the connection ends with it.
func (g *guardConn) expectReply(closeAfter bool) {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.expected++
	g.closeAfter = g.closeAfter || closeAfter
	g.mu.Unlock()
}

func (g *guardConn) Close() error {
	err := g.Conn.Close()
	g.closeOnce.Do(func() { g.s.release(g.ip) })
	return err
}
