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

# Builds the jar when the sources changed and makes sure its class data archive exists: the first
# 'run' after a build writes it as the JVM exits (scripts/reelset), which adds seconds to whichever
# run would be timed first. A short untimed run of frame extraction does it.
reelset_ready() {
  scripts/reelset --version >/dev/null
  cat > "$bench/warm-up.yaml" <<YAML
name: warm-up
stages:
  - id: frames
    type: frame_extraction
    config: {input: "$PWD/media/videos/small_movie.mp4"}
YAML
  rm -rf "$bench/warm-up-runs"
  if ! scripts/reelset run "$bench/warm-up.yaml" --runs-dir "$bench/warm-up-runs" >"$bench/warm-up.log" 2>&1; then
    echo "bench: the warm-up run of reelset failed; see $bench/warm-up.log" >&2
    exit 1
  fi
  rm -rf "$bench/warm-up-runs"
}
