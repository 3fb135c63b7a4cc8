#!/usr/bin/env bash
# Runs the Bicep CLI with the given arguments (`build FILE [--outfile OUT | --stdout]`, `lint FILE`, `--version`, ...).
#
# Where the CLI comes from, first match wins:
#   1. $BICEP_BIN, when set (an explicit choice is never second-guessed);
#   2. `bicep` on PATH, when it is at least $BICEP_MIN_VERSION (older CLIs lack the resource types main.bicep uses);
#   3. `az bicep`, when the Azure CLI already has a Bicep CLI it can run without downloading one;
#   4. the pinned NuGet package Azure.Bicep.CommandLine.<rid>, restored with the .NET SDK into .bicep/nuget
#      (machines with a NuGet source but no internet, like CI here). The restore is cached, so only the first run pays.
# Nothing found is an error, never a silent skip: a check that did not run must not look like a check that passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Pinned: the linter rules and the resource type index ship inside the CLI, so a different version can warn differently.
BICEP_NUGET_VERSION="${BICEP_NUGET_VERSION:-0.49.2}"
BICEP_MIN_VERSION="${BICEP_MIN_VERSION:-0.49.0}"
CACHE_DIR="${BICEP_CACHE_DIR:-$ROOT/.bicep}"

log() { printf 'bicep.sh: %s\n' "$*" >&2; }

# version_at_least HAVE WANT: true when dotted version HAVE >= WANT.
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# Prints the version number a `--version` banner contains ("Bicep CLI version 0.49.2 (b34271ac51)" -> 0.49.2).
banner_version() { grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1; }

nuget_rid() {
  local arch
  arch="$(uname -m)"
  case "$(uname -s)/$arch" in
    Linux/x86_64) echo linux-x64 ;;
    Linux/aarch64 | Linux/arm64) echo linux-arm64 ;;
    Darwin/x86_64) echo osx-x64 ;;
    Darwin/arm64) echo osx-arm64 ;;
    *) return 1 ;;
  esac
}

# Restores the pinned CLI package with a throwaway project (PackageDownload fetches a package without referencing it)
# and prints the binary's path.
restore_from_nuget() {
  local rid pkg dir bin proj
  rid="$(nuget_rid)" || { log "no Bicep CLI NuGet package for $(uname -s)/$(uname -m)"; return 1; }
  pkg="Azure.Bicep.CommandLine.$rid"
  dir="$CACHE_DIR/nuget/$(printf '%s' "$pkg" | tr '[:upper:]' '[:lower:]')/$BICEP_NUGET_VERSION"
  bin="$dir/tools/bicep"
  if [ ! -x "$bin" ]; then
    command -v dotnet >/dev/null 2>&1 || { log "the .NET SDK (dotnet) is not on PATH"; return 1; }
    proj="$CACHE_DIR/restore"
    mkdir -p "$proj"
    cat >"$proj/restore.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Throwaway project: only restores the Bicep CLI package into ../nuget (tools/infra/bicep.sh). -->
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <DisableImplicitNuGetFallbackFolder>true</DisableImplicitNuGetFallbackFolder>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$pkg" Version="[$BICEP_NUGET_VERSION]" />
  </ItemGroup>
</Project>
CSPROJ
    log "restoring $pkg $BICEP_NUGET_VERSION from NuGet into $CACHE_DIR/nuget (first run only)"
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
      dotnet restore "$proj/restore.csproj" --packages "$CACHE_DIR/nuget" --verbosity quiet >&2 \
      || { log "dotnet restore of $pkg $BICEP_NUGET_VERSION failed"; return 1; }
    [ -f "$bin" ] || { log "restored $pkg but $bin is missing"; return 1; }
    # NuGet extracts without the executable bit.
    chmod +x "$bin"
  fi
  printf '%s\n' "$bin"
}

# Sets MODE (bin|az) and BIN.
locate() {
  local v
  if [ -n "${BICEP_BIN:-}" ]; then
    MODE=bin BIN="$BICEP_BIN"
    return 0
  fi
  if command -v bicep >/dev/null 2>&1; then
    v="$(bicep --version 2>/dev/null | banner_version || true)"
    if [ -n "$v" ] && version_at_least "$v" "$BICEP_MIN_VERSION"; then
      MODE=bin BIN="$(command -v bicep)"
      return 0
    fi
    log "ignoring bicep ${v:-of unknown version} on PATH (need >= $BICEP_MIN_VERSION)"
  fi
  if command -v az >/dev/null 2>&1; then
    # `az bicep version` downloads the CLI when it has none; bound it so an offline machine falls through quickly.
    if command -v timeout >/dev/null 2>&1; then
      v="$(timeout 60 az bicep version --only-show-errors 2>/dev/null | banner_version || true)"
    else
      v="$(az bicep version --only-show-errors 2>/dev/null | banner_version || true)"
    fi
    if [ -n "$v" ] && version_at_least "$v" "$BICEP_MIN_VERSION"; then
      MODE=az BIN=az
      return 0
    fi
  fi
  if BIN="$(restore_from_nuget)"; then
    MODE=bin
    return 0
  fi
  log "no Bicep CLI found: install bicep (>= $BICEP_MIN_VERSION) or the Azure CLI, or the .NET SDK with a NuGet source"
  return 1
}

locate

if [ "$MODE" = az ]; then
  # `az bicep` names the input with --file; translate the plain CLI's positional form for the commands we use.
  case "${1:-}" in
    build | lint | build-params | format)
      sub="$1" file="$2"
      shift 2
      exec az bicep "$sub" --file "$file" "$@"
      ;;
    --version) exec az bicep version ;;
    *) exec az bicep "$@" ;;
  esac
fi

exec "$BIN" "$@"
