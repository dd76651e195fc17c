package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/lga-digital/bulletin/config"
	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/inbox"
	"github.com/lga-digital/bulletin/internal/metrics"
	"github.com/lga-digital/bulletin/internal/schedule"
)

// startMail starts serve's SMTP listener when smtp_listen is set, handing
// each message to its source's crawler and its outcome to the scheduler.
// stop closes it and waits (up to 10 s) for the messages being delivered.
func (a *app) startMail(cfg *config.Config, crawlers map[string]*crawl.Crawler, sched *schedule.Scheduler, m *metrics.Metrics) (stop func(), err error) {
	for _, src := range cfg.Sources {
		if len(src.Mail) > 0 && cfg.SMTPListen == "" {
			a.log.Warn("serve: the source has mail addresses but smtp_listen is not set: no e-mail is received", "source", src.ID)
		}
	}
	if cfg.SMTPListen == "" {
		return func() {}, nil
	}
	opt := inbox.Options{Metrics: m, Log: a.log}
	if cfg.SMTPTLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.SMTPTLSCert, cfg.SMTPTLSKey)
		if err != nil {
			return nil, fmt.Errorf("%s: smtp_tls_cert, smtp_tls_key: %w", cfg.File, err)
		}
		opt.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	receive := func(ctx context.Context, src *config.Source, msg []byte) (crawl.Received, error) {
		return crawlers[src.ID].Receive(ctx, src, msg)
	}
	srv, err := inbox.New(cfg, receive, sched, opt)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", cfg.SMTPListen)
	if err != nil {
		return nil, fmt.Errorf("smtp_listen: %w", err)
	}
	a.log.Info("serve: receiving e-mail", "addr", l.Addr().String(), "starttls", opt.TLS != nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil {
			a.log.Error("serve: " + err.Error())
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			a.log.Warn("serve: " + err.Error())
		}
		<-done
	}, nil
}
