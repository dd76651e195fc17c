package crawl_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/snapshot"
	"github.com/lga-digital/bulletin/internal/testenv"
)

// failingIndex refuses every write, as a full disk would.
type failingIndex struct{ *testenv.MemIndex }

func (failingIndex) PutEdition(context.Context, model.Edition, []model.Item) error {
	return errors.New("write index: no space left on device")
}

func TestReceive(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "inbox", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dir := t.TempDir()
	st, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx := testenv.NewMemIndex()
	c := &crawl.Crawler{Store: st, Index: idx, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	src := &config.Source{ID: "wessex", Title: "Wessex", Mail: []string{"wessex-digital@bulletins.example.gov.uk"}}
	ctx := context.Background()
	const webCopy = "https://content.govdelivery.com/accounts/UKWESSEX/bulletins/3d0a001"

	got, err := c.Receive(ctx, src, read("bulletin.eml"))
	if err != nil || got.URL != webCopy || got.Editions != 1 || got.Items == 0 || got.Unchanged || got.Failed != 0 {
		t.Fatalf("first receipt: %+v, %v", got, err)
	}
	if !idx.Has("wessex", webCopy) {
		t.Error("the bulletin is not indexed under its web copy's address")
	}
	files := testenv.CountFiles(t, dir)

	// The same message again, as a retry would bring it with one more
	// trace header: nothing changes.
	again := append([]byte("Received: from relay.example (relay.example [192.0.2.1]) by bulletin; Tue, 17 Mar 2026 10:05:00 +0000\r\n"), read("bulletin.eml")...)
	got, err = c.Receive(ctx, src, again)
	if err != nil || !got.Unchanged || got.Editions != 0 || idx.Puts() != 1 {
		t.Errorf("second receipt: %+v, %v (index puts %d)", got, err, idx.Puts())
	}
	if n := testenv.CountFiles(t, dir); n != files {
		t.Errorf("the same message again wrote files: %d, was %d", n, files)
	}

	// Without a web copy, the Message-ID keys the edition.
	plain := "From: Parish Council <clerk@parish.example>\r\nSubject: Parish newsletter\r\nMessage-ID: <n-42@parish.example>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte("<html><body><h1>Parish newsletter</h1><h3>Footpath repairs</h3><p>The path by the mill reopens in May.</p></body></html>")) + "\r\n"
	got, err = c.Receive(ctx, src, []byte(plain))
	if err != nil || got.URL != "mid:n-42@parish.example" || got.Editions != 1 || !idx.Has("wessex", "mid:n-42@parish.example") {
		t.Errorf("message without a web copy: %+v, %v", got, err)
	}

	// A message that is not a readable bulletin is kept, and reported.
	got, err = c.Receive(ctx, src, read("malformed.eml"))
	if err != nil || got.Failed != 1 || len(got.Errors) != 1 || !strings.HasPrefix(got.URL, "mid:") {
		t.Fatalf("malformed: %+v, %v", got, err)
	}
	m, ok, err := st.Get(ctx, "wessex", got.URL)
	if err != nil || !ok || m.Kind != crawl.KindMail || m.Status != snapshot.StatusParseError || m.Note == "" {
		t.Errorf("malformed message not kept as failed: %+v %v %v", m, ok, err)
	}
	if body, err := st.Body(ctx, m); err != nil || string(body) != string(read("malformed.eml")) {
		t.Errorf("kept message differs from the one received: %v", err)
	}

	// A failure on our side is ErrLocal, so that the sender tries again.
	c.Index = failingIndex{testenv.NewMemIndex()}
	other := strings.Replace(string(read("bulletin.eml")), "3d0a001", "3d0a002", -1)
	if _, err := c.Receive(ctx, src, []byte(other)); !errors.Is(err, crawl.ErrLocal) {
		t.Errorf("index failure: err = %v, want ErrLocal", err)
	}
}
