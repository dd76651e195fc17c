package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// loadOpenAPI parses and validates the embedded openapi.json.
func loadOpenAPI(tb testing.TB, data []byte) *openapi3.T {
	tb.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	return doc
}

// registeredRoutes lists the mux patterns that the package's code registers
// (Server.route, or the mux directly) with a string literal or a constant: "GET /api/search", "POST /api/crawl", …
// It reads the source, as a ServeMux cannot list its patterns.
func registeredRoutes(tb testing.TB) []string {
	tb.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		tb.Fatal(err)
	}
	consts := map[string]string{}
	var calls []*ast.CallExpr
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			tb.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if i < len(n.Values) {
						if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[id.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "route" && len(n.Args) >= 2 ||
					(sel.Sel.Name == "HandleFunc" || sel.Sel.Name == "Handle") && len(n.Args) == 2) {
					calls = append(calls, n)
				}
			}
			return true
		})
	}
	var out []string
	for _, c := range calls {
		switch a := c.Args[0].(type) {
		case *ast.BasicLit:
			p, _ := strconv.Unquote(a.Value)
			out = append(out, p)
		case *ast.Ident:
			if p, ok := consts[a.Name]; ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// openAPIPath turns a mux pattern's path into the document's form; they
// agree for the API, where every wildcard is a whole segment.
func openAPIPath(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return "", pattern
	}
	return method, path
}

// TestOpenAPIDocumentsEveryAPIRoute checks both ways: every route the server
// registers under /api has its operation in openapi.json, and every
// operation of openapi.json reaches a route of the server.
func TestOpenAPIDocumentsEveryAPIRoute(t *testing.T) {
	doc := loadOpenAPI(t, openAPIDoc)
	routes := registeredRoutes(t)
	if !slices.Contains(routes, "GET /api/search") {
		t.Fatalf("the source scan found no GET /api/search among %q", routes)
	}
	for _, r := range routes {
		method, path := openAPIPath(r)
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("the server registers %q but openapi.json has no %s %s: document it", r, method, path)
		}
	}

	f := newSearchFixture(t, "")
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			target := concretePath(t, path, op, item, nil)
			req := httptest.NewRequest(method, target, nil)
			if _, pattern := f.srv.mux.Handler(req); pattern == "" || pattern == "/" {
				t.Errorf("openapi.json documents %s %s (%s), which no route of the server serves", method, path, target)
			}
		}
	}
}

// pathParams returns the path parameters of an operation by name.
func pathParams(op *openapi3.Operation, item *openapi3.PathItem) map[string]*openapi3.Parameter {
	out := map[string]*openapi3.Parameter{}
	for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range ps {
			if p.Value != nil && p.Value.In == openapi3.ParameterInPath {
				out[p.Value.Name] = p.Value
			}
		}
	}
	return out
}

var pathParamRE = regexp.MustCompile(`\{([^}]+)\}`)

// concretePath fills a documented path with the examples of its path
// parameters, or the values given.
func concretePath(tb testing.TB, path string, op *openapi3.Operation, item *openapi3.PathItem, values map[string]string) string {
	tb.Helper()
	params := pathParams(op, item)
	return pathParamRE.ReplaceAllStringFunc(path, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := values[name]; ok {
			return url.PathEscape(v)
		}
		p := params[name]
		if p == nil || p.Example == nil {
			tb.Fatalf("%s: path parameter %s has no example", path, name)
			return ""
		}
		return url.PathEscape(fmt.Sprint(p.Example))
	})
}

// paramValues are the values a test sends for a query parameter: each value
// of its enum, else its example.
func paramValues(tb testing.TB, path string, p *openapi3.Parameter) []string {
	tb.Helper()
	if p.Schema != nil && p.Schema.Value != nil && len(p.Schema.Value.Enum) > 0 {
		var out []string
		for _, e := range p.Schema.Value.Enum {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	if p.Example == nil {
		tb.Fatalf("%s: parameter %s has neither enum nor example", path, p.Name)
	}
	return []string{fmt.Sprint(p.Example)}
}

// TestOpenAPIParametersAccepted sends, for every GET operation, a request
// per documented query parameter value (each enum value, else the example)
// and checks that the server accepts it and that the answer — status,
// content type and, for JSON, the body — is the one documented.
func TestOpenAPIParametersAccepted(t *testing.T) {
	doc := loadOpenAPI(t, openAPIDoc)
	f := newSearchFixture(t, "")
	for path, item := range doc.Paths.Map() {
		op := item.Get
		if op == nil {
			continue
		}
		formats := []map[string]string{nil}
		if p := pathParams(op, item)["format"]; p != nil {
			formats = nil
			for _, v := range paramValues(t, path, p) {
				formats = append(formats, map[string]string{"format": v})
			}
		}
		for _, pathValues := range formats {
			target := concretePath(t, path, op, item, pathValues)
			checkOperation(t, f, doc, path, item, op, target, pathValues, url.Values{})
			for _, p := range op.Parameters {
				if p.Value.In != openapi3.ParameterInQuery {
					continue
				}
				for _, v := range paramValues(t, path, p.Value) {
					checkOperation(t, f, doc, path, item, op, target, pathValues, url.Values{p.Value.Name: {v}})
				}
			}
		}
	}
}

// checkOperation sends one GET and validates the exchange against the document.
func checkOperation(t *testing.T, f *searchFixture, doc *openapi3.T, path string, item *openapi3.PathItem, op *openapi3.Operation,
	target string, pathValues map[string]string, query url.Values) {
	t.Helper()
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("GET %s: status %d, want 200: a documented parameter value is refused\n%s", target, rec.Code, rec.Body)
		return
	}
	params := map[string]string{}
	for name, p := range pathParams(op, item) {
		params[name] = fmt.Sprint(p.Example)
	}
	for k, v := range pathValues {
		params[k] = v
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params,
		Route: &routers.Route{Spec: doc, Path: path, PathItem: item, Method: http.MethodGet, Operation: op}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		t.Errorf("GET %s: the request does not follow openapi.json: %v", target, err)
	}
	ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	resp := op.Responses.Status(rec.Code)
	if resp == nil || resp.Value.Content.Get(ct) == nil {
		t.Errorf("GET %s: status %d with %s is not documented", target, rec.Code, ct)
		return
	}
	if !strings.HasSuffix(ct, "json") {
		return
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("GET %s: the response does not follow openapi.json: %v", target, err)
	}
}

// TestOpenAPIErrorsDocumented checks that the 4xx answers of the API follow
// the document: the search's syntax error with pos, an unknown item, an
// unknown source.
func TestOpenAPIErrorsDocumented(t *testing.T) {
	doc := loadOpenAPI(t, openAPIDoc)
	f := newSearchFixture(t, "")
	tests := []struct {
		path, target string
		status       int
		pos          bool
	}{
		{"/api/search", "/api/search?q=cyber+AND", 400, true},
		{"/api/search", "/api/search?size=500", 400, false},
		{"/api/items/{id}", "/api/items/nope", 404, false},
		{"/api/editions", "/api/editions?source=nope", 404, false},
	}
	for _, tt := range tests {
		item := doc.Paths.Value(tt.path)
		req := httptest.NewRequest(http.MethodGet, tt.target, nil)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.target, rec.Code, tt.status)
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Errorf("%s: %v", tt.target, err)
		}
		if _, ok := body["pos"]; ok != tt.pos {
			t.Errorf("%s: body %v, pos wanted: %v", tt.target, body, tt.pos)
		}
		params := map[string]string{}
		if strings.HasPrefix(tt.target, "/api/items/") {
			params["id"] = strings.TrimPrefix(tt.target, "/api/items/")
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params,
			Route:   &routers.Route{Spec: doc, Path: tt.path, PathItem: item, Method: http.MethodGet, Operation: item.Get},
			Options: &openapi3filter.Options{ExcludeRequestQueryParams: true}}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(rec.Body.Bytes())
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("%s: the error does not follow openapi.json: %v", tt.target, err)
		}
	}
}

// TestOpenAPIServed checks that /api/openapi.json is the document, valid,
// with this server's base URL as its server.
func TestOpenAPIServed(t *testing.T) {
	f := newSearchFixture(t, "https://example.org/bulletin")
	resp := f.get(t, "/bulletin/api/openapi.json")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc := loadOpenAPI(t, body)
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://example.org/bulletin" {
		t.Errorf("servers %v", doc.Servers)
	}
	if !bytes.Contains(body, []byte(`"/api/search"`)) || len(doc.Paths.Map()) != len(loadOpenAPI(t, openAPIDoc).Paths.Map()) {
		t.Error("the served document lost paths")
	}
}
