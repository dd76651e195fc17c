package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsRules is the robots.txt group that applies to us; nil allows all.
type robotsRules = *robotstxt.Group

// allowedByRobots fetches (or reuses) the robots.txt of u's host and tests
// u's path and query against the group for RobotsAgent.
func (c *Client) allowedByRobots(ctx context.Context, u *url.URL, req Request) error {
	h := c.host(u)
	h.robotsMu.Lock()
	if h.robotsExpires.IsZero() || !c.now().Before(h.robotsExpires) {
		rules, ttl, err := c.fetchRobots(ctx, u, req)
		if err != nil {
			h.robotsMu.Unlock()
			return err
		}
		h.robots, h.robotsExpires = rules, c.now().Add(ttl)
	}
	rules := h.robots
	h.robotsMu.Unlock()

	if rules == nil {
		return nil
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if !rules.Test(p) {
		return fmt.Errorf("fetch %s: %w", u, ErrDisallowed)
	}
	return nil
}

// fetchRobots reads robots.txt once, following redirects with the same
// allow-list and private-address rules as the page. A missing file (4xx)
// allows all; a server error, an unreachable host or an unparsable file also
// allows all but is logged and remembered only briefly. Only a cancelled
// context is returned as an error.
func (c *Client) fetchRobots(ctx context.Context, page *url.URL, req Request) (robotsRules, time.Duration, error) {
	u := &url.URL{Scheme: page.Scheme, Host: page.Host, Path: "/robots.txt"}
	robotsReq := Request{AllowHosts: req.AllowHosts, AllowPrivate: req.AllowPrivate, Accept: "text/plain, */*;q=0.5"}
	for hop := 0; hop <= MaxRedirects; hop++ {
		if err := c.check(u, robotsReq); err != nil {
			c.log.Warn("fetch: robots.txt refused, allowing all", "url", u.String(), "err", err)
			return nil, robotsErrorTTL, nil
		}
		res, next, _, err := c.exchange(ctx, http.MethodGet, u, robotsReq, min(c.opt.MaxBytes, robotsMaxBytes))
		if ctx.Err() != nil {
			return nil, 0, fmt.Errorf("fetch %s: robots.txt: %w", page, ctx.Err())
		}
		var se *StatusError
		switch {
		case errors.As(err, &se) && se.Code >= 400 && se.Code < 500:
			return nil, robotsTTL, nil
		case err != nil:
			// A host that does not answer at all fails the page's own
			// request next, which the caller reports: one line, not two.
			level := slog.LevelWarn
			if se == nil {
				level = slog.LevelDebug
			}
			c.log.Log(ctx, level, "fetch: robots.txt unavailable, allowing all", "url", u.String(), "err", err)
			return nil, robotsErrorTTL, nil
		case next != nil:
			u = next
			continue
		}
		data, err := robotstxt.FromStatusAndBytes(res.Status, res.Body)
		if err != nil {
			c.log.Warn("fetch: robots.txt unparsable, allowing all", "url", u.String(), "err", err)
			return nil, robotsErrorTTL, nil
		}
		return data.FindGroup(RobotsAgent), robotsTTL, nil
	}
	c.log.Warn("fetch: robots.txt redirects too often, allowing all", "url", u.String())
	return nil, robotsErrorTTL, nil
}
