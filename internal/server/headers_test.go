package server

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/model"
)

func TestSecurityHeaders(t *testing.T) {
	tests := []struct {
		name, path string
		ancestors  []string
		wantFrame  string
	}{
		{"page", "/healthz", []string{"https://intranet.example"}, "frame-ancestors 'self'"},
		{"embed default", "/embed", nil, "frame-ancestors 'self'"},
		{"embed configured", "/embed", []string{"'self'", "https://*.intranet.example"}, "frame-ancestors 'self' https://*.intranet.example"},
		{"not found", "/nope", nil, "frame-ancestors 'self'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The whole server, since /embed is framable by its route's option.
			s, err := New(&config.Config{BaseURL: "http://bulletin.test", FrameAncestors: tt.ancestors, Sources: []config.Source{{ID: "x", Title: "X"}}}, nil, nil,
				slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			s.idx = fuzzIndex{item: model.Item{ID: "x-1", Title: "An item", Section: "News", Orgs: []string{"LGA"}}}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if want := map[string]int{"/nope": 404}[tt.path]; rec.Code != max(want, 200) {
				t.Errorf("status %d: %s", rec.Code, rec.Body)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if !strings.HasSuffix(csp, tt.wantFrame) || !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP = %q", csp)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Referrer-Policy") == "" {
				t.Errorf("headers %v", rec.Header())
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		trust bool
		fwd   string
		want  string
	}{
		{false, "203.0.113.9", "192.0.2.1"},
		{true, "203.0.113.9, 10.0.0.1", "203.0.113.9"},
		{true, "not-an-ip", "192.0.2.1"},
		{true, "", "192.0.2.1"},
	}
	for _, tt := range tests {
		s := &Server{cfg: &config.Config{TrustProxy: tt.trust}}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.1:5555"
		if tt.fwd != "" {
			r.Header.Set("X-Forwarded-For", tt.fwd)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("trust=%v fwd=%q: %q, want %q", tt.trust, tt.fwd, got, tt.want)
		}
	}
}
