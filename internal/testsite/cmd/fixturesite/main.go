// Command fixturesite serves the GovDelivery-like fixture site on a local
// address, for trying bulletin by hand and for benchmarks:
//
//	go run ./internal/testsite/cmd/fixturesite -listen 127.0.0.1:8090
package main

import (
	"flag"
	"log/slog"
	"net/http"
	"os"

	"github.com/lga-digital/bulletin/internal/testsite"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8090", "address to serve on")
	flag.Parse()
	slog.Info("fixture site", "url", "http://"+*listen+testsite.FeedPath)
	if err := http.ListenAndServe(*listen, testsite.Handler()); err != nil {
		slog.Error(err.Error())
		os.Exit(1)
	}
}
