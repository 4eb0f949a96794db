#!/usr/bin/env bash
# listen's request rate while it captures every request to a file, against a bare axum server on
# the same stack answering 200 with no capture. Target: listen >= 50% of the bare rate, with
# every request in the capture file. Uses `oha` when installed, else examples/load.rs.
#
#   benches/listen.sh            # TOTAL=20000 CONCURRENCY=50 by default
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${TOTAL:-20000}
CONCURRENCY=${CONCURRENCY:-50}
WARMUP=2000

cargo build --release --quiet --bin hooktool --example bench_receiver --example load
work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Starts a server printing `listening on http://ADDR/` first on stderr; sets $server and $url.
start() {
    "$@" 2>"$work/stderr" &
    server=$!
    until grep -q '^listening on ' "$work/stderr" 2>/dev/null; do sleep 0.05; done
    url=$(head -1 "$work/stderr" | sed 's/^listening on //')
}

# SIGTERM: a background job of a script ignores SIGINT. listen ends on its own (--expect).
stop() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" || true
    server=
}

# Prints requests/s for $1 requests against $url.
rate() {
    if command -v oha >/dev/null; then
        oha --no-tui -n "$1" -c "$CONCURRENCY" -m POST -T application/json \
            -d "$(printf '{"Event":"user_created","Padding":"%0400d"}' 0)" "$url" |
            awk '/Requests\/sec/ { printf "%.0f\n", $2 }'
    else
        target/release/examples/load "$url" "$1" "$CONCURRENCY" |
            sed -E 's/.*: ([0-9]+) requests\/s.*/\1/'
    fi
}

# Alternating rounds, best of each: the machine may be shared, and a best rate is the least
# disturbed one.
ROUNDS=${ROUNDS:-3}
bare=0
listen=0
for round in $(seq "$ROUNDS"); do
    start target/release/examples/bench_receiver
    rate "$WARMUP" >/dev/null
    measured=$(rate "$TOTAL")
    [ "$measured" -gt "$bare" ] && bare=$measured
    stop

    rm -f "$work/capture.jsonl"
    start target/release/hooktool listen --port 0 --out "$work/capture.jsonl" --expect $((WARMUP + TOTAL))
    rate "$WARMUP" >/dev/null
    measured=$(rate "$TOTAL")
    [ "$measured" -gt "$listen" ] && listen=$measured
    wait "$server"
    server=
    captured=$(wc -l <"$work/capture.jsonl")
    echo "round $round: bare $bare, listen $listen requests/s (best so far); captured $captured of $((WARMUP + TOTAL))"
    [ "$captured" -eq $((WARMUP + TOTAL)) ] || { echo "FAIL: requests missing from the capture" >&2; exit 1; }
done

echo "load generator: $(command -v oha >/dev/null && echo oha || echo examples/load.rs), $TOTAL requests, concurrency $CONCURRENCY, best of $ROUNDS rounds"
echo "bare axum server:        $bare requests/s"
echo "hooktool listen --out:   $listen requests/s ($((100 * listen / bare))% of bare), every request captured"
[ $((2 * listen)) -ge "$bare" ] || { echo "FAIL: below 50% of the bare server's rate" >&2; exit 1; }
