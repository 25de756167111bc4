// Offline maps: a PMTiles archive written by `kumuh export --format pmtiles` (one tileset
// holding every atlas layer, gzipped MVT), and beside it a basemap's raster archive
// (`kumuh basemap export`, drawn under the atlas by peta-dasar.js), or both in one ZIP
// (`--basemap`), opened from the device with "Buka berkas PMTiles" or dropped on the
// map; the server's package of the home area downloads from the same box while online. The atlas's vector sources then read their tiles from
// the file through MapLibre's `pmtiles://` protocol and nothing is asked of the server;
// "Kembali ke peta server" switches them back. The file never leaves the device.
// The reader (offline-reader.js, with the `pmtiles` package) loads with the first file.
import { t, onLangChange } from './i18n.js';
import { TILE_LAYERS } from './layers.js';
import { tileJsonUrl } from './tilejson.js';
import { h } from './dom.js';

// The offline switch and its box in the layer panel, and a badge over the map while a
// package is open (a tap on it calls `onBadge`, e.g. to open the layer panel).
// `onChange(pkg | null)` after each switch (the panels then stop or resume asking the
// server).
// `download`: `{ href, name }` of the server's package of the home area
// (/api/peta-luring), offered as a link while online; with a kept basemap chosen
// (`setBasemap`) the link asks for both in one ZIP.
// `onBasemap(pkg)` takes a raster package (a basemap of the area) to draw under the atlas.
export function createOffline({ map, errors, onChange, onBadge, onBasemap, download = null }) {
  let current = null;
  // A kept basemap chosen in the picker ({ nama, judul }): the download then carries its
  // tiles too, in one ZIP.
  let basemap = null;

  const badge = h('button', { className: 'map-box offline-badge', testid: 'offline-badge', attrs: { type: 'button' } });
  badge.hidden = true;
  badge.addEventListener('click', () => onBadge?.());
  document.getElementById('map-overlays').append(badge);

  const title = h('p', { className: 'offline-title' });
  const input = h('input', {
    className: 'visually-hidden',
    testid: 'offline-file',
    attrs: { type: 'file', accept: '.pmtiles,.zip,application/vnd.pmtiles,application/zip' },
  });
  const openText = h('span');
  const openLabel = h('label', { className: 'offline-open' }, [input, openText]);
  const status = h('p', { className: 'offline-status', testid: 'offline-status', attrs: { 'aria-live': 'polite' } });
  const back = h('button', { className: 'offline-back', testid: 'offline-close', attrs: { type: 'button' } });
  const save = download
    ? h('a', { className: 'offline-download', testid: 'offline-download', attrs: { href: download.href, download: '' } })
    : null;
  const root = h('div', { className: 'offline-box', testid: 'offline' }, [title, save, openLabel, status, back]);

  function render() {
    title.textContent = t('offline.title');
    openText.textContent = t('offline.open');
    back.textContent = t('offline.close');
    back.hidden = !current;
    if (save) {
      save.hidden = Boolean(current);
      const url = new URL(download.href);
      if (basemap) url.searchParams.set('peta_dasar', basemap.nama);
      save.href = url.href;
      save.textContent = basemap ? t('offline.download.paket', { name: download.name, peta: basemap.judul }) : t('offline.download', { name: download.name });
      save.title = t(basemap ? 'offline.download.paket.title' : 'offline.download.title');
    }
    status.hidden = !current;
    status.textContent = current
      ? t('offline.status', { name: current.name, minzoom: current.minzoom, maxzoom: current.maxzoom, layers: current.layers.length })
      : '';
    root.classList.toggle('offline-active', Boolean(current));
    badge.hidden = !current;
    badge.textContent = current ? t('offline.badge', { name: current.name }) : '';
    badge.title = t('offline.badge.title');
  }

  // The URL each atlas vector source reads its TileJSON from.
  function sourceUrl(layer) {
    return current ? `pmtiles://${current.key}` : tileJsonUrl(layer);
  }

  // Points the map's atlas sources at the file (or back at the server).
  function apply() {
    for (const layer of TILE_LAYERS) {
      const source = map.getSource(layer);
      if (source?.type === 'vector' && source.url !== sourceUrl(layer)) source.setUrl(sourceUrl(layer));
    }
  }

  // Opens a PMTiles file, or a package ZIP of the atlas's archive and a basemap's: the
  // atlas archive becomes the map's tiles, a raster one the basemap under them.
  async function open(file) {
    const { openArchives, pmtilesProtocol } = await import('./offline-reader.js');
    const archives = await openArchives(file);
    for (const pkg of archives) pmtilesProtocol().add(pkg.archive);
    const atlas = archives.find((pkg) => !pkg.raster) ?? null;
    if (atlas) {
      current = atlas;
      document.body.dataset.offline = atlas.key;
      apply();
      render();
      if (atlas.bounds) map.fitBounds(atlas.bounds, { padding: 24, maxZoom: Math.max(atlas.minzoom, Math.min(atlas.maxzoom, 15)), duration: 0 });
      onChange?.(current);
    }
    for (const pkg of archives) if (pkg.raster) onBasemap?.(pkg);
    return atlas ?? archives[0];
  }

  function close() {
    if (!current) return;
    current = null;
    delete document.body.dataset.offline;
    apply();
    render();
    onChange?.(null);
  }

  const openReporting = (file) => open(file).catch((err) => errors.show(err));

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = ''; // the same file can be chosen again
    if (file) openReporting(file);
  });
  back.addEventListener('click', close);

  // A .pmtiles or package .zip file dropped on the map opens too.
  const container = map.getContainer();
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  container.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  container.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    const file = e.dataTransfer.files?.[0];
    if (file) openReporting(file);
  });

  render();
  onLangChange(render);

  return {
    element: root,
    open,
    close,
    sourceUrl,
    apply,
    // The kept basemap chosen in the picker, packed with the download (null: none).
    setBasemap(p) {
      basemap = p ? { nama: p.nama, judul: p.judul } : null;
      render();
    },
    // The opened package, or null when the map reads the server's tiles.
    current: () => current,
  };
}
