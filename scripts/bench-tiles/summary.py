#!/usr/bin/env python3
"""Helper of scripts/bench-tiles.sh: prints the summary table from the run's files.

  summary.py WORKDIR

Reads WORKDIR/meta.txt (key=value lines written by the script), WORKDIR/oha-*.json
(oha --output-format json) and WORKDIR/sizes.json (fetch.py save). Exit status 1 when
any request failed (a transport error or a status other than 200/204), else 0.
"""
import json
import os
import statistics
import sys

MARTIN_RPS = 31.0
MARTIN = "Martin 1.14 + PostGIS 3.3 reference, 31 req/s, median 0.4 s, z6 tile 1.16 MB"

work = sys.argv[1]
meta = {}
with open(os.path.join(work, "meta.txt")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("=")
        meta[k] = v


def kb(n):
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def mb_kib(kib):
    return f"{int(kib) / 1024:,.1f} MB"


runs = [
    ("uncached", f"kumuh, --tile-cache-mb 0 (uncached)"),
    ("cached", f"kumuh, --tile-cache-mb {meta['cache_mb']} (cached, warm)"),
    ("nginx", f"nginx {meta.get('nginx_version', '')} static files (same gzipped bytes)"),
]
postgis = os.path.exists(os.path.join(work, "oha-martin.json"))
if postgis:
    runs += [
        ("pg_uncached", "kumuh on PostGIS, --tile-cache-mb 0 (uncached)"),
        ("pg_cached", f"kumuh on PostGIS, --tile-cache-mb {meta['cache_mb']} (cached, warm)"),
        ("martin", f"Martin {meta.get('martin_version', '')} on the same PostGIS "
                   f"({meta.get('postgis_version', '')}), --cache-size 0"),
    ]
res = {}
failed = 0
print()
print(f"Kumuh vector tiles, layer `desa`: {meta['desa']} desa of Java, "
      f"{meta['urls']} tile URLs ({meta['distinct']} distinct, z6-z14, tile_list.py seed 42)")
print(f"oha {meta['oha_version']}: -c {meta['conc']} -z {meta['duration']} -w, keep-alive, "
      f"Accept-Encoding gzip, URLs drawn at random from the list; "
      f"{meta['cpus']} CPUs shared by server and oha")
print()
print("| run | req/s | p50 | p99 | requests | 200 | 204 | failed | load avg 1/5/15 min at start |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for key, label in runs:
    with open(os.path.join(work, f"oha-{key}.json")) as f:
        d = json.load(f)
    s = d["summary"]
    codes = {str(k): int(v) for k, v in d.get("statusCodeDistribution", {}).items()}
    transport = sum(int(v) for v in d.get("errorDistribution", {}).values())
    bad = transport + sum(v for k, v in codes.items() if k not in ("200", "204"))
    failed += bad
    total = sum(codes.values()) + transport
    p = d["latencyPercentiles"]
    res[key] = s["requestsPerSec"]
    print(f"| {label} | {s['requestsPerSec']:,.0f} | {p['p50'] * 1000:.2f} ms | "
          f"{p['p99'] * 1000:.2f} ms | {total:,} | {codes.get('200', 0):,} | "
          f"{codes.get('204', 0):,} | {bad} | {meta.get('load_' + key, '?')} |")
    if bad:
        print(f"|   ↳ failures: status {codes}, errors {d.get('errorDistribution', {})} |"
              " | | | | | | | |")
print()
print(f"cached / nginx throughput: {res['cached'] / res['nginx']:.2f}")
if postgis:
    martin = res["martin"]
    print(f"Martin reference: measured in this run, {martin:,.1f} req/s")
    print(f"uncached / Martin: {res['uncached'] / martin:,.1f}x (GeoPackage), "
          f"{res['pg_uncached'] / martin:,.1f}x (PostGIS); "
          f"cached / Martin: {res['cached'] / martin:,.1f}x (GeoPackage), "
          f"{res['pg_cached'] / martin:,.1f}x (PostGIS)")
else:
    print(f"Martin reference: a fixed figure, not this run's ({MARTIN}); "
          "install PostgreSQL with PostGIS and Martin to measure it (see the script's header)")
    print(f"uncached / Martin: {res['uncached'] / MARTIN_RPS:,.1f}x; "
          f"cached / Martin: {res['cached'] / MARTIN_RPS:,.1f}x")

with open(os.path.join(work, "sizes.json")) as f:
    sizes = json.load(f)
z6 = [r for r in sizes if r["tile"].startswith("6/")]
z6_full = [r for r in z6 if r["status"] == 200]
with open(os.path.join(work, "tiles.txt")) as f:
    z6_urls = sum(line.startswith("6/") for line in f)
print()
print("| tiles | gzipped | uncompressed |")
print("|---|---:|---:|")
if z6_full:
    print(f"| z6, max over the {len(z6_full)} non-empty distinct z6 tiles "
          f"({len(z6) - len(z6_full)} empty; {z6_urls} of the URLs are z6) | {kb(max(r['gz'] for r in z6_full))} | "
          f"{kb(max(r['raw'] for r in z6_full))} |")
    print(f"| z6, median | {kb(statistics.median(r['gz'] for r in z6_full))} | "
          f"{kb(statistics.median(r['raw'] for r in z6_full))} |")
big = max(sizes, key=lambda r: r["raw"])
print(f"| largest tile overall ({big['tile']}) | {kb(big['gz'])} | {kb(big['raw'])} |")
full = [r for r in sizes if r["status"] == 200]
print(f"| all {len(sizes)} distinct tiles ({len(full)} non-empty, {len(sizes) - len(full)} 204) "
      f"| {kb(sum(r['gz'] for r in full))} | {kb(sum(r['raw'] for r in full))} |")

print()
print("| kumuh process | uncached server | cached server |")
print("|---|---:|---:|")
print(f"| start: launch to listening (store open + tile index build) | "
      f"{float(meta['start_uncached']):.2f} s | {float(meta['start_cached']):.2f} s |")
if postgis:
    print(f"| start on PostGIS | {float(meta['start_pg_uncached']):.2f} s | "
          f"{float(meta['start_pg_cached']):.2f} s |")
    print(f"| RSS after start on PostGIS | {mb_kib(meta['rss_start_pg_uncached'])} | "
          f"{mb_kib(meta['rss_start_pg_cached'])} |")
print(f"| RSS after start (VmRSS) | {mb_kib(meta['rss_start_uncached'])} | "
      f"{mb_kib(meta['rss_start_cached'])} |")
print(f"| peak RSS after the load (VmHWM) | {mb_kib(meta['hwm_uncached'])} | "
      f"{mb_kib(meta['hwm_cached'])} |")
print(f"| RSS after the load (VmRSS) | {mb_kib(meta['rss_end_uncached'])} | "
      f"{mb_kib(meta['rss_end_cached'])} |")
print()
print(f"import of {meta['desa']} desa (`kumuh import --level desa`, "
      f"{meta['geojson_mb']} MB GeoJSON): {float(meta['import_s']):.1f} s; "
      f"{meta['import_report']}")
if postgis:
    print(f"the same into PostGIS (`kumuh --store postgres://… import`): "
          f"{float(meta['pg_import_s']):.1f} s")
if meta.get("fixed"):
    print(f"input fix-up before import: {meta['fixed']}")
print(f"nginx RSS after the load (master + workers, VmRSS): {mb_kib(meta.get('rss_nginx', 0))}")
print(f"store: {meta['store_mb']} MB GeoPackage; kumuh {meta['kumuh_version']}")
print()
if failed:
    print(f"FAILED: {failed} requests failed (transport error or status other than 200/204)")
sys.exit(1 if failed else 0)
