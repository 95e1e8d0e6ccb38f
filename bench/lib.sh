# bench/lib.sh: what the bench scripts share; source it after `set -euo pipefail`. Gives:
#   here, top, jar        the bench folder, the repository, tapnet's jar (built when missing)
#   work                  a temporary folder, removed on exit
#   own NAMESPACE...      namespaces the script makes: removed on exit, their processes killed first
#   start_tapnet NS ARGS  runs `tapnet run ARGS --netns NS` through the launcher, waits until it is up,
#                         sets tapnet_pid; its output goes to $work/tapnet.log; stopped with SIGTERM on exit
#   counters_of_tapnet    the counters it printed at exit, on one line
#   counter NAME          a counter of the running tapnet, 0 when it is not there (start it with
#                         --control "$work/ctl.sock")
#   memory                its resident set and its heap after a full collection
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
top=$(cd "$here/.." && pwd)
jar="$top/cli/target/tapnet.jar"
[ -f "$jar" ] || (cd "$top" && mvn -B -q -DskipTests package >/dev/null)
work=$(mktemp -d)
tapnet_pid=""
owned=()
bench_cleanup() {
  [ -n "$tapnet_pid" ] && { kill -TERM "$tapnet_pid" 2>/dev/null || true; wait "$tapnet_pid" 2>/dev/null || true; }
  for n in "${owned[@]}"; do
    ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$n" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap bench_cleanup EXIT
own() {
  owned+=("$@")
}
start_tapnet() { # namespace, then the arguments of `tapnet run`
  local ns=$1; shift
  own "$ns"
  : > "$work/tapnet.log" # emptied first: a second run must not be taken as up on the first one's output
  TAPNET_JAR="$jar" "$top/tapnet" run "$@" --netns "$ns" > "$work/tapnet.log" 2>&1 &
  tapnet_pid=$!
  for _ in $(seq 300); do grep -q "Stop with" "$work/tapnet.log" && return 0; sleep 0.1; done
  cat "$work/tapnet.log" >&2
  exit 1
}
stop_tapnet() {
  kill -TERM "$tapnet_pid"; wait "$tapnet_pid" 2>/dev/null || true; tapnet_pid=""
}
counters_of_tapnet() {
  sed -n '/counters at exit:/,$p' "$work/tapnet.log" | tail -n +2 | tr -s ' ' | tr '\n' ',' | sed 's/^ //; s/,$//'
}
counter() {
  TAPNET_JAR="$jar" "$top/tapnet" ctl --socket "$work/ctl.sock" counters | awk -v k="$1" '$1 == k {print $2 + 0; f = 1} END {if (!f) print 0}'
}
memory() {
  jcmd "$tapnet_pid" GC.run > /dev/null
  echo "resident $(awk '/VmRSS/{printf "%d MB", $2/1024}' /proc/$tapnet_pid/status), heap $(jcmd "$tapnet_pid" GC.heap_info |
    awk '/generation|space/ && !/Metaspace|class space/ {for (i = 1; i < NF; i++) if ($i == "used") {v = $(i+1); sub(/K,?/, "", v); k += v}} END {printf "%d MB", k / 1024}')"
}
