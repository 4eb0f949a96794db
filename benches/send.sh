#!/usr/bin/env bash
# Throughput of `hooktool send --count 20000 --concurrency 50` against a fast local receiver,
# compared with oha sending as many POSTs of the same size at the same concurrency (when oha
# is installed). Target: hooktool's requests per second at least 80% of oha's.
#
# Usage: benches/send.sh [COUNT] [CONCURRENCY]
set -euo pipefail

count=${1:-20000}
concurrency=${2:-50}
port=${PORT:-38517}
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin hooktool --example bench_receiver
hooktool=target/release/hooktool
receiver=target/release/examples/bench_receiver

"$receiver" "$port" 2>/dev/null &
receiver_pid=$!
workdir=$(mktemp -d)
trap 'kill "$receiver_pid" 2>/dev/null; rm -rf "$workdir"' EXIT
sleep 0.3

secret=whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
"$hooktool" send user_created --to "$port" --secret "$secret" --seed 1 \
    --count "$count" --concurrency "$concurrency" --json 2>/dev/null >"$workdir/report.json"
summary='import json, sys; s = json.load(open(sys.argv[1]))["summary"]'
hooktool_rps=$(python3 -c "$summary"'; print("%.0f" % s["requests_per_second"])' "$workdir/report.json")
python3 -c "$summary"'; print("hooktool: %d/%d delivered in %.2f s, %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms" % (s["delivered"], s["planned"], s["elapsed_ms"] / 1000, s["requests_per_second"], s["latency_p50_ms"], s["latency_p90_ms"], s["latency_p99_ms"]))' "$workdir/report.json"

if ! command -v oha >/dev/null; then
    echo "oha: not installed (cargo install oha), no comparison"
    exit 0
fi
"$hooktool" generate user_created --secret "$secret" --seed 1 --format body >"$workdir/body.json" 2>/dev/null
oha_rps=$(oha --no-tui --output-format json -n "$count" -c "$concurrency" -m POST \
    -H 'Content-Type: application/json' -D "$workdir/body.json" "http://127.0.0.1:$port/" |
    python3 -c 'import json, sys; print("%.0f" % json.load(sys.stdin)["summary"]["requestsPerSec"])')
echo "oha:      $oha_rps req/s ($(wc -c <"$workdir/body.json") byte bodies)"
python3 -c 'import sys; r = float(sys.argv[1]) / float(sys.argv[2]); print("hooktool/oha = %.0f%% (target >= 80%%)" % (r * 100)); sys.exit(0 if r >= 0.8 else 1)' "$hooktool_rps" "$oha_rps"
