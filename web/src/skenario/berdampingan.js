// A scenario's locations before and after, side by side: two small SVG maps of the same
// extent, each location filled with its class (before on the left, after on the right).
// Geometry comes from /api/lokasi per desa of the answer; the main map's Sebelum |
// Sesudah toggle shows the same in place.
import { h, svgEl } from '../dom.js';
import { geometryBounds } from '../geo.js';
import { KELAS_COLORS, UNASSESSED_COLOR } from '../layers.js';
import { t } from '../i18n.js';
const SIZE = 160; // each map's width and height in its own units (drawn at half the panel)
const PAD = 6;
// At most this many desa are asked for geometry for one answer (a scenario over a whole
// kabupaten draws the locations of the first ones only, and says so).
export const MAX_DESA = 20;

// The outer rings of a Polygon or MultiPolygon, with holes, as lists of [lon, lat].
function rings(geometry) {
  if (geometry?.type === 'Polygon') return [geometry.coordinates];
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

/**
 * The geometry of each location of `perLokasi`, by code, read from /api/lokasi for each
 * of their desa (at most MAX_DESA). `lokasi(desa)` is the API call.
 */
export async function geometriLokasi(perLokasi, lokasi) {
  const wanted = new Set(perLokasi.map((l) => l.kode_lokasi));
  const desa = [...new Set(perLokasi.map((l) => l.kode_desa))].slice(0, MAX_DESA);
  const found = new Map();
  // The desa are asked at once, not one after another.
  for (const fc of await Promise.all(desa.map((d) => lokasi(d)))) {
    for (const f of fc?.features ?? []) {
      const kode = f.properties?.kode;
      if (wanted.has(kode) && f.geometry) found.set(kode, f.geometry);
    }
  }
  return found;
}

/** Two maps, `sebelum` and `sesudah`, of the locations with geometry; null without any. */
export function petaBerdampingan(perLokasi, geometri, label) {
  const drawn = perLokasi.filter((l) => geometri.has(l.kode_lokasi));
  if (!drawn.length) return null;
  const [[w, s], [e, n]] = geometryBounds(drawn.map((l) => geometri.get(l.kode_lokasi)));
  // Equirectangular at the middle latitude: true shapes at a kabupaten's size.
  const kx = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const span = Math.max((e - w) * kx, n - s) || 1e-6;
  const scale = (SIZE - 2 * PAD) / span;
  const ox = PAD + (SIZE - 2 * PAD - (e - w) * kx * scale) / 2;
  const oy = PAD + (SIZE - 2 * PAD - (n - s) * scale) / 2;
  const pt = ([x, y]) => `${(ox + (x - w) * kx * scale).toFixed(1)},${(oy + (n - y) * scale).toFixed(1)}`;
  const pathOf = (geometry) =>
    rings(geometry)
      .flatMap((poly) => poly.map((ring) => `M${ring.map(pt).join('L')}Z`))
      .join('');

  const panel = (view) => {
    const map = svgEl('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, role: 'img', 'aria-label': label(view) });
    map.dataset.testid = `skenario-berdampingan-${view}`;
    map.append(svgEl('rect', { x: 0, y: 0, width: SIZE, height: SIZE, fill: '#f4f1ec' }));
    for (const l of drawn) {
      const kelas = view === 'sebelum' ? l.kelas_sebelum : l.kelas_sesudah;
      const path = svgEl('path', {
        d: pathOf(geometri.get(l.kode_lokasi)),
        fill: KELAS_COLORS[kelas] ?? UNASSESSED_COLOR,
        'fill-rule': 'evenodd',
        stroke: '#2b2118',
        'stroke-width': 1,
      });
      path.dataset.lokasi = l.kode_lokasi;
      path.dataset.kelas = kelas ?? '';
      path.append(svgEl('title', {}, `${l.nama_lokasi || l.kode_lokasi}: ${t(kelas ? `kelas.${kelas}` : 'kelas.none')}`));
      map.append(path);
    }
    return h('figure', { className: 'sk-peta-kecil' }, map, h('figcaption', { text: label(view) }));
  };
  return h('div', { className: 'sk-berdampingan', testid: 'skenario-berdampingan' }, panel('sebelum'), panel('sesudah'));
}
