#!/usr/bin/env python3
"""Helper of scripts/bench-tiles.sh: repairs the geometries the importer refused.

  fix_geometry.py IMPORT_LOG GEOJSON OUT.geojson

Reads the importer's problem lines ("feature N (KODE), field `geometry`: ...") from
IMPORT_LOG. When every problem is a geometry problem (a data-shape issue such as a
self-intersecting ring of a simplified boundary), it repairs exactly those features with
GEOS MakeValid through GDAL (ogr2ogr, SQLite/SpatiaLite dialect, polygonal parts kept,
as MultiPolygon) and writes GEOJSON with the repaired geometries swapped in to OUT.
Other features are copied unchanged. Prints what it did; exit status 1 when some
problem is not a geometry problem (that is not for the script to fix).
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

log, src, out = sys.argv[1:4]
problems = []
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.match(r"\s*feature (\d+) \(([^)]*)\), field `([^`]*)`: (.*)", line)
    if m:
        problems.append((int(m[1]), m[2], m[3], m[4].strip()))
if not problems:
    sys.exit("fix_geometry: no problem lines found in the importer's output")
features = {p[1] for p in problems}
print(f"  the importer refused {len(features)} features ({len(problems)} problems):")
kinds = collections.Counter(
    f"{field}: " + re.sub(r"^polygon \d+, (exterior ring|interior ring \d+): ", "", msg)
    for _, _, field, msg in problems
)
for kind, n in kinds.most_common():
    print(f"    {n} x {kind}")
for _, kode, field, msg in problems:
    print(f"    {kode}: {field}: {msg}")
if any(field != "geometry" for _, _, field, _ in problems):
    sys.exit("fix_geometry: some problems are not geometry problems; not repairing")

doc = json.load(open(src))
refused = [f for f in doc["features"] if f["properties"].get("kode") in features]
with tempfile.TemporaryDirectory() as tmp:
    # only the refused features go through GDAL
    part_path = os.path.join(tmp, "refused.geojson")
    fixed_path = os.path.join(tmp, "fixed.geojson")
    with open(part_path, "w") as fh:
        json.dump({"type": "FeatureCollection", "features": refused}, fh)
    sql = (
        "SELECT kode, CastToMultiPolygon(ST_CollectionExtract(ST_MakeValid(geometry), 3)) "
        "AS geometry FROM refused"
    )
    subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", fixed_path, part_path,
         "-dialect", "SQLite", "-nln", "fixed", "-nlt", "MULTIPOLYGON", "-sql", sql],
        check=True, stderr=subprocess.DEVNULL,
    )
    fixed = {f["properties"]["kode"]: f["geometry"] for f in json.load(open(fixed_path))["features"]}

n = 0
for f in doc["features"]:
    g = fixed.get(f["properties"].get("kode"))
    if g is not None:
        f["geometry"] = g
        n += 1
if n != len(features):
    sys.exit(f"fix_geometry: repaired {n} of {len(features)} features")
with open(out, "w") as fh:
    json.dump(doc, fh, separators=(",", ":"))
print(f"  repaired {n} geometries with GEOS MakeValid (ogr2ogr, SpatiaLite); "
      f"the other {len(doc['features']) - n} features are unchanged")
