#!/usr/bin/env bash
# Installs the Debian packages the integration tests use beyond Java: chromium, to open the
# dataset's report.html in a real headless browser. Does nothing when they are there already.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "install-test-tools: installing chromium (Debian) for the report test" >&2
sudo_if_needed apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
