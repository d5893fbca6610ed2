#!/usr/bin/env bash
# Benchmarks what a bundle costs the DirectRunner with reelset's copies of two of its classes
# (src/main/java/org/apache/beam/runners/direct) and with Beam's own, alternating: one-element
# bundles through a ParDo whose DoFn carries PAYLOAD bytes (a stage's DoFn carries its settings),
# one worker, the JVM options of scripts/reelset; medians of RUNS.
#
#   scripts/bench-bundles.sh [BUNDLES] [PAYLOAD] [RUNS]   (default 1000 bundles, 2000 bytes, 3 runs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${1:-1000}"; payload="${2:-2000}"; runs="${3:-3}"
cd "$root"
mvn -B -q test-compile
deps=$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
direct=$(tr ':' '\n' <<< "$deps" | grep '/beam-runners-direct-java-' | head -1)
source scripts/lib/jit.sh
jvm=(-Xss4m -XX:+UseParallelGC "${jit[@]}") # as scripts/reelset runs the JVM
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$root/target/bench-bundles-reelset.txt"; : > "$root/target/bench-bundles-beam.txt"
for i in $(seq "$runs"); do
  for which in reelset beam; do
    if [ "$which" = reelset ]; then cp="$root/target/classes:$root/target/test-classes:$deps"
    else cp="$direct:$root/target/classes:$root/target/test-classes:$deps"; fi # Beam's classes first
    echo "-cp $cp" > "$root/target/bench-bundles.args"
    out=$(java "${jvm[@]}" @"$root/target/bench-bundles.args" io.reelset.kit.BundleOverheadBench "$bundles" "$payload" 2>/dev/null)
    echo "$which: $out"
    sed -n -E 's/.*, ([0-9.]+) ms a bundle/\1/p' <<< "$out" >> "$root/target/bench-bundles-$which.txt"
  done
done
printf 'ms a one-element bundle, DoFn of %s bytes, medians of %s: reelset %s, Beam %s\n' "$payload" "$runs" \
  "$(median < "$root/target/bench-bundles-reelset.txt")" "$(median < "$root/target/bench-bundles-beam.txt")"
