// The map style: a plain built-in base (or a configured basemap) with the
// atlas sources (vector tiles from the server) and layers on top. Layer ids are used by
// the e2e script.
import { tileJsonUrl } from './tilejson.js';

export const LAYERS = {
  kabupatenLine: 'kabupaten-line',
  kecamatanFill: 'kecamatan-fill',
  kecamatanLine: 'kecamatan-line',
  kecamatanLabel: 'kecamatan-label',
  desaFill: 'desa-fill',
  desaLine: 'desa-line',
  homeOutline: 'home-outline',
  desaLabel: 'desa-label',
  rwLine: 'rw-line',
  rwLabel: 'rw-label',
  rtLine: 'rt-line',
  rtLabel: 'rt-label',
  lokasiFill: 'lokasi-fill',
  lokasiHatch: 'lokasi-hatch',
  lokasiLine: 'lokasi-line',
  jaringanCasing: 'jaringan-casing',
  jaringanLine: 'jaringan-line',
  segmenFill: 'segmen-fill',
  segmenOutline: 'segmen-outline',
  segmenHalo: 'segmen-halo',
  segmenCasing: 'segmen-casing',
  segmenLine: 'segmen-line',
  segmenPoint: 'segmen-point',
  upkFill: 'upk-fill',
};

// The layers that answer a click on a work segment (they win over lokasi and desa).
export const SEGMEN_HIT_LAYERS = [LAYERS.segmenLine, LAYERS.segmenPoint, LAYERS.segmenFill];

// The layer groups of the layer panel: a checkbox per group sets the layout visibility of
// its layers (data-testid="toggle-<id>").
export const LAYER_GROUPS = [
  { id: 'kecamatan', layers: [LAYERS.kabupatenLine, LAYERS.kecamatanFill, LAYERS.kecamatanLine, LAYERS.homeOutline, LAYERS.kecamatanLabel] },
  { id: 'desa', layers: [LAYERS.desaFill, LAYERS.desaLine, LAYERS.desaLabel] },
  // RW and RT boundaries, drawn only from the zooms where blocks are legible.
  { id: 'rw', layers: [LAYERS.rwLine, LAYERS.rwLabel] },
  { id: 'rt', layers: [LAYERS.rtLine, LAYERS.rtLabel] },
  // Revolving loans: off until asked for (its data and panel are loaded then).
  { id: 'upk', layers: [LAYERS.upkFill], defaultOn: false },
  { id: 'lokasi', layers: [LAYERS.lokasiFill, LAYERS.lokasiHatch, LAYERS.lokasiLine] },
  { id: 'jaringan', layers: [LAYERS.jaringanCasing, LAYERS.jaringanLine] },
  {
    id: 'segmen',
    layers: [LAYERS.segmenFill, LAYERS.segmenOutline, LAYERS.segmenHalo, LAYERS.segmenCasing, LAYERS.segmenLine, LAYERS.segmenPoint],
  },
];

// The bands of the UPK's portfolio at risk (PAR: good below 10 %, poor above 20 %), on a
// colour-blind-safe diverging ramp (ColorBrewer RdYlBu ends and an amber middle), and a
// grey for a desa with no running loan.
export const PITA = ['baik', 'cukup', 'kurang'];
export const PITA_COLORS = { baik: '#2c7bb6', cukup: '#f4a52b', kurang: '#c8201e' };
export const UPK_NONE_COLOR = '#b3ada5';

// Vector tile sources are named like their tile layer (and `source-layer`).
export const SOURCES = {
  kabupaten: 'kabupaten',
  kecamatan: 'kecamatan',
  kecamatanLabels: 'kecamatan-labels',
  desa: 'desa',
  desaLabels: 'desa-labels',
  rw: 'rw',
  rt: 'rt',
  lokasi: 'lokasi',
  jaringan: 'jaringan',
  segmen: 'segmen',
  label: 'label',
};

// Slum classes, worst first, on a sequential colour-blind-safe ramp (ColorBrewer
// YlOrRd, light to dark with the severity), with a muted green-grey for "not a slum".
export const KELAS = ['kumuh_berat', 'kumuh_sedang', 'kumuh_ringan', 'tidak_kumuh'];
export const KELAS_COLORS = {
  kumuh_berat: '#a50f15',
  kumuh_sedang: '#f16913',
  kumuh_ringan: '#fed24c',
  tidak_kumuh: '#8fa89a',
};
export const UNASSESSED_COLOR = '#6f6a64';
// Any feature drawn from a tile written without properties (class, condition unknown).
export const NO_DATA_COLOR = '#6b625a';

// Road and drain lines (/api/jaringan) by condition, good to missing. Roads are
// solid, drains dashed, missing ones ("tidak ada") grey and dotted.
export const KONDISI = ['baik', 'sedang', 'rusak_ringan', 'rusak_berat', 'tidak_ada'];
export const KONDISI_COLORS = {
  baik: '#1a9850',
  sedang: '#a3a01c',
  rusak_ringan: '#f08a24',
  rusak_berat: '#d7191c',
  tidak_ada: '#8a8580',
};
export const JENIS = ['jalan', 'drainase'];
export const JARINGAN_DASH = { jalan: [1, 0], drainase: [2.5, 1.5], tidak_ada: [0.6, 1.6] };
export const HATCH_IMAGE = 'lokasi-hatch';

// Work segments (/api/segmen) are coloured either by their stage or by their main
// funding source; the same colours are used in the legend and the panel's source bar.
// Stages: light to dark blue-purple as the work moves on, maintenance darkest.
export const STATUS = ['rencana', 'persiapan', 'pelaksanaan', 'selesai', 'pemeliharaan'];
export const STATUS_COLORS = {
  rencana: '#9e9ac8',
  persiapan: '#6baed6',
  pelaksanaan: '#2171b5',
  selesai: '#08306b',
  pemeliharaan: '#54278f',
};
// Sources: the Okabe-Ito qualitative palette (colour-blind safe), grey for "other".
export const SUMBER = ['apbn', 'apbd_provinsi', 'apbd_kabupaten', 'dana_desa', 'swadaya', 'csr', 'lainnya'];
export const SUMBER_COLORS = {
  apbn: '#0072b2',
  apbd_provinsi: '#56b4e9',
  apbd_kabupaten: '#009e73',
  dana_desa: '#e69f00',
  swadaya: '#cc79a7',
  csr: '#d55e00',
  lainnya: '#7a7a7a',
};
export const SEGMEN_UNKNOWN_COLOR = '#b9b2a8'; // no status or no source at all
export const SEGMEN_MODES = ['status', 'sumber'];
// Illustrative (contoh) segments are dashed.
export const SEGMEN_CONTOH_DASH = [2, 1.2];

// The colour expression of the segment layers for a colouring mode.
export function segmenColor(mode) {
  if (mode === 'sumber') {
    return ['match', ['coalesce', ['get', 'sumber_utama'], ''], ...SUMBER.flatMap((k) => [k, SUMBER_COLORS[k]]), SEGMEN_UNKNOWN_COLOR];
  }
  return ['match', ['coalesce', ['get', 'status'], ''], ...STATUS.flatMap((k) => [k, STATUS_COLORS[k]]), SEGMEN_UNKNOWN_COLOR];
}

// An 8x8 diagonal hatch for locations without an assessment.
export function hatchImage() {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = (x + y) % size;
      const alpha = d === 0 ? 200 : d === 1 || d === size - 1 ? 70 : 0;
      data.set([0x6f, 0x6a, 0x64, alpha], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

// Fontstack names follow the usual OpenMapTiles naming, so a basemap's glyph
// server is likely to have them too.
const FONT_BOLD = ['Noto Sans Bold'];
const FONT_REGULAR = ['Noto Sans Regular'];

export const COLORS = {
  background: '#eef1ec',
  desa: '#f2c879',
  desaHover: '#e7a53c',
  desaSelected: '#d9822b',
  desaLine: '#8c5a22',
  rwLine: '#6b4a8a',
  rtLine: '#8f7aa6',
  kabupatenLine: '#7b8590',
  kecamatanLine: '#9aa3ad',
  kecamatanLabel: '#7b8590',
  home: '#5a3a12',
  label: '#2b2118',
  halo: '#fffdf8',
};

// MapLibre wants an absolute glyph URL; the fonts are served next to index.html.
export function glyphsUrl() {
  return `${new URL('fonts/', document.baseURI).href}{fontstack}/{range}.pbf`;
}

// Every glyph file the viewer ships (public/fonts: both fontstacks, Latin and Latin
// Extended), as absolute URLs: kept for offline use whether or not the first visit had
// drawn a label yet.
export function glyphFiles() {
  return [...FONT_REGULAR, ...FONT_BOLD].flatMap((stack) =>
    ['0-255', '256-511'].map((range) => glyphsUrl().replace('{fontstack}', encodeURIComponent(stack)).replace('{range}', range)),
  );
}

export function plainStyle() {
  return {
    version: 8,
    name: 'Kumuh plain',
    glyphs: glyphsUrl(),
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': COLORS.background } }],
  };
}

const emptyCollection = () => ({ type: 'FeatureCollection', features: [] });

// The vector tile layers of the server (GET /tiles): each source's TileJSON is at
// /tiles/{layer} (tilejson.js), and the MVT layer inside each tile (the `source-layer`) has
// the same id.
export const TILE_LAYERS = ['kabupaten', 'kecamatan', 'desa', 'rw', 'rt', 'lokasi', 'jaringan', 'segmen', 'label'];

// Zooms below which a layer is not drawn (and its tiles not fetched): boundaries and
// villages are only legible, and their tiles only light, from there on.
export const MIN_ZOOM = {
  kecamatan: 7,
  kecamatanLabel: 8,
  desa: 9,
  desaLabel: 11,
  rw: 13,
  rwLabel: 15,
  rt: 14,
  rtLabel: 16,
  jaringan: 10,
};

// `sourceUrl(layer)`: where each vector source reads its TileJSON (offline.js points them
// at an opened PMTiles file).
export function atlasSources({ sourceUrl = tileJsonUrl } = {}) {
  // Places and slum locations carry their code as `kode`: promoted to the feature id, so
  // feature state (hover, selected) is keyed by code. Roads and segments keep the tile's ids.
  // The TileJSON's (Indonesian-only) attribution restates the boundary credit that the map's
  // own, translated attribution already gives: an explicit empty one takes precedence.
  const vector = (layer, promoteId) => ({ type: 'vector', url: sourceUrl(layer), attribution: '', ...(promoteId ? { promoteId } : {}) });
  // MapLibre asks for tiles source by source in this order, six at a time per server: the
  // desa (the first view's subject) and what is drawn over them first, the outlines after.
  return {
    [SOURCES.desa]: vector('desa', 'kode'),
    [SOURCES.lokasi]: vector('lokasi', 'kode'),
    [SOURCES.segmen]: vector('segmen'),
    [SOURCES.jaringan]: vector('jaringan'),
    [SOURCES.kecamatan]: vector('kecamatan', 'kode'),
    [SOURCES.kabupaten]: vector('kabupaten', 'kode'),
    [SOURCES.rw]: vector('rw', 'kode'),
    [SOURCES.rt]: vector('rt', 'kode'),
    // Label points as tiles: drawn from an offline package only (online, labels.js).
    [SOURCES.label]: vector('label'),
    // Label points (one per place, /api/places/labels), loaded for the view by labels.js.
    [SOURCES.kecamatanLabels]: { type: 'geojson', data: emptyCollection(), promoteId: 'kode' },
    [SOURCES.desaLabels]: { type: 'geojson', data: emptyCollection(), promoteId: 'kode' },
  };
}

// A tile property, or `fallback` where the tile carries none: the densest low-zoom tiles
// of a big dataset are written without properties, and their features must still draw.
const prop = (name, fallback = '') => ['coalesce', ['get', name], fallback];

export function atlasLayers(homeKode, { segmenMode = 'status', offline = false } = {}) {
  const isHome = ['==', prop('kode'), homeKode ?? ''];
  const state = (name) => ['boolean', ['feature-state', name], false];
  const tiles = (source) => ({ source, 'source-layer': source });
  return [
    {
      id: LAYERS.kabupatenLine,
      type: 'line',
      ...tiles(SOURCES.kabupaten),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.kabupatenLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.8, 10, 2] },
    },
    {
      id: LAYERS.kecamatanFill,
      type: 'fill',
      ...tiles(SOURCES.kecamatan),
      minzoom: MIN_ZOOM.kecamatan,
      filter: ['!', isHome],
      paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.35 },
    },
    {
      id: LAYERS.kecamatanLine,
      type: 'line',
      ...tiles(SOURCES.kecamatan),
      minzoom: MIN_ZOOM.kecamatan,
      filter: ['!', isHome],
      paint: { 'line-color': COLORS.kecamatanLine, 'line-width': 1.2, 'line-dasharray': [3, 2] },
    },
    {
      id: LAYERS.desaFill,
      type: 'fill',
      ...tiles(SOURCES.desa),
      minzoom: MIN_ZOOM.desa,
      paint: {
        'fill-color': [
          'case',
          state('selected'),
          COLORS.desaSelected,
          state('hover'),
          COLORS.desaHover,
          COLORS.desa,
        ],
        'fill-opacity': ['case', state('selected'), 0.75, state('hover'), 0.7, 0.55],
      },
    },
    {
      id: LAYERS.desaLine,
      type: 'line',
      ...tiles(SOURCES.desa),
      minzoom: MIN_ZOOM.desa,
      paint: {
        'line-color': COLORS.desaLine,
        'line-width': ['case', state('selected'), 3, state('hover'), 2, 1],
      },
    },
    ...blockLayers(),
    {
      id: LAYERS.homeOutline,
      type: 'line',
      ...tiles(SOURCES.kecamatan),
      filter: isHome,
      paint: { 'line-color': COLORS.home, 'line-width': 2.5 },
    },
    upkLayer(),
    ...lokasiLayers(),
    ...jaringanLayers(),
    ...segmenLayers(segmenMode),
    ...labelLayers(homeKode, { offline }),
  ];
}

// RW and RT boundaries (dashed and thin) with their names, under the slum locations.
// A name is placed on each tile's piece of the polygon, so a block cut by a tile edge may
// be named twice; at these zooms blocks are small next to a tile.
function blockLayers() {
  const line = (id, source, minzoom, color, width, dash) => ({
    id,
    type: 'line',
    source,
    'source-layer': source,
    minzoom,
    paint: { 'line-color': color, 'line-width': width, ...(dash ? { 'line-dasharray': dash } : {}) },
  });
  const label = (id, source, minzoom, size) => ({
    id,
    type: 'symbol',
    source,
    'source-layer': source,
    minzoom,
    layout: { 'text-field': prop('nama'), 'text-font': FONT_REGULAR, 'text-size': size, 'text-max-width': 6 },
    paint: { 'text-color': COLORS.label, 'text-halo-color': COLORS.halo, 'text-halo-width': 1.2 },
  });
  return [
    line(LAYERS.rwLine, SOURCES.rw, MIN_ZOOM.rw, COLORS.rwLine, 1.6, [4, 2]),
    line(LAYERS.rtLine, SOURCES.rt, MIN_ZOOM.rt, COLORS.rtLine, 0.9, null),
    label(LAYERS.rwLabel, SOURCES.rw, MIN_ZOOM.rwLabel, 11),
    label(LAYERS.rtLabel, SOURCES.rt, MIN_ZOOM.rtLabel, 10),
  ];
}

// The place names. Online they come from the label points of /api/places/labels
// (labels.js: one point per place inside it, however the tiles cut it). From an offline
// package (`offline`: 'points'), from its `label` layer, the same points; from a package
// without one ('polygons'), placed on the tiles' polygons, where a place cut by a tile edge
// may be named once per piece.
export function labelLayers(homeKode, { offline = false } = {}) {
  const isHome = ['==', prop('kode'), homeKode ?? ''];
  const from = (level, tiles, points) => {
    if (offline === 'points') return { source: SOURCES.label, 'source-layer': SOURCES.label, filter: ['==', ['get', 'level'], level] };
    if (offline) return { source: tiles, 'source-layer': tiles };
    return { source: points };
  };
  const all = (...filters) => {
    const f = filters.filter(Boolean);
    return f.length > 1 ? { filter: ['all', ...f] } : f.length ? { filter: f[0] } : {};
  };
  const kecamatan = from('kecamatan', SOURCES.kecamatan, SOURCES.kecamatanLabels);
  const desa = from('desa', SOURCES.desa, SOURCES.desaLabels);
  return [
    {
      id: LAYERS.kecamatanLabel,
      type: 'symbol',
      ...kecamatan,
      minzoom: MIN_ZOOM.kecamatanLabel,
      ...all(kecamatan.filter, ['!', isHome]),
      layout: {
        'text-field': ['upcase', ['get', 'nama']],
        'text-font': FONT_REGULAR,
        'text-size': 12,
        'text-letter-spacing': 0.15,
        'text-max-width': 8,
      },
      paint: {
        'text-color': COLORS.kecamatanLabel,
        'text-halo-color': COLORS.halo,
        'text-halo-width': 1.2,
      },
    },
    {
      id: LAYERS.desaLabel,
      type: 'symbol',
      ...desa,
      minzoom: MIN_ZOOM.desaLabel,
      layout: {
        'text-field': ['get', 'nama'],
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 11, 13, 13, 16, 17],
        'text-max-width': 7,
        'text-padding': 2,
      },
      paint: {
        'text-color': COLORS.label,
        'text-halo-color': COLORS.halo,
        'text-halo-width': 1.6,
        'text-halo-blur': 0.4,
      },
    },
  ];
}

// Revolving loans over the desa fill: each desa in the colour of its PAR band, from the
// feature state `upk` that the UPK module sets from /api/upk/kinerja (no state: grey).
// Hidden until the layer panel shows it.
function upkLayer() {
  const pita = ['coalesce', ['feature-state', 'upk'], ''];
  return {
    id: LAYERS.upkFill,
    type: 'fill',
    source: SOURCES.desa,
    'source-layer': SOURCES.desa,
    minzoom: MIN_ZOOM.desa,
    layout: { visibility: 'none' },
    paint: {
      'fill-color': ['match', pita, ...PITA.flatMap((k) => [k, PITA_COLORS[k]]), UPK_NONE_COLOR],
      'fill-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 0.9, ['boolean', ['feature-state', 'hover'], false], 0.85, 0.75],
    },
  };
}

// Slum locations above the desa, below the labels. `lokasi-fill` holds every
// location (assessed ones coloured by class, the others nearly transparent, those of a
// tile without properties plain grey), so it alone answers clicks; `lokasi-hatch`
// hatches the unassessed ones.
function lokasiLayers() {
  const kelas = prop('kelas');
  const assessed = ['has', 'kelas'];
  // A tile written without properties: no code, no class; drawn plain, never as "not assessed".
  const known = ['has', 'kode'];
  const selected = ['boolean', ['feature-state', 'selected'], false];
  const hover = ['boolean', ['feature-state', 'hover'], false];
  const tiles = { source: SOURCES.lokasi, 'source-layer': SOURCES.lokasi };
  return [
    {
      id: LAYERS.lokasiFill,
      type: 'fill',
      ...tiles,
      paint: {
        'fill-color': ['match', kelas, ...KELAS.flatMap((k) => [k, KELAS_COLORS[k]]), ['case', known, 'rgba(255, 255, 255, 0.25)', NO_DATA_COLOR]],
        'fill-opacity': ['case', ['!', known], 0.7, ['!', assessed], 1, selected, 0.95, hover, 0.9, 0.8],
      },
    },
    {
      id: LAYERS.lokasiHatch,
      type: 'fill',
      ...tiles,
      filter: ['all', known, ['!', assessed]],
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: LAYERS.lokasiLine,
      type: 'line',
      ...tiles,
      paint: {
        'line-color': ['case', selected, '#1f140b', ['any', assessed, ['!', known]], '#3d2a1a', UNASSESSED_COLOR],
        'line-width': ['case', selected, 3, hover, 2, 1.2],
      },
    },
  ];
}

// Roads and drains above the slum locations, below the labels: a light casing so
// the condition colours read on any class fill, then the line itself. Sample
// ("contoh") lines are drawn a little fainter.
function jaringanLayers() {
  const kondisi = prop('kondisi');
  const isDrain = ['==', prop('jenis'), 'drainase'];
  const tiles = { source: SOURCES.jaringan, 'source-layer': SOURCES.jaringan, minzoom: MIN_ZOOM.jaringan };
  const width = (road, drain) => ['interpolate', ['linear'], ['zoom'], 12, ['case', isDrain, drain * 0.6, road * 0.6], 16, ['case', isDrain, drain, road]];
  return [
    {
      id: LAYERS.jaringanCasing,
      type: 'line',
      ...tiles,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#fffdf8', 'line-opacity': 0.75, 'line-width': width(6, 4.5) },
    },
    {
      id: LAYERS.jaringanLine,
      type: 'line',
      ...tiles,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['match', kondisi, ...KONDISI.flatMap((k) => [k, KONDISI_COLORS[k]]), NO_DATA_COLOR],
        'line-width': width(3.5, 2.5),
        'line-opacity': ['case', ['boolean', ['get', 'contoh'], false], 0.85, 1],
        'line-dasharray': [
          'case',
          ['==', kondisi, 'tidak_ada'],
          ['literal', JARINGAN_DASH.tidak_ada],
          isDrain,
          ['literal', JARINGAN_DASH.drainase],
          ['literal', JARINGAN_DASH.jalan],
        ],
      },
    },
  ];
}

// Work segments above roads and drains, below the labels: polygons as a translucent
// fill with an outline, lines thick on a light casing, points as circles. Selected
// segments get a dark halo. Illustrative (contoh) ones are dashed.
function segmenLayers(mode) {
  const color = segmenColor(mode);
  const selected = ['boolean', ['feature-state', 'selected'], false];
  const hover = ['boolean', ['feature-state', 'hover'], false];
  const contoh = ['boolean', ['get', 'contoh'], false];
  const geom = (type) => ['==', ['geometry-type'], type];
  const isLine = ['any', geom('LineString'), geom('MultiLineString')];
  const isPolygon = ['any', geom('Polygon'), geom('MultiPolygon')];
  const isPoint = ['any', geom('Point'), geom('MultiPoint')];
  // Zoom must be the outermost expression: scale each branch of a per-feature `case`.
  const width = (w, sel = w, hov = w) => {
    const at = (f) => (sel === w && hov === w ? w * f : ['case', selected, sel * f, hover, hov * f, w * f]);
    return ['interpolate', ['linear'], ['zoom'], 12, at(0.5), 16, at(1), 19, at(1.6)];
  };
  const dash = ['case', contoh, ['literal', SEGMEN_CONTOH_DASH], ['literal', [1, 0]]];
  const tiles = { source: SOURCES.segmen, 'source-layer': SOURCES.segmen };
  return [
    {
      id: LAYERS.segmenFill,
      type: 'fill',
      ...tiles,
      filter: isPolygon,
      paint: { 'fill-color': color, 'fill-opacity': ['case', selected, 0.6, hover, 0.55, 0.4] },
    },
    {
      id: LAYERS.segmenOutline,
      type: 'line',
      ...tiles,
      filter: isPolygon,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': color, 'line-width': ['case', selected, 3.5, 2], 'line-dasharray': dash },
    },
    {
      // A dark halo around the selected (and, fainter, the hovered) line.
      id: LAYERS.segmenHalo,
      type: 'line',
      ...tiles,
      filter: isLine,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': '#1f140b',
        'line-opacity': ['case', selected, 0.9, hover, 0.35, 0],
        'line-width': width(17),
      },
    },
    {
      id: LAYERS.segmenCasing,
      type: 'line',
      ...tiles,
      filter: isLine,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#fffdf8', 'line-opacity': 0.95, 'line-width': width(11) },
    },
    {
      id: LAYERS.segmenLine,
      type: 'line',
      ...tiles,
      filter: isLine,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': color, 'line-width': width(7), 'line-dasharray': dash },
    },
    {
      id: LAYERS.segmenPoint,
      type: 'circle',
      ...tiles,
      filter: isPoint,
      paint: {
        'circle-color': color,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 4, 16, 8],
        'circle-stroke-color': ['case', selected, '#1f140b', contoh, '#6b625a', '#fffdf8'],
        'circle-stroke-width': ['case', selected, 3, 2],
        'circle-opacity': ['case', contoh, 0.75, 1],
      },
    },
  ];
}
