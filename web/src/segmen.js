// Work segments (segmen kegiatan) on the map: their data (/api/segmen), hover and
// selection, the show/hide toggle and the colouring switch (by stage or by main funding
// source) in their own legend box. The segment panel lives in segmen-panel.js.
import { api } from './api.js';
import { t, onLangChange } from './i18n.js';
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

const MODE_KEY = 'kumuh.segmen.warna';
const HIT_TOLERANCE_PX = 6; // lines are thin on a phone: accept a near miss
// Paint properties that carry the colour expression, per layer.
const COLOR_PAINT = {
  [LAYERS.segmenFill]: 'fill-color',
  [LAYERS.segmenOutline]: 'line-color',
  [LAYERS.segmenLine]: 'line-color',
  [LAYERS.segmenPoint]: 'circle-color',
};
const ALL_LAYERS = [LAYERS.segmenFill, LAYERS.segmenOutline, LAYERS.segmenHalo, LAYERS.segmenCasing, LAYERS.segmenLine, LAYERS.segmenPoint];

export const segmenKey = (p) => `${p?.kegiatan_id}/${p?.segmen_id}`;

function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function savedMode() {
  try {
    const saved = localStorage.getItem(MODE_KEY);
    if (SEGMEN_MODES.includes(saved)) return saved;
  } catch {
    // storage may be unavailable (private mode)
  }
  return 'status';
}

export function createSegmen({ map, errors, desaName, onOpen }) {
  let collection = null;
  let mode = savedMode();
  let visible = true;
  let hovered = null;
  let selected = null;
  let legendOpen = !window.matchMedia('(max-width: 640px)').matches;

  const overlays = document.getElementById('map-overlays');
  const legend = h('section', 'map-box legend segmen-legend');
  legend.dataset.testid = 'segmen-legend';
  legend.hidden = true;
  overlays.append(legend);

  const panel = createSegmenPanel({
    desaName,
    onOpen: (key) => {
      onOpen?.();
      setSelected(key);
    },
    onSegmen: (key) => setSelected(key),
    onClose: () => setSelected(null),
  });

  const has = (key) => key != null && map.getSource(SOURCES.segmen) && collection?.features.some((f) => f.properties._key === key);
  function setState(key, name, value) {
    if (has(key)) map.setFeatureState({ source: SOURCES.segmen, id: key }, { [name]: value });
  }
  function setSelected(key) {
    setState(selected, 'selected', false);
    selected = key;
    setState(selected, 'selected', true);
  }

  function applyStyle() {
    for (const [layer, prop] of Object.entries(COLOR_PAINT)) if (map.getLayer(layer)) map.setPaintProperty(layer, prop, segmenColor(mode));
    for (const layer of ALL_LAYERS) if (map.getLayer(layer)) map.setLayoutProperty(layer, 'visibility', visible ? 'visible' : 'none');
  }

  function apply() {
    if (!map.getSource(SOURCES.segmen)) return;
    applyStyle();
    if (!collection) return;
    map.getSource(SOURCES.segmen).setData(collection);
    setState(selected, 'selected', true);
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
    renderLegend();
  }

  function setVisible(next) {
    visible = next;
    if (!visible) panel.close();
    applyStyle();
    renderLegend();
  }

  function renderLegend() {
    const features = collection?.features ?? [];
    legend.hidden = !features.length;
    if (legend.hidden) return;
    const toggle = h('button', 'map-box-toggle', t('segmen.legend.title'));
    toggle.type = 'button';
    toggle.title = t('legend.toggle');
    toggle.setAttribute('aria-expanded', String(legendOpen));
    toggle.dataset.testid = 'segmen-legend-toggle';
    toggle.addEventListener('click', () => {
      legendOpen = !legendOpen;
      renderLegend();
    });

    const body = h('div', 'segmen-legend-body');
    body.hidden = !legendOpen;

    // Show or hide the works on the map.
    const show = h('label', 'layer-toggle');
    const box = h('input');
    box.type = 'checkbox';
    box.checked = visible;
    box.dataset.testid = 'segmen-visible';
    box.addEventListener('change', () => setVisible(box.checked));
    show.append(box, h('span', null, t('segmen.legend.show')));

    // Colour by stage or by main source.
    const switcher = h('div', 'mode-switch');
    switcher.setAttribute('role', 'group');
    switcher.setAttribute('aria-label', t('segmen.legend.warna'));
    switcher.dataset.testid = 'segmen-warna';
    switcher.dataset.mode = mode;
    for (const m of SEGMEN_MODES) {
      const b = h('button', null, t(`segmen.warna.${m}`));
      b.type = 'button';
      b.dataset.testid = `segmen-warna-${m}`;
      b.setAttribute('aria-pressed', String(m === mode));
      b.addEventListener('click', () => setMode(m));
      switcher.append(b);
    }

    const list = h('ul', 'legend-list');
    list.dataset.testid = 'segmen-legend-list';
    list.dataset.mode = mode;
    const present = new Set(features.map((f) => (mode === 'sumber' ? f.properties.sumber_utama : f.properties.status)));
    const [keys, colors, prefix, attr] = mode === 'sumber' ? [SUMBER, SUMBER_COLORS, 'sumber', 'sumber'] : [STATUS, STATUS_COLORS, 'status', 'status'];
    for (const k of keys) {
      const li = h('li');
      li.dataset[attr] = k;
      if (!present.has(k)) li.classList.add('legend-absent');
      const s = h('span', 'line-swatch line-swatch-thick');
      s.style.color = colors[k];
      s.setAttribute('aria-hidden', 'true');
      li.append(s, h('span', null, t(`${prefix}.${k}`)));
      list.append(li);
    }
    if (features.some((f) => f.properties.contoh === true)) {
      const li = h('li', 'legend-contoh');
      const s = h('span', 'line-swatch line-swatch-thick line-swatch-dashed');
      s.style.color = '#6b625a';
      s.setAttribute('aria-hidden', 'true');
      li.append(s, h('span', null, t('segmen.legend.contoh')));
      list.append(li);
    }
    body.append(show, switcher, list);
    legend.replaceChildren(toggle, body);
  }

  // Hover highlight and pointer cursor on every segment layer.
  for (const layer of SEGMEN_HIT_LAYERS) {
    map.on('mousemove', layer, (e) => {
      const key = e.features?.[0]?.id;
      map.getCanvas().style.cursor = 'pointer';
      if (key === hovered) return;
      setState(hovered, 'hover', false);
      hovered = key;
      setState(hovered, 'hover', true);
    });
    map.on('mouseleave', layer, () => {
      setState(hovered, 'hover', false);
      hovered = null;
      map.getCanvas().style.cursor = '';
    });
  }

  // The segment under (or within a few pixels of) a map point, if any.
  function hit(point) {
    if (!visible) return null;
    const layers = SEGMEN_HIT_LAYERS.filter((l) => map.getLayer(l));
    if (!layers.length) return null;
    const box = [
      [point.x - HIT_TOLERANCE_PX, point.y - HIT_TOLERANCE_PX],
      [point.x + HIT_TOLERANCE_PX, point.y + HIT_TOLERANCE_PX],
    ];
    const features = map.queryRenderedFeatures(box, { layers });
    if (!features.length) return null;
    // Points and lines before the polygons they may lie on.
    const rank = { [LAYERS.segmenPoint]: 0, [LAYERS.segmenLine]: 1, [LAYERS.segmenFill]: 2 };
    features.sort((a, b) => rank[a.layer.id] - rank[b.layer.id]);
    const key = features[0].properties._key;
    // Rendered features carry flattened properties (per_sumber as JSON): prefer the source's.
    return collection?.features.find((f) => f.properties._key === key)?.properties ?? features[0].properties;
  }

  renderLegend();
  onLangChange(renderLegend);

  api
    .segmen()
    .then((data) => {
      const features = (Array.isArray(data?.features) ? data.features : [])
        .filter((f) => f?.geometry && f.properties?.kegiatan_id != null)
        .map((f) => ({ ...f, properties: { ...f.properties, _key: segmenKey(f.properties) } }));
      collection = { type: 'FeatureCollection', features };
      apply();
      renderLegend();
    })
    // A server without works simply has no such layer content.
    .catch((err) => {
      if (err?.status !== 404) errors.show(err);
    });

  return {
    apply,
    hit,
    open: (properties) => panel.open(properties).catch((err) => errors.show(err)),
    close: () => panel.close(),
    mode: () => mode,
    setMode,
  };
}
