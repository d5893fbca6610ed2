# Sourced by the benchmark scripts that build their inputs from the Debian footage, from the
# repository root: Debian's ffmpeg and libx264 (installed when missing), the fetched media, and
# $bench, the cache the inputs are built into (.cache/bench).
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v ffmpeg >/dev/null; then
  sudo_if_needed apt-get update -qq && sudo_if_needed apt-get install -y -qq ffmpeg >/dev/null
fi
scripts/fetch-media.sh >/dev/null
bench="$PWD/.cache/bench"
mkdir -p "$bench"
