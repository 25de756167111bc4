// The budget-scenario panel: the question (an envelope in whole rupiah, or one per
// funding source; the objective; the place), the answer of POST /api/skenario (the chosen
// works with their cost and payers, the totals and whether they are optimal, each
// location's class before and after, also as two small maps side by side, the works
// skipped and why), the same answer as a workbook, and the slum locations on the map
// coloured by their class before or after.
// For signed-in users; anonymous visitors get a note and no request.
import './skenario.css';
import { api } from '../api.js';
import { t, formatHectares, formatNumber, formatRupiah, onLangChange } from '../i18n.js';
import { h } from '../dom.js';
import { skt, SUMBER } from './i18n.js';
import { createSkenarioMap } from './map.js';
import { geometriLokasi, petaBerdampingan } from './berdampingan.js';

// Whole rupiah from what was typed ("Rp 1.000.000", "1000000"): digits only.
export function parseRupiah(text) {
  const digits = String(text ?? '').replace(/\D/g, '');
  return digits ? Number(digits) : null;
}

// An amount field that formats as it is typed ("Rp 1.000.000"), keeping the caret after
// the same number of digits.
function rupiahInput(testid, value) {
  const input = h('input', { className: 'sk-rp', testid, attrs: { type: 'text', inputmode: 'numeric', autocomplete: 'off', value: value ? formatRupiah(value) : '' } });
  input.addEventListener('input', () => {
    const before = input.value.slice(0, input.selectionStart ?? input.value.length).replace(/\D/g, '').length;
    const rp = parseRupiah(input.value);
    input.value = rp == null ? '' : formatRupiah(rp);
    let pos = 0;
    for (let seen = 0; pos < input.value.length && seen < before; pos++) if (/\d/.test(input.value[pos])) seen++;
    if (before === 0) pos = input.value.length;
    input.setSelectionRange(pos, pos);
  });
  return input;
}

function section(title, testid, ...children) {
  return h('section', { className: 'panel-section', testid }, h('h3', { text: title }), ...children);
}

const kelasText = (k) => t(k ? `kelas.${k}` : 'kelas.none');
const kelasBadge = (k, testid) => h('span', { className: 'sk-kelas', testid, text: kelasText(k), attrs: { 'data-kelas': k } });

export function createSkenarioPanel({ map, toggle, errors, auth, home, onOpen }) {
  const root = h('aside', { className: 'panel skenario-panel', testid: 'skenario-panel', attrs: { 'aria-labelledby': 'skenario-name', hidden: true } });
  root.id = 'skenario-panel';
  const kicker = h('p', { className: 'panel-kicker' });
  const title = h('h2', { testid: 'skenario-name' });
  title.id = 'skenario-name';
  const closeButton = h('button', { className: 'panel-close', testid: 'skenario-close', text: '×', attrs: { type: 'button' } });
  const body = h('div', { className: 'panel-body' });
  root.append(h('div', { className: 'panel-head' }, h('div', {}, kicker, title), closeButton), body);
  document.getElementById('panel').after(root);

  const colours = createSkenarioMap(map);
  // The question as last entered (kept across renders and language changes).
  const form = { wilayah: home?.kode ?? '', mode: 'total', anggaran_rp: null, anggaran: {}, tujuan: 'luas_keluar_kumuh_ha' };
  let hasil = null; // the last answer
  let geometri = new Map(); // its locations' geometry, by code (for the maps side by side)
  let asked = null; // the body that answer is for (the XLSX asks the same)
  let running = false;
  let view = 'sesudah';

  function question() {
    const body = { wilayah: form.wilayah.trim(), tujuan: form.tujuan };
    if (form.mode === 'total') body.anggaran_rp = form.anggaran_rp ?? 0;
    else body.anggaran = Object.fromEntries(Object.entries(form.anggaran).filter(([, rp]) => rp > 0));
    return body;
  }

  function formNodes() {
    const wilayah = h('input', { testid: 'skenario-wilayah', attrs: { type: 'text', value: form.wilayah, inputmode: 'numeric', autocomplete: 'off' } });
    wilayah.addEventListener('input', () => {
      form.wilayah = wilayah.value;
    });
    const mode = h(
      'select',
      { testid: 'skenario-mode' },
      ['total', 'sumber'].map((m) => h('option', { text: skt(`sk.mode.${m}`), attrs: { value: m, selected: form.mode === m } })),
    );
    mode.addEventListener('change', () => {
      form.mode = mode.value;
      render();
    });
    let amounts;
    if (form.mode === 'total') {
      const input = rupiahInput('skenario-anggaran', form.anggaran_rp);
      input.addEventListener('input', () => {
        form.anggaran_rp = parseRupiah(input.value);
      });
      amounts = h('label', { className: 'sk-field' }, h('span', { text: skt('sk.anggaran') }), input);
    } else {
      amounts = h(
        'div',
        { className: 'sk-sumber' },
        SUMBER.map((s) => {
          const input = rupiahInput(`skenario-anggaran-${s}`, form.anggaran[s]);
          input.addEventListener('input', () => {
            form.anggaran[s] = parseRupiah(input.value) ?? 0;
          });
          return h('label', { className: 'sk-field' }, h('span', { text: skt(`sk.sumber.${s}`) }), input);
        }),
      );
    }
    const tujuan = h(
      'select',
      { testid: 'skenario-tujuan' },
      ['luas_keluar_kumuh_ha', 'penurunan_nilai'].map((k) => h('option', { text: skt(`sk.tujuan.${k}`), attrs: { value: k, selected: form.tujuan === k } })),
    );
    tujuan.addEventListener('change', () => {
      form.tujuan = tujuan.value;
    });
    const run = h('button', { className: 'sk-run', testid: 'skenario-run', text: skt(running ? 'sk.menghitung' : 'sk.hitung'), attrs: { type: 'submit', disabled: running } });
    const f = h(
      'form',
      { className: 'sk-form', testid: 'skenario-form', on: { submit: (e) => (e.preventDefault(), hitung()) } },
      h('p', { className: 'panel-note', text: skt('sk.intro') }),
      h('label', { className: 'sk-field' }, h('span', { text: skt('sk.wilayah') }), wilayah),
      h('label', { className: 'sk-field' }, h('span', { text: skt('sk.mode') }), mode),
      amounts,
      h('label', { className: 'sk-field' }, h('span', { text: skt('sk.tujuan') }), tujuan),
      run,
    );
    return f;
  }

  function totals(s) {
    const row = (label, value, testid) => [h('dt', { text: label }), h('dd', { text: value, testid })];
    return section(
      skt('sk.hasil'),
      'skenario-hasil',
      h(
        'dl',
        { className: 'sk-angka' },
        row(skt('sk.biaya'), `${formatRupiah(s.biaya_rp)} ${skt('sk.dari', { rp: formatRupiah(s.anggaran_rp) })}`, 'skenario-biaya'),
        row(skt('sk.luas'), formatHectares(s.luas_keluar_kumuh_ha), 'skenario-luas'),
        row(skt('sk.nilai'), formatNumber(s.penurunan_nilai), 'skenario-nilai'),
        row(skt('sk.optimal'), skt(s.optimal ? 'sk.optimal.ya' : 'sk.optimal.tidak', { metode: metode(s) }), 'skenario-optimal'),
      ),
      h('button', { className: 'sk-xlsx', testid: 'skenario-xlsx', text: skt('sk.xlsx'), attrs: { type: 'button' }, on: { click: unduh } }),
    );
  }

  function terpilih(s) {
    if (!s.rincian.length) return section(skt('sk.terpilih'), 'skenario-terpilih', h('p', { className: 'panel-note', text: skt('sk.terpilih.none') }));
    const rows = s.rincian.map((r) =>
      h(
        'tr',
        { testid: 'skenario-terpilih-row', attrs: { 'data-kegiatan': r.kegiatan } },
        h('th', { text: r.nama ? `${r.nama} (${r.kegiatan})` : r.kegiatan, attrs: { scope: 'row' } }),
        h('td', { className: 'num', text: formatRupiah(r.biaya_rp) }),
        h('td', { text: Object.entries(r.sumber ?? {}).map(([k, rp]) => `${skt(`sk.sumber.${k}`)} ${formatRupiah(rp)}`).join('; ') || t('panel.none') }),
      ),
    );
    const head = h('tr', {}, h('th', { text: skt('sk.kegiatan') }), h('th', { text: skt('sk.biaya'), className: 'num' }), h('th', { text: skt('sk.dibayar') }));
    const foot = h('tr', {}, h('th', { text: skt('sk.total'), attrs: { scope: 'row' } }), h('td', { className: 'num', text: formatRupiah(s.biaya_rp), testid: 'skenario-terpilih-total' }), h('td'));
    return section(skt('sk.terpilih'), 'skenario-terpilih', h('table', { className: 'sk-table' }, h('thead', {}, head), h('tbody', {}, rows), h('tfoot', {}, foot)));
  }

  function perLokasi(s) {
    if (!s.per_lokasi.length) return null;
    const rows = s.per_lokasi.map((l) =>
      h(
        'tr',
        { testid: 'skenario-lokasi-row', attrs: { 'data-lokasi': l.kode_lokasi, 'data-sebelum': l.kelas_sebelum, 'data-sesudah': l.kelas_sesudah } },
        h('th', { text: l.nama_lokasi ? `${l.nama_lokasi} (${l.kode_lokasi})` : l.kode_lokasi, attrs: { scope: 'row' } }),
        h('td', { className: 'num', text: formatHectares(l.luas_ha) }),
        h('td', {}, kelasBadge(l.kelas_sebelum, 'skenario-kelas-sebelum'), ' → ', kelasBadge(l.kelas_sesudah, 'skenario-kelas-sesudah')),
        h('td', { className: 'num', text: `${l.total_sebelum} → ${l.total_sesudah}` }),
      ),
    );
    const head = h('tr', {}, h('th', { text: skt('sk.lokasi') }), h('th', { text: skt('sk.luas_ha'), className: 'num' }), h('th', { text: skt('sk.kelas') }), h('th', { text: skt('sk.nilai_total'), className: 'num' }));
    const pick = (v) =>
      h('button', {
        testid: `skenario-view-${v}`,
        text: skt(`sk.${v}`),
        attrs: { type: 'button', 'aria-pressed': String(view === v) },
        on: {
          click: () => {
            view = v;
            apply();
            render();
          },
        },
      });
    return section(
      skt('sk.per_lokasi'),
      'skenario-per-lokasi',
      h('div', { className: 'sk-view', attrs: { role: 'group', 'aria-label': skt('sk.peta') } }, h('span', { text: `${skt('sk.peta')}:` }), pick('sebelum'), pick('sesudah')),
      petaBerdampingan(s.per_lokasi, geometri, (v) => skt(`sk.${v}`)),
      h('table', { className: 'sk-table' }, h('thead', {}, head), h('tbody', {}, rows)),
    );
  }

  // The method and the reasons from their codes in the viewer's language; the answer's
  // words (Bahasa Indonesia) where a code is not known here.
  function metode(s) {
    if (!s.cara) return s.metode;
    const parts = [skt(`sk.metode.${s.cara.algoritma}`)];
    if (s.cara.hanya_awalan) parts.push(skt('sk.metode.hanya_awalan'));
    if (s.cara.berhenti_di_batas) parts.push(skt('sk.metode.berhenti_di_batas'));
    return parts.includes(`sk.metode.${s.cara.algoritma}`) ? s.metode : parts.join('; ');
  }
  function sebab(d) {
    const text = skt(`sk.sebab.${d.sebab}`);
    return text === `sk.sebab.${d.sebab}` ? d.alasan : text;
  }

  function dilewati(s) {
    if (!s.dilewati.length) return null;
    return section(
      skt('sk.dilewati'),
      'skenario-dilewati',
      h(
        'ul',
        { className: 'sk-dilewati' },
        s.dilewati.map((d) => h('li', { testid: 'skenario-dilewati-row', attrs: { 'data-kegiatan': d.kegiatan } }, h('strong', { text: d.nama ? `${d.nama} (${d.kegiatan})` : d.kegiatan }), ` ${sebab(d)}`)),
      ),
    );
  }

  function render() {
    kicker.textContent = skt('sk.kicker');
    title.textContent = skt('sk.title');
    closeButton.setAttribute('aria-label', t('panel.close'));
    if (!auth?.user()) {
      root.dataset.state = 'anon';
      body.replaceChildren(h('p', { className: 'panel-note', testid: 'skenario-masuk', text: skt('sk.masuk') }));
      return;
    }
    root.dataset.state = hasil ? 'hasil' : 'form';
    body.replaceChildren(formNodes(), ...(hasil ? [totals(hasil), terpilih(hasil), perLokasi(hasil), dilewati(hasil)].filter(Boolean) : []));
  }

  async function hitung() {
    const q = question();
    if (form.mode === 'total' ? !(q.anggaran_rp > 0) : !Object.keys(q.anggaran).length) {
      errors.show(skt('sk.kosong'));
      return;
    }
    running = true;
    render();
    try {
      hasil = await api.skenario(q);
      asked = q;
      geometri = new Map();
      try {
        geometri = await geometriLokasi(hasil.per_lokasi, api.lokasi);
      } catch (err) {
        // The table and the main map still show the answer.
        errors.show(err);
      }
      view = 'sesudah';
      apply();
    } catch (err) {
      if (err.status === 401) auth?.expired();
      errors.show(err);
    } finally {
      running = false;
      render();
    }
  }

  // The workbook of the same question (a POST: fetched, then handed to the browser).
  async function unduh() {
    if (!asked) return;
    try {
      const blob = await api.skenarioXlsx(asked);
      const url = URL.createObjectURL(blob);
      const a = h('a', { attrs: { href: url, download: 'skenario-anggaran.xlsx' } });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      errors.show(err);
    }
  }

  // The locations of the answer in their class before or after, while the panel is open.
  function apply() {
    if (!root.hidden && hasil) colours.show(hasil.per_lokasi, view);
    else colours.clear();
  }

  function open() {
    onOpen?.();
    root.hidden = false;
    toggle.setAttribute('aria-pressed', 'true');
    document.body.classList.add('panel-open');
    render();
    apply();
  }

  function close() {
    if (root.hidden) return;
    root.hidden = true;
    toggle.setAttribute('aria-pressed', 'false');
    document.body.classList.remove('panel-open');
    apply();
  }

  closeButton.addEventListener('click', close);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !root.hidden && !e.defaultPrevented) close();
  });
  onLangChange(() => root.hidden || render());
  // Signing in or out changes what may be shown; an answer is not kept for another user.
  auth?.onChange(() => {
    hasil = null;
    asked = null;
    geometri = new Map();
    apply();
    if (!root.hidden) render();
  });

  return {
    open,
    close,
    toggle: () => (root.hidden ? open() : close()),
    apply,
  };
}
