#!/usr/bin/env bash
# Builds this crate with and without serde_json/preserve_order (each in its own target folder under
# /tmp, with the workspace's lockfile so serde_json is the same version) and runs the two builds in
# turn, five times each: A B A B ... Usage: generated/benches/preserve_order/run.sh
set -euo pipefail
cd "$(dirname "$0")"
work=/tmp/preserve-order-bench
mkdir -p "$work"
cp ../../../Cargo.lock Cargo.lock
trap 'rm -f Cargo.lock' EXIT
cargo build --release --features preserve_order --target-dir "$work/on"
cargo build --release --target-dir "$work/off"
for _ in 1 2 3 4 5; do
    "$work/on/release/preserve-order-bench"
    "$work/off/release/preserve-order-bench"
done
