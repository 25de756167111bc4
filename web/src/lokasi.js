// Slum locations (lokasi kumuh) on the map: their data, hover and selection,
// the class legend and the home kecamatan's summary box. The location panel
// lives in lokasi-panel.js.
import { api } from './api.js';
import { t, formatHectares, onLangChange } from './i18n.js';
import { LAYERS, SOURCES, KELAS, KELAS_COLORS, KONDISI, KONDISI_COLORS, HATCH_IMAGE, hatchImage } from './layers.js';
import { createLokasiPanel } from './lokasi-panel.js';

function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function swatch(kelas) {
  const s = h('span', `swatch${kelas ? '' : ' swatch-hatch'}`);
  if (kelas) s.style.background = KELAS_COLORS[kelas];
  s.setAttribute('aria-hidden', 'true');
  return s;
}

function lineSwatch(color, style) {
  const s = h('span', `line-swatch${style ? ` line-swatch-${style}` : ''}`);
  s.style.color = color;
  s.setAttribute('aria-hidden', 'true');
  return s;
}

// The hatch pattern must exist before the layer that uses it is added.
export function addLokasiImages(map) {
  if (!map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchImage(), { pixelRatio: 1 });
}

export function createLokasi({ map, home, errors, desaName, onOpen }) {
  let collection = null;
  let jaringan = null; // roads and drains (/api/jaringan)
  let summary = null;
  let hovered = null;
  let selected = null;
  const overlays = document.getElementById('map-overlays');
  const legend = h('section', 'map-box legend');
  legend.dataset.testid = 'lokasi-legend';
  const summaryBox = h('section', 'map-box summary');
  summaryBox.dataset.testid = 'lokasi-summary';
  overlays.append(legend, summaryBox);
  let legendOpen = !window.matchMedia('(max-width: 640px)').matches;

  const panel = createLokasiPanel({
    desaName,
    onOpen: (kode) => {
      onOpen?.();
      setSelected(kode);
    },
    onClose: () => setSelected(null),
  });

  function setState(kode, key, value) {
    if (kode != null && map.getSource(SOURCES.lokasi) && collection?.features.some((f) => f.properties?.kode === kode)) {
      map.setFeatureState({ source: SOURCES.lokasi, id: kode }, { [key]: value });
    }
  }

  function setSelected(kode) {
    setState(selected, 'selected', false);
    selected = kode;
    setState(selected, 'selected', true);
  }

  function apply() {
    if (jaringan && map.getSource(SOURCES.jaringan)) map.getSource(SOURCES.jaringan).setData(jaringan);
    if (!collection || !map.getSource(SOURCES.lokasi)) return;
    map.getSource(SOURCES.lokasi).setData(collection);
    setState(selected, 'selected', true);
  }

  function renderLegend() {
    const lines = jaringan?.features ?? [];
    legend.hidden = !collection?.features.length && !lines.length;
    const toggle = h('button', 'map-box-toggle', t('legend.title'));
    toggle.type = 'button';
    toggle.title = t('legend.toggle');
    toggle.setAttribute('aria-expanded', String(legendOpen));
    toggle.dataset.testid = 'legend-toggle';
    toggle.addEventListener('click', () => {
      legendOpen = !legendOpen;
      renderLegend();
    });
    const list = h('ul', 'legend-list');
    list.hidden = !legendOpen;
    for (const kelas of [...KELAS, null]) {
      const li = h('li');
      li.append(swatch(kelas), h('span', null, t(kelas ? `kelas.${kelas}` : 'kelas.none')));
      list.append(li);
    }
    // Roads and drains, only when there are any lines.
    if (lines.length) {
      const item = (node, label) => {
        const li = h('li');
        li.append(node, h('span', null, label));
        list.append(li);
      };
      const block = h('li', 'legend-subtitle', t('jaringan.title'));
      block.dataset.testid = 'jaringan-legend';
      list.append(block);
      item(lineSwatch('#3d2a1a'), t('jaringan.jalan'));
      item(lineSwatch('#3d2a1a', 'dashed'), t('jaringan.drainase'));
      const present = new Set(lines.map((f) => f.properties?.kondisi));
      for (const k of KONDISI) if (present.has(k)) item(lineSwatch(KONDISI_COLORS[k], k === 'tidak_ada' ? 'dotted' : null), t(`kondisi.${k}`));
      if (lines.some((f) => f.properties?.contoh === true)) list.append(h('li', 'legend-note', t('jaringan.contoh')));
    }
    legend.replaceChildren(toggle, list);
  }

  function renderSummary() {
    summaryBox.hidden = !(summary?.lokasi > 0);
    if (summaryBox.hidden) return;
    const dl = h('dl');
    const row = (label, value, kelas) => {
      const dt = h('dt');
      if (kelas !== undefined) dt.append(swatch(kelas));
      dt.append(label);
      dl.append(dt, h('dd', 'num', value));
    };
    row(t('summary.lokasi'), String(summary.lokasi));
    const perKelas = summary.hektar_per_kelas ?? {};
    for (const kelas of KELAS) if (Number.isFinite(perKelas[kelas])) row(t(`kelas.${kelas}`), formatHectares(perKelas[kelas]), kelas);
    if (Number.isFinite(summary.luas_kumuh_ha)) row(t('summary.luas_kumuh'), formatHectares(summary.luas_kumuh_ha));
    if (Array.isArray(summary.tahun) && summary.tahun.length) row(t('summary.tahun'), summary.tahun.join(', '));
    summaryBox.replaceChildren(h('h2', 'map-box-title', t('summary.title')), dl);
  }

  // Hover highlight and pointer cursor.
  map.on('mousemove', LAYERS.lokasiFill, (e) => {
    const kode = e.features?.[0]?.id;
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

  // The location under a map point, if any (locations win over the desa below).
  function hit(point) {
    if (!map.getLayer(LAYERS.lokasiFill)) return null;
    const features = map.queryRenderedFeatures(point, { layers: [LAYERS.lokasiFill] });
    if (!features.length) return null;
    const kode = features[0].properties.kode;
    // Rendered features carry flattened properties (arrays as JSON): prefer the source's.
    return collection?.features.find((f) => f.properties?.kode === kode)?.properties ?? features[0].properties;
  }

  renderLegend();
  renderSummary();
  onLangChange(() => {
    renderLegend();
    renderSummary();
  });

  api
    .lokasi()
    .then((data) => {
      collection = { type: 'FeatureCollection', features: Array.isArray(data?.features) ? data.features : [] };
      apply();
      renderLegend();
    })
    .catch((err) => errors.show(err));
  api
    .jaringan()
    .then((data) => {
      const features = (Array.isArray(data?.features) ? data.features : []).filter((f) => f?.geometry);
      jaringan = { type: 'FeatureCollection', features };
      apply();
      renderLegend();
    })
    // A server without road/drain lines simply has no such layer content.
    .catch((err) => {
      if (err?.status !== 404) errors.show(err);
    });
  if (home.kode) {
    api
      .ringkasan(home.kode)
      .then((data) => {
        summary = data;
        renderSummary();
      })
      .catch((err) => errors.show(err));
  }

  return {
    apply,
    hit,
    open: (properties) => panel.open(properties).catch((err) => errors.show(err)),
    close: () => panel.close(),
  };
}
