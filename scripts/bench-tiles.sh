#!/usr/bin/env bash
# Vector-tile benchmark: Kumuh serving Java's 25,267 desa, uncached and cached, against
# nginx serving the very same tile bytes as static files.
#
#   scripts/bench-tiles.sh            build the release binary, then measure
#   KUMUH_BIN=path/to/kumuh scripts/bench-tiles.sh    measure a given binary
#
# Steps: a fresh store in a temporary directory, seeded (`kumuh init`) and loaded with
# every desa of Java (`kumuh import --level desa`, timed); a fixed list of 2,000 tiles
# (z6-z14, seed 42, shared/bench/tile_list.py) of layer `desa`; `oha` with the same
# concurrency and duration against
#   (a) kumuh --tile-cache-mb 0            every request encodes its tile
#   (b) kumuh --tile-cache-mb $BENCH_CACHE_MB  after one warm-up pass over every tile
#   (c) nginx, static files                the gzipped bytes kumuh sent in the warm-up,
#       served with the headers kumuh sends (Content-Type application/vnd.mapbox-vector-tile,
#       Content-Encoding gzip, Cache-Control no-cache, Vary accept-encoding); empty tiles
#       have no file and are answered 204 (try_files ... @empty -> return 204), as kumuh does.
# With PostgreSQL and Martin at hand (below), the same run then measures on PostGIS too:
# the same GeoJSON imported into a throwaway PostGIS database (scripts/with-postgres.sh;
# fsync off, Unix socket) and the same list served by
#   (d) kumuh --store postgres://… --tile-cache-mb 0
#   (e) kumuh --store postgres://… --tile-cache-mb $BENCH_CACHE_MB, warmed
#   (f) Martin on the very same database and table (`desa`, auto-published),
#       --cache-size 0 so that every request asks PostGIS (ST_AsMVT), as (a) and (d)
#       encode every tile,
# and the ratios to Martin are of this run's Martin. Without them the summary quotes a
# fixed Martin figure and says so.
#   To get them on Debian:  apt-get install postgresql-15-postgis-3
#                           cargo install martin --version 1.14.0 --locked \
#                             --no-default-features --features postgres
# It records the server's start time (store open + tile index build: launch until it
# prints "Kumuh serving"), VmRSS after start, VmHWM/VmRSS after the load, then prints a
# summary. Every request must succeed (200 or 204); otherwise the exit status is 1.
# Servers, nginx and the temporary directory are removed on exit, also on failure.
# All traffic goes to 127.0.0.1.
#
# Settings (environment):
#   KUMUH_BIN           binary to measure (default: build with cargo, release profile)
#   CARGO_TARGET_DIR    cargo's target directory for the build (default: ./target)
#   BENCH_DATA          desa GeoJSON, gzipped (default ../shared/data/jawa_desa.geojson.gz,
#                       relative to the repository: the shared/ folder beside it)
#   BENCH_TILE_LIST     tile list generator (default ../shared/bench/tile_list.py)
#   BENCH_CONCURRENCY   oha connections (default 16)
#   BENCH_DURATION      oha duration per run (default 20s; requests in flight at the end
#                       are waited for, -w)
#   BENCH_CACHE_MB      tile cache of run (b) (default 64, kumuh's default)
#   BENCH_MAX_BUSY      before each run wait until at most this many CPUs are busy
#                       (sampled over 2 s; default 0.5) and ...
#   BENCH_MAX_LOAD      ... the 1-minute load average is at most this (default 1.0; it
#                       also lets the load of the previous run decay) ...
#   BENCH_QUIET_WAIT    ... but at most this many seconds (default 120)
#   BENCH_KEEP=1        keep the temporary directory (store, tiles, oha JSON, logs)
#   OHA, NGINX          tool paths (default: oha on PATH or ~/.cargo/bin/oha, /usr/sbin/nginx)
#   MARTIN              Martin's binary (default: martin on PATH or ~/.cargo/bin/martin)
#   BENCH_POSTGIS       auto (default: the PostGIS runs when PostgreSQL and Martin are
#                       there), 1 (required: stop when they are not), 0 (never)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
HELPERS=$ROOT/scripts/bench-tiles

SHARED=$ROOT/../shared
DATA=${BENCH_DATA:-$SHARED/data/jawa_desa.geojson.gz}
TILE_LIST=${BENCH_TILE_LIST:-$SHARED/bench/tile_list.py}
CONC=${BENCH_CONCURRENCY:-16}
DURATION=${BENCH_DURATION:-20s}
CACHE_MB=${BENCH_CACHE_MB:-64}
MAX_BUSY=${BENCH_MAX_BUSY:-0.5}
MAX_LOAD=${BENCH_MAX_LOAD:-1.0}
QUIET_WAIT=${BENCH_QUIET_WAIT:-120}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
NGINX=${NGINX:-/usr/sbin/nginx}
START_TIMEOUT=600 # seconds a server may take to start

MARTIN=${MARTIN:-$(command -v martin || { [ -x "$HOME/.cargo/bin/martin" ] && echo "$HOME/.cargo/bin/martin"; } || true)}
POSTGIS_MODE=${BENCH_POSTGIS:-auto}
if [ "$POSTGIS_MODE" != 0 ] && [ -z "${KUMUH_TEST_POSTGRES:-}" ]; then
  if [ -n "$MARTIN" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
    ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
    # Again, beside a throwaway PostgreSQL (which exports KUMUH_TEST_POSTGRES).
    exec "$ROOT/scripts/with-postgres.sh" "$ROOT/scripts/bench-tiles.sh" "$@"
  elif [ "$POSTGIS_MODE" = 1 ]; then
    echo "bench-tiles: BENCH_POSTGIS=1 needs PostgreSQL with PostGIS and Martin (see the header)" >&2
    exit 2
  fi
fi
POSTGIS=0
[ -n "${KUMUH_TEST_POSTGRES:-}" ] && [ -n "$MARTIN" ] && [ "$POSTGIS_MODE" != 0 ] && POSTGIS=1

for tool in "$OHA" "$NGINX" python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-tiles: $tool not found" >&2; exit 2; }
done
[ -f "$DATA" ] || { echo "bench-tiles: no data file $DATA (set BENCH_DATA)" >&2; exit 2; }
[ -f "$TILE_LIST" ] || { echo "bench-tiles: no tile list generator $TILE_LIST (set BENCH_TILE_LIST)" >&2; exit 2; }

# ---- cleanup: everything this script starts is listed here and stopped on exit ----
PIDS=()
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kumuh-bench.XXXXXX")
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench-tiles: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

META=$WORK/meta.txt
: >"$META"
meta() { echo "$1=$2" >>"$META"; }
# shellcheck source=bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"

# CPUs busy over 2 s, from /proc/stat (all processes on the machine).
cpu_busy() {
  local a b
  a=$(head -1 /proc/stat); sleep 2; b=$(head -1 /proc/stat)
  python3 - "$a" "$b" "$(nproc)" <<'EOF'
import sys
a, b = ([int(v) for v in s.split()[1:9]] for s in sys.argv[1:3])
d = [y - x for x, y in zip(a, b)]
idle = d[3] + d[4]
print(f"{(1 - idle / max(sum(d), 1)) * int(sys.argv[3]):.2f}")
EOF
}
# Waits (bounded) for a quiet machine; records the load average at the start of a run.
quiet() {
  local key=$1 t0 busy
  t0=$(date +%s)
  while :; do
    busy=$(cpu_busy)
    if python3 -c "import sys; a = [float(v) for v in sys.argv[1:]]; sys.exit(a[0] > a[1] or a[2] > a[3])" \
      "$busy" "$MAX_BUSY" "$(cut -d' ' -f1 /proc/loadavg)" "$MAX_LOAD" ||
      [ $(($(date +%s) - t0)) -ge "$QUIET_WAIT" ]; then
      break
    fi
  done
  meta "load_$key" "$(cut -d' ' -f1-3 /proc/loadavg) (busy CPUs $busy)"
  echo "  machine: load average $(cut -d' ' -f1-3 /proc/loadavg), $busy CPUs busy by others (waited $(($(date +%s) - t0)) s)"
}

# ---- 1. the binary ----
if [ -z "${KUMUH_BIN:-}" ]; then
  echo "== building kumuh (release)"
  KUMUH_SKIP_WEB_BUILD=${KUMUH_SKIP_WEB_BUILD:-1} cargo build --release -p kumuh
  KUMUH_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/kumuh
fi
KUMUH_BIN=$(realpath "$KUMUH_BIN")
[ -x "$KUMUH_BIN" ] || { echo "bench-tiles: $KUMUH_BIN is not executable" >&2; exit 2; }
meta kumuh_version "$("$KUMUH_BIN" --version | awk '{print $NF}') ($KUMUH_BIN)"
meta oha_version "$("$OHA" --version | awk '{print $NF}')"
meta nginx_version "$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')"
meta cpus "$(nproc)"
meta conc "$CONC"
meta duration "$DURATION"
meta cache_mb "$CACHE_MB"

# ---- 2. the store ----
STORE=$WORK/bench.gpkg
GEOJSON=$WORK/jawa_desa.geojson
echo "== loading $(basename "$DATA") into a fresh store in $WORK"
gunzip -c "$DATA" >"$GEOJSON"
meta desa "$(python3 -c 'import json, sys; print("{:,}".format(len(json.load(open(sys.argv[1]))["features"])))' "$GEOJSON")"
meta geojson_mb "$(du -m "$GEOJSON" | cut -f1)"
"$KUMUH_BIN" --store "$STORE" init >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log" >&2; exit 1; }
import_desa() { "$KUMUH_BIN" --store "$STORE" import "$1" --level desa >"$WORK/import.log" 2>&1; }
t0=$(now)
if ! import_desa "$GEOJSON"; then
  # The importer refuses the whole file when any feature is invalid (nothing is
  # imported). Geometry problems of the source data are repaired (GEOS MakeValid, only
  # the refused features); anything else stops the benchmark.
  echo "  the importer refused the file ($(head -1 "$WORK/import.log" | sed 's/^error: //'))"
  cp "$WORK/import.log" "$WORK/import-refused.log"
  python3 "$HELPERS/fix_geometry.py" "$WORK/import-refused.log" "$GEOJSON" "$WORK/fixed.geojson" |
    tee "$WORK/fix.log" || { cat "$WORK/import-refused.log" >&2; exit 1; }
  meta fixed "$(grep -o "refused [0-9]* features" "$WORK/fix.log" | grep -o "[0-9]*") features refused by the importer for invalid geometry ($(grep '^    [0-9]* x ' "$WORK/fix.log" | sed 's/^ *//; s/geometry: //' | paste -sd';' | sed 's/;/; /g')), repaired with GEOS MakeValid via ogr2ogr before the timed import"
  mv "$WORK/fixed.geojson" "$GEOJSON"
  t0=$(now)
  import_desa "$GEOJSON" || { echo "bench-tiles: the repaired file was refused too:" >&2; cat "$WORK/import.log" >&2; exit 1; }
fi
meta import_s "$(elapsed "$t0" 3)"
meta import_report "$(grep -o '[0-9]* added, [0-9]* updated' "$WORK/import.log" | tail -1)"
meta store_mb "$(du -m "$STORE" | cut -f1)"
echo "  $(tail -1 "$WORK/import.log")"

# ---- 3. the tile list ----
python3 "$TILE_LIST" "$DATA" >"$WORK/tiles.txt"
meta urls "$(wc -l <"$WORK/tiles.txt" | tr -d ' ')"
meta distinct "$(sort -u "$WORK/tiles.txt" | wc -l | tr -d ' ')"
[ "$(wc -l <"$WORK/tiles.txt")" -eq 2000 ] || { echo "bench-tiles: expected 2000 tiles" >&2; exit 1; }
urls_for() { sed "s|^|http://127.0.0.1:$1/tiles/desa/|; s|\$|.mvt|" "$WORK/tiles.txt" >"$WORK/urls-$1.txt"; echo "$WORK/urls-$1.txt"; }

# ---- servers ----
SERVER_PID=
start_kumuh() { # name cache_mb port [store]
  local name=$1 t0 i
  t0=$(now)
  "$KUMUH_BIN" --store "${4:-$STORE}" serve --addr "127.0.0.1:$3" --tile-cache-mb "$2" \
    >"$WORK/serve-$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for i in $(seq $((START_TIMEOUT * 50))); do
    grep -q "Kumuh serving" "$WORK/serve-$name.log" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve-$name.log" >&2; exit 1; }
    sleep 0.02
  done
  grep -q "Kumuh serving" "$WORK/serve-$name.log" || { echo "bench-tiles: kumuh did not start" >&2; exit 1; }
  local secs rss
  secs=$(elapsed "$t0" 3)
  rss=$(status_kb "$SERVER_PID" VmRSS)
  meta "start_$name" "$secs"
  meta "rss_start_$name" "$rss"
  echo "  kumuh ($name) listening on 127.0.0.1:$3 after $secs s, VmRSS $rss kB"
}
stop_server() { # name
  meta "hwm_$1" "$(status_kb "$SERVER_PID" VmHWM)"
  meta "rss_end_$1" "$(status_kb "$SERVER_PID" VmRSS)"
  stop_pid "$SERVER_PID"
}
run_oha() { # name urls-file
  local secs
  quiet "$1"
  secs=$(python3 -c "import re, sys; m = re.fullmatch(r'(\d+)(ms|s|m|h)?', sys.argv[1]); print(int(m[1]) * {'ms': 0.001, 's': 1, 'm': 60, 'h': 3600, None: 1}[m[2]])" "$DURATION")
  timeout --kill-after=10 $((${secs%.*} + 180)) \
    "$OHA" --no-tui --output-format json -o "$WORK/oha-$1.json" \
    -c "$CONC" -z "$DURATION" -w -t 60s --urls-from-file "$2"
  python3 -c "
import json, sys
d = json.load(open(sys.argv[1])); s = d['summary']; p = d['latencyPercentiles']
print(f\"  {sys.argv[2]}: {s['requestsPerSec']:.0f} req/s, p50 {p['p50']*1000:.2f} ms, p99 {p['p99']*1000:.2f} ms, status {d['statusCodeDistribution']}, errors {d['errorDistribution']}\")
" "$WORK/oha-$1.json" "$1"
}

# ---- 4a. kumuh without tile cache ----
echo "== (a) kumuh, --tile-cache-mb 0"
PORT=$(free_port)
start_kumuh uncached 0 "$PORT"
run_oha uncached "$(urls_for "$PORT")"
stop_server uncached

# ---- 4b. kumuh with tile cache, warmed by fetching every tile once ----
echo "== (b) kumuh, --tile-cache-mb $CACHE_MB"
PORT=$(free_port)
start_kumuh cached "$CACHE_MB" "$PORT"
WWW=$WORK/www
mkdir -p "$WWW/tiles/desa"
echo "  warm-up: every distinct tile once, kept for nginx"
python3 "$HELPERS/fetch.py" save "http://127.0.0.1:$PORT/tiles/desa" "$WORK/tiles.txt" \
  "$WWW/tiles/desa" "$WORK/sizes.json"
python3 - "$WORK/sizes.json" "$CACHE_MB" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); need = sum(t["gz"] + 64 for t in r if t["status"] == 200)
if need > int(sys.argv[2]) * 1024 * 1024:
    print(f"  WARNING: the tiles need {need / 2**20:.1f} MB of cache, more than {sys.argv[2]} MB: run (b) is partly uncached")
else:
    print(f"  the tiles fit the cache: {need / 2**20:.1f} MB of {sys.argv[2]} MB")
EOF
run_oha cached "$(urls_for "$PORT")"
stop_server cached

# ---- 4c. nginx serving the same bytes ----
echo "== (c) nginx, static files"
PORT=$(free_port)
NG=$WORK/nginx
mkdir -p "$NG/tmp"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;" # workers must read $WORK (mode 0700)
cat >"$NG/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT;
    root $WWW;
    location /tiles/ {
      types { }
      default_type application/vnd.mapbox-vector-tile;
      add_header Content-Encoding gzip;
      add_header Cache-Control no-cache;
      add_header Vary accept-encoding;
      try_files \$uri @empty;
    }
    location @empty { return 204; }
  }
}
EOF
"$NGINX" -e "$NG/error.log" -p "$NG" -c "$NG/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for i in $(seq 250); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NG/error.log" >&2; exit 1; }
  sleep 0.02
done
python3 "$HELPERS/fetch.py" verify "http://127.0.0.1:$PORT/tiles/desa" "$WORK/tiles.txt" "$WWW/tiles/desa"
run_oha nginx "$(urls_for "$PORT")"
rss=0
for pid in "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); do
  rss=$((rss + $(status_kb "$pid" VmRSS)))
done
meta rss_nginx "$rss"
stop_pid "$NGINX_PID"

# ---- 4d-f. on PostGIS: kumuh uncached and cached, and Martin, on one database ----
if [ "$POSTGIS" = 1 ]; then
  PG_URL=${KUMUH_TEST_POSTGRES/\/postgres\?//bench?}
  psql "$KUMUH_TEST_POSTGRES" -qc "CREATE DATABASE bench"
  meta postgis_version "$(psql "$KUMUH_TEST_POSTGRES" -Atc 'SELECT version()' | awk '{print $1, $2}')"
  meta martin_version "$("$MARTIN" --version | awk '{print $NF}')"
  echo "== loading the same file into PostGIS"
  "$KUMUH_BIN" --store "$PG_URL" init >"$WORK/init-pg.log" 2>&1 || { cat "$WORK/init-pg.log" >&2; exit 1; }
  t0=$(now)
  "$KUMUH_BIN" --store "$PG_URL" import "$GEOJSON" --level desa >"$WORK/import-pg.log" 2>&1 ||
    { cat "$WORK/import-pg.log" >&2; exit 1; }
  meta pg_import_s "$(elapsed "$t0" 3)"
  echo "  $(tail -1 "$WORK/import-pg.log")"

  echo "== (d) kumuh on PostGIS, --tile-cache-mb 0"
  PORT=$(free_port)
  start_kumuh pg_uncached 0 "$PORT" "$PG_URL"
  run_oha pg_uncached "$(urls_for "$PORT")"
  stop_server pg_uncached

  echo "== (e) kumuh on PostGIS, --tile-cache-mb $CACHE_MB"
  PORT=$(free_port)
  start_kumuh pg_cached "$CACHE_MB" "$PORT" "$PG_URL"
  python3 "$HELPERS/fetch.py" save "http://127.0.0.1:$PORT/tiles/desa" "$WORK/tiles.txt" \
    "$WORK/pg-tiles" "$WORK/pg-sizes.json" >/dev/null
  run_oha pg_cached "$(urls_for "$PORT")"
  stop_server pg_cached

  echo "== (f) Martin on the same database, --cache-size 0"
  PORT=$(free_port)
  "$MARTIN" "$PG_URL" --listen-addresses "127.0.0.1:$PORT" --cache-size 0 >"$WORK/martin.log" 2>&1 &
  MARTIN_PID=$!
  PIDS+=("$MARTIN_PID")
  for i in $(seq $((START_TIMEOUT * 50))); do
    python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "http://127.0.0.1:$PORT/catalog" 2>/dev/null && break
    kill -0 "$MARTIN_PID" 2>/dev/null || { cat "$WORK/martin.log" >&2; exit 1; }
    sleep 0.02
  done
  sed "s|^|http://127.0.0.1:$PORT/desa/|" "$WORK/tiles.txt" >"$WORK/urls-martin.txt"
  run_oha martin "$WORK/urls-martin.txt"
  stop_pid "$MARTIN_PID"
fi
rm -f "$GEOJSON"

# ---- 5. summary ----
python3 "$HELPERS/summary.py" "$WORK"
