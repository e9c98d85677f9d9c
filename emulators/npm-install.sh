#!/usr/bin/env bash
# Installs the npm packages pinned in a package-lock.json, once: skipped while node_modules matches the lock file.
# Usage: npm-install.sh [dir]   (default: this folder, the emulators; license-issuer passes its src/test/node)
set -euo pipefail
cd "${1:-$(dirname "$0")}"
if ! command -v npm >/dev/null 2>&1; then
  echo "$(pwd): npm not found; install Node.js 20+ (the local emulators dynalite and aws-ses-v2-local need it)" >&2
  exit 1
fi
stamp=node_modules/.licensing-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
