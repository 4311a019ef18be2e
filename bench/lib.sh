# Helpers for bench/run.sh: starting and stopping mock-kandji and the gateway on loopback
# ports, GraphQL calls with their wall time, and reading the mock's call counts and the
# gateway's metrics. Sourced, not run.

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
  seconds=$(curl -fs -o "$WORK/answer.json" -w '%{time_total}' -H 'Content-Type: application/json' \
    -d "$body" "http://127.0.0.1:$GATEWAY_PORT/graphql")
  if jq -e --arg ok "${ALLOW_ERRORS:-}" \
    '.data == null or ([.errors[]? | select(.extensions.code != $ok)] | length > 0)' \
    "$WORK/answer.json" >/dev/null; then
    echo "bench: the query $1 answered errors:" >&2
    jq -c '.errors[:3]' "$WORK/answer.json" >&2
    return 1
  fi
  echo "$seconds"
}

# Upstream answers with status 429 the gateway has seen (from its /metrics).
gateway_429s() {
  curl -fs "http://127.0.0.1:$GATEWAY_PORT/metrics" |
    awk '/^kandji_upstream_requests_total\{/ && /status="429"/ { n += $NF } END { print n + 0 }'
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
