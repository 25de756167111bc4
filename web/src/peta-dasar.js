// "Peta dasar" at the top of the layer panel's foot: the basemaps the atlas registered
// (`kumuh basemap add`, GET /api/peta-dasar) in a picker with "Tanpa peta dasar". The
// chosen one is drawn as a raster source under every atlas layer, so the siteplan editor,
// which draws on the same map, draws over it too. The choice is kept in localStorage
// `kumuh.petaDasar`. A kept basemap's tiles come from this server; a remote one's from its
// own server (an attribution is shown as text, never as HTML). A basemap package opened
// from the device (a raster PMTiles, through offline.js) joins the list and is chosen; it
// reads through the `pmtiles://` protocol, so it draws with no server at all.
import { lang, onLangChange } from './i18n.js';
import { h } from './dom.js';
import { api } from './api.js';

const DICT = {
  id: { title: 'Peta dasar', tanpa: 'Tanpa peta dasar', pilih: 'Citra di bawah peta', unduh: 'Unduh untuk luring (PMTiles)' },
  en: { title: 'Basemap', tanpa: 'No basemap', pilih: 'Imagery under the map', unduh: 'Download for offline use (PMTiles)' },
};
const tx = (key) => (DICT[lang()] ?? DICT.id)[key] ?? DICT.id[key];

const STORAGE_KEY = 'kumuh.petaDasar';
export const SOURCE = 'peta-dasar';
export const LAYER = 'peta-dasar';
// Over imagery the desa fill thins out so the imagery shows, keeping hover and selection.
const DESA_FILL = 'desa-fill';
const state = (name) => ['boolean', ['feature-state', name], false];
const DESA_OVER_IMAGERY = ['case', state('selected'), 0.35, state('hover'), 0.3, 0.08];

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

function escapeText(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// The tile URL template MapLibre reads: a kept basemap's tiles from this server (below
// the page's path, so a path prefix works), a remote one's as registered.
function sourceOf(p) {
  if (p.jenis === 'pmtiles') return { type: 'raster', url: p.url, tileSize: 256 };
  return {
    type: 'raster',
    tiles: [tilesOf(p)],
    tileSize: 256,
    minzoom: p.minzoom,
    maxzoom: p.maxzoom,
    ...(p.batas ? { bounds: p.batas } : {}),
  };
}

function tilesOf(p) {
  if (p.jenis !== 'berkas') return p.ubin;
  return `${new URL(`api/peta-dasar/${encodeURIComponent(p.nama)}/`, document.baseURI).href}{z}/{x}/{y}`;
}

// firstAtlasLayer(): the id of the lowest atlas layer in the style, to draw beneath;
// wilayah: the home place, whose area a kept basemap's offline package covers;
// onKept(p | null): the kept basemap chosen (null: none, or a remote one), after each
// change, for the atlas's offline package to carry it.
export function createPetaDasar({ map, firstAtlasLayer, wilayah = null, onKept }) {
  let list = [];
  // Files opened from the device (their keys hold for this page only).
  const files = [];
  let chosen = stored();
  // Whether the style is loaded with the atlas layers in it (install() was called).
  let installed = false;
  const all = () => [...list, ...files];
  const select = h('select', { testid: 'peta-dasar' });
  const label = h('label', { className: 'ekspor-field' }, h('span'), select);
  const title = h('p', { className: 'ekspor-title' });
  const unduh = h('a', { className: 'ekspor-unduh', testid: 'peta-dasar-unduh', attrs: { download: '' } });
  const root = h('div', { className: 'ekspor-box peta-dasar-box', testid: 'peta-dasar-box' }, title, label, unduh);
  root.hidden = true;

  const render = () => {
    title.textContent = tx('title');
    label.firstChild.textContent = tx('pilih');
    select.replaceChildren(
      h('option', { text: tx('tanpa'), attrs: { value: '' } }),
      ...all().map((p) => h('option', { text: p.judul, attrs: { value: p.nama } })),
    );
    select.value = all().some((p) => p.nama === chosen) ? chosen : '';
    root.hidden = all().length === 0;
    // A kept basemap packs for offline use over the home area.
    const kept = list.find((p) => p.nama === chosen && p.jenis === 'berkas');
    onKept?.(kept ?? null);
    unduh.hidden = !kept;
    unduh.textContent = tx('unduh');
    if (kept) {
      const url = new URL(`api/peta-dasar/${encodeURIComponent(kept.nama)}/luring`, document.baseURI);
      if (wilayah) url.searchParams.set('wilayah', wilayah);
      unduh.href = url.href;
    }
  };

  // Puts the chosen basemap under the atlas layers (or takes it away).
  let desaOpacity = null;
  function apply() {
    if (!installed) return;
    if (map.getLayer(LAYER)) map.removeLayer(LAYER);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    const p = all().find((b) => b.nama === chosen);
    if (map.getLayer(DESA_FILL)) {
      desaOpacity ??= map.getPaintProperty(DESA_FILL, 'fill-opacity');
      map.setPaintProperty(DESA_FILL, 'fill-opacity', p ? DESA_OVER_IMAGERY : desaOpacity);
    }
    if (!p) return;
    map.addSource(SOURCE, { ...sourceOf(p), attribution: escapeText(p.atribusi) });
    const below = firstAtlasLayer();
    map.addLayer({ id: LAYER, type: 'raster', source: SOURCE }, below && map.getLayer(below) ? below : undefined);
  }

  const choose = (nama, { remember = true } = {}) => {
    chosen = nama;
    if (remember) {
      try {
        localStorage.setItem(STORAGE_KEY, chosen);
      } catch {
        // storage may be unavailable (private mode)
      }
    }
    render();
    apply();
  };
  select.addEventListener('change', () => choose(select.value, { remember: !select.value.startsWith('berkas:') }));

  // Asked for once the first view's tiles are in: a chosen basemap is drawn under them then.
  const ready = new Promise((resolve) => map.once('load', resolve))
    .then(() => api.petaDasar())
    .then((answer) => {
      list = Array.isArray(answer) ? answer : [];
      render();
      apply();
    })
    // Basemaps are optional: a list that cannot be read (offline) leaves the picker empty.
    .catch((err) => console.warn('[kumuh] basemaps', err));
  render();
  onLangChange(render);
  return {
    element: root,
    // After a style (re)load, once the atlas layers are in: draws the chosen basemap.
    install() {
      installed = true;
      apply();
    },
    ready,
    chosen: () => chosen,
    // A raster package opened from the device: listed, chosen, and shown.
    useFile(pkg) {
      const nama = `berkas:${pkg.key}`;
      files.push({ nama, judul: `${pkg.title} (${pkg.name})`, jenis: 'pmtiles', url: `pmtiles://${pkg.key}`, atribusi: pkg.attribution });
      choose(nama, { remember: false });
      if (pkg.bounds) map.fitBounds(pkg.bounds, { padding: 24, maxZoom: pkg.maxzoom, duration: 0 });
    },
  };
}
