#!/usr/bin/env bash
# Benchmarks frame extraction against the ffmpeg command line on the same file and cores.
#
#   scripts/bench-frames.sh [RUNS]       (default 5 runs of each)
#
# Makes a 1280x720 H.264 video of about 5 minutes (the fetched 14 s cockatoo clip looped, a
# keyframe at least every 5 s; BENCH_LOOPS=N for N+1 copies) with Debian's ffmpeg and libx264,
# then times, RUNS times each:
#   ffmpeg   ffmpeg -i X -vf fps=1 -q:v 2 out%05d.jpg
#   reelset  frame_extraction, sampling fps 1, JPEG quality 2, saving the frames, 2 workers
#   reelset  the same with 1 worker
# and prints the medians, the ratio of reelset's throughput to ffmpeg's, and the speed-up from 1
# to 2 workers. reelset's time is the pipeline's run time from status.json (JVM start and jar
# loading excluded; the whole process time is printed too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
cd "$root"
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v ffmpeg >/dev/null; then
  sudo_if_needed apt-get update -qq && sudo_if_needed apt-get install -y -qq ffmpeg >/dev/null
fi
scripts/fetch-media.sh >/dev/null
bench="$root/.cache/bench"
mkdir -p "$bench"
loops="${BENCH_LOOPS:-21}"
video="$bench/cockatoo-x$((loops + 1))-720p.mp4"
if [ ! -f "$video" ]; then
  ffmpeg -v error -stream_loop "$loops" -i media/videos/cockatoo.mp4 -an -c:v libx264 -preset medium \
    -crf 20 -g 100 -pix_fmt yuv420p "$video"
fi
seconds=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$video")
scripts/reelset --version >/dev/null   # builds the jar if needed
cat > "$bench/bench.yaml" <<YAML
name: bench-frames
params:
  video: "$video"
stages:
  - id: frames
    type: frame_extraction
    config:
      input: \${params.video}
      sampling: {mode: fps, fps: 1}
      image: {format: jpg, jpeg_quality: 2}
      save: true
      segment_seconds: 10
YAML

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }
: > "$bench/ffmpeg.txt"; : > "$bench/reelset2.txt"; : > "$bench/reelset1.txt"
: > "$bench/reelset2-wall.txt"; : > "$bench/reelset1-wall.txt"
for i in $(seq "$runs"); do
  rm -rf "$bench/out" && mkdir -p "$bench/out"
  start=$(now)
  ffmpeg -v error -i "$video" -vf fps=1 -q:v 2 "$bench/out/%05d.jpg"
  echo "$(now) - $start" | bc >> "$bench/ffmpeg.txt"
  ffmpeg_frames=$(ls "$bench/out" | wc -l)
  for workers in 2 1; do
    rm -rf "$bench/runs"
    start=$(now)
    scripts/reelset run "$bench/bench.yaml" --runs-dir "$bench/runs" --run-id r \
      --targetParallelism="$workers" >/dev/null 2>&1
    echo "$(now) - $start" | bc >> "$bench/reelset$workers-wall.txt"
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['elapsedSeconds'])" \
      "$bench/runs/r/status.json" >> "$bench/reelset$workers.txt"
    reelset_frames=$(find "$bench/runs/r/frames" -name '*.jpg' | wc -l)
  done
done
f=$(median < "$bench/ffmpeg.txt"); r2=$(median < "$bench/reelset2.txt"); r1=$(median < "$bench/reelset1.txt")
w2=$(median < "$bench/reelset2-wall.txt"); w1=$(median < "$bench/reelset1-wall.txt")
echo "video: $video ($seconds s, 1280x720 H.264), $runs runs each, $(nproc) cores"
echo "frames written: ffmpeg $ffmpeg_frames, reelset $reelset_frames"
printf '%-34s %8s %14s\n' "" "median s" "video s per s"
printf '%-34s %8.2f %14.1f\n' "ffmpeg -vf fps=1 -q:v 2" "$f" "$(echo "$seconds / $f" | bc -l)"
printf '%-34s %8.2f %14.1f   (whole process %.2f s)\n' "reelset, 2 workers" "$r2" "$(echo "$seconds / $r2" | bc -l)" "$w2"
printf '%-34s %8.2f %14.1f   (whole process %.2f s)\n' "reelset, 1 worker" "$r1" "$(echo "$seconds / $r1" | bc -l)" "$w1"
printf 'reelset / ffmpeg throughput: %.2fx (whole process: %.2fx)\n' "$(echo "$f / $r2" | bc -l)" "$(echo "$f / $w2" | bc -l)"
printf 'speed-up from 1 to 2 workers: %.2fx\n' "$(echo "$r1 / $r2" | bc -l)"
