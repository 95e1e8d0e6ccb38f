#!/usr/bin/env python3
"""Crafted frames at tapnet's TAP, from inside its namespace (bench/attack.sh runs it there).

  attack.py storm DEVICE HOST PORT COUNT      64 kernel connections to HOST:PORT (echo), then COUNT forged
                                             segments at them (RST, ACK, SYN, data, random sequence and
                                             acknowledgment numbers), then every connection must still echo
  attack.py arp DEVICE HOST COUNT             COUNT ARP requests for HOST from random senders

Frames go out through an AF_PACKET socket on DEVICE (the TAP's kernel side), so tapnet reads them as if a
peer on the segment sent them. Prints what it sent and, for the storm, how many connections survived.
"""
import os
import random
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac_of(device):
    with open(f"/sys/class/net/{device}/address") as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def neighbour_mac(host):
    """The MAC the kernel has for HOST (learned by the connections or the first ping)."""
    for line in os.popen(f"ip neigh show {host}").read().splitlines():
        parts = line.split()
        if "lladdr" in parts:
            return bytes.fromhex(parts[parts.index("lladdr") + 1].replace(":", ""))
    raise SystemExit(f"no neighbour entry for {host}: ping it first")


def tcp_frame(src_mac, dst_mac, src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), random.getrandbits(16), 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + tcp


def storm(device, host, port, count):
    connections = []
    for _ in range(64):
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"ping")
        assert s.recv(4) == b"ping"
        connections.append(s)
    me = socket.inet_aton(connections[0].getsockname()[0])
    them = socket.inet_aton(host)
    src_mac, dst_mac = mac_of(device), neighbour_mac(host)
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind((device, 0))
    kinds = [0x04, 0x14, 0x10, 0x02, 0x18]  # RST, RST+ACK, ACK, SYN, PSH+ACK with data
    started = time.time()
    for i in range(count):
        sport = connections[i % 64].getsockname()[1]
        flags = kinds[i % len(kinds)]
        payload = b"x" * 100 if flags == 0x18 else b""
        frame = tcp_frame(src_mac, dst_mac, me, them, sport, port, random.getrandbits(32), random.getrandbits(32),
                          flags, payload)
        raw.send(frame)
    took = time.time() - started
    alive = 0
    for s in connections:
        try:
            s.sendall(b"still")
            s.settimeout(5)
            if s.recv(5) == b"still":
                alive += 1
        except OSError:
            pass
    print(f"storm: {count} forged segments in {took:.1f} s at 64 connections; {alive} of 64 still echo", flush=True)


def arp(device, host, count):
    src_mac = mac_of(device)
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind((device, 0))
    target = socket.inet_aton(host)
    started = time.time()
    for _ in range(count):
        sender_mac = bytes([2]) + os.urandom(5)
        sender_ip = os.urandom(4)
        frame = (b"\xff" * 6 + sender_mac + b"\x08\x06"
                 + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + sender_mac + sender_ip + b"\0" * 6 + target)
        raw.send(frame)
    print(f"arp: {count} requests from random senders in {time.time() - started:.1f} s", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "storm":
        storm(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        arp(sys.argv[2], sys.argv[3], int(sys.argv[4]))
