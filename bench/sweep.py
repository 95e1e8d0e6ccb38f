#!/usr/bin/env python3
"""sweep.py: does every host of a range answer? An ICMP echo or a TCP connect to each, many in flight.

    python3 bench/sweep.py icmp FIRST COUNT          (root: a raw socket)
    python3 bench/sweep.py tcp FIRST COUNT PORT

FIRST is the first address (10.98.0.2), COUNT how many consecutive addresses follow it. Run it where the
hosts are reachable (ip netns exec NAME ...). ICMP: echo requests in windows of 200, then up to three more
rounds for the addresses that did not answer. TCP: up to 200 non-blocking connects in flight, each closed
with RST once it connects (SO_LINGER 0: no TIME-WAIT on either side), one retry round for those that
failed. Prints how many answered and how long it took; exits 1 unless every one answered.
"""
import ipaddress
import os
import select
import socket
import struct
import sys
import time

WINDOW = 200  # in flight at once: tapnet's ring holds 512 frames with offloads, and a full ring drops
ROUNDS = 4


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def icmp_sweep(addresses):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE: replies arrive faster than we read
    sock.setblocking(False)
    ident = os.getpid() & 0xFFFF
    missing = set(addresses)

    def drain(wait):
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                return
            while True:
                try:
                    packet, (source, _) = sock.recvfrom(2048)
                except BlockingIOError:
                    break
                header = (packet[0] & 0x0F) * 4
                kind, _, _, reply_id, _ = struct.unpack("!BBHHH", packet[header:header + 8])
                if kind == 0 and reply_id == ident:
                    missing.discard(source)

    for round_ in range(ROUNDS):
        pending = sorted(missing, key=lambda a: socket.inet_aton(a))
        for start in range(0, len(pending), WINDOW):
            for i, address in enumerate(pending[start:start + WINDOW]):
                body = struct.pack("!BBHHH", 8, 0, 0, ident, (start + i) & 0xFFFF) + b"tapnet sweep"
                body = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
                while True:
                    try:
                        sock.sendto(body, (address, 0))
                        break
                    except BlockingIOError:
                        drain(0.001)
            drain(0.002)
        drain(1.0)
        if not missing:
            break
    return missing


def tcp_sweep(addresses, port):
    missing = set()
    todo = list(addresses)
    for round_ in range(2):
        failed = []
        in_flight = {}
        poller = select.epoll()
        index = 0
        while index < len(todo) or in_flight:
            while index < len(todo) and len(in_flight) < WINDOW:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.connect_ex((todo[index], port))
                in_flight[s.fileno()] = (s, todo[index], time.monotonic())
                poller.register(s.fileno(), select.EPOLLOUT)
                index += 1
            for fd, _ in poller.poll(0.05):
                s, address, _ = in_flight.pop(fd)
                poller.unregister(fd)
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    failed.append(address)
                s.close()
            now = time.monotonic()
            for fd in [fd for fd, (_, _, t) in in_flight.items() if now - t > 5]:
                s, address, _ = in_flight.pop(fd)
                poller.unregister(fd)
                failed.append(address)
                s.close()
        poller.close()
        todo = failed
        if not todo:
            break
    missing.update(todo)
    return missing


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("icmp", "tcp") or (sys.argv[1] == "tcp" and len(sys.argv) < 5):
        print(__doc__.strip().splitlines()[2:4], file=sys.stderr)
        return 2
    first = int(ipaddress.IPv4Address(sys.argv[2]))
    count = int(sys.argv[3])
    addresses = [str(ipaddress.IPv4Address(first + i)) for i in range(count)]
    started = time.monotonic()
    missing = icmp_sweep(addresses) if sys.argv[1] == "icmp" else tcp_sweep(addresses, int(sys.argv[4]))
    took = time.monotonic() - started
    print("%s sweep: %d of %d answered in %.1f s%s" % (sys.argv[1], count - len(missing), count, took,
          "" if not missing else "; silent: " + ", ".join(sorted(missing)[:10]) + (" ..." if len(missing) > 10 else "")))
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
