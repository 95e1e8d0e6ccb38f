#!/usr/bin/env bash
# e2e.sh: tapnet beside the kernel, measured in one run, all inside network namespaces this script makes
# and removes (never the root namespace). Figures, each printed as one line:
#   kernel-veth / tapnet  conn/s with 64 connections in flight, closed with RST and with FIN
#   kernel-veth / tapnet  bulk goodput of one connection to a discard service (1 GB, then 500 MB)
#   kernel-veth / tapnet  ping round trip, median and 99th percentile of 200 pings
#   tap-floor             conn/s of tapsyn, the lab's stateless C responder behind a TAP (the least any
#                         TAP-backed engine pays: one read and one write per frame), and the ping round
#                         trip of pingfloor (bench/native/pingfloor.c), a C responder answering ICMP echo
#                         behind a TAP the same way
#   tapnet                CPU time it used for each figure and over 5 s without traffic, and its TCP
#                         counters at the end
# The clients are the lab's (connbench.c, bulksend.c, acceptor.c, discard.c from ../shared/lab, or
# $TAPNET_LAB): the same programs that measure the kernel, the C floor and the peers. tapnet's host serves
# port 7000 as acceptor does (accept, then close at once: a banner of no text that closes), so that with
# FIN close the same side closes first in both, and port 9 as discard does.
# Usage (root; gcc, iproute2, iputils-ping; iperf3 optional): bench/e2e.sh [SECONDS]
# TAPNET_RUN_ARGS adds options to `tapnet run` (e.g. "--direct"); the figures are labelled with them.
set -euo pipefail
secs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
lab=${TAPNET_LAB:-$top/../shared/lab}
[ -f "$lab/connbench.c" ] || { echo "e2e.sh: the lab clients are not at $lab (set TAPNET_LAB)" >&2; exit 1; }

bin=$(mktemp -d)
for t in connbench bulksend acceptor discard tapsyn; do gcc -O2 -o "$bin/$t" "$lab/$t.c"; done
gcc -O2 -o "$bin/pingfloor" "$here/native/pingfloor.c"
jar="$top/cli/target/tapnet.jar"
[ -f "$jar" ] || (cd "$top" && mvn -B -q -DskipTests package >/dev/null)

ns="e2e$$"
tapnet_pid=""
cleanup() {
  [ -n "$tapnet_pid" ] && kill "$tapnet_pid" 2>/dev/null && wait "$tapnet_pid" 2>/dev/null || true
  for n in ${ns}c ${ns}s ${ns}t ${ns}f ${ns}p; do
    ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del $n 2>/dev/null || true
  done
  rm -rf "$bin"
}
trap cleanup EXIT

# Kernel to kernel over a veth pair: client 10.205.0.1, server 10.205.0.2.
ip netns add ${ns}c; ip netns add ${ns}s; ip netns add ${ns}t; ip netns add ${ns}f; ip netns add ${ns}p
ip link add vc$$ type veth peer name vs$$ netns ${ns}s
ip link set vc$$ netns ${ns}c
ip -n ${ns}c addr add 10.205.0.1/24 dev vc$$; ip -n ${ns}c link set vc$$ up; ip -n ${ns}c link set lo up
ip -n ${ns}s addr add 10.205.0.2/24 dev vs$$; ip -n ${ns}s link set vs$$ up; ip -n ${ns}s link set lo up
for n in ${ns}c ${ns}t ${ns}f; do
  ip netns exec $n sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
done
ip netns exec ${ns}s "$bin/acceptor" 7000 & sleep 0.2
ip netns exec ${ns}s "$bin/discard" 9 & sleep 0.2

# The floor: tapsyn behind a TAP, kernel side 10.207.0.1, answering 10.207.0.2.
ip netns exec ${ns}f "$bin/tapsyn" t0 2>/dev/null & sleep 0.3
ip -n ${ns}f link set t0 up; ip -n ${ns}f link set lo up; ip -n ${ns}f addr add 10.207.0.1/24 dev t0

# The ping floor: pingfloor behind a TAP, kernel side 10.208.0.1, answering 10.208.0.2.
ip netns exec ${ns}p "$bin/pingfloor" p0 0 > /dev/null & sleep 0.3
ip -n ${ns}p link set p0 up; ip -n ${ns}p link set lo up; ip -n ${ns}p addr add 10.208.0.1/24 dev p0

# tapnet: kernel side 10.206.0.1, one virtual host 10.206.0.2 with the same two services.
topology="$bin/bench.yaml"
cat > "$topology" <<YAML
name: e2e
tap: { device: tapnet0, address: 10.206.0.1/24 }
tcp: { timeWait: 1s }
hosts:
  bench:
    address: 10.206.0.2
    services:
      - { port: 7000, banner: { text: "", close: true } }
      - { port: 9, discard: {} }
YAML
# As users run it: through the launcher (its JVM options), the jar as built.
TAPNET_JAR="$jar" "$top/tapnet" run ${TAPNET_RUN_ARGS:-} --netns ${ns}t "$topology" > "$bin/tapnet.out" 2>&1 &
tapnet_pid=$!
for _ in $(seq 1 100); do grep -q "Stop with" "$bin/tapnet.out" 2>/dev/null && break; sleep 0.1; done
grep -q "Stop with" "$bin/tapnet.out" || { cat "$bin/tapnet.out" >&2; exit 1; }
java_pid=$(pgrep -f "tapnet.jar run.*--netns ${ns}t" | head -n 1)
ip netns exec ${ns}t ping -q -c 3 -i 0.2 10.206.0.2 >/dev/null
ip netns exec ${ns}c ping -q -c 3 -i 0.2 10.205.0.2 >/dev/null
# Warm tapnet's JIT up before any figure is taken (a JVM starts interpreted).
ip netns exec ${ns}t "$bin/connbench" 10.206.0.2 7000 64 3 >/dev/null
ip netns exec ${ns}t "$bin/connbench" 10.206.0.2 7000 64 2 fin >/dev/null
ip netns exec ${ns}t "$bin/bulksend" 10.206.0.2 9 200000000 >/dev/null
ip netns exec ${ns}t ping -q -c 5000 -i 0.0002 10.206.0.2 >/dev/null
ip netns exec ${ns}p ping -q -c 500 -i 0.001 10.208.0.2 >/dev/null

cpu() { awk '{print $14 + $15}' "/proc/$java_pid/stat"; }
hz=$(getconf CLK_TCK)
with_cpu() { # runs a tapnet figure and appends the CPU seconds tapnet used for it
  local before after out
  before=$(cpu); out=$("$@"); after=$(cpu)
  echo "$out [tapnet cpu $(awk -v a="$after" -v b="$before" -v hz="$hz" 'BEGIN{printf "%.2f s", (a-b)/hz}')]"
}
rtt() { # median and p99 of 200 pings
  sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
    awk '{v[NR]=$1} END{if(NR==0){print "no replies"; exit}
         m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; p=int(NR*0.99+0.999);
         printf "median %.3f ms, p99 %.3f ms (%d/200 replies)", m, v[p], NR}'
}

echo "$(date -u +%FT%TZ) tapnet run ${TAPNET_RUN_ARGS:-(defaults)}"
for mode in RST FIN; do
  m=$([ $mode = FIN ] && echo fin || echo "")
  echo "kernel-veth conn/s ($mode close, 64 in flight): $(ip netns exec ${ns}c "$bin/connbench" 10.205.0.2 7000 64 "$secs" $m)"
  echo "tapnet      conn/s ($mode close, 64 in flight): $(with_cpu ip netns exec ${ns}t "$bin/connbench" 10.206.0.2 7000 64 "$secs" $m)"
done
echo "tap-floor   conn/s (RST close, 64 in flight): $(ip netns exec ${ns}f "$bin/connbench" 10.207.0.2 7000 64 "$secs")"
echo "kernel-veth bulk to discard (1 GB): $(ip netns exec ${ns}c "$bin/bulksend" 10.205.0.2 9 1000000000)"
echo "tapnet      bulk to discard (500 MB): $(with_cpu ip netns exec ${ns}t "$bin/bulksend" 10.206.0.2 9 500000000)"
if command -v iperf3 >/dev/null; then
  ip netns exec ${ns}s iperf3 -s -1 -D -p 5201; sleep 0.3
  echo "kernel-veth iperf3: $(ip netns exec ${ns}c iperf3 -c 10.205.0.2 -p 5201 -t "$secs" | grep receiver)"
fi
echo "kernel-veth ping RTT (ping -c 200 -i 0.01): $(ip netns exec ${ns}c ping -c 200 -i 0.01 -W 2 10.205.0.2 | rtt)"
echo "tapnet      ping RTT (ping -c 200 -i 0.01): $(ip netns exec ${ns}t ping -c 200 -i 0.01 -W 2 10.206.0.2 | rtt)"
echo "tap-floor   ping RTT (ping -c 200 -i 0.01): $(ip netns exec ${ns}p ping -c 200 -i 0.01 -W 2 10.208.0.2 | rtt)"

sleep 1; before=$(cpu); sleep 5; after=$(cpu)
echo "tapnet      idle CPU (5 s without traffic): $(awk -v a="$after" -v b="$before" -v hz="$hz" 'BEGIN{printf "%.2f s", (a-b)/hz}')"
kill -TERM "$tapnet_pid"; wait "$tapnet_pid" 2>/dev/null || true; tapnet_pid=""
echo "tapnet counters: $(sed -n '/counters at exit:/,$p' "$bin/tapnet.out" | tail -n +2 | tr -s ' ' | tr '\n' ',' | sed 's/^ //; s/,$//')"
