// Small helpers shared by the siteplan modules.
import { lang } from './i18n.js';
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
