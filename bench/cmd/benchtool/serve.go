package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lga-digital/bulletin/internal/corpus"
)

// serveCorpusCmd serves a corpus directory written by `bulletin gen-corpus`
// and answers GET /_bench/counts with the requests served so far (JSON).
func serveCorpusCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve-corpus", flag.ContinueOnError)
	dir := fs.String("dir", "", "corpus directory")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	site := corpus.NewSite(*dir)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_bench/counts", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(site.Counts())
	})
	mux.Handle("/", site)
	return serve(ctx, *addr, mux)
}

// staticCmd serves the bytes of one file at every path, with the media type
// given, through http.ServeContent (ETag, Last-Modified, ranges): the
// physical baseline of a cached feed.
func staticCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("static", flag.ContinueOnError)
	file := fs.String("file", "", "file to serve")
	typ := fs.String("type", "application/octet-stream", "Content-Type")
	etag := fs.String("etag", "", "ETag to send")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	st, err := os.Stat(*file)
	if err != nil {
		return err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", *typ)
		if *etag != "" {
			w.Header().Set("ETag", *etag)
		}
		http.ServeContent(w, r, "", st.ModTime(), bytes.NewReader(body))
	})
	return serve(ctx, *addr, h)
}

// serve listens on a loopback address, prints "listening=ADDR" and serves
// until ctx ends.
func serve(ctx context.Context, addr string, h http.Handler) error {
	host, _, _ := net.SplitHostPort(addr)
	if !loopback(host) {
		return fmt.Errorf("%s: benchmark servers listen on loopback only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening=%s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runCmd runs a command and reports its wall time and peak resident set
// size: VmHWM read from /proc/<pid>/status while it runs, and the kernel's
// ru_maxrss when it has ended (the larger is reported).
func runCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return errors.New("usage: benchtool run -- CMD ARGS…")
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var hwm int64
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var err error
loop:
	for {
		select {
		case err = <-done:
			break loop
		case <-tick.C:
			if kb, e := VmHWM(cmd.Process.Pid); e == nil && kb > hwm {
				hwm = kb
			}
		}
	}
	elapsed := time.Since(start)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > hwm {
		hwm = ru.Maxrss // KiB on Linux
	}
	fmt.Printf("seconds=%.2f peak_rss_mib=%.1f exit=%d\n", elapsed.Seconds(), float64(hwm)/1024, cmd.ProcessState.ExitCode())
	return err
}

// VmHWM returns the peak resident set size of a process in KiB, from
// /proc/<pid>/status.
func VmHWM(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmHWM")
}
