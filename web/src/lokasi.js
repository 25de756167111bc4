// Slum locations (lokasi kumuh) on the map, from the `lokasi` vector tiles: hover,
// selection and hit-testing, the legends of the "Lokasi kumuh" and "Jalan & drainase"
// groups of the layer panel, and the home kecamatan's summary box. The location panel
// lives in lokasi-panel.js.
import { api } from './api.js';
import { t, formatHectares, onLangChange } from './i18n.js';
import { LAYERS, SOURCES, KELAS, KELAS_COLORS, KONDISI, KONDISI_COLORS, HATCH_IMAGE, hatchImage } from './layers.js';
import { createLokasiPanel } from './lokasi-panel.js';
import { h } from './dom.js';

function swatch(kelas) {
  const s = h('span', { className: `swatch${kelas ? '' : ' swatch-hatch'}` });
  if (kelas) s.style.background = KELAS_COLORS[kelas];
  s.setAttribute('aria-hidden', 'true');
  return s;
}

function lineSwatch(color, style) {
  const s = h('span', { className: `line-swatch${style ? ` line-swatch-${style}` : ''}` });
  s.style.color = color;
  s.setAttribute('aria-hidden', 'true');
  return s;
}

// The hatch pattern must exist before the layer that uses it is added.
export function addLokasiImages(map) {
  if (!map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchImage(), { pixelRatio: 1 });
}

// What the road and drain lines drawn in the view hold (for their legend).
function jaringanPresent(features) {
  const kondisi = new Set();
  let contoh = false;
  for (const f of features) {
    if (f.properties?.kondisi) kondisi.add(f.properties.kondisi);
    if (f.properties?.contoh === true) contoh = true;
  }
  return { kondisi, contoh, signature: `${[...kondisi].sort()}|${contoh}` };
}

export function createLokasi({ map, home, errors, desaName, onOpen }) {
  let summary = null;
  let hovered = null;
  let selected = null;
  let lines = jaringanPresent([]);
  const legendListeners = new Set();
  const overlays = document.getElementById('map-overlays');
  const summaryBox = h('section', { className: 'map-box summary' });
  summaryBox.dataset.testid = 'lokasi-summary';
  overlays.append(summaryBox);

  const panel = createLokasiPanel({
    desaName,
    onOpen: (kode) => {
      onOpen?.();
      setSelected(kode);
    },
    onClose: () => setSelected(null),
  });

  // Feature state by code (promoted to the tile feature id).
  function setState(kode, key, value) {
    if (kode != null && map.getSource(SOURCES.lokasi)) {
      map.setFeatureState({ source: SOURCES.lokasi, sourceLayer: SOURCES.lokasi, id: kode }, { [key]: value });
    }
  }

  function setSelected(kode) {
    setState(selected, 'selected', false);
    selected = kode;
    setState(selected, 'selected', true);
  }

  // After a style (re)load.
  function apply() {
    setState(selected, 'selected', true);
  }

  // The "Lokasi kumuh" legend: the slum classes and "not assessed".
  function legend() {
    const list = h('ul', { className: 'legend-list' });
    list.dataset.testid = 'lokasi-legend';
    for (const kelas of [...KELAS, null]) {
      const li = h('li');
      li.append(swatch(kelas), h('span', { text: t(kelas ? `kelas.${kelas}` : 'kelas.none') }));
      list.append(li);
    }
    return list;
  }

  // The "Jalan & drainase" legend: roads solid, drains dashed, the conditions (those not
  // drawn in the view greyed out) and a note when sample lines are drawn.
  function jaringanLegend() {
    const list = h('ul', { className: 'legend-list' });
    list.dataset.testid = 'jaringan-legend';
    const item = (node, label, absent) => {
      const li = h('li', { className: absent ? 'legend-absent' : null });
      li.append(node, h('span', { text: label }));
      list.append(li);
      return li;
    };
    item(lineSwatch('#3d2a1a'), t('jaringan.jalan'));
    item(lineSwatch('#3d2a1a', 'dashed'), t('jaringan.drainase'));
    for (const k of KONDISI) {
      const li = item(lineSwatch(KONDISI_COLORS[k], k === 'tidak_ada' ? 'dotted' : null), t(`kondisi.${k}`), !lines.kondisi.has(k));
      li.dataset.kondisi = k;
    }
    if (lines.contoh) list.append(h('li', { className: 'legend-note', text: t('jaringan.contoh') }));
    return list;
  }

  function renderSummary() {
    summaryBox.hidden = !(summary?.lokasi > 0);
    if (summaryBox.hidden) return;
    const dl = h('dl');
    const row = (label, value, kelas) => {
      const dt = h('dt');
      if (kelas !== undefined) dt.append(swatch(kelas));
      dt.append(label);
      dl.append(dt, h('dd', { className: 'num', text: value }));
    };
    row(t('summary.lokasi'), String(summary.lokasi));
    const perKelas = summary.hektar_per_kelas ?? {};
    for (const kelas of KELAS) if (Number.isFinite(perKelas[kelas])) row(t(`kelas.${kelas}`), formatHectares(perKelas[kelas]), kelas);
    if (Number.isFinite(summary.luas_kumuh_ha)) row(t('summary.luas_kumuh'), formatHectares(summary.luas_kumuh_ha));
    if (Array.isArray(summary.tahun) && summary.tahun.length) row(t('summary.tahun'), summary.tahun.join(', '));
    summaryBox.replaceChildren(h('h2', { className: 'map-box-title', text: t('summary.title') }), dl);
  }

  // Hover highlight and pointer cursor.
  map.on('mousemove', LAYERS.lokasiFill, (e) => {
    const kode = e.features?.[0]?.id ?? null;
    map.getCanvas().style.cursor = 'pointer';
    if (kode === hovered) return;
    setState(hovered, 'hover', false);
    hovered = kode;
    setState(hovered, 'hover', true);
  });
  map.on('mouseleave', LAYERS.lokasiFill, () => {
    setState(hovered, 'hover', false);
    hovered = null;
  });

  map.on('idle', () => {
    const next = jaringanPresent(map.getLayer(LAYERS.jaringanLine) ? map.queryRenderedFeatures({ layers: [LAYERS.jaringanLine] }) : []);
    if (next.signature === lines.signature) return;
    lines = next;
    for (const fn of legendListeners) fn();
  });

  // The location under a map point (locations win over the desa below): its tile
  // properties, `{ nodata: true }` for a feature of a tile without properties, or null.
  function hit(point) {
    if (!map.getLayer(LAYERS.lokasiFill)) return null;
    const features = map.queryRenderedFeatures(point, { layers: [LAYERS.lokasiFill] });
    if (!features.length) return null;
    const known = features.find((f) => f.properties?.kode);
    return known ? { ...known.properties } : { nodata: true };
  }

  // Opens the panel with the tile's properties at once, then adds what only the API has
  // (kawasan, RT, SK, area) from the locations of the same desa.
  function open(properties) {
    const opened = panel.open(properties).catch((err) => errors.show(err));
    if (properties.kode_desa) {
      api
        .lokasi(properties.kode_desa)
        .then((data) => {
          const full = (Array.isArray(data?.features) ? data.features : []).find((f) => f?.properties?.kode === properties.kode);
          if (full) panel.update(full.properties);
        })
        .catch(() => {}); // the tile's properties still stand
    }
    return opened;
  }

  renderSummary();
  onLangChange(renderSummary);

  // The area's summary under the legend waits for the first view's tiles, so as not to
  // hold them up.
  if (home.kode) {
    map.once('load', () =>
      api
        .ringkasan(home.kode)
        .then((data) => {
          summary = data;
          renderSummary();
        })
        .catch((err) => errors.show(err)),
    );
  }

  return {
    apply,
    hit,
    legend,
    jaringanLegend,
    onLegendChange: (fn) => legendListeners.add(fn),
    open,
    close: () => panel.close(),
  };
}
