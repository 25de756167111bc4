// The siteplan panel's list of siteplans (filterable by desa), the form for a new one, the
// back button and the message box the other views share.
import { h } from '../dom.js';
import { st } from './i18n.js';

export function createListViews(sp) {
  const { state, auth, body, kicker, title, layers } = sp;

  function message() {
    const m = state.message;
    const box = h('div', { className: 'sp-message', testid: 'siteplan-message', attrs: { role: 'status', 'aria-live': 'polite' } });
    if (!m) {
      box.hidden = true;
      return box;
    }
    box.className = `sp-message sp-message-${m.kind}`;
    box.dataset.kind = m.kind;
    box.append(h('p', { text: m.text }));
    if (m.detail) box.append(h('p', { className: 'sp-message-detail', text: m.detail }));
    if (m.kind === 'stale') {
      box.append(h('button', { className: 'sp-btn', testid: 'siteplan-reload', attrs: { type: 'button' }, on: { click: () => sp.reloadLatest() } }, st('sp.simpan.reload')));
    }
    return box;
  }
  function renderMessage() {
    const old = body.querySelector('.sp-message');
    if (old) old.replaceWith(sp.message());
    else body.prepend(sp.message());
    body.querySelector('.sp-message:not([hidden])')?.scrollIntoView({ block: 'nearest' });
  }

  function renderList() {
    kicker.textContent = st('sp.kicker');
    title.textContent = state.title ? `${st('sp.title')} · ${state.title}` : st('sp.title');
    const items = (state.list ?? []).filter((s) => !state.filter || s.kode_desa === state.filter);
    const filter = h(
      'label',
      { className: 'sp-field' },
      h('span', { text: st('sp.filter') }),
      h(
        'select',
        { testid: 'siteplan-filter', on: { change: (e) => {
            state.filter = e.target.value;
            sp.render();
          } } },
        h('option', { text: st('sp.filter.all'), attrs: { value: '' } }),
        state.desa.map((d) => h('option', { text: d.nama, attrs: { value: d.kode, selected: d.kode === state.filter } })),
      ),
    );
    const list = h('ul', { className: 'sp-list', testid: 'siteplan-list' });
    for (const s of items) {
      list.append(
        h(
          'li',
          {},
          h(
            'button',
            { className: 'sp-item', testid: 'siteplan-item', attrs: { type: 'button', 'data-id': s.id }, on: { click: () => sp.openSiteplan(s.id) } },
            h('span', { className: 'sp-item-title', text: s.judul }),
            h(
              'span',
              { className: 'sp-item-meta' },
              `${sp.desaName(s.kode_desa)} · `,
              h('span', { className: `sp-status sp-status-${s.status}`, text: st(`status.${s.status}`) }),
              ` · ${st('sp.versi.n', { n: s.versi })} · ${st('sp.fitur.n', { n: s.jumlah_fitur })}`,
              s.contoh ? h('span', { className: 'sp-badge', text: st('sp.contoh') }) : null,
            ),
          ),
        ),
      );
    }
    const u = auth.user();
    const nodes = [sp.message(), filter];
    if (u) nodes.unshift(h('p', { className: 'panel-note sp-signed-in', testid: 'siteplan-user', text: st('sp.signed_in', { user: u.username, role: st(`auth.role.${u.role}`) }) }));
    if (state.loading && !state.list) nodes.push(h('p', { className: 'panel-note', text: st('sp.loading') }));
    else if (!items.length) nodes.push(h('p', { className: 'panel-note', testid: 'siteplan-none', text: st('sp.none') }));
    nodes.push(list);
    if (sp.writableDesa().length) {
      nodes.push(
        h(
          'div',
          { className: 'sp-section' },
          h(
            'button',
            { className: 'sp-btn sp-btn-primary sp-btn-wide', testid: 'siteplan-new', attrs: { type: 'button' }, on: { click: () => {
                state.view = 'new';
                state.message = null;
                sp.render();
              } } },
            `+ ${st('sp.new')}`,
          ),
        ),
      );
    } else if (!auth.user()) nodes.push(h('p', { className: 'panel-note', testid: 'siteplan-signin-hint', text: st('sp.signin.hint') }));
    body.replaceChildren(...nodes);
  }

  function renderNew() {
    kicker.textContent = st('sp.kicker');
    title.textContent = st('sp.new');
    const desa = sp.writableDesa();
    const pick = state.filter && desa.some((d) => d.kode === state.filter) ? state.filter : desa[0]?.kode;
    const form = h(
      'form',
      { className: 'sp-form', testid: 'siteplan-new-form' },
      h(
        'label',
        { className: 'sp-field' },
        h('span', { text: st('sp.new.desa') }),
        h(
          'select',
          { testid: 'siteplan-new-desa', attrs: { name: 'desa', required: true } },
          desa.map((d) => h('option', { text: `${d.nama} (${d.kode})`, attrs: { value: d.kode, selected: d.kode === pick } })),
        ),
      ),
      h(
        'label',
        { className: 'sp-field' },
        h('span', { text: st('sp.new.judul') }),
        h('input', { testid: 'siteplan-new-judul', attrs: { name: 'judul', required: true, maxlength: 200, value: st('sp.new.judul.default', { desa: sp.desaName(pick) }) } }),
      ),
      h(
        'label',
        { className: 'sp-field' },
        h('span', { text: st('sp.new.keterangan') }),
        h('textarea', { attrs: { name: 'keterangan', rows: 2, maxlength: 2000 } }),
      ),
      h(
        'div',
        { className: 'sp-row' },
        h('button', { className: 'sp-btn sp-btn-primary', testid: 'siteplan-new-submit', attrs: { type: 'submit' } }, st('sp.new.submit')),
        h(
          'button',
          { className: 'sp-btn', attrs: { type: 'button' }, on: { click: () => {
              state.view = 'list';
              state.message = null;
              sp.render();
            } } },
          st('sp.new.cancel'),
        ),
      ),
    );
    form.elements.desa.addEventListener('change', () => {
      form.elements.judul.value = st('sp.new.judul.default', { desa: sp.desaName(form.elements.desa.value) });
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      sp.create(form);
    });
    body.replaceChildren(sp.backButton(), sp.message(), form);
  }

  function backButton() {
    return h(
      'button',
      { className: 'sp-link sp-back', testid: 'siteplan-back', attrs: { type: 'button' }, on: { click: () => {
          if (state.editing) {
            if (sp.editor.dirty() && !window.confirm(st('sp.edit.discard'))) return;
            sp.stopEditing();
          }
          state.view = 'list';
          state.detail = null;
          state.message = null;
          layers.setData(null);
          if (!state.list) sp.loadList();
          sp.render();
        } } },
      st('sp.back'),
    );
  }

  return { message, renderMessage, renderList, renderNew, backButton };
}
