#!/usr/bin/env bash
# Benchmarks the clustering Combine (micro-cluster summaries, merge, HDBSCAN, assignment) on
# 10k, 100k and 1M generated embeddings, each in a fresh JVM with the same fixed heap, and reports
# the time of each step, the live heap after summarising and the process's peak RSS. Memory is
# flat when every count finishes in the same small heap with the same live heap.
#
#   scripts/bench-clustering.sh [DIMENSION] [HEAP] [COUNTS...]   (default 128, 128m, 10000 100000 1000000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dimension="${1:-128}"; heap="${2:-128m}"; shift $(( $# > 2 ? 2 : $# )) || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(10000 100000 1000000)
cd "$root"
mvn -B -q test-compile
args="$root/target/bench-classpath.args"
echo "-Xss4m -Xmx$heap -cp $root/target/classes:$root/target/test-classes:$(mvn -B -q dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)" > "$args"
echo "clustering benchmark: $dimension dims, heap $heap, $(nproc) cores"
for n in "${counts[@]}"; do
  /usr/bin/time -f "  peak RSS %M KiB, wall %e s" \
    java @"$args" io.reelset.stages.clustering.ClusteringBench "$n" "$dimension" 8 2>&1 | grep -v '^SLF4J'
done
