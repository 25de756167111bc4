#!/usr/bin/env python3
"""Helper of scripts/bench-rt.sh: an RT-scale data set from Java's desa.

  gen_rt.py DESA.geojson OUTDIR [RT_PER_DESA]

Splits every desa of DESA.geojson (EPSG:4326) into about RT_PER_DESA (default 30) RT
polygons: the Voronoi cells of that many seeded random points inside the desa, clipped
to it. RT i (0-based) of a desa gets RW 1 + i // 5 and RT 1 + i % 5, so its code is
`KODE_DESA.RRR.TTT` (six RW of five RT). The points of a desa are drawn from a
generator seeded with 42 and its code, so the same input gives the same output. Writes
one GeoJSON file per province (the code's first two digits), `OUTDIR/rt_PP.geojson`,
coordinates on a grid of 1e-7 degree (about a centimetre, GEOS's set_precision, which
keeps the cells valid), and prints the counts.

Needs shapely 2 (with numpy; scripts/bench-rt.sh installs them in a virtual environment).
"""
import json
import os
import random
import sys

import shapely
from shapely.geometry import MultiPoint, mapping, shape

path, out = sys.argv[1], sys.argv[2]
per_desa = int(sys.argv[3]) if len(sys.argv) > 3 else 30
os.makedirs(out, exist_ok=True)

with open(path) as f:
    desa = json.load(f)["features"]


def rounded(c):
    if isinstance(c[0], (int, float)):
        return [round(c[0], 7), round(c[1], 7)]
    return [rounded(x) for x in c]


def polygons_of(g):
    """The polygons of a geometry (a clipped cell may come back as a collection)."""
    if g.is_empty:
        return []
    if g.geom_type == "Polygon":
        return [g]
    if g.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in g.geoms for p in polygons_of(part)]
    return []


by_province = {}
cells = 0
for f in desa:
    kode = f["properties"]["kode"]
    area = shapely.make_valid(shape(f["geometry"]))
    polys = polygons_of(area)
    if not polys:
        continue
    area = shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]
    rnd = random.Random(f"42:{kode}")
    minx, miny, maxx, maxy = area.bounds
    shapely.prepare(area)
    pts = []
    for _ in range(per_desa * 200):
        if len(pts) == per_desa:
            break
        x, y = rnd.uniform(minx, maxx), rnd.uniform(miny, maxy)
        if shapely.contains_xy(area, x, y):
            pts.append((x, y))
    if len(pts) < 2:
        continue
    voronoi = shapely.voronoi_polygons(MultiPoint(pts), extend_to=area)
    # Each point's own cell, in the points' order, so that RT numbers follow the draw.
    owned = list(voronoi.geoms)
    for i, (x, y) in enumerate(pts):
        cell = next((c for c in owned if c.contains(shapely.Point(x, y))), None)
        if cell is None:
            continue
        # On the 1e-7 degree grid the file is written in, made valid there (rounding
        # alone can pinch a thin sliver into a crossing or a two-point ring).
        clipped = shapely.set_precision(shapely.intersection(cell, area), 1e-7)
        parts = [p for p in polygons_of(clipped) if p.area > 0]
        if not parts:
            continue
        g = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
        geo = mapping(g)
        rw, rt = 1 + i // 5, 1 + i % 5
        by_province.setdefault(kode[:2], []).append({
            "type": "Feature",
            "properties": {"kode": f"{kode}.{rw:03d}.{rt:03d}", "nama": f"RT {rt:03d} / RW {rw:03d}"},
            "geometry": {"type": geo["type"], "coordinates": rounded(geo["coordinates"])},
        })
        cells += 1

for prov, feats in sorted(by_province.items()):
    name = os.path.join(out, f"rt_{prov}.geojson")
    with open(name, "w") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f, separators=(",", ":"))
    print(f"  {name}: {len(feats):,} RT, {os.path.getsize(name) / 2**20:,.0f} MB")
print(f"  {cells:,} RT polygons from {len(desa):,} desa")
