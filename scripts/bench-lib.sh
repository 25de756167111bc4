# Shell functions shared by the benchmark scripts (sourced, not run).

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }
# Seconds since T0 (from `now`), with DECIMALS decimals (default 2).
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.{int(sys.argv[3])}f}')" "$1" "$(now)" "${2:-2}"; }
# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# A value in kB of /proc/PID/status (VmRSS, VmHWM).
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# Unpacks the gzipped desa GeoJSON DATA to OUT, ready for a timed import: Kumuh refuses
# the whole file while any feature is invalid, so a first (untimed) import into a probe
# store in DIR names the features with invalid source geometry, and they are repaired
# with GEOS MakeValid (bench-tiles/fix_geometry.py). Prints what was repaired.
#   prepare_desa KUMUH_BIN DATA OUT DIR
prepare_desa() {
  local bin=$1 data=$2 out=$3 dir=$4
  gzip -dc "$data" >"$out"
  "$bin" --store "$dir/probe.gpkg" init >/dev/null 2>&1
  if ! "$bin" --store "$dir/probe.gpkg" import "$out" --level desa >"$dir/probe.log" 2>&1; then
    python3 "$(dirname "${BASH_SOURCE[0]}")/bench-tiles/fix_geometry.py" "$dir/probe.log" "$out" "$dir/fixed.geojson" >"$dir/fix.log" ||
      { cat "$dir/probe.log" >&2; return 1; }
    mv "$dir/fixed.geojson" "$out"
    echo "  $(grep -o "refused [0-9]* features" "$dir/fix.log") for invalid geometry: repaired with MakeValid"
  fi
  rm -f "$dir"/probe.gpkg*
}
