#!/usr/bin/env bash
# connections.sh: N TCP connections (default 150,000) held open at once from the kernel to one virtual
# host, then closed; tapnet's count beside the kernel's, in a namespace made here and removed on exit.
# Prints: how many the kernel saw established and how long opening took (bench/connections.py, from 4
# local addresses), tapnet's tcp_connections_opened and its connection table then, the kernel's
# established sockets (ss), and after the close, tapnet's opened and closed counts, which must agree.
# Needs root, iproute2 (ss), python3, Java 17.
# Usage: bench/connections.sh [N]
set -euo pipefail
n=${1:-150000}
source "$(dirname "$0")/lib.sh"
ns="cn$$"
cat > "$work/c.yaml" <<YAML
name: connections
tap: { address: 10.212.0.1/24 }
tcp: { maxConnections: $((n + n / 4)), buffer: 4KiB, timeWait: 1s }
hosts:
  server: { address: 10.212.0.10, services: [ { port: 9, discard: {} } ] }
YAML
start_tapnet $ns "$work/c.yaml" --control "$work/ctl.sock"
for a in 2 3 4 5; do ip -n $ns addr add 10.212.0.$a/24 dev tapnet0; done
ip netns exec $ns sysctl -q -w net.ipv4.ip_local_port_range="1024 65535"
ctl() { TAPNET_JAR="$jar" "$top/tapnet" ctl --socket "$work/ctl.sock" "$@"; }

# Several clients: one process may hold only as many sockets as its open-file limit allows.
limit=$(( $(ulimit -n) - 100 ))
clients=$(( (n + limit - 1) / limit ))
for c in $(seq $clients); do
  share=$(( n / clients + (c <= n % clients ? 1 : 0) ))
  ip netns exec $ns python3 "$here/connections.py" 10.212.0.10 9 $share "$work/close" \
    10.212.0.2 10.212.0.3 10.212.0.4 10.212.0.5 > "$work/client-$c.log" 2>&1 &
done
for _ in $(seq 600); do [ "$(cat "$work"/client-*.log 2>/dev/null | grep -c established)" = $clients ] && break; sleep 0.5; done
echo "kernel clients ($clients): $(cat "$work"/client-*.log | awk '/established/ {e += $2; f += $9; if ($6 > t) t = $6} END {printf "established %d of '$n', the slowest in %.1f s, failed %d", e, t, f}')"
echo "kernel, established sockets (ss): $(ip netns exec $ns ss -Htn state established '( dport = :9 )' | wc -l)"
echo "tapnet: tcp_connections_opened $(counter tcp_connections_opened), drops $(ctl counters | grep '^drop' | tr '\n' ' ')"
echo "TAP queue ($(ip -n $ns link show tapnet0 | grep -o 'qlen [0-9]*')): $(ip -n $ns -s link show tapnet0 | awk '/TX:/ {getline; print $4}') frames dropped before tapnet read them"
touch "$work/close" # let the clients close them all
for _ in $(seq 120); do [ "$(cat "$work"/client-*.log | grep -c closed)" = $clients ] && break; sleep 0.5; done
for _ in $(seq 60); do # the FIN handshakes
  [ "$(counter tcp_connections_closed)" = "$(counter tcp_connections_opened)" ] && break; sleep 1
done
echo "after the close: tapnet tcp_connections_opened $(counter tcp_connections_opened), tcp_connections_closed $(counter tcp_connections_closed), tcp_connections_reset $(counter tcp_connections_reset)"
echo "tapnet resident: $(awk '/VmRSS/{printf "%d MB", $2/1024}' /proc/$tapnet_pid/status)"
