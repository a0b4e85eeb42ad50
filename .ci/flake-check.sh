#!/usr/bin/env bash
# Runs the README's test command on N fresh clones of the current commit, L of them (every other run) while a CPU-heavy
# process (a Release build of the solution, in a loop, in a clone of its own) runs beside them, and prints a
# table of every run and of every test that failed at least once.
#
#   bash .ci/flake-check.sh [--runs N] [--under-load L] [--out FILE]
#
# Defaults: 10 runs, 5 of them under load (the even ones), the table also written to flake-check.md in the working folder.
# Exit code: 0 when every run passed, 1 otherwise. CI does not run this (it runs the suite once).
set -uo pipefail
cd "$(dirname "$0")/.."

runs=10
under_load=5
out="flake-check.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --under-load) under_load="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: bash .ci/flake-check.sh [--runs N] [--under-load L] [--out FILE]" >&2; exit 2 ;;
  esac
done
if [ "$under_load" -gt "$runs" ]; then under_load="$runs"; fi

repo="$(pwd)"
# Every run tests this commit, whatever happens to the branch meanwhile.
commit="$(git rev-parse --short HEAD)"
if [ -n "$(git status --porcelain)" ]; then
  echo "Note: the working tree has uncommitted changes; the clones test commit $commit without them." >&2
fi
work="$(mktemp -d /tmp/shavetracker-flake.XXXXXX)"
load_pid=""
stop_load() {
  if [ -n "$load_pid" ]; then
    kill -- -"$load_pid" 2>/dev/null || kill "$load_pid" 2>/dev/null
    wait "$load_pid" 2>/dev/null
    load_pid=""
  fi
}
trap 'stop_load' EXIT

start_load() {
  [ -d "$work/load" ] || { git clone -q "$repo" "$work/load" && git -C "$work/load" checkout -q "$commit"; }
  # Its own process group, so that stopping it ends the build servers it starts too.
  setsid bash -c "cd '$work/load' && while true; do dotnet build ShaveTracker.sln -c Release --no-incremental \
    -nodeReuse:false -p:UseSharedCompilation=false >/dev/null 2>&1; done" &
  load_pid=$!
}

# The table so far (written again after every run, so an interrupted check still leaves its result).
report() {
  local done_runs=${#rows[@]}
  echo "Flake check of commit $commit on $(nproc) cores, $(date -u +%Y-%m-%d): $passed_runs of $done_runs runs passed ($under_load of $runs planned under load)."
  echo
  echo "| run | under load | result | tests | time | failed tests |"
  echo "|---:|---|---|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  if [ ${#failures[@]} -eq 0 ]; then
    echo "No test failed in any run."
  else
    echo "| test | failed in runs |"
    echo "|---|---:|"
    for name in "${!failures[@]}"; do echo "| $name | ${failures[$name]} |"; done | sort
  fi
}

declare -A failures=()
rows=()
passed_runs=0
loaded_runs=0
for i in $(seq 1 "$runs"); do
  # Every other run is under load (until the L of them are done), so an interrupted check has some of each.
  load="no"
  if { [ $((i % 2)) = 0 ] || [ $((runs - i + 1)) -le $((under_load - loaded_runs)) ]; } && [ "$loaded_runs" -lt "$under_load" ]; then
    load="yes"
    loaded_runs=$((loaded_runs + 1))
    [ -n "$load_pid" ] || start_load
  else
    stop_load
  fi
  clone="$work/run$i"
  git clone -q "$repo" "$clone" && git -C "$clone" checkout -q "$commit"
  log="$work/run$i.log"
  start=$(date +%s)
  (cd "$clone" && bash .ci/test.sh) >"$log" 2>&1
  code=$?
  seconds=$(( $(date +%s) - start ))
  tests=$(grep -oE "Total tests: [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+" || echo "?")
  failed_names=$(grep -E "^\s+Failed [A-Za-z]" "$log" | sed -E 's/^\s+Failed ([^ []+).*/\1/' | sort -u)
  if [ "$code" = 0 ]; then
    verdict="passed"; passed_runs=$((passed_runs + 1))
  else
    verdict="FAILED (exit $code)"
  fi
  names=""
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    failures["$name"]=$(( ${failures["$name"]:-0} + 1 ))
    names="$names${names:+, }$name"
  done <<< "$failed_names"
  rows+=("| $i | $load | $verdict | $tests | ${seconds} s | ${names:-—} |")
  echo "run $i/$runs (load: $load): $verdict in ${seconds} s; log $log" >&2
  # A failed browser test's screenshots, HTML, console and server log outlive the clone.
  [ -d "$clone/ShaveTracker.Tests/bin/Release/net10.0/browser-failures" ] &&
    cp -r "$clone/ShaveTracker.Tests/bin/Release/net10.0/browser-failures" "$work/run$i-browser-failures"
  rm -rf "$clone"
  report > "$out"
done
stop_load
report | tee "$out"
echo "Logs of every run: $work" >&2

[ "$passed_runs" = "$runs" ]
