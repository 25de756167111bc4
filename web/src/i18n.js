// Every string the viewer shows goes through t(). Bahasa Indonesia first.
const DICT = {
  id: {
    'app.title': 'Atlas Penataan Kumuh',
    'app.loading': 'Memuat peta…',
    'lang.label': 'Bahasa',
    'search.label': 'Cari desa',
    'search.placeholder': 'Cari desa…',
    'search.none': 'Tidak ditemukan',
    'panel.close': 'Tutup',
    'panel.alt': 'Nama lain',
    'panel.kode': 'Kode Kemendagri',
    'panel.kode_bps': 'Kode BPS',
    'panel.area': 'Luas',
    'panel.level': 'Tingkat',
    'panel.none': '—',
    'level.provinsi': 'Provinsi',
    'level.kabupaten': 'Kabupaten/Kota',
    'level.kecamatan': 'Kecamatan',
    'level.desa': 'Desa/Kelurahan',
    'error.close': 'Tutup pesan',
    'error.network': 'Server tidak dapat dihubungi.',
    'error.http': 'Permintaan gagal (HTTP {status}).',
    'error.basemap': 'Peta dasar tidak dapat dimuat; memakai latar polos.',
    'map.label': 'Peta desa di {title}',
    'attribution.data': 'Batas & kode wilayah: cahyadsn/wilayah_boundaries (MIT) · Kode BPS: BPS (ODbL)',
    // MapLibre's own control strings
    'NavigationControl.ZoomIn': 'Perbesar',
    'NavigationControl.ZoomOut': 'Perkecil',
    'NavigationControl.ResetBearing': 'Seret untuk memutar peta, klik untuk kembali ke utara',
    'AttributionControl.ToggleAttribution': 'Tampilkan atribusi',
    'AttributionControl.MapFeedback': 'Masukan peta',
    'Map.Title': 'Peta',
    'ScaleControl.Meters': 'm',
    'ScaleControl.Kilometers': 'km',
  },
  en: {
    'app.title': 'Slum Upgrading Atlas',
    'app.loading': 'Loading map…',
    'lang.label': 'Language',
    'search.label': 'Search villages',
    'search.placeholder': 'Search villages…',
    'search.none': 'No matches',
    'panel.close': 'Close',
    'panel.alt': 'Other spellings',
    'panel.kode': 'Kemendagri code',
    'panel.kode_bps': 'BPS code',
    'panel.area': 'Area',
    'panel.level': 'Level',
    'panel.none': '—',
    'level.provinsi': 'Province',
    'level.kabupaten': 'Regency/City',
    'level.kecamatan': 'District (kecamatan)',
    'level.desa': 'Village (desa/kelurahan)',
    'error.close': 'Dismiss message',
    'error.network': 'The server could not be reached.',
    'error.http': 'Request failed (HTTP {status}).',
    'error.basemap': 'The basemap could not be loaded; using a plain background.',
    'map.label': 'Map of the villages of {title}',
    'attribution.data': 'Boundaries & codes: cahyadsn/wilayah_boundaries (MIT) · BPS codes: BPS (ODbL)',
    'NavigationControl.ZoomIn': 'Zoom in',
    'NavigationControl.ZoomOut': 'Zoom out',
    'NavigationControl.ResetBearing': 'Drag to rotate map, click to reset north',
    'AttributionControl.ToggleAttribution': 'Toggle attribution',
    'AttributionControl.MapFeedback': 'Map feedback',
    'Map.Title': 'Map',
    'ScaleControl.Meters': 'm',
    'ScaleControl.Kilometers': 'km',
  },
};

export const LANGS = ['id', 'en'];
const STORAGE_KEY = 'kumuh.lang';
const listeners = new Set();

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(saved)) return saved;
  } catch {
    // storage may be unavailable (private mode); fall through
  }
  return 'id';
}

let current = initialLang();

export function lang() {
  return current;
}

export function t(key, params = {}) {
  const s = DICT[current][key] ?? DICT.id[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

// The MapLibre `locale` option: its control strings, in the current language.
export function mapLocale() {
  const out = {};
  for (const [k, v] of Object.entries(DICT[current])) if (k.includes('Control.') || k.startsWith('Map.')) out[k] = v;
  return out;
}

// Numbers are written the Indonesian way (253,71 ha) in both languages.
const numberFormat = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export function formatHectares(value) {
  return Number.isFinite(value) ? `${numberFormat.format(value)} ha` : t('panel.none');
}

// Fill every element marked with data-i18n (text) or data-i18n-<attr> (attribute).
export function translateDom(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('*')) {
    for (const name of el.getAttributeNames()) {
      if (name.startsWith('data-i18n-')) el.setAttribute(name.slice('data-i18n-'.length), t(el.getAttribute(name)));
    }
  }
  document.documentElement.lang = current;
}

export function setLang(next) {
  if (!LANGS.includes(next) || next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // ignore
  }
  translateDom();
  for (const fn of listeners) fn(current);
}

export function onLangChange(fn) {
  listeners.add(fn);
}
