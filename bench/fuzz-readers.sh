#!/usr/bin/env bash
# fuzz-readers.sh: the long run of the reader fuzzing that ReaderFuzzTest and ControlLineFuzzTest run briefly:
# FILES mutated topology files and as many mutated `tapnet ctl` link and partition specs through the topology
# readers (core/src/test/java/tapnet/topology/ReaderFuzz.java), then FILES mutated control request lines
# through the control API's routes on a running engine (cli/src/test/java/tapnet/cli/control/ControlLineFuzz.java), all
# from SEED. Each input must give a model or one-line errors (file:line:column: ...), never another
# exception, a message across lines or a hang. Prints the counts, the seconds and every failure, which its
# seed and number replay; failing files are kept in a directory it names. No root, no network: all in process.
# Usage: bench/fuzz-readers.sh [FILES] [SEED]      (defaults: 10000 files, seed 1)
set -euo pipefail
files=${1:-10000}
seed=${2:-1}
[[ "$files" =~ ^[0-9]+$ && "$seed" =~ ^-?[0-9]+$ ]] || { echo "usage: $0 [FILES] [SEED]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# the jar holds the readers' dependencies (snakeyaml-engine, picocli...); -DskipTests still compiles the tests
mvn -B -q -o package -DskipTests -pl core,tap,cli
keep=$(mktemp -d -t tapnet-fuzz-readers.XXXXXX)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
status=0
(cd core && "$java" -Xss1m -cp "target/test-classes:target/classes:../cli/target/tapnet.jar" \
  tapnet.topology.ReaderFuzz "$files" "$seed" "$keep") || status=1
"$java" -cp "cli/target/test-classes:cli/target/classes:core/target/classes:tap/target/classes:cli/target/tapnet.jar" \
  tapnet.cli.control.ControlLineFuzz "$files" "$seed" || status=1
if [ "$status" -ne 0 ]; then
  echo "fuzz-readers: failures with seed $seed; failing files in $keep" >&2
else
  rmdir "$keep" 2>/dev/null || true
fi
exit "$status"
