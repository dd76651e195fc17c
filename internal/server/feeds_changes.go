package server

import (
	"net/http"
	"sync"
	"time"
)

// changeLogEntries bounds how many documents' change times are kept: one
// per feed URL (with its canonical query) that clients ask for.
const changeLogEntries = 4096

// changeLog remembers, for each feed document (by its cache key), the ETag
// of its latest rendering and since when it has had that ETag. A feed's
// Last-Modified is that time (or its newest entry's, if later), so it moves whenever the document's bytes
// change, including when an entry older than every other one is added (a
// back-filled archive, an imported e-mail): a client that sends only
// If-Modified-Since never misses a new entry. The newest entry's date would
// not move then. A document seen for the first time (after a restart, or
// once forgotten) is dated when it is first rendered: clients then fetch it
// once more, which is never wrong, where an older date could hide a change.
type changeLog struct {
	mu sync.Mutex
	m  map[string]change
}

type change struct {
	etag  string
	since time.Time
}

func newChangeLog() *changeLog { return &changeLog{m: map[string]change{}} }

// since is the time from which the document at key has had this etag:
// the time it was last seen with another one, or now. Times are whole
// seconds (as HTTP dates are) and a change always moves the time forward
// by at least a second, so that If-Modified-Since tells every two versions
// apart.
func (c *changeLog) since(key, etag string, now time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, ok := c.m[key]
	if ok && prev.etag == etag {
		return prev.since
	}
	t := now.UTC().Truncate(time.Second)
	if ok && !t.After(prev.since) {
		t = prev.since.Add(time.Second)
	}
	if !ok && len(c.m) >= changeLogEntries {
		for k := range c.m { // forget one at random: it is dated anew if asked again
			delete(c.m, k)
			break
		}
	}
	c.m[key] = change{etag: etag, since: t}
	return t
}

// feedKey is the cache and change-log key of a feed request: its path and
// canonical query.
func feedKey(r *http.Request) string {
	return r.URL.Path + "?" + canonicalQuery(r).Encode()
}
