#!/usr/bin/env bash
# hooktool against an earlier build of itself, on the same inputs, in alternating rounds (best of
# each): validate (10,000 files), verify (100,000 JSON Lines records; set RAW=1 to add 100,000
# concatenated raw HTTP requests, which builds older than the linear reader take minutes on),
# send (20,000 events at concurrency 50 to a fast receiver) and listen (20,000 requests at
# concurrency 50, every one captured). Prints one row per benchmark with both
# figures and their ratio; exits 1 when the current build is more than 10% slower anywhere.
#
#   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo build --release)
#   benches/regression.sh /tmp/before/target/release/hooktool
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE=${1:?usage: benches/regression.sh BASELINE_HOOKTOOL}
ROUNDS=${ROUNDS:-3}
SECRET=whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
NOW=1700000000

cargo build --release --quiet --bin hooktool --example bench_receiver --example load
CURRENT=$PWD/target/release/hooktool
WORK=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT

# --- inputs -------------------------------------------------------------------------------
EVENTS=$("$CURRENT" events --json | python3 -c 'import json, sys; print(" ".join(e["name"] for e in json.load(sys.stdin)))')
mkdir -p "$WORK/samples"
for event in $EVENTS; do
    for seed in 1 2 3 4 5; do
        "$CURRENT" generate "$event" --seed "$seed" --now "$NOW" --format payload \
            > "$WORK/samples/$event.$seed.json" 2>/dev/null
    done
done
python3 - "$WORK" "$SECRET" "$NOW" $EVENTS <<'PY'
import hashlib, hmac, json, os, sys
work, secret, now, events = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3]), sys.argv[4:]
for n in range(10000):
    event = events[n % len(events)]
    with open(f"{work}/samples/{event}.{n // len(events) % 5 + 1}.json") as f:
        document = json.load(f)
    os.makedirs(f"{work}/corpus/{event}", exist_ok=True)
    with open(f"{work}/corpus/{event}/{n:05}.json", "w") as f:
        json.dump(document, f, indent=4)
with open(f"{work}/capture.jsonl", "w") as lines, open(f"{work}/requests.http", "w") as raw:
    for seq in range(1, 100001):
        body = json.dumps({"CustomerId": f"cus_{seq:08d}", "Content": ""}, separators=(",", ":"))
        body = body.replace('"Content":""', '"Content":"' + "x" * (1024 - len(body)) + '"')
        t = now - seq % 60
        v1 = hmac.new(secret, f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"content-type": "application/json", "x-cativa-signature": f"t={t},v1={v1}"}
        lines.write(json.dumps({"seq": seq, "received_at": "2023-11-14T22:13:20Z", "method": "POST",
            "path": "/", "headers": headers, "body": body, "status": 200, "verified": True,
            "duplicate": False}, separators=(",", ":")) + "\n")
        raw.write(f"POST / HTTP/1.1\r\nContent-Type: application/json\r\n"
                  f"X-Cativa-Signature: t={t},v1={v1}\r\nContent-Length: {len(body)}\r\n\r\n{body}")
PY

# --- measures: each prints one number, higher is better -------------------------------------
seconds() { python3 -c 'import sys; print(f"{(int(sys.argv[2]) - int(sys.argv[1])) / 1e9:.4f}")' "$@"; }
files_per_second() {
    local start end
    start=$(date +%s%N)
    "$1" --color never validate "$WORK/corpus" --format json > /dev/null 2>&1 || true
    end=$(date +%s%N)
    python3 -c 'import sys; print(round(10000 / float(sys.argv[1])))' "$(seconds "$start" "$end")"
}
verified_per_second() {
    local start end
    start=$(date +%s%N)
    "$1" --color never verify "$2" --secret "$SECRET" --now "$NOW" > "$WORK/verify.out" 2> /dev/null
    end=$(date +%s%N)
    [[ $(grep -c ': ok (cativa)$' "$WORK/verify.out") == 100000 ]] || { echo "verify missed requests" >&2; exit 1; }
    python3 -c 'import sys; print(round(100000 / float(sys.argv[1])))' "$(seconds "$start" "$end")"
}
verify_lines() { verified_per_second "$1" "$WORK/capture.jsonl"; }
verify_raw() { verified_per_second "$1" "$WORK/requests.http"; }
send_rate() {
    "$1" send user_created --to "$RECEIVER_PORT" --secret "$SECRET" --count 20000 --concurrency 50 \
        --json 2> /dev/null |
        python3 -c 'import json, sys; s = json.load(sys.stdin)["summary"]; assert s["delivered"] == s["planned"]; print(round(s["requests_per_second"]))'
}
listen_rate() {
    rm -f "$WORK/listen.jsonl" "$WORK/listen.err"
    "$1" listen --port 0 --out "$WORK/listen.jsonl" --expect 22000 2> "$WORK/listen.err" &
    local pid=$!
    until grep -q '^listening on ' "$WORK/listen.err" 2> /dev/null; do sleep 0.05; done
    local url
    url=$(head -1 "$WORK/listen.err" | sed 's/^listening on //')
    target/release/examples/load "$url" 2000 50 > /dev/null
    local rate
    rate=$(target/release/examples/load "$url" 20000 50 | sed -E 's/.*: ([0-9]+) requests\/s.*/\1/')
    wait "$pid"
    [[ $(wc -l < "$WORK/listen.jsonl") == 22000 ]] || { echo "listen missed requests" >&2; exit 1; }
    echo "$rate"
}

target/release/examples/bench_receiver 0 2> "$WORK/receiver.err" &
pids+=($!)
until grep -q '^listening on ' "$WORK/receiver.err" 2> /dev/null; do sleep 0.05; done
RECEIVER_PORT=$(head -1 "$WORK/receiver.err" | sed -E 's/.*:([0-9]+)\/$/\1/')

# --- rounds -------------------------------------------------------------------------------
printf '%-24s %14s %14s %8s\n' benchmark current baseline ratio
status=0
benches=(files_per_second verify_lines send_rate listen_rate)
[[ -n ${RAW:-} ]] && benches+=(verify_raw)
for bench in "${benches[@]}"; do
    current=0
    baseline=0
    for _ in $(seq "$ROUNDS"); do
        rate=$($bench "$CURRENT"); ((rate > current)) && current=$rate
        rate=$($bench "$BASELINE"); ((rate > baseline)) && baseline=$rate
    done
    ratio=$(python3 -c 'import sys; print(f"{int(sys.argv[1]) / int(sys.argv[2]):.2f}")' "$current" "$baseline")
    printf '%-24s %14s %14s %8s\n' "$bench" "$current/s" "$baseline/s" "$ratio"
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.9 else 1)' "$ratio" || status=1
done
exit "$status"
