#!/usr/bin/env bash
# Throughput of `hooktool send --count 20000 --concurrency 50` against a fast local receiver,
# compared with oha sending as many POSTs of the same size at the same concurrency (when oha
# is installed). Target: hooktool's requests per second at least 80% of oha's.
#
# The two take turns for ROUNDS rounds and each keeps its best round, so that a burst of
# load from elsewhere on the machine penalises neither.
#
# Usage: benches/send.sh [COUNT] [CONCURRENCY] [ROUNDS]
set -euo pipefail

count=${1:-20000}
concurrency=${2:-50}
rounds=${3:-5}
port=${PORT:-38517}
event=${EVENT:-user_created}
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
"$hooktool" generate "$event" --secret "$secret" --seed 1 --format body >"$workdir/body.json" 2>/dev/null
have_oha=$(command -v oha >/dev/null && echo yes || echo no)

best() { python3 -c 'import sys; print(max(float(x) for x in sys.argv[1:]))' "$@"; }
hooktool_rates=()
oha_rates=()
for round in $(seq "$rounds"); do
    "$hooktool" send "$event" --to "$port" --secret "$secret" --seed "$round" \
        --count "$count" --concurrency "$concurrency" --json 2>/dev/null >"$workdir/report.json"
    rate=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["summary"]; assert s["delivered"] == s["planned"], s; print("%.0f" % s["requests_per_second"])' "$workdir/report.json")
    hooktool_rates+=("$rate")
    line="round $round: hooktool $rate req/s"
    if [ "$have_oha" = yes ]; then
        rate=$(oha --no-tui --output-format json -n "$count" -c "$concurrency" -m POST \
            -H 'Content-Type: application/json' -D "$workdir/body.json" "http://127.0.0.1:$port/" |
            python3 -c 'import json, sys; print("%.0f" % json.load(sys.stdin)["summary"]["requestsPerSec"])')
        oha_rates+=("$rate")
        line="$line, oha $rate req/s"
    fi
    echo "$line"
done

hooktool_best=$(best "${hooktool_rates[@]}")
echo "hooktool: best $hooktool_best req/s ($count distinct $event events, concurrency $concurrency, $rounds rounds)"
if [ "$have_oha" = no ]; then
    echo "oha: not installed (cargo install oha), no comparison"
    exit 0
fi
oha_best=$(best "${oha_rates[@]}")
echo "oha:      best $oha_best req/s ($(wc -c <"$workdir/body.json") byte bodies)"
python3 -c 'import sys; r = float(sys.argv[1]) / float(sys.argv[2]); print("hooktool/oha = %.0f%% (target >= 80%%)" % (r * 100)); sys.exit(0 if r >= 0.8 else 1)' "$hooktool_best" "$oha_best"
