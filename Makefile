# The two commands a fresh machine needs: `make run` and `make test`; and
# `make demo` to see bulletin with data, offline.
.PHONY: run test test-short demo build bench fuzz

run:
	go run ./cmd/bulletin serve

# A generated archive, served on loopback, crawled and served by bulletin.
demo:
	go run ./cmd/bulletin demo

test:
	scripts/test.sh

# The inner loop: every unit test, without the race detector, the long
# end-to-end, crash-safety, deploy and browser tests (they skip under -short).
test-short:
	go test -short -parallel 8 ./...

build:
	CGO_ENABLED=0 go build -trimpath -o bulletin ./cmd/bulletin

# Each fuzz target for FUZZTIME (default 1m); not part of CI.
FUZZTIME ?= 1m
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

# The benchmark suite, stage by stage against its baseline (docs/benchmarks.md);
# not part of CI. `make bench BENCH=--quick` for a two-minute trial.
bench:
	bench/run.sh $(BENCH)
