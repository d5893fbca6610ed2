#!/usr/bin/env bash
# Installs the Debian packages the tests use beyond Java: chromium, to open the dataset's
# report.html in a real headless browser, and Python 3.11 or newer, whose tomllib reads the
# dataset_config.toml files the tests write. Does nothing when they are there already.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
python3 -c 'import tomllib' >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "install-test-tools: installing ${missing[*]} (Debian) for the tests" >&2
sudo_if_needed apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq "${missing[@]}" >/dev/null
command -v chromium >/dev/null
python3 -c 'import tomllib'
