#!/usr/bin/env bash
# ipv6.sh: handshakes per second over IPv6, tapnet beside the kernel over veth, measured in one run (and
# over IPv4 the same way, for the ratio's context), all inside network namespaces this script makes and
# removes (never the root namespace). Figures, each with 64 connections in flight, closed with RST and
# with FIN as e2e.sh closes them:
#   kernel-veth  a kernel client to a kernel listener over a veth pair (fd78::2, 10.210.0.2)
#   tapnet       a kernel client through tapnet's TAP to a virtual host (fd77::10, 10.206.0.2)
# Each figure is ROUNDS samples of SECONDS, alternating between kernel-veth and tapnet so that load from
# elsewhere (a shared 2-core machine) falls on both; the table gives each one's median and their ratio.
# Each family gets namespaces and a tapnet run of its own, both targets warmed alike, RST then FIN: with
# both in one pair, the family whose FIN figure came second lost to the other by a fifth to a half (the
# client's TIME-WAIT sockets, 60 s, left by the first, most likely; BENCHMARKS.md).
# The clients are bench/native/connbench.c and acceptor.c, copies of the lab's with an IPv6 option (same
# measurement, same output); tapnet's port 7000 answers as acceptor does (a banner of no text that closes).
# Prints the machine's load, every sample, tapnet's counters, then a table: target, family, close, median
# handshakes/s, errors, ratio to the kernel of the same family and close; appended to
# bench/results/DATE-ipv6.log.
# Usage (root; gcc, iproute2, iputils-ping): bench/ipv6.sh [SECONDS [ROUNDS]]   (default 1 and 5)
set -euo pipefail
secs=${1:-1}
rounds=${2:-5}
source "$(dirname "$0")/lib.sh"
for t in connbench acceptor; do gcc -O2 -o "$work/$t" "$here/native/$t.c"; done
cat > "$work/ipv6.yaml" <<YAML
name: ipv6
tap: { device: tapnet0, address: 10.206.0.1/24, address6: fd77::1/64 }
tcp: { timeWait: 1s }
hosts:
  bench:
    address: 10.206.0.2
    address6: fd77::10
    services:
      - { port: 7000, banner: { text: "", close: true } }
YAML
samples="$work/samples"
: > "$samples"
exec > >(tee -a "$here/results/$(date -u +%F)-ipv6.log")
echo "=== bench/ipv6.sh $secs $rounds, $(date -u +%FT%TZ), $(cd "$top" && git log -1 --format="%h %s" 2>/dev/null | cut -c1-60)"

measure() { # family (IPv6 or IPv4): namespaces and a tapnet run of its own, then its four figures
  local family=$1 ns="v6$$${1: -1}" kernel target
  if [ "$family" = IPv6 ]; then kernel=fd78::2; target=fd77::10; else kernel=10.210.0.2; target=10.206.0.2; fi
  own ${ns}c ${ns}s
  # Kernel to kernel over a veth pair: client fd78::1 and 10.210.0.1, server fd78::2 and 10.210.0.2.
  # nodad: the addresses are usable at once (no duplicate address detection to wait for).
  ip netns add ${ns}c; ip netns add ${ns}s
  ip link add vc$$ type veth peer name vs$$ netns ${ns}s
  ip link set vc$$ netns ${ns}c
  ip -n ${ns}c addr add 10.210.0.1/24 dev vc$$; ip -n ${ns}c -6 addr add fd78::1/64 dev vc$$ nodad
  ip -n ${ns}s addr add 10.210.0.2/24 dev vs$$; ip -n ${ns}s -6 addr add fd78::2/64 dev vs$$ nodad
  for n in ${ns}c ${ns}s; do ip -n $n link set lo up; done
  ip -n ${ns}c link set vc$$ up; ip -n ${ns}s link set vs$$ up
  ip netns exec ${ns}s "$work/acceptor" 7000 $([ "$family" = IPv6 ] && echo 6) &
  sleep 0.3

  # tapnet: kernel side 10.206.0.1 and fd77::1, one virtual host 10.206.0.2 and fd77::10.
  start_tapnet ${ns}t "$work/ipv6.yaml" --control "$work/ctl.sock"
  # A run that does not yet give the TAP's kernel side its address6 gets it here (nodad, as on the veth).
  if ! ip -n ${ns}t -6 addr show dev tapnet0 | grep -q 'inet6 fd77::1/64'; then
    echo "($family run: tapnet0 had no fd77::1/64 from tapnet: added by ipv6.sh)"
    ip -n ${ns}t -6 addr add fd77::1/64 dev tapnet0 nodad
  fi
  for n in ${ns}c ${ns}t; do
    ip netns exec $n sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
  done
  ip netns exec ${ns}c ping -q -c 3 -i 0.2 -W 2 $kernel > /dev/null
  ip netns exec ${ns}t ping -q -c 3 -i 0.2 -W 2 $target > /dev/null
  # Warm tapnet's JIT up before any figure is taken (a JVM starts interpreted), as e2e.sh does; the kernel
  # the same way, so that both clients start their figures with the same TIME-WAIT sockets behind them.
  ip netns exec ${ns}t "$work/connbench" $target 7000 64 3 > /dev/null
  ip netns exec ${ns}t "$work/connbench" $target 7000 64 2 fin > /dev/null
  ip netns exec ${ns}c "$work/connbench" $kernel 7000 64 3 > /dev/null
  ip netns exec ${ns}c "$work/connbench" $kernel 7000 64 2 fin > /dev/null

  echo "load: $(uptime)"
  local close t r out
  for close in RST FIN; do
    # Samples alternate between the two targets, so that a burst of load from elsewhere falls on both.
    for r in $(seq "$rounds"); do
      for t in kernel-veth tapnet; do
        if [ $t = tapnet ]; then out=$(ip netns exec ${ns}t "$work/connbench" $target 7000 64 "$secs" $([ $close = FIN ] && echo fin))
        else out=$(ip netns exec ${ns}c "$work/connbench" $kernel 7000 64 "$secs" $([ $close = FIN ] && echo fin)); fi
        echo "$t $family $close $(sed 's/.*= \([0-9]*\) conn\/s, errors \([0-9]*\).*/\1 \2/' <<< "$out")" >> "$samples"
      done
    done
    for t in kernel-veth tapnet; do
      printf '%-11s %s %s close, conn/s:%s\n' $t $family $close "$(awk -v k="$t $family $close" \
        '$1 " " $2 " " $3 == k {printf " %d", $4; e += $5} END {printf " (errors %d)", e}' "$samples")"
    done
  done
  echo "tapnet counters ($family run): $(TAPNET_JAR="$jar" "$top/tapnet" ctl --socket "$work/ctl.sock" counters |
    awk '$2 != 0 && /^(tcp_conn|tcp_seg|frames|drop|ndp|icmpv6)/ {printf "%s%s %s", s, $1, $2; s = ", "}')"
  stop_tapnet
  for n in ${ns}c ${ns}s; do
    ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del $n
  done
}
measure IPv6
measure IPv4
echo "load: $(uptime)"
echo
printf '%-12s %-7s %-6s %20s %8s %16s\n' target family close "median handshakes/s" errors "ratio to kernel"
for key in "IPv6 RST" "IPv6 FIN" "IPv4 RST" "IPv4 FIN"; do
  for t in kernel-veth tapnet; do
    echo "$t $key $(awk -v k="$t $key" '$1 " " $2 " " $3 == k {print $4}' "$samples" | sort -n |
      awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}') $(
      awk -v k="$t $key" '$1 " " $2 " " $3 == k {e += $5} END {print e + 0}' "$samples")"
  done
done | awk '$1 == "kernel-veth" {k = $4} {printf "%-12s %-7s %-6s %20d %8d %15.2fx\n", $1, $2, $3, $4, $5, $4 / k}'
