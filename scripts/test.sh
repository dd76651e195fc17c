#!/usr/bin/env bash
# Runs every test of bulletin. On a fresh Debian machine it first installs the
# tools the tests use that the machine lacks (feed validators, Chromium).
# Usage: scripts/test.sh [extra go test flags]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v xmllint >/dev/null 2>&1 || need_apt+=(libxml2-utils)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# Debian's python3-feedparser lives in the system Python (/usr/bin/python3),
# which may not be the python3 first on PATH.
has_feedparser() {
  python3 -c 'import feedparser' >/dev/null 2>&1 ||
    { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1; }
}
has_feedparser || need_apt+=(python3-feedparser)
if [ -z "${BULLETIN_SKIP_BROWSER:-}" ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# Make the tests find the Python that has feedparser.
if ! python3 -c 'import feedparser' >/dev/null 2>&1 && [ -x /usr/bin/python3 ]; then
  export BULLETIN_PYTHON=/usr/bin/python3
fi
# test/js's npm packages (validators, axe-core): installed, and again whenever
# package-lock.json is newer than the install (npm writes node_modules/.package-lock.json).
if [ -f test/js/package-lock.json ] && { [ ! -d test/js/node_modules ] ||
  [ test/js/package-lock.json -nt test/js/node_modules/.package-lock.json ]; }; then
  (cd test/js && npm ci --no-audit --no-fund --silent)
fi
# The feed validators installed above must run in the tests, not be skipped.
export BULLETIN_REQUIRE_VALIDATORS=1
# So must the browser test, unless the browser was opted out.
if [ -z "${BULLETIN_SKIP_BROWSER:-}" ]; then
  export BULLETIN_REQUIRE_BROWSER=1
fi

go vet ./...
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" $unformatted >&2
  exit 1
fi
# -parallel 8: the end-to-end tests mostly wait on the binaries they run and on
# the disk, so more of them at once than there are cores keeps the cores busy.
go test -race -count=1 -parallel 8 -timeout 20m "$@" ./...
