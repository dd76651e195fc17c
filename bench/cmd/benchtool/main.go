// Command benchtool holds the measuring tools of bench/run.sh: each
// sub-command measures one stage next to its physical baseline and prints
// one result line of "key=value" pairs that run.sh collects into its table.
//
//	benchtool parse   -editions N -rounds R          our parser vs bare x/net/html.Parse, MB/s
//	benchtool search  -index DIR -c C -duration D [-mix repeat] [-result-cache]  the query mix straight on the index, in process
//	benchtool load    -url URL|-queries BASE [-mix repeat] -c C -duration D [-header H]  the same over HTTP
//	benchtool peer-build -index DIR -db FILE         copy our index's items into SQLite FTS5 (the peer)
//	benchtool peer    -db FILE -c C -duration D      the query mix on the peer, in process
//	benchtool serve-corpus -dir DIR -addr A          serve a generated corpus, counting requests (GET /_bench/counts)
//	benchtool static  -file F -type T -addr A        serve one file's bytes, as a static server does
//	benchtool run     -- CMD ARGS…                   run a command; report wall time and peak RSS
//	benchtool snapshots -site DIR -snapshots DIR -origin URL  keep a corpus's pages as a crawl would, for reindex
//
// The load generator is our own (a fixed query mix, per-request latencies,
// bounded in time and count, loopback only) so that the in-process and the
// HTTP side of each ratio are measured the same way.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmds := map[string]func(context.Context, []string) error{
		"parse":        parseCmd,
		"search":       searchCmd,
		"load":         loadCmd,
		"serve-corpus": serveCorpusCmd,
		"static":       staticCmd,
		"run":          runCmd,
		"peer-build":   peerBuildCmd,
		"peer":         peerCmd,
		"snapshots":    snapshotsCmd,
	}
	run, ok := cmds[os.Args[1]]
	if !ok {
		usage(os.Stderr)
		os.Exit(2)
	}
	if err := run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchtool "+os.Args[1]+":", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: benchtool parse|search|load|peer-build|peer|serve-corpus|static|run|snapshots [flags]  (see bench/run.sh)")
}
