# shellcheck shell=bash
# Sourced by the scripts in this folder: the repository root as cwd, tool paths, and a
# timed step runner. Not executable on its own.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO" || exit 1
# cargo-installed tools (trunk, wasm-bindgen) and npm's (wasm-opt 132 for trunk).
export PATH="$REPO/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

export TRUNK_VERSION=0.21.14
# wasm_split_cli_support's wasm-split-cli: the splitter matching leptos 0.8's wasm_split_helpers.
export WASM_SPLIT_VERSION=0.2.4
TIMINGS=()

# Seconds since $1 (an $EPOCHREALTIME), one decimal.
elapsed() {
  awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# step NAME COMMAND...: runs COMMAND, prints how long it took, and stops the script
# (after the timings so far) if it fails.
step() {
  local name=$1
  shift
  local t0=$EPOCHREALTIME rc=0
  printf '\n==> %s\n' "$name" >&2
  "$@" || rc=$?
  local dt
  dt=$(elapsed "$t0")
  TIMINGS+=("$(printf '%7ss  %s' "$dt" "$name")")
  if [ "$rc" -ne 0 ]; then
    printf '\n!!! FAILED (exit %s) after %ss: %s\n' "$rc" "$dt" "$name" >&2
    print_timings
    exit "$rc"
  fi
  printf '::: %ss  %s\n' "$dt" "$name" >&2
}

print_timings() {
  [ "${#TIMINGS[@]}" -gt 0 ] || return 0
  printf '\nTimings:\n' >&2
  printf '%s\n' "${TIMINGS[@]}" >&2
}

# The wasm-bindgen crate version in Cargo.lock: wasm-bindgen-cli must be the same.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}
