#!/usr/bin/env bash
# Captures the real-kernel frames that the wire tests paste as hex (see CapturedFrames.java).
#
# Two network namespaces, tnw-a (10.231.0.1, 02:00:0a:e7:00:01) and tnw-b (10.231.0.2, 02:00:0a:e7:00:02),
# joined by a veth pair created inside them; nothing is added to the root namespace, and both namespaces
# are deleted on exit, however the script exits. Transmit checksum offload is turned off on both ends, so
# the captured checksums are the real ones rather than the partial sums a veth leaves to "hardware".
#
# Usage (as root, needs tcpdump, ethtool, ping, nc from netcat-openbsd, python3):
#   bash capture-frames.sh [output-dir]      # writes capture.pcap, capture.txt and capture.hex
set -euo pipefail

A=tnw-a
B=tnw-b
OUT=${1:-/tmp/tapnet-wire-capture}
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.2
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
}
for ns in "$A" "$B"; do
    if [ -e "/run/netns/$ns" ]; then
        echo "namespace $ns exists already; not touching it" >&2
        exit 1
    fi
done
trap cleanup EXIT
trap 'exit 130' INT TERM # exit through cleanup on a signal too

mkdir -p "$OUT"
ip netns add "$A"
ip netns add "$B"
ip -n "$A" link add veth-a type veth peer name veth-b netns "$B"
setup() { # namespace device mac address
    ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$1" link set "$2" address "$3"
    ip -n "$1" addr add "$4/24" dev "$2"
    ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null
    ip -n "$1" link set lo up
    ip -n "$1" link set "$2" up
}
setup "$A" veth-a 02:00:0a:e7:00:01 10.231.0.1
setup "$B" veth-b 02:00:0a:e7:00:02 10.231.0.2
sleep 1

ip netns exec "$A" tcpdump -i veth-a --immediate-mode -U -s 0 -w "$OUT/capture.pcap" 2>/dev/null &
PIDS+=($!)
sleep 1

# ARP request and reply, then ICMP echo request and reply (16 bytes of payload).
ip netns exec "$A" ping -c 1 -s 16 -p 7461706e6574 10.231.0.2 >/dev/null
sleep 0.3

# A whole TCP connection: SYN, SYN-ACK, ACK, data with PSH, FINs and their ACKs.
ip netns exec "$B" nc -l 10.231.0.2 7000 >/dev/null &
PIDS+=($!)
sleep 0.5
printf 'hello tapnet\n' | ip netns exec "$A" nc -N 10.231.0.2 7000
sleep 0.3

# A SYN to a closed port: the kernel answers RST+ACK.
ip netns exec "$A" nc -v -z 10.231.0.2 7001 || true
sleep 0.3

# A UDP datagram to a closed port: the kernel answers ICMP port unreachable.
printf 'tapnet udp\n' | ip netns exec "$A" nc -u -w 1 10.231.0.2 7002 || true
sleep 0.5

# SACK blocks from the kernel. A packet socket in tnw-a plays a peer at 10.231.0.3 (02:00:0a:e7:00:03, an
# address no kernel owns, so tnw-a's kernel drops the replies instead of resetting them): it opens a
# connection with MSS and SACK-permitted, then sends two segments past a hole; tnw-b's kernel answers each
# with a duplicate ACK that carries SACK blocks (RFC 2018), and a RST ends the connection.
ip -n "$B" neigh add 10.231.0.3 lladdr 02:00:0a:e7:00:03 dev veth-b nud permanent
ip netns exec "$B" nc -l 10.231.0.2 7003 >/dev/null &
PIDS+=($!)
sleep 0.5
ip netns exec "$A" python3 - <<'PY'
import socket, struct, time

PEER_MAC, SERVER_MAC = bytes.fromhex("02000ae70003"), bytes.fromhex("02000ae70002")
PEER, SERVER = socket.inet_aton("10.231.0.3"), socket.inet_aton("10.231.0.2")
PEER_PORT, SERVER_PORT, ISN = 40000, 7003, 1000

def checksum(data):
    data += b"\0" * (len(data) % 2)
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF

def frame(seq, ack, flags, payload=b"", options=b""):
    tcp = struct.pack("!HHIIBBHHH", PEER_PORT, SERVER_PORT, seq, ack, (20 + len(options)) // 4 << 4, flags,
                      65535, 0, 0) + options + payload
    tcp = tcp[:16] + struct.pack("!H", checksum(PEER + SERVER + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, PEER, SERVER)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return SERVER_MAC + PEER_MAC + b"\x08\x00" + ip + tcp

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("veth-a", 0))
s.settimeout(3)
s.send(frame(ISN, 0, 0x02, options=bytes.fromhex("020405b401010402")))  # SYN: MSS 1460, NOP, NOP, SACK-permitted
while True:
    f = s.recv(2048)
    if f[0:6] == PEER_MAC and f[23] == 6 and f[47] & 0x12 == 0x12:  # the SYN-ACK to the peer
        server_isn = struct.unpack("!I", f[38:42])[0]
        break
s.send(frame(ISN + 1, server_isn + 1, 0x10))
s.send(frame(ISN + 1 + 100, server_isn + 1, 0x18, b"tapnet sack one\n"))
time.sleep(0.1)
s.send(frame(ISN + 1 + 200, server_isn + 1, 0x18, b"tapnet sack two\n"))
time.sleep(0.2)
s.send(frame(ISN + 1, server_isn + 1, 0x04))
PY
sleep 0.5

# IPv4 fragments from the kernel: with both MTUs at 68 (the IPv4 minimum), an echo request of 64 bytes
# without DF leaves in two fragments of 48 and 24 bytes, and so does the reply.
ip -n "$A" link set veth-a mtu 68
ip -n "$B" link set veth-b mtu 68
ip netns exec "$A" ping -c 1 -M dont -s 64 -p 7461706e6574 10.231.0.2 >/dev/null
sleep 1

kill "${PIDS[0]}"   # stop tcpdump so that it flushes the last packets
wait "${PIDS[0]}" 2>/dev/null || true
tcpdump -r "$OUT/capture.pcap" -nn -v -e -xx > "$OUT/capture.txt" 2>/dev/null
# One line per frame: tcpdump's summary as a comment, then the frame as one hex string.
tcpdump -r "$OUT/capture.pcap" -nn -xx 2>/dev/null | awk '
    /^\t0x/ { for (i = 2; i <= NF; i++) hex = hex $i; next }
    { if (hex != "") print hex; hex = ""; print "# " $0 }
    END { if (hex != "") print hex }' > "$OUT/capture.hex"
echo "wrote $OUT/capture.pcap, capture.txt (tcpdump -v -e -xx) and capture.hex"
