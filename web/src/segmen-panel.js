// The work-segment panel: the work (kegiatan) a clicked segment belongs to, that
// segment's stage, condition and volume, its funding sources as a stacked bar, its
// financial and physical progress, cost per unit, the maintenance group (KPP), the
// segment's photos (foto.js) and the change history from the audit log. Data:
// /api/kegiatan/{id} and /api/audit?kunci={id}.
// Shares the .panel styles with the other panels; only one of them is open.
import { api } from './api.js';
import { t, lang, formatRupiah, formatQuantity, onLangChange } from './i18n.js';
import { STATUS_COLORS, SUMBER, SUMBER_COLORS } from './layers.js';
import { h } from './dom.js';
import { fotoSection, mayWriteWork } from './foto.js';

const AUDIT_LIMIT = 20;
const HISTORY_SHOWN = 8;

const isObject = (v) => v != null && typeof v === 'object' && !Array.isArray(v);
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v) => (Array.isArray(v) ? v : []);
// A translated enum value, or the raw value when there is no translation.
const label = (prefix, value) => {
  if (value == null || value === '') return null;
  const key = `${prefix}.${value}`;
  const s = t(key);
  return s === key ? String(value) : s;
};
const unit = (satuan) => label('satuan', satuan) ?? '';
const quantity = (v, satuan) => `${formatQuantity(v, 1)} ${unit(satuan)}`.trim();
const ratioPercent = (r) => (isObject(r) && num(r.pembilang) != null && num(r.penyebut) > 0 ? (r.pembilang * 100) / r.penyebut : null);
const percentText = (p) => `${formatQuantity(p, p < 10 && p % 1 ? 1 : 0)}%`;

function section(titleKey, children, testid) {
  return h('section', { className: 'panel-section', testid }, [h('h3', { text: t(titleKey) }), ...children]);
}

function dlRows(rows) {
  const dl = h('dl');
  for (const [labelKey, value, testid] of rows) {
    const dd = h('dd', { testid });
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value == null || value === '' ? t('panel.none') : String(value);
    dl.append(h('dt', { text: t(labelKey) }), dd);
  }
  return dl;
}

function statusBadge(status) {
  const badge = h('span', { className: 'status-badge', text: label('status', status) ?? t('panel.none') });
  if (STATUS_COLORS[status]) {
    badge.dataset.status = status;
    badge.style.setProperty('--status-color', STATUS_COLORS[status]);
  }
  return badge;
}

function contohBadge() {
  return h('span', {
    className: 'mini-badge contoh-badge',
    text: t('segmen.contoh'),
    testid: 'segmen-contoh-badge',
    attrs: { title: t('segmen.contoh.note') },
  });
}

// "Rp 100.000.000", "tidak diketahui", or "Rp 5.000.000 + 1 alokasi tidak diketahui".
function amountText(diketahui, unknown) {
  const known = num(diketahui) ?? 0;
  if (!unknown) return formatRupiah(known);
  if (!known) return unknown === 1 ? t('segmen.tidak_diketahui') : t('segmen.tidak_diketahui.n', { n: unknown });
  return `${formatRupiah(known)} ${t('segmen.plus_tidak_diketahui', { n: unknown })}`;
}

// Funding: a stacked bar of the known amounts per source (widths by bagian_bp), then one
// line per source. Sources whose amount is unknown have no part in the bar and say so.
function fundingSection(sum) {
  const lines = arr(sum.per_sumber)
    .filter(isObject)
    .sort((a, b) => SUMBER.indexOf(a.sumber) - SUMBER.indexOf(b.sumber));
  const known = lines.filter((l) => num(l.alokasi?.diketahui_rp) > 0 && num(l.bagian_bp) > 0);
  const bar = h('div', {
    className: 'sumber-bar',
    testid: 'sumber-bar',
    attrs: { role: 'img', 'aria-label': t('segmen.bar.label') },
  });
  for (const l of known) {
    const share = l.bagian_bp / 100;
    const part = h('span', {
      className: 'sumber-bar-part',
      attrs: { title: `${label('sumber', l.sumber)}: ${formatRupiah(l.alokasi.diketahui_rp)} (${percentText(share)})` },
    });
    part.dataset.sumber = l.sumber;
    part.style.width = `${share}%`;
    part.style.background = SUMBER_COLORS[l.sumber] ?? SUMBER_COLORS.lainnya;
    bar.append(part);
  }
  if (!known.length) bar.classList.add('sumber-bar-empty');

  const list = h('ul', { className: 'sumber-list', testid: 'sumber-list' });
  for (const l of lines) {
    const unknown = num(l.alokasi?.tidak_diketahui) ?? 0;
    const knownRp = num(l.alokasi?.diketahui_rp) ?? 0;
    const swatch = h('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
    swatch.style.setProperty('--swatch-color', SUMBER_COLORS[l.sumber] ?? SUMBER_COLORS.lainnya);
    if (!knownRp) swatch.classList.add('swatch-unknown');
    const li = h('li', {}, [
      swatch,
      h('span', { className: 'sumber-name', text: label('sumber', l.sumber) }),
      h('span', { className: `sumber-amount num${knownRp ? '' : ' unknown'}`, text: amountText(knownRp, unknown) }),
      h('span', { className: 'sumber-share num', text: knownRp && num(l.bagian_bp) != null ? percentText(l.bagian_bp / 100) : '' }),
    ]);
    li.dataset.sumber = l.sumber;
    list.append(li);
  }

  const cost = isObject(sum.biaya_per_satuan) ? sum.biaya_per_satuan : null;
  const costNode = cost
    ? h('span', {}, [
        h('span', { className: 'num', text: `${formatRupiah(cost.rp)}/${unit(cost.satuan)}`, testid: 'segmen-biaya' }),
        cost.lengkap === false ? h('span', { className: 'cell-note', text: t('segmen.biaya.belum_lengkap') }) : null,
      ])
    : null;
  const totals = dlRows([
    ['segmen.total', amountText(sum.alokasi?.diketahui_rp, num(sum.alokasi?.tidak_diketahui) ?? 0), 'segmen-total'],
    ['segmen.realisasi', formatRupiah(num(sum.realisasi_rp) ?? 0), 'segmen-realisasi'],
    ['segmen.biaya', costNode],
  ]);
  const children = [bar];
  if (!known.length) children.push(h('p', { className: 'cell-note', text: t('segmen.bar.kosong') }));
  children.push(list, totals);
  return section('segmen.pendanaan', children, 'segmen-pendanaan');
}

function progressRow(labelKey, ratio, detail, testid) {
  const p = ratioPercent(ratio);
  const track = h('span', { className: 'aspect-track', attrs: { 'aria-hidden': 'true' } });
  if (p != null) {
    const fill = h('span', { className: 'aspect-fill' });
    fill.style.width = `${Math.min(100, Math.max(0, p))}%`;
    if (p > 100) fill.classList.add('over');
    track.append(fill);
  }
  const li = h('li', { testid }, [
    h('span', { className: 'aspect-name', text: t(labelKey) }),
    track,
    h('span', { className: 'aspect-value num', text: p == null ? t('panel.none') : percentText(p) }),
    h('span', { className: 'progress-detail', text: p == null ? t('segmen.progres.tidak_ada') : detail }),
  ]);
  if (p != null) li.dataset.percent = String(Math.round(p * 100) / 100);
  return li;
}

function progressSection(sum) {
  const money = t('segmen.progres.dari', {
    a: formatRupiah(num(sum.realisasi_diketahui_rp) ?? num(sum.realisasi_rp) ?? 0),
    b: formatRupiah(num(sum.alokasi?.diketahui_rp) ?? 0),
  });
  const volume = t('segmen.progres.dari', {
    a: quantity(num(sum.volume_realisasi) ?? 0, sum.satuan),
    b: quantity(num(sum.volume_rencana), sum.satuan),
  });
  const list = h('ul', { className: 'aspect-bars progress-bars', testid: 'segmen-progres' }, [
    progressRow('segmen.progres.keuangan', sum.progres_keuangan, money, 'progres-keuangan'),
    progressRow('segmen.progres.fisik', sum.progres_fisik, volume, 'progres-fisik'),
  ]);
  return section('segmen.kemajuan', [list]);
}

function volumeText(seg, sum) {
  const satuan = sum?.satuan ?? seg.satuan;
  const planned = num(sum?.volume_rencana) ?? num(seg.volume_rencana);
  const parts = [planned != null ? t('segmen.volume.rencana', { v: quantity(planned, satuan) }) : t('segmen.volume.tanpa_rencana')];
  const terukur = isObject(sum?.terukur) ? sum.terukur : null;
  if (num(terukur?.panjang_m) != null) parts.push(t('segmen.volume.terukur', { v: quantity(terukur.panjang_m, 'm') }));
  else if (num(terukur?.luas_m2) != null) parts.push(t('segmen.volume.terukur', { v: quantity(terukur.luas_m2, 'm2') }));
  return parts.join(' · ');
}

function conditionText(seg) {
  const k = (v) => label('kondisi', v) ?? t('kondisi.unknown');
  return `${k(seg.kondisi_sebelum)} → ${k(seg.kondisi_sesudah)}`;
}

function duesText(rule) {
  if (!isObject(rule)) return null;
  const rp = formatRupiah(num(rule.per_kk));
  const j = rule.jadwal;
  if (isObject(j?.mingguan)) return t('kpp.iuran.mingguan', { rp, hari: label('hari', j.mingguan.hari) ?? '' });
  if (isObject(j?.bulanan)) return t('kpp.iuran.bulanan', { rp, tanggal: j.bulanan.tanggal ?? '' });
  if (typeof j === 'string') return `${rp}/KK · ${j}`;
  return `${rp}/KK`;
}

function kppSection(kpp, saldo) {
  if (!isObject(kpp)) return section('kpp.title', [h('p', { className: 'cell-note', text: t('kpp.none') })], 'segmen-kpp');
  // Members who have not left (by today's date).
  const today = new Date().toISOString().slice(0, 10);
  const members = arr(kpp.anggota).filter((a) => !a?.keluar || a.keluar > today).length;
  const name = h('span', {}, [kpp.nama ?? t('panel.none'), kpp.contoh ? contohBadge() : null]);
  return section(
    'kpp.title',
    [
      dlRows([
        ['kpp.nama', name, 'kpp-nama'],
        ['kpp.anggota', t('kpp.anggota.n', { n: members }), 'kpp-anggota'],
        ['kpp.iuran', duesText(kpp.aturan_iuran), 'kpp-iuran'],
        ['kpp.saldo', num(saldo) == null ? null : formatRupiah(saldo), 'kpp-saldo'],
      ]),
    ],
    'segmen-kpp',
  );
}

const timeFormats = {};
function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso ?? '';
  const locale = lang() === 'en' ? 'en-GB' : 'id-ID';
  timeFormats[locale] ??= new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return timeFormats[locale].format(d);
}

// entries: undefined while loading, null when the log could not be read.
function historySection(entries) {
  const node = section('riwayat.title', [historyBody(entries)], 'segmen-riwayat');
  if (entries !== undefined) node.dataset.loaded = entries === null ? 'error' : String(entries.length);
  return node;
}

function historyBody(entries) {
  if (entries === undefined) return h('p', { className: 'cell-note', text: t('segmen.loading') });
  if (entries === null) return h('p', { className: 'cell-note', text: t('riwayat.gagal') });
  if (!entries.length) return h('p', { className: 'cell-note', text: t('riwayat.none') });
  return h(
    'ol',
    { className: 'riwayat' },
    entries.slice(0, HISTORY_SHOWN).map((e) => {
      const what = [label('entitas', e.entitas), e.kunci?.includes('/') ? e.kunci.split('/').slice(1).join('/') : null, label('aksi', e.aksi)]
        .filter(Boolean)
        .join(' ');
      const li = h('li', { testid: 'riwayat-row' }, [
        h('time', { className: 'riwayat-time', text: when(e.waktu), attrs: { datetime: e.waktu ?? '' } }),
        h('span', { className: 'riwayat-who', text: e.pengguna || t('riwayat.sistem') }),
        h('span', { className: 'riwayat-what', text: what }),
      ]);
      li.dataset.aksi = e.aksi ?? '';
      return li;
    }),
  );
}

export function createSegmenPanel({ desaName, auth, errors, onOpen, onSegmen, onClose }) {
  const root = document.getElementById('segmen-panel');
  const title = root.querySelector('[data-testid="segmen-name"]');
  const body = root.querySelector('.panel-body');
  root.querySelector('.panel-close').addEventListener('click', close);
  let props = null; // the clicked feature's properties
  let segmenId = null; // the segment shown
  let detail = null; // /api/kegiatan/{id}, null while loading
  let audit; // undefined while loading, null when it failed
  let controller = null;
  let offlineNote = false; // ledgers and history are only on the server
  // The photo section loads once per segment and signed-in state, not on every render.
  let foto = null;
  let fotoFor = null;
  function fotoNode(kodeDesa) {
    const canWrite = mayWriteWork(auth?.user?.(), kodeDesa);
    const wanted = `${key()}|${canWrite}`;
    if (fotoFor !== wanted) {
      foto = fotoSection({ kegiatan: props.kegiatan_id, segmen: segmenId, canWrite, errors });
      fotoFor = wanted;
    }
    return foto;
  }

  const key = () => `${props?.kegiatan_id}/${segmenId}`;

  function chooser(segments) {
    if (segments.length < 2) return null;
    const nav = h('div', { className: 'segmen-chooser', testid: 'segmen-chooser', attrs: { role: 'group', 'aria-label': t('segmen.pilih') } });
    for (const s of segments) {
      const b = h('button', { text: s.nama || s.id, testid: 'segmen-tab', attrs: { type: 'button', 'aria-pressed': String(s.id === segmenId), title: s.id } });
      b.dataset.segmen = s.id;
      b.addEventListener('click', () => {
        if (s.id === segmenId) return;
        segmenId = s.id;
        onSegmen?.(key());
        render();
      });
      nav.append(b);
    }
    return nav;
  }

  function render() {
    if (!props) return;
    const k = isObject(detail?.kegiatan) ? detail.kegiatan : null;
    title.textContent = k?.nama ?? props.kegiatan ?? props.kegiatan_id;
    root.dataset.kegiatan = props.kegiatan_id;
    root.dataset.segmen = segmenId ?? '';
    const contoh = k?.contoh ?? props.contoh === true;
    const parts = [];
    if (contoh) parts.push(h('p', { className: 'contoh-note', testid: 'segmen-contoh' }, [contohBadge(), ' ', t('segmen.contoh.note')]));

    const pel = isObject(k?.pelaksana) ? [label('pelaksana', k.pelaksana.jenis), k.pelaksana.nama].filter(Boolean).join(' ') : null;
    parts.push(
      dlRows([
        ['segmen.desa', desaName(k?.kode_desa ?? props.kode_desa), 'segmen-desa'],
        ['segmen.tahun', k?.tahun ?? props.tahun, 'segmen-tahun'],
        ['segmen.jenis', label('jenis_kegiatan', k?.jenis ?? props.jenis)],
        ['segmen.pelaksana', pel, 'segmen-pelaksana'],
        ['segmen.status_kegiatan', statusBadge(k?.status ?? props.status_kegiatan)],
      ]),
    );
    if (!detail) {
      parts.push(h('p', { className: 'panel-note', text: t('segmen.loading') }));
      body.replaceChildren(...parts);
      return;
    }

    const segments = arr(k?.segmen).filter(isObject);
    const seg = segments.find((s) => s.id === segmenId) ?? { id: segmenId, nama: props.segmen };
    const sum = arr(detail.ringkasan?.segmen).find((s) => s?.segmen === segmenId) ?? null;
    const choose = chooser(segments);
    if (choose) parts.push(choose);

    const segRows = [
      ['segmen.status', statusBadge(seg.status ?? props.status), 'segmen-status'],
      ['segmen.kondisi', conditionText(seg), 'segmen-kondisi'],
      ['segmen.volume', volumeText(seg, sum), 'segmen-volume'],
    ];
    if (isObject(seg.pelaksana)) segRows.push(['segmen.pelaksana_segmen', [label('pelaksana', seg.pelaksana.jenis), seg.pelaksana.nama].filter(Boolean).join(' ')]);
    if (sum && num(sum.volume_realisasi) > 0) segRows.push(['segmen.volume.realisasi', quantity(sum.volume_realisasi, sum.satuan)]);
    const kriteria = arr(seg.kriteria).join(', ');
    if (kriteria) segRows.push(['segmen.kriteria', kriteria]);
    if (seg.kode_lokasi) segRows.push(['segmen.lokasi', seg.kode_lokasi]);
    if (seg.keterangan) segRows.push(['segmen.keterangan', seg.keterangan]);
    const segTitle = h('h3', {}, [t('segmen.segmen'), ': ', h('span', { className: 'segmen-title', text: seg.nama ?? segmenId, testid: 'segmen-segmen' })]);
    parts.push(h('section', { className: 'panel-section' }, [segTitle, dlRows(segRows)]));
    if (offlineNote) {
      parts.push(h('p', { className: 'panel-note', testid: 'offline-note', text: t('offline.panel') }));
      body.replaceChildren(...parts);
      return;
    }

    if (sum) {
      parts.push(fundingSection(sum), progressSection(sum));
      const issues = arr(sum.issues).filter((i) => i?.message || i?.kind);
      if (issues.length) {
        const text = (i) => (t(`issue.${i.kind}`) === `issue.${i.kind}` ? i.message : t(`issue.${i.kind}`));
        const list = h('ul', { className: 'issues', testid: 'segmen-issues' }, issues.map((i) => h('li', { text: text(i), attrs: { title: i.message ?? '' } })));
        parts.push(section('segmen.catatan', [list]));
      }
    }
    parts.push(kppSection(k?.kpp, detail.saldo_kpp_rp));
    if (k?.keterangan) parts.push(section('segmen.keterangan', [h('p', { className: 'panel-text', text: k.keterangan })]));
    parts.push(fotoNode(k?.kode_desa ?? props.kode_desa));
    parts.push(historySection(audit));
    body.replaceChildren(...parts);
  }

  async function load(id) {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    const current = () => !signal.aborted && props?.kegiatan_id === id;
    api
      .audit(id, { limit: AUDIT_LIMIT, signal })
      .then((data) => {
        if (!current()) return;
        // The log matches keys by prefix: keep this work and its own segments only.
        audit = arr(data).filter((e) => e?.kunci === id || e?.kunci?.startsWith(`${id}/`));
        render();
      })
      .catch((err) => {
        if (err.name === 'AbortError' || !current()) return;
        audit = null;
        render();
      });
    try {
      const data = await api.kegiatan(id, { signal });
      if (!current()) return;
      detail = isObject(data) ? data : {};
      render();
    } catch (err) {
      if (err.name === 'AbortError') return;
      detail = {};
      offlineNote = err.code === 'offline';
      render();
      if (!offlineNote) throw err;
    }
  }

  function open(properties) {
    const sameWork = props?.kegiatan_id === properties.kegiatan_id && detail;
    props = properties;
    segmenId = properties.segmen_id;
    onOpen?.(key());
    root.hidden = false;
    document.body.classList.add('panel-open');
    if (sameWork) {
      render();
      return Promise.resolve();
    }
    detail = null;
    audit = undefined;
    offlineNote = false;
    render();
    body.scrollTop = 0;
    root.scrollTop = 0;
    return load(props.kegiatan_id);
  }

  function close() {
    if (root.hidden) return;
    controller?.abort();
    root.hidden = true;
    props = null;
    detail = null;
    document.body.classList.remove('panel-open');
    onClose?.();
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !root.hidden && !e.defaultPrevented) close();
  });
  onLangChange(() => {
    fotoFor = null;
    render();
  });
  // Signing in or out shows or hides the photo upload.
  auth?.onChange?.(() => render());

  return { open, close, isOpen: () => !root.hidden };
}
