#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the browser tests need (Debian's Chromium) and Node.js
# (the YakShaver Desktop tests) when they are missing, restores, builds and runs every test. Exit code is non-zero
# when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests..."
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! command -v node >/dev/null; then
  # The YakShaver Desktop tests make the desktop's calls with Node's https module.
  echo "Installing Node.js for the YakShaver Desktop tests..."
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs >/dev/null
fi

dotnet test ShaveTracker.sln -c Release \
  --logger "console;verbosity=normal" \
  --blame-hang --blame-hang-timeout 10m

# After the tests: known High/Critical vulnerabilities in any package (direct or transitive) fail the run.
bash .ci/check-vulnerable-packages.sh
