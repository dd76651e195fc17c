package crawl

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/lga-digital/bulletin/internal/fetch"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/snapshot"
)

// KindHead is the snapshot kind of what a HEAD request told about a
// document an item links to (a PDF, a spreadsheet…): its body is the JSON of
// a DocumentHead. Kept like any page, so that a reindex, which never uses
// the network, gives the feeds the same enclosure lengths as the crawl.
const KindHead snapshot.Kind = "head"

// MaxHeadsPerEdition bounds the HEAD requests one edition may cost.
const MaxHeadsPerEdition = 10

// DocumentHead is what a HEAD request told about a document.
type DocumentHead struct {
	Length int64  `json:"length"`         // bytes, from Content-Length
	Type   string `json:"type,omitempty"` // Content-Type as sent
}

// documentLengths sets Link.Length on the items' links to documents (links
// the parser gave a media type) from a HEAD request, so that feeds can give
// enclosure lengths. Only documents on the source's own hosts are asked
// (GovDelivery serves a bulletin's attachments from the bulletin's host);
// documents elsewhere (local.gov.uk, gov.uk…) are on hosts the crawler may
// not fetch and keep an unknown length. At most MaxHeadsPerEdition requests
// are sent for one edition, each document at most once across crawls (the
// answer is kept as a KindHead snapshot), and never during a reindex. A
// failed HEAD costs a debug line, not a crawl failure: the length is a
// nicety.
func (p *pass) documentLengths(ctx context.Context, items []model.Item) {
	heads := 0
	known := map[string]DocumentHead{}
	for i := range items {
		for j := range items[i].Links {
			l := &items[i].Links[j]
			if l.Type == "" || l.Length > 0 || l.URL == "" {
				continue
			}
			h, ok := known[l.URL]
			if !ok {
				h, ok = p.storedHead(ctx, l.URL)
			}
			if !ok && p.Fetch != nil && heads < MaxHeadsPerEdition && p.ownHost(l.URL) {
				heads++
				h, ok = p.head(ctx, l.URL)
			}
			if !ok {
				continue
			}
			known[l.URL] = h
			l.Length = h.Length
		}
	}
}

// ownHost reports whether u is on one of the hosts the source's crawl may
// fetch, and not on a host found down this pass.
func (p *pass) ownHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if p.down[strings.ToLower(u.Host)] {
		return false
	}
	name := strings.ToLower(u.Hostname())
	for _, h := range p.src.Hosts {
		if strings.EqualFold(h, name) || strings.EqualFold(h, u.Host) {
			return true
		}
	}
	return false
}

// storedHead returns the kept answer of an earlier HEAD of u.
func (p *pass) storedHead(ctx context.Context, u string) (DocumentHead, bool) {
	m, ok, err := p.Store.Get(ctx, p.src.ID, u)
	if err != nil || !ok || m.Kind != KindHead {
		return DocumentHead{}, false
	}
	body, err := p.Store.Body(ctx, m)
	if err != nil {
		return DocumentHead{}, false
	}
	var h DocumentHead
	if err := json.Unmarshal(body, &h); err != nil || h.Length <= 0 {
		return DocumentHead{}, false
	}
	return h, true
}

// head asks the document's length with a HEAD request and keeps the answer.
func (p *pass) head(ctx context.Context, u string) (DocumentHead, bool) {
	resp, err := p.Fetch.Do(ctx, fetch.Request{URL: u, Method: "HEAD", Accept: "*/*",
		AllowHosts: p.src.Hosts, AllowPrivate: p.src.AllowPrivate})
	if err != nil {
		p.Log.Debug("crawl: HEAD of a document failed; its enclosure length stays unknown",
			"source", p.src.ID, "url", u, "error", err.Error())
		return DocumentHead{}, false
	}
	if resp.Length <= 0 {
		p.Log.Debug("crawl: HEAD of a document gave no length", "source", p.src.ID, "url", u)
		return DocumentHead{}, false
	}
	h := DocumentHead{Length: resp.Length, Type: resp.ContentType}
	body, err := json.Marshal(h)
	if err == nil {
		_, err = p.Store.Put(ctx, snapshot.Meta{Source: p.src.ID, Kind: KindHead, URL: u, ContentType: "application/json",
			FetchedAt: resp.FetchedAt, Status: snapshot.StatusHead}, body)
	}
	if err != nil {
		p.Log.Warn("crawl: could not keep a document's length: "+err.Error(), "source", p.src.ID, "url", u)
	}
	return h, true
}
