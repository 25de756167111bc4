// The siteplan panel's view of one siteplan: status, version, actions and downloads, the
// outside-desa warnings, its features, the legend of the categories and the version
// history (view an older version, restore it).
import { h } from '../dom.js';
import { api } from '../api.js';
import { st, when } from './i18n.js';
import { catLabel, GEOMETRI_OF_TYPE, swatch, sizeText, luarText } from './util.js';

export function createDetailView(sp) {
  const { state, auth, body, kicker, title } = sp;

  function renderDetail() {
    const d = state.detail;
    kicker.textContent = `${st('sp.kicker')} · ${sp.desaName(d.kode_desa)}`;
    title.textContent = d.judul;
    const old = d.versi !== d.versi_terkini;
    const writer = auth.canWrite(d.kode_desa);

    const head = h('div', { className: 'sp-section sp-meta', testid: 'siteplan-detail', attrs: { 'data-id': d.id, 'data-versi': d.versi } });
    const dl = h(
      'dl',
      {},
      h('dt', { text: st('sp.desa') }),
      h('dd', { text: `${sp.desaName(d.kode_desa)} (${d.kode_desa})` }),
      h('dt', { text: st('sp.status') }),
      h(
        'dd',
        {},
        writer && !state.editing && !old
          ? h(
              'select',
              { testid: 'siteplan-status', attrs: { 'aria-label': st('sp.status.change') }, on: { change: (e) => sp.changeStatus(e.target.value) } },
              ['draf', 'diusulkan', 'ditetapkan'].map((s) => h('option', { text: st(`status.${s}`), attrs: { value: s, selected: s === d.status } })),
            )
          : h('span', { className: `sp-status sp-status-${d.status}`, testid: 'siteplan-status-text', text: st(`status.${d.status}`) }),
        d.contoh ? h('span', { className: 'sp-badge', text: st('sp.contoh') }) : null,
      ),
      h('dt', { text: st('sp.versi') }),
      h('dd', { testid: 'siteplan-versi', text: st('sp.versi.of', { v: d.versi, n: d.versi_terkini }) }),
    );
    head.append(dl);
    if (d.keterangan) head.append(h('p', { className: 'sp-keterangan', text: d.keterangan }));

    // While drawing, messages show in the save bar at the bottom (always in view).
    const nodes = [sp.backButton(), ...(state.editing ? [] : [sp.message()]), head];
    if (old) {
      nodes.push(
        h(
          'div',
          { className: 'sp-viewing', testid: 'siteplan-viewing' },
          h('p', { text: st('sp.viewing', { v: d.versi }) }),
          h(
            'div',
            { className: 'sp-row' },
            h('button', { className: 'sp-btn', attrs: { type: 'button' }, on: { click: () => sp.openSiteplan(d.id, { fit: false }) } }, st('sp.viewing.back')),
            writer ? h('button', { className: 'sp-btn', testid: 'siteplan-restore-this', attrs: { type: 'button' }, on: { click: () => sp.restore(d.versi) } }, st('sp.pulihkan')) : null,
          ),
        ),
      );
    }

    // Actions
    const actions = h('div', { className: 'sp-row sp-actions' });
    if (!state.editing && sp.canEdit()) {
      actions.append(h('button', { className: 'sp-btn sp-btn-primary', testid: 'siteplan-edit', attrs: { type: 'button' }, on: { click: () => sp.startEditing() } }, `✎ ${st('sp.edit')}`));
    }
    actions.append(
      h(
        'button',
        { className: 'sp-btn', testid: 'siteplan-print-button', attrs: { type: 'button' }, on: { click: () => sp.print() } },
        st('sp.cetak'),
      ),
      h(
        'span',
        { className: 'sp-downloads' },
        `${st('sp.unduh')}: `,
        h('a', { className: 'sp-btn sp-btn-small', testid: 'siteplan-geojson', attrs: { href: api.siteplanDownloadUrl(d.id, 'geojson', old ? d.versi : undefined), download: `${d.id}.geojson` } }, 'GeoJSON'),
        h('a', { className: 'sp-btn sp-btn-small', testid: 'siteplan-gpkg', attrs: { href: api.siteplanDownloadUrl(d.id, 'gpkg', old ? d.versi : undefined), download: `${d.id}.gpkg` } }, 'GPKG'),
      ),
    );
    nodes.push(actions);
    if (!state.editing && !sp.canEdit()) {
      let why = null;
      if (!auth.user()) why = st('sp.signin.hint');
      else if (!writer) why = st('sp.readonly.role');
      else if (d.status !== 'draf' && !old) why = st('sp.readonly.status');
      if (why) nodes.push(h('p', { className: 'panel-note', testid: 'siteplan-readonly', text: why }));
    }

    if (state.editing) nodes.push(sp.editorSection(), sp.saveBar());

    // Outside-desa warnings
    if (state.luar.size) {
      const ul = h('ul', { className: 'sp-luar', testid: 'siteplan-luar' });
      for (const w of state.luar.values()) {
        const f = d.fitur.features.find((x) => x.properties.id === w.id);
        ul.append(
          h(
            'li',
            {},
            h('button', { className: 'sp-link', attrs: { type: 'button' }, on: { click: () => sp.focusFitur(w.id) } }, `⚠ ${sp.fiturName(f) || w.id}`),
            ': ',
            luarText(w),
          ),
        );
      }
      nodes.push(h('section', { className: 'sp-section' }, h('h3', { text: st('sp.luar.title') }), ul));
    }

    // Features (of the shown version; while drawing they are in Terra Draw)
    if (!state.editing) {
      const ul = h('ul', { className: 'sp-fitur-list', testid: 'siteplan-fitur' });
      for (const f of d.fitur.features) {
        const id = f.properties.id;
        const k = state.kategori.get(f.properties.kategori);
        const luar = state.luar.get(id);
        ul.append(
          h(
            'li',
            { className: state.selectedFitur === id ? 'sp-sel' : null, attrs: { 'data-fitur': id } },
            h(
              'button',
              { className: 'sp-fitur', testid: 'fitur-row', attrs: { type: 'button' }, on: { click: () => sp.focusFitur(id) } },
              swatch(k?.simbol?.warna ?? f.properties.warna ?? '#666', GEOMETRI_OF_TYPE[f.geometry.type]),
              h(
                'span',
                { className: 'sp-fitur-text' },
                h('span', { className: 'sp-fitur-name', text: sp.fiturName(f) }),
                h('span', { className: 'sp-fitur-size', text: sizeText(f.properties.ukuran) }),
                f.properties.catatan && state.selectedFitur === id ? h('span', { className: 'sp-fitur-note', text: f.properties.catatan }) : null,
              ),
              luar ? h('span', { className: 'sp-warn', text: '⚠', attrs: { title: luarText(luar) } }) : null,
            ),
          ),
        );
      }
      nodes.push(
        h(
          'section',
          { className: 'sp-section' },
          h('h3', { text: `${st('sp.fitur')} (${d.fitur.features.length})` }),
          d.fitur.features.length ? ul : h('p', { className: 'sp-note', text: st('sp.fitur.none') }),
        ),
      );
    }

    // Legend
    const legend = h('ul', { className: 'sp-legend', testid: 'siteplan-legend' });
    for (const k of state.kategori.values()) {
      legend.append(
        h(
          'li',
          { testid: 'legend-item', attrs: { 'data-kategori': k.id } },
          swatch(k.simbol?.warna ?? '#666', k.geometri?.[0]),
          h('span', { text: catLabel(k, k.id) }),
          h('span', { className: 'sp-legend-geom', text: (k.geometri ?? []).map((g) => st(`geom.${g}`)).join(', ') }),
        ),
      );
    }
    nodes.push(h('details', { className: 'sp-section sp-legend-box', attrs: { open: !state.editing } }, h('summary', { text: st('sp.legend') }), legend));

    // History
    const hist = h('ol', { className: 'sp-riwayat', testid: 'siteplan-riwayat', attrs: { reversed: true } });
    for (const r of [...d.riwayat].reverse()) {
      const current = r.versi === d.versi_terkini;
      hist.append(
        h(
          'li',
          { testid: 'riwayat-row', className: r.versi === d.versi ? 'sp-sel' : null, attrs: { 'data-versi': r.versi } },
          h(
            'div',
            { className: 'sp-riwayat-text' },
            h('strong', { text: st('sp.riwayat.item', { v: r.versi }) }),
            current ? h('span', { className: 'sp-badge', text: st('sp.riwayat.current') }) : null,
            h('span', { className: 'sp-riwayat-meta', text: ` ${r.dibuat_oleh} · ${when(r.waktu)} · ${st('sp.fitur.n', { n: r.jumlah_fitur })}` }),
            r.dipulihkan_dari ? h('span', { className: 'sp-riwayat-meta', text: ` · ${st('sp.riwayat.restored', { v: r.dipulihkan_dari })}` }) : null,
            r.catatan ? h('span', { className: 'sp-riwayat-note', text: r.catatan }) : null,
          ),
          h(
            'div',
            { className: 'sp-row' },
            r.versi !== d.versi && !state.editing
              ? h('button', { className: 'sp-btn sp-btn-small', testid: 'riwayat-lihat', attrs: { type: 'button' }, on: { click: () => sp.openSiteplan(d.id, { versi: current ? undefined : r.versi, fit: false }) } }, st('sp.lihat'))
              : null,
            writer && !current && !state.editing
              ? h('button', { className: 'sp-btn sp-btn-small', testid: 'riwayat-pulihkan', attrs: { type: 'button' }, on: { click: () => sp.restore(r.versi) } }, st('sp.pulihkan'))
              : null,
          ),
        ),
      );
    }
    nodes.push(h('section', { className: 'sp-section' }, h('h3', { text: st('sp.riwayat') }), hist));
    body.replaceChildren(...nodes);
  }

  return { renderDetail };
}
