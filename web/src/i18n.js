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
    // Slum locations (lokasi kumuh) and their assessment
    'kelas.kumuh_berat': 'Kumuh berat',
    'kelas.kumuh_sedang': 'Kumuh sedang',
    'kelas.kumuh_ringan': 'Kumuh ringan',
    'kelas.tidak_kumuh': 'Tidak kumuh',
    'kelas.none': 'Belum dinilai',
    'legend.title': 'Kelas kumuh',
    'legend.toggle': 'Tampilkan atau sembunyikan legenda',
    'summary.title': 'Ringkasan kumuh',
    'summary.lokasi': 'Lokasi',
    'summary.luas_kumuh': 'Luas kumuh',
    'summary.tahun': 'Tahun',
    'lokasi.kicker': 'Lokasi kumuh',
    'lokasi.kode': 'Kode lokasi',
    'lokasi.desa': 'Desa/Kelurahan',
    'lokasi.kawasan': 'Kawasan',
    'lokasi.rt': 'RT',
    'lokasi.sk': 'SK penetapan',
    'lokasi.area': 'Luas',
    'lokasi.tahun': 'Tahun penilaian',
    'lokasi.total': 'Nilai total',
    'lokasi.kelas': 'Kelas',
    'lokasi.prioritas': 'Prioritas',
    'lokasi.rank': 'peringkat {rank}',
    'lokasi.handling': 'Penanganan',
    'lokasi.loading': 'Memuat penilaian…',
    'lokasi.unassessed': 'Lokasi ini belum dinilai.',
    'lokasi.criteria': 'Kriteria',
    'lokasi.criteria.code': 'Kode',
    'lokasi.criteria.name': 'Kriteria',
    'lokasi.criteria.percent': 'Persen',
    'lokasi.criteria.score': 'Nilai',
    'lokasi.aspects': 'Rata-rata per aspek (%)',
    'lokasi.issues': 'Catatan pemeriksaan',
    'lokasi.history': 'Riwayat nilai total',
    'lokasi.history.label': 'Grafik nilai total per tahun, skala 0 sampai {max}',
    'lokasi.turunan': 'Dari peta',
    'lokasi.turunan.kriteria': 'Kriteria',
    'lokasi.turunan.survei': 'Survei (m)',
    'lokasi.turunan.peta': 'Peta (m)',
    'lokasi.turunan.dipakai': 'Dipakai',
    'lokasi.turunan.dipakai.title': 'Nilai yang dipakai penilaian tersimpan',
    'lokasi.turunan.dipakai.survei': 'survei',
    'lokasi.turunan.dipakai.peta': 'peta',
    'lokasi.turunan.contoh': 'contoh',
    'lokasi.turunan.contoh.title': 'Garis ilustrasi, bukan hasil survei',
    'lokasi.turunan.hint': 'Nilai peta dipilih saat impor dengan {cmd}.',
    'turunan.2a': 'Cakupan jalan',
    'turunan.2b': 'Kualitas permukaan jalan',
    'turunan.4b': 'Ketersediaan drainase',
    'turunan.4c': 'Kualitas konstruksi drainase',
    'jaringan.title': 'Jalan & drainase',
    'jaringan.jalan': 'Jalan',
    'jaringan.drainase': 'Drainase',
    'jaringan.contoh': 'Sebagian garis hanya contoh (ilustrasi)',
    'kondisi.baik': 'Baik',
    'kondisi.sedang': 'Sedang',
    'kondisi.rusak_ringan': 'Rusak ringan',
    'kondisi.rusak_berat': 'Rusak berat',
    'kondisi.tidak_ada': 'Tidak ada',
    'handling.pemugaran': 'Pemugaran',
    'handling.peremajaan': 'Peremajaan',
    'handling.pemukiman_kembali': 'Pemukiman kembali',
    'aspect.1': 'Bangunan gedung',
    'aspect.2': 'Jalan lingkungan',
    'aspect.3': 'Air minum',
    'aspect.4': 'Drainase',
    'aspect.5': 'Air limbah',
    'aspect.6': 'Persampahan',
    'aspect.7': 'Proteksi kebakaran',
    'aspect.other': 'Aspek {n}',
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
    'kelas.kumuh_berat': 'Severe slum',
    'kelas.kumuh_sedang': 'Moderate slum',
    'kelas.kumuh_ringan': 'Light slum',
    'kelas.tidak_kumuh': 'Not a slum',
    'kelas.none': 'Not assessed',
    'legend.title': 'Slum class',
    'legend.toggle': 'Show or hide the legend',
    'summary.title': 'Slum summary',
    'summary.lokasi': 'Locations',
    'summary.luas_kumuh': 'Slum area',
    'summary.tahun': 'Years',
    'lokasi.kicker': 'Slum location',
    'lokasi.kode': 'Location code',
    'lokasi.desa': 'Village',
    'lokasi.kawasan': 'Area (kawasan)',
    'lokasi.rt': 'Neighbourhoods (RT)',
    'lokasi.sk': 'Designation decree',
    'lokasi.area': 'Area',
    'lokasi.tahun': 'Assessment year',
    'lokasi.total': 'Total score',
    'lokasi.kelas': 'Class',
    'lokasi.prioritas': 'Priority',
    'lokasi.rank': 'rank {rank}',
    'lokasi.handling': 'Handling',
    'lokasi.loading': 'Loading the assessment…',
    'lokasi.unassessed': 'This location has not been assessed yet.',
    'lokasi.criteria': 'Criteria',
    'lokasi.criteria.code': 'Code',
    'lokasi.criteria.name': 'Criterion',
    'lokasi.criteria.percent': 'Percent',
    'lokasi.criteria.score': 'Score',
    'lokasi.aspects': 'Average per aspect (%)',
    'lokasi.issues': 'Check notes',
    'lokasi.history': 'Total score history',
    'lokasi.history.label': 'Chart of the total score per year, scale 0 to {max}',
    'lokasi.turunan': 'From the map',
    'lokasi.turunan.kriteria': 'Criterion',
    'lokasi.turunan.survei': 'Survey (m)',
    'lokasi.turunan.peta': 'Map (m)',
    'lokasi.turunan.dipakai': 'Used',
    'lokasi.turunan.dipakai.title': 'The value the stored assessment used',
    'lokasi.turunan.dipakai.survei': 'survey',
    'lokasi.turunan.dipakai.peta': 'map',
    'lokasi.turunan.contoh': 'sample',
    'lokasi.turunan.contoh.title': 'Illustrative lines, not surveyed',
    'lokasi.turunan.hint': 'The mapped value is chosen at import with {cmd}.',
    'turunan.2a': 'Road coverage',
    'turunan.2b': 'Road surface quality',
    'turunan.4b': 'Drain availability',
    'turunan.4c': 'Drain construction quality',
    'jaringan.title': 'Roads & drains',
    'jaringan.jalan': 'Road',
    'jaringan.drainase': 'Drain',
    'jaringan.contoh': 'Some lines are samples only (illustrative)',
    'kondisi.baik': 'Good',
    'kondisi.sedang': 'Fair',
    'kondisi.rusak_ringan': 'Lightly damaged',
    'kondisi.rusak_berat': 'Badly damaged',
    'kondisi.tidak_ada': 'Missing',
    'handling.pemugaran': 'Restoration (pemugaran)',
    'handling.peremajaan': 'Redevelopment (peremajaan)',
    'handling.pemukiman_kembali': 'Resettlement (pemukiman kembali)',
    'aspect.1': 'Buildings',
    'aspect.2': 'Neighbourhood roads',
    'aspect.3': 'Drinking water',
    'aspect.4': 'Drainage',
    'aspect.5': 'Wastewater',
    'aspect.6': 'Solid waste',
    'aspect.7': 'Fire protection',
    'aspect.other': 'Aspect {n}',
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

// Any number, id-ID style, with a fixed number of decimals (default 2).
const formats = new Map();
export function formatNumber(value, digits = 2) {
  if (!Number.isFinite(value)) return t('panel.none');
  if (!formats.has(digits)) {
    formats.set(digits, new Intl.NumberFormat('id-ID', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return formats.get(digits).format(value);
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
