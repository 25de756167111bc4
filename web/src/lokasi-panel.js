// The slum-location panel: identity, latest assessment (class, score, priority,
// handling), criteria table, aspect bars, issues and the score history.
// Shares the .panel styles with the place panel; only one of them is open.
import { api } from './api.js';
import { t, formatHectares, formatNumber, onLangChange } from './i18n.js';
import { KELAS_COLORS } from './layers.js';
import { lineChart } from './chart.js';
import { h } from './dom.js';
import { cetakBox } from './cetak.js';

const DEFAULT_MAX_SCORE = 5; // per criterion, when the result carries no max_total

const isObject = (v) => v != null && typeof v === 'object' && !Array.isArray(v);
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
// "1a" < "1b" < "2a" < "10a"
const byCode = (a, b) => a.localeCompare(b, 'en', { numeric: true });

export function classBadge(kelas) {
  const known = kelas && KELAS_COLORS[kelas];
  const badge = h('span', { className: `class-badge${known ? '' : ' class-none'}`, text: t(known ? `kelas.${kelas}` : 'kelas.none') });
  if (known) badge.dataset.kelas = kelas;
  return badge;
}

function section(titleKey, ...children) {
  return h('section', { className: 'panel-section' }, [h('h3', { text: t(titleKey) }), ...children]);
}

function criteriaTable(criteria) {
  const rows = Object.entries(criteria)
    .filter(([, c]) => isObject(c))
    .sort(([a], [b]) => byCode(a, b));
  if (!rows.length) return null;
  const withNames = rows.some(([, c]) => typeof c.name === 'string' && c.name);
  const head = ['lokasi.criteria.code', ...(withNames ? ['lokasi.criteria.name'] : []), 'lokasi.criteria.percent', 'lokasi.criteria.score'];
  const thead = h('thead', {}, [h('tr', {}, head.map((k) => h('th', { text: t(k), attrs: { scope: 'col' } })))]);
  const tbody = h(
    'tbody',
    {},
    rows.map(([code, c]) =>
      h('tr', {}, [
        h('th', { text: code, attrs: { scope: 'row' } }),
        ...(withNames ? [h('td', { className: 'criteria-name', text: c.name ?? '' })] : []),
        h('td', { className: 'num', text: formatNumber(num(c.percent)) }),
        h('td', { className: 'num', text: num(c.score) ?? t('panel.none') }),
      ]),
    ),
  );
  return h('table', { className: 'criteria-table', testid: 'lokasi-criteria' }, [thead, tbody]);
}

function aspectBars(aspects) {
  const entries = Object.entries(aspects)
    .map(([n, v]) => [n, num(isObject(v) ? v.average_percent : v)])
    .filter(([, v]) => v != null)
    .sort(([a], [b]) => byCode(a, b));
  if (!entries.length) return null;
  return h(
    'ul',
    { className: 'aspect-bars', testid: 'lokasi-aspects' },
    entries.map(([n, v]) => {
      const key = `aspect.${n}`;
      const name = t(key) === key ? t('aspect.other', { n }) : t(key);
      const width = Math.min(100, Math.max(0, v));
      return h('li', {}, [
        h('span', { className: 'aspect-name', text: name }),
        h('span', { className: 'aspect-track', attrs: { 'aria-hidden': 'true' } }, [
          h('span', { className: 'aspect-fill', attrs: { style: `width: ${width}%` } }),
        ]),
        h('span', { className: 'aspect-value num', text: formatNumber(v) }),
      ]);
    }),
  );
}

// Road and drain criteria: the surveyed volume next to the one derived from the
// mapped lines (/api/lokasi/{kode}/turunan), and which one the assessment used.
const TURUNAN_CMD = 'kumuh import-assessments --peta 2b,4c';
const metres = (v) => (num(v) == null ? t('panel.none') : formatNumber(v, 0));

function turunanSection(data) {
  const items = (Array.isArray(data?.kriteria) ? data.kriteria : []).filter((k) => isObject(k) && typeof k.kriteria === 'string');
  if (!items.length) return null;
  const head = ['lokasi.turunan.kriteria', 'lokasi.turunan.survei', 'lokasi.turunan.peta', 'lokasi.turunan.dipakai'];
  const thead = h('thead', {}, [h('tr', {}, head.map((k) => h('th', { text: t(k), attrs: { scope: 'col' } })))]);
  const tbody = h(
    'tbody',
    {},
    items.map((k) => {
      const nameKey = `turunan.${k.kriteria}`;
      const peta = h('td', { className: 'num' }, [metres(k.peta_m)]);
      if (k.peta_contoh === true) {
        peta.append(h('span', { className: 'mini-badge contoh-badge', text: t('lokasi.turunan.contoh'), testid: 'turunan-contoh', attrs: { title: t('lokasi.turunan.contoh.title') } }));
      }
      const used = k.dipakai === 'survei' || k.dipakai === 'peta' ? k.dipakai : null;
      const dipakai = used
        ? h('span', { className: 'mini-badge', text: t(`lokasi.turunan.dipakai.${used}`), attrs: { title: t('lokasi.turunan.dipakai.title') } })
        : t('panel.none');
      if (used) dipakai.dataset.dipakai = used;
      return h('tr', { testid: 'turunan-row' }, [
        h('th', { attrs: { scope: 'row' } }, [
          h('span', { className: 'turunan-code', text: k.kriteria }),
          h('span', { className: 'turunan-name', text: t(nameKey) === nameKey ? '' : t(nameKey) }),
        ]),
        h('td', { className: 'num', text: metres(k.survei_m) }),
        peta,
        h('td', { className: 'num' }, [dipakai]),
      ]);
    }),
  );
  const table = h('table', { className: 'criteria-table turunan-table' }, [thead, tbody]);
  const [before, after = ''] = t('lokasi.turunan.hint', { cmd: '\u0000' }).split('\u0000');
  const hint = h('p', { className: 'turunan-hint' }, [before, h('code', { text: TURUNAN_CMD }), after]);
  const node = section('lokasi.turunan', table, hint);
  node.dataset.testid = 'lokasi-turunan';
  return node;
}

function history(records, maxTotal) {
  const points = records
    .filter((r) => num(r.total) != null)
    .map((r) => ({ label: String(r.tahun), value: r.total, color: KELAS_COLORS[r.class] }));
  if (!points.length) return null;
  const chart = lineChart({ points, yMax: maxTotal, title: t('lokasi.history.label', { max: maxTotal }) });
  const wrap = h('div', { className: 'history-chart', testid: 'lokasi-history' }, [chart]);
  wrap.dataset.points = String(points.length);
  return wrap;
}

function maxTotalOf(result) {
  const explicit = num(result?.max_total);
  if (explicit) return explicit;
  const n = isObject(result?.criteria) ? Object.values(result.criteria).filter(isObject).length : 0;
  return n ? n * DEFAULT_MAX_SCORE : null;
}

export function createLokasiPanel({ desaName, onOpen, onClose }) {
  const root = document.getElementById('lokasi-panel');
  const title = root.querySelector('[data-testid="lokasi-name"]');
  const body = root.querySelector('.panel-body');
  root.querySelector('.panel-close').addEventListener('click', close);
  let props = null;
  let records = null; // null while loading
  let turunan = null; // null while loading or when unavailable
  let controller = null;
  let offlineNote = false; // the history is only on the server

  function row(labelKey, value, testid) {
    const dd = h('dd', { testid });
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value == null || value === '' ? t('panel.none') : String(value);
    return [h('dt', { text: t(labelKey) }), dd];
  }

  function render() {
    if (!props) return;
    title.textContent = props.nama ?? props.kode;
    const latest = records?.at(-1) ?? null;
    const result = isObject(latest?.result) ? latest.result : {};
    const kelas = latest?.class ?? props.kelas;
    const total = num(latest?.total) ?? num(props.total);
    const maxTotal = maxTotalOf(result);
    const priority = isObject(result.priority) ? result.priority : null;
    const priorityCode = priority?.code ?? latest?.priority ?? props.prioritas;
    const rank = num(priority?.rank);
    const handling = Array.isArray(result.handling) ? result.handling : [];
    const rt = Array.isArray(props.rt) ? props.rt.filter(Boolean).join(', ') : props.rt;
    const sk = [props.sk_nomor, props.sk_tanggal].filter(Boolean).join(' · ');

    const dl = h('dl', {}, [
      ...row('lokasi.kode', props.kode, 'lokasi-kode'),
      ...row('lokasi.desa', desaName(props.kode_desa), 'lokasi-desa'),
      ...row('lokasi.kawasan', props.kawasan),
      ...row('lokasi.rt', rt),
      ...row('lokasi.sk', sk),
      ...row('lokasi.area', formatHectares(num(props.area_ha) ?? num(latest?.luas_ha)), 'lokasi-area'),
      ...row('lokasi.tahun', latest?.tahun ?? props.tahun, 'lokasi-tahun'),
      ...row('lokasi.total', total == null ? null : maxTotal ? `${total} / ${maxTotal}` : total, 'lokasi-total'),
      ...row('lokasi.kelas', classBadge(kelas), 'lokasi-kelas'),
      ...row('lokasi.prioritas', priorityCode ? [priorityCode, rank != null ? t('lokasi.rank', { rank }) : null].filter(Boolean).join(' · ') : null, 'lokasi-prioritas'),
      ...row('lokasi.handling', handling.map((m) => (t(`handling.${m}`) === `handling.${m}` ? m : t(`handling.${m}`))).join(', '), 'lokasi-handling'),
    ]);
    const parts = [dl];
    if (records == null) parts.push(h('p', { className: 'panel-note', text: t('lokasi.loading') }));
    else if (offlineNote) parts.push(h('p', { className: 'panel-note', testid: 'offline-note', text: t('offline.panel') }));
    else if (!records.length) parts.push(h('p', { className: 'panel-note', text: t('lokasi.unassessed') }));
    else {
      const chart = history(records, maxTotalOf(result) ?? Math.max(...records.map((r) => r.total ?? 0)));
      if (chart) parts.push(section('lokasi.history', chart));
      const bars = isObject(result.aspects) ? aspectBars(result.aspects) : null;
      if (bars) parts.push(section('lokasi.aspects', bars));
      const derived = turunan ? turunanSection(turunan) : null;
      if (derived) parts.push(derived);
      const table = isObject(result.criteria) ? criteriaTable(result.criteria) : null;
      if (table) parts.push(section('lokasi.criteria', table));
      const issues = (Array.isArray(result.issues) ? result.issues : []).filter((i) => i?.message);
      if (issues.length) {
        const list = h('ul', { className: 'issues', testid: 'lokasi-issues' }, issues.map((i) => h('li', { text: i.message })));
        parts.push(section('lokasi.issues', list));
      }
    }
    // Not assessed (or still loading): the mapped volumes still stand on their own.
    if (!records?.length && turunan) {
      const derived = turunanSection(turunan);
      if (derived) parts.push(derived);
    }
    // The documents of the location's desa.
    parts.push(cetakBox(props.kode_desa, 'desa'));
    body.replaceChildren(...parts.filter(Boolean));
  }

  async function load(kode) {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    // The derived volumes load alongside; on any error the section just stays away.
    api
      .turunan(kode, { signal })
      .then((data) => {
        if (signal.aborted || props?.kode !== kode) return;
        turunan = isObject(data) ? data : null;
        render();
      })
      .catch(() => {});
    try {
      const data = await api.penilaian(kode, { signal });
      if (signal.aborted || props?.kode !== kode) return;
      records = (Array.isArray(data?.penilaian) ? data.penilaian : []).filter((r) => r?.kode_lokasi === kode || r?.kode_lokasi == null);
      records.sort((a, b) => (a.tahun ?? 0) - (b.tahun ?? 0));
      render();
    } catch (err) {
      if (err.name === 'AbortError') return;
      records = [];
      offlineNote = err.code === 'offline';
      render();
      if (!offlineNote) throw err;
    }
  }

  function open(properties) {
    props = properties;
    records = null;
    offlineNote = false;
    turunan = null;
    onOpen?.(props.kode);
    render();
    root.hidden = false;
    body.scrollTop = 0;
    root.scrollTop = 0;
    document.body.classList.add('panel-open');
    return load(props.kode);
  }

  // More of the open location's properties (from /api/lokasi): merged, not reloaded.
  function update(properties) {
    if (!props || properties?.kode !== props.kode) return;
    props = { ...props, ...properties };
    render();
  }

  function close() {
    if (root.hidden) return;
    controller?.abort();
    root.hidden = true;
    props = null;
    document.body.classList.remove('panel-open');
    onClose?.();
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !root.hidden && !e.defaultPrevented) close();
  });
  onLangChange(render);

  return { open, update, close, isOpen: () => !root.hidden };
}
