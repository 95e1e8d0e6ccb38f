#!/usr/bin/env bash
# fin-close.sh JAR...: FIN-close conn/s of several tapnet jars, one after another in one run, after a warm-up
# and an RST phase as e2e.sh has (bisecting a regression between builds). Inside a namespace it makes and removes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
lab=${TAPNET_LAB:-$here/../../shared/lab}; bin=$(mktemp -d)
gcc -O2 -o $bin/connbench $lab/connbench.c
ns=fin$$
cleanup() { [ -n "${pid:-}" ] && kill $pid 2>/dev/null; wait 2>/dev/null; ip netns del $ns 2>/dev/null; rm -rf $bin; }
trap cleanup EXIT
cat > $bin/bench.yaml <<YAML
name: e2e
tap: { device: tapnet0, address: 10.206.0.1/24 }
tcp: { timeWait: 1s }
hosts:
  bench:
    address: 10.206.0.2
    services:
      - { port: 7000, banner: { text: "", close: true } }
YAML
for round in 1 2 3; do
for jar in "$@"; do
  TAPNET_JAR=$jar "$here/../tapnet" run --netns $ns $bin/bench.yaml > $bin/out 2>&1 & pid=$!
  for _ in $(seq 1 100); do grep -q "Stop with" $bin/out 2>/dev/null && break; sleep 0.1; done
  ip netns exec $ns sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
  ip netns exec $ns $bin/connbench 10.206.0.2 7000 64 3 >/dev/null; ip netns exec $ns $bin/connbench 10.206.0.2 7000 64 2 fin >/dev/null; ip netns exec $ns $bin/connbench 10.206.0.2 7000 64 5 >/dev/null
  r=""
  for i in 1 2; do r="$r $(ip netns exec $ns $bin/connbench 10.206.0.2 7000 64 4 fin | sed 's/.*= \([0-9]*\) conn.*/\1/')"; done
  echo "$jar:$r"
  kill -TERM $pid; wait $pid 2>/dev/null; pid=""
  sleep 0.5
done
done
