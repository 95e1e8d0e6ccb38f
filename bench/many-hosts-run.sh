#!/usr/bin/env bash
# many-hosts-run.sh: how tapnet starts and how much memory it holds with N hosts, and whether every one
# answers. For each N: writes the topology (bench/many-hosts.sh N), times `tapnet check`, starts
# `./tapnet run FILE --netns NAME` and times it until it prints "Stop with Ctrl-C", reads the java
# process's VmRSS, sweeps every host with a TCP connect to port 80 and an ICMP echo (bench/sweep.py, from
# inside the namespace), reads VmRSS again, then the heap after a full GC (jcmd GC.run, GC.heap_info).
#
#   bench/many-hosts-run.sh [N ...]                 (root; python3; default N: 10000 50000 100000)
#   TAPNET_JAVA_OPTIONS= bench/many-hosts-run.sh    the JVM's defaults instead of the launcher's options
#   TAPNET_JAR=PATH bench/many-hosts-run.sh         another build's jar (default: cli/target/tapnet.jar)
#
# Everything runs in a namespace of its own (mh<pid>), removed on exit; the hosts are in 10.96.0.0/24 and
# 10.98.0.0/15 there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(10000 50000 100000)
ns="mh$$"
dir=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
jar="${TAPNET_JAR:-$top/cli/target/tapnet.jar}"   # TAPNET_JAR=PATH measures another build
[ -f "$jar" ] || (cd "$top" && mvn -B -q -DskipTests package >/dev/null)
export TAPNET_JAR="$jar"
millis() { echo $(( $(date +%s%N) / 1000000 )); }
rss() { awk '/VmRSS/{printf "%d MB", $2/1024}' "/proc/$pid/status"; }

echo "$(date -u +%FT%TZ) JVM options: ${TAPNET_JAVA_OPTIONS-"the launcher's"}"
for n in "${counts[@]}"; do
  file="$dir/many-$n.yaml"
  "$here/many-hosts.sh" "$n" > "$file"
  t0=$(millis)
  "$top/tapnet" check "$file" > /dev/null
  check=$(( $(millis) - t0 ))

  t0=$(millis)
  "$top/tapnet" run "$file" --netns "$ns" --no-control > "$dir/out" 2>&1 & pid=$!
  for _ in $(seq 1 1200); do grep -q "Stop with" "$dir/out" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  grep -q "Stop with" "$dir/out" || { cat "$dir/out"; exit 1; }
  ready=$(( $(millis) - t0 ))
  at_ready=$(rss)
  tcp=$(ip netns exec "$ns" python3 "$here/sweep.py" tcp 10.98.0.2 "$n" 80 || true)
  icmp=$(ip netns exec "$ns" python3 "$here/sweep.py" icmp 10.98.0.2 "$n" || true)
  after=$(rss)
  jcmd "$pid" GC.run > /dev/null
  # The heap's lines (G1: "garbage-first heap total T, used U"; serial: one line per generation), summed.
  heap=$(jcmd "$pid" GC.heap_info | awk '/ total [0-9]+K, used [0-9]+K/ {
    for (i = 1; i <= NF; i++) { if ($i == "total") t += $(i+1); if ($i == "used") u += $(i+1) } }
    END { printf "%d MB used of %d MB", u / 1024, t / 1024 }')
  echo "$n hosts: check $check ms; ready $ready ms; resident $at_ready when ready, $after after the sweeps;" \
       "${tcp#tcp sweep: } (tcp); ${icmp#icmp sweep: } (icmp); heap after a full GC: $heap"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
