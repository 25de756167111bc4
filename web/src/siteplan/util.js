// Small helpers shared by the siteplan modules.
import { lang } from './i18n.js';

/** [[minLon, minLat], [maxLon, maxLat]] of some GeoJSON geometries, or null. */
export function geometryBounds(geometries) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const walk = (c) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      minX = Math.min(minX, c[0]);
      maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1]);
      maxY = Math.max(maxY, c[1]);
    } else c.forEach(walk);
  };
  for (const g of geometries) {
    if (!g) continue;
    if (g.type === 'GeometryCollection') g.geometries.forEach((x) => walk(x.coordinates));
    else walk(g.coordinates);
  }
  if (!Number.isFinite(minX)) return null;
  // A single point: a small box around it.
  if (maxX - minX < 1e-5 && maxY - minY < 1e-5) {
    const d = 0.0005;
    return [
      [minX - d, minY - d],
      [maxX + d, maxY + d],
    ];
  }
  return [
    [minX, minY],
    [maxX, maxY],
  ];
}

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
