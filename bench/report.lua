-- Shared by the wrk scripts of bench/run.sh: at the end of a run, one line that the script
-- reads back: requests per second, p50 and p99 latency in milliseconds, and non-2xx answers.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, summary.requests))
end
