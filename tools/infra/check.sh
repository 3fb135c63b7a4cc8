#!/usr/bin/env bash
# `npm run infra:check`: compile every deployable Bicep file to ARM JSON and lint every Bicep file with the real Bicep
# CLI, failing on any warning. Fails (never skips) when no Bicep CLI can be found or restored (tools/infra/bicep.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

bash tools/infra/build.sh

# Lint each file on its own as well: `build` reports a module's diagnostics only as far as main.bicep uses it.
failed=0
while IFS= read -r -d '' file; do
  diagnostics="$(bash tools/infra/bicep.sh lint "$file" 2>&1)" || failed=1
  if [ -n "$diagnostics" ]; then
    printf '%s\n' "$diagnostics" | sed "s#$ROOT/##" >&2
    failed=1
  fi
done < <(find infra -name '*.bicep' -print0 | sort -z)
[ "$failed" -eq 0 ] || { echo "infra: bicep lint reported problems (above)" >&2; exit 1; }
echo "infra: lint clean ($(find infra -name '*.bicep' | wc -l) files)" >&2

# The postdeploy hook must at least parse.
sh -n scripts/post-deploy.sh
echo "infra: check passed" >&2
