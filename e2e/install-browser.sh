#!/usr/bin/env bash
# Installs what the browser tests need, once: Debian's chromium and chromedriver (apt-get, as root) and the
# axe-core version pinned in package-lock.json (npm ci; skipped while node_modules matches the lock file).
# Run by the e2e build before the integration tests, so a fresh clone needs no manual step.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e: /usr/bin/chromium or /usr/bin/chromedriver is missing; install them as root:" >&2
    echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
  command -v apt-get >/dev/null || { echo "e2e: no apt-get: install Chromium and its chromedriver at /usr/bin/chromium and /usr/bin/chromedriver" >&2; exit 1; }
  echo "e2e: installing chromium and chromium-driver (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "e2e: npm not found; install Node.js 20+ (axe-core for the accessibility check comes from npm)" >&2
  exit 1
fi
stamp=node_modules/.licensing-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
