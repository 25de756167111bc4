#!/usr/bin/env bash
# Fuzzes every reader of untrusted input with cargo-fuzz (libFuzzer) on the nightly
# toolchain, one target after the other:
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    default: 60 s each, every target
#
# Targets (fuzz/fuzz_targets/, bodies shared with the stable property tests in
# crates/*/tests/it/fuzz_props.rs): geojson_import, assessment_csv, assessment_xlsx,
# pmtiles, siteplan_fitur, kegiatan, shapefile, kml, flatgeobuf, upk_pinjaman_csv, upk_pinjaman_xlsx,
# foto.
# Each starts from its committed seeds
# (fuzz/seeds/TARGET) and grows a corpus in fuzz/corpus/TARGET (not committed); a crash
# is saved under fuzz/artifacts/TARGET/ and reproduced with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-...
# Needs: the nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz --locked`). Each run is limited to one job and 2 GB of
# memory per input, so it can share a small machine. Exit status: 1 if a target found
# a crash or did not build (all targets still run), 2 if the tools are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(geojson_import assessment_csv assessment_xlsx pmtiles siteplan_fitur kegiatan shapefile kml flatgeobuf upk_pinjaman_csv upk_pinjaman_xlsx foto)

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: the nightly toolchain is missing; install it with: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is missing; install it with: cargo install cargo-fuzz --locked" >&2
  exit 2
fi

# The fuzz build has a target directory of its own (sanitizer flags differ from the
# main build's); CARGO_TARGET_DIR, when set, is honoured by cargo-fuzz.
failed=()
summary=()
for target in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  log=$(mktemp "${TMPDIR:-/tmp}/kumuh-fuzz-$target.XXXXXX")
  echo "== $target: ${SECONDS_EACH} s"
  start=$(date +%s)
  status=0
  (cd fuzz && cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -jobs=1 -workers=1 \
    -print_final_stats=1) >"$log" 2>&1 || status=$?
  took=$(($(date +%s) - start))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if [ "$status" -ne 0 ] && ! grep -q "Test unit written" "$log"; then
    failed+=("$target")
    echo "   the fuzzer did not run (exit $status); log:"
    tail -20 "$log" | sed 's/^/   /'
    summary+=("$target: FAILED TO RUN (log $log)")
  elif [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "   FOUND a crash (exit $status); the input is in fuzz/artifacts/$target/; log:"
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -20 | sed 's/^/   /'
    summary+=("$target: ${took} s, ${runs:-?} runs, ${cov:-cov ?}, CRASH (log $log)")
  else
    summary+=("$target: ${took} s, ${runs:-?} runs, ${cov:-cov ?}, no crash")
    rm -f "$log"
  fi
done
echo "== summary"
printf '   %s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: crashes in ${failed[*]}" >&2; exit 1; }
