package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/lga-digital/bulletin/internal/api"
)

// FuzzSearchAPI sends arbitrary q, page, size and sort to /api/search and the
// search page: the API never answers 5xx and always answers valid JSON, and
// the page never answers 5xx.
func FuzzSearchAPI(f *testing.F) {
	for _, tc := range loadAPISearches(f) {
		f.Add(tc.Params["q"], tc.Params["page"], tc.Params["size"], tc.Params["sort"])
	}
	for _, s := range [][4]string{
		{"", "-1", "1e3", "DATE"}, {"\xff\xfe", "00", "+5", " date"}, {"((((", "9999999999999999999999", "100", ""},
		{`section:"`, "10000", "100", "relevance"}, {"a OR b section:x", "0x10", "1", "date"}, {"<script>alert(1)</script>", "1", "2", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	fx := newSearchFixture(f, "")
	h := fx.srv.Handler()
	f.Fuzz(func(t *testing.T, q, page, size, sort string) {
		v := url.Values{}
		for k, x := range map[string]string{"q": q, "page": page, "size": size, "sort": sort} {
			if x != "" {
				v.Set(k, x)
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?"+v.Encode(), nil))
		if rec.Code >= 500 {
			t.Fatalf("/api/search?%s: status %d: %s", v.Encode(), rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("/api/search?%s: status %d, invalid JSON: %q", v.Encode(), rec.Code, rec.Body)
		}
		if rec.Code == http.StatusOK {
			var resp api.SearchResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("/api/search?%s: %v", v.Encode(), err)
			}
		} else if rec.Code != http.StatusBadRequest {
			t.Fatalf("/api/search?%s: status %d, want 200 or 400", v.Encode(), rec.Code)
		}
		htmlRec := httptest.NewRecorder()
		h.ServeHTTP(htmlRec, httptest.NewRequest(http.MethodGet, "/search?"+v.Encode(), nil))
		if htmlRec.Code != rec.Code {
			t.Fatalf("/search?%s: status %d, the API said %d", v.Encode(), htmlRec.Code, rec.Code)
		}
	})
}
