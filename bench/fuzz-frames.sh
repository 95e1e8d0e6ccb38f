#!/usr/bin/env bash
# fuzz-frames.sh: the long run of FrameFuzzTest: COUNT mutated frames (default 10 million) from SEED
# (default 1) thrown at an engine with every kind of service, faults, a router, a port and impaired links
# (core/src/test/java/tapnet/engine/FrameFuzzer.java). Prints the frames, the seed, the time and the
# failures; a failure names the seed, which replays it. No root, no network: all in process.
# Usage: bench/fuzz-frames.sh [COUNT] [SEED]
set -euo pipefail
count=${1:-10000000}
seed=${2:-1}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mvn -B -q -pl core test -Dtest=FrameFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtapnet.fuzz.frames="$count" -Dtapnet.fuzz.seed="$seed" || { echo "fuzz-frames: seed $seed failed" >&2; exit 1; }
grep -h "frame fuzz" core/target/surefire-reports/tapnet.engine.FrameFuzzTest-output.txt
