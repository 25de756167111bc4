#!/usr/bin/env python3
"""Helper of scripts/bench-tiles.sh: fetches every distinct tile of a 'z/x/y' list once.

  fetch.py save   BASE TILES OUTDIR SIZES.json  download from kumuh (gzip accepted), keep
                                                 the gzipped bytes as OUTDIR/z/x/y.mvt,
                                                 record status and sizes per tile
  fetch.py verify BASE TILES OUTDIR             check that BASE (nginx) answers every
                                                 tile with the same status and bytes

BASE is e.g. http://127.0.0.1:8080/tiles/desa (loopback only). Two fetches at a time.
"""
import gzip
import http.client
import json
import os
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

_local = threading.local()


def get(base, tile):
    u = urllib.parse.urlsplit(base)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"fetch.py: refusing non-loopback URL {base}")
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    conn.request("GET", f"{u.path}/{tile}.mvt", headers={"Accept-Encoding": "gzip"})
    r = conn.getresponse()
    body = r.read()
    return r.status, r.getheader("Content-Encoding"), r.getheader("Content-Type"), body


def tiles_of(path):
    with open(path) as f:
        # distinct tiles, in first-seen order
        return list(dict.fromkeys(line.strip() for line in f if line.strip()))


def save(base, tiles_file, outdir, sizes_file):
    tiles = tiles_of(tiles_file)

    def one(t):
        status, enc, ctype, body = get(base, t)
        rec = {"tile": t, "status": status, "gz": 0, "raw": 0, "content_type": ctype}
        if status == 200:
            if enc != "gzip":
                raise SystemExit(f"{t}: expected Content-Encoding gzip, got {enc}")
            rec["gz"] = len(body)
            rec["raw"] = len(gzip.decompress(body))
            path = os.path.join(outdir, t + ".mvt")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(body)
        elif status != 204:
            raise SystemExit(f"{t}: HTTP {status}: {body[:200]!r}")
        return rec

    with ThreadPoolExecutor(2) as ex:
        recs = list(ex.map(one, tiles))
    with open(sizes_file, "w") as f:
        json.dump(recs, f)
    n200 = sum(r["status"] == 200 for r in recs)
    print(f"  fetched {len(recs)} distinct tiles: {n200} with features, "
          f"{len(recs) - n200} empty (204), {sum(r['gz'] for r in recs) / 1e6:.1f} MB gzipped")


def verify(base, tiles_file, outdir):
    tiles = tiles_of(tiles_file)

    def one(t):
        status, enc, _, body = get(base, t)
        path = os.path.join(outdir, t + ".mvt")
        if os.path.exists(path):
            with open(path, "rb") as f:
                want = f.read()
            ok = status == 200 and enc == "gzip" and body == want
        else:
            ok = status == 204 and not body
        return None if ok else f"{t}: status {status}, encoding {enc}, {len(body)} bytes"

    with ThreadPoolExecutor(2) as ex:
        bad = [b for b in ex.map(one, tiles) if b]
    if bad:
        print("  nginx differs from kumuh on", len(bad), "tiles, e.g.", *bad[:5], sep="\n    ")
        sys.exit(1)
    print(f"  nginx serves the same status and bytes as kumuh for all {len(tiles)} distinct tiles")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "save":
        save(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "verify":
        verify(*sys.argv[2:])
    else:
        sys.exit(__doc__)
