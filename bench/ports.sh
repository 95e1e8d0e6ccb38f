#!/usr/bin/env bash
# ports.sh: two real ports through tapnet beside the lab's references for two real ports, in one run.
#   ../shared/lab/realports.sh : kernel bridge, tapfwd (a plain TAP-to-TAP copy), tapfwd with offloads
#   tapnet                     : two ports (TAPs in namespaces a and c) on tapnet's segment, perfect links,
#                                as ./tapnet runs by default (the reader thread runs the engine)
#   tapnet --ring              : the same, the engine on a thread of its own behind the ring
#   tapnet, 100 Mbit/s link    : the default again, port c's link limited to 100 Mbit/s (a link that acts
#                                on wire frames: offloaded frames are cut up before it)
# For each: iperf3 throughput a->c and ping RTT median/p99 (ping -c 200 -i 0.01), as realports.sh measures.
# Everything runs in namespaces made here and removed on exit. Needs root, gcc, iproute2, iperf3, Java 17.
# Usage: bench/ports.sh [SECONDS]   (default 5)
set -euo pipefail
secs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
lab=${LAB:-$root/../shared/lab}
p="bp$$"
work=$(mktemp -d)
tapnet_pid=""
cleanup() {
  [ -n "$tapnet_pid" ] && { kill -TERM "$tapnet_pid" 2>/dev/null || true; wait "$tapnet_pid" 2>/dev/null || true; }
  for n in ${p}t ${p}a ${p}c; do
    ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del $n 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== references (realports.sh, $secs s each)"
if [ -x "$lab/realports.sh" ] || [ -f "$lab/realports.sh" ]; then
  bash "$lab/realports.sh" "$secs"
else
  echo "no $lab/realports.sh: references skipped"
fi

cat > "$work/ports.yaml" <<YAML
name: bench-ports
tap: { address: 10.203.0.254/24 }
hosts:
  idle: { address: 10.203.0.200 }
ports:
  a: { netns: ${p}a, address: 10.203.0.1 }
  c: { netns: ${p}c, address: 10.203.0.2 }
YAML

measure() { # name
  local name=$1
  ip netns exec ${p}c iperf3 -s -1 -D -p 5201; sleep 0.3
  local bw rtt
  bw=$(ip netns exec ${p}a iperf3 -c 10.203.0.2 -p 5201 -t "$secs" -f m | awk '/receiver/{print $(NF-2)" "$(NF-1)}')
  rtt=$(ip netns exec ${p}a ping -c 200 -i 0.01 -W 2 10.203.0.2 |
    sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
    awk '{v[NR]=$1} END{if(NR==0){print "no replies"; exit}
         m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; p=int(NR*0.99+0.999);
         printf "ping median %.3f ms, p99 %.3f ms", m*1, v[p]}')
  echo "$name: iperf3 $bw, $rtt"
}

sed 's/^ports:/links:\n  - { between: [tap, c], rate: 100mbit }\nports:/' "$work/ports.yaml" > "$work/ports-100mbit.yaml"
[ -f "$root/cli/target/tapnet.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >/dev/null)
for mode in default ring 100mbit; do
  file="$work/ports.yaml"; flag=""; name=tapnet
  [ $mode = ring ] && { flag="--ring"; name="tapnet --ring"; }
  [ $mode = 100mbit ] && { file="$work/ports-100mbit.yaml"; name="tapnet, 100 Mbit/s link"; }
  TAPNET_JAR="$root/cli/target/tapnet.jar" "$root/tapnet" run "$file" --netns ${p}t --no-control $flag > "$work/tapnet.log" 2>&1 &
  tapnet_pid=$!
  for _ in $(seq 300); do grep -q "Stop with Ctrl-C" "$work/tapnet.log" && break; sleep 0.1; done
  grep -q "Stop with Ctrl-C" "$work/tapnet.log" || { cat "$work/tapnet.log"; exit 1; }
  # Warm the JIT up first, as the references need none.
  ip netns exec ${p}c iperf3 -s -1 -D -p 5201; sleep 0.3
  ip netns exec ${p}a iperf3 -c 10.203.0.2 -p 5201 -t 2 > /dev/null
  ip netns exec ${p}a ping -q -c 500 -i 0.002 10.203.0.2 > /dev/null
  measure "$name"
  kill -TERM "$tapnet_pid"; wait "$tapnet_pid" 2>/dev/null || true; tapnet_pid=""
done
