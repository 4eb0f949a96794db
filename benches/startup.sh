#!/usr/bin/env bash
# Start-up cost: hooktool against an earlier build of itself on commands that do little besides
# starting (`events`, `schema`, `generate`, one-file `validate`), and with a user pack loaded.
# Runs alternate between the two builds; prints the median of RUNS runs of each, the difference
# in milliseconds, and exits 1 when the current build starts more than LIMIT_MS slower.
#
#   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo build --release)
#   benches/startup.sh /tmp/before/target/release/hooktool
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE=${1:?usage: benches/startup.sh BASELINE_HOOKTOOL}
RUNS=${RUNS:-40}
LIMIT_MS=${LIMIT_MS:-5}

cargo build --release --quiet --bin hooktool
CURRENT=$PWD/target/release/hooktool
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$CURRENT" generate user_created --seed 1 --now 1700000000 --format payload \
    > "$WORK/user_created.json" 2>/dev/null

python3 - "$BASELINE" "$CURRENT" "$RUNS" "$LIMIT_MS" "$WORK" <<'PY'
import statistics, subprocess, sys, time

baseline, current, runs, limit_ms, work = sys.argv[1:6]
runs, limit_ms = int(runs), float(limit_ms)
commands = [
    ("events", ["events"]),
    ("schema", ["schema", "user_created"]),
    ("generate", ["generate", "user_created", "--seed", "1", "--now", "1700000000",
                  "--secret", "whsec_" + "0" * 64]),
    ("validate one file", ["validate", f"{work}/user_created.json"]),
]
pack_only = [("events, example pack loaded",
              ["--providers", "examples/providers", "events"])]

def median_ms(binary, args):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)

failed = False
print(f"{'command':32} {'baseline':>10} {'current':>10} {'difference':>11}")
for name, args in commands:
    # Alternate the builds so that a busy moment hits both alike.
    old, new = [], []
    for _ in range(3):
        old.append(median_ms(baseline, args))
        new.append(median_ms(current, args))
    old, new = min(old), min(new)
    difference = new - old
    failed |= difference > limit_ms
    print(f"{name:32} {old:9.2f}ms {new:9.2f}ms {difference:+10.2f}ms")
for name, args in pack_only:
    new = min(median_ms(current, args) for _ in range(3))
    print(f"{name:32} {'':>10} {new:9.2f}ms")
print(f"(median of {runs} runs, best of 3 alternating rounds; limit +{limit_ms:g} ms)")
sys.exit(1 if failed else 0)
PY
