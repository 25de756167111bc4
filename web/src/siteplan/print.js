// The A4 print view of a siteplan: a sheet with the title, desa, version and dates, a
// map of the siteplan (a second, non-interactive MapLibre map sized for the sheet, made
// with preserveDrawingBuffer so that its picture can be copied into an <img> for the
// printer), a MapLibre scale bar, a north arrow and the legend of the categories used.
// Print CSS (print.css, `@page { size: A4 }`) shows only the sheet. Loaded on the first
// "Cetak A4".
import * as maplibregl from 'maplibre-gl';
import './print.css';
import { st, num, day, when } from './i18n.js';
import { geometryBounds, catLabel, GEOMETRI_OF_TYPE, swatch } from './util.js';
import { h } from '../dom.js';

const PRINT_ID = 'siteplan-print';

/**
 * @param {object} o
 * @param {import('maplibre-gl').Map} o.map the viewer's map (its style is copied)
 * @param {object} o.detail the siteplan as shown (GET /api/siteplan/{id})
 * @param {string} o.desaName
 * @param {Map<string, object>} o.kategori categories by id
 * @param {object} o.spec the siteplan's source and layers ({source, layers})
 * @param {object|null} o.desaGeometry the desa boundary (to frame an empty siteplan)
 * @param {boolean} [o.autoPrint] call window.print() once the map is drawn
 */
export function openPrint({ map, detail, desaName, kategori, spec, desaGeometry, autoPrint = true }) {
  document.getElementById(PRINT_ID)?.dispatchEvent(new Event('sp-close'));

  const root = h('div', {
    className: 'sp-print',
    testid: 'siteplan-print',
    attrs: { id: PRINT_ID, role: 'dialog', 'aria-modal': 'true', 'aria-label': `${st('sp.print.title')}: ${detail.judul}` },
  });

  const versiInfo = detail.riwayat?.find((r) => r.versi === detail.versi);
  const used = [...new Set(detail.fitur.features.map((f) => f.properties?.kategori))].filter(Boolean);
  const legendCats = used.length ? used : [...kategori.keys()];

  root.innerHTML = `
    <div class="sp-print-bar">
      <span class="sp-print-status" data-testid="print-status"></span>
      <button type="button" class="sp-btn sp-btn-primary" data-action="print" disabled></button>
      <button type="button" class="sp-btn" data-action="close"></button>
    </div>
    <div class="sp-sheet-wrap">
      <article class="sp-sheet">
        <header class="sp-sheet-head">
          <p class="sp-sheet-kicker"></p>
          <h1 class="sp-sheet-title" data-testid="print-title"></h1>
          <dl class="sp-sheet-meta" data-testid="print-meta"></dl>
        </header>
        <div class="sp-print-map" data-testid="print-map">
          <img class="sp-print-img" alt="" hidden />
          <div class="sp-print-north" data-testid="print-north" aria-label="">
            <svg viewBox="0 0 40 56" width="34" height="48" aria-hidden="true">
              <polygon points="20,2 34,44 20,36 6,44" fill="#fff" stroke="#1a1a1a" stroke-width="2" />
              <polygon points="20,2 20,36 6,44" fill="#1a1a1a" />
              <text x="20" y="55" text-anchor="middle" font-size="12" font-weight="700" font-family="sans-serif"></text>
            </svg>
          </div>
        </div>
        <section class="sp-sheet-legend" data-testid="print-legend">
          <h2></h2>
          <ul></ul>
        </section>
        <footer class="sp-sheet-foot"></footer>
      </article>
    </div>`;

  const q = (s) => root.querySelector(s);
  q('[data-action="print"]').textContent = st('sp.print.print');
  q('[data-action="close"]').textContent = st('sp.print.close');
  q('.sp-print-status').textContent = st('sp.print.loading');
  q('.sp-sheet-kicker').textContent = st('sp.print.title');
  q('.sp-sheet-title').textContent = detail.judul;
  q('.sp-print-north').setAttribute('aria-label', st('sp.print.north'));
  q('.sp-print-north text').textContent = st('sp.print.north');
  const meta = q('.sp-sheet-meta');
  const rows = [
    ['sp.print.desa', `${desaName} (${detail.kode_desa})`, 'print-desa'],
    ['sp.status', st(`status.${detail.status}`), 'print-status-siteplan'],
    ['sp.print.versi', st('sp.versi.of', { v: detail.versi, n: detail.versi_terkini }), 'print-versi'],
    ['sp.print.tanggal', versiInfo ? when(versiInfo.waktu) : '—', 'print-tanggal'],
    ['sp.print.dicetak', day(), 'print-dicetak'],
  ];
  for (const [k, v, id] of rows) {
    meta.append(h('dt', { text: st(k) }), h('dd', { text: v, testid: id }));
  }
  q('.sp-sheet-legend h2').textContent = st('sp.print.legend');
  const list = q('.sp-sheet-legend ul');
  for (const id of legendCats) {
    const k = kategori.get(id);
    list.append(h('li', { testid: 'print-legend-item' }, swatch(k?.simbol?.warna ?? '#666', kindOf(detail, id) ?? k?.geometri?.[0]), label(k, id)));
  }
  const total = totals(detail);
  q('.sp-sheet-foot').textContent = [total, `${detail.id}`, st('sp.ukuran.method')].filter(Boolean).join(' · ');

  document.body.append(root);
  document.body.classList.add('sp-printing');

  // The sheet is A4 at 96 dpi on screen; scale it down to fit narrow screens.
  const wrap = q('.sp-sheet-wrap');
  const sheet = q('.sp-sheet');
  const fit = () => {
    const scale = Math.min(1, (wrap.clientWidth - 16) / sheet.offsetWidth);
    sheet.style.transform = scale < 1 ? `scale(${scale})` : '';
    sheet.style.marginBottom = scale < 1 ? `${-(1 - scale) * sheet.offsetHeight}px` : '';
  };
  fit();
  window.addEventListener('resize', fit);

  // The print map: the viewer's style without the drawing tool's layers.
  const style = map.getStyle();
  style.sources = Object.fromEntries(Object.entries(style.sources).filter(([id]) => !id.startsWith('sp-td') && !id.startsWith('td-')));
  style.layers = style.layers.filter((l) => {
    if (!l.source && l.type !== 'background') return false;
    if (l.source && !style.sources[l.source]) return false;
    if (l.paint?.['fill-pattern'] || l.layout?.['icon-image']) return false; // images live in the viewer's map only
    return true;
  });
  style.sources.siteplan = spec.source;
  for (const l of spec.layers) {
    const existing = style.layers.findIndex((x) => x.id === l.id);
    const layer = { ...l, layout: { ...(l.layout ?? {}), visibility: 'visible' } };
    if (existing >= 0) style.layers[existing] = layer;
    else style.layers.push(layer);
  }
  // The print shows the siteplan with the selection highlight off.
  style.layers = style.layers.filter((l) => l.id !== 'siteplan-selected');

  const container = q('.sp-print-map');
  const bounds = geometryBounds(detail.fitur.features.map((f) => f.geometry).filter(Boolean)) ?? (desaGeometry ? geometryBounds([desaGeometry]) : null);
  const printMap = new maplibregl.Map({
    container,
    style,
    interactive: false,
    attributionControl: false,
    preserveDrawingBuffer: true,
    fadeDuration: 0,
    pixelRatio: Math.max(2, window.devicePixelRatio || 1),
    ...(bounds ? { bounds, fitBoundsOptions: { padding: 40, maxZoom: 19 } } : { center: map.getCenter(), zoom: map.getZoom() }),
  });
  printMap.addControl(new maplibregl.ScaleControl({ maxWidth: 160, unit: 'metric' }), 'bottom-left');
  printMap.addControl(new maplibregl.AttributionControl({ compact: false, customAttribution: attributionText(map) }), 'bottom-right');

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    window.removeEventListener('resize', fit);
    document.removeEventListener('keydown', onKey);
    try {
      printMap.remove();
    } catch {
      // already gone
    }
    root.remove();
    document.body.classList.remove('sp-printing');
  };
  const onKey = (e) => {
    if (e.key === 'Escape') close();
  };
  document.addEventListener('keydown', onKey);
  root.addEventListener('sp-close', close);
  q('[data-action="close"]').addEventListener('click', close);
  q('[data-action="print"]').addEventListener('click', () => window.print());

  const ready = new Promise((resolve) => {
    printMap.once('idle', () => {
      if (closed) return resolve(false);
      const img = q('.sp-print-img');
      try {
        img.src = printMap.getCanvas().toDataURL('image/png');
        img.hidden = false;
      } catch (err) {
        console.warn('[kumuh] print map picture', err);
      }
      root.dataset.ready = '1';
      q('.sp-print-status').textContent = '';
      q('[data-action="print"]').disabled = false;
      resolve(true);
      if (autoPrint) setTimeout(() => !closed && window.print(), 50);
    });
  });
  return { close, ready, element: root };
}

function label(k, id) {
  return catLabel(k, id);
}

function kindOf(detail, id) {
  const f = detail.fitur.features.find((x) => x.properties?.kategori === id);
  return GEOMETRI_OF_TYPE[f?.geometry?.type];
}

function totals(detail) {
  let len = 0;
  let area = 0;
  for (const f of detail.fitur.features) {
    const u = f.properties?.ukuran;
    if (u?.jenis === 'garis') len += u.length_m;
    if (u?.jenis === 'area') area += u.area_m2;
  }
  const parts = [st('sp.fitur.n', { n: detail.fitur.features.length })];
  if (len) parts.push(`${st('sp.panjang')} ${num(len, 1)} m`);
  if (area) parts.push(`${st('sp.luas')} ${num(area, 0)} m²`);
  return parts.join(', ');
}

function attributionText(map) {
  const el = map.getContainer().querySelector('.maplibregl-ctrl-attrib-inner');
  return el?.textContent?.trim() || '';
}
