#!/usr/bin/env bash
# Plaintext hello through owin-undertow against plain Undertow, side by side in one run.
#
#   owin-benchmarks/load-compare.sh [ROUNDS] [SECONDS_PER_RUN] [CONNECTIONS]
#
# For each mode (blocking: worker thread + OutputStream; nonblocking: IO thread + async write) it
# starts both servers, warms each up, then runs wrk against them alternately, ROUNDS times (the
# order flips every round so drift hits both alike), and prints every round's requests/second,
# the per-round ratio OWIN/plain and its median. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
connections=${3:-32}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

mvn -B -q -DskipTests package -pl owin-benchmarks -am
cp="owin-benchmarks/target/classes:owin-benchmarks/target/lib/*"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

start() { # class mode port
  java -Xms512m -Xmx512m -cp "$cp" "io.owin4j.benchmarks.$1" "$2" "$3" >/dev/null 2>>"owin-benchmarks/target/load-compare-servers.log" &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$3/" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server $1 $2 did not start on port $3" >&2
  exit 1
}
rps() { # port seconds
  wrk -t2 -c"$connections" -d"$2s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'
}

for mode in blocking nonblocking; do
  start OwinHello "$mode" 18181
  start PlainUndertowHello "$mode" 18182
  rps 18181 5 >/dev/null
  rps 18182 5 >/dev/null
  ratios=()
  for round in $(seq "$rounds"); do
    if ((round % 2)); then owin=$(rps 18181 "$seconds"); plain=$(rps 18182 "$seconds")
    else plain=$(rps 18182 "$seconds"); owin=$(rps 18181 "$seconds"); fi
    ratio=$(awk -v a="$owin" -v b="$plain" 'BEGIN {printf "%.3f", a / b}')
    ratios+=("$ratio")
    printf '%-11s round %d: owin %10s req/s  plain %10s req/s  ratio %s\n' "$mode" "$round" "$owin" "$plain" "$ratio"
  done
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  echo "$mode median ratio OWIN/plain: $median"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  pids=()
done
