#!/usr/bin/env bash
# Property-based API tests: schemathesis generates requests from /api/openapi.json and
# checks that no answer is a server error and that every answer matches its declared
# schema, once anonymously and once as an admin (whose writes change the temporary
# store). Bounded: a fixed number of examples per operation, no stateful phase.
#
# Usage: scripts/schemathesis.sh [PATH_TO_KUMUH_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
kumuh="${1:-${CARGO_TARGET_DIR:-target}/debug/kumuh}"
[ -x "$kumuh" ] || cargo build -p kumuh --locked
if ! command -v schemathesis >/dev/null 2>&1; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION" >&2
  python3 -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

dir="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

export KUMUH_STORE="$dir/kumuh.gpkg"
export RUST_LOG=warn
password="schemathesis-$$-$RANDOM"
"$kumuh" init >/dev/null
printf '%s\n' "$password" | "$kumuh" user add admin --role admin --password-stdin >/dev/null

"$kumuh" serve --addr 127.0.0.1:0 >"$dir/serve.out" 2>"$dir/serve.err" &
server=$!
base=""
for _ in $(seq 1 100); do
  base="$(grep -o 'http://[^ ]*' "$dir/serve.out" 2>/dev/null | head -1 || true)"
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "kumuh serve did not start" >&2; cat "$dir/serve.err" >&2; exit 1; }
base="${base%/}"

token="$(BASE="$base" PASSWORD="$password" python3 -c '
import json, os, urllib.request
req = urllib.request.Request(
    os.environ["BASE"] + "/api/auth/login",
    data=json.dumps({"username": "admin", "password": os.environ["PASSWORD"]}).encode(),
    headers={"Content-Type": "application/json"},
)
print(json.load(urllib.request.urlopen(req))["token"])
')"

# Run from the temporary directory, where schemathesis keeps its cache.
run() {
  (cd "$dir" && schemathesis run "$base/api/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    --phases fuzzing --max-examples 20 --seed 1 --workers 2 \
    --request-timeout 30 --no-color "$@")
}
# Both runs go ahead whatever the first found; the script fails if either did.
status=0
echo "schemathesis: anonymous" >&2
run || status=1
echo "schemathesis: as admin" >&2
# Signing out would revoke the token the rest of the run uses.
run -H "Authorization: Bearer $token" --exclude-path /api/auth/logout || status=1
exit $status
