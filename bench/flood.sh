#!/usr/bin/env bash
# flood.sh: a SYN flood (hping3 --flood --rand-source) at a web server while 1,000 curls run, for tapnet
# and for the kernel in the same run, all inside namespaces made here and removed on exit:
#   kernel : nginx in namespace s, reached over a veth pair from namespace c (10.209.0.2)
#   tapnet : a virtual host with http on 80 behind tapnet's TAP in namespace t (10.210.0.10)
# For each: the curls that succeeded within 5 s and their time to a whole answer (p50, p99), 20 pings
# under the flood, the flood's packets sent and, through a TAP, how many the TAP's queue dropped before
# anyone could read them; the same flood at tapsyn (the lab's stateless C responder behind a TAP) gives
# that drop for the least a TAP reader pays per frame. tapnet's counters last. Curls run 20 at a time; the
# flood and every curl are bounded in time. Needs root, gcc, iproute2, hping3, curl, nginx, Java 17.
# Usage: bench/flood.sh [CURLS]   (default 1000)
set -euo pipefail
curls=${1:-1000}
source "$(dirname "$0")/lib.sh"
for c in hping3 curl nginx ip; do command -v $c >/dev/null || { echo "flood.sh: $c missing" >&2; exit 1; }; done
ns="fl$$"
own ${ns}c ${ns}s ${ns}f
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; bench_cleanup' EXIT

# The kernel: nginx over veth, SYN cookies on (the default), its defaults otherwise.
ip netns add ${ns}c; ip netns add ${ns}s
ip link add vc$$ type veth peer name vs$$ netns ${ns}s
ip link set vc$$ netns ${ns}c
ip -n ${ns}c addr add 10.209.0.1/24 dev vc$$; ip -n ${ns}c link set vc$$ up; ip -n ${ns}c link set lo up
ip -n ${ns}s addr add 10.209.0.2/24 dev vs$$; ip -n ${ns}s link set vs$$ up; ip -n ${ns}s link set lo up
mkdir -p "$work/html" "$work/nginx"
echo "hello" > "$work/html/index.html"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 10.209.0.2:80 backlog=4096; root $work/html; }
}
CONF
ip netns exec ${ns}s nginx -c "$work/nginx.conf"

# tapnet: one virtual host with http on 80.
cat > "$work/flood.yaml" <<YAML
name: flood
tap: { address: 10.210.0.1/24 }
hosts:
  web: { address: 10.210.0.10, services: [ { port: 80, http: { body: "hello\n" } } ] }
YAML
start_tapnet ${ns}t ${TAPNET_RUN_ARGS:-} --no-control "$work/flood.yaml"
ip netns exec ${ns}t curl -s -o /dev/null http://10.210.0.10/ # ARP and a warm JIT

curl_batch() { # namespace url: $curls curls, 20 at a time; prints one time_total per line, "fail" for a failure
  local n=$1 url=$2
  seq "$curls" | xargs -P 20 -I{} ip netns exec "$n" curl -s -o /dev/null -m 5 -w '%{time_total}\n' "$url" \
    2>/dev/null | sed 's/^$/fail/' || true
}
summary() { # reads times; prints succeeded, p50 and p99 in ms
  grep -v fail | awk '$1 > 0 {print $1 * 1000}' | sort -n | awk -v n="$curls" '{v[++k] = $1} END {
      p50 = k ? v[int((k + 1) / 2)] : 0; p99 = k ? v[int(k * 0.99 + 0.999)] : 0;
      slow = 0; for (i = 1; i <= k; i++) if (v[i] >= 1000) slow++;
      printf "%d of %d curls succeeded, p50 %.1f ms, p99 %.1f ms, %d took 1 s or more", k, n, p50, p99, slow }'
}
flood() { # namespace target seconds: hping3 SYN flood from random sources, in the background
  timeout -s INT "$3" ip netns exec "$1" hping3 -q -S -p 80 --flood --rand-source "$2" > "$work/hping-$1.log" 2>&1 &
  echo $!
}

tap_dropped() { # namespace device: frames the TAP's queue dropped so far
  ip -n "$1" -s link show "$2" | awk '/TX:/ {getline; print $4}'
}

for who in kernel tapnet; do
  if [ $who = kernel ]; then n=${ns}c; target=10.209.0.2; else n=${ns}t; target=10.210.0.10; fi
  echo "$who, no flood: $(curl_batch $n http://$target/ | summary)"
  [ $who = tapnet ] && before=$(tap_dropped $n tapnet0)
  f=$(flood $n $target 120); pids+=($f); sleep 1
  echo "$who, SYN flood: $(curl_batch $n http://$target/ | summary)"
  kill -INT "$f" 2>/dev/null || true; sleep 1
  echo "  hping3: $(grep -o '[0-9]* packets transmitted' "$work/hping-$n.log" || echo 'no count')"
  [ $who = tapnet ] && echo "  dropped by the TAP's queue: $(( $(tap_dropped $n tapnet0) - before ))"
  f=$(flood $n $target 30); sleep 1
  echo "  ping under the flood: $(ip netns exec $n ping -q -c 20 -i 0.1 -W 1 $target | grep -o '[0-9]* received')"
  kill -INT "$f" 2>/dev/null || true; sleep 1
done

# The floor: the same flood for 10 s at tapsyn behind a TAP.
gcc -O2 -o "$work/tapsyn" "${TAPNET_LAB:-$top/../shared/lab}/tapsyn.c"
ip netns add ${ns}f
ip netns exec ${ns}f "$work/tapsyn" t0 > /dev/null 2>&1 & pids+=($!); sleep 0.3
ip -n ${ns}f link set t0 up; ip -n ${ns}f link set lo up; ip -n ${ns}f addr add 10.211.0.1/24 dev t0
f=$(flood ${ns}f 10.211.0.2 10); sleep 11
echo "tap-floor (tapsyn), 10 s of the flood: $(grep -o '[0-9]* packets transmitted' "$work/hping-${ns}f.log" || echo 'no count'), dropped by the TAP's queue: $(tap_dropped ${ns}f t0)"
stop_tapnet
echo "tapnet counters: $(counters_of_tapnet)"
