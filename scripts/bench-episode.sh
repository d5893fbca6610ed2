#!/usr/bin/env bash
# The end-to-end episode benchmark: the main example (examples/dataset.yaml: frames, segmentation,
# clustering, tagging, dataset) on a 24-minute 1280x720 episode made from the Debian footage.
#
#   scripts/bench-episode.sh [SAMPLING]     fps (one frame a second) or shots (default: shots)
#   BENCH_EPISODE_SECONDS=1440              the episode's length (default 24 minutes)
#   BENCH_EPISODE_STAGES=frames             stop after these stages (a copy of the example without
#                                           the later ones): how many frames each sampling keeps
#   BENCH_EPISODE_SPEC=FILE                 another pipeline file with params videos and sampling
#   BENCH_EPISODE_ARGS="--targetParallelism=2"   more options for 'reelset run' (Beam's among them)
#
# The episode (cached in .cache/bench) is a reel of every fetched clip with characters (Planet
# Blupi's five, Fish Fillets' intro, Tupi's example, the cockatoo), about 142 s, scaled and padded
# to 1280x720 at 23.976 fps; the reel is repeated, each time changed so that it is not the same
# picture twice (mirrored every other time, zoomed 6 % more every second time), and the repeats
# joined and cut to length: H.264 with x264's keyframes at cuts.
#
# While the run goes, status.json and the process's CPU and memory are read every 2 s. Printed:
# per stage its wall time (first to last change of its counters; stages that overlap share the
# process's CPU seconds of their spans), the items it put out and the process's CPU seconds over
# its span; the peak memory (RSS); the whole job's speed as a multiple of real time; and the ETA
# status.json gave at 10 %, 50 % and 90 % of the run against the time really left.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sampling="${1:-shots}"
seconds="${BENCH_EPISODE_SECONDS:-1440}"
stages="${BENCH_EPISODE_STAGES:-}"
cd "$root"
source scripts/lib/bench.sh
scripts/fetch-models.sh >/dev/null
scale="scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=24000/1001"

reel="$bench/episode-reel.mp4"
if [ ! -f "$reel" ]; then
  parts="$bench/episode-parts"
  rm -rf "$parts" && mkdir -p "$parts"
  i=0
  for clip in media/clips/blupi/*.mkv media/clips/fillets/intro.mpg media/videos/tupi-example.avi \
      media/videos/cockatoo.mp4; do
    i=$((i + 1))
    ffmpeg -v error -i "$clip" -an -vf "$scale" -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p \
      "$parts/$i.mp4"
    echo "file '$parts/$i.mp4'" >> "$parts/list.txt"
  done
  ffmpeg -v error -f concat -safe 0 -i "$parts/list.txt" -c copy "$reel.part.mp4" && mv "$reel.part.mp4" "$reel"
  rm -rf "$parts"
fi
episode="$bench/episode-${seconds}s.mp4"
if [ ! -f "$episode" ]; then
  reel_s=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$reel")
  repeats=$(python3 -c "import math; print(math.ceil($seconds / $reel_s))")
  loops="$bench/episode-loops"
  rm -rf "$loops" && mkdir -p "$loops"
  for k in $(seq 0 $((repeats - 1))); do
    zoom=$(python3 -c "print(1 + 0.06 * ($k // 2))")
    flip=$([ $((k % 2)) -eq 1 ] && echo "hflip," || echo "")
    ffmpeg -v error -i "$reel" -an -vf "${flip}crop=iw/$zoom:ih/$zoom,scale=1280:720,setsar=1" \
      -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p "$loops/$k.mp4"
    echo "file '$loops/$k.mp4'" >> "$loops/list.txt"
  done
  ffmpeg -v error -f concat -safe 0 -i "$loops/list.txt" -t "$seconds" -c copy "$episode.part.mp4"
  mv "$episode.part.mp4" "$episode"
  rm -rf "$loops"
fi
reelset_ready   # the jar and its class data archive, before anything is timed

spec="${BENCH_EPISODE_SPEC:-examples/dataset.yaml}"
work="$bench/episode-runs"
rm -rf "$work" && mkdir -p "$work"
if [ -n "$stages" ]; then
  # the example up to the named stages: a stage is kept when it is named or another kept one needs it
  python3 - "$spec" "$work/spec.yaml" "$stages" <<'PY'
import sys, re
text = open(sys.argv[1]).read()
head, body = text.split("\nstages:\n", 1)
blocks = re.split(r"(?m)^(?=  - id: )", body)
keep = set(sys.argv[3].split(","))
out = [b for b in blocks if b.strip() and re.match(r"  - id: (\S+)", b).group(1) in keep]
open(sys.argv[2], "w").write(head + "\nstages:\n" + "".join(out))
PY
  spec="$work/spec.yaml"
fi
echo "episode: $episode ($(ffprobe -v error -show_entries format=duration -of csv=p=0 "$episode") s, 1280x720)"
echo "$(nproc) cores; $spec with --param sampling=$sampling ${BENCH_EPISODE_ARGS:-}"
python3 - "$episode" "$spec" "$sampling" "$work" ${BENCH_EPISODE_ARGS:-} <<'PY'
import json, os, subprocess, sys, time

episode, spec, sampling, work = sys.argv[1:5]
extra = sys.argv[5:]
duration = float(subprocess.check_output(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                                          "-of", "csv=p=0", episode]).decode())
tick = os.sysconf("SC_CLK_TCK")
page = os.sysconf("SC_PAGE_SIZE")


def tree(pid):
    """pid and its descendants."""
    children = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(p))
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


cpu_seen = {}


def sample(pid):
    """CPU seconds of the tree so far (kept for processes that ended) and its current RSS in bytes."""
    rss = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu_seen[p] = (int(fields[11]) + int(fields[12])) / tick
            rss += int(fields[21]) * page
        except OSError:
            pass
    return sum(cpu_seen.values()), rss


cmd = ["scripts/reelset", "run", spec, "--param", "videos=" + episode, "--param", "sampling=" + sampling,
       "--runs-dir", work, "--run-id", "episode"] + extra
log = open(os.path.join(work, "run.log"), "w")
start = time.time()
proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
status_file = os.path.join(work, "episode", "status.json")
polls = []   # (seconds, cpu seconds, rss, eta, counters per stage)
peak = 0
while proc.poll() is None:
    time.sleep(2)
    cpu, rss = sample(proc.pid)
    peak = max(peak, rss)
    try:
        with open(status_file) as f:
            status = json.load(f)
    except (OSError, ValueError):
        continue
    counters = {k: v.get("counters", {}) for k, v in (status.get("stages") or {}).items()}
    polls.append((time.time() - start, cpu, rss, status.get("etaSeconds"), counters))
wall = time.time() - start
cpu_total = sum(cpu_seen.values())
if proc.returncode != 0:
    sys.exit(f"the run failed ({proc.returncode}); see {log.name}")
with open(status_file) as f:
    final = json.load(f)

print(f"whole run: {wall:.0f} s wall, {cpu_total:.0f} CPU s, peak RSS {peak / 2**30:.2f} GiB; "
      f"{duration:.0f} s of video: {duration / wall:.2f}x real time")
print(f"{'stage':<12} {'from s':>7} {'to s':>7} {'wall s':>7} {'items':>7} {'CPU s (process, span)':>22}")
stages = list((final.get("stages") or {}).keys())
limit = None
for stage in stages:
    changed = [i for i in range(1, len(polls))
               if polls[i][4].get(stage) != polls[i - 1][4].get(stage)]
    if not changed:
        continue
    first, last = changed[0] - 1, changed[-1]
    t0, t1 = polls[first][0], polls[last][0]
    cpu = polls[last][1] - polls[first][1]
    counters = final["stages"][stage].get("counters", {})
    items = counters.get("output", 0)
    print(f"{stage:<12} {t0:7.0f} {t1:7.0f} {t1 - t0:7.0f} {items:7d} {cpu:22.0f}")
    if limit is None or t1 - t0 > limit[1]:
        limit = (stage, t1 - t0)
frames = final["stages"].get("frames", {}).get("counters", {})
print(f"frames: {frames.get('frames_sampled', 0)} candidates, {frames.get('shots', '-')} shots "
      f"({frames.get('shots_too_short', '-')} too short), {frames.get('frames_duplicate', 0)} duplicates dropped, "
      f"{frames.get('output', 0)} frames to the next stage")
if limit:
    print(f"the longest stage: {limit[0]} ({limit[1]:.0f} s of {wall:.0f} s)")
print("ETA that status.json gave, against the time really left:")
for share in (0.1, 0.5, 0.9):
    at = share * wall
    known = [p for p in polls if p[3] is not None]
    if not known:
        print(f"  at {share:.0%}: no ETA")
        continue
    p = min(known, key=lambda q: abs(q[0] - at))
    print(f"  at {share:.0%} ({p[0]:.0f} s): ETA {p[3]:.0f} s, really {wall - p[0]:.0f} s left")
ds = final["stages"].get("dataset", {}).get("counters", {})
if ds:
    print("dataset: " + ", ".join(f"{k} {v}" for k, v in sorted(ds.items()) if k in ("identities", "images", "output")))
with open(os.path.join(work, "polls.json"), "w") as f:
    json.dump(polls, f)
PY
grep -h "^dataset: \|^identities: \|^clustering" "$work/run.log" || true
