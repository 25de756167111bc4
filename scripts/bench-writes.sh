#!/usr/bin/env bash
# Write latency under read load: one place written at a time into a GeoPackage store,
# first alone, then while many reader tasks list every desa with its geometry in a loop
# (crates/store/examples/write_latency.rs). Prints p50 and p99 of both runs and how many
# times slower a write is with the readers than without them.
#
#   scripts/bench-writes.sh [READERS] [WRITES]     (defaults 200 and 60)
#
# Settings (environment):
#   CARGO_TARGET_DIR    cargo's target directory (default: ./target)
#   BENCH_WRITES_BIN    a built write_latency example to run instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."
READERS=${1:-200}
WRITES=${2:-60}
TARGET=${CARGO_TARGET_DIR:-$(pwd)/target}

BIN=${BENCH_WRITES_BIN:-}
if [ -z "$BIN" ]; then
    cargo build --release --quiet -p kumuh-store --example write_latency
    BIN=$TARGET/release/examples/write_latency
fi

OUT=$("$BIN" "$READERS" "$WRITES")
echo "$OUT"
# Lines look like: "no readers    writes   60  p50      1.23 ms  p99      4.56 ms".
echo "$OUT" | awk -v readers="$READERS" '
    /^no readers/ { for (i = 1; i <= NF; i++) { if ($i == "p50") a50 = $(i + 1); if ($i == "p99") a99 = $(i + 1) } }
    $0 ~ "^" readers " readers" { for (i = 1; i <= NF; i++) { if ($i == "p50") b50 = $(i + 1); if ($i == "p99") b99 = $(i + 1) } }
    END {
        if (a50 == "" || b50 == "") { print "bench-writes: could not read the results" > "/dev/stderr"; exit 1 }
        printf "\nwrite latency with %s readers / without readers:\n", readers
        printf "  p50  %8.2f ms / %8.2f ms = %.2fx\n", b50, a50, (a50 > 0 ? b50 / a50 : 0)
        printf "  p99  %8.2f ms / %8.2f ms = %.2fx\n", b99, a99, (a99 > 0 ? b99 / a99 : 0)
    }'
