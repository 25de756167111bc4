// Label points of the desa and kecamatan in view (/api/places/labels, one point per
// place inside its polygon), so each place is named once however the tiles cut it. The
// points are fetched per grid cell of the view, each cell once, and kept by code; the home
// kecamatan's desa are fetched up front. Also answers a desa's name by its code.
import { api } from './api.js';
import { SOURCES, MIN_ZOOM } from './layers.js';

// Grid cells (web-mercator tiles of this zoom, ~40 km for desa and ~300 km for kecamatan)
// fetched as one bbox each: a few hundred places per cell even in the densest of Java.
const CELL_ZOOM = { desa: 10, kecamatan: 7 };
// A level's labels are loaded from the zoom its label layer is drawn at.
const LOAD_ZOOM = { desa: MIN_ZOOM.desaLabel, kecamatan: MIN_ZOOM.kecamatanLabel };
const MAX_CELLS = 12; // per move, the cells nearest the centre first

const SOURCE = { desa: SOURCES.desaLabels, kecamatan: SOURCES.kecamatanLabels };

function cellBbox(z, x, y) {
  const n = 2 ** z;
  const lon = (i) => (i / n) * 360 - 180;
  const lat = (j) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

function cellOf(z, lng, lat) {
  const n = 2 ** z;
  const clampedLat = Math.max(-85, Math.min(85, lat));
  const x = Math.floor(((lng + 180) / 360) * n);
  const rad = (clampedLat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return [Math.min(n - 1, Math.max(0, x)), Math.min(n - 1, Math.max(0, y))];
}

export function createLabels({ map, home, errors }) {
  const features = { desa: new Map(), kecamatan: new Map() };
  const loaded = { desa: new Set(), kecamatan: new Set() }; // cell keys fetched or in flight
  const listeners = new Set();
  let timer = null;

  function apply(level) {
    const source = map.getSource(SOURCE[level]);
    if (source) source.setData({ type: 'FeatureCollection', features: [...features[level].values()] });
  }

  // `replace`: the server's names win over those already known (after an import).
  function add(level, collection, replace = false) {
    let added = 0;
    for (const f of collection?.features ?? []) {
      const kode = f?.properties?.kode;
      if (!kode || !f.geometry || (!replace && features[level].has(kode))) continue;
      features[level].set(kode, f);
      added++;
    }
    if (added) {
      apply(level);
      for (const fn of listeners) fn(level);
    }
  }

  // The view's cells of a level not fetched yet, nearest the centre first.
  function missingCells(level) {
    const z = CELL_ZOOM[level];
    const b = map.getBounds();
    const [x0, y0] = cellOf(z, b.getWest(), b.getNorth());
    const [x1, y1] = cellOf(z, b.getEast(), b.getSouth());
    const c = map.getCenter();
    const [cx, cy] = cellOf(z, c.lng, c.lat);
    const cells = [];
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) if (!loaded[level].has(`${z}/${x}/${y}`)) cells.push([x, y]);
    }
    cells.sort((a, b2) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b2[0] - cx, b2[1] - cy));
    return cells.slice(0, MAX_CELLS).map(([x, y]) => ({ key: `${z}/${x}/${y}`, bbox: cellBbox(z, x, y) }));
  }

  function loadView(replace = false) {
    const zoom = map.getZoom();
    for (const level of ['kecamatan', 'desa']) {
      if (zoom < LOAD_ZOOM[level]) continue;
      for (const cell of missingCells(level)) {
        loaded[level].add(cell.key);
        api
          .labels(level, null, cell.bbox.map((v) => v.toFixed(5)).join(','))
          .then((data) => add(level, data, replace))
          .catch((err) => {
            loaded[level].delete(cell.key); // try again on the next move
            if (err.code !== 'offline') errors.show(err); // offline, names come from the tiles
          });
      }
    }
  }

  map.on('moveend', () => {
    clearTimeout(timer);
    timer = setTimeout(loadView, 150);
  });
  // The cells around the view are asked for once the first view's tiles are in, not
  // beside them: the home kecamatan's desa (fetched up front, below) name that view.
  let firstView = false;
  map.once('load', () => {
    firstView = true;
    loadView();
  });

  // The home kecamatan's desa first: the first view is named without waiting for a move.
  const ready = home?.kode
    ? api.labels('desa', home.kode).then((data) => add('desa', data))
    : Promise.resolve();

  return {
    ready,
    // After a style (re)load: refill the sources, fetch what the view lacks.
    apply() {
      apply('desa');
      apply('kecamatan');
      if (firstView) loadView();
    },
    // Places changed on the server (an import): the view's names are fetched again.
    refresh() {
      for (const level of ['desa', 'kecamatan']) loaded[level].clear();
      loadView(true);
    },
    desaName: (kode) => features.desa.get(kode)?.properties.nama ?? null,
    onChange: (fn) => listeners.add(fn),
  };
}
