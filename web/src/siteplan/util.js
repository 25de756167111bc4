// Small helpers shared by the siteplan modules.
import { lang, st, num } from './i18n.js';
import { h } from '../dom.js';

export { geometryBounds } from '../geo.js';

/** A category's label in the current language. */
export function catLabel(k, fallback = '') {
  if (!k) return fallback;
  return lang() === 'en' ? k.label_en || k.label_id : k.label_id || k.label_en;
}

/** The category geometry name of a GeoJSON geometry type. */
export const GEOMETRI_OF_TYPE = { Point: 'titik', LineString: 'garis', Polygon: 'area' };

/** A small sample of a category's colour, drawn as a point, a line or an area. */
export function swatch(color, geometri) {
  return h('span', { className: `sp-swatch sp-swatch-${geometri ?? 'area'}`, attrs: { style: `--c: ${color}`, 'aria-hidden': 'true' } });
}

/** Geometry type of each drawing mode, and the category geometry name it matches. */
export const MODES = {
  point: { type: 'Point', geometri: 'titik' },
  linestring: { type: 'LineString', geometri: 'garis' },
  polygon: { type: 'Polygon', geometri: 'area' },
};

/** A feature's size as the server measured it (`ukuran`): "12,5 m" or "40,0 m² · 26,0 m". */
export function sizeText(u) {
  if (!u) return '';
  if (u.jenis === 'garis') return `${num(u.length_m, 1)} m`;
  if (u.jenis === 'area') return `${num(u.area_m2, 1)} m² · ${num(u.perimeter_m, 1)} m`;
  return '';
}

/** What an outside-desa warning says: how much of the feature lies outside its desa. */
export function luarText(w) {
  const l = w.luar;
  if (l?.jenis === 'titik') return st('sp.luar.titik');
  if (l?.jenis === 'garis') return st('sp.luar.garis', { out: num(l.outside_m, 1), len: num(l.length_m, 1) });
  if (l?.jenis === 'area') return st('sp.luar.area', { out: num(l.outside_m2, 1), area: num(l.area_m2, 1) });
  return w.pesan ?? '';
}
