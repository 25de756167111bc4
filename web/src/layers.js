// The map style: a plain built-in base (or a configured basemap) with the
// atlas sources and layers on top. Layer ids are used by the e2e script.
export const LAYERS = {
  kecamatanFill: 'kecamatan-fill',
  kecamatanLine: 'kecamatan-line',
  kecamatanLabel: 'kecamatan-label',
  desaFill: 'desa-fill',
  desaLine: 'desa-line',
  homeOutline: 'home-outline',
  desaLabel: 'desa-label',
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
};

// The layers that answer a click on a work segment (they win over lokasi and desa).
export const SEGMEN_HIT_LAYERS = [LAYERS.segmenLine, LAYERS.segmenPoint, LAYERS.segmenFill];

export const SOURCES = {
  kecamatan: 'kecamatan',
  kecamatanLabels: 'kecamatan-labels',
  desa: 'desa',
  desaLabels: 'desa-labels',
  lokasi: 'lokasi',
  jaringan: 'jaringan',
  segmen: 'segmen',
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

const COLORS = {
  background: '#eef1ec',
  desa: '#f2c879',
  desaHover: '#e7a53c',
  desaSelected: '#d9822b',
  desaLine: '#8c5a22',
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

export function atlasSources() {
  return {
    [SOURCES.kecamatan]: { type: 'geojson', data: emptyCollection(), promoteId: 'kode' },
    [SOURCES.kecamatanLabels]: { type: 'geojson', data: emptyCollection(), promoteId: 'kode' },
    [SOURCES.desa]: { type: 'geojson', data: emptyCollection(), promoteId: 'kode' },
    [SOURCES.desaLabels]: { type: 'geojson', data: emptyCollection(), promoteId: 'kode' },
    [SOURCES.lokasi]: { type: 'geojson', data: emptyCollection(), promoteId: 'kode' },
    [SOURCES.jaringan]: { type: 'geojson', data: emptyCollection() },
    // Feature state by `_key` ("kegiatan_id/segmen_id"), added when the data is set.
    [SOURCES.segmen]: { type: 'geojson', data: emptyCollection(), promoteId: '_key' },
  };
}

export function atlasLayers(homeKode, { segmenMode = 'status' } = {}) {
  const isHome = ['==', ['get', 'kode'], homeKode];
  const state = (name) => ['boolean', ['feature-state', name], false];
  return [
    {
      id: LAYERS.kecamatanFill,
      type: 'fill',
      source: SOURCES.kecamatan,
      filter: ['!', isHome],
      paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.35 },
    },
    {
      id: LAYERS.kecamatanLine,
      type: 'line',
      source: SOURCES.kecamatan,
      filter: ['!', isHome],
      paint: { 'line-color': COLORS.kecamatanLine, 'line-width': 1.2, 'line-dasharray': [3, 2] },
    },
    {
      id: LAYERS.desaFill,
      type: 'fill',
      source: SOURCES.desa,
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
      source: SOURCES.desa,
      paint: {
        'line-color': COLORS.desaLine,
        'line-width': ['case', state('selected'), 3, state('hover'), 2, 1],
      },
    },
    {
      id: LAYERS.homeOutline,
      type: 'line',
      source: SOURCES.kecamatan,
      filter: isHome,
      paint: { 'line-color': COLORS.home, 'line-width': 2.5 },
    },
    ...lokasiLayers(),
    ...jaringanLayers(),
    ...segmenLayers(segmenMode),
    {
      id: LAYERS.kecamatanLabel,
      type: 'symbol',
      source: SOURCES.kecamatanLabels,
      filter: ['!', isHome],
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
      source: SOURCES.desaLabels,
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

// Slum locations above the desa, below the labels. `lokasi-fill` holds every
// location (assessed ones coloured by class, the others nearly transparent), so it
// alone answers clicks; `lokasi-hatch` hatches the unassessed ones.
function lokasiLayers() {
  const kelas = ['get', 'kelas'];
  const assessed = ['has', 'kelas'];
  const selected = ['boolean', ['feature-state', 'selected'], false];
  const hover = ['boolean', ['feature-state', 'hover'], false];
  return [
    {
      id: LAYERS.lokasiFill,
      type: 'fill',
      source: SOURCES.lokasi,
      paint: {
        'fill-color': ['match', kelas, ...KELAS.flatMap((k) => [k, KELAS_COLORS[k]]), 'rgba(255, 255, 255, 0.25)'],
        'fill-opacity': ['case', ['!', assessed], 1, selected, 0.95, hover, 0.9, 0.8],
      },
    },
    {
      id: LAYERS.lokasiHatch,
      type: 'fill',
      source: SOURCES.lokasi,
      filter: ['!', assessed],
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: LAYERS.lokasiLine,
      type: 'line',
      source: SOURCES.lokasi,
      paint: {
        'line-color': ['case', selected, '#1f140b', assessed, '#3d2a1a', UNASSESSED_COLOR],
        'line-width': ['case', selected, 3, hover, 2, 1.2],
      },
    },
  ];
}

// Roads and drains above the slum locations, below the labels: a light casing so
// the condition colours read on any class fill, then the line itself. Sample
// ("contoh") lines are drawn a little fainter.
function jaringanLayers() {
  const kondisi = ['get', 'kondisi'];
  const isDrain = ['==', ['get', 'jenis'], 'drainase'];
  const width = (road, drain) => ['interpolate', ['linear'], ['zoom'], 12, ['case', isDrain, drain * 0.6, road * 0.6], 16, ['case', isDrain, drain, road]];
  return [
    {
      id: LAYERS.jaringanCasing,
      type: 'line',
      source: SOURCES.jaringan,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#fffdf8', 'line-opacity': 0.75, 'line-width': width(6, 4.5) },
    },
    {
      id: LAYERS.jaringanLine,
      type: 'line',
      source: SOURCES.jaringan,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['match', kondisi, ...KONDISI.flatMap((k) => [k, KONDISI_COLORS[k]]), KONDISI_COLORS.tidak_ada],
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
  return [
    {
      id: LAYERS.segmenFill,
      type: 'fill',
      source: SOURCES.segmen,
      filter: isPolygon,
      paint: { 'fill-color': color, 'fill-opacity': ['case', selected, 0.6, hover, 0.55, 0.4] },
    },
    {
      id: LAYERS.segmenOutline,
      type: 'line',
      source: SOURCES.segmen,
      filter: isPolygon,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': color, 'line-width': ['case', selected, 3.5, 2], 'line-dasharray': dash },
    },
    {
      // A dark halo around the selected (and, fainter, the hovered) line.
      id: LAYERS.segmenHalo,
      type: 'line',
      source: SOURCES.segmen,
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
      source: SOURCES.segmen,
      filter: isLine,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#fffdf8', 'line-opacity': 0.95, 'line-width': width(11) },
    },
    {
      id: LAYERS.segmenLine,
      type: 'line',
      source: SOURCES.segmen,
      filter: isLine,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': color, 'line-width': width(7), 'line-dasharray': dash },
    },
    {
      id: LAYERS.segmenPoint,
      type: 'circle',
      source: SOURCES.segmen,
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

// One label per kecamatan: keep only the largest part of a multipolygon, so
// MapLibre places a single label at that part's pole of inaccessibility.
export function largestParts(collection) {
  const ringArea = (ring) => {
    let a = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
    return Math.abs(a / 2);
  };
  return {
    type: 'FeatureCollection',
    features: collection.features.map((f) => {
      if (f.geometry?.type !== 'MultiPolygon') return f;
      const largest = f.geometry.coordinates.reduce((best, poly) => (ringArea(poly[0]) > ringArea(best[0]) ? poly : best));
      return { ...f, geometry: { type: 'Polygon', coordinates: largest } };
    }),
  };
}
