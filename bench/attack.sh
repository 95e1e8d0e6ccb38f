#!/usr/bin/env bash
# attack.sh: forged traffic at tapnet's default topology, in a namespace made here and removed on exit:
#   storm : 64 kernel connections to web's echo, then COUNT forged RST, ACK, SYN and data segments with
#           random sequence numbers at them (bench/attack.py); every connection must still echo, and the
#           ACKs tapnet sends back are counted (an ACK per data segment, as Linux; the others rate-limited)
#   arp   : COUNT ARP requests from random senders; tapnet's resident memory and heap before and after
# Needs root, iproute2, python3, Java 17 (jcmd for the heap).
# Usage: bench/attack.sh [COUNT]   (default 2000000 each)
set -euo pipefail
count=${1:-2000000}
source "$(dirname "$0")/lib.sh"
ns="at$$"
start_tapnet $ns --control "$work/ctl.sock"
ip netns exec $ns ping -q -c 2 10.77.0.10 > /dev/null

out_before=$(counter tcp_segments_out)
ip netns exec $ns python3 "$here/attack.py" storm tapnet0 10.77.0.10 7 "$count"
echo "  tapnet sent $(( $(counter tcp_segments_out) - out_before )) segments back: challenge ACKs $(counter tcp_challenge_acks), invalid ACKs not sent $(counter tcp_invalid_acks_skipped), duplicates $(counter drop.tcp_duplicate), unacceptable $(counter drop.tcp_unacceptable), RSTs ignored $(counter drop.tcp_rst_ignored)"

echo "before the ARP flood: $(memory)"
ip netns exec $ns python3 "$here/attack.py" arp tapnet0 10.77.0.10 "$count"
echo "after it: $(memory); neighbours evicted $(counter neighbors_evicted), senders off the subnet $(counter arp_senders_off_segment)"
ip netns exec $ns ping -q -c 3 -i 0.2 10.77.0.10 | grep -o '[0-9]* received' | sed 's/^/web still answers ping: /'
