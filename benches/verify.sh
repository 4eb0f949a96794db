#!/usr/bin/env bash
# Throughput of `hooktool verify` on a JSON Lines capture: 100,000 Cativa-signed requests with
# 1 KiB bodies, as `listen` writes them. Target: at least 200,000 requests per second.
# Usage: benches/verify.sh [REQUESTS]   (builds the release binary first; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-100000}"
secret="whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
now=1700000000
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
python3 - "$requests" "$secret" "$now" > "$work/capture.jsonl" <<'PY'
import hashlib, hmac, json, sys
count, secret, now = int(sys.argv[1]), sys.argv[2].encode(), int(sys.argv[3])
for seq in range(1, count + 1):
    # A distinct 1 KiB JSON body per request.
    body = json.dumps({"CustomerId": f"cus_{seq:08d}", "Content": ""}, separators=(",", ":"))
    body = body.replace('"Content":""', '"Content":"' + "x" * (1024 - len(body)) + '"')
    t = now - seq % 60
    v1 = hmac.new(secret, f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
    print(json.dumps({
        "seq": seq, "received_at": "2023-11-14T22:13:20Z", "method": "POST", "path": "/",
        "headers": {"content-type": "application/json", "x-cativa-signature": f"t={t},v1={v1}",
                    "x-cativa-execution-id": f"exec_{seq}"},
        "body": body, "status": 200, "verified": True, "duplicate": False,
    }, separators=(",", ":")))
PY
echo "capture: $requests requests, $(du -h "$work/capture.jsonl" | cut -f1), 1 KiB bodies"

best=""
for run in 1 2 3; do
    start=$(date +%s.%N)
    target/release/hooktool --color never verify "$work/capture.jsonl" --secret "$secret" --now "$now" > "$work/out" 2> /dev/null
    end=$(date +%s.%N)
    seconds=$(echo "$end - $start" | bc -l)
    rate=$(echo "$requests / $seconds" | bc)
    printf 'run %d: %.3f s, %d requests/s\n' "$run" "$seconds" "$rate"
    if [[ -z "$best" || "$rate" -gt "$best" ]]; then best="$rate"; fi
done
ok=$(grep -c ': ok (cativa)$' "$work/out")
[[ "$ok" == "$requests" ]] || { echo "only $ok of $requests verified" >&2; exit 1; }
echo "best: $best requests/s (target: 200000)"
[[ "$best" -ge 200000 ]]
