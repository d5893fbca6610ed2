#!/usr/bin/env bash
# Benchmarks frame extraction against the ffmpeg command line, on three kinds of footage:
#
#   scripts/bench-frames.sh [RUNS] [VIDEO...]   (default 1 run of each; more: medians, the two
#                                               alternating; VIDEOs: more inputs, a row each)
#   BENCH_TABLE=0 scripts/bench-frames.sh 1 VIDEO   only 1 worker against 2 on VIDEO
#
# Builds, with Debian's ffmpeg and libx264, three 1280x720 H.264 inputs of about 150 s
# (BENCH_SECONDS) from the fetched Debian footage:
#   looped   the 14 s cockatoo clip looped, 25 fps, a keyframe every 4 s
#   cuts     3 s pieces of eleven clips (Planet Blupi, Fish Fillets, Tupi, the cockatoo...), 23.976 fps,
#            x264's scene-cut keyframes at every cut and at most 5 s apart
#   longgop  the looped clip with one keyframe a minute (no scene cuts)
#   anime    the cut-heavy input encoded as anime episodes are shared: x264 -tune animation, up to 8
#            B-frames in a row (most frames are then B-frames no other frame refers to)
# and times on each, whole process, wall and CPU seconds (user + system):
#   ffmpeg   ffmpeg -threads 2 -i X -vf fps=1 -q:v 2 out/%05d.jpg
#   reelset  frame_extraction only, sampling fps 1, JPEG quality 2, frames saved, 2 workers
# printing per input both tools' seconds, reelset's throughput as a multiple of ffmpeg's (wall and
# CPU), frames_read / the frames the video holds (1.00: each frame read once) and frames_decoded /
# the frames (at most 1.00; less where frames the sampling skips are not decoded at all). Then
# 1 worker against 2 on the last VIDEO given, else on the looped input.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-1}"
shift || true
extra=("$@")
cd "$root"
source scripts/lib/bench.sh
seconds="${BENCH_SECONDS:-150}"
scale="scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1"

looped="$bench/looped-${seconds}s.mp4"
if [ ! -f "$looped" ]; then
  ffmpeg -v error -stream_loop -1 -i media/videos/cockatoo.mp4 -t "$seconds" -an -vf "$scale" -c:v libx264 \
    -preset medium -crf 20 -g 100 -pix_fmt yuv420p "$looped.part.mp4" && mv "$looped.part.mp4" "$looped"
fi
longgop="$bench/longgop-${seconds}s.mp4"
if [ ! -f "$longgop" ]; then
  ffmpeg -v error -stream_loop -1 -i media/videos/cockatoo.mp4 -t "$seconds" -an -vf "$scale" -c:v libx264 \
    -preset medium -crf 20 -g 1500 -keyint_min 1500 -sc_threshold 0 -pix_fmt yuv420p "$longgop.part.mp4" \
    && mv "$longgop.part.mp4" "$longgop"
fi
cuts="$bench/cuts-${seconds}s.mp4"
if [ ! -f "$cuts" ]; then
  pieces="$bench/pieces"
  rm -rf "$pieces" && mkdir -p "$pieces"
  sources=(media/clips/blupi/*.mkv media/clips/fillets/intro.mpg media/videos/*.mp4 media/videos/*.avi)
  : > "$pieces/list.txt"
  n=0
  while [ $((n * 3)) -lt "$seconds" ]; do
    src="${sources[$((n % ${#sources[@]}))]}"
    length=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$src")
    # a different 3 s of the source each time round
    start=$(python3 -c "import sys; l=float(sys.argv[1]); r=int(sys.argv[2]); print('%.3f' % max(0.0, (r * 3.7) % max(l - 3.2, 0.1)))" \
      "$length" "$((n / ${#sources[@]}))")
    ffmpeg -v error -ss "$start" -t 3 -i "$src" -an -vf "$scale,fps=24000/1001" -c:v libx264 -preset veryfast \
      -crf 16 -pix_fmt yuv420p "$pieces/$n.mp4"
    echo "file '$pieces/$n.mp4'" >> "$pieces/list.txt"
    n=$((n + 1))
  done
  ffmpeg -v error -f concat -safe 0 -i "$pieces/list.txt" -an -r 24000/1001 -c:v libx264 -preset medium -crf 20 \
    -g 120 -pix_fmt yuv420p "$cuts.part.mp4" && mv "$cuts.part.mp4" "$cuts"
  rm -rf "$pieces"
fi
anime="$bench/anime-${seconds}s.mp4"
if [ ! -f "$anime" ]; then
  ffmpeg -v error -i "$cuts" -an -c:v libx264 -preset medium -tune animation -bf 8 -crf 20 -pix_fmt yuv420p \
    "$anime.part.mp4" && mv "$anime.part.mp4" "$anime"
fi
reelset_ready   # the jar and its class data archive, before anything is timed

# wall and CPU seconds of a command and its children: "WALL CPU"
timed() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.time()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.time() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if code != 0:
    sys.exit("failed (%d): %s" % (code, " ".join(sys.argv[1:])))
print("%.2f %.2f" % (wall, usage.ru_utime + usage.ru_stime))
PY
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
counter() {
  python3 - "$1" "$2" <<'PY'
import json, sys
status = json.load(open(sys.argv[1]))
def find(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == sys.argv[2] and isinstance(v, (int, float)):
                return v
            found = find(v)
            if found is not None:
                return found
    elif isinstance(node, list):
        for v in node:
            found = find(v)
            if found is not None:
                return found
    return None
print(find(status) or 0)
PY
}

reelset_run() { # VIDEO WORKERS -> "WALL CPU" ; leaves the run in $bench/runs/r
  cat > "$bench/bench.yaml" <<YAML
name: bench-frames
stages:
  - id: frames
    type: frame_extraction
    config:
      input: "$1"
      sampling: {mode: fps, fps: 1}
      image: {format: jpg, jpeg_quality: 2}
      save: true
      segment_seconds: 10
YAML
  rm -rf "$bench/runs"
  timed scripts/reelset run "$bench/bench.yaml" --runs-dir "$bench/runs" --run-id r --targetParallelism="$2"
}

echo "$(nproc) cores; $runs run(s) of each, alternating; whole process, wall and CPU seconds (user + system)"
printf '%-8s %7s | %8s %8s | %8s %8s | %10s %10s | %s\n' input frames "ffmpeg s" "cpu s" "reelset" "cpu s" \
  "wall ratio" "cpu ratio" "read/frames decoded/frames"
inputs=("$bench/looped-${seconds}s.mp4" "$bench/cuts-${seconds}s.mp4" "$bench/longgop-${seconds}s.mp4"
  "$bench/anime-${seconds}s.mp4")
for video in "${inputs[@]}" ${extra[@]+"${extra[@]}"}; do
  [ "${BENCH_TABLE:-1}" = 0 ] && break   # workers only
  kind=$(basename "$video" | sed 's/-[0-9]*s\.mp4$//; s/\.[^.]*$//')
  frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets \
    -of default=nw=1:nk=1 "$video")
  : > "$bench/f-wall"; : > "$bench/f-cpu"; : > "$bench/r-wall"; : > "$bench/r-cpu"; : > "$bench/decoded"; : > "$bench/read"
  for i in $(seq "$runs"); do
    rm -rf "$bench/out" && mkdir -p "$bench/out"
    read -r w c < <(timed ffmpeg -v error -threads 2 -i "$video" -vf fps=1 -q:v 2 "$bench/out/%05d.jpg")
    echo "$w" >> "$bench/f-wall"; echo "$c" >> "$bench/f-cpu"
    read -r w c < <(reelset_run "$video" 2)
    echo "$w" >> "$bench/r-wall"; echo "$c" >> "$bench/r-cpu"
    counter "$bench/runs/r/status.json" frames_decoded >> "$bench/decoded"
    counter "$bench/runs/r/status.json" frames_read >> "$bench/read"
  done
  fw=$(median < "$bench/f-wall"); fc=$(median < "$bench/f-cpu")
  rw=$(median < "$bench/r-wall"); rc=$(median < "$bench/r-cpu"); dec=$(median < "$bench/decoded")
  read_=$(median < "$bench/read")
  printf '%-8s %7d | %8.1f %8.1f | %8.1f %8.1f | %9.2fx %9.2fx | %.2f %.2f\n' "$kind" "$frames" "$fw" "$fc" "$rw" \
    "$rc" "$(echo "$fw / $rw" | bc -l)" "$(echo "$fc / $rc" | bc -l)" "$(echo "$read_ / $frames" | bc -l)" \
    "$(echo "$dec / $frames" | bc -l)"
done
# 1 worker against 2 on one video: the last VIDEO given (the longest, as a rule), else the looped input
long="$bench/looped-${seconds}s.mp4"
[ ${#extra[@]} -eq 0 ] || long="${extra[${#extra[@]}-1]}"
read -r w1 c1 < <(reelset_run "$long" 1)
read -r w2 c2 < <(reelset_run "$long" 2)
printf '%s, 1 worker %.1f s, 2 workers %.1f s: %.2fx\n' "$(basename "$long")" "$w1" "$w2" "$(echo "$w1 / $w2" | bc -l)"
