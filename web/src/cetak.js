// "Cetak" in the place and location panels: the printable planning documents of a place
// (GET /api/dokumen/…): the profile of a desa, kecamatan or kabupaten, the RPLP of a desa
// and the SK Kumuh annex of a kecamatan or kabupaten (from a desa, of its kabupaten), each
// as a page to print (opened in a new tab) and as an XLSX workbook. They carry no personal data, so anyone may open
// them; with an offline map open there is no server to ask, so the group is left out.
import { lang } from './i18n.js';
import { isOffline } from './api.js';
import { h } from './dom.js';

const DICT = {
  id: { title: 'Cetak', profil: 'Profil', rplp: 'RPLP', 'sk-kumuh': 'Lampiran SK Kumuh', xlsx: 'XLSX', hint: 'Halaman siap cetak A4; XLSX untuk diolah.' },
  en: { title: 'Print', profil: 'Profile', rplp: 'RPLP', 'sk-kumuh': 'SK Kumuh annex', xlsx: 'XLSX', hint: 'A4 print-ready pages; XLSX to work with.' },
};
// The documents offered for a place of each level, each with the code it is made for:
// a desa's panel also offers the SK annex of its kabupaten (the first two parts of its code).
const kabupaten = (kode) => kode.split('.').slice(0, 2).join('.');
const DOCS = {
  desa: (kode) => [['profil', kode], ['rplp', kode], ['sk-kumuh', kabupaten(kode)]],
  kecamatan: (kode) => [['profil', kode], ['sk-kumuh', kode]],
  kabupaten: (kode) => [['profil', kode], ['sk-kumuh', kode]],
};

const tx = (key) => (DICT[lang()] ?? DICT.id)[key] ?? DICT.id[key];

function href(doc, kode, format) {
  const url = new URL(`api/dokumen/${doc}`, document.baseURI);
  url.search = new URLSearchParams({ wilayah: kode, format });
  return url.href;
}

/** The "Cetak" group for the place `kode` of `level`, or null when none applies. */
export function cetakBox(kode, level) {
  const docs = DOCS[level]?.(String(kode ?? ''));
  if (!kode || !docs || isOffline()) return null;
  const items = docs.map(([doc, wilayah]) =>
    h(
      'li',
      {},
      h('a', { text: tx(doc), testid: `cetak-${doc}`, attrs: { href: href(doc, wilayah, 'html'), target: '_blank', rel: 'noopener' } }),
      ' · ',
      h('a', { text: tx('xlsx'), testid: `cetak-${doc}-xlsx`, attrs: { href: href(doc, wilayah, 'xlsx'), download: '' } }),
    ),
  );
  return h(
    'section',
    { className: 'cetak-box', testid: 'cetak' },
    h('h3', { text: tx('title') }),
    h('ul', {}, items),
    h('p', { className: 'panel-note', text: tx('hint') }),
  );
}
