#!/usr/bin/env bash
# Compiles the deployable Bicep entry points to ARM JSON next to them (*.compiled.json, git-ignored):
#   infra/main.bicep                    -> infra/main.compiled.json          (what `azd provision` deploys)
#   infra/app/eventSubscription.bicep   -> infra/app/eventSubscription.compiled.json (what the postdeploy hook deploys)
# Fails on any compiler or linter diagnostic, warnings included (infra/bicepconfig.json raises the rules to errors; this
# also catches compiler warnings such as BCP081, an API version missing from the CLI's type index).
# Used by tools/infra/check.sh and by test/infra (which then asserts on the compiled JSON).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BICEP="$ROOT/tools/infra/bicep.sh"
ENTRY_POINTS=(infra/main.bicep infra/app/eventSubscription.bicep)

# run_clean LABEL CMD...: runs CMD, shows its diagnostics, fails if it failed or said anything at all on stderr
# (the CLI writes diagnostics, and only diagnostics, to stderr).
run_clean() {
  local label="$1" diagnostics status=0
  shift
  diagnostics="$(mktemp)"
  "$@" 2>"$diagnostics" || status=$?
  if [ "$status" -ne 0 ] || grep -qE '(Error|Warning) [A-Za-z0-9-]+:' "$diagnostics"; then
    sed "s#$ROOT/##" "$diagnostics" >&2
    rm -f "$diagnostics"
    echo "infra: $label failed (exit $status, diagnostics above)" >&2
    return 1
  fi
  rm -f "$diagnostics"
}

"$BICEP" --version >&2
for entry in "${ENTRY_POINTS[@]}"; do
  out="${entry%.bicep}.compiled.json"
  run_clean "bicep build $entry" "$BICEP" build "$ROOT/$entry" --outfile "$ROOT/$out"
  echo "infra: compiled $entry -> $out" >&2
done
