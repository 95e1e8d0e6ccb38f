#!/usr/bin/env bash
# dns.sh: DNS answers per second, tapnet beside dnsmasq, measured in one run by dnsperf with the same
# queries, all inside network namespaces this script makes and removes (never the root namespace).
#   dnsmasq  serves web.shop.test and 200 more names from a namespace of its own behind veth
#   tapnet   serves the same names from its topology's dns: server, behind its TAP
# Usage (root; dnsperf, dnsmasq-base, iproute2): bench/dns.sh [SECONDS]
set -euo pipefail
secs=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
jar="$top/cli/target/tapnet.jar"
[ -f "$jar" ] || (cd "$top" && mvn -B -q -DskipTests package >/dev/null)
for tool in dnsperf dnsmasq; do command -v $tool >/dev/null || { echo "dns.sh: $tool is missing" >&2; exit 1; }; done

ns="dns$$"; work=$(mktemp -d); tapnet_pid=""
cleanup() {
  [ -n "$tapnet_pid" ] && kill "$tapnet_pid" 2>/dev/null && wait "$tapnet_pid" 2>/dev/null || true
  for n in ${ns}c ${ns}m ${ns}t; do ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del $n 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The names both serve: web and 200 hosts h0..h199, under shop.test.
{ echo "10.77.0.10 web.shop.test"; for i in $(seq 0 199); do echo "10.77.1.$((i % 250)) h$i.shop.test"; done; } > "$work/hosts"
{ echo "web.shop.test A"; for i in $(seq 0 199); do echo "h$i.shop.test A"; done; } > "$work/queries"

# dnsmasq behind veth: client 10.209.0.1, server 10.209.0.2.
ip netns add ${ns}c; ip netns add ${ns}m; ip netns add ${ns}t
ip link add vc$$ type veth peer name vm$$ netns ${ns}m
ip link set vc$$ netns ${ns}c
ip -n ${ns}c addr add 10.209.0.1/24 dev vc$$; ip -n ${ns}c link set vc$$ up; ip -n ${ns}c link set lo up
ip -n ${ns}m addr add 10.209.0.2/24 dev vm$$; ip -n ${ns}m link set vm$$ up; ip -n ${ns}m link set lo up
ip netns exec ${ns}m dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$work/hosts" \
  --local=/shop.test/ --listen-address=10.209.0.2 --bind-interfaces --cache-size=1000 --log-facility=/dev/null \
  --user=root --pid-file="$work/dnsmasq.pid" &
sleep 0.5

# tapnet: the same names from its dns: server at 10.77.0.53.
{
  echo "name: dnsbench"
  echo "tap: { address: 10.77.0.1/16 }"
  echo "hosts:"
  echo "  web: { address: 10.77.0.10 }"
  echo "dns:"
  echo "  address: 10.77.0.53"
  echo "  domain: shop.test"
  echo "  records:"
  for i in $(seq 0 199); do echo "    - { name: h$i, type: A, value: 10.77.1.$((i % 250)) }"; done
} > "$work/dns.yaml"
TAPNET_JAR="$jar" "$top/tapnet" run --netns ${ns}t "$work/dns.yaml" > "$work/tapnet.out" 2>&1 &
tapnet_pid=$!
for _ in $(seq 1 100); do grep -q "Stop with" "$work/tapnet.out" 2>/dev/null && break; sleep 0.1; done
grep -q "Stop with" "$work/tapnet.out" || { cat "$work/tapnet.out" >&2; exit 1; }
java_pid=$(pgrep -f "tapnet.jar run --netns ${ns}t" | grep -v "^$$\$" | head -n 1)

perf() { # namespace, server: queries per second, lost, average latency
  ip netns exec "$1" dnsperf -s "$2" -d "$work/queries" -l "$secs" -c 4 -Q 1000000 -q 200 2>&1 |
    awk '/Queries per second/ {qps=$4} /Queries lost/ {lost=$3} /Average Latency/ {lat=$4}
         /Response codes/ {sub(/^ *Response codes: */, ""); codes=$0}
         END {printf "%.0f answers/s, lost %s, average latency %.3f ms, %s", qps, lost, lat * 1000, codes}'
}
ip netns exec ${ns}t dnsperf -s 10.77.0.53 -d "$work/queries" -l 2 -q 200 >/dev/null 2>&1 # JIT warm-up
cpu() { awk '{print $14 + $15}' "/proc/$java_pid/stat"; }
echo "$(date -u +%FT%TZ) dnsperf -l $secs -c 4 -q 200, 201 names"
for round in 1 2; do
  echo "dnsmasq (veth) round $round: $(perf ${ns}c 10.209.0.2)"
  before=$(cpu)
  echo "tapnet  (TAP)  round $round: $(perf ${ns}t 10.77.0.53) [tapnet cpu $(awk -v a="$(cpu)" -v b="$before" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f s", (a-b)/hz}')]"
done
kill -TERM "$tapnet_pid"; wait "$tapnet_pid" 2>/dev/null || true; tapnet_pid=""
echo "tapnet counters: $(grep -E "^  dns_" "$work/tapnet.out" | tr -s ' ' | tr '\n' ',' | sed 's/^ //; s/,$//')"
