// The form of "Impor data" (impor.js holds its box, shown to kabupaten and admin users):
// a GIS file (zip, KML/KMZ, GeoPackage, GeoJSON, FlatGeobuf, CSV) previewed and imported
// through POST /api/impor/pratinjau and /api/impor, the same importer as `kumuh import`. The
// preview fills a drop-down per field of Kumuh from the server's suggested mapping, draws
// the first features on the map (a temporary source, removed afterwards) and lists every
// problem by feature and field. `root.dataset.state` says where it is, for the browser test:
// idle, mengunggah, pratinjau, mengimpor, selesai, gagal; `root.dataset.unggah` the percentage
// of the last upload sent.
import { api } from './api.js';
import { lang, onLangChange } from './i18n.js';
import { h } from './dom.js';
import { geometryBounds } from './geo.js';

const DICT = {
  id: {
    title: 'Impor data',
    berkas: 'Berkas',
    level: 'Tingkat',
    lapisan: 'Lapisan',
    crs: 'Sistem koordinat',
    crsHint: 'opsional, mis. EPSG:32749',
    pratinjau: 'Pratinjau',
    impor: 'Impor',
    tutup: 'Batal',
    kosong: '(tidak dipakai)',
    pilihBerkas: 'Pilih berkas dulu.',
    mengunggah: 'Mengunggah {persen} %…',
    memeriksa: 'Memeriksa berkas…',
    jumlah: '{dibaca} fitur dibaca; {diimpor} siap diimpor, {dilewati} bermasalah.',
    crsBerkas: 'Sistem koordinat berkas: {crs}',
    masalah: 'Masalah',
    peringatan: 'Perhatian',
    fitur: 'Fitur {n}',
    berkasUtuh: 'Berkas',
    lainnya: '… dan {n} lagi',
    ubahPemetaan: 'Pemetaan berubah: tekan Pratinjau lagi.',
    hasil: 'Selesai: {ditambah} ditambah, {diubah} diperbarui dari {berkas}.',
    desa: 'Desa/Kelurahan',
    rw: 'RW',
    rt: 'RT',
    lokasi: 'Lokasi kumuh',
    jaringan: 'Jaringan jalan & drainase',
    'f.kode': 'Kode',
    'f.nama': 'Nama',
    'f.kode_desa': 'Kode desa',
    'f.rw': 'Nomor RW',
    'f.rt': 'Nomor RT',
    'f.nama_alt': 'Nama lain',
    'f.kode_bps': 'Kode BPS',
    'f.luas_ha': 'Luas (ha)',
    'f.kawasan': 'Kawasan',
    'f.sk_nomor': 'Nomor SK',
    'f.sk_tanggal': 'Tanggal SK',
    'f.jenis': 'Jenis',
    'f.kondisi': 'Kondisi',
    'f.contoh': 'Contoh',
  },
  en: {
    title: 'Import data',
    berkas: 'File',
    level: 'Level',
    lapisan: 'Layer',
    crs: 'Coordinate system',
    crsHint: 'optional, e.g. EPSG:32749',
    pratinjau: 'Preview',
    impor: 'Import',
    tutup: 'Cancel',
    kosong: '(not used)',
    pilihBerkas: 'Choose a file first.',
    mengunggah: 'Uploading {persen} %…',
    memeriksa: 'Checking the file…',
    jumlah: '{dibaca} features read; {diimpor} ready to import, {dilewati} with problems.',
    crsBerkas: "The file's coordinate system: {crs}",
    masalah: 'Problems',
    peringatan: 'Worth a look',
    fitur: 'Feature {n}',
    berkasUtuh: 'File',
    lainnya: '… and {n} more',
    ubahPemetaan: 'The mapping changed: press Preview again.',
    hasil: 'Done: {ditambah} added, {diubah} updated from {berkas}.',
    desa: 'Villages',
    rw: 'RW',
    rt: 'RT',
    lokasi: 'Slum locations',
    jaringan: 'Roads & drains',
    'f.kode': 'Code',
    'f.nama': 'Name',
    'f.kode_desa': 'Village code',
    'f.rw': 'RW number',
    'f.rt': 'RT number',
    'f.nama_alt': 'Other names',
    'f.kode_bps': 'BPS code',
    'f.luas_ha': 'Area (ha)',
    'f.kawasan': 'Cluster',
    'f.sk_nomor': 'Decree number',
    'f.sk_tanggal': 'Decree date',
    'f.jenis': 'Type',
    'f.kondisi': 'Condition',
    'f.contoh': 'Illustrative',
  },
};
const LEVELS = ['desa', 'rw', 'rt', 'lokasi', 'jaringan'];
const ACCEPT = '.zip,.kml,.kmz,.gpkg,.geojson,.json,.fgb,.csv';
// Problems listed in the box; the rest are counted.
const SHOWN = 50;
// The temporary source and layers of the preview.
const SOURCE = 'impor-pratinjau';
const FILL = 'impor-pratinjau-fill';
const LINE = 'impor-pratinjau-line';
// The vector sources an import can change, reloaded after it.
const REFRESHED = ['desa', 'lokasi', 'jaringan'];

const tx = (key, vars = {}) => {
  const text = (DICT[lang()] ?? DICT.id)[key] ?? DICT.id[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
};

// Fills the box `root` with the form. onImported: called once an import was written (the
// viewer refreshes what it keeps). Returns `reset`, for when the box is hidden.
export function fillImpor(root, { map, onImported }) {
  const title = h('p', { className: 'ekspor-title' });
  const file = h('input', { testid: 'impor-berkas', attrs: { type: 'file', accept: ACCEPT } });
  const level = h('select', { testid: 'impor-level' });
  const lapisan = h('select', { testid: 'impor-lapisan' });
  const crs = h('input', { testid: 'impor-crs', attrs: { type: 'text', autocomplete: 'off', spellcheck: 'false' } });
  const field = (input) => h('label', { className: 'ekspor-field' }, h('span'), input);
  const fileLabel = field(file);
  const levelLabel = field(level);
  const lapisanLabel = field(lapisan);
  const crsLabel = field(crs);
  const bidang = h('div', { className: 'impor-bidang', testid: 'impor-bidang' });
  const status = h('p', { className: 'impor-status', testid: 'impor-status', attrs: { 'aria-live': 'polite' } });
  const progress = h('progress', { testid: 'impor-progress', attrs: { max: 100, value: 0, hidden: true } });
  const list = h('ul', { className: 'impor-masalah', testid: 'impor-masalah' });
  const previewButton = h('button', { className: 'ekspor-unduh', testid: 'impor-pratinjau', attrs: { type: 'button' } });
  const importButton = h('button', { className: 'ekspor-unduh', testid: 'impor-kirim', attrs: { type: 'button', disabled: true } });
  const cancelButton = h('button', { className: 'ekspor-unduh', testid: 'impor-batal', attrs: { type: 'button' } });
  root.append(
    title,
    fileLabel,
    levelLabel,
    lapisanLabel,
    crsLabel,
    bidang,
    h('div', { className: 'impor-actions' }, previewButton, importButton, cancelButton),
    progress,
    status,
    list,
  );
  root.dataset.state = 'idle';

  // The last preview: its fields and the mapping the drop-downs started from.
  let preview = null;
  let busy = false;

  const setState = (state) => {
    root.dataset.state = state;
  };

  const params = () => {
    const p = { berkas: file.files[0]?.name ?? '', level: level.value };
    if (!lapisanLabel.hidden && lapisan.value) p.lapisan = lapisan.value;
    if (crs.value.trim()) p.crs = crs.value.trim();
    // The drop-downs once a preview filled them; before that the server suggests.
    if (preview) p.pemetaan = mapping();
    return p;
  };

  const mapping = () =>
    [...bidang.querySelectorAll('select')]
      .filter((s) => s.value)
      .map((s) => `${s.dataset.bidang}=${s.value}`)
      .join(',');

  const onProgress = (sent, total) => {
    const persen = total ? Math.min(100, Math.round((100 * sent) / total)) : 0;
    progress.hidden = false;
    progress.value = persen;
    root.dataset.unggah = String(persen);
    status.textContent = persen < 100 ? tx('mengunggah', { persen }) : tx('memeriksa');
  };

  function removePreviewLayer() {
    for (const id of [FILL, LINE]) if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
  }

  function showOnMap(collection) {
    removePreviewLayer();
    if (!collection?.features?.length) return;
    map.addSource(SOURCE, { type: 'geojson', data: collection });
    map.addLayer({ id: FILL, type: 'fill', source: SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#d95f02', 'fill-opacity': 0.25 } });
    map.addLayer({ id: LINE, type: 'line', source: SOURCE, paint: { 'line-color': '#d95f02', 'line-width': 2 } });
    const bounds = geometryBounds(collection.features.map((f) => f.geometry));
    if (bounds) map.fitBounds(bounds, { padding: 60, maxZoom: 15, duration: 0 });
  }

  function problemItem(m) {
    const where = m.fitur == null ? tx('berkasUtuh') : tx('fitur', { n: m.fitur }) + (m.kode ? ` (${m.kode})` : '');
    return h('li', { testid: 'impor-masalah-item', attrs: { 'data-fitur': m.fitur ?? '' } }, `${where}, ${m.bidang}: ${m.pesan}`);
  }

  function showProblems(masalah, peringatan) {
    const items = [];
    if (masalah.length) items.push(h('li', { className: 'impor-head', text: tx('masalah') }));
    items.push(...masalah.slice(0, SHOWN).map(problemItem));
    if (masalah.length > SHOWN) items.push(h('li', { text: tx('lainnya', { n: masalah.length - SHOWN }) }));
    if (peringatan.length) items.push(h('li', { className: 'impor-head', text: tx('peringatan') }));
    items.push(...peringatan.slice(0, SHOWN).map(problemItem));
    list.replaceChildren(...items);
  }

  // One drop-down per field of Kumuh: the file's fields, the suggestion or the current
  // choice selected.
  function renderFields(p) {
    const chosen = new Map([...bidang.querySelectorAll('select')].map((s) => [s.dataset.bidang, s.value]));
    const given = new Map(
      (p.pemetaan ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=')),
    );
    bidang.replaceChildren(
      ...p.bidang.map((b) => {
        const select = h('select', { testid: `impor-bidang-${b.bidang}`, attrs: { 'data-bidang': b.bidang } });
        select.append(h('option', { text: tx('kosong'), attrs: { value: '' } }), ...p.kolom.map((k) => h('option', { text: k, attrs: { value: k } })));
        select.value = chosen.get(b.bidang) ?? given.get(b.bidang) ?? b.usulan ?? '';
        select.addEventListener('change', () => {
          importButton.disabled = true;
          status.textContent = tx('ubahPemetaan');
        });
        return h('label', { className: 'ekspor-field' }, h('span', { text: tx(`f.${b.bidang}`) + (b.wajib ? ' *' : '') }), select);
      }),
    );
  }

  function renderLayers(p) {
    lapisanLabel.hidden = p.lapisan.length < 2;
    if (!lapisanLabel.hidden) {
      lapisan.replaceChildren(...p.lapisan.map((l) => h('option', { text: l, attrs: { value: l } })));
      lapisan.value = p.lapisan_dipilih ?? p.lapisan[0];
    }
  }

  async function run(action) {
    if (busy) return;
    if (!file.files[0]) {
      status.textContent = tx('pilihBerkas');
      return;
    }
    busy = true;
    previewButton.disabled = true;
    importButton.disabled = true;
    setState(action === 'pratinjau' ? 'mengunggah' : 'mengimpor');
    onProgress(0, file.files[0].size);
    try {
      if (action === 'pratinjau') {
        const p = await api.imporPratinjau(file.files[0], params(), onProgress);
        preview = p;
        renderLayers(p);
        renderFields(p);
        showOnMap(p.contoh);
        showProblems(p.masalah, p.peringatan);
        const jumlah = tx('jumlah', p.jumlah);
        status.textContent = p.crs_berkas ? `${jumlah} ${tx('crsBerkas', { crs: p.crs_berkas })}` : jumlah;
        importButton.disabled = p.jumlah.diimpor === 0 || p.masalah.length > 0;
        setState('pratinjau');
      } else {
        const r = await api.impor(file.files[0], params(), onProgress);
        removePreviewLayer();
        showProblems(r.dilewati, r.peringatan);
        status.textContent = tx('hasil', r);
        refreshMap();
        onImported?.();
        setState('selesai');
      }
    } catch (err) {
      status.textContent = err.message;
      setState('gagal');
    } finally {
      busy = false;
      previewButton.disabled = false;
      progress.hidden = true;
    }
  }

  // The atlas's tiles changed on the server: each vector source asks again.
  function refreshMap() {
    for (const id of REFRESHED) {
      const source = map.getSource(id);
      if (source?.type === 'vector' && source.url) source.setUrl(source.url);
    }
  }

  function reset() {
    preview = null;
    bidang.replaceChildren();
    list.replaceChildren();
    status.textContent = '';
    importButton.disabled = true;
    lapisanLabel.hidden = true;
    removePreviewLayer();
    setState('idle');
  }

  const render = () => {
    const chosen = level.value || LEVELS[0];
    level.replaceChildren(...LEVELS.map((value) => h('option', { text: tx(value), attrs: { value } })));
    level.value = chosen;
    title.textContent = tx('title');
    fileLabel.firstChild.textContent = tx('berkas');
    levelLabel.firstChild.textContent = tx('level');
    lapisanLabel.firstChild.textContent = tx('lapisan');
    crsLabel.firstChild.textContent = tx('crs');
    crs.placeholder = tx('crsHint');
    previewButton.textContent = tx('pratinjau');
    importButton.textContent = tx('impor');
    cancelButton.textContent = tx('tutup');
    if (preview) renderFields(preview);
  };

  file.addEventListener('change', reset);
  level.addEventListener('change', reset);
  lapisan.addEventListener('change', () => {
    // Another layer has other fields: the server suggests again.
    preview = null;
    bidang.replaceChildren();
    importButton.disabled = true;
  });
  previewButton.addEventListener('click', () => run('pratinjau'));
  importButton.addEventListener('click', () => run('impor'));
  cancelButton.addEventListener('click', () => {
    file.value = '';
    reset();
  });
  lapisanLabel.hidden = true;
  render();
  onLangChange(render);
  return { reset };
}
