#!/usr/bin/env bash
# Runs the property tests of the untrusted-input parsers (raw HTTP, JSON and JSON Lines inputs,
# signature headers, secrets) for a million cases in all: 250,000 per property, 4 properties.
# `cargo test` runs the same properties with 256 cases each.
# Usage: benches/fuzz.sh [CASES_PER_PROPERTY]
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-250000}"
start=$(date +%s)
PROPTEST_CASES="$cases" cargo test --release --test integration verify::fuzz:: -- --test-threads 2
echo "$((cases * 4)) cases in $(( $(date +%s) - start )) s (build included)"
