#!/usr/bin/env bash
# Installs everything unspin needs on a fresh Debian machine: system packages,
# a virtualenv in .venv with unspin and its dev tools, and the lexicon cache.
# Safe to rerun: every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(wordnet-base wordnet-sense-index mythes-en-us)
SYSTEM_PACKAGES+=(chromium)              # the web app's browser tests (Playwright drives it)
SYSTEM_PACKAGES+=(default-jre-headless)  # Java 17 for the Spark engine
missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/unspin setup
