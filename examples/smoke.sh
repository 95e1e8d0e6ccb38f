#!/bin/sh
# A smoke test of the API in topologies/flaky-api.yaml with the tools every machine has, by host name:
#
#   ./tapnet run topologies/flaky-api.yaml -- examples/smoke.sh
#
# The API refuses the first connection and cuts the second one's answer short; curl's retries take it
# through both. Any step that fails stops the script (set -e) with a non-zero status, which becomes
# tapnet run's. API_URL overrides the URL (default http://api/).
set -eu

url=${API_URL:-http://api/}
host=${url#*://}
host=${host%%[:/]*}
body=$(mktemp)
trap 'rm -f "$body"' EXIT

echo "smoke: ping $host"
ping -c 1 -W 2 "$host"

# --retry-all-errors: curl's --retry alone retries timeouts and 5xx answers, not a refused connection nor
# a reset. Into a file (-o), which curl empties before each retry: the cut answer's bytes never stay.
echo "smoke: GET $url"
curl --no-progress-meter --fail --max-time 5 --retry 4 --retry-delay 1 --retry-all-errors \
  --output "$body" "$url"

echo "smoke: the answer says it is whole"
grep -q '"status": "ok"' "$body"
cat "$body"
echo "smoke: passed"
