#!/usr/bin/env bash
# RT-scale benchmark: Java split into about 750,000 RT polygons, on both backends.
#
#   scripts/bench-rt.sh            build the release binary, then measure
#   KUMUH_BIN=path/to/kumuh scripts/bench-rt.sh    measure a given binary
#
# Untimed preparation, in a temporary directory:
#   - Java's 25,267 desa (../shared/data/jawa_desa.geojson.gz), the 11 with invalid
#     source geometry repaired as scripts/bench-import.sh does;
#   - the RT set: scripts/bench-rt/gen_rt.py splits every desa into about 30 RT (the
#     Voronoi cells of seeded random points, clipped to the desa; codes desa.RW.RT), one
#     GeoJSON file per province (shapely from PyPI, in a virtual environment);
#   - a GeoPackage store and a PostGIS database (a throwaway server, scripts/with-postgres.sh:
#     fsync off, Unix socket) each made by `kumuh init` and loaded with the desa.
# Timed, on each backend:
#   - `kumuh import rt_PP.geojson --level rt --skip-invalid` of every province file
#     (a cell GEOS finds valid that Kumuh's stricter checks refuse is left out and
#     counted), summed, against
#     `ogr2ogr` of the same files into the same backend (a new GeoPackage; a new database
#     of the same server), one layer with a spatial index;
#   - `kumuh serve --tile-cache-mb 0`: launch until it listens (the tile index built),
#     resident memory then, and its peak after the load;
#   - uncached tile throughput of layer `rt` at z12-z16: 2,000 URLs, one per sampled RT
#     at a zoom drawn from 12..16 (seed 42), oha -c 16 for BENCH_DURATION.
# Goals: import faster than ogr2ogr on both backends, start under 15 s, peak RSS under
# 1.5 GB. Every request must answer 200 or 204, else the exit status is 1.
#
# Settings (environment):
#   KUMUH_BIN         binary to measure (default: build with cargo, release profile)
#   BENCH_DATA        desa GeoJSON, gzipped (default ../shared/data/jawa_desa.geojson.gz)
#   RT_PER_DESA       RT a desa is split into (default 30)
#   BENCH_DURATION    oha duration per run (default 20s)
#   BENCH_CONCURRENCY oha connections (default 16)
#   BENCH_VENV        the virtual environment for shapely (default ~/.cache/kumuh-bench-venv)
#   BENCH_KEEP=1      keep the temporary directory
#   BENCH_RT_FROM     a directory kept by an earlier run (BENCH_KEEP=1): use its desa and
#                     RT set instead of making them again (the same data for a comparison)
#   OHA, OGR2OGR      tool paths (default: on PATH)
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${KUMUH_TEST_POSTGRES:-}" ]; then
  exec "$ROOT/scripts/with-postgres.sh" "$ROOT/scripts/bench-rt.sh" "$@"
fi
DATA=${BENCH_DATA:-$ROOT/../shared/data/jawa_desa.geojson.gz}
PER_DESA=${RT_PER_DESA:-30}
DURATION=${BENCH_DURATION:-20s}
CONC=${BENCH_CONCURRENCY:-16}
VENV=${BENCH_VENV:-$HOME/.cache/kumuh-bench-venv}
OHA=${OHA:-$(command -v oha || true)}
OGR2OGR=${OGR2OGR:-$(command -v ogr2ogr || true)}
for tool in "$OHA" "$OGR2OGR" psql python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-rt: ${tool:-oha or ogr2ogr} not found" >&2; exit 2; }
done
[ -f "$DATA" ] || { echo "bench-rt: no data file $DATA (set BENCH_DATA)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kumuh-bench-rt.XXXXXX")
PIDS=()
cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-rt: kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT

META=$WORK/meta.txt
: >"$META"
meta() { echo "$1=$2" >>"$META"; }
# shellcheck source=bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"
# postgres://USER@HOST/DB?host=DIR&port=N as GDAL's PG: connection.
pg_source() {
  python3 - "$1" <<'EOF'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1]); q = dict(urllib.parse.parse_qsl(u.query))
print(f"PG:dbname={u.path.lstrip('/')} user={u.username} host={q.get('host', u.hostname)} port={q.get('port', u.port or 5432)}")
EOF
}

# ---- 1. the binary, shapely, the data ----
if [ -z "${KUMUH_BIN:-}" ]; then
  echo "== building kumuh (release)"
  cargo build --release -p kumuh --quiet
  KUMUH_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/kumuh
fi
[ -x "$KUMUH_BIN" ] || { echo "bench-rt: no binary at $KUMUH_BIN" >&2; exit 2; }
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import shapely" 2>/dev/null || "$VENV/bin/pip" install --quiet "shapely==2.0.6"

DESA=$WORK/desa.geojson
if [ -n "${BENCH_RT_FROM:-}" ]; then
  echo "== the desa and the RT set of $BENCH_RT_FROM (not timed)"
  for f in desa.geojson gen.log; do
    [ -f "$BENCH_RT_FROM/$f" ] || { echo "bench-rt: no $f in BENCH_RT_FROM=$BENCH_RT_FROM" >&2; exit 2; }
  done
  cp "$BENCH_RT_FROM/desa.geojson" "$BENCH_RT_FROM/gen.log" "$WORK/"
  cp -r "$BENCH_RT_FROM/rt" "$WORK/rt"
else
  echo "== preparing the desa and the RT set (not timed)"
  prepare_desa "$KUMUH_BIN" "$DATA" "$DESA" "$WORK"
  "$VENV/bin/python" "$ROOT/scripts/bench-rt/gen_rt.py" "$DESA" "$WORK/rt" "$PER_DESA" | tee "$WORK/gen.log"
fi
RT_FILES=("$WORK"/rt/rt_*.geojson)
meta rt "$(tail -1 "$WORK/gen.log" | awk '{print $1}')"
meta rt_mb "$(du -cm "${RT_FILES[@]}" | tail -1 | cut -f1)"
meta cpus "$(nproc)"
meta gdal "$("$OGR2OGR" --version | cut -d, -f1)"

# 2,000 RT at z12-z16 (seed 42).
python3 - "$WORK/tiles.txt" "${RT_FILES[@]}" <<'EOF'
import json, math, random, sys
out, files = sys.argv[1], sys.argv[2:]
centres = []
for path in files:
    for f in json.load(open(path))["features"]:
        g = f["geometry"]; ring = g["coordinates"][0] if g["type"] == "Polygon" else g["coordinates"][0][0]
        centres.append((sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)))
rnd = random.Random(42)
with open(out, "w") as o:
    for lon, lat in rnd.sample(centres, 2000):
        z = rnd.randint(12, 16)
        x = int((lon + 180) / 360 * 2**z)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
        o.write(f"{z}/{x}/{y}\n")
EOF

# ---- 2. each backend: imports against ogr2ogr, start, memory, tiles ----
measure() { # name store ogr-target...
  local name=$1 store=$2 t0 f first=1
  shift 2
  echo "== $name"
  "$KUMUH_BIN" --store "$store" init >"$WORK/init-$name.log" 2>&1 || { cat "$WORK/init-$name.log" >&2; exit 1; }
  "$KUMUH_BIN" --store "$store" import "$DESA" --level desa >"$WORK/desa-$name.log" 2>&1 ||
    { cat "$WORK/desa-$name.log" >&2; exit 1; }
  t0=$(now)
  for f in "${RT_FILES[@]}"; do
    "$KUMUH_BIN" --store "$store" import "$f" --level rt --skip-invalid >>"$WORK/rt-$name.log" 2>&1 ||
      { tail -5 "$WORK/rt-$name.log" >&2; exit 1; }
  done
  meta "import_$name" "$(elapsed "$t0")"
  meta "imported_$name" "$(grep -o '[0-9]* added' "$WORK/rt-$name.log" | awk '{s += $1} END {print s}')"
  echo "  kumuh import of the RT files: $(grep "^import_$name=" "$META" | cut -d= -f2) s"
  t0=$(now)
  for f in "${RT_FILES[@]}"; do
    if [ "$first" = 1 ]; then
      "$OGR2OGR" "$@" "$f" -nln rt >"$WORK/ogr-$name.log" 2>&1 || { cat "$WORK/ogr-$name.log" >&2; exit 1; }
      first=0
    else
      "$OGR2OGR" -append "$@" "$f" -nln rt >>"$WORK/ogr-$name.log" 2>&1 || { cat "$WORK/ogr-$name.log" >&2; exit 1; }
    fi
  done
  meta "ogr_$name" "$(elapsed "$t0")"
  echo "  ogr2ogr of the same files: $(grep "^ogr_$name=" "$META" | cut -d= -f2) s"

  local port pid i
  port=$(free_port)
  t0=$(now)
  "$KUMUH_BIN" --store "$store" serve --addr "127.0.0.1:$port" --tile-cache-mb 0 >"$WORK/serve-$name.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  for i in $(seq 30000); do
    grep -q "Kumuh serving" "$WORK/serve-$name.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/serve-$name.log" >&2; exit 1; }
    sleep 0.02
  done
  meta "start_$name" "$(elapsed "$t0")"
  meta "rss_start_$name" "$(status_kb "$pid" VmRSS)"
  echo "  serving after $(grep "^start_$name=" "$META" | cut -d= -f2) s"
  sed "s|^|http://127.0.0.1:$port/tiles/rt/|; s|\$|.mvt|" "$WORK/tiles.txt" >"$WORK/urls-$name.txt"
  "$OHA" --no-tui --output-format json -o "$WORK/oha-$name.json" -c "$CONC" -z "$DURATION" -w -t 60s \
    --urls-from-file "$WORK/urls-$name.txt"
  meta "hwm_$name" "$(status_kb "$pid" VmHWM)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

measure gpkg "$WORK/kumuh.gpkg" -f GPKG "$WORK/ogr.gpkg"
psql "$KUMUH_TEST_POSTGRES" -qc "CREATE DATABASE kumuh" -c "CREATE DATABASE ogr"
psql "${KUMUH_TEST_POSTGRES/\/postgres\?//ogr?}" -qc "CREATE EXTENSION postgis"
measure postgis "${KUMUH_TEST_POSTGRES/\/postgres\?//kumuh?}" \
  -f PostgreSQL "$(pg_source "${KUMUH_TEST_POSTGRES/\/postgres\?//ogr?}")" -lco GEOMETRY_NAME=geom

# ---- 3. summary ----
python3 - "$WORK" <<'EOF'
import json, os, sys
work = sys.argv[1]
meta = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(work, "meta.txt")))
print()
print(f"RT-scale: {meta['rt']} RT polygons of Java ({meta['rt_mb']} MB of GeoJSON), "
      f"{meta['cpus']} CPUs, {meta['gdal']}")
print()
print("| backend | kumuh import | ogr2ogr | ogr2ogr / kumuh | start | RSS after start | peak RSS | uncached z12-z16 req/s | failed |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
failed = 0
for b, label in (("gpkg", "GeoPackage"), ("postgis", "PostGIS")):
    d = json.load(open(os.path.join(work, f"oha-{b}.json")))
    codes = {str(k): int(v) for k, v in d.get("statusCodeDistribution", {}).items()}
    bad = sum(int(v) for v in d.get("errorDistribution", {}).values()) + sum(v for k, v in codes.items() if k not in ("200", "204"))
    failed += bad
    k, o = float(meta[f"import_{b}"]), float(meta[f"ogr_{b}"])
    print(f"| {label} | {k:.1f} s ({meta[f'imported_{b}']} of {meta['rt']} RT) | {o:.1f} s | {o / k:.2f}× | "
          f"{float(meta[f'start_{b}']):.1f} s | {int(meta[f'rss_start_{b}']) / 1024:,.0f} MB | "
          f"{int(meta[f'hwm_{b}']) / 1024:,.0f} MB | {d['summary']['requestsPerSec']:,.0f} | {bad} |")
print()
print("Goals: import faster than ogr2ogr (ratio above 1), start under 15 s, peak RSS under 1.5 GB.")
sys.exit(1 if failed else 0)
EOF
