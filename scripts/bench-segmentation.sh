#!/usr/bin/env bash
# Benchmarks the segmentation stage against a plain ONNX Runtime loop over the same frames, with
# the same model (ISNet medium) and threads, and reports frames/s, their ratio and peak memory.
#
#   scripts/bench-segmentation.sh [FRAMES] [THREADS] [RUNS]     (default 48 frames, 2 threads, 1 run)
#
# The frames are the fetched sprites over backgrounds (1280x720 JPEG). The stage runs on the
# DirectRunner with one worker and batches of 1, as the loop does; the model load and a first
# inference are excluded from both timings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
frames="${1:-48}"; threads="${2:-2}"; runs="${3:-1}"
cd "$root"
scripts/fetch-media.sh >/dev/null
scripts/fetch-models.sh
mvn -B -q test-compile
# a short command line: ONNX Runtime 1.29 overflows the stack of a JVM with a very long one
args="$root/target/bench-classpath.args"
echo "-Xss4m -cp $root/target/classes:$root/target/test-classes:$(mvn -B -q dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)" > "$args"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for mode in plain stage; do
  : > "$root/target/bench-$mode.txt"; : > "$root/target/bench-$mode-rss.txt"
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%M" -o "$root/target/bench-rss.tmp" \
      java @"$args" io.reelset.stages.segmentation.SegmentationBench "$mode" "$frames" "$threads" \
      2>/dev/null | tee /dev/stderr | sed -E 's/.*= ([0-9.]+) frames\/s/\1/' >> "$root/target/bench-$mode.txt"
    cat "$root/target/bench-rss.tmp" >> "$root/target/bench-$mode-rss.txt"
  done
done
plain=$(median < "$root/target/bench-plain.txt"); stage=$(median < "$root/target/bench-stage.txt")
plain_rss=$(sort -n "$root/target/bench-plain-rss.txt" | tail -1); stage_rss=$(sort -n "$root/target/bench-stage-rss.txt" | tail -1)
echo "ISNet medium, $frames frames of 1280x720, $threads ONNX Runtime threads, $runs runs, $(nproc) cores"
printf 'plain ONNX Runtime loop   %.3f frames/s   peak RSS %d MiB\n' "$plain" $((plain_rss / 1024))
printf 'reelset segmentation      %.3f frames/s   peak RSS %d MiB\n' "$stage" $((stage_rss / 1024))
printf 'stage / plain throughput: %.2fx\n' "$(echo "$stage / $plain" | bc -l)"
