// Builds the MapLibre glyph ranges (SDF PBFs) the viewer's labels need, with no
// network: the outlines come from the Noto Sans WOFF files of the npm package
// @fontsource/noto-sans (SIL Open Font License 1.1), whose licence is copied
// beside the output. Output: public/fonts/<fontstack>/<start>-<end>.pbf
//
// The encoding follows the glyph PBF convention MapLibre expects (the one
// node-fontnik established): 24 px em, 3 px border around each bitmap, SDF
// radius 8 px, cutoff 0.25, i.e. the outline sits at value 192.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import opentype from 'opentype.js';
import { PbfWriter } from 'pbf';

const here = dirname(fileURLToPath(import.meta.url));
const outRoot = join(here, '..', 'public', 'fonts');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@fontsource/noto-sans/package.json'));

const SIZE = 24;
const BORDER = 3;
const RADIUS = 8;
const CUTOFF = 0.25;
// Latin, Latin-1 Supplement, Latin Extended-A/B: every name in the data fits here.
const RANGES = [0, 256];

const STACKS = [
  { name: 'Noto Sans Regular', weight: 400 },
  { name: 'Noto Sans Bold', weight: 700 },
];

function loadFaces(weight) {
  // Fontsource splits the font by script; latin first, latin-ext fills the rest.
  return ['latin', 'latin-ext'].map((subset) => {
    const file = join(pkgDir, 'files', `noto-sans-${subset}-${weight}-normal.woff`);
    const buf = readFileSync(file);
    return opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  });
}

// Outline of a glyph as closed polygons of [x, y] points, y down, baseline at 0.
function outline(path) {
  const rings = [];
  let ring = null;
  let cx = 0;
  let cy = 0;
  const steps = 8;
  for (const c of path.commands) {
    if (c.type === 'M') {
      ring = [[c.x, c.y]];
      rings.push(ring);
    } else if (c.type === 'L') {
      ring.push([c.x, c.y]);
    } else if (c.type === 'Q') {
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        ring.push([u * u * cx + 2 * u * t * c.x1 + t * t * c.x, u * u * cy + 2 * u * t * c.y1 + t * t * c.y]);
      }
    } else if (c.type === 'C') {
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        ring.push([
          u * u * u * cx + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
          u * u * u * cy + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
        ]);
      }
    }
    if (c.type !== 'Z') {
      cx = c.x;
      cy = c.y;
    }
  }
  return rings.filter((r) => r.length > 2);
}

// Signed distance field: for each pixel centre, the distance to the nearest
// edge, negative inside (non-zero winding), mapped to 0..255.
function sdf(rings, x0, y0, w, h) {
  const segs = [];
  for (const r of rings) {
    for (let i = 0; i < r.length; i++) {
      const a = r[i];
      const b = r[(i + 1) % r.length];
      if (a[0] !== b[0] || a[1] !== b[1]) segs.push([a[0], a[1], b[0], b[1]]);
    }
  }
  const out = Buffer.alloc(w * h);
  for (let row = 0; row < h; row++) {
    const py = y0 + row + 0.5;
    for (let col = 0; col < w; col++) {
      const px = x0 + col + 0.5;
      let best = Infinity;
      let winding = 0;
      for (const [ax, ay, bx, by] of segs) {
        const dx = bx - ax;
        const dy = by - ay;
        let t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = ax + t * dx - px;
        const ey = ay + t * dy - py;
        const d2 = ex * ex + ey * ey;
        if (d2 < best) best = d2;
        if (ay <= py) {
          if (by > py && dx * (py - ay) - (px - ax) * dy > 0) winding++;
        } else if (by <= py && dx * (py - ay) - (px - ax) * dy < 0) {
          winding--;
        }
      }
      const d = winding !== 0 ? -Math.sqrt(best) : Math.sqrt(best);
      const v = Math.round(255 - 255 * (d / RADIUS + CUTOFF));
      out[row * w + col] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

function glyphFor(faces, code) {
  for (const font of faces) {
    const index = font.charToGlyphIndex(String.fromCodePoint(code));
    if (!index) continue;
    const glyph = font.glyphs.get(index);
    const scale = SIZE / font.unitsPerEm;
    const advance = Math.floor(glyph.advanceWidth * scale); // truncated, as fontnik does
    const ascender = Math.round(font.ascender * scale);
    const rings = outline(glyph.getPath(0, 0, SIZE));
    if (rings.length === 0) {
      return { id: code, width: 0, height: 0, left: 0, top: -ascender, advance, bitmap: null };
    }
    let xMin = Infinity;
    let xMax = -Infinity;
    let yMin = Infinity;
    let yMax = -Infinity;
    for (const r of rings) {
      for (const [x, y] of r) {
        xMin = Math.min(xMin, x);
        xMax = Math.max(xMax, x);
        yMin = Math.min(yMin, y);
        yMax = Math.max(yMax, y);
      }
    }
    const left = Math.floor(xMin);
    const topY = Math.floor(yMin); // y down: the glyph's top edge
    const width = Math.ceil(xMax) - left;
    const height = Math.ceil(yMax) - topY;
    const bitmap = sdf(rings, left - BORDER, topY - BORDER, width + 2 * BORDER, height + 2 * BORDER);
    // `top` is the bearing above the baseline, less the ascender (fontnik's convention).
    return { id: code, width, height, left, top: -topY - ascender, advance, bitmap };
  }
  return null;
}

function writeGlyph(g, pbf) {
  pbf.writeVarintField(1, g.id);
  if (g.bitmap) pbf.writeBytesField(2, g.bitmap);
  pbf.writeVarintField(3, g.width);
  pbf.writeVarintField(4, g.height);
  pbf.writeSVarintField(5, g.left);
  pbf.writeSVarintField(6, g.top);
  pbf.writeVarintField(7, g.advance);
}

function encodeRange(name, start, glyphs) {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, (stack, w) => {
    w.writeStringField(1, name);
    w.writeStringField(2, `${start}-${start + 255}`);
    for (const g of stack) w.writeMessage(3, writeGlyph, g);
  }, glyphs);
  return pbf.finish();
}

rmSync(outRoot, { recursive: true, force: true });
for (const stack of STACKS) {
  const faces = loadFaces(stack.weight);
  const dir = join(outRoot, stack.name);
  mkdirSync(dir, { recursive: true });
  for (const start of RANGES) {
    const glyphs = [];
    for (let code = start; code < start + 256; code++) {
      const g = glyphFor(faces, code);
      if (g) glyphs.push(g);
    }
    writeFileSync(join(dir, `${start}-${start + 255}.pbf`), encodeRange(stack.name, start, glyphs));
  }
  copyFileSync(join(pkgDir, 'LICENSE'), join(dir, 'OFL.txt'));
}
copyFileSync(join(pkgDir, 'LICENSE'), join(outRoot, 'OFL.txt'));
writeFileSync(
  join(outRoot, 'README.txt'),
  'Glyph ranges (SDF PBF) for the map labels, generated by web/scripts/build-glyphs.mjs\n' +
    'from Noto Sans (npm package @fontsource/noto-sans). Noto Sans is licensed under the\n' +
    'SIL Open Font License, Version 1.1: see OFL.txt.\n',
);
console.log(`glyphs: ${STACKS.map((s) => s.name).join(', ')} -> ${outRoot}`);
