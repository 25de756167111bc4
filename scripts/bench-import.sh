#!/usr/bin/env bash
# Import benchmark: `kumuh import` of Java's 25,267 desa against `ogr2ogr -f GPKG` of the
# very same file on the same machine, in one run, from GeoJSON (EPSG:4326) and from an
# ESRI Shapefile in UTM 49S (EPSG:32749) with the consultant's field names.
#
#   scripts/bench-import.sh            build the release binary, then measure
#   KUMUH_BIN=path/to/kumuh scripts/bench-import.sh    measure a given binary
#
# Untimed preparation, in a temporary directory:
#   - the gzipped GeoJSON is unpacked; the 11 desa whose source geometry is invalid are
#     repaired with GEOS MakeValid (scripts/bench-tiles/fix_geometry.py, as the tile
#     benchmark does), since Kumuh refuses the whole file otherwise;
#   - ogr2ogr writes that file as a Shapefile in EPSG:32749 with fields KD_DESA, NAMA_DESA.
# Timed, each `BENCH_RUNS` times (default 3), the median printed:
#   (a) kumuh import desa.geojson --level desa            into a new store (`kumuh init`
#       before the clock starts: the store holds the Jiwan seed)
#   (b) ogr2ogr -f GPKG out.gpkg desa.geojson             a new GeoPackage
#   (c) kumuh import desa.shp --level desa --map kode=KD_DESA,nama=NAMA_DESA
#       (the CRS comes from the .prj; Kumuh reprojects to EPSG:4326)
#   (d) ogr2ogr -f GPKG -t_srs EPSG:4326 out.gpkg desa.shp   the same reprojection
# Both write one GeoPackage with a spatial index; Kumuh also checks every geometry
# (closed, simple rings, vertex limits), measures geodesic areas, orients rings and
# checks codes against the places it knows, in one transaction.
# Prints each time and the ratio ogr2ogr / kumuh (above 1: kumuh is faster).
#
# Settings (environment):
#   KUMUH_BIN        binary to measure (default: build with cargo, release profile)
#   CARGO_TARGET_DIR cargo's target directory for the build (default: ./target)
#   BENCH_DATA       desa GeoJSON, gzipped (default ../shared/data/jawa_desa.geojson.gz)
#   BENCH_RUNS       runs of each command (default 3)
#   BENCH_KEEP=1     keep the temporary directory
#   OGR2OGR          ogr2ogr path (default: on PATH; Debian's gdal-bin)
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=$ROOT/../shared
DATA=${BENCH_DATA:-$SHARED/data/jawa_desa.geojson.gz}
RUNS=${BENCH_RUNS:-3}
OGR2OGR=${OGR2OGR:-$(command -v ogr2ogr || true)}

for tool in "$OGR2OGR" python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-import: ${tool:-ogr2ogr} not found (apt-get install gdal-bin python3)" >&2; exit 2; }
done
[ -f "$DATA" ] || { echo "bench-import: no data file $DATA (set BENCH_DATA)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kumuh-bench-import.XXXXXX")
cleanup() {
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [ -z "${KUMUH_BIN:-}" ]; then
  echo "building the release binary..."
  cargo build --release -p kumuh --quiet
  KUMUH_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/kumuh
fi
[ -x "$KUMUH_BIN" ] || { echo "bench-import: no binary at $KUMUH_BIN" >&2; exit 2; }

# shellcheck source=bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "preparing the files (not timed)..."
GEOJSON=$WORK/desa.geojson
prepare_desa "$KUMUH_BIN" "$DATA" "$GEOJSON" "$WORK"
FEATURES=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$GEOJSON")
SHP_DIR=$WORK/shp
mkdir -p "$SHP_DIR"
"$OGR2OGR" -f "ESRI Shapefile" -t_srs EPSG:32749 -lco ENCODING=UTF-8 \
  -sql "SELECT kode AS KD_DESA, nama AS NAMA_DESA FROM desa" "$SHP_DIR/desa.shp" "$GEOJSON"
echo "  $FEATURES desa; GeoJSON $(du -h "$GEOJSON" | cut -f1), Shapefile (EPSG:32749) $(du -ch "$SHP_DIR"/desa.* | tail -1 | cut -f1)"

# One timed run of "$@"; the output files are made fresh before each.
kumuh_run() {
  local store=$WORK/kumuh.gpkg
  rm -f "$store" "$store"-wal "$store"-shm
  "$KUMUH_BIN" --store "$store" init >/dev/null 2>&1
  local t0; t0=$(now)
  "$KUMUH_BIN" --store "$store" import "$@" --level desa >"$WORK/run.log" 2>&1 ||
    { cat "$WORK/run.log" >&2; exit 1; }
  elapsed "$t0"
  # The seed's 14 Jiwan desa are updated, the others added.
  local n; n=$(grep -o '[0-9]* added, [0-9]* updated' "$WORK/run.log" | tail -1 | awk '{print $1 + $3}')
  [ "${n:-0}" = "$FEATURES" ] || { echo "bench-import: kumuh wrote ${n:-0} of $FEATURES desa:" >&2; tail -3 "$WORK/run.log" >&2; exit 1; }
}
ogr_run() {
  local out=$WORK/ogr.gpkg
  rm -f "$out"
  local t0; t0=$(now)
  "$OGR2OGR" -f GPKG "$out" "$@" >"$WORK/run.log" 2>&1 || { cat "$WORK/run.log" >&2; exit 1; }
  elapsed "$t0"
}
measure() { # label command...
  local label=$1 t times=()
  shift
  for _ in $(seq "$RUNS"); do t=$("$@"); times+=("$t"); done
  printf '%s\n' "$(median "${times[@]}")"
  echo "  $label: ${times[*]} s" >&2
}

echo "timing, $RUNS runs each (median):"
K_GEO=$(measure "kumuh, GeoJSON" kumuh_run "$GEOJSON")
O_GEO=$(measure "ogr2ogr, GeoJSON" ogr_run "$GEOJSON")
K_SHP=$(measure "kumuh, Shapefile 32749" kumuh_run "$SHP_DIR/desa.shp" --map kode=KD_DESA,nama=NAMA_DESA)
O_SHP=$(measure "ogr2ogr, Shapefile 32749" ogr_run -t_srs EPSG:4326 "$SHP_DIR/desa.shp")
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

echo
echo "import of $FEATURES desa ($(nproc) CPUs, $("$OGR2OGR" --version | cut -d, -f1))"
printf '%-28s %10s %10s %16s\n' "source" "kumuh s" "ogr2ogr s" "ogr2ogr / kumuh"
printf '%-28s %10s %10s %16s\n' "GeoJSON, EPSG:4326" "$K_GEO" "$O_GEO" "$(ratio "$O_GEO" "$K_GEO")×"
printf '%-28s %10s %10s %16s\n' "Shapefile, EPSG:32749" "$K_SHP" "$O_SHP" "$(ratio "$O_SHP" "$K_SHP")×"
