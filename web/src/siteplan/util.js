// Small helpers shared by the siteplan modules.
import { lang } from './i18n.js';

export { geometryBounds } from '../geo.js';

/** A category's label in the current language. */
export function catLabel(k, fallback = '') {
  if (!k) return fallback;
  return lang() === 'en' ? k.label_en || k.label_id : k.label_id || k.label_en;
}

/** The category geometry name of a GeoJSON geometry type. */
export const GEOMETRI_OF_TYPE = { Point: 'titik', LineString: 'garis', Polygon: 'area' };

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'testid') e.dataset.testid = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
