#!/usr/bin/env python3
"""Rewrites benches/startup-order.txt: the functions hooktool runs when it starts.

    benches/startup_order.py        # needs valgrind; builds the release binary first

build.rs hands the file to the linker (`--symbol-ordering-file`), which lays those functions
side by side at the start of the executable's code. Left where the linker would put them, the
code of a one-file `validate` was spread over about a hundred 64 KiB stretches of a 10 MiB
section, and the kernel maps a file's pages a stretch per page fault: a hundred faults before
the first line of output. Side by side they take about twenty.

Functions are named as the linker sees them (mangled), so the list goes stale when the compiler
or a dependency changes: the linker then orders what it still finds and ignores the rest, and
benches/run.py says how much of the list the binary still has.
"""

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOKTOOL = ROOT / "target" / "release" / "hooktool"
ORDER = ROOT / "benches" / "startup-order.txt"
NOW = "1700000000"
SECRET = "whsec_" + "0" * 64


def commands(work):
    """The runs whose start is measured, and the short runs around them."""
    samples = {}
    for event in ["user_created", "wix.badges.v4.badge_created", "certificate_completed"]:
        sample = work / f"{event}.json"
        sample.write_bytes(subprocess.check_output(
            [HOOKTOOL, "generate", event, "--seed", "1", "--now", NOW, "--format", "payload"],
            stderr=subprocess.DEVNULL))
        samples[event] = sample
    invalid = work / "invalid" / "user_created.json"
    invalid.parent.mkdir()
    document = json.loads(samples["user_created"].read_text())
    document["Username"] = "has spaces"
    invalid.write_text(json.dumps(document))
    return [
        ["events"],
        ["schema", "user_created"],
        ["generate", "user_created", "--seed", "1", "--now", NOW, "--secret", SECRET],
        *(["validate", str(sample)] for sample in samples.values()),
        ["validate", str(invalid)],
        ["providers"],
        ["--help"],
    ]


def functions_run(args, work):
    """The names of the functions a run of hooktool with `args` called, as the linker sees them."""
    out = work / "callgrind.out"
    subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", "--compress-strings=no",
                    f"--callgrind-out-file={out}", HOOKTOOL, *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    names = set()
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith(("fn=", "cfn=")):
            names.add(line.split("=", 1)[1])
    out.unlink()
    return names


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "hooktool"],
                   cwd=ROOT, check=True)
    defined = set()
    for line in subprocess.check_output(["nm", "--defined-only", HOOKTOOL], text=True).splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tTwW":
            defined.add(fields[2])
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        runs = [functions_run(args, work) & defined for args in commands(work)]
    if not any(runs):
        sys.exit("startup_order.py: valgrind saw no function of hooktool run; is it installed?")
    # Functions every run calls first, so that the shared part of each start is one stretch.
    uses = Counter(name for run in runs for name in run)
    first = {}
    for index, run in enumerate(runs):
        for name in run:
            first.setdefault(name, index)
    ordered = sorted(uses, key=lambda name: (-uses[name], first[name], name))
    header = [
        "# The functions hooktool calls when it starts, for the linker to place side by side.",
        "# Written by benches/startup_order.py; read by build.rs.",
    ]
    ORDER.write_text("\n".join(header + ordered) + "\n")
    print(f"{ORDER.relative_to(ROOT)}: {len(ordered)} functions from {len(runs)} runs",
          file=sys.stderr)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
