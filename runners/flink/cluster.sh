#!/usr/bin/env bash
# A real local Flink 1.19 session cluster from Maven Central: one JobManager and N TaskManagers,
# each its own JVM on localhost. Only the processes this script started are ever stopped.
#
#   runners/flink/cluster.sh start [DIR] [REST_PORT] [SLOTS]   start, wait until the REST API answers
#                                                             with a TaskManager, print the REST address
#   runners/flink/cluster.sh add-taskmanager [DIR]             start one more TaskManager
#   runners/flink/cluster.sh kill-taskmanager [DIR]            kill -9 the newest TaskManager
#   runners/flink/cluster.sh stop [DIR]                        stop everything started in DIR
#
# DIR (default target/flink-cluster) holds the generated conf, logs and pid files. REST_PORT
# (default 8081) and the RPC ports after it must be free. Each TaskManager has SLOTS slots
# (default 2) and about 3 GiB; FFmpeg and ONNX Runtime are on its classpath, loaded parent-first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-}"; dir="$(mkdir -p "${2:-$here/../../target/flink-cluster}" && cd "${2:-$here/../../target/flink-cluster}" && pwd)"
rest="${3:-8081}"; slots="${4:-2}"
java="${JAVA:-java}"

classpath() {
  local cp="$dir/classpath.txt"
  if [ ! -s "$cp" ] || [ "$here/pom.xml" -nt "$cp" ]; then
    mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp" >&2
  fi
  cat "$cp"
}

write_conf() {
  mkdir -p "$dir/conf" "$dir/log" "$dir/tmp"
  local rpc=$((rest + 1)) blob=$((rest + 2))
  cat > "$dir/conf/flink-conf.yaml" <<CONF
jobmanager.rpc.address: localhost
jobmanager.bind-host: localhost
jobmanager.rpc.port: $rpc
rest.address: localhost
rest.bind-address: localhost
rest.port: $rest
blob.server.port: $blob
taskmanager.host: localhost
taskmanager.bind-host: localhost
taskmanager.rpc.port: 0
taskmanager.data.port: 0
taskmanager.numberOfTaskSlots: $slots
taskmanager.cpu.cores: $slots
parallelism.default: 1
jobmanager.memory.process.size: 1600m
taskmanager.memory.task.heap.size: 1536m
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 512m
taskmanager.memory.network.min: 256m
taskmanager.memory.network.max: 256m
taskmanager.memory.managed.size: 128m
taskmanager.memory.jvm-metaspace.size: 512m
taskmanager.memory.jvm-overhead.min: 256m
taskmanager.memory.jvm-overhead.max: 256m
classloader.parent-first-patterns.additional: org.bytedeco;ai.onnxruntime
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 3
restart-strategy.fixed-delay.delay: 2 s
io.tmp.dirs: $dir/tmp
web.tmpdir: $dir/tmp
heartbeat.timeout: 20000
CONF
  cat > "$dir/conf/log4j.properties" <<'CONF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.name = file
appender.file.type = File
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
CONF
}

start_taskmanager() {
  local n; n=$( (ls "$dir"/taskmanager-*.pid "$dir"/taskmanager-*.pid.killed 2>/dev/null || true) | wc -l)
  local name="taskmanager-$((n + 1))"
  # -Xss4m: ONNX Runtime 1.29 overflows a 1 MB thread stack; heap and direct memory as configured
  nohup "$java" -Xss4m -Xms1664m -Xmx1664m -XX:MaxDirectMemorySize=1024m -XX:MaxMetaspaceSize=512m \
    -Dlog.file="$dir/log/$name.log" -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" \
    -cp "$(classpath)" org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$dir/conf" \
    > "$dir/log/$name.out" 2>&1 &
  echo $! > "$dir/$name.pid"
  echo "$name"
}

rest_port() { sed -n 's/^rest.port: //p' "$dir/conf/flink-conf.yaml"; }

wait_for_taskmanagers() {
  local want="$1" port; port="$(rest_port)"
  for _ in $(seq 1 240); do
    local tms
    tms=$( (curl -fsS "http://localhost:$port/overview" 2>/dev/null || true) | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')
    if [ -n "$tms" ] && [ "$tms" -ge "$want" ]; then
      return 0
    fi
    for pid in "$dir"/jobmanager.pid "$dir"/taskmanager-*.pid; do
      if [ -f "$pid" ] && ! alive "$pid"; then
        local log="$dir/log/$(basename "$pid" .pid).log"
        echo "cluster.sh: $(basename "$pid" .pid) exited; the end of $log:" >&2
        grep -E "ERROR|Caused by" "$log" 2>/dev/null | tail -n 5 >&2 || true
        return 1
      fi
    done
    sleep 0.5
  done
  echo "cluster.sh: no $want TaskManager(s) registered at localhost:$port within 120 s; logs in $dir/log" >&2
  return 1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

case "$cmd" in
  start)
    if alive "$dir/jobmanager.pid"; then
      echo "cluster.sh: a cluster started from $dir is running already (stop it first)" >&2; exit 2
    fi
    rm -f "$dir"/*.pid
    write_conf
    nohup "$java" -Xms1g -Xmx1g -Dlog.file="$dir/log/jobmanager.log" \
      -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" -cp "$(classpath)" \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$dir/conf" \
      --executionMode cluster > "$dir/log/jobmanager.out" 2>&1 &
    echo $! > "$dir/jobmanager.pid"
    start_taskmanager >/dev/null
    wait_for_taskmanagers 1
    echo "localhost:$rest"
    ;;
  add-taskmanager)
    start_taskmanager
    ;;
  kill-taskmanager)
    newest=$(ls -t "$dir"/taskmanager-*.pid 2>/dev/null | head -n 1 || true)
    if [ -z "$newest" ] || ! alive "$newest"; then
      echo "cluster.sh: no running TaskManager started from $dir" >&2; exit 1
    fi
    kill -9 "$(cat "$newest")"
    mv "$newest" "$newest.killed"
    echo "killed $(basename "$newest" .pid)"
    ;;
  stop)
    for pid in "$dir"/taskmanager-*.pid "$dir"/jobmanager.pid; do
      if alive "$pid"; then
        kill "$(cat "$pid")" 2>/dev/null || true
        for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
        alive "$pid" && kill -9 "$(cat "$pid")" 2>/dev/null || true
      fi
      rm -f "$pid"
    done
    ;;
  *)
    sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
