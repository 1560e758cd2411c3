#!/usr/bin/env bash
# Builds this crate with and without serde_json/preserve_order (each in its own target folder under
# /tmp, with the workspace's lockfile so serde_json is the same version), runs the two builds in turn
# (A B A B ..., 9 pairs) and prints the median of the per-pair ratios preserve_order / BTreeMap.
# Usage: generated/benches/preserve_order/run.sh
set -euo pipefail
cd "$(dirname "$0")"
work=/tmp/preserve-order-bench
mkdir -p "$work"
cp ../../../Cargo.lock Cargo.lock
trap 'rm -f Cargo.lock' EXIT
cargo build --release --features preserve_order --target-dir "$work/on"
cargo build --release --target-dir "$work/off"
for _ in 1 2 3 4 5 6 7 8 9; do
    "$work/on/release/preserve-order-bench"
    "$work/off/release/preserve-order-bench"
done | tee "$work/runs.txt"
python3 - "$work/runs.txt" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) (\S+) .*decode ([\d.]+) us, encode ([\d.]+) us", line)
    if m:
        runs.setdefault((m[1], m[2]), []).append((float(m[3]), float(m[4])))
for size in ("20KB", "2MB"):
    on, off = runs[("preserve_order", size)], runs[("BTreeMap", size)]
    for i, what in enumerate(("decode", "encode")):
        ratios = [a[i] / b[i] for a, b in zip(on, off)]
        print(f"{size} {what}: preserve_order / BTreeMap median {statistics.median(ratios):.3f} "
              f"(min {min(ratios):.3f}, max {max(ratios):.3f}; median times {statistics.median(a[i] for a in on):.1f} us "
              f"vs {statistics.median(b[i] for b in off):.1f} us)")
PY
