#!/usr/bin/env bash
# The performance benchmark of README "Performance". It builds the release binaries, installs
# wrk and redis-server (and jq, curl, python3) from Debian's packages when missing, and for
# each fleet size starts mock-kandji (20 ms latency, Kandji's real rate limits) and fresh
# gateways on 127.0.0.1 ports, then prints one table:
#   - upstream calls and wall time of a cold complianceSummary and of a cold first page of 50
#     devices with compliance (every permission: the fleet-wide path);
#   - the same two cold queries sent at the same moment to three gateways sharing one fresh,
#     empty redis-server (README "Running several replicas"), then to three without Redis:
#     upstream calls of the three together, the slowest one's wall time, 429s, and with Redis
#     where the shared answers came from and any failed Redis calls;
#   - the same summary with only Drata's four permissions, and with blueprints added
#     (per-device path), against the bound "one list pass + three calls per Mac", and 429s;
#   - warm throughput and p50/p99 of the page query next to mock-kandji serving
#     GET /devices?limit=50 in the same run, as a ratio; then the same with kept answers off
#     (--response-cache-secs 0), every request executing the query over the cache;
#   - the gateway's peak memory with the largest fleet's dashboard data cached, then with
#     every device's details, apps and library items as well.
# Every process it starts is stopped on exit. Nothing leaves 127.0.0.1.
#
# Environment: BENCH_SIZES (default "250 1000 5000"), BENCH_DURATION (wrk -d, default 10s),
# BENCH_CONNECTIONS (wrk -c, default 32), BENCH_SKIP_BUILD=1 to use target/release as built.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
BIN=$ROOT/target/release
SIZES=${BENCH_SIZES:-"250 1000 5000"}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
LATENCY_MS=20
# mock-kandji's built-in token with every permission (a fixed fake, not a secret), and two
# tokens this script registers with fewer.
TOKEN=00000000-0000-4000-8000-000000000000
DRATA_TOKEN=dddddddd-0000-4000-8000-0000000000d4
DRATA_BLUEPRINTS_TOKEN=dddddddd-0000-4000-8000-0000000000d5
DRATA='"device_list","device_details","application_list","device_library_items"'
# Kandji's hourly limit is 10,000 calls: the per-device path is only run where it fits.
PER_DEVICE_MAX_SIZE=1000
TENANT_HOST=acme.api.kandji.io
export BENCH_TENANT_HOST=$TENANT_HOST BENCH_TOKEN=$TOKEN

WORK=$(mktemp -d)
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"
trap 'bench_cleanup; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

install_tools() {
  local missing=() tool sudo=""
  # Each command comes from the Debian package of the same name.
  for tool in wrk jq curl python3 redis-server; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "bench: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_tools
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: building release binaries" >&2
  (cd "$ROOT" && cargo build --release --workspace --bins --quiet)
fi

declare -A R
MAX_SIZE=$(tr ' ' '\n' <<<"$SIZES" | sort -n | tail -1)

# cold NAME QUERY_FILE TOKEN [FLAGS...]: one query on a fresh gateway; records calls, seconds
# and 429s under NAME for the current size.
cold() {
  local name=$1 query=$2 token=$3 before seconds
  shift 3
  start_gateway "$token" "$@"
  before=$(mock_calls)
  seconds=$(graphql "$query")
  R[$name.calls.$n]=$(($(mock_calls) - before))
  R[$name.seconds.$n]=$(printf '%.2f' "$seconds")
  R[$name.429.$n]=$(gateway_429s)
  bench_stop "$GATEWAY_PID"
}

# cold_replicas NAME QUERY_FILE [FLAGS...]: three fresh gateways with FLAGS, the query sent to
# all three at once; records under NAME the calls of the three together, the slowest one's
# seconds, their 429s, where their shared answers came from (Redis fetched / waited / hit /
# local) and their failed or skipped Redis calls.
cold_replicas() {
  local name=$1 query=$2 before port pid op outcome ports=() pids=()
  shift 2
  for _ in 1 2 3; do
    start_gateway "$TOKEN" "$@"
    ports+=("$GATEWAY_PORT")
    pids+=("$GATEWAY_PID")
  done

  before=$(mock_calls)
  graphql_at_once "$query" "${ports[@]}"
  R[$name.calls.$n]=$(($(mock_calls) - before))
  R[$name.seconds.$n]=$AT_ONCE_SECONDS

  # Sums over the three /metrics pages.
  local -A sum=([429]=0 [redis_errors]=0 [fetched]=0 [waited]=0 [hit]=0 [local]=0)
  for port in "${ports[@]}"; do
    curl -fs -o "$WORK/metrics.txt" "http://127.0.0.1:$port/metrics"
    sum[429]=$((sum[429] + $(metric_sum kandji_upstream_requests_total 'status="429"' \
      <"$WORK/metrics.txt")))
    for op in gateway_redis_errors_total gateway_redis_skipped_total; do
      sum[redis_errors]=$((sum[redis_errors] + $(metric_sum "$op" <"$WORK/metrics.txt")))
    done
    for outcome in fetched waited hit local; do
      sum[$outcome]=$((sum[$outcome] + $(metric_sum gateway_l2_lookups_total \
        "outcome=\"$outcome\"" <"$WORK/metrics.txt")))
    done
  done
  R[$name.429.$n]=${sum[429]}
  R[$name.redis_errors.$n]=${sum[redis_errors]}
  R[$name.l2.$n]=${sum[fetched]}/${sum[waited]}/${sum[hit]}/${sum[local]}
  for pid in "${pids[@]}"; do bench_stop "$pid"; done
}

# fill_cache QUERY_FILE: runs a paged devices query over the whole fleet.
fill_cache() {
  local after=null page=0
  while :; do
    jq -n --argjson after "$after" --rawfile q "$1" \
      '{query: $q, variables: {after: $after}}' >"$WORK/fleet.json"
    curl -fs -o "$WORK/answer.json" -H 'Content-Type: application/json' \
      -d @"$WORK/fleet.json" "http://127.0.0.1:$GATEWAY_PORT/graphql"
    if jq -e '.errors' "$WORK/answer.json" >/dev/null; then
      jq -c '.errors[:3]' "$WORK/answer.json" >&2
      return 1
    fi
    page=$((page + 1))
    [ "$(jq '.data.devices.pageInfo.hasNextPage' "$WORK/answer.json")" = true ] || break
    after=$(jq '.data.devices.pageInfo.endCursor' "$WORK/answer.json")
  done
}

for n in $SIZES; do
  echo "bench: $n devices" >&2
  start_mock "$n"
  R[macs.$n]=$(mock_admin GET "fleet?host=$TENANT_HOST" | jq '.by_platform.Mac // 0')
  R[bound.$n]=$(((n + 299) / 300 + 3 * R[macs.$n]))

  # Cold queries with every permission: the fleet-wide path.
  cold summary "$BENCH/summary.graphql" "$TOKEN"
  cold page "$BENCH/page.graphql" "$TOKEN"

  # Replicas: the same cold queries sent to three gateways at once, first sharing a fresh
  # redis-server (one per query, so each starts empty), then each with its own cache.
  for query in summary page; do
    start_redis
    cold_replicas "redis_$query" "$BENCH/$query.graphql" \
      --redis-url "redis://127.0.0.1:$REDIS_PORT/"
    bench_stop "$REDIS_PID"
    cold_replicas "alone_$query" "$BENCH/$query.graphql"
  done

  # Drata's four permissions, then with blueprints: per-device calls. The gateway's own
  # hourly limiter (a burst of a tenth of the hour) is off here so that one run fits in
  # minutes; the mock still enforces 50/s and 10,000/h.
  if [ "$n" -le "$PER_DEVICE_MAX_SIZE" ]; then
    mock_admin POST tokens "{\"token\":\"$DRATA_TOKEN\",\"permissions\":[$DRATA]}" >/dev/null
    mock_admin POST tokens \
      "{\"token\":\"$DRATA_BLUEPRINTS_TOKEN\",\"permissions\":[$DRATA,\"blueprints\"]}" >/dev/null
    # Without blueprints the gateway says once that it cannot tell "not assigned" from
    # "does not exist": a FORBIDDEN error next to the summary.
    ALLOW_ERRORS=FORBIDDEN cold drata "$BENCH/summary.graphql" "$DRATA_TOKEN" \
      --upstream-per-hour 0
    cold drata_bp "$BENCH/summary.graphql" "$DRATA_BLUEPRINTS_TOKEN" --upstream-per-hour 0
  fi

  # Warm: no latency or limits on the mock, so both sides are measured on CPU alone.
  mock_admin PUT faults '{}' >/dev/null
  mock_admin PUT rate-limit '{"per_second":0,"per_hour":0}' >/dev/null
  start_gateway "$TOKEN"
  graphql "$BENCH/page.graphql" >/dev/null
  before=$(mock_calls)
  gateway=$(run_wrk "$BENCH/page.lua" "http://127.0.0.1:$GATEWAY_PORT/graphql")
  R[warm.calls.$n]=$(($(mock_calls) - before))
  mock=$(run_wrk "$BENCH/plain.lua" "http://127.0.0.1:$MOCK_PORT/api/v1/devices?limit=50")
  for f in rps p50_ms p99_ms errors; do
    R[gw.$f.$n]=$(field "$gateway" "$f")
    R[mock.$f.$n]=$(field "$mock" "$f")
  done
  R[ratio.$n]=$(awk -v g="${R[gw.rps.$n]}" -v m="${R[mock.rps.$n]}" 'BEGIN { printf "%.2f", g / m }')
  bench_stop "$GATEWAY_PID"
  # The same with kept answers off: every request executes the query over the cache.
  start_gateway "$TOKEN" --response-cache-secs 0
  graphql "$BENCH/page.graphql" >/dev/null
  executing=$(run_wrk "$BENCH/page.lua" "http://127.0.0.1:$GATEWAY_PORT/graphql")
  for f in rps p50_ms p99_ms; do
    R[exec.$f.$n]=$(field "$executing" "$f")
  done
  R[exec.ratio.$n]=$(awk -v g="${R[exec.rps.$n]}" -v m="${R[mock.rps.$n]}" 'BEGIN { printf "%.2f", g / m }')
  bench_stop "$GATEWAY_PID"

  # Memory (largest size only), client limits off: first what a dashboard caches (the list,
  # users, every device's compliance), then every device's details, apps and library items.
  if [ "$n" = "$MAX_SIZE" ]; then
    start_gateway "$TOKEN" --upstream-per-second 0 --upstream-per-hour 0
    fill_cache "$BENCH/dashboard.graphql"
    read -r R[dash.peak] R[dash.now] <<<"$(memory_mib "$GATEWAY_PID")"
    before=$(mock_calls)
    start=$(date +%s.%N)
    fill_cache "$BENCH/fleet.graphql"
    R[fill.seconds]=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    R[fill.calls]=$(($(mock_calls) - before))
    before=$(mock_calls)
    fill_cache "$BENCH/fleet.graphql"
    R[refill.calls]=$(($(mock_calls) - before))
    read -r R[mem.peak] R[mem.now] <<<"$(memory_mib "$GATEWAY_PID")"
    bench_stop "$GATEWAY_PID"
  fi
  bench_stop "$MOCK_PID"
done

# The table.
get() { echo "${R[$1]:--}"; }
row() {
  local label=$1 key=$2 target=$3 s
  printf '%-44s' "$label"
  for s in $SIZES; do printf ' %10s' "$(get "$key.$s")"; done
  printf '   %s\n' "$target"
}
printf '\n%-44s' "devices (Macs)"
for s in $SIZES; do printf ' %10s' "$s ($(get "macs.$s"))"; done
printf '   %s\n' "target"
row "cold complianceSummary: upstream calls" summary.calls "<= 40 at 1,000"
row "cold complianceSummary: seconds" summary.seconds "< 3 at 1,000"
row "cold page of 50 with compliance: calls" page.calls ""
row "cold page of 50 with compliance: seconds" page.seconds ""
for query in summary page; do
  if [ "$query" = summary ]; then
    printf '%s\n' "cold complianceSummary sent to 3 gateways at once:"
  else
    printf '%s\n' "cold page of 50 sent to 3 gateways at once:"
  fi
  row "  one gateway alone (above): calls" "$query.calls" ""
  row "  3 sharing Redis: calls of all three" "redis_$query.calls" "= one gateway"
  row "  3 sharing Redis: 429s" "redis_$query.429" "0"
  row "  3 sharing Redis: seconds (slowest)" "redis_$query.seconds" ""
  row "  3 sharing Redis: fetched/waited/hit/local" "redis_$query.l2" ""
  row "  3 sharing Redis: failed Redis calls" "redis_$query.redis_errors" "0"
  row "  3 without Redis: calls of all three" "alone_$query.calls" "3 x one gateway"
  row "  3 without Redis: 429s" "alone_$query.429" ""
done
row "4 permissions: summary calls" drata.calls "<= list pass + 3/Mac"
row "4 permissions: list pass + 3/Mac" bound ""
row "4 permissions: seconds" drata.seconds ""
row "4 permissions: 429s" drata.429 "0"
row "4 permissions + blueprints: calls" drata_bp.calls "<= list pass + 3/Mac"
row "4 permissions + blueprints: seconds" drata_bp.seconds ""
row "4 permissions + blueprints: 429s" drata_bp.429 "0"
row "429s, every permission (summary + page)" summary.429 "0"
row "warm page: gateway req/s" gw.rps ""
row "warm page: gateway p50 ms" gw.p50_ms ""
row "warm page: gateway p99 ms" gw.p99_ms ""
row "mock GET /devices?limit=50: req/s" mock.rps ""
row "mock GET /devices?limit=50: p50 ms" mock.p50_ms ""
row "mock GET /devices?limit=50: p99 ms" mock.p99_ms ""
row "warm ratio gateway / mock" ratio ">= 0.5"
row "kept answers off: gateway req/s" exec.rps ""
row "kept answers off: gateway p50 ms" exec.p50_ms ""
row "kept answers off: gateway p99 ms" exec.p99_ms ""
row "kept answers off: ratio gateway / mock" exec.ratio ""
row "upstream calls during the warm run" warm.calls "0"
row "non-2xx or socket errors (gateway)" gw.errors "0"
printf '\n%s devices, gateway resident memory (target < 200 MB):\n' "$MAX_SIZE"
printf '  dashboard data (list, users, compliance of every device): peak %s MiB\n' \
  "$(get dash.peak)"
printf '  plus every device'"'"'s details, apps, library items (--cache-max-mb default): peak %s MiB\n' \
  "$(get mem.peak)"
printf '    filled with %s upstream calls in %s s; a second pass made %s calls (one per evicted entry)\n' \
  "$(get fill.calls)" "$(get fill.seconds)" "$(get refill.calls)"
printf '\nmachine: %s cores, %s RAM, %s; %s\n' "$(nproc)" \
  "$(free -h | awk '/^Mem:/ { print $2 }')" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(date -u +%Y-%m-%d)"
