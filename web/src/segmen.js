// Work segments (segmen kegiatan) on the map, from the `segmen` vector tiles: hover and
// selection, hit-testing, the colouring (by stage or by main funding source) and the
// "Kegiatan" legend of the layer panel. The segment panel lives in segmen-panel.js and
// reads the work itself from /api/kegiatan/{id}.
import { t } from './i18n.js';
import {
  LAYERS,
  SOURCES,
  SEGMEN_HIT_LAYERS,
  STATUS,
  STATUS_COLORS,
  SUMBER,
  SUMBER_COLORS,
  SEGMEN_MODES,
  segmenColor,
} from './layers.js';
import { createSegmenPanel } from './segmen-panel.js';
import { h } from './dom.js';

const MODE_KEY = 'kumuh.segmen.warna';
const HIT_TOLERANCE_PX = 6; // lines are thin on a phone: accept a near miss
// Paint properties that carry the colour expression, per layer.
const COLOR_PAINT = {
  [LAYERS.segmenFill]: 'fill-color',
  [LAYERS.segmenOutline]: 'line-color',
  [LAYERS.segmenLine]: 'line-color',
  [LAYERS.segmenPoint]: 'circle-color',
};

export const segmenKey = (p) => `${p?.kegiatan_id}/${p?.segmen_id}`;

function savedMode() {
  try {
    const saved = localStorage.getItem(MODE_KEY);
    if (SEGMEN_MODES.includes(saved)) return saved;
  } catch {
    // storage may be unavailable (private mode)
  }
  return 'status';
}

// The legend's "present" marks: what the segments drawn in the view hold.
function presentIn(features) {
  const out = { status: new Set(), sumber: new Set(), contoh: false };
  for (const f of features) {
    const p = f.properties ?? {};
    if (p.status) out.status.add(p.status);
    if (p.sumber_utama) out.sumber.add(p.sumber_utama);
    if (p.contoh === true) out.contoh = true;
  }
  return out;
}
const signature = (p) => `${[...p.status].sort()}|${[...p.sumber].sort()}|${p.contoh}`;

export function createSegmen({ map, errors, auth, desaName, onOpen }) {
  let mode = savedMode();
  let hovered = null; // tile feature id
  let selectedKey = null; // "kegiatan_id/segmen_id"
  let selectedId = null; // its tile feature id, once known
  const idByKey = new Map();
  let present = presentIn([]);
  const legendListeners = new Set();
  const legendChanged = () => {
    for (const fn of legendListeners) fn();
  };

  const panel = createSegmenPanel({
    desaName,
    auth,
    errors,
    onOpen: (key) => {
      onOpen?.();
      setSelected(key);
    },
    onSegmen: (key) => setSelected(key),
    onClose: () => setSelected(null),
  });

  // Feature state on the tiles, by the tile's feature id (segments have no code to promote).
  function setState(id, name, value) {
    if (id != null && map.getSource(SOURCES.segmen)) {
      map.setFeatureState({ source: SOURCES.segmen, sourceLayer: SOURCES.segmen, id }, { [name]: value });
    }
  }
  function remember(feature) {
    const p = feature?.properties;
    if (feature?.id != null && p?.kegiatan_id != null && p.segmen_id != null) idByKey.set(segmenKey(p), feature.id);
  }
  // The tile feature id of a segment: seen before, or found in the loaded tiles.
  function idOf(key) {
    if (key == null) return null;
    if (idByKey.has(key)) return idByKey.get(key);
    if (!map.getSource(SOURCES.segmen)) return null;
    const cut = key.lastIndexOf('/');
    const filter = ['all', ['==', ['get', 'kegiatan_id'], key.slice(0, cut)], ['==', ['get', 'segmen_id'], key.slice(cut + 1)]];
    const found = map.querySourceFeatures(SOURCES.segmen, { sourceLayer: SOURCES.segmen, filter }).find((f) => f.id != null);
    if (!found) return null;
    remember(found);
    return found.id;
  }
  function setSelected(key) {
    setState(selectedId, 'selected', false);
    selectedKey = key;
    selectedId = idOf(key);
    setState(selectedId, 'selected', true);
  }

  function applyStyle() {
    for (const [layer, prop] of Object.entries(COLOR_PAINT)) if (map.getLayer(layer)) map.setPaintProperty(layer, prop, segmenColor(mode));
  }

  // After a style (re)load.
  function apply() {
    if (!map.getSource(SOURCES.segmen)) return;
    applyStyle();
    setState(selectedId, 'selected', true);
  }

  function setMode(next) {
    if (!SEGMEN_MODES.includes(next) || next === mode) return;
    mode = next;
    try {
      localStorage.setItem(MODE_KEY, mode);
    } catch {
      // ignore
    }
    applyStyle();
    legendChanged();
  }

  // The "Kegiatan" legend of the layer panel: the colouring switch and the colours, those
  // not drawn in the view greyed out.
  function legend() {
    const body = h('div', { className: 'segmen-legend-body' });
    body.dataset.testid = 'segmen-legend';

    // Colour by stage or by main source.
    const switcher = h('div', { className: 'mode-switch' });
    switcher.setAttribute('role', 'group');
    switcher.setAttribute('aria-label', t('segmen.legend.warna'));
    switcher.dataset.testid = 'segmen-warna';
    switcher.dataset.mode = mode;
    for (const m of SEGMEN_MODES) {
      const b = h('button', { text: t(`segmen.warna.${m}`) });
      b.type = 'button';
      b.dataset.testid = `segmen-warna-${m}`;
      b.setAttribute('aria-pressed', String(m === mode));
      b.addEventListener('click', () => setMode(m));
      switcher.append(b);
    }

    const list = h('ul', { className: 'legend-list' });
    list.dataset.testid = 'segmen-legend-list';
    list.dataset.mode = mode;
    const [keys, colors, prefix, seen] = mode === 'sumber' ? [SUMBER, SUMBER_COLORS, 'sumber', present.sumber] : [STATUS, STATUS_COLORS, 'status', present.status];
    for (const k of keys) {
      const li = h('li');
      li.dataset[prefix] = k;
      if (!seen.has(k)) li.classList.add('legend-absent');
      const s = h('span', { className: 'line-swatch line-swatch-thick' });
      s.style.color = colors[k];
      s.setAttribute('aria-hidden', 'true');
      li.append(s, h('span', { text: t(`${prefix}.${k}`) }));
      list.append(li);
    }
    if (present.contoh) {
      const li = h('li', { className: 'legend-contoh' });
      const s = h('span', { className: 'line-swatch line-swatch-thick line-swatch-dashed' });
      s.style.color = '#6b625a';
      s.setAttribute('aria-hidden', 'true');
      li.append(s, h('span', { text: t('segmen.legend.contoh') }));
      list.append(li);
    }
    body.append(switcher, list);
    return body;
  }

  // Hover highlight and pointer cursor on every segment layer.
  for (const layer of SEGMEN_HIT_LAYERS) {
    map.on('mousemove', layer, (e) => {
      const feature = e.features?.[0];
      remember(feature);
      map.getCanvas().style.cursor = 'pointer';
      if (feature?.id === hovered) return;
      setState(hovered, 'hover', false);
      hovered = feature?.id ?? null;
      setState(hovered, 'hover', true);
    });
    map.on('mouseleave', layer, () => {
      setState(hovered, 'hover', false);
      hovered = null;
      map.getCanvas().style.cursor = '';
    });
  }

  // Once the view settles: what the drawn segments hold (for the legend), and the
  // highlight of a selection whose tile had not arrived yet.
  map.on('idle', () => {
    if (selectedKey && selectedId == null) setSelected(selectedKey);
    const layers = SEGMEN_HIT_LAYERS.filter((l) => map.getLayer(l));
    const next = presentIn(layers.length ? map.queryRenderedFeatures({ layers }) : []);
    if (signature(next) === signature(present)) return;
    present = next;
    legendChanged();
  });

  // The segment under (or within a few pixels of) a map point: its tile properties, or
  // `{ nodata: true }` when only features without properties are there (a dense
  // low-zoom tile), or null.
  function hit(point) {
    const layers = SEGMEN_HIT_LAYERS.filter((l) => map.getLayer(l));
    if (!layers.length) return null;
    const box = [
      [point.x - HIT_TOLERANCE_PX, point.y - HIT_TOLERANCE_PX],
      [point.x + HIT_TOLERANCE_PX, point.y + HIT_TOLERANCE_PX],
    ];
    const features = map.queryRenderedFeatures(box, { layers });
    if (!features.length) return null;
    const known = features.filter((f) => f.properties?.kegiatan_id != null && f.properties.segmen_id != null);
    if (!known.length) return { nodata: true };
    // Points and lines before the polygons they may lie on.
    const rank = { [LAYERS.segmenPoint]: 0, [LAYERS.segmenLine]: 1, [LAYERS.segmenFill]: 2 };
    known.sort((a, b) => rank[a.layer.id] - rank[b.layer.id]);
    remember(known[0]);
    return { ...known[0].properties };
  }

  return {
    apply,
    hit,
    legend,
    onLegendChange: (fn) => legendListeners.add(fn),
    open: (properties) => panel.open(properties).catch((err) => errors.show(err)),
    close: () => panel.close(),
    mode: () => mode,
    setMode,
  };
}
