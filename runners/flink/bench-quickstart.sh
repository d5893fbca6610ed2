#!/usr/bin/env bash
# Wall time of the quickstart (examples/dataset.yaml) side by side: the DirectRunner, Flink's
# embedded mini-cluster ([local]), and a real local cluster (cluster.sh) at parallelism 1 and 2.
# Each run's time is the whole `reelset run` process, JVM start and job submission included.
#
#   runners/flink/bench-quickstart.sh [REST_PORT]     (default 18081)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${1:-18081}"
cd "$root"
scripts/fetch-media.sh >/dev/null
runs="$root/target/bench-runs"; cluster="$root/target/bench-flink-cluster"
rm -rf "$runs"; mkdir -p "$runs"
runners/flink/cluster.sh start "$cluster" "$port" 2 >/dev/null
trap 'runners/flink/cluster.sh stop "$cluster"' EXIT
timed() {
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  scripts/reelset run examples/dataset.yaml --runs-dir "$runs" --run-id "$label" "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  printf '%-28s %6.1f s   %s images\n' "$label" "$(echo "$end - $start" | bc -l)" \
    "$(find "$runs/$label/dataset" -name '*.png' | wc -l)"
}
echo "quickstart wall time, $(nproc) cores"
timed direct
timed flink-local-p2 --runner=FlinkRunner --flinkMaster=[local] --parallelism=2
timed flink-cluster-p1 --runner=FlinkRunner --flinkMaster=localhost:$port --parallelism=1
timed flink-cluster-p2 --runner=FlinkRunner --flinkMaster=localhost:$port --parallelism=2
