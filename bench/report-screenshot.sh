#!/usr/bin/env bash
# report-screenshot.sh: opens DIR/report.html in headless Chromium, saves what it shows as OUT.png, and
# fails when the page logged anything to the console (report.html has no script, so any message means
# something broke: "Uncaught ...", a console error) or asked the network for anything (it must open
# offline: the net log may list only Chromium's own google.com/googleapis.com requests). Chromium runs
# with a throw-away profile, background networking off and every host name unresolvable.
# A sample report: `mvn -o -B -q -pl core test -Dtest=ReportDirectoryTest` writes core/target/report-sample.
# Usage: bench/report-screenshot.sh DIR OUT.png      (needs /usr/bin/chromium, or CHROMIUM=path)
#   WINDOW=1280,2000 (the default): the window's width and height in pixels; a taller one shows more of a long
#   page (WINDOW=1280,6000), a narrower one how the page fits a small screen (WINDOW=800,2000)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIR OUT.png" >&2; exit 2; }
[ -d "$1" ] || { echo "report-screenshot.sh: no directory $1" >&2; exit 1; }
dir=$(cd "$1" && pwd)
out=$(realpath -m "$2")
chromium=${CHROMIUM:-/usr/bin/chromium}
window=${WINDOW:-1280,2000}
[[ "$window" =~ ^[0-9]+,[0-9]+$ ]] || { echo "report-screenshot.sh: WINDOW=$window is not WIDTH,HEIGHT" >&2; exit 2; }
[ -f "$dir/report.html" ] || { echo "report-screenshot.sh: no report.html in $dir" >&2; exit 1; }
[ -x "$chromium" ] || { echo "report-screenshot.sh: no chromium at $chromium (set CHROMIUM)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$out"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" \
  --host-resolver-rules="MAP * ~NOTFOUND" --log-net-log="$work/net.json" --enable-logging=stderr --v=0 \
  --screenshot="$out" --window-size="$window" "file://$dir/report.html" 2>"$work/log" || {
  cat "$work/log" >&2; echo "report-screenshot.sh: chromium failed" >&2; exit 1; }

failed=0
if grep -E "Uncaught|ERROR:CONSOLE|:CONSOLE[:(]" "$work/log" >&2; then
  echo "report-screenshot.sh: the page logged to the console (above)" >&2
  failed=1
fi
if grep -oE '"url":"https?://[^"/]+[^"]*"' "$work/net.json" | grep -vE '"url":"https?://[^"/]*(google\.com|googleapis\.com|gvt1\.com)[:/"]' >&2; then
  echo "report-screenshot.sh: the page asked the network for the URLs above" >&2
  failed=1
fi
[ -s "$out" ] || { echo "report-screenshot.sh: no screenshot written" >&2; exit 1; }
[ "$failed" -eq 0 ] || exit 1
echo "$out"
