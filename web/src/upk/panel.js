// The revolving-loan panel of a desa: its PAR, LAR and repayment rate with their bands
// (public totals), charts of the last 12 months for the desa and the whole home area,
// and, for users who may read the desa's details (its upk and lkm users, kabupaten,
// admin), its KSM with their loans' kolektibilitas, the Daftar Tunggakan (with the XLSX)
// and the collection plan. Anonymous visitors get a note and no request for details.
import { api } from '../api.js';
import { t, formatNumber, formatRupiah, onLangChange } from '../i18n.js';
import { PITA_COLORS } from '../layers.js';
import { lineChart } from '../chart.js';
import { h } from '../dom.js';
import { ut, tanggal, bulanPendek } from './i18n.js';

const INDIKATOR = [
  ['par_persen', 'upk.par', 'upk-par'],
  ['lar_persen', 'upk.lar', 'upk-lar'],
  ['rr_persen', 'upk.rr', 'upk-rr'],
];

// Whether `user` may read the details of the desa `kode`, as the server decides
// (kumuh_domain::authorize, Action::ReadUpk): admin and kabupaten are asked; upk and lkm
// users only for their own desa; viewers never.
function mayRead(user, kode) {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'kabupaten') return true;
  if (user.role === 'upk' || user.role === 'lkm') return (user.desa ?? []).includes(kode);
  return false;
}

function pitaBadge(pita) {
  const badge = h('span', { className: 'pita-badge', text: pita ? t(`upk.pita.${pita}`) : ut('upk.kosong') });
  if (pita) badge.dataset.pita = pita;
  return badge;
}

const persen = (n) => (n?.persen == null ? t('panel.none') : `${formatNumber(n.persen)} %`);

function section(title, testid, ...children) {
  return h('section', { className: 'panel-section', testid }, h('h3', { text: title }), ...children);
}

function kinerjaSection(d, per) {
  const title = ut('upk.kinerja', { per: tanggal(per) });
  if (!d) return section(title, 'upk-kinerja', h('p', { className: 'upk-note', text: ut('upk.none') }));
  const rows = INDIKATOR.map(([field, label, testid]) => {
    const n = d[field];
    const tr = h('tr', { testid }, h('th', { text: ut(label), attrs: { scope: 'row' } }), h('td', { className: 'num', text: persen(n) }), h('td', {}, pitaBadge(n?.pita)));
    if (n?.pita) tr.dataset.pita = n.pita;
    return tr;
  });
  const dl = h(
    'dl',
    { className: 'upk-angka' },
    h('dt', { text: ut('upk.aktif') }),
    h('dd', { text: String(d.pinjaman_aktif), testid: 'upk-aktif' }),
    h('dt', { text: ut('upk.outstanding') }),
    h('dd', { text: formatRupiah(d.outstanding_rp), testid: 'upk-outstanding' }),
    h('dt', { text: ut('upk.ksm_menunggak') }),
    h('dd', { text: `${d.ksm_menunggak} / ${d.ksm_aktif}` }),
  );
  return section(title, 'upk-kinerja', h('table', { className: 'upk-indikator' }, h('tbody', {}, rows)), dl);
}

// Two small charts (PAR, repayment rate) of a monthly series.
function charts(series, name, testid) {
  if (!series) return h('p', { className: 'upk-note', text: ut('upk.loading') });
  if (!series.some((m) => m.par_persen?.persen != null || m.rr_persen?.persen != null)) {
    return h('p', { className: 'upk-note', testid, text: ut('upk.chart.empty') });
  }
  const from = series[0]?.bulan;
  const to = series.at(-1)?.bulan;
  const one = (field, key) => {
    const points = series.map((m) => ({ label: bulanPendek(m.bulan), value: m[field]?.persen ?? null, color: PITA_COLORS[m[field]?.pita] }));
    const chart = lineChart({ points, yMax: 100, values: false, labelEvery: 2, format: (v) => formatNumber(v, 0), title: ut('upk.chart.label', { name: `${ut(key)} ${name}`, from, to }) });
    chart.dataset.testid = `${testid}-${field}`;
    return h('figure', { className: 'upk-chart' }, h('figcaption', { text: ut(key) }), chart);
  };
  return h('div', { className: 'upk-charts', testid }, one('par_persen', 'upk.chart.par'), one('rr_persen', 'upk.chart.rr'));
}

function ksmSection(ksm) {
  const title = ut('upk.ksm');
  if (!ksm.length) return section(title, 'upk-ksm', h('p', { className: 'upk-note', text: ut('upk.ksm.none') }));
  const items = ksm.map((k) => {
    const loans = k.pinjaman.map((p) => {
      const kol = p.kolektibilitas;
      const parts = [p.id, formatRupiah(p.pokok_rp), ut(`upk.status.${p.status}`)];
      if (p.sisa_pokok_rp != null && p.status === 'berjalan') parts.push(ut('upk.pinjaman.sisa', { rp: formatRupiah(p.sisa_pokok_rp) }));
      const li = h('li', { testid: 'upk-pinjaman' }, h('span', { text: parts.join(' · ') }), kol ? kolBadge(kol) : null);
      li.dataset.pinjaman = p.id;
      if (kol) li.dataset.kolektibilitas = String(kol);
      return li;
    });
    const li = h(
      'li',
      { className: 'upk-ksm', testid: 'upk-ksm-item' },
      h('strong', { text: k.nama, testid: 'upk-ksm-nama' }),
      h('span', { className: 'upk-muted', text: ` · ${ut(`upk.ksm.jenis.${k.jenis}`)} · ${ut('upk.ksm.anggota', { n: k.jumlah_anggota })}` }),
      loans.length ? h('ul', { className: 'upk-pinjaman' }, loans) : h('div', { className: 'upk-muted', text: ut('upk.pinjaman.none') }),
    );
    li.dataset.ksm = k.id;
    return li;
  });
  return section(title, 'upk-ksm', h('ul', { className: 'upk-ksm-list' }, items));
}

function kolBadge(kol) {
  const badge = h('span', { className: 'kol-badge', text: `${ut('upk.kol', { n: kol })} ${ut(`upk.kol.${kol}`)}`, testid: 'upk-kolektibilitas' });
  badge.dataset.kol = String(kol);
  return badge;
}

function tunggakanSection(kode, t0, names) {
  const daftar = t0.daftar;
  const title = ut('upk.tunggakan', { per: tanggal(daftar.per) });
  const link = h('a', { className: 'upk-download', testid: 'upk-tunggakan-xlsx', text: ut('upk.tunggakan.xlsx'), attrs: { href: api.upkTunggakanUrl(kode, 'xlsx'), download: 'daftar-tunggakan.xlsx' } });
  if (!daftar.baris.length) return section(title, 'upk-tunggakan', h('p', { className: 'upk-note', text: ut('upk.tunggakan.none') }), link);
  const head = ['upk.tunggakan.ksm', 'upk.tunggakan.angsuran', 'upk.tunggakan.hari', 'upk.tunggakan.rp', 'upk.tunggakan.kol'];
  const rows = daftar.baris.map((b) => {
    const tr = h(
      'tr',
      { testid: 'upk-tunggakan-row' },
      h('th', { attrs: { scope: 'row' } }, h('span', { text: names.get(b.ksm) ?? b.ksm }), h('div', { className: 'upk-muted', text: b.pinjaman })),
      h('td', { className: 'num', text: String(b.angsuran_tertunggak) }),
      h('td', { className: 'num', text: String(b.hari_tunggak) }),
      h('td', { className: 'num', text: formatRupiah(b.tunggakan_pokok_rp + b.tunggakan_jasa_rp) }),
      h('td', { className: 'num' }, kolBadgeShort(b.kolektibilitas)),
    );
    tr.dataset.pinjaman = b.pinjaman;
    return tr;
  });
  const total = h(
    'tr',
    { className: 'upk-total' },
    h('th', { text: ut('upk.tunggakan.total'), attrs: { scope: 'row', colspan: '3' } }),
    h('td', { className: 'num', text: formatRupiah(daftar.total_tunggakan_pokok_rp + daftar.total_tunggakan_jasa_rp), testid: 'upk-tunggakan-total' }),
    h('td'),
  );
  const table = h('table', { className: 'criteria-table upk-tunggakan' }, h('thead', {}, h('tr', {}, head.map((k) => h('th', { text: ut(k), attrs: { scope: 'col' } })))), h('tbody', {}, rows, total));
  return section(title, 'upk-tunggakan', table, link);
}

function kolBadgeShort(kol) {
  const badge = h('span', { className: 'kol-badge', text: String(kol), attrs: { title: ut(`upk.kol.${kol}`) } });
  badge.dataset.kol = String(kol);
  return badge;
}

// The collection plan (GET /api/upk/penagihan): one entry per planned visit, with its
// result once visited.
function penagihanSection(list, names) {
  const title = ut('upk.penagihan');
  if (!list.length) return section(title, 'upk-penagihan', h('p', { className: 'upk-note', text: ut('upk.penagihan.none') }));
  const sorted = [...list].sort((a, b) => String(a.tanggal_rencana).localeCompare(String(b.tanggal_rencana)));
  const items = sorted.map((r) => {
    const hasil = r.hasil ? `${tanggal(r.hasil.tanggal)}: ${ut(`upk.hasil.${r.hasil.hasil}`)}${r.hasil.catatan ? ` (${r.hasil.catatan})` : ''}` : ut('upk.penagihan.belum');
    const petugas = Array.isArray(r.petugas) ? r.petugas.join(', ') : (r.petugas ?? '');
    return h(
      'li',
      { testid: 'upk-penagihan-row' },
      h('strong', { text: `${tanggal(r.tanggal_rencana)} · ${names.get(r.ksm) ?? r.ksm ?? ''}` }),
      h('div', { className: 'upk-muted', text: [r.pinjaman, petugas ? ut('upk.penagihan.petugas', { names: petugas }) : null].filter(Boolean).join(' · ') }),
      r.catatan ? h('div', { text: r.catatan }) : null,
      h('div', { className: r.hasil ? '' : 'upk-muted', text: hasil }),
    );
  });
  return section(title, 'upk-penagihan', h('ul', { className: 'upk-penagihan' }, items));
}

export function createUpkPanel({ auth, home, desaName, errors, onClose, kinerjaDesa, per }) {
  const root = h('aside', { className: 'panel upk-panel', testid: 'upk-panel', attrs: { 'aria-labelledby': 'upk-name', hidden: true } });
  root.id = 'upk-panel';
  const kicker = h('p', { className: 'panel-kicker' });
  const title = h('h2', { testid: 'upk-name' });
  title.id = 'upk-name';
  const closeButton = h('button', { className: 'panel-close', testid: 'upk-close', text: '×', attrs: { type: 'button' } });
  const body = h('div', { className: 'panel-body' });
  root.append(h('div', { className: 'panel-head' }, h('div', {}, kicker, title), closeButton), body);
  document.getElementById('panel').after(root);

  let kode = null;
  let seq = 0; // answers for an earlier desa or user are dropped
  let desaSeries = null;
  let wilayahSeries = null;
  // { state: 'anon' | 'denied' | 'loading' | 'ok', ksm, tunggakan, penagihan (null: no such route) }
  let detail = { state: 'anon' };

  function names() {
    const m = new Map();
    for (const k of detail.ksm ?? []) m.set(k.id, k.nama);
    for (const [id, nama] of Object.entries(detail.tunggakan?.nama_ksm ?? {})) m.set(id, nama);
    return m;
  }

  function detailNodes() {
    if (detail.state === 'loading') return [h('p', { className: 'panel-note', text: ut('upk.loading') })];
    if (detail.state !== 'ok') {
      const more = detail.state === 'denied' ? ut('upk.rincian.ditolak') : ut('upk.rincian.masuk');
      return [h('p', { className: 'panel-note upk-rincian-note', testid: 'upk-rincian-note', text: `${ut('upk.rincian.note')} ${more}` })];
    }
    const n = names();
    return [ksmSection(detail.ksm), tunggakanSection(kode, detail.tunggakan, n), detail.penagihan ? penagihanSection(detail.penagihan, n) : null];
  }

  function render() {
    if (!kode) return;
    kicker.textContent = ut('upk.kicker');
    title.textContent = desaName(kode);
    closeButton.setAttribute('aria-label', t('panel.close'));
    const wilayahName = home.kode ? desaName(home.kode) : '';
    body.replaceChildren(
      per() ? kinerjaSection(kinerjaDesa(kode), per()) : h('p', { className: 'panel-note', text: ut('upk.loading') }),
      section(ut('upk.bulanan.desa'), 'upk-bulanan-desa', charts(desaSeries, desaName(kode), 'upk-chart-desa')),
      home.kode ? section(ut('upk.bulanan.wilayah', { nama: home.nama ?? wilayahName }), 'upk-bulanan-wilayah', charts(wilayahSeries, home.nama ?? wilayahName, 'upk-chart-wilayah')) : null,
      ...detailNodes(),
    );
    root.dataset.kode = kode;
    root.dataset.rincian = detail.state;
  }

  async function loadSeries(n) {
    const [desa, wilayah] = await Promise.all([api.upkBulanan(kode), wilayahSeries ?? (home.kode ? api.upkBulanan(home.kode) : null)]);
    if (n !== seq) return;
    desaSeries = desa;
    wilayahSeries = wilayah;
    render();
  }

  async function loadDetail(n) {
    const user = auth?.user();
    if (!mayRead(user, kode)) {
      detail = { state: user ? 'denied' : 'anon' };
      return;
    }
    detail = { state: 'loading' };
    try {
      const [ksm, tunggakan, penagihan] = await Promise.all([
        api.ksm(kode),
        api.upkTunggakan(kode),
        // The collection plan is a newer route: a server without it answers 404, and the
        // section is left out.
        api.upkPenagihan(kode).catch((err) => {
          if (err.status === 404) return null;
          throw err;
        }),
      ]);
      if (n !== seq) return;
      detail = { state: 'ok', ksm: ksm.ksm.filter((k) => k.kode_desa === kode), tunggakan, penagihan };
    } catch (err) {
      if (n !== seq) return;
      if (err.status === 401) auth?.expired();
      detail = { state: err.status === 401 ? 'anon' : 'denied' };
      if (err.status !== 401 && err.status !== 403) errors.show(err);
    }
    render();
  }

  // (Re)loads what the panel shows for the open desa.
  function load() {
    const n = ++seq;
    loadSeries(n).catch((err) => errors.show(err));
    loadDetail(n);
    render();
  }

  function open(next) {
    if (next !== kode) desaSeries = null;
    kode = next;
    load();
    root.hidden = false;
    document.body.classList.add('panel-open');
  }

  function close() {
    if (root.hidden) return;
    const closed = kode;
    root.hidden = true;
    kode = null;
    seq++;
    document.body.classList.remove('panel-open');
    onClose?.(closed);
  }

  closeButton.addEventListener('click', close);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !root.hidden && !e.defaultPrevented) close();
  });
  onLangChange(render);
  // Signing in or out changes what may be shown.
  auth?.onChange(() => {
    if (kode) load();
  });

  return {
    open,
    close,
    isOpen: () => !root.hidden,
    // The indicators arrived or changed.
    refresh: render,
  };
}
