#!/usr/bin/env bash
# Benchmark of `events validate` and `events send` (not a test; CI does not run it).
#
#   bench/events.sh                  # builds the release binary first
#   BIN=target/release/intercom-iac bench/events.sh
#
# Knobs (environment): LINES (validate, default 1000000), SEND (events sent, default 2000),
# RATE (--rate of the send, default 500), CARGO (default cargo).
#
# Prints validate throughput (lines/s) and peak RSS (which should not grow with LINES: the
# file is streamed), then send throughput against `sandbox serve` next to the configured rate.
set -euo pipefail
cd "$(dirname "$0")/.."

LINES=${LINES:-1000000}
SEND=${SEND:-2000}
RATE=${RATE:-500}

if [[ -z "${BIN:-}" ]]; then
    "${CARGO:-cargo}" build --release --quiet
    BIN=target/release/intercom-iac
fi
BIN=$(realpath "$BIN")

work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/cfg.yaml" <<'EOF'
events:
  - name: signed-up
    metadata:
      source: {type: string, required: true}
  - name: upgraded-plan
    metadata:
      plan: {type: string, required: true}
      seats: {type: number}
      renewal_date: {type: date}
      invoice: {type: link}
      amount: {type: money}
EOF

# Distinct (contact, name, created_at) per line, over the sandbox's default contacts.
generate() {
    awk -v n="$1" 'BEGIN {
        for (i = 0; i < n; i++) {
            u = "user-100" (i % 4 + 1); t = 1700000000 + i
            if (i % 2 == 0)
                printf "{\"event_name\":\"signed-up\",\"created_at\":%d,\"user_id\":\"%s\",\"metadata\":{\"source\":\"web\"}}\n", t, u
            else
                printf "{\"event_name\":\"upgraded-plan\",\"created_at\":%d,\"user_id\":\"%s\",\"metadata\":{\"plan\":\"pro\",\"seats\":%d,\"renewal_date\":1800000000,\"invoice\":\"https://example.com/i/%d\",\"amount\":{\"amount\":4900,\"currency\":\"eur\"}}}\n", t, u, i % 50, i
        }
    }'
}

now() { date +%s.%N; }

# Runs a command and prints its peak RSS in KiB on fd 3.
peak_rss() {
    if /usr/bin/time -v true >/dev/null 2>&1; then
        /usr/bin/time -v -o "$work/time.txt" "$@"
        local rc=$?
        awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt" >&3
        return $rc
    fi
    "$@" &
    local pid=$! peak=0 hwm
    while kill -0 "$pid" 2>/dev/null; do
        hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [[ -n "$hwm" && "$hwm" -gt "$peak" ]] && peak=$hwm
        sleep 0.05
    done
    wait "$pid"
    local rc=$?
    echo "$peak" >&3
    return $rc
}

echo "generating $LINES events..."
generate "$LINES" >"$work/events.ndjson"
size=$(du -h "$work/events.ndjson" | cut -f1)

start=$(now)
peak_rss "$BIN" events validate "$work/events.ndjson" -c "$work/cfg.yaml" -q 3>"$work/rss.txt"
end=$(now)
awk -v n="$LINES" -v s="$start" -v e="$end" -v size="$size" -v rss="$(cat "$work/rss.txt")" 'BEGIN {
    printf "events validate: %d lines (%s) in %.2f s = %.0f lines/s; peak RSS %.1f MiB\n", n, size, e - s, n / (e - s), rss / 1024
}'

# events send against a local sandbox serve: once with a rate limit that does not bind (so the
# pace is --rate's), once with Intercom's default limit (1666 requests per 10 s window), which
# the client's limiter must respect whatever --rate says.
generate "$SEND" >"$work/send.ndjson"

start_server() {
    "$BIN" sandbox serve --addr 127.0.0.1:0 "$@" >"$work/serve.out" 2>/dev/null &
    server_pid=$!
    url=
    for _ in $(seq 1 200); do
        url=$(sed -n 's/^listening on //p' "$work/serve.out")
        [[ -n "$url" ]] && return 0
        sleep 0.05
    done
    echo "sandbox serve did not start" >&2
    exit 1
}

bench_send() {
    local label=$1
    shift
    start_server "$@"
    rm -f "$work/send.ndjson.checkpoint" "$work/send.ndjson.rejects"
    local start end received
    start=$(now)
    INTERCOM_ACCESS_TOKEN=bench "$BIN" events send "$work/send.ndjson" -c "$work/cfg.yaml" \
        --endpoint "$url" --rate "$RATE" -q
    end=$(now)
    received=$(curl -fsS "$url/_sandbox/stats" 2>/dev/null |
        sed -n 's/.*"events_received":\([0-9]*\).*/\1/p' || true)
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
    awk -v n="$SEND" -v s="$start" -v e="$end" -v rate="$RATE" -v got="${received:-?}" -v label="$label" 'BEGIN {
        printf "events send (%s): %d events in %.2f s = %.0f events/s with --rate %d (%.0f%% of it); sandbox received %s\n", label, n, e - s, n / (e - s), rate, 100 * n / (e - s) / rate, got
    }'
}

bench_send "no binding rate limit" --rate-limit 1000000
bench_send "Intercom's default limit"
