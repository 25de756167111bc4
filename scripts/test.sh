#!/usr/bin/env bash
# Runs every test of Kumuh: unit, store (real GeoPackage files and a throwaway
# PostgreSQL with PostGIS), HTTP, CLI with GDAL, the viewer in headless Chromium, and the
# API against its OpenAPI document (schemathesis).
#
# The tests need, besides Rust and Node.js/npm: GDAL's command-line tools (ogrinfo,
# ogr2ogr) and its C library (for the `gdal` feature's tests), Chromium, sqlite3, and
# PostgreSQL 15 with PostGIS 3. On Debian they are
# installed here when missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ] || missing+=(chromium)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  && ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 \
  || missing+=(postgresql-15-postgis-3 postgresql-15)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
# The `gdal` feature's build (kumuh import of other OGR sources, GeoTIFF basemaps).
command -v gdal-config >/dev/null 2>&1 || missing+=(libgdal-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages the tests need: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

# The viewer's npm packages (playwright-core drives Chromium); the build of the server
# crate builds the viewer itself.
(cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; })

# Under a throwaway PostgreSQL (scripts/with-postgres.sh sets KUMUH_TEST_POSTGRES): the
# store tests run on both backends, the CLI's PostGIS tests run, and then the HTTP API
# tests run a second time with every fixture on a PostGIS database.
# The CLI's integration tests (`crates/cli/tests/it`; the end-to-end, crash and PostGIS
# tests have their own binaries and their own PostGIS cases) run a second time too, each
# store they name being a new database.
scripts/with-postgres.sh bash -c '
  cargo test --workspace --locked "$@" &&
  KUMUH_TEST_BACKEND=postgis cargo test --locked -p kumuh-server --tests "$@" &&
  KUMUH_TEST_BACKEND=postgis cargo test --locked -p kumuh --test it "$@"' test.sh "$@"

# The `gdal` feature (every other vector source GDAL reads, GeoTIFF basemaps), built
# against Debian's libgdal-dev: the tests that differ with it, the CLI's import and
# basemap modules. The default build above has none of it, as a planner's static binary.
cargo test --locked -p kumuh --features gdal --test it "$@" -- import:: basemap::

# The API against its own OpenAPI document (schemathesis, installed from PyPI when
# missing), on the binary the tests above built.
scripts/schemathesis.sh
