package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/corpus"
)

// demo runs `bulletin demo`: bulletin with data, offline, in one command.
// It generates a GovDelivery-like archive (internal/corpus), serves it on
// a loopback port of its own, and runs serve with a config of one source
// that crawls it (allow_private, no delay) into a fresh data directory.
func (a *app) demo(ctx context.Context, args []string) error {
	fs := a.flags("demo")
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve bulletin on")
	editions := fs.Int("editions", 40, fmt.Sprintf("editions of the generated archive, 1 to %d", corpus.MaxEditions))
	seed := fs.Uint64("seed", 1, "random seed of the archive")
	dir := fs.String("dir", "", "keep the archive and bulletin's data here (default: a temporary directory, removed on exit)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if err := a.setupLog(); err != nil {
		return err
	}
	c, err := corpus.New(corpus.Options{Editions: *editions, Seed: *seed, PerPage: 20, FeedItems: 10})
	if err != nil {
		return &usageError{err.Error()}
	}
	work := *dir
	if work == "" {
		if work, err = os.MkdirTemp("", "bulletin-demo-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	m, err := c.Write(ctx, filepath.Join(work, "site"))
	if err != nil {
		return err
	}

	// The archive, on a loopback port of its own.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: serve the archive: %w", err)
	}
	site := &http.Server{Handler: corpus.NewSite(filepath.Join(work, "site")), ReadHeaderTimeout: 10 * time.Second}
	go site.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		site.Shutdown(sctx)
	}()
	archive := "http://" + ln.Addr().String()
	a.log.Info("demo: serving a generated archive", "url", archive+corpus.ListPath, "editions", m.Series, "items", m.Items)

	cfg, err := demoSettings(filepath.Join(work, "data"), *listen, archive)
	if err != nil {
		return err
	}
	a.orgs = cfg.Orgs
	err = a.runServer(ctx, cfg, func(u string) {
		fmt.Fprintf(a.stdout, "bulletin demo: open %s/\n"+
			"  crawling %d generated editions from %s in the background; the pages fill as it goes.\n"+
			"  Ctrl-C stops the demo.\n", u, m.Series, archive)
	})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// demoSettings is the demo's parsed config. The generated archive is the
// LGA's bulletin, so its source reads the closing lines and group headings
// of the shipped lga-cdt source (config/bulletin.toml, their one owner);
// without them a group heading such as "Research and resources" would be
// taken for an article.
func demoSettings(dataDir, listen, archive string) (*config.Config, error) {
	cfg, err := config.Parse([]byte(demoConfig(dataDir, listen, archive)), "(demo config)", nil)
	if err != nil {
		return nil, err
	}
	shipped, err := config.Shipped(func(string) string { return "" })
	if err != nil {
		return nil, fmt.Errorf("demo: the shipped config: %w", err)
	}
	lga, ok := shipped.Source("lga-cdt")
	if !ok {
		return nil, errors.New("demo: the shipped config has no lga-cdt source")
	}
	for i := range cfg.Sources {
		cfg.Sources[i].SignOff, cfg.Sources[i].Groups = lga.SignOff, lga.Groups
	}
	return cfg, nil
}

// demoConfig is the config of the demo: one source, the generated archive.
func demoConfig(dataDir, listen, archive string) string {
	return fmt.Sprintf(`data_dir = %q
listen = %q

[[source]]
id = "lga-cdt"
title = "LGA Cyber, Digital and Technology Bulletin (generated demo archive)"
home = "%[3]s%[4]s"
feeds = ["%[3]s%[5]s"]
lists = ["%[3]s%[4]s"]
match = '(?i)cyber,?\s+digital\s+(and|&)\s+technology'
allow_private = true
delay = "0s"
`, dataDir, listen, archive, corpus.ListPath, corpus.FeedPath)
}
