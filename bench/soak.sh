#!/usr/bin/env bash
# soak.sh: echo soak through tapnet's default topology for MINUTES (default 10): 8 connections at once,
# 64 MB each, every byte checked (bench/soak.py); tapnet's resident memory and heap after a full GC every
# minute, in a namespace made here and removed on exit. Needs root, iproute2, python3, Java 17 (jcmd).
# Usage: bench/soak.sh [MINUTES]
set -euo pipefail
minutes=${1:-10}
source "$(dirname "$0")/lib.sh"
ns="sk$$"
start_tapnet $ns --no-control
ip netns exec $ns python3 "$here/soak.py" 10.77.0.10 7 8 $((minutes * 60)) > "$work/soak.log" 2>&1 &
soak=$!
for m in $(seq "$minutes"); do sleep 60; echo "minute $m: $(memory)"; done
wait $soak
cat "$work/soak.log"
stop_tapnet
echo "tapnet counters: $(counters_of_tapnet)"
