package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/lga-digital/bulletin/config"
)

// configCmd runs `bulletin config check`: validate the config and print the
// effective values (after defaults and BULLETIN_* overrides), secrets masked.
func (a *app) configCmd(ctx context.Context, args []string) error {
	fs := a.flags("config")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || rest[0] != "check" {
		return &usageError{"usage: bulletin config check"}
	}
	cfg, err := a.setup()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "# %s: OK\n", cfg.File)
	return toml.NewEncoder(a.stdout).Encode(cfg.Masked())
}

// healthcheck runs `bulletin healthcheck`: GET /healthz of the configured
// listen address, for container health checks (the image has no curl).
func (a *app) healthcheck(ctx context.Context, args []string) error {
	fs := a.flags("healthcheck")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := a.setup()
	if err != nil {
		return err
	}
	u, err := healthURL(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", u, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: %s", u, resp.Status)
	}
	fmt.Fprintln(a.stdout, "ok")
	return nil
}

// healthURL is the /healthz URL of the server the config describes, on the
// loopback address when it listens on every address.
func healthURL(cfg *config.Config) (string, error) {
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// serverAnswers reports whether a bulletin server answers at the config's
// address, to tell an operator which process holds the index.
func serverAnswers(ctx context.Context, cfg *config.Config) (string, bool) {
	u, err := healthURL(cfg)
	if err != nil {
		return "", false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", false
	}
	resp.Body.Close()
	return strings.TrimSuffix(u, "/healthz"), resp.StatusCode == http.StatusOK
}
