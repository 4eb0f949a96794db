#!/usr/bin/env bash
# Times `hooktool validate` on a corpus of generated fixtures (10,000 files of about 1 KiB, every
# event, 5% invalid) and, where installed, check-jsonschema, ajv-cli and the jsonschema crate's
# CLI (`jsonschema-cli`) on the same files, each given the event's schema. Prints the best of
# RUNS wall-clock times and each tool's time as a multiple of hooktool's.
#
#   benches/validate.sh                 # FILES=10000 RUNS=5; KEEP=1 keeps the corpus
#   pip install check-jsonschema; npm i -g ajv-cli ajv-formats; cargo install jsonschema-cli
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-10000}
RUNS=${RUNS:-5}
SAMPLES_PER_EVENT=${SAMPLES_PER_EVENT:-20}
NOW=1700000000

cargo build --release --quiet
HOOKTOOL=$PWD/target/release/hooktool
WORK=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$WORK"' EXIT
EVENTS=$("$HOOKTOOL" events --json | python3 -c 'import json, sys; print(" ".join(e["name"] for e in json.load(sys.stdin)))')

echo "building $FILES files in $WORK ..." >&2
mkdir -p "$WORK/samples" "$WORK/schemas" "$WORK/corpus"
for event in $EVENTS; do
    "$HOOKTOOL" schema "$event" > "$WORK/schemas/$event.json"
    for seed in $(seq 1 "$SAMPLES_PER_EVENT"); do
        "$HOOKTOOL" generate "$event" --seed "$seed" --now "$NOW" --format payload \
            > "$WORK/samples/$event.$seed.json" 2>/dev/null
    done
done
# Pretty-printed (about 1 KiB each) into corpus/<event>/; every 20th file gets a null where a
# string belongs, so each tool has errors to report.
python3 - "$WORK" "$FILES" "$SAMPLES_PER_EVENT" $EVENTS <<'PY'
import json, os, sys
work, files, per_event, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
for n in range(files):
    event = events[n % len(events)]
    seed = (n // len(events)) % per_event + 1
    with open(f"{work}/samples/{event}.{seed}.json") as f:
        document = json.load(f)
    if n % 20 == 0:
        key = next(k for k, v in document.items() if isinstance(v, str))
        document[key] = None
    os.makedirs(f"{work}/corpus/{event}", exist_ok=True)
    with open(f"{work}/corpus/{event}/{n:05}.json", "w") as f:
        json.dump(document, f, indent=4)
PY
bytes=$(cat "$WORK"/corpus/*/*.json | wc -c)
echo "corpus: $FILES files, $((bytes / FILES)) bytes on average, $(nproc) cores" >&2

# Best wall-clock time of RUNS runs of a command (its exit status and output ignored), in ms.
best_ms() {
    local best=
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s%N)
        "$@" > /dev/null 2>&1 || true
        end=$(date +%s%N)
        local ms=$(((end - start) / 1000000))
        if [[ -z $best || $ms -lt $best ]]; then best=$ms; fi
    done
    echo "$best"
}

# Each other tool runs once per event, with that event's schema and files.
per_event() {
    for event in $EVENTS; do
        "$@" "$event" || true
    done
}
check_jsonschema() { check-jsonschema --schemafile "$WORK/schemas/$1.json" "$WORK/corpus/$1"/*.json; }
ajv_cli() {
    ajv validate --spec=draft2020 --strict=false --all-errors -c ajv-formats \
        -s "$WORK/schemas/$1.json" -d "$WORK/corpus/$1/*.json"
}
jsonschema_cli() {
    local inputs=()
    for file in "$WORK/corpus/$1"/*.json; do inputs+=(-i "$file"); done
    jsonschema-cli validate "$WORK/schemas/$1.json" "${inputs[@]}"
}
read_only() { cat "$WORK"/corpus/*/*.json; }

"$HOOKTOOL" validate "$WORK/corpus" > "$WORK/hooktool.txt" || true
echo "hooktool: $(tail -n 1 "$WORK/hooktool.txt")" >&2

reference=$(best_ms "$HOOKTOOL" validate "$WORK/corpus")
printf '%-28s %8s %10s\n' tool ms "× hooktool"
printf '%-28s %8d %10s\n' "hooktool validate" "$reference" 1.0
printf '%-28s %8d %10s\n' "reading the files (cat)" "$(best_ms read_only)" -
for tool in check-jsonschema ajv jsonschema-cli; do
    if ! command -v "$tool" > /dev/null; then
        printf '%-28s %8s %10s\n' "$tool" "-" "not installed"
        continue
    fi
    case $tool in
        check-jsonschema) ms=$(RUNS=1 best_ms per_event check_jsonschema) ;;
        ajv) ms=$(best_ms per_event ajv_cli) ;;
        jsonschema-cli) ms=$(best_ms per_event jsonschema_cli) ;;
    esac
    printf '%-28s %8d %10s\n' "$tool" "$ms" "$(python3 -c "print(f'{$ms / max($reference, 1):.1f}')")"
done
