// "Unduh data GIS" at the foot of the layer panel: one layer of the atlas as a GIS file
// (GET /api/ekspor?lapisan=…&format=…), for QGIS and other tools. The layers offered
// carry no personal data, so the link works without signing in.
import { lang, onLangChange } from './i18n.js';
import { h } from './dom.js';

const DICT = {
  id: {
    title: 'Unduh data GIS',
    lapisan: 'Lapisan',
    format: 'Format',
    unduh: 'Unduh',
    desa: 'Desa',
    rt: 'RT',
    lokasi: 'Lokasi kumuh',
    jaringan: 'Jaringan jalan & drainase',
    segmen: 'Segmen kegiatan',
  },
  en: {
    title: 'Download GIS data',
    lapisan: 'Layer',
    format: 'Format',
    unduh: 'Download',
    desa: 'Villages',
    rt: 'RT',
    lokasi: 'Slum locations',
    jaringan: 'Roads & drains',
    segmen: 'Work segments',
  },
};
const LAPISAN = ['desa', 'lokasi', 'jaringan', 'segmen', 'rt'];
const FORMAT = [
  ['shp', 'Shapefile (.zip)'],
  ['gpkg', 'GeoPackage'],
  ['geojson', 'GeoJSON'],
  ['kml', 'KML'],
  ['fgb', 'FlatGeobuf'],
  ['csv', 'CSV (WKT)'],
];

const tx = (key) => (DICT[lang()] ?? DICT.id)[key] ?? DICT.id[key];

export function createEkspor() {
  const title = h('p', { className: 'ekspor-title' });
  const lapisan = h('select', { testid: 'ekspor-lapisan' });
  const format = h('select', { testid: 'ekspor-format' });
  for (const [value, label] of FORMAT) format.append(h('option', { text: label, attrs: { value } }));
  const link = h('a', { className: 'ekspor-unduh', testid: 'ekspor-unduh' });
  const lapisanLabel = h('label', { className: 'ekspor-field' }, h('span'), lapisan);
  const formatLabel = h('label', { className: 'ekspor-field' }, h('span'), format);
  const root = h('div', { className: 'ekspor-box', testid: 'ekspor' }, title, lapisanLabel, formatLabel, link);

  const update = () => {
    const url = new URL('api/ekspor', document.baseURI);
    url.search = new URLSearchParams({ lapisan: lapisan.value, format: format.value });
    link.href = url.href;
  };
  const render = () => {
    const chosen = lapisan.value || LAPISAN[0];
    lapisan.replaceChildren(...LAPISAN.map((value) => h('option', { text: tx(value), attrs: { value } })));
    lapisan.value = chosen;
    title.textContent = tx('title');
    lapisanLabel.firstChild.textContent = tx('lapisan');
    formatLabel.firstChild.textContent = tx('format');
    link.textContent = tx('unduh');
    update();
  };
  lapisan.addEventListener('change', update);
  format.addEventListener('change', update);
  render();
  onLangChange(render);
  return { element: root };
}
