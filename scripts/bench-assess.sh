#!/usr/bin/env bash
# Throughput of `kumuh assess --format csv` on a large survey table: read, score and
# write CSV, end to end, with the release build.
#
#   scripts/bench-assess.sh [ROWS]        (default 1000000)
#
# Generates ROWS rows deterministically (row i's values are a function of i alone:
# every class, empty and filled yes/no pairs, decimal commas), runs the command under
# /usr/bin/time -v, and prints rows/s, wall time, peak resident memory, and the ratio to
# two references timed in the same run on the same file:
#   wc -l                    reading the bytes and counting lines (the floor for any reader)
#   stream_assessments read  Kumuh's table reader alone (kumuh-io example): every cell
#                            parsed and checked, nothing scored or written
# It checks that the output has one line per row plus the header.
#
# Settings (environment):
#   CARGO_TARGET_DIR    cargo's target directory (default: ./target)
#   KUMUH_BIN           a built kumuh binary to measure instead of building one
#   BENCH_READER_BIN    a built stream_assessments example, likewise
#   BENCH_KEEP=1        keep the temporary directory (input and output)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
TARGET=${CARGO_TARGET_DIR:-$(pwd)/target}

if [ -z "${KUMUH_BIN:-}" ]; then
    cargo build --release --quiet -p kumuh --bin kumuh
    KUMUH_BIN=$TARGET/release/kumuh
fi
READER=${BENCH_READER_BIN:-}
if [ -z "$READER" ]; then
    cargo build --release --quiet -p kumuh-io --example stream_assessments
    READER=$TARGET/release/examples/stream_assessments
fi

WORK=$(mktemp -d)
if [ "${BENCH_KEEP:-0}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; else echo "keeping $WORK"; fi
IN=$WORK/penilaian.csv
OUT=$WORK/hasil.csv

"$KUMUH_BIN" template assessments --format csv > "$IN"
awk -v n="$ROWS" 'BEGIN {
    OFS = ","
    for (i = 0; i < n; i++) {
        a = i % 7; b = i % 11; c = i % 13
        luas = sprintf("\"%d,%02d\"", 1 + i % 9, i % 100)
        if (i % 5 == 0) { ns = ""; kep = ""; pot = ""; leg = ""; kes = "" }
        else {
            ns = (a < 3 ? "ya" : "tidak"); kep = (i % 3) * 120; pot = (b < 5 ? "ya" : "tidak")
            leg = (c < 6 ? "ya" : "tidak"); kes = (a < 4 ? "ya" : "tidak")
        }
        print "K" i, "Lokasi " i, "35.19.09.2014", 2020 + i % 6, luas, 20 + b * 3, 100 + c * 7, 25 + a * 2, \
              300 + c * 10, 200 + b * 10, a * 2, b, c, 40 + a * 5, 30 + b * 4, a, b % 3, c % 4, \
              a * 20, b * 15, c * 2, a * 3, 10 + b * 3, 8 + c * 2, 5 + a * 4, 3 + b * 2, \
              ns, kep, pot, leg, kes
    }
}' >> "$IN"
echo "input: $ROWS rows, $(du -h "$IN" | cut -f1) ($IN)"

# Seconds (wall) and peak resident kB of a command, from GNU time.
measure() {
    local log=$WORK/time.log
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { cat "$log" >&2; exit 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
    echo "$wall $rss"
}

read -r WC_S WC_KB < <(measure wc -l "$IN")
read -r RD_S RD_KB < <(measure "$READER" read "$IN")
read -r AS_S AS_KB < <(measure "$KUMUH_BIN" assess "$IN" --format csv --out "$OUT")

LINES=$(wc -l < "$OUT")
if [ "$LINES" -ne $((ROWS + 1)) ]; then
    echo "bench-assess: expected $((ROWS + 1)) lines of output, got $LINES" >&2
    exit 1
fi

awk -v rows="$ROWS" -v wc="$WC_S" -v rd="$RD_S" -v as="$AS_S" -v wckb="$WC_KB" -v rdkb="$RD_KB" -v askb="$AS_KB" 'BEGIN {
    printf "\n%-34s %9s %14s %10s\n", "", "wall s", "rows/s", "peak MB"
    printf "%-34s %9.2f %14.0f %10.1f\n", "wc -l", wc, (wc > 0 ? rows / wc : 0), wckb / 1024
    printf "%-34s %9.2f %14.0f %10.1f\n", "stream_assessments read", rd, (rd > 0 ? rows / rd : 0), rdkb / 1024
    printf "%-34s %9.2f %14.0f %10.1f\n", "kumuh assess --format csv --out", as, (as > 0 ? rows / as : 0), askb / 1024
    printf "\nkumuh assess takes %.1fx the time of wc -l and %.2fx the time of the reader alone\n", (wc > 0 ? as / wc : 0), (rd > 0 ? as / rd : 0)
}'
