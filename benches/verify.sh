#!/usr/bin/env bash
# Throughput of `hooktool verify` on 100,000 Cativa-signed requests with 1 KiB bodies, in both
# forms it reads in bulk: a JSON Lines capture as `listen` writes it, and raw HTTP/1.1 requests
# written back to back (CRLF line ends, Content-Length). Target: at least 200,000 requests per
# second for each.
# Usage: benches/verify.sh [REQUESTS]   (builds the release binary first; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-100000}"
secret="whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
now=1700000000
target=200000
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
python3 - "$requests" "$secret" "$now" "$work/capture.jsonl" "$work/requests.http" <<'PY'
import hashlib, hmac, json, sys
count, secret, now = int(sys.argv[1]), sys.argv[2].encode(), int(sys.argv[3])
with open(sys.argv[4], "w") as capture, open(sys.argv[5], "wb") as raw:
    for seq in range(1, count + 1):
        # A distinct 1 KiB JSON body per request.
        body = json.dumps({"CustomerId": f"cus_{seq:08d}", "Content": ""}, separators=(",", ":"))
        body = body.replace('"Content":""', '"Content":"' + "x" * (1024 - len(body)) + '"')
        t = now - seq % 60
        v1 = hmac.new(secret, f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
        capture.write(json.dumps({
            "seq": seq, "received_at": "2023-11-14T22:13:20Z", "method": "POST", "path": "/",
            "headers": {"content-type": "application/json", "x-cativa-signature": f"t={t},v1={v1}",
                        "x-cativa-execution-id": f"exec_{seq}"},
            "body": body, "status": 200, "verified": True, "duplicate": False,
        }, separators=(",", ":")) + "\n")
        raw.write((
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\n"
            f"X-Cativa-Signature: t={t},v1={v1}\r\nX-Cativa-Execution-Id: exec_{seq}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}"
        ).encode())
PY

# Best of three runs of `verify` on one input: prints each run, then the best rate.
measure() {
    local name="$1" input="$2" best="" run start end seconds rate ok
    echo "$name: $requests requests, $(du -h "$input" | cut -f1), 1 KiB bodies"
    for run in 1 2 3; do
        start=$(date +%s.%N)
        target/release/hooktool --color never verify "$input" --secret "$secret" --now "$now" > "$work/out" 2> /dev/null
        end=$(date +%s.%N)
        seconds=$(echo "$end - $start" | bc -l)
        rate=$(echo "$requests / $seconds" | bc)
        printf '  run %d: %.3f s, %d requests/s\n' "$run" "$seconds" "$rate"
        if [[ -z "$best" || "$rate" -gt "$best" ]]; then best="$rate"; fi
    done
    ok=$(grep -c ': ok (cativa)$' "$work/out" || true)
    [[ "$ok" == "$requests" ]] || { echo "$name: only $ok of $requests verified" >&2; exit 1; }
    printf -v "$3" '%s' "$best"
}

measure "JSON Lines capture" "$work/capture.jsonl" json_best
measure "raw HTTP requests" "$work/requests.http" raw_best
echo "JSON Lines: best $json_best requests/s (target: $target)"
echo "raw HTTP:   best $raw_best requests/s (target: $target)"
[[ "$json_best" -ge "$target" && "$raw_best" -ge "$target" ]]
