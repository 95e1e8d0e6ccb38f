#!/usr/bin/env python3
"""A shop's application, checking its three backends at start-up as a real service does, by DNS name.

Run it in the emulated network of topologies/shop.yaml, which has all three and a DNS server for shop.test:

    ./tapnet run topologies/shop.yaml -- python3 examples/shop_app.py

1. db:    resolves db.shop.test, opens a TCP connection to port 5432 and reads the server's greeting;
2. api:   GET http://api.shop.test/api/orders, and checks the answer is JSON with a list of orders;
3. stats: sends a statsd counter to stats.shop.test:8125 over UDP and waits for it to come back (the
          topology's collector echoes every datagram, so the application can tell it arrived).

Each step has a timeout and retries with exponential backoff, as a client of an unreliable network must.
Steps go to standard output as they succeed, failed attempts and retries to standard error. Exit 0 when all
three succeed; 1 when one gave up, each failed step saying why. Python 3 standard library only.
"""

import argparse
import http.client
import json
import random
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Failed(Exception):
    """An attempt that failed in a way worth retrying; the message says how."""


class GaveUp(Exception):
    """A step that failed for good: no retries left, or a failure that retrying does not mend."""


def retrying(step, attempts, backoff, action):
    """Runs action() up to `attempts` times, waiting backoff, 2 x backoff, 4 x backoff... (with jitter)."""
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except Failed as e:
            failure = str(e)
        if attempt == attempts:
            raise GaveUp(f"gave up after {attempts} attempt{'s' if attempts > 1 else ''}: {failure}")
        wait = backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.0)  # jitter: clients do not retry in step
        print(f"{step}: attempt {attempt}: {failure}; retrying in {wait:.2f} s", file=sys.stderr)
        time.sleep(wait)


def resolve(name, port, kind):
    """The name's first IPv4 address, through the system's resolver (/etc/hosts, then DNS)."""
    try:
        return socket.getaddrinfo(name, port, socket.AF_INET, kind)[0][4][0]
    except socket.gaierror as e:
        if e.errno == socket.EAI_AGAIN:  # the server failed or did not answer: may pass
            raise Failed(f"cannot resolve {name}: {e.strerror}")
        raise GaveUp(f"cannot resolve {name}: {e.strerror}")  # NXDOMAIN and the like: asking again will not help


def check_db(name, port, timeout):
    """Connects and reads the greeting line; returns what it says."""
    address = resolve(name, port, socket.SOCK_STREAM)
    try:
        with socket.create_connection((address, port), timeout=timeout) as connection:
            greeting = connection.makefile("rb").readline(1024)
    except OSError as e:  # refused, reset, timed out, unreachable
        raise Failed(f"{address}:{port}: {describe(e)}")
    if not greeting.endswith(b"\n"):
        raise Failed(f"{address}:{port}: the greeting was cut short ({greeting!r})")
    return f"connected to {address}:{port}, it says {greeting.decode(errors='replace').strip()!r}"


def fetch_orders(url, timeout):
    """GETs the orders and checks them; returns how many there are."""
    # Resolved here first, as for db and stats, so that every step tells a name that does not exist
    # (give up) from a resolver that failed (retry) alike; urllib then looks the name up again itself.
    resolve(urllib.parse.urlsplit(url).hostname, 80, socket.SOCK_STREAM)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()  # raises when the answer ends before its Content-Length
    except urllib.error.HTTPError as e:
        if e.code < 500:
            raise GaveUp(f"GET {url}: HTTP {e.code}")  # 4xx: asking again will not help
        raise Failed(f"GET {url}: HTTP {e.code}")
    except urllib.error.URLError as e:
        if isinstance(e.reason, socket.gaierror):  # its own look-up failed, after resolve()'s succeeded
            failure = f"GET {url}: cannot resolve {urllib.parse.urlsplit(url).hostname}: {e.reason.strerror}"
            raise Failed(failure) if e.reason.errno == socket.EAI_AGAIN else GaveUp(failure)
        raise Failed(f"GET {url}: {describe(e.reason)}")
    except (OSError, http.client.HTTPException) as e:
        raise Failed(f"GET {url}: {describe(e)}")
    try:
        orders = json.loads(body)["orders"]
        ids = [order["id"] for order in orders]
    except (ValueError, KeyError, TypeError) as e:
        raise Failed(f"GET {url}: not a list of orders ({type(e).__name__}: {e}): {body[:80]!r}")
    return f"GET {url}: {len(ids)} orders ({', '.join(map(str, ids))})"


def send_metric(name, port, metric, timeout):
    """Sends one statsd datagram and waits for the echo; returns where it went."""
    address = resolve(name, port, socket.SOCK_DGRAM)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))  # connected: an ICMP "port unreachable" then shows as an error
            sock.send(metric.encode())
            echo = sock.recv(2048)
        except socket.timeout:
            raise Failed(f"{address}:{port}: no echo of {metric!r} within {timeout:g} s (lost on the way?)")
        except OSError as e:
            raise Failed(f"{address}:{port}: {describe(e)}")
    if echo != metric.encode():
        raise Failed(f"{address}:{port}: the echo differs: {echo!r}")
    return f"sent {metric!r} to {address}:{port}, and it came back"


def describe(error):
    """One line for a failure: "ConnectionRefusedError: [Errno 111] Connection refused"."""
    if isinstance(error, str):
        return error
    if isinstance(error, http.client.IncompleteRead):
        return f"the answer was cut short ({len(error.partial)} bytes of the body, {error.expected} missing)"
    return f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description="Check the shop's database, API and metrics collector by name.")
    parser.add_argument("--domain", default="shop.test", help="the DNS domain of the backends (default shop.test)")
    parser.add_argument("--attempts", type=int, default=5, help="attempts per step (default 5)")
    parser.add_argument("--no-retry", action="store_true", help="one attempt per step: see the failure a retry hides")
    parser.add_argument("--backoff", type=float, default=0.2, help="seconds before the first retry (default 0.2)")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds each attempt may take (default 3)")
    args = parser.parse_args()
    if args.attempts < 1:
        parser.error("--attempts must be at least 1")
    attempts = 1 if args.no_retry else args.attempts

    steps = [
        ("db", lambda: check_db(f"db.{args.domain}", 5432, args.timeout)),
        ("api", lambda: fetch_orders(f"http://api.{args.domain}/api/orders", args.timeout)),
        ("stats", lambda: send_metric(f"stats.{args.domain}", 8125, "shop.orders.checked:1|c", args.timeout)),
    ]
    failed = []
    for step, action in steps:  # every step, even after one failed: the report says all that is wrong
        started = time.monotonic()
        try:
            done = retrying(step, attempts, args.backoff, action)
        except GaveUp as e:
            print(f"{step}: FAILED: {e}", file=sys.stderr)
            failed.append(step)
            continue
        print(f"{step}: {done} ({(time.monotonic() - started) * 1000:.0f} ms)", flush=True)
    if failed:
        print(f"shop: {', '.join(failed)} failed; not starting", file=sys.stderr)
        return 1
    print("shop: database, API and metrics all answer; ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())
