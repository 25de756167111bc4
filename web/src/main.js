import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre's worker is a separate module; ship it as an asset of our own build.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import './style.css';
import './map-boxes.css';
import './jaringan-segmen.css';

import { api, setOffline } from './api.js';
import { t, lang, setLang, onLangChange, translateDom, mapLocale } from './i18n.js';
import { LAYERS, SOURCES, COLORS, plainStyle, atlasSources, atlasLayers, labelLayers, glyphsUrl, glyphFiles } from './layers.js';
import { createPanel } from './panel.js';
import { createSearch } from './search.js';
import { createErrorBanner } from './errors.js';
import { createLokasi, addLokasiImages } from './lokasi.js';
import { createSegmen } from './segmen.js';
import { createLabels } from './labels.js';
import { createLayerPanel } from './layer-panel.js';
import { createUpkLayer } from './upk-layer.js';
import { initSiteplan } from './siteplan/index.js';
import { initSkenario } from './skenario/index.js';
import { createOffline } from './offline.js';
import { createEkspor } from './ekspor.js';
import { createImpor } from './impor.js';
import { createPetaDasar } from './peta-dasar.js';
import { geometryBounds } from './geo.js';
import { describeTileLayers } from './tilejson.js';
import { h } from './dom.js';
import { holdFirstView } from './first-view.js';

maplibregl.setWorkerUrl(new URL(workerUrl, document.baseURI).href);
// Start MapLibre's worker (its script is half a megabyte) while /api/config is on its way:
// the tiles are fetched and decoded there, so the first desa draw waits for it.
maplibregl.prewarm();

const errors = createErrorBanner();
const places = new Map(); // kode -> GeoJSON feature from /api/places/{kode}

translateDom();
setupLanguageSwitch();
// The service worker is registered once the map has drawn (or failed to start, or after
// 10 s at most), so that keeping the viewer for offline use never competes with the first
// render. start() waits one task first, so that the browser can start MapLibre's worker
// (asked for above) while the map is built rather than after.
const started = new Promise((resolve) => setTimeout(resolve, 0)).then(start).catch((err) => errors.show(err));
Promise.race([started, new Promise((resolve) => setTimeout(resolve, 10_000))]).then(keepForOffline);

// The service worker (public/sw.js) keeps the viewer so that it opens without a
// connection, for the offline map. Browsers allow it on HTTPS and on localhost only.
function keepForOffline() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker
    .register(new URL('sw.js', document.baseURI), { scope: './' })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // Every built script and style, also those loaded only on first use (listed in the
      // page at build time, see vite.config.js), every glyph file (a slow first visit may
      // not have drawn a label yet), then what this first visit loaded before the worker
      // ran. The page goes last: once it is kept, so is the rest.
      const page = new URL(document.baseURI);
      const urls = [...builtFiles(), ...glyphFiles(), page.origin + page.pathname, ...performance.getEntriesByType('resource').map((e) => e.name)];
      registration.active?.postMessage({ kumuh: 'keep', urls });
    })
    .catch((err) => console.warn('[kumuh] the viewer cannot be kept for offline use', err));
}

// The build's scripts and styles as absolute URLs (`#viewer-files` in index.html).
function builtFiles() {
  try {
    const files = JSON.parse(document.getElementById('viewer-files')?.textContent || '[]');
    return files.map((f) => new URL(f, document.baseURI).href);
  } catch {
    return [];
  }
}

function setupLanguageSwitch() {
  const buttons = document.querySelectorAll('[data-lang]');
  const mark = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang()));
  };
  for (const b of buttons) b.addEventListener('click', () => setLang(b.dataset.lang));
  mark();
  onLangChange(mark);
}

// A place with every property and its geometry, fetched once.
async function place(kode) {
  if (!places.has(kode)) places.set(kode, await api.place(kode));
  return places.get(kode);
}

async function start() {
  const config = await api.config();
  describeTileLayers(config.tiles);
  const home = config.home ?? {};
  setTitle(config.title);
  onLangChange(() => setTitle(config.title));

  const map = createMap(config);
  window.kumuhMap = map;

  const panel = createPanel({ onClose: () => setSelected(null) });
  let hovered = null;
  let selected = null;
  const labels = createLabels({ map, home, errors });
  // The sign-in control and the siteplan button (the revolving-loan panel asks who is
  // signed in, too).
  const siteplan = initSiteplan(map, { errors, config });
  // The budget-scenario button (its panel is a chunk loaded on first use).
  // One panel open at a time: opening it closes the others, and they close it.
  const skenario = initSkenario(map, {
    errors,
    auth: siteplan.auth,
    home,
    onOpen: () => {
      panel.close();
      lokasi.close();
      segmen.close();
      upk.close();
    },
  });
  // A desa's name: from the label points fetched, else from the loaded desa tiles.
  const desaName = (kode) => {
    const known = labels.desaName(kode) ?? places.get(kode)?.properties?.nama;
    if (known || !kode || !map.getSource(SOURCES.desa)) return known ?? kode;
    const tile = map.querySourceFeatures(SOURCES.desa, { sourceLayer: SOURCES.desa, filter: ['==', ['get', 'kode'], kode] })[0];
    return tile?.properties?.nama ?? kode;
  };
  // Slum locations: hover, hit-testing, legends, summary and panel (one panel open at a time).
  const lokasi = createLokasi({
    map,
    home,
    errors,
    desaName,
    onOpen: () => {
      panel.close();
      segmen.close();
      upk.close();
      skenario.close();
    },
  });
  // Work segments: hover, hit-testing, colouring, legend and panel.
  const segmen = createSegmen({
    map,
    errors,
    auth: siteplan.auth,
    desaName,
    onOpen: () => {
      panel.close();
      lokasi.close();
      upk.close();
      skenario.close();
    },
  });
  // Revolving loans: desa coloured by their PAR band and a desa panel, while the layer is
  // shown (a chunk loaded on first use).
  const upk = createUpkLayer({
    map,
    errors,
    auth: siteplan.auth,
    home: { ...home, nama: config.title },
    desaName,
    onOpen: (kode) => {
      panel.close();
      lokasi.close();
      segmen.close();
      skenario.close();
      setSelected(kode);
    },
    // Another panel may have selected a desa meanwhile: only the panel's own is cleared.
    onClose: (kode) => {
      if (selected === kode && !panel.isOpen()) setSelected(null);
    },
  });
  // An offline package (PMTiles) read from the device instead of the server's tiles.
  const offline = createOffline({
    map,
    errors,
    onChange: (pkg) => {
      setOffline(Boolean(pkg));
      panel.close();
      lokasi.close();
      segmen.close();
      upk.close();
      skenario.close();
      swapLabelLayers();
      // On a phone the panel covers the map: out of the way once the file is open.
      if (pkg && layerPanel.narrow()) layerPanel.setOpen(false);
    },
    onBadge: () => layerPanel.setOpen(true),
    onBasemap: (pkg) => petaDasar.useFile(pkg),
    download: home.kode
      ? { href: new URL(`api/peta-luring?wilayah=${encodeURIComponent(home.kode)}`, document.baseURI).href, name: config.title ?? home.kode }
      : null,
  });
  // The basemap picker, under every atlas layer (the siteplan editor draws over it too).
  const atlasLayerIds = new Set(Object.values(LAYERS));
  const petaDasar = createPetaDasar({
    map,
    firstAtlasLayer: () => map.getStyle()?.layers?.find((l) => atlasLayerIds.has(l.id))?.id,
    wilayah: home.kode,
    onKept: (p) => offline.setBasemap(p),
  });
  // The layer panel: a checkbox per group (hiding a group closes its panel) and legends.
  const layerPanel = createLayerPanel({
    map,
    footer: h('div', {}, petaDasar.element, offline.element, createEkspor().element, createImpor({ map, auth: siteplan.auth, errors, onImported: () => labels.refresh() }).element),
    groups: [
      { id: 'kecamatan', swatch: () => lineSample(COLORS.home, 'solid') },
      { id: 'desa', swatch: () => fillSample(COLORS.desa, COLORS.desaLine), onChange: (on) => on || panel.close() },
      { id: 'rw', swatch: () => lineSample(COLORS.rwLine, 'dashed') },
      { id: 'rt', swatch: () => lineSample(COLORS.rtLine, 'solid') },
      { id: 'upk', legend: upk.legend, onChange: (on) => upk.show(on) },
      { id: 'lokasi', legend: lokasi.legend, onChange: (on) => on || lokasi.close() },
      { id: 'jaringan', legend: lokasi.jaringanLegend, legendOpen: false },
      { id: 'segmen', legend: segmen.legend, onChange: (on) => on || segmen.close() },
    ],
  });
  lokasi.onLegendChange(() => layerPanel.refresh('jaringan'));
  segmen.onLegendChange(() => layerPanel.refresh('segmen'));
  // Shown since an earlier visit: its data now.
  if (layerPanel.isVisible('upk')) upk.show(true);

  // Feature state of a desa, by code (promoted to the tile feature id).
  function setFeatureState(kode, key, value) {
    if (kode != null && map.getSource(SOURCES.desa)) {
      map.setFeatureState({ source: SOURCES.desa, sourceLayer: SOURCES.desa, id: kode }, { [key]: value });
    }
  }

  function setSelected(kode) {
    setFeatureState(selected, 'selected', false);
    selected = kode;
    setFeatureState(selected, 'selected', true);
  }

  // Open the panel for a place; with `fly`, also bring it into view.
  async function select(kode, { fly = false } = {}) {
    const feature = offline.current() ? tilePlace(kode) : await place(kode);
    if (!feature) return;
    lokasi.close();
    segmen.close();
    upk.close();
    skenario.close();
    setSelected(kode);
    panel.open(feature.properties);
    if (fly && feature.geometry) {
      const narrow = window.matchMedia('(max-width: 640px)').matches;
      const padding = narrow
        ? { top: 40, left: 30, right: 30, bottom: Math.round(window.innerHeight * 0.45) }
        : { top: 60, left: 60, bottom: 60, right: 400 };
      const bounds = geometryBounds([feature.geometry]);
      if (bounds) map.fitBounds(bounds, { padding, maxZoom: 15, duration: 900 });
    }
  }

  // A desa as the loaded tiles know it (offline: name and code; the geometry's extent from
  // its pieces in the loaded tiles).
  function tilePlace(kode) {
    const pieces = map.getSource(SOURCES.desa) ? map.querySourceFeatures(SOURCES.desa, { sourceLayer: SOURCES.desa, filter: ['==', ['get', 'kode'], kode] }) : [];
    if (!pieces.length) return null;
    const geometries = pieces.map((f) => f.geometry).filter(Boolean);
    return {
      properties: { ...pieces[0].properties, level: 'desa' },
      geometry: geometries.length ? { type: 'GeometryCollection', geometries } : null,
    };
  }

  // Where the names come from: the server's label points, or an offline package's label
  // layer ('points'), or its polygons when it has none ('polygons').
  function labelMode() {
    const pkg = offline.current();
    if (!pkg) return false;
    return pkg.layers.includes(SOURCES.label) ? 'points' : 'polygons';
  }

  // Names from the label points online, from the package offline.
  function swapLabelLayers() {
    const order = map.getStyle().layers.map((l) => l.id);
    for (const spec of labelLayers(home.kode, { offline: labelMode() })) {
      if (!map.getLayer(spec.id)) continue;
      const next = order[order.indexOf(spec.id) + 1];
      map.removeLayer(spec.id);
      map.addLayer(spec, next && map.getLayer(next) ? next : undefined);
    }
    layerPanel.apply();
  }

  // A click on a feature of a tile written without properties (a dense low-zoom tile of
  // a big dataset): nothing to open yet, so zoom in on it.
  function zoomInto(lngLat) {
    map.easeTo({ center: lngLat, zoom: Math.min(map.getZoom() + 2, map.getMaxZoom()), duration: 500 });
  }

  // Adds the atlas sources and layers to whatever style is loaded (plain or basemap).
  function installAtlas() {
    if (!map.getStyle().glyphs) map.setGlyphs(glyphsUrl());
    addLokasiImages(map);
    for (const [id, spec] of Object.entries(atlasSources({ sourceUrl: offline.sourceUrl }))) if (!map.getSource(id)) map.addSource(id, spec);
    const layers = atlasLayers(home.kode, { segmenMode: segmen.mode(), offline: labelMode() });
    for (const layer of layers) if (!map.getLayer(layer.id)) map.addLayer(layer);
    petaDasar.install();
    layerPanel.apply();
    labels.apply();
    setFeatureState(selected, 'selected', true);
    lokasi.apply();
    segmen.apply();
    upk.apply();
    skenario.apply();
    // The first style drawn shows the desa first, the rest of the atlas right after.
    if (!firstView) firstView = holdFirstView(map, { onRelease: () => layerPanel.apply() });
  }

  let firstView = null;
  map.on('style.load', installAtlas);

  // Hover highlight (feature-state, ids promoted from `kode`).
  map.on('mousemove', LAYERS.desaFill, (e) => {
    const kode = e.features?.[0]?.id ?? null;
    if (kode === hovered) return;
    setFeatureState(hovered, 'hover', false);
    hovered = kode;
    setFeatureState(hovered, 'hover', true);
    map.getCanvas().style.cursor = 'pointer';
  });
  map.on('mouseleave', LAYERS.desaFill, () => {
    setFeatureState(hovered, 'hover', false);
    hovered = null;
    map.getCanvas().style.cursor = '';
  });
  map.on('click', (e) => {
    // A work segment wins over the slum location and the desa under it, and a slum
    // location wins over its desa, unless the click is on a desa name drawn over them
    // (labels are on top: near the desa's label point a short segment or a small location
    // would otherwise swallow clicks on the name at overview zooms).
    const onLabel = map.getLayer(LAYERS.desaLabel) && map.queryRenderedFeatures(e.point, { layers: [LAYERS.desaLabel] }).length > 0;
    const segmenHit = onLabel ? null : segmen.hit(e.point);
    if (segmenHit?.nodata) return zoomInto(e.lngLat);
    if (segmenHit) {
      segmen.open(segmenHit);
      return;
    }
    const lokasiHit = onLabel ? null : lokasi.hit(e.point);
    if (lokasiHit?.nodata) return zoomInto(e.lngLat);
    if (lokasiHit) {
      lokasi.open(lokasiHit);
      return;
    }
    const desaLayers = [LAYERS.desaFill, LAYERS.upkFill].filter((id) => map.getLayer(id));
    const hit = desaLayers.length ? map.queryRenderedFeatures(e.point, { layers: desaLayers }) : [];
    const kode = hit.find((f) => f.properties?.kode)?.properties.kode;
    // With the revolving-loan layer shown, a desa opens its loan panel.
    if (kode && layerPanel.isVisible('upk') && !offline.current()) upk.open(kode).catch((err) => errors.show(err));
    else if (kode) select(kode).catch((err) => errors.show(err));
    else if (hit.length) zoomInto(e.lngLat);
    else {
      panel.close();
      lokasi.close();
      segmen.close();
      upk.close();
    }
  });

  createSearch({
    // Offline, the desa of the loaded tiles are searched instead of the server.
    local: () => (offline.current() ? searchTiles : null),
    onChoose: (result) => select(result.kode, { fly: true }).catch((err) => errors.show(err)),
    onError: (err) => errors.show(err),
  });

  await labels.ready.catch((err) => errors.show(err));
  // Ready once the whole atlas is drawn, not only the desa of the first view.
  await new Promise((resolve) => (firstView ? resolve() : map.once('style.load', resolve)));
  await firstView;
  await new Promise((resolve) => whenDesaDrawn(map, resolve));
  document.body.dataset.ready = '1';
}

// The desa of the loaded tiles whose name or code contains the query (offline search).
function searchTiles(q) {
  const map = window.kumuhMap;
  const needle = q.toLocaleLowerCase('id');
  const found = new Map();
  const features = map.getSource(SOURCES.desa) ? map.querySourceFeatures(SOURCES.desa, { sourceLayer: SOURCES.desa }) : [];
  for (const f of features) {
    const { kode, nama } = f.properties ?? {};
    if (!kode || found.has(kode)) continue;
    if (String(nama ?? '').toLocaleLowerCase('id').includes(needle) || String(kode).startsWith(q)) found.set(kode, { kode, nama: nama ?? kode, level: 'desa' });
  }
  return [...found.values()].sort((a, b) => a.nama.localeCompare(b.nama, 'id')).slice(0, 10);
}

// Small samples of a line or a fill for the layer panel.
function lineSample(color, style) {
  return h('span', { className: `line-swatch${style === 'dashed' ? ' line-swatch-dashed' : ''}`, attrs: { style: `color: ${color}`, 'aria-hidden': 'true' } });
}
function fillSample(fill, stroke) {
  return h('span', { className: 'swatch', attrs: { style: `background: ${fill}; border-color: ${stroke}`, 'aria-hidden': 'true' } });
}

function createMap(config) {
  const basemap = config.basemap_style_url || null;
  const map = new maplibregl.Map({
    container: 'map',
    style: basemap ?? plainStyle(),
    bounds: config.bounds ?? undefined,
    fitBoundsOptions: { padding: 24 },
    hash: true,
    attributionControl: false,
    locale: mapLocale(),
    maxPitch: 0,
    dragRotate: false,
  });
  map.touchZoomRotate.disableRotation();

  // A basemap that cannot be loaded (e.g. no internet) falls back to the plain style.
  if (basemap) {
    let loaded = false;
    map.once('style.load', () => {
      loaded = true;
    });
    map.on('error', (e) => {
      if (loaded) return;
      loaded = true;
      errors.show(t('error.basemap'));
      console.warn('[kumuh] basemap failed', e.error);
      map.setStyle(plainStyle());
    });
  }

  addControls(map);
  onLangChange(() => {
    // MapLibre reads its control strings from the map's locale when a control is added.
    map._locale = { ...map._locale, ...mapLocale() };
    addControls(map);
  });
  return map;
}

let controls = [];
function addControls(map) {
  for (const c of controls) map.removeControl(c);
  controls = [
    [new maplibregl.NavigationControl({ showCompass: false }), 'top-right'],
    [new maplibregl.ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left'],
    [new maplibregl.AttributionControl({ compact: true, customAttribution: t('attribution.data') }), 'bottom-right'],
  ].map(([control, position]) => {
    map.addControl(control, position);
    return control;
  });
}

function setTitle(title) {
  document.getElementById('place-title').textContent = title ?? '';
  document.title = title ? `${title} · ${t('app.title')}` : t('app.title');
  document.getElementById('map').setAttribute('aria-label', t('map.label', { title: title ?? '' }));
}

// Calls `done` once the map is idle with the desa layer drawn (or hidden, or not drawn
// at this zoom).
function whenDesaDrawn(map, done) {
  const check = () => {
    const layer = map.getLayer(LAYERS.desaFill);
    const shown = layer && map.getLayoutProperty(LAYERS.desaFill, 'visibility') !== 'none' && map.getZoom() >= (layer.minzoom ?? 0);
    const drawn = !shown || map.queryRenderedFeatures({ layers: [LAYERS.desaFill] }).length > 0;
    if (drawn) done();
    else map.once('idle', check);
  };
  map.once('idle', check);
  map.triggerRepaint();
}
