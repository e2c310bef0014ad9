#!/usr/bin/env bash
# Reliability suite against the demo server (not part of the default build): the soak, 10,000
# WebSocket sessions and every fault scenario of docs/RELIABILITY.md, printing heap, threads, fds,
# direct memory and RSS before and after each, and /hello's latency during the attacks.
#
#   owin-benchmarks/reliability.sh                 # the full run (1M requests, about 10 minutes)
#   owin-benchmarks/reliability.sh --requests 30000 --keepalive 3000 --sessions 1000   # quick
#
# Needs java, jcmd, wrk and python3 (standard library only). Loopback only; bounded in count and
# time. Exit status 1 if a check failed.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -o -DskipTests package -pl owin-examples -am
fi
exec python3 owin-benchmarks/reliability.py --jar owin-examples/target/owin-examples.jar "$@"
