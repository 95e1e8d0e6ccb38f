#!/usr/bin/env python3
"""Opens N TCP connections at once to HOST:PORT from several local addresses (64,000 ports each), holds
them until the file CLOSE exists, then closes them all with FIN; prints how many were established, how
long opening took, and how many failed. Run inside the namespace that reaches HOST, several at once when
N is over the open-file limit (bench/connections.sh does).

usage: connections.py HOST PORT N CLOSE LOCAL_ADDRESS...
"""
import errno
import os
import selectors
import socket
import sys
import time


def main():
    host, port, total, close = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    sources = sys.argv[5:]
    selector = selectors.DefaultSelector()
    pending, established, failed = {}, [], 0
    started = time.time()
    opened = 0
    deadline = started + 300
    while (opened < total or pending) and time.time() < deadline:
        # keep at most 2,000 handshakes in flight, as a connection pool filling up would
        while opened < total and len(pending) < 2000:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            # IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect, from the whole range for this destination
            # (a bind to port 0 takes odd ports only, and slows to a crawl once they run out)
            s.setsockopt(socket.IPPROTO_IP, 24, 1)
            s.bind((sources[opened % len(sources)], 0))
            err = s.connect_ex((host, port))
            if err not in (0, errno.EINPROGRESS):
                failed += 1
                s.close()
            else:
                pending[s.fileno()] = s
                selector.register(s, selectors.EVENT_WRITE)
            opened += 1
        for key, _ in selector.select(timeout=1):
            s = pending.pop(key.fd)
            selector.unregister(s)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                established.append(s)
            else:
                failed += 1
                s.close()
    took = time.time() - started
    print(f"established {len(established)} of {total} in {took:.1f} s, failed {failed}, still pending {len(pending)}",
          flush=True)
    while not os.path.exists(close):  # the caller counts connections on both sides, then lets us close
        time.sleep(0.2)
    for s in established:
        s.close()
    for s in pending.values():
        s.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main()
