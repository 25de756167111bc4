// The open siteplan on the map: one GeoJSON source and its layers, above the atlas.
// Features carry `warna` (the category colour), `label`, `kategori`, and `luar: true`
// when they lie (partly) outside their desa (drawn with a red dashed outline).

export const SP_SOURCE = 'siteplan';
export const SP_LAYERS = {
  fill: 'siteplan-fill',
  outline: 'siteplan-outline',
  line: 'siteplan-line',
  point: 'siteplan-point',
  luar: 'siteplan-luar',
  luarPoint: 'siteplan-luar-point',
  selected: 'siteplan-selected',
  label: 'siteplan-label',
};
export const HIT_LAYERS = [SP_LAYERS.point, SP_LAYERS.line, SP_LAYERS.fill];
export const LUAR_COLOR = '#d7191c';

const EMPTY = { type: 'FeatureCollection', features: [] };
const WARNA = ['coalesce', ['get', 'warna'], '#666666'];
const isPoly = ['==', ['geometry-type'], 'Polygon'];
const isLine = ['==', ['geometry-type'], 'LineString'];
const isPoint = ['==', ['geometry-type'], 'Point'];

function layers() {
  return [
    {
      id: SP_LAYERS.fill,
      type: 'fill',
      source: SP_SOURCE,
      filter: isPoly,
      paint: { 'fill-color': WARNA, 'fill-opacity': 0.38 },
    },
    {
      id: SP_LAYERS.outline,
      type: 'line',
      source: SP_SOURCE,
      filter: isPoly,
      paint: { 'line-color': WARNA, 'line-width': 2 },
    },
    {
      id: SP_LAYERS.line,
      type: 'line',
      source: SP_SOURCE,
      filter: isLine,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': WARNA, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 2.5, 18, 7] },
    },
    {
      id: SP_LAYERS.luar,
      type: 'line',
      source: SP_SOURCE,
      filter: ['all', ['!', isPoint], ['==', ['get', 'luar'], true]],
      paint: { 'line-color': LUAR_COLOR, 'line-width': 3, 'line-dasharray': [2, 1.5], 'line-offset': 0 },
    },
    {
      id: SP_LAYERS.selected,
      type: 'line',
      source: SP_SOURCE,
      filter: ['all', ['!', isPoint], ['==', ['get', 'id'], '']],
      paint: { 'line-color': '#1a1a1a', 'line-width': 2, 'line-dasharray': [1, 1] },
    },
    {
      id: SP_LAYERS.luarPoint,
      type: 'circle',
      source: SP_SOURCE,
      filter: ['all', isPoint, ['==', ['get', 'luar'], true]],
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 10, 18, 15],
        'circle-stroke-color': LUAR_COLOR,
        'circle-stroke-width': 2.5,
      },
    },
    {
      id: SP_LAYERS.point,
      type: 'circle',
      source: SP_SOURCE,
      filter: isPoint,
      paint: {
        'circle-color': WARNA,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 5, 18, 9],
        'circle-stroke-color': ['case', ['==', ['get', 'luar'], true], LUAR_COLOR, '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'luar'], true], 3, 1.5],
      },
    },
    {
      id: SP_LAYERS.label,
      type: 'symbol',
      source: SP_SOURCE,
      filter: ['!=', ['coalesce', ['get', 'label'], ''], ''],
      minzoom: 14,
      layout: {
        'text-field': ['get', 'label'],
        'text-font': ['Noto Sans Regular'],
        'text-size': 12,
        'text-offset': ['case', isPoint, ['literal', [0, 1.1]], ['literal', [0, 0]]],
        'text-anchor': ['case', isPoint, 'top', 'center'],
        'symbol-placement': ['case', isLine, 'line', 'point'],
        'text-max-width': 10,
      },
      paint: { 'text-color': '#2b2118', 'text-halo-color': '#fffdf8', 'text-halo-width': 1.6 },
    },
  ];
}

// `symbol-placement` cannot be data-driven; lines get their own label layer.
function fixLabelLayers(list) {
  const out = [];
  for (const l of list) {
    if (l.id !== SP_LAYERS.label) {
      out.push(l);
      continue;
    }
    const { 'symbol-placement': _, ...layout } = l.layout;
    out.push({ ...l, filter: ['all', l.filter, ['!', isLine]], layout });
    out.push({
      ...l,
      id: `${SP_LAYERS.label}-garis`,
      filter: ['all', l.filter, isLine],
      layout: { ...layout, 'symbol-placement': 'line', 'text-offset': [0, 0.9], 'text-anchor': 'center' },
    });
  }
  return out;
}

export function createSiteplanLayers(map) {
  let data = EMPTY;
  let visible = true;
  const all = fixLabelLayers(layers());

  function install() {
    if (!map.getSource(SP_SOURCE)) map.addSource(SP_SOURCE, { type: 'geojson', data, promoteId: 'id' });
    for (const l of all) if (!map.getLayer(l.id)) map.addLayer(l);
    applyVisibility();
  }
  function applyVisibility() {
    for (const l of all) if (map.getLayer(l.id)) map.setLayoutProperty(l.id, 'visibility', visible ? 'visible' : 'none');
  }

  if (map.isStyleLoaded()) install();
  else map.once('load', install);
  map.on('style.load', install);

  return {
    ids: all.map((l) => l.id),
    setData(fc) {
      data = fc ?? EMPTY;
      if (!map.getSource(SP_SOURCE)) install();
      map.getSource(SP_SOURCE)?.setData(data);
    },
    setVisible(on) {
      visible = on;
      applyVisibility();
    },
    setSelected(id) {
      if (map.getLayer(SP_LAYERS.selected)) map.setFilter(SP_LAYERS.selected, ['all', ['!', isPoint], ['==', ['get', 'id'], id ?? '']]);
    },
    hit(point) {
      const present = HIT_LAYERS.filter((id) => map.getLayer(id));
      if (!present.length || !visible) return [];
      return map.queryRenderedFeatures(point, { layers: present });
    },
    /** The style pieces to draw the siteplan on another map (the print map). */
    spec: () => ({ source: { type: 'geojson', data }, layers: all }),
  };
}
