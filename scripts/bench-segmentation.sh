#!/usr/bin/env bash
# Benchmarks the segmentation stage against a plain ONNX Runtime loop over the same frames, with
# the same model (ISNet medium) and threads, and reports frames/s, their ratio and peak memory.
#
#   scripts/bench-segmentation.sh [FRAMES] [THREADS] [RUNS] [BATCHES] [WORKERS]
#                                   (default 48 frames, 2 threads, 1 run, batch size 1, 1 worker;
#                                    BATCHES: one or more stage batch sizes, "1 2 4", each against
#                                    the same loop; WORKERS: the DirectRunner's threads)
#
# The frames are the fetched sprites over backgrounds (1280x720 JPEG). The stage runs on the
# DirectRunner with one worker (or WORKERS, sharing one session) and batches of 1, as the loop does
# (or of each size in BATCHES), fed one frame per bundle as a pipeline feeds it. Neither timing
# holds a start: the model load and three first inferences come before both, and before the stage
# the runner's own first pipeline (2 frames), as in a pipeline the stages before segmentation
# start the runner. BENCH_COLD=1 times the stage with the runner's start (one inference before).
# The loop and the stage alternate run by run; medians of RUNS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
frames="${1:-48}"; threads="${2:-2}"; runs="${3:-1}"; batches="${4:-1}"; workers="${5:-1}"
cd "$root"
scripts/fetch-media.sh >/dev/null
scripts/fetch-models.sh
mvn -B -q test-compile
# a short command line: ONNX Runtime 1.29 overflows the stack of a JVM with a very long one
args="$root/target/bench-classpath.args"
echo "-Xss4m -cp $root/target/classes:$root/target/test-classes:$(mvn -B -q dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)" > "$args"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
cold=""; [ "${BENCH_COLD:-0}" = 1 ] && cold=cold
measure() { # NAME MODE [BATCH]: one run; its frames/s and peak RSS appended to target/bench-NAME*.txt
  local out # (not tee /dev/stderr: where stderr is a file, tee would truncate it)
  out=$(/usr/bin/time -f "%M" -o "$root/target/bench-rss.tmp" \
    java @"$args" io.reelset.stages.segmentation.SegmentationBench "$2" "$frames" "$threads" "${3:-1}" "$workers" $cold \
    2>/dev/null)
  echo "$out" >&2
  echo "$out" | sed -n -E 's/.*= ([0-9.]+) frames\/s/\1/p' >> "$root/target/bench-$1.txt"
  cat "$root/target/bench-rss.tmp" >> "$root/target/bench-$1-rss.txt"
}
for name in plain $(for b in $batches; do echo "stage-$b"; done); do
  : > "$root/target/bench-$name.txt"; : > "$root/target/bench-$name-rss.txt"
done
for i in $(seq "$runs"); do # the loop and the stage alternating, so that a slower hour slows both
  measure plain plain
  for b in $batches; do
    measure "stage-$b" stage "$b"
  done
done
plain=$(median < "$root/target/bench-plain.txt")
plain_rss=$(sort -n "$root/target/bench-plain-rss.txt" | tail -1)
echo "ISNet medium, $frames frames of 1280x720, $threads ONNX Runtime threads, $workers stage workers, $runs runs, $(nproc) cores, runner ${cold:-warm}"
printf 'plain ONNX Runtime loop          %.3f frames/s   peak RSS %d MiB\n' "$plain" $((plain_rss / 1024))
for b in $batches; do
  stage=$(median < "$root/target/bench-stage-$b.txt")
  stage_rss=$(sort -n "$root/target/bench-stage-$b-rss.txt" | tail -1)
  printf 'reelset segmentation, batch %-3s %.3f frames/s   peak RSS %d MiB   stage / plain: %.2fx\n' "$b" "$stage" \
    $((stage_rss / 1024)) "$(echo "$stage / $plain" | bc -l)"
done
