#!/usr/bin/env bash
# vxlan.sh: iperf3 between two real ports in two parts of one file, each part a tapnet run of its own, joined
# by VXLAN over a veth underlay (issue 20), beside two kernel namespaces joined by kernel vxlan devices over the
# same kind of underlay, measured in one run. Everything lives in namespaces made here and removed on exit
# (never the root namespace). Figures:
#   kernel-vxlan  namespaces A and B, each a veth end on the underlay (192.168.62.1/.2, MTU 1600) and a vxlan
#                 device (VNI 42, dstport 4789, MTU 1500, offloads as the kernel sets them) with 10.77.0.101/.102
#   tapnet-parts  ports left (part east) and right (part west), 10.77.0.101/.102, each part a `tapnet run FILE
#                 --part NAME` in its own namespace, its underlay socket in PREFIX-east / PREFIX-west, joined
#                 by a veth pair (192.168.62.1/.2, MTU 1600)
#   tapnet-whole  the same two ports in one tapnet run (no VXLAN), for context
# Each figure is ROUNDS samples of SECONDS of iperf3 (TCP, one stream) from .101 to .102, kernel-vxlan and
# tapnet-parts alternating so that load from elsewhere (a shared 2-core machine) falls on both; tapnet-whole
# after them. After the rounds, the underlay's UDP socket buffers: `nstat` UdpRcvbufErrors/UdpSndbufErrors
# in each part's underlay namespace, `ss -uamn` (skmem: rb, tb, d = drops) during a sample, tapnet's own
# counters (vxlan sent/received/unsent) at exit. Prints the machine's load, every sample, then a table of
# medians and the ratio to the kernel; appended to bench/results/DATE-vxlan.log.
# Usage (root; iproute2, iperf3, ethtool, Java 17): bench/vxlan.sh [SECONDS [ROUNDS]]   (default 5 and 3)
#   BENCH_JAR=PATH measures another build of tapnet's jar (an older commit's, say) instead of this tree's.
set -euo pipefail
secs=${1:-5}
rounds=${2:-3}
source "$(dirname "$0")/lib.sh"
jar=${BENCH_JAR:-$jar}
p="bx$$"
parts=()     # the two part runs' pids, stopped before lib.sh removes the namespaces
vxlan_cleanup() {
  # The programs in the ports' namespaces first: a tapnet run removes the namespaces it made as it stops,
  # and a program left in one would be out of reach by name.
  for n in "${owned[@]}"; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  for pid in "${parts[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${parts[@]}"; do wait "$pid" 2>/dev/null || true; done
  bench_cleanup
}
trap vxlan_cleanup EXIT
samples="$work/samples"
: > "$samples"
exec > >(tee -a "$here/results/$(date -u +%F)-vxlan.log")
echo "=== bench/vxlan.sh $secs $rounds, $(date -u +%FT%TZ), $(cd "$top" && git log -1 --format="%h %s" 2>/dev/null | cut -c1-60)"
echo "jar: $jar ($(stat -c %y "$jar" | cut -c1-19))"

underlay() { # first namespace, second namespace: a veth pair u1-u2 between them, 192.168.62.1 and .2, MTU 1600
  ip -n "$1" link add u1 mtu 1600 type veth peer name u2 mtu 1600 netns "$2"
  ip -n "$1" addr add 192.168.62.1/24 dev u1; ip -n "$1" link set u1 up
  ip -n "$2" addr add 192.168.62.2/24 dev u2; ip -n "$2" link set u2 up
  ip -n "$1" link set lo up; ip -n "$2" link set lo up
}

# Kernel reference: A (.101) and B (.102), each with its underlay end and a vxlan device over it.
own ${p}ka ${p}kb
ip netns add ${p}ka; ip netns add ${p}kb
underlay ${p}ka ${p}kb
for side in a:1:2:101 b:2:1:102; do
  IFS=: read -r n local remote addr <<< "$side"
  ip -n ${p}k$n link add vx0 mtu 1500 type vxlan id 42 local 192.168.62.$local remote 192.168.62.$remote \
    dstport 4789 dev u$local
  ip -n ${p}k$n addr add 10.77.0.$addr/24 dev vx0
  ip -n ${p}k$n link set vx0 up
done
echo "kernel vx0 offloads: $(ip netns exec ${p}ka ethtool -k vx0 |
  awk '/^(tx-checksumming|tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):/ {printf "%s%s %s", s, $1, $2; s = ", "}')"

# tapnet: one file, two parts, each playing one port; the underlay namespaces PREFIX-east and PREFIX-west.
cat > "$work/parts.yaml" <<YAML
name: bench-vxlan
tap: { address: 10.77.0.1/24, vxlan: { vni: 42, netns: "${p}-{part}" } }
hosts: { idle: { address: 10.77.0.200 } }   # a topology has hosts; this one takes no part in the figures
ports:
  left: { netns: ${p}l, address: 10.77.0.101 }
  right: { netns: ${p}r, address: 10.77.0.102 }
parts:
  east: { nodes: [left, idle], underlay: 192.168.62.1 }
  west: { nodes: [right], underlay: 192.168.62.2, tap: 10.77.0.2 }
YAML
# The same two ports in one run, without VXLAN: what the parts cost beside a whole run.
sed '/^parts:/,$d; s/, vxlan: .*/ }/' "$work/parts.yaml" > "$work/whole.yaml"
own ${p}-east ${p}-west ${p}e ${p}w ${p}l ${p}r
ip netns add ${p}-east; ip netns add ${p}-west
underlay ${p}-east ${p}-west
for part in east west; do
  TAPNET_JAR="$jar" "$top/tapnet" run "$work/parts.yaml" --part $part --netns ${p}${part:0:1} --no-control \
    > "$work/$part.log" 2>&1 &
  parts+=($!)
done
for part in east west; do
  for _ in $(seq 300); do grep -q "Stop with" "$work/$part.log" && break; sleep 0.1; done
  grep -q "Stop with" "$work/$part.log" || { cat "$work/$part.log" >&2; exit 1; }
done

iperf() { # client namespace, server namespace, seconds: Mbit/s at the receiver, and the sender's retransmits
  ip netns exec "$2" iperf3 -s -1 -D -p 5201 -B 10.77.0.102
  for _ in $(seq 50); do ip netns exec "$2" ss -ltn | grep -q ':5201 ' && break; sleep 0.1; done
  ip netns exec "$1" iperf3 -c 10.77.0.102 -p 5201 -t "$3" -f m |
    awk '/sender/ {r = $(NF-1)} /receiver/ {b = $(NF-2)} END {print b + 0, r + 0}'
}
ip netns exec ${p}ka ping -q -c 3 -i 0.2 -W 2 10.77.0.102 > /dev/null
ip netns exec ${p}l ping -q -c 3 -i 0.2 -W 2 10.77.0.102 > /dev/null
# Warm both up alike (tapnet's JIT starts interpreted).
iperf ${p}ka ${p}kb 2 > /dev/null
iperf ${p}l ${p}r 3 > /dev/null
for n in ${p}-east ${p}-west; do ip netns exec $n nstat -n > /dev/null; done # counts from here on

echo "load: $(uptime)"
for r in $(seq "$rounds"); do
  for t in kernel-vxlan tapnet-parts; do
    if [ $t = tapnet-parts ]; then out=$(iperf ${p}l ${p}r "$secs"); else out=$(iperf ${p}ka ${p}kb "$secs"); fi
    echo "round $r $t: $out" | awk '{printf "%s %s %s %s Mbit/s, retransmits %s\n", $1, $2, $3, $4, $5}'
    echo "$t $out" >> "$samples"
  done
done

# The underlay's UDP sockets: tapnet's in each part, seen during one more sample, and the drops counted since.
ip netns exec ${p}r iperf3 -s -1 -D -p 5202 -B 10.77.0.102; sleep 0.3
ip netns exec ${p}l iperf3 -c 10.77.0.102 -p 5202 -t 3 > /dev/null &
sleep 2
for n in ${p}-east ${p}-west; do
  echo "$n during a sample: $(ip netns exec $n ss -uamn | tr -s ' \n' ' ')"
done
wait $!
for n in ${p}-east ${p}-west; do
  echo "$n since warm-up: $(ip netns exec $n nstat -az UdpInDatagrams UdpOutDatagrams UdpRcvbufErrors UdpSndbufErrors UdpInErrors |
    awk '/^Udp/ {printf "%s%s %s", s, $1, $2; s = ", "}')"
done
echo "net.core.rmem_default $(sysctl -n net.core.rmem_default), rmem_max $(sysctl -n net.core.rmem_max)," \
  "wmem_default $(sysctl -n net.core.wmem_default), wmem_max $(sysctl -n net.core.wmem_max)"
for i in 0 1; do kill -TERM "${parts[$i]}"; wait "${parts[$i]}" 2>/dev/null || true; done
parts=()
for part in east west; do
  echo "tapnet $part counters: $(sed -n '/counters at exit:/,$p' "$work/$part.log" | tail -n +2 |
    awk '$2 != 0 && /(vxlan|drop|frames)/ {printf "%s%s %s", s, $1, $2; s = ", "}')"
done

# Context: the same two ports in one tapnet run.
for n in ${p}l ${p}r; do ip netns del $n 2>/dev/null || true; done
start_tapnet ${p}w "$work/whole.yaml" --no-control
iperf ${p}l ${p}r 3 > /dev/null
for r in $(seq "$rounds"); do
  out=$(iperf ${p}l ${p}r "$secs")
  echo "round $r tapnet-whole: $out" | awk '{printf "%s %s %s %s Mbit/s, retransmits %s\n", $1, $2, $3, $4, $5}'
  echo "tapnet-whole $out" >> "$samples"
done
stop_tapnet
echo "load: $(uptime)"
echo
printf '%-13s %22s %12s %16s\n' target "median Mbit/s" retransmits "ratio to kernel"
for t in kernel-vxlan tapnet-parts tapnet-whole; do
  echo "$t $(awk -v k=$t '$1 == k {print $2}' "$samples" | sort -n |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}') $(
    awk -v k=$t '$1 == k {r += $3} END {print r + 0}' "$samples")"
done | awk '$1 == "kernel-vxlan" {k = $2} {printf "%-13s %22d %12d %15.2fx\n", $1, $2, $3, $2 / k}'
