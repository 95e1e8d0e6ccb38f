#!/usr/bin/env python3
"""Echo soak: STREAMS connections at once, each sending chunks of random bytes to HOST:PORT's echo and
checking every byte that comes back, one connection after another, for SECONDS; prints the bytes echoed
and the mismatches (a byte that came back different, or a connection that failed).

usage: soak.py HOST PORT STREAMS SECONDS
"""
import hashlib
import os
import socket
import sys
import threading
import time

host, port, streams, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
end = time.time() + seconds
totals = {"bytes": 0, "mismatches": 0, "connections": 0}
lock = threading.Lock()


def one_connection():
    s = socket.create_connection((host, port), timeout=30)
    block = os.urandom(1 << 20)
    size = 64 << 20
    sent_digest, got_digest = hashlib.sha256(), hashlib.sha256()

    def write():
        sent = 0
        while sent < size:
            s.sendall(block)
            sent_digest.update(block)
            sent += len(block)
        s.shutdown(socket.SHUT_WR)

    writer = threading.Thread(target=write)
    writer.start()
    got = 0
    while True:
        data = s.recv(1 << 20)
        if not data:
            break
        got_digest.update(data)
        got += len(data)
    writer.join()
    s.close()
    return got, got == size and got_digest.digest() == sent_digest.digest()


def stream():
    while time.time() < end:
        try:
            got, ok = one_connection()
        except OSError:
            got, ok = 0, False
        with lock:
            totals["bytes"] += got
            totals["connections"] += 1
            totals["mismatches"] += 0 if ok else 1


threads = [threading.Thread(target=stream) for _ in range(streams)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"soak: {totals['bytes'] / 1e9:.1f} GB echoed on {totals['connections']} connections, "
      f"{totals['mismatches']} mismatches", flush=True)
