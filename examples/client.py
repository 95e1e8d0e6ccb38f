#!/usr/bin/env python3
"""A client of an HTTP API that survives its failures: it retries with exponential backoff.

Run it in the emulated network of topologies/flaky-api.yaml, whose API refuses the first connection and
cuts the second one's answer short:

    ./tapnet run topologies/flaky-api.yaml -- python3 examples/client.py              # passes
    ./tapnet run topologies/flaky-api.yaml -- python3 examples/client.py --no-retry   # fails

It fetches URL (default: $API_URL, else http://api/), checks that the answer is a whole JSON document,
prints it and exits 0; after its last attempt fails it says why and exits 1. Python 3 standard library only.
"""

import argparse
import http.client
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request


def fetch(url, timeout):
    """One attempt: the parsed JSON answer, or an exception saying what went wrong."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        # read() raises when the connection is reset, or ends, before Content-Length bytes arrived; a cut
        # body that still parsed would be caught by json.loads below.
        body = response.read()
    return json.loads(body)


def fetch_with_retries(url, attempts, backoff, timeout):
    """Tries up to `attempts` times, waiting backoff, 2 x backoff, 4 x backoff... (with jitter) between."""
    for attempt in range(1, attempts + 1):
        try:
            answer = fetch(url, timeout)
            print(f"attempt {attempt}: ok", file=sys.stderr)
            return answer
        except urllib.error.HTTPError as e:
            if e.code < 500:
                raise  # 4xx: asking again will not help
            failure = f"HTTP {e.code}"
        except (OSError, http.client.HTTPException, ValueError) as e:
            # OSError: refused, reset, timed out, no route (urllib wraps them in URLError, an OSError);
            # HTTPException: a broken or incomplete answer; ValueError: a body that is not JSON.
            failure = describe(e)
        if attempt == attempts:
            raise RuntimeError(f"gave up after {attempts} attempt{'s' if attempts > 1 else ''}: {failure}")
        wait = backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.0)  # jitter: clients do not retry in step
        print(f"attempt {attempt}: {failure}; retrying in {wait:.2f} s", file=sys.stderr)
        time.sleep(wait)


def describe(error):
    """One line for a failed attempt: "ConnectionRefusedError: [Errno 111] Connection refused"."""
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        error = error.reason  # the error underneath: refused, reset, timed out...
    if isinstance(error, str):
        return error
    if isinstance(error, http.client.IncompleteRead):
        return f"the answer was cut short ({len(error.partial)} bytes of the body, {error.expected} missing)"
    return f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description="Fetch a JSON answer from an HTTP API, retrying on failure.")
    parser.add_argument("url", nargs="?", default=os.environ.get("API_URL", "http://api/"),
                        help="what to fetch (default: $API_URL, else http://api/)")
    parser.add_argument("--no-retry", action="store_true", help="one attempt only: see the failure a retry hides")
    parser.add_argument("--attempts", type=int, default=5, help="attempts in all (default 5)")
    parser.add_argument("--backoff", type=float, default=0.2, help="seconds before the first retry (default 0.2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds each attempt may take (default 5)")
    args = parser.parse_args()
    if args.attempts < 1:
        parser.error("--attempts must be at least 1")

    attempts = 1 if args.no_retry else args.attempts
    try:
        answer = fetch_with_retries(args.url, attempts, args.backoff, args.timeout)
    except (RuntimeError, urllib.error.HTTPError) as e:
        print(f"{args.url}: {e}", file=sys.stderr)
        return 1
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
