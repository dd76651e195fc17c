#!/usr/bin/env bash
# Measures each stage of bulletin next to its physical baseline, on this
# machine, in one run, and prints a table with the ratios (docs/benchmarks.md).
#
# Usage: bench/run.sh [--quick]
#   BENCH_ITEMS=100000   items in the search/serve/reindex corpus (20 per edition)
#   BENCH_CRAWL=1000     editions of the crawl benchmark
#   BENCH_REPEAT=3       runs of each measurement; medians are reported
#   BENCH_DURATION=5s    length of each load run
#   BENCH_WORK=DIR       keep the work files there (default: a temp dir, removed)
#   BENCH_BASELINE=FILE  earlier go-bench.txt to compare with benchstat
#   BENCH_PEER=1        0: the search stage leaves out the SQLite FTS5 peer (its build
#                        copies every item: long at 1M items, whose targets are absolute)
#   BENCH_SETUP=crawl    how the big corpus's index is first made: "crawl" (a first crawl,
#                        each edition indexed as it comes) or "snapshots" (its pages kept as a
#                        crawl keeps them, then one reindex: the default from 500,000 items,
#                        where a first crawl takes hours on a small machine)
#   BENCH_STAGES="parse index reindex search repeat feeds crawl gobench"  the stages to run
#                (also "setup": only generate and crawl the big corpus, timing nothing)
# With BENCH_WORK, a corpus and index left there by an earlier run of the same
# size are reused (the setup crawl is skipped): BENCH_STAGES=setup prepares
# them ahead, on a busy machine, for the timed stages to run on a quiet one.
# --quick: 2,000 items, 100-edition crawl, one run each, 2 s loads (< 2 min).
#
# Everything runs on loopback: a generated GovDelivery-like corpus
# (bulletin gen-corpus) served by bench/cmd/benchtool, the real binary
# crawling, reindexing and serving it, and benchtool's load generator.
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS=${BENCH_ITEMS:-100000}
CRAWL=${BENCH_CRAWL:-1000}
REPEAT=${BENCH_REPEAT:-3}
DUR=${BENCH_DURATION:-5s}
PARSE_EDITIONS=200
INDEX_EDITIONS=500
GOBENCH_COUNT=6
if [ "${1:-}" = "--quick" ]; then
  ITEMS=2000 CRAWL=100 REPEAT=1 DUR=2s PARSE_EDITIONS=30 INDEX_EDITIONS=20 GOBENCH_COUNT=1
fi
EDITIONS=$(( (ITEMS + 19) / 20 ))
PEER_ON=${BENCH_PEER:-1}
SETUP=${BENCH_SETUP:-$([ "$ITEMS" -ge 500000 ] && echo snapshots || echo crawl)}
STAGES=" ${BENCH_STAGES:-parse index reindex search repeat feeds crawl gobench} "
want() { [[ "$STAGES" == *" $1 "* ]]; }

if [ -n "${BENCH_WORK:-}" ]; then
  WORK=$BENCH_WORK
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d)
fi
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${BENCH_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

say() { echo "bench: $*" >&2; }
# kv KEY LINE: the value of KEY=… in a result line.
kv() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }
# median VALUES…
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# ratio A B: A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2f", a / b}'; }
# check EXPR: "yes" when the awk expression holds.
check() { awk "BEGIN {exit !($1)}" && echo yes || echo NO; }
TABLE=()
row() { TABLE+=("$(printf '%s|%s|%s|%s|%s|%s' "$@")"); }

say "building into $WORK"
go build -o "$WORK/bulletin" ./cmd/bulletin
go build -o "$WORK/benchtool" ./bench/cmd/benchtool
B=$WORK/bulletin
T=$WORK/benchtool

# start NAME CMD…: start a server that prints listening=ADDR; sets ADDR and PID.
start() {
  local name=$1; shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 100); do
    ADDR=$(sed -n 's/^listening=//p' "$WORK/$name.out")
    [ -n "$ADDR" ] && return 0
    sleep 0.1
  done
  say "$name did not start"; cat "$WORK/$name.err" >&2; exit 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# config FILE DATADIR LISTEN SITE: a config crawling a corpus site with no delay.
# The corpus is the LGA's bulletin: the source takes the shipped lga-cdt
# source's closing lines and group headings (config/bulletin.toml, their one
# owner), or group headings would be indexed as articles.
LGA_PHRASES=$(python3 - <<'PY'
import tomllib
with open("config/bulletin.toml", "rb") as f:
    src = next(s for s in tomllib.load(f)["source"] if s["id"] == "lga-cdt")
lit = lambda v: "'" + v.replace("'", "") + "'"
print("sign_off = [" + ", ".join(lit(p) for p in src.get("sign_off", [])) + "]")
print("groups   = [" + ", ".join(lit(g) for g in src.get("groups", [])) + "]")
PY
)
config() {
  cat >"$1" <<EOF
data_dir = "$2"
listen   = "$3"
[[source]]
id       = "lga-cdt"
title    = "LGA Cyber, Digital and Technology Bulletin"
feeds    = ["http://$4/accounts/UKLGA/bulletins.rss"]
lists    = ["http://$4/accounts/UKLGA/bulletins"]
match    = '(?i)cyber,?\s+digital\s+(and|&)\s+technology'
allow_private = true
delay    = "0s"
$LGA_PHRASES
EOF
}
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- parse ---------------------------------------------------------------
if want parse; then
say "parse: $PARSE_EDITIONS editions, ours vs x/net/html.Parse"
# Eleven alternating rounds at the default repeat (a round is a third of a
# second of ours): on a shared machine the median of five moved by ±10%.
line=$("$T" parse -editions "$PARSE_EDITIONS" -rounds $((REPEAT < 3 ? 3 : 4 * REPEAT - 1)))
echo "$line" >>"$WORK/results.txt"
row "parse MB/s" "$(kv ours_mbps "$line")" "$(kv bare_mbps "$line") (x/net/html.Parse)" "$(kv ratio "$line")×" "≤ 3×" "$(check "$(kv ratio "$line") <= 3")"
fi

# ---- index: PutEdition vs bare Bleve ---------------------------------------
if want index; then
say "index: $INDEX_EDITIONS editions through PutEdition vs bare Bleve batches"
BENCH_INDEX_EDITIONS=$INDEX_EDITIONS go test -run '^$' -bench 'IndexVsBare' -benchtime 1x -count "$REPEAT" ./index >"$WORK/index-bench.txt"
ips() { median $(awk -v n="BenchmarkIndexVsBare/$1-" 'index($1, n) == 1 {for (i = 1; i <= NF; i++) if ($(i+1) == "items/s") print $i}' "$WORK/index-bench.txt"); }
ours=$(ips ours); bare=$(ips bare/per-edition); bulk=$(ips bare/bulk); obulk=$(ips ours-bulk)
BARE_BULK=$bulk
r=$(ratio "$bare" "$ours")
row "index items/s ($INDEX_EDITIONS editions)" "$ours" "$bare (bare Bleve, same batches)" "${r}× cost" "≤ 1.2×" "$(check "$r <= 1.2")"
r=$(ratio "$obulk" "$bulk")
row "index items/s, bulk (reindex's way)" "$obulk" "$bulk (bare Bleve, 1,000-doc batches)" "${r}× the rate" "≥ 0.75×" "$(check "$r >= 0.75")"
fi

# ---- the big corpus: crawl it once, then reindex -------------------------
PORT=$(freeport) # the server's, for the stages that start one
if want setup || want reindex || want search || want repeat || want feeds; then
if [ -f "$WORK/big.done" ] && [ "$(cat "$WORK/big.done")" = "$EDITIONS" ]; then
  say "corpus: reusing the $EDITIONS editions and index in $WORK"
  config "$WORK/big.toml" "$WORK/big" "127.0.0.1:$PORT" "127.0.0.1:1"
else
  say "corpus: $EDITIONS editions"
  rm -rf "$WORK/site" "$WORK/big" "$WORK/big.done"
  # A crawl follows at most 50 list pages: make them long enough to list
  # every edition (1M items: 50,000 editions, 1,000 a page).
  PER_PAGE=$(( EDITIONS / 45 > 200 ? EDITIONS / 45 : 200 ))
  "$B" gen-corpus --out "$WORK/site" --editions "$EDITIONS" --per-page "$PER_PAGE" >&2
  if [ "$SETUP" = snapshots ]; then
    config "$WORK/big.toml" "$WORK/big" "127.0.0.1:$PORT" "127.0.0.1:1"
    say "the big corpus's pages kept as a crawl keeps them, then one reindex builds the index"
    line=$("$T" snapshots -site "$WORK/site" -snapshots "$WORK/big/snapshots" -origin "http://127.0.0.1:1")
    echo "big-snapshots $line" >>"$WORK/results.txt"
    row "snapshots of $EDITIONS editions (setup)" "$(kv seconds "$line") s" "-" "-" "-" "-"
    line=$("$T" run -- "$B" --config "$WORK/big.toml" reindex --force 2>"$WORK/big-reindex.log")
    echo "big-reindex $line" >>"$WORK/results.txt"
    row "first reindex (setup)" "$(kv seconds "$line") s" "-" "-" "-" "-"
  else
    start site "$T" serve-corpus -dir "$WORK/site"
    SITE_PID=$PID
    config "$WORK/big.toml" "$WORK/big" "127.0.0.1:$PORT" "$ADDR"
    say "crawl of the big corpus (builds the snapshots and the index)"
    line=$("$T" run -- "$B" --config "$WORK/big.toml" --log-format json crawl 2>"$WORK/big-crawl.log")
    echo "big-crawl $line" >>"$WORK/results.txt"
    indexed=$(grep -c '"crawl: indexed edition"' "$WORK/big-crawl.log" || true)
    row "crawl $EDITIONS editions (setup)" "$(kv seconds "$line") s" "-" "-" "-" "$indexed editions"
    stop "$SITE_PID"
  fi
  echo "$EDITIONS" >"$WORK/big.done"
fi
items=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"])' "$WORK/site/manifest.json")
fi

if want reindex; then
say "reindex of $items items, $REPEAT×"
secs=(); rss=()
for _ in $(seq "$REPEAT"); do
  # --force: the index is rebuilt from the snapshots whatever the old one held
  # (a parser change may leave fewer items, which reindex otherwise refuses).
  line=$("$T" run -- "$B" --config "$WORK/big.toml" reindex --force 2>>"$WORK/reindex.log")
  echo "reindex $line" >>"$WORK/results.txt"
  secs+=("$(kv seconds "$line")"); rss+=("$(kv peak_rss_mib "$line")")
done
s=$(median "${secs[@]}")
rate=$(awk -v n="$items" -v s="$s" 'BEGIN {printf "%.0f", n / s}')
if [ -n "${BARE_BULK:-}" ]; then
  row "reindex $items items (parse + index)" "$rate items/s ($s s)" "$BARE_BULK (bare Bleve bulk, index only)" "$(ratio "$rate" "$BARE_BULK")× the rate" "≥ 0.75× (index part: row above)" "-"
else
  row "reindex $items items (parse + index)" "$rate items/s ($s s)" "-" "-" "-" "-"
fi
du_mib=$(du -sm "$WORK/big/index" | cut -f1)
row "index size on disk" "$du_mib MiB, $(awk -v m="$du_mib" -v n="$items" 'BEGIN {printf "%.2f", m * 1024 / n}') KiB per item" "-" "-" "-" "-"
row "peak RSS, reindex" "$(median "${rss[@]}") MiB" "-" "-" "-" "-"
fi

# ---- search: in process, over HTTP and on the peer, interleaved ----------
# The index admits one process at a time, so each round runs the in-process
# loads, then the peer's (SQLite FTS5, the same items and queries), then
# starts the server for the HTTP loads; rounds alternate so that drift in
# the machine's load hits every side alike. Results are not kept between
# searches here (--no-result-cache; facet counts are, as before): the
# repeat stage measures the cache.
serve_start() {
  "$B" --config "$WORK/big.toml" serve "$@" >>"$WORK/serve.out" 2>>"$WORK/serve.err" &
  SERVE_PID=$!; PIDS+=("$SERVE_PID")
  for _ in $(seq 600); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  say "serve did not start"; cat "$WORK/serve.err" >&2; exit 1
}
BASE="http://127.0.0.1:$PORT"
PEER=$WORK/peer.sqlite
if want search; then
  if [ "$PEER_ON" = 1 ] && { [ ! -f "$PEER.done" ] || [ "$(cat "$PEER.done")" != "$items" ]; }; then
    say "peer: copying $items items into SQLite FTS5"
    line=$("$T" peer-build -index "$WORK/big/index" -db "$PEER")
    echo "$line" >>"$WORK/results.txt"
    echo "$items" >"$PEER.done"
    row "peer: SQLite FTS5 database" "$(kv db_mib "$line") MiB (built in $(kv seconds "$line") s)" "-" "-" "-" "-"
  fi
  declare -A R
  for r in $(seq "$REPEAT"); do
    say "search round $r/$REPEAT: in process, SQLite FTS5, then over HTTP; c=1,8,64"
    for c in 1 8 64; do
      line=$("$T" search -index "$WORK/big/index" -c "$c" -duration "$DUR")
      echo "$line" >>"$WORK/results.txt"
      for k in p50_ms p95_ms p99_ms rps; do R[in,$c,$k]+=" $(kv $k "$line")"; done
    done
    for c in 1 8; do
      [ "$PEER_ON" = 1 ] || continue
      line=$("$T" peer -db "$PEER" -c "$c" -duration "$DUR")
      echo "$line" >>"$WORK/results.txt"
      for k in p50_ms p95_ms p99_ms rps; do R[sql,$c,$k]+=" $(kv $k "$line")"; done
    done
    serve_start --no-result-cache
    curl -fs "$BASE/api/search?q=&size=1" >/dev/null # the start-up warm-up done
    for c in 1 8 64; do
      line=$("$T" load -queries "$BASE/api/search" -c "$c" -duration "$DUR")
      echo "$line" >>"$WORK/results.txt"
      for k in p50_ms p95_ms p99_ms rps; do R[http,$c,$k]+=" $(kv $k "$line")"; done
    done
    stop "$SERVE_PID"
  done
  m() { median ${R[$1,$c,$2]}; }
  for c in 1 8 64; do
    hp99=$(m http p99_ms)
    # HTTP overhead: the cost of a request (in-process req/s over HTTP
    # req/s); the p50 ratio is shown beside it (at c=1 the two agree).
    over=$(ratio "$(m in rps)" "$(m http rps)")
    row "search c=$c: p50/p95/p99 ms, req/s" "$(m http p50_ms) / $(m http p95_ms) / $hp99, $(m http rps) (HTTP)" \
      "$(m in p50_ms) / $(m in p95_ms) / $(m in p99_ms), $(m in rps) (in process)" \
      "cost ${over}× (p50 $(ratio "$(m http p50_ms)" "$(m in p50_ms)")×)" "HTTP < 1.5×" "$(check "$over < 1.5")"
    if [ "$c" != 64 ] && [ "$PEER_ON" = 1 ]; then
      sp99=$(m sql p99_ms)
      target="-"; ok="-"
      if [ "$c" = 8 ]; then
        target="p99 ≤ 0.5× SQLite's, req/s ahead"
        ok="$(check "$hp99 <= 0.5 * $sp99"); $(check "$(m http rps) > $(m sql rps)")"
      fi
      row "  SQLite FTS5 c=$c, in process" "p99 $hp99 ms, $(m http rps) req/s (ours, HTTP)" \
        "$(m sql p50_ms) / $(m sql p95_ms) / $sp99, $(m sql rps) (SQLite)" \
        "p99 $(ratio "$hp99" "$sp99")×, req/s $(ratio "$(m http rps)" "$(m sql rps)")×" "$target" "$ok"
    fi
  done
  say "search in process: each query alone (api = facets + snippets, as /api/search; feed = date order, 50 hits; bare = neither); SQLite the same"
  "$T" search -index "$WORK/big/index" -per-query 9 | tee -a "$WORK/results.txt" >"$WORK/per-query.all"
  grep -v '^mode=warm' "$WORK/per-query.all" >"$WORK/per-query.txt"
  wl=$(grep '^mode=warm' "$WORK/per-query.all")
  row "catalog: built at start-up, heap" "$(kv warm_ms "$wl") ms, $(kv catalog_heap_mib "$wl") MiB ($(awk -v m="$(kv catalog_heap_mib "$wl")" -v n="$items" 'BEGIN {printf "%.0f", m * 1048576 / n}') bytes per item)" "-" "-" "-" "-"
  rm -f "$WORK/per-query-sqlite.txt"
  [ "$PEER_ON" = 1 ] && "$T" peer -db "$PEER" -per-query 9 | tee -a "$WORK/results.txt" >"$WORK/per-query-sqlite.txt"
  # Queries without words must answer within 5 ms with total and facets
  # (api_cold: the first /api/search, facets computed); the others within
  # 1.2× their bare search.
  worst_nw=$(awk '/ words=false / {for (i = 1; i <= NF; i++) if ($i ~ /^api_cold_ms=/) {v = substr($i, 13) + 0; if (v > m) m = v}} END {print m + 0}' "$WORK/per-query.txt")
  worst_ratio=$(awk '/ words=true / {for (i = 1; i <= NF; i++) if ($i ~ /^api_over_bare=/) {v = substr($i, 15) + 0; if (v > m) m = v}} END {print m + 0}' "$WORK/per-query.txt")
  row "queries without words, slowest /api/search (facets computed)" "$worst_nw ms" "-" "-" "≤ 5 ms" "$(check "$worst_nw <= 5")"
  row "word queries, worst /api/search over bare" "${worst_ratio}×" "-" "-" "≤ 1.2×" "$(check "$worst_ratio <= 1.2")"
fi

# ---- repeat-heavy mix: the server as it runs, results kept ---------------
if want repeat; then
  rr=()
  for r in $(seq "$REPEAT"); do
    say "repeat-heavy mix, round $r/$REPEAT: 90% five queries, 10% unique two-word queries, c=8, a fresh server"
    serve_start
    # Wait for the start-up warm-up (the catalog) with a request of its own
    # (size=1: not one the mix makes, so nothing of the mix is cached).
    curl -fs "$BASE/api/search?q=&size=1" >/dev/null
    line=$("$T" load -queries "$BASE/api/search" -mix repeat -c 8 -duration "$DUR")
    echo "$line" >>"$WORK/results.txt"
    rr+=("$line")
    stop "$SERVE_PID"
  done
  mr() { median $(for l in "${rr[@]}"; do kv "$1" "$l"; done); }
  row "repeat-heavy mix c=8: p50/p95/p99 ms, req/s" "$(mr p50_ms) / $(mr p95_ms) / $(mr p99_ms), $(mr rps) (HTTP)" "-" "-" "p99 ≤ 50 ms" "$(check "$(mr requests) > 0 && $(mr p99_ms) <= 50")"
fi

if want feeds; then
  rm -f "$WORK/anon-peak.kib"
  serve_start
  # The heap's peak: RssAnon sampled while the server is loaded (VmHWM also
  # counts the mapped index, which at 1M items is gigabytes of page cache).
  ( peak=0; while kill -0 "$SERVE_PID" 2>/dev/null; do
      a=$(awk '/RssAnon/ {print $2}' "/proc/$SERVE_PID/status" 2>/dev/null || echo 0)
      [ "${a:-0}" -gt "$peak" ] && { peak=$a; echo "$peak" >"$WORK/anon-peak.kib"; }
      sleep 0.2
    done ) &
  PIDS+=("$!")
  # Warm the server as the search rounds do, so the memory reading below
  # covers searching as well as feeds.
  for c in 1 8 64; do "$T" load -queries "$BASE/api/search" -c "$c" -duration "$DUR" >>"$WORK/results.txt"; done
  say "feeds: cached feed vs a static server of the same bytes, and 304"
  FEED="$BASE/feeds/lga-cdt.atom"
  curl -fs -D "$WORK/feed.hdr" -o "$WORK/feed.atom" "$FEED"
  ETAG=$(sed -n 's/^[Ee][Tt]ag: *//p' "$WORK/feed.hdr" | tr -d '\r')
  CTYPE=$(sed -n 's/^[Cc]ontent-[Tt]ype: *//p' "$WORK/feed.hdr" | tr -d '\r')
  start static "$T" static -file "$WORK/feed.atom" -type "$CTYPE" -etag "$ETAG"
  STATIC=$ADDR; STATIC_PID=$PID
  f=(); s=(); n=()
  for _ in $(seq "$REPEAT"); do
    line=$("$T" load -url "$FEED" -c 8 -duration "$DUR"); echo "feed $line" >>"$WORK/results.txt"; f+=("$(kv rps "$line")")
    line=$("$T" load -url "http://$STATIC/feed.atom" -c 8 -duration "$DUR"); echo "static $line" >>"$WORK/results.txt"; s+=("$(kv rps "$line")")
    line=$("$T" load -url "$FEED" -c 8 -duration "$DUR" -header "If-None-Match: $ETAG" -expect 304); echo "feed-304 $line" >>"$WORK/results.txt"; n+=("$(kv rps "$line")")
  done
  stop "$STATIC_PID"
  fr=$(median "${f[@]}"); sr=$(median "${s[@]}"); nr=$(median "${n[@]}")
  row "feed req/s, c=8 ($(wc -c <"$WORK/feed.atom") bytes)" "$fr" "$sr (static server)" "$(ratio "$fr" "$sr")×" "≥ 0.5×" "$(check "$(ratio "$fr" "$sr") >= 0.5")"
  row "feed 304 req/s, c=8" "$nr" "$sr (static, 200)" "$(ratio "$nr" "$sr")×" "-" "-"
  # VmHWM counts the index segments Bleve maps into memory (file-backed,
  # reclaimable page cache) as well as the heap; RssAnon is the heap alone.
  hwm=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$SERVE_PID/status")
  anon=$(awk '/RssAnon/ {printf "%.1f", $2 / 1024}' "/proc/$SERVE_PID/status")
  file=$(awk '/RssFile/ {printf "%.1f", $2 / 1024}' "/proc/$SERVE_PID/status")
  apeak=$(awk '{printf "%.1f", $1 / 1024}' "$WORK/anon-peak.kib" 2>/dev/null || echo 0)
  row "peak RSS (VmHWM), serving $items items" "$hwm MiB (at the end: anon $anon + file $file)" "-" "-" "< 300 MiB" "$(check "$hwm < 300")"
  row "peak anonymous memory (heap), serving" "$apeak MiB (RssAnon sampled every 0.2 s)" "-" "-" "< 300 MiB" "$(check "$apeak < 300")"
  stop "$SERVE_PID"
fi

# ---- crawl: full, then incremental ---------------------------------------
if want crawl; then
say "crawl: $CRAWL editions, full then incremental, $REPEAT×"
"$B" gen-corpus --out "$WORK/site-crawl" --editions "$CRAWL" --seed 2 >&2
full=(); incr=(); ereq=()
for i in $(seq "$REPEAT"); do
  start site2 "$T" serve-corpus -dir "$WORK/site-crawl"
  config "$WORK/crawl.toml" "$WORK/crawl-$i" "127.0.0.1:1" "$ADDR"
  line=$("$T" run -- "$B" --config "$WORK/crawl.toml" crawl 2>"$WORK/crawl-$i.log"); echo "crawl-full $line" >>"$WORK/results.txt"
  full+=("$(kv seconds "$line")")
  before=$(curl -fs "http://$ADDR/_bench/counts")
  line=$("$T" run -- "$B" --config "$WORK/crawl.toml" crawl 2>>"$WORK/crawl-$i.log"); echo "crawl-incr $line" >>"$WORK/results.txt"
  incr+=("$(kv seconds "$line")")
  after=$(curl -fs "http://$ADDR/_bench/counts")
  ereq+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[2])["editions"] - json.loads(sys.argv[1])["editions"])' "$before" "$after")")
  echo "crawl-counts before=$before after=$after" >>"$WORK/results.txt"
  stop "$PID"
  rm -rf "$WORK/crawl-$i"
done
fs=$(median "${full[@]}")
row "crawl $CRAWL editions, full" "$fs s ($(awk -v n="$CRAWL" -v s="$fs" 'BEGIN {printf "%.0f", n / s}') editions/s)" "-" "-" "-" "-"
row "crawl, incremental" "$(median "${incr[@]}") s, edition requests: ${ereq[*]}" "-" "-" "0 edition requests" "$(check "$(printf '%s+' "${ereq[@]}")0 == 0")"
fi

# ---- go test benchmarks --------------------------------------------------
if want gobench; then
say "go test -bench (count $GOBENCH_COUNT)"
go test -run '^$' -bench 'BenchmarkParse$|ParseGenerated|HTMLParse|BenchmarkExtract|BenchmarkParseQuery|BenchmarkWrite' -benchmem -count "$GOBENCH_COUNT" \
  ./internal/parse ./index ./internal/feed >"$WORK/go-bench.txt"
echo
echo "== go test -bench (benchstat) =="
if [ -n "${BENCH_BASELINE:-}" ]; then
  go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da "$BENCH_BASELINE" "$WORK/go-bench.txt" || true
else
  go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da "$WORK/go-bench.txt" || true
fi
fi

# ---- the table -----------------------------------------------------------
echo
echo "== bench/run.sh: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(go version | cut -d' ' -f3); items=${items:-0}, repeat=$REPEAT (medians), load runs of $DUR =="
{
  echo "stage|ours|baseline|ratio|target|met"
  echo "---|---|---|---|---|---"
  printf '%s\n' "${TABLE[@]}"
} | column -t -s '|'
if [ -f "$WORK/per-query.txt" ]; then
  echo
  echo "== search in process, each query alone, median ms (api_cold: the first /api/search; sqlite: top 20 + total) =="
  if [ -f "$WORK/per-query-sqlite.txt" ]; then
    paste -d' ' "$WORK/per-query.txt" <(sed 's/^query=".*" total=/sqlite_total=/' "$WORK/per-query-sqlite.txt")
  else
    cat "$WORK/per-query.txt"
  fi
fi
[ -z "${BENCH_WORK:-}" ] || say "work files kept in $WORK (results.txt, go-bench.txt, logs)"
