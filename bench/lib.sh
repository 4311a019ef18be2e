# Helpers for bench/run.sh: starting and stopping mock-kandji, the gateway and redis-server on
# loopback ports, GraphQL calls with their wall time, and reading the mock's call counts and
# the gateway's metrics. Sourced, not run.

BENCH_PIDS=()

# Stops every process this run started (the EXIT trap calls it).
bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
}

# Stops one process started by this run.
bench_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  bench_forget "$1"
}

# Drops a process that has been waited for from BENCH_PIDS: once reaped, its id may belong to
# someone else's process, which bench_cleanup must not signal.
bench_forget() {
  local pid kept=()
  for pid in "${BENCH_PIDS[@]:-}"; do
    [ -n "$pid" ] && [ "$pid" != "$1" ] && kept+=("$pid")
  done
  BENCH_PIDS=("${kept[@]:-}")
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until URL answers 200, for at most 30 s.
wait_for() {
  local url=$1 i
  for i in $(seq 300); do
    curl -fs -o /dev/null "$url" && return 0
    sleep 0.1
  done
  echo "bench: $url never answered" >&2
  return 1
}

# start_mock DEVICES: starts mock-kandji with 20 ms latency and Kandji's real rate limits
# (50/s, 10,000/h), sets MOCK_PORT and MOCK_PID, and generates the tenant before timing.
start_mock() {
  MOCK_PORT=$(free_port)
  "$BIN/mock-kandji" --listen "127.0.0.1:$MOCK_PORT" --devices "$1" \
    --latency-ms "$LATENCY_MS" >"$WORK/mock-$1.log" 2>&1 &
  MOCK_PID=$!
  BENCH_PIDS+=("$MOCK_PID")
  wait_for "http://127.0.0.1:$MOCK_PORT/__mock/fleet?host=$TENANT_HOST"
}

# start_gateway TOKEN [FLAGS...]: starts a gateway (cold cache) on the mock's tenant, sets
# GATEWAY_PORT and GATEWAY_PID.
start_gateway() {
  local token=$1
  shift
  GATEWAY_PORT=$(free_port)
  "$BIN/kandji-gateway" serve --listen "127.0.0.1:$GATEWAY_PORT" \
    --kandji-url "https://$TENANT_HOST/api/v1/" --kandji-token "$token" \
    --kandji-connect-to "http://127.0.0.1:$MOCK_PORT" "$@" >>"$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  BENCH_PIDS+=("$GATEWAY_PID")
  wait_for "http://127.0.0.1:$GATEWAY_PORT/healthz"
}

# mock_admin METHOD PATH [JSON]: a mock-kandji control call.
mock_admin() {
  curl -fs -X "$1" -H 'Content-Type: application/json' ${3:+-d "$3"} \
    "http://127.0.0.1:$MOCK_PORT/__mock/$2"
}

# Upstream calls the mock has counted for the tenant so far.
mock_calls() {
  mock_admin GET "stats?host=$TENANT_HOST" | jq '.total'
}

# graphql FILE: POSTs the query in FILE to the gateway, writes the answer to
# $WORK/answer.json, prints the wall time in seconds. Fails on GraphQL errors, unless
# ALLOW_ERRORS names the one error code expected (data must still be there).
graphql() {
  local body seconds
  body=$(jq -n --rawfile q "$1" '{query: $q}')
  # Explicit returns: callers run this inside $(...), where set -e does not apply.
  rm -f "$WORK/answer.json"
  seconds=$(curl -fs -o "$WORK/answer.json" -w '%{time_total}' -H 'Content-Type: application/json' \
    -d "$body" "http://127.0.0.1:$GATEWAY_PORT/graphql") || {
    echo "bench: the query $1 got no 200 answer from the gateway" >&2
    return 1
  }
  check_answer "$1" "$WORK/answer.json" || return 1
  echo "$seconds"
}

# graphql_at_once QUERY_FILE PORT...: POSTs the query in QUERY_FILE to the gateways on every
# PORT at the same moment (one background curl each), waits for all of them, checks every
# answer as graphql does and sets AT_ONCE_SECONDS to the wall time of the slowest. Call it
# directly, not inside $(...): the curls must stay children of the script, in BENCH_PIDS.
graphql_at_once() {
  local query=$1 port pid start failed=0 pids=()
  shift
  jq -n --rawfile q "$query" '{query: $q}' >"$WORK/at-once.json"
  start=$(date +%s.%N)
  for port in "$@"; do
    rm -f "$WORK/answer-$port.json"
    curl -fs -o "$WORK/answer-$port.json" -H 'Content-Type: application/json' \
      -d @"$WORK/at-once.json" "http://127.0.0.1:$port/graphql" &
    pids+=("$!")
  done
  BENCH_PIDS+=("${pids[@]}")
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
    bench_forget "$pid"
  done
  AT_ONCE_SECONDS=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  if [ "$failed" != 0 ]; then
    echo "bench: the query $query got no 200 answer from one of the gateways on $*" >&2
    return 1
  fi
  for port in "$@"; do
    check_answer "$query" "$WORK/answer-$port.json" || return 1
  done
}

# check_answer QUERY_FILE ANSWER_FILE: fails, printing the first errors, when the answer has
# no data or GraphQL errors other than ALLOW_ERRORS.
check_answer() {
  if jq -e --arg ok "${ALLOW_ERRORS:-}" \
    '.data == null or ([.errors[]? | select(.extensions.code != $ok)] | length > 0)' \
    "$2" >/dev/null; then
    echo "bench: the query $1 answered errors:" >&2
    jq -c '.errors[:3]' "$2" >&2
    return 1
  fi
}

# gateway_429s [PORT]: upstream answers with status 429 the gateway on PORT (default
# GATEWAY_PORT) has seen, from its /metrics.
gateway_429s() {
  curl -fs "http://127.0.0.1:${1:-$GATEWAY_PORT}/metrics" |
    metric_sum kandji_upstream_requests_total 'status="429"'
}

# metric_sum NAME [LABEL]: reads a Prometheus text exposition on stdin and prints the sum of
# metric NAME over its series whose labels contain LABEL (e.g. 'outcome="hit"'); 0 if none.
metric_sum() {
  awk -v name="$1" -v label="${2:-}" '
    # Label values may hold spaces (cache="GET /api/v1/devices"): match on the whole line.
    (index($0, name " ") == 1 || index($0, name "{") == 1) && index($0, label) { n += $NF }
    END { print n + 0 }'
}

# start_redis: starts an empty redis-server on a free 127.0.0.1 port, in memory only (no RDB
# snapshot, no AOF, files only under $WORK), sets REDIS_PORT and REDIS_PID.
start_redis() {
  local i
  REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --save '' --appendonly no --dir "$WORK" >>"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  BENCH_PIDS+=("$REDIS_PID")
  # redis-cli comes with Debian's redis-server (its redis-tools dependency).
  for i in $(seq 300); do
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  echo "bench: redis-server on port $REDIS_PORT never answered" >&2
  return 1
}

# A process's peak and current resident memory in MiB: "PEAK CURRENT".
memory_mib() {
  awk '/^VmHWM/ { peak = $2 } /^VmRSS/ { now = $2 } END { printf "%.0f %.0f\n", peak / 1024, now / 1024 }' \
    "/proc/$1/status"
}

# run_wrk SCRIPT URL: a bounded load run; prints wrk's BENCH line (rps, p50, p99, errors).
run_wrk() {
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$1" "$2" >"$WORK/wrk.txt" 2>&1 || true
  grep '^BENCH' "$WORK/wrk.txt" || {
    echo "bench: wrk failed:" >&2
    cat "$WORK/wrk.txt" >&2
    return 1
  }
}

# field LINE NAME: one "name=value" field of a BENCH line.
field() {
  tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}
