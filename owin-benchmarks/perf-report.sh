#!/usr/bin/env bash
# Every performance scenario of docs/PERFORMANCE.md, each side by side with its baseline, in one run:
#
#   owin-benchmarks/perf-report.sh [--only http|ws|idle] [SECONDS_PER_RUN] [ROUNDS]
#
# (defaults: every section, 5 seconds and 3 rounds; 6-8 minutes). --only runs one section: http,
# ws (the WebSocket throughput scenarios) or idle (the idle WebSocket memory).
#
# HTTP (wrk, 32 connections): plaintext in both execution modes (blocking: worker thread and
# OutputStream; nonblocking: IO thread and AsyncWritable), a 4 KiB POST echo, and h2c plaintext
# (h2load, 32 connections, 4 streams each), OWIN against plain Undertow in the same mode, plus the
# heap bytes allocated per plaintext request (every thread's allocated bytes before and after each
# run, over the requests wrk counted). WebSocket (32 connections, 4 messages in flight each):
# 64-byte text with compression negotiated against plain Undertow without compression (node
# ws-load.js, the ws library), and 4 KiB JSON-like messages compressed both ways against Undertow's
# own permessage-deflate (node ws-raw.js: frames compressed once before the run, echoes counted by
# their headers, one in 32 inflated and compared, so that the client's zlib does not cap both
# servers), and, for reference, the small messages against Undertow's permessage-deflate too. Memory: 2,000 idle WebSockets that negotiated compression (and exchanged one compressed
# message each), opened on top of 500 such that are open already, heap after full GC plus resident
# set size (heap pre-touched, so the RSS delta is native memory), against Undertow's own
# permessage-deflate.
#
# Each throughput scenario warms both servers up (one run of SECONDS + 3 each, discarded), then
# runs them alternately ROUNDS times (the order flips every round so drift hits both alike) and
# takes the median ratio. Every figure goes
# to owin-benchmarks/target/perf/results.tsv; the summary (report.md) and the chart (chart.svg)
# are written beside it, and every ratio is printed.
#
# Needs wrk, h2load (nghttp2-client), node with ws (node-ws) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
only=
if [[ ${1:-} == --only ]]; then
  only=${2:-}
  shift 2 || true
  [[ $only =~ ^(http|ws|idle)$ ]] || { echo "--only takes http, ws or idle, not '$only'" >&2; exit 2; }
fi
runs() { [[ -z $only || $only == "$1" ]]; } # whether section $1 runs
seconds=${1:-5}
rounds=${2:-3}
warmup=$((seconds + 3))
run_seconds=$seconds
for tool in wrk h2load node curl; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
node -e "require('ws')" 2>/dev/null || { echo "node cannot load ws (Debian: node-ws)" >&2; exit 2; }
ulimit -n 8192 2>/dev/null || true

started=$(date +%s)
mvn -B -q ${MVN_FLAGS:-} -DskipTests package -pl owin-benchmarks -am
cp="owin-benchmarks/target/classes:owin-benchmarks/target/lib/*"
out=owin-benchmarks/target/perf
mkdir -p "$out"
results="$out/results.tsv"
printf 'scenario\tunit\towin\tbaseline\tratio\ttarget\n' >"$results"
{
  echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpus $(nproc)"
  echo "cpu $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "java $(java -version 2>&1 | head -1)"
  echo "load_before $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "seconds $seconds"
  echo "rounds $rounds"
  [[ -z $only ]] || echo "only $only"
  echo "warmup $warmup"
} >"$out/machine.txt"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
jvm=(-Xms512m -Xmx512m -XX:+AlwaysPreTouch)

start() { # port probe-port class args...
  local port=$1 probe=$2
  shift 2
  java "${jvm[@]}" -Dowin.probe.port="$probe" -cp "$cp" "io.owin4j.benchmarks.$@" "$port" \
    >/dev/null 2>>"$out/servers.log" &
  pids+=($!)
  for _ in $(seq 150); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && curl -fs -o /dev/null "http://127.0.0.1:$probe/alloc" && return 0
    sleep 0.2
  done
  echo "server $* did not start on port $port" >&2
  exit 1
}
stop_all() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  pids=()
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b == 0 ? 0 : a / b}'; }
record() { # scenario unit owin baseline ratio target
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"
  printf '%-34s owin %12s  baseline %12s %-10s ratio %s (target %s)\n' "$1" "$3" "$4" "$2" "$5" "$6"
}

# One measured run against PORT: prints "RATE COUNT" (per second, and how many in the run).
# Runners take the length of the run from run_seconds, which compare() sets.
run_wrk() { # port path [lua]
  local lua=()
  [[ -n ${3:-} ]] && lua=(-s "$3")
  wrk -t2 -c32 -d"${run_seconds}s" "${lua[@]}" "http://127.0.0.1:$1$2" |
    awk '/requests in/ {n=$1} /Requests\/sec/ {r=$2} END {print r, n}'
}
run_h2load() { # port path
  h2load -c32 -m4 -t1 -D"$run_seconds" "http://127.0.0.1:$1$2" 2>/dev/null |
    awk '/^finished in/ {r=$4} /^requests:/ {n=$8} END {print r, n}'
}
run_ws() { # port size kind deflate
  node owin-benchmarks/ws-load.js "ws://127.0.0.1:$1/" 32 4 "$run_seconds" "$2" "$3" "$4"
}
run_ws_raw() { # port size kind deflate
  node owin-benchmarks/ws-raw.js "ws://127.0.0.1:$1/" 32 4 "$run_seconds" "$2" "$3" "$4"
}
alloc() { curl -fs "http://127.0.0.1:$1/alloc"; }
cpu() { curl -fs "http://127.0.0.1:$1/cpu"; }

# compare NAME UNIT TARGET OWIN_PORT OWIN_PROBE BASE_PORT BASE_PROBE [ALLOC_NAME] -- RUNNER ARGS...
# RUNNER is called as RUNNER PORT ARGS... SECONDS-AT-END is not assumed: ARGS hold it.
compare() {
  local name=$1 unit=$2 target=$3 owin_port=$4 owin_probe=$5 base_port=$6 base_probe=$7 alloc_name=$8
  shift 9
  local runner=$1
  shift
  # Warm-up: one longer run each, discarded (the JIT compiles the OWIN layer's longer paths).
  run_seconds=$warmup
  "$runner" "$owin_port" "$@" >/dev/null
  "$runner" "$base_port" "$@" >/dev/null
  run_seconds=$seconds
  local ratios=() owins=() bases=() owin_alloc=() base_alloc=() owin_cpu=() base_cpu=() owin_client=- base_client=-
  for round in $(seq "$rounds"); do
    local order=("$owin_port" "$base_port")
    ((round % 2)) || order=("$base_port" "$owin_port")
    for port in "${order[@]}"; do
      local probe=$owin_probe
      [[ $port == "$base_port" ]] && probe=$base_probe
      local before after cpu_before cpu_after result
      before=$(alloc "$probe")
      cpu_before=$(cpu "$probe")
      result=$("$runner" "$port" "$@")
      cpu_after=$(cpu "$probe")
      after=$(alloc "$probe")
      # RATE COUNT [CLIENT_CPU_US_PER_OP]
      local fields=($result)
      local rate=${fields[0]} count=${fields[1]} client=${fields[2]:--}
      local per_request=0 cpu_per_op=0
      if ((count > 0)); then
        per_request=$(( (after - before) / count ))
        cpu_per_op=$(awk -v a="$cpu_after" -v b="$cpu_before" -v n="$count" 'BEGIN {printf "%.2f", (a - b) / n / 1000}')
      fi
      if [[ $port == "$owin_port" ]]; then owins+=("$rate"); owin_alloc+=("$per_request"); owin_cpu+=("$cpu_per_op"); owin_client=$client
      else bases+=("$rate"); base_alloc+=("$per_request"); base_cpu+=("$cpu_per_op"); base_client=$client; fi
    done
    ratios+=("$(ratio "${owins[-1]}" "${bases[-1]}")")
    printf '  %-32s round %d: owin %10s  baseline %10s  ratio %s  (server CPU us/op: owin %s, baseline %s; client: %s, %s)\n' \
      "$name" "$round" "${owins[-1]}" "${bases[-1]}" "${ratios[-1]}" "${owin_cpu[-1]}" "${base_cpu[-1]}" "$owin_client" "$base_client"
  done
  record "$name" "$unit" "$(printf '%s\n' "${owins[@]}" | median)" \
    "$(printf '%s\n' "${bases[@]}" | median)" "$(printf '%s\n' "${ratios[@]}" | median)" "$target"
  local c d
  c=$(printf '%s\n' "${owin_cpu[@]}" | median)
  d=$(printf '%s\n' "${base_cpu[@]}" | median)
  record "$name: server CPU" "us/op" "$c" "$d" "$(ratio "$c" "$d")" "-"
  if [[ $alloc_name != - ]]; then
    local a b
    a=$(printf '%s\n' "${owin_alloc[@]}" | median)
    b=$(printf '%s\n' "${base_alloc[@]}" | median)
    record "$alloc_name" "B/request" "$a" "$b" "$((a - b))" "<=512 above"
  fi
}

if runs http; then
echo "== HTTP"
for mode in blocking nonblocking; do
  start 18181 19181 OwinHello "$mode"
  start 18182 19182 PlainUndertowHello "$mode"
  compare "http plaintext $mode" "req/s" ">=0.97" 18181 19181 18182 19182 \
    "allocation plaintext $mode" -- run_wrk /
  if [[ $mode == blocking ]]; then
    printf 'wrk.method = "POST"\nwrk.body = string.rep("a", 4096)\nwrk.headers["Content-Type"] = "text/plain"\n' >"$out/post4k.lua"
    compare "http 4 KiB POST echo" "req/s" ">=0.95" 18181 19181 18182 19182 - -- \
      run_wrk /echo "$out/post4k.lua"
    compare "h2c plaintext (h2load)" "req/s" ">=0.95" 18181 19181 18182 19182 - -- \
      run_h2load /
  fi
  stop_all
done
fi

if runs ws; then
echo "== WebSocket"
start 18183 19183 OwinWebSocketEcho
start 18184 19184 PlainUndertowWebSocketEcho none
start 18185 19185 PlainUndertowWebSocketEcho deflate
# For reference, not a target: small messages against Undertow's own permessage-deflate. It runs
# first, so it also warms the OWIN server up for the small-message target that follows.
ws_small_deflate() { run_ws "$1" 64 text deflate; }
compare "ws 64 B text vs Undertow deflate" "msg/s" "-" 18183 19183 18185 19185 - -- \
  ws_small_deflate
# The baseline of the small-message scenario offers no compression: plain Undertow at its best.
ws_small() { if [[ $1 == 18184 ]]; then run_ws "$1" 64 text none; else run_ws "$1" 64 text deflate; fi; }
compare "ws 64 B text, deflate negotiated" "msg/s" ">=0.95" 18183 19183 18184 19184 - -- \
  ws_small
# The raw client: a client library's own deflate and inflate of every 4 KiB message would cost more
# CPU than either server, on the same cores, and cap both rates alike.
ws_json() { run_ws_raw "$1" 4096 json deflate; }
compare "ws 4 KiB JSON, compressed" "msg/s" ">=2.5" 18183 19183 18185 19185 - -- \
  ws_json
stop_all
fi

if runs idle; then
echo "== Idle WebSocket memory"
ready_in() { # file: waits until the idle client in FILE says it is ready
  for _ in $(seq 600); do
    grep -q '^ready' "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "idle client did not get ready: $(cat "$1")" >&2
  exit 1
}
idle() { # port probe connections
  # Warm up: a few hundred connections come and go, and 500 stay, so that the buffer pools and
  # malloc arenas have grown before the first figure; the 2,000 then come on top of those.
  timeout 60 node owin-benchmarks/ws-idle.js "ws://127.0.0.1:$1/" 200 exit >/dev/null
  node owin-benchmarks/ws-idle.js "ws://127.0.0.1:$1/" 500 hold >"$out/idle-base.txt" &
  local base=$!
  ready_in "$out/idle-base.txt"
  local before after ready
  before=$(curl -fs "http://127.0.0.1:$2/memory")
  node owin-benchmarks/ws-idle.js "ws://127.0.0.1:$1/" "$3" hold >"$out/idle-more.txt" &
  local more=$!
  ready_in "$out/idle-more.txt"
  ready=$(head -1 "$out/idle-more.txt")
  sleep 2
  after=$(curl -fs "http://127.0.0.1:$2/memory")
  kill "$base" "$more" 2>/dev/null || true
  wait "$base" "$more" 2>/dev/null || true
  awk -v b="$before" -v a="$after" -v n="$3" -v r="$ready" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    heap = (y[1] - x[1]) / n / 1024; rss = (y[2] - x[2]) / n / 1024;
    printf "%.1f %.1f %.1f %s\n", heap + rss, heap, rss, r }'
}
connections=2000
start 18186 19186 OwinWebSocketEcho
owin_idle=$(idle 18186 19186 "$connections")
stop_all
start 18187 19187 PlainUndertowWebSocketEcho deflate
base_idle=$(idle 18187 19187 "$connections")
stop_all
echo "  owin:     ${owin_idle} (KiB per connection: total heap rss; client: ready n extensions)"
echo "  baseline: ${base_idle}"
record "idle ws memory ($connections, deflate)" "KiB/conn" "${owin_idle%% *}" "${base_idle%% *}" \
  "$(ratio "${owin_idle%% *}" "${base_idle%% *}")" "<=32 KiB"
printf '%s\n%s\n' "idle_owin $owin_idle" "idle_baseline $base_idle" >>"$out/machine.txt"
fi

echo "load_after $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
echo "elapsed $(( $(date +%s) - started ))s" >>"$out/machine.txt"
java -cp "$cp" io.owin4j.benchmarks.PerfReport "$out"
echo "== took $(( $(date +%s) - started )) s; results in $out/results.tsv, $out/report.md, $out/chart.svg"
