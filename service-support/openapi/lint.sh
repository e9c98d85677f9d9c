#!/usr/bin/env bash
# Lints OpenAPI documents with Redocly's recommended rules (redocly.yaml); installs the pinned CLI once.
# Usage: lint.sh <openapi.yaml>...   Exit code: Redocly's (non-zero on any error).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "openapi lint: npm not found; install Node.js 20+" >&2
  exit 1
fi
stamp="$here/node_modules/.licensing-lock.sha256"
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
exec node "$here/node_modules/@redocly/cli/bin/cli.js" lint --config "$here/redocly.yaml" --format=stylish "$@"
