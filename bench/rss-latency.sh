#!/usr/bin/env bash
# rss-latency.sh: does a TAP responder's resident memory set its ping latency on this machine?
# Runs bench/native/pingfloor.c (a C responder: poll, read, write per frame) behind a TAP inside a
# namespace of its own, once per size, with that many MB touched and resident, and pings it: 3000 quick
# warm-up pings, then 1000 at a 10 ms interval; prints median, p99 and max. Then the same for tapnet
# --direct on its default topology, as it comes and lean, with its resident set (VmRSS) beside the figures.
# Usage (root; gcc, iproute2, iputils-ping): bench/rss-latency.sh [MB ...]   (default: 0 30 60 100 200)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(0 30 60 100 200)
bin=$(mktemp -d)
ns="rsslat$$"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  ip netns del $ns 2>/dev/null || true
  ip netns del ${ns}t 2>/dev/null || true
  rm -rf "$bin"
}
trap cleanup EXIT
gcc -O2 -o "$bin/pingfloor" "$here/native/pingfloor.c"

figures() { # ping statistics of 1000 pings at 10 ms from namespace $1 to address $2
  ip netns exec "$1" ping -q -c 3000 -i 0.0005 "$2" >/dev/null
  ip netns exec "$1" ping -c 1000 -i 0.01 "$2" | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
    awk '{v[NR]=$1} END{printf "median %.3f ms, p99 %.3f ms, max %.3f ms (%d replies)", v[int((NR+1)/2)], v[int(NR*0.99+0.999)], v[NR], NR}'
}

for mb in "${sizes[@]}"; do
  ip netns add $ns
  ip netns exec $ns "$bin/pingfloor" t0 "$mb" > "$bin/out" & pid=$!
  for _ in $(seq 1 100); do grep -q ready "$bin/out" 2>/dev/null && break; sleep 0.1; done
  ip -n $ns link set lo up; ip -n $ns link set t0 up; ip -n $ns addr add 10.213.0.1/24 dev t0
  rss=$(awk '/VmRSS/{printf "%d", $2/1024}' /proc/$pid/status)
  echo "pingfloor, $mb MB touched ($rss MB resident): $(figures $ns 10.213.0.2)"
  kill $pid; wait $pid 2>/dev/null || true; pid=""
  ip netns del $ns
done

jar="$top/cli/target/tapnet.jar"
[ -f "$jar" ] || (cd "$top" && mvn -B -q -DskipTests package >/dev/null)
# tapnet twice: as it comes, then lean (1024 connection slots instead of 65536, the serial collector).
sed 's/^seed: .*/&\ntcp: { maxConnections: 1024 }/' "$top/topologies/default.yaml" > "$bin/lean.yaml"
for run in "default|$top/topologies/default.yaml|" "lean|$bin/lean.yaml|-XX:+UseSerialGC"; do
  IFS='|' read -r label topology options <<< "$run"
  java $options -jar "$jar" run --direct --netns ${ns}t "$topology" > "$bin/tapnet.out" 2>&1 & pid=$!
  for _ in $(seq 1 100); do grep -q "Stop with" "$bin/tapnet.out" 2>/dev/null && break; sleep 0.1; done
  java_pid=$(pgrep -f "tapnet.jar run --direct --netns ${ns}t" | head -n 1)
  f=$(figures ${ns}t 10.77.0.10)
  echo "tapnet --direct ($label), $(awk '/VmRSS/{printf "%d MB", $2/1024}' /proc/$java_pid/status) resident: $f"
  kill -TERM $pid; wait $pid 2>/dev/null || true; pid=""
done
