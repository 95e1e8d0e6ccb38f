#!/usr/bin/env bash
# many-hosts.sh: writes a topology file with N virtual hosts, for measuring how tapnet starts, how much
# memory it holds and whether every host answers at scale.
#
#   bench/many-hosts.sh N [--segment] > FILE
#
# By default the hosts sit behind one virtual router, `edge` (10.96.0.2 on the TAP's 10.96.0.1/24), on its
# subnet 10.98.0.0/15 (up to 131,069 hosts, from 10.98.0.2 on). The kernel then needs one neighbour, the
# router, whatever N is: its ARP table is not per namespace (gc_thresh3 is 1024 for the whole machine, and
# entries younger than 5 s are never collected), so a kernel client cannot reach 100,000 hosts on its own
# segment in one quick sweep. --segment puts them on the TAP's segment instead (10.96.0.0/14, up to 262,141
# hosts), to measure the engine without a router.
# Every host serves http on 80 and echo on 7, written once as a YAML anchor (&web) that every host names.
set -euo pipefail
usage() { echo "usage: $0 N [--segment] > FILE   (N from 1 to 131069; 262141 with --segment)" >&2; exit 2; }
[ $# -ge 1 ] && [[ "$1" =~ ^[0-9]+$ ]] || usage
n=$1
mode=${2:-routed}
case "$mode" in
  routed) max=131069 ;;
  --segment) max=262141 ;;
  *) usage ;;
esac
[ "$n" -ge 1 ] && [ "$n" -le "$max" ] || usage

echo "# $n hosts, written by bench/many-hosts.sh $*"
echo "name: many-hosts-$n"
echo "seed: 13"
if [ "$mode" = routed ]; then
  echo "tap: { device: tapnet-many, address: 10.96.0.1/24 }"
  echo "routers:"
  echo "  edge: { address: 10.96.0.2, subnet: 10.98.0.1/15 }"
  first=$(( (10 << 24) | (98 << 16) | 2 ))      # 10.98.0.2: the router is 10.98.0.1 there
else
  echo "tap: { device: tapnet-many, address: 10.96.0.1/14 }"
  first=$(( (10 << 24) | (96 << 16) | 2 ))      # 10.96.0.2: the kernel is 10.96.0.1
fi
echo "hosts:"
awk -v n="$n" -v first="$first" 'BEGIN {
  for (i = 0; i < n; i++) {
    a = first + i
    address = sprintf("%d.%d.%d.%d", int(a / 16777216) % 256, int(a / 65536) % 256, int(a / 256) % 256, a % 256)
    if (i == 0) {
      printf "  h%06d:\n    address: %s\n    services: &web\n", i, address
      print "      - { port: 80, http: { body: \"hello\\n\" } }"
      print "      - { port: 7, echo: {} }"
    } else {
      printf "  h%06d: { address: %s, services: *web }\n", i, address
    }
  }
}'
