// The siteplan editor of the viewer: a sign-in control in the header, a "Siteplan"
// button on the map and the `#siteplan-panel` with the list of siteplans of the home
// area, one siteplan on the map (categories coloured, outside-desa warnings in red),
// its legend, version history (view, restore), status, drawing with Terra Draw (for a
// user who may write the desa, on a draft), saving with the version read (409 when
// someone saved since) and an A4 print view.
//
// main.js calls initSiteplan(map) once; everything else lives in this folder.
import './siteplan.css';
import { createErrorBanner } from '../errors.js';
import { api } from '../api.js';
import { createAuth } from './auth.js';
import { st, onLangChange, num, when } from './i18n.js';
import { createSiteplanLayers, SP_LAYERS } from './layers.js';
import { createEditor, MODES } from './editor.js';
import { measure } from './geodesic.js';
import { openPrint } from './print.js';
import { geometryBounds, catLabel, GEOMETRI_OF_TYPE, swatch } from './util.js';
import { h } from '../dom.js';

const OTHER_PANELS = ['panel', 'lokasi-panel', 'segmen-panel'];
const MODE_ORDER = ['select', 'point', 'linestring', 'polygon'];

export function initSiteplan(map, { errors = createErrorBanner() } = {}) {
  const state = {
    home: null,
    kategori: new Map(), // id -> category
    desa: [], // [{kode, nama}]
    list: null,
    filter: '',
    view: 'list', // list | new | detail
    detail: null, // the siteplan shown
    luar: new Map(), // feature id -> warning
    editing: false,
    kategoriPilih: null,
    selectedFitur: null,
    drawingMeasure: null,
    message: null, // {kind: ok|error|stale, text}
    loading: false,
  };
  const layers = createSiteplanLayers(map);
  const editor = createEditor({
    map,
    category: () => state.kategori.get(state.kategoriPilih),
    colorOf: (id) => state.kategori.get(id)?.simbol?.warna ?? '#666666',
    onEvent: onEditorEvent,
  });
  const auth = createAuth({ errors, onChange: () => onUserChange() });

  // ---- DOM -------------------------------------------------------------------------
  const panel = h(
    'aside',
    { className: 'panel sp-panel', testid: 'siteplan-panel', attrs: { id: 'siteplan-panel', 'aria-labelledby': 'siteplan-name', hidden: true } },
    h(
      'div',
      { className: 'panel-head' },
      h('div', {}, h('p', { className: 'panel-kicker sp-kicker' }), h('h2', { testid: 'siteplan-name', attrs: { id: 'siteplan-name' } })),
      h('button', { className: 'panel-close', testid: 'siteplan-close', attrs: { type: 'button' } }, '×'),
    ),
    h('div', { className: 'panel-body sp-body' }),
  );
  document.body.append(panel);
  const body = panel.querySelector('.sp-body');
  const title = panel.querySelector('h2');
  const kicker = panel.querySelector('.sp-kicker');
  const closeBtn = panel.querySelector('.panel-close');

  // The map button that opens the panel.
  const toggle = h('button', { className: 'sp-toggle', testid: 'siteplan-toggle', attrs: { type: 'button' } });
  const control = {
    onAdd() {
      const c = h('div', { className: 'maplibregl-ctrl maplibregl-ctrl-group sp-ctrl' }, toggle);
      return c;
    },
    onRemove() {},
  };
  map.addControl(control, 'top-right');
  toggle.addEventListener('click', () => (panel.hidden ? openPanel() : closePanel()));
  closeBtn.addEventListener('click', () => closePanel());

  function openPanel() {
    for (const id of OTHER_PANELS) {
      const p = document.getElementById(id);
      if (p && !p.hidden) p.querySelector('.panel-close')?.click();
    }
    panel.hidden = false;
    document.body.classList.add('sp-panel-open');
    toggle.setAttribute('aria-pressed', 'true');
    if (!state.list) loadList();
    render();
  }
  function closePanel({ keep = false } = {}) {
    if (state.editing && !keep) {
      if (editor.dirty() && !window.confirm(st('sp.edit.discard'))) return;
      stopEditing();
    }
    panel.hidden = true;
    document.body.classList.remove('sp-panel-open');
    toggle.setAttribute('aria-pressed', 'false');
  }
  // Another panel opening (e.g. from the search) hides this one; its state stays.
  const observer = new MutationObserver(() => {
    if (panel.hidden) return;
    if (OTHER_PANELS.some((id) => document.getElementById(id)?.hidden === false)) closePanel({ keep: true });
  });
  for (const id of OTHER_PANELS) {
    const p = document.getElementById(id);
    if (p) observer.observe(p, { attributes: true, attributeFilter: ['hidden'] });
  }

  // Clicks on the map: while drawing they belong to Terra Draw only; with a siteplan
  // open, a click on one of its features shows it here instead of opening the desa.
  map.getContainer().addEventListener(
    'click',
    (e) => {
      if (state.editing) {
        e.stopPropagation();
        return;
      }
      if (panel.hidden || !state.detail) return;
      const rect = map.getCanvas().getBoundingClientRect();
      const hit = layers.hit([e.clientX - rect.left, e.clientY - rect.top]);
      const id = hit[0]?.properties?.id;
      if (id) {
        e.stopPropagation();
        showFitur(id);
      }
    },
    true,
  );
  document.addEventListener('keydown', (e) => {
    if (!state.editing) return;
    const t = e.target;
    const typing = t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && !typing) {
      e.preventDefault();
      editor.undo();
    }
  });
  window.addEventListener('beforeunload', (e) => {
    if (state.editing && editor.dirty()) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  onLangChange(() => render());

  // ---- data ------------------------------------------------------------------------
  const boot = (async () => {
    const [config, kategori] = await Promise.all([api.config(), api.siteplanKategori()]);
    state.home = config.home ?? null;
    state.title = config.title ?? '';
    for (const k of kategori) state.kategori.set(k.id, k);
    state.kategoriPilih = kategori[0]?.id ?? null;
    if (state.home?.kode) {
      try {
        const labels = await api.labels('desa', state.home.kode);
        state.desa = (labels.features ?? [])
          .map((f) => ({ kode: f.properties.kode, nama: f.properties.nama }))
          .sort((a, b) => a.nama.localeCompare(b.nama, 'id'));
      } catch (err) {
        console.warn('[kumuh] desa list', err);
      }
    }
    await auth.ready;
    render();
    document.body.dataset.siteplanReady = '1';
  })().catch((err) => errors.show(err));

  const desaName = (kode) => state.desa.find((d) => d.kode === kode)?.nama ?? kode;
  const writableDesa = () => state.desa.filter((d) => auth.canWrite(d.kode));

  async function loadList() {
    await boot;
    state.loading = true;
    render();
    try {
      state.list = await api.siteplans(state.home?.kode ?? undefined);
    } catch (err) {
      errors.show(err);
      state.list = [];
    } finally {
      state.loading = false;
      render();
    }
  }

  async function openSiteplan(id, { versi, fit = true } = {}) {
    await boot;
    state.loading = true;
    state.message = null;
    render();
    try {
      const d = await api.siteplan(id, versi);
      showDetail(d, { fit });
    } catch (err) {
      errors.show(err);
    } finally {
      state.loading = false;
      render();
    }
  }

  function showDetail(d, { fit = true } = {}) {
    state.detail = d;
    state.view = 'detail';
    state.selectedFitur = null;
    state.luar = new Map((d.di_luar_desa ?? []).map((w) => [w.id, w]));
    layers.setSelected(null);
    drawDetail();
    if (fit) fitTo(d);
  }

  // The shown version on the map, with the outside-desa flag.
  function drawDetail() {
    const d = state.detail;
    if (!d || state.editing) {
      layers.setData(state.editing ? luarOnly() : null);
      return;
    }
    const features = d.fitur.features.map((f) => ({
      ...f,
      properties: {
        ...f.properties,
        warna: f.properties.warna ?? state.kategori.get(f.properties.kategori)?.simbol?.warna,
        luar: state.luar.has(f.properties.id),
      },
    }));
    layers.setData({ type: 'FeatureCollection', features });
  }
  // While drawing, Terra Draw draws the features; the outside-desa outlines stay.
  function luarOnly() {
    const d = state.detail;
    const features = (d?.fitur.features ?? [])
      .filter((f) => state.luar.has(f.properties.id))
      .map((f) => ({ ...f, properties: { id: f.properties.id, luar: true, warna: 'rgba(0,0,0,0)' } }));
    return { type: 'FeatureCollection', features };
  }

  async function fitTo(d) {
    let bounds = geometryBounds(d.fitur.features.map((f) => f.geometry));
    if (!bounds) {
      try {
        const place = await api.place(d.kode_desa);
        bounds = geometryBounds([place.geometry]);
      } catch {
        return;
      }
    }
    if (bounds) map.fitBounds(bounds, { padding: padding(), maxZoom: 18, duration: 600 });
  }
  function padding() {
    const narrow = window.matchMedia('(max-width: 640px)').matches;
    if (narrow) return { top: 40, left: 30, right: 30, bottom: Math.round(window.innerHeight * 0.5) };
    const w = panel.hidden ? 0 : panel.offsetWidth;
    return { top: 60, left: 60, bottom: 60, right: w + 60 };
  }

  function onUserChange() {
    // Signed out (or the session expired) while drawing: unsaved work stays in the
    // editor, to be saved after signing in again.
    if (state.editing && (!state.detail || !auth.canWrite(state.detail.kode_desa)) && !editor.dirty()) stopEditing();
    if (state.view === 'new' && !writableDesa().length) state.view = 'list';
    render();
  }

  // ---- editing -----------------------------------------------------------------------
  const canEdit = () => {
    const d = state.detail;
    return Boolean(d) && auth.canWrite(d.kode_desa) && d.status === 'draf' && d.versi === d.versi_terkini;
  };

  async function startEditing() {
    if (!canEdit()) return;
    state.editing = true;
    state.message = null;
    state.selectedFitur = null;
    drawDetail();
    render();
    await editor.start(state.detail.fitur);
    render();
  }
  function stopEditing() {
    editor.stop();
    state.editing = false;
    state.selectedFitur = null;
    state.drawingMeasure = null;
    drawDetail();
    render();
  }

  function onEditorEvent(e) {
    switch (e.type) {
      case 'drawing':
        state.drawingMeasure = measure(e.feature.geometry);
        renderMeasure();
        return;
      case 'select':
        state.selectedFitur = e.id;
        state.drawingMeasure = null;
        {
          const f = editor.selected();
          if (f?.properties?.kategori) state.kategoriPilih = f.properties.kategori;
        }
        renderEditor();
        return;
      case 'deselect':
        state.selectedFitur = null;
        renderEditor();
        return;
      case 'mode':
        state.drawingMeasure = null;
        renderEditor();
        return;
      case 'history':
        renderEditorButtons();
        return;
      case 'change':
        renderMeasure();
        renderEditorButtons();
        return;
      default:
    }
  }

  async function save() {
    const d = state.detail;
    const fc = editor.collection();
    const note = body.querySelector('[data-testid="simpan-catatan"]')?.value.trim() || undefined;
    if (!editor.dirty()) {
      state.message = { kind: 'ok', text: st('sp.simpan.nothing') };
      renderMessage();
      return;
    }
    const button = body.querySelector('[data-testid="siteplan-save"]');
    if (button) button.disabled = true;
    try {
      const res = await api.saveSiteplanFitur(d.id, { versi: d.versi, fitur: fc, catatan: note });
      state.detail = res;
      state.luar = new Map((res.di_luar_desa ?? []).map((w) => [w.id, w]));
      editor.markSaved(res.fitur);
      drawDetail();
      state.message = { kind: 'ok', text: st('sp.simpan.done', { v: res.versi }) };
      state.list = null;
      render();
    } catch (err) {
      handleWriteError(err);
    } finally {
      if (button) button.disabled = false;
    }
  }

  function handleWriteError(err) {
    if (err.status === 409) state.message = { kind: 'stale', text: st('sp.simpan.stale'), detail: err.message };
    else if (err.status === 401) {
      auth.expired();
      state.message = { kind: 'error', text: st('sp.unauth') };
    } else if (err.status === 403) state.message = { kind: 'error', text: st('sp.forbidden'), detail: err.message };
    else state.message = { kind: 'error', text: st('sp.simpan.error', { message: err.message }) };
    render();
  }

  async function reloadLatest() {
    const d = state.detail;
    if (state.editing) stopEditing();
    await openSiteplan(d.id, { fit: false });
  }

  async function restore(v) {
    const d = state.detail;
    if (!window.confirm(st('sp.pulihkan.confirm', { v }))) return;
    try {
      const res = await api.restoreSiteplan(d.id, v, d.versi_terkini);
      showDetail(res, { fit: false });
      state.message = { kind: 'ok', text: st('sp.pulihkan.done', { v, n: res.versi }) };
      state.list = null;
      render();
    } catch (err) {
      handleWriteError(err);
    }
  }

  async function changeStatus(status) {
    const d = state.detail;
    try {
      const res = await api.updateSiteplan(d.id, { versi: d.versi_terkini, status });
      showDetail(res, { fit: false });
      state.list = null;
      render();
    } catch (err) {
      handleWriteError(err);
    }
  }

  async function create(form) {
    const kode = form.elements.desa.value;
    const judul = form.elements.judul.value.trim();
    const keterangan = form.elements.keterangan.value.trim() || undefined;
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      const res = await api.createSiteplan({ kode_desa: kode, judul, keterangan });
      state.list = null;
      showDetail(res);
      render();
      loadList();
    } catch (err) {
      state.message = { kind: 'error', text: err.message };
      renderMessage();
      if (err.status === 401) auth.expired();
    } finally {
      submit.disabled = false;
    }
  }

  function showFitur(id) {
    state.selectedFitur = id;
    layers.setSelected(id);
    render();
    body.querySelector(`[data-fitur="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  // ---- rendering ---------------------------------------------------------------------
  function render() {
    toggle.textContent = st('sp.button');
    toggle.title = st('sp.button.title');
    toggle.setAttribute('aria-label', st('sp.button.title'));
    closeBtn.setAttribute('aria-label', st('sp.close'));
    if (panel.hidden) return;
    if (state.view === 'detail' && state.detail) renderDetail();
    else if (state.view === 'new') renderNew();
    else renderList();
  }

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
      box.append(h('button', { className: 'sp-btn', testid: 'siteplan-reload', attrs: { type: 'button' }, on: { click: () => reloadLatest() } }, st('sp.simpan.reload')));
    }
    return box;
  }
  function renderMessage() {
    const old = body.querySelector('.sp-message');
    if (old) old.replaceWith(message());
    else body.prepend(message());
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
            render();
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
            { className: 'sp-item', testid: 'siteplan-item', attrs: { type: 'button', 'data-id': s.id }, on: { click: () => openSiteplan(s.id) } },
            h('span', { className: 'sp-item-title', text: s.judul }),
            h(
              'span',
              { className: 'sp-item-meta' },
              `${desaName(s.kode_desa)} · `,
              h('span', { className: `sp-status sp-status-${s.status}`, text: st(`status.${s.status}`) }),
              ` · ${st('sp.versi.n', { n: s.versi })} · ${st('sp.fitur.n', { n: s.jumlah_fitur })}`,
              s.contoh ? h('span', { className: 'sp-badge', text: st('sp.contoh') }) : null,
            ),
          ),
        ),
      );
    }
    const u = auth.user();
    const nodes = [message(), filter];
    if (u) nodes.unshift(h('p', { className: 'panel-note sp-signed-in', testid: 'siteplan-user', text: st('sp.signed_in', { user: u.username, role: st(`auth.role.${u.role}`) }) }));
    if (state.loading && !state.list) nodes.push(h('p', { className: 'panel-note', text: st('sp.loading') }));
    else if (!items.length) nodes.push(h('p', { className: 'panel-note', testid: 'siteplan-none', text: st('sp.none') }));
    nodes.push(list);
    if (writableDesa().length) {
      nodes.push(
        h(
          'div',
          { className: 'sp-section' },
          h(
            'button',
            { className: 'sp-btn sp-btn-primary sp-btn-wide', testid: 'siteplan-new', attrs: { type: 'button' }, on: { click: () => {
                state.view = 'new';
                state.message = null;
                render();
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
    const desa = writableDesa();
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
        h('input', { testid: 'siteplan-new-judul', attrs: { name: 'judul', required: true, maxlength: 200, value: st('sp.new.judul.default', { desa: desaName(pick) }) } }),
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
              render();
            } } },
          st('sp.new.cancel'),
        ),
      ),
    );
    form.elements.desa.addEventListener('change', () => {
      form.elements.judul.value = st('sp.new.judul.default', { desa: desaName(form.elements.desa.value) });
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      create(form);
    });
    body.replaceChildren(backButton(), message(), form);
  }

  function backButton() {
    return h(
      'button',
      { className: 'sp-link sp-back', testid: 'siteplan-back', attrs: { type: 'button' }, on: { click: () => {
          if (state.editing) {
            if (editor.dirty() && !window.confirm(st('sp.edit.discard'))) return;
            stopEditing();
          }
          state.view = 'list';
          state.detail = null;
          state.message = null;
          layers.setData(null);
          if (!state.list) loadList();
          render();
        } } },
      st('sp.back'),
    );
  }

  function renderDetail() {
    const d = state.detail;
    kicker.textContent = `${st('sp.kicker')} · ${desaName(d.kode_desa)}`;
    title.textContent = d.judul;
    const old = d.versi !== d.versi_terkini;
    const writer = auth.canWrite(d.kode_desa);

    const head = h('div', { className: 'sp-section sp-meta', testid: 'siteplan-detail', attrs: { 'data-id': d.id, 'data-versi': d.versi } });
    const dl = h(
      'dl',
      {},
      h('dt', { text: st('sp.desa') }),
      h('dd', { text: `${desaName(d.kode_desa)} (${d.kode_desa})` }),
      h('dt', { text: st('sp.status') }),
      h(
        'dd',
        {},
        writer && !state.editing && !old
          ? h(
              'select',
              { testid: 'siteplan-status', attrs: { 'aria-label': st('sp.status.change') }, on: { change: (e) => changeStatus(e.target.value) } },
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
    const nodes = [backButton(), ...(state.editing ? [] : [message()]), head];
    if (old) {
      nodes.push(
        h(
          'div',
          { className: 'sp-viewing', testid: 'siteplan-viewing' },
          h('p', { text: st('sp.viewing', { v: d.versi }) }),
          h(
            'div',
            { className: 'sp-row' },
            h('button', { className: 'sp-btn', attrs: { type: 'button' }, on: { click: () => openSiteplan(d.id, { fit: false }) } }, st('sp.viewing.back')),
            writer ? h('button', { className: 'sp-btn', testid: 'siteplan-restore-this', attrs: { type: 'button' }, on: { click: () => restore(d.versi) } }, st('sp.pulihkan')) : null,
          ),
        ),
      );
    }

    // Actions
    const actions = h('div', { className: 'sp-row sp-actions' });
    if (!state.editing && canEdit()) {
      actions.append(h('button', { className: 'sp-btn sp-btn-primary', testid: 'siteplan-edit', attrs: { type: 'button' }, on: { click: () => startEditing() } }, `✎ ${st('sp.edit')}`));
    }
    actions.append(
      h(
        'button',
        { className: 'sp-btn', testid: 'siteplan-print-button', attrs: { type: 'button' }, on: { click: () => print() } },
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
    if (!state.editing && !canEdit()) {
      let why = null;
      if (!auth.user()) why = st('sp.signin.hint');
      else if (!writer) why = st('sp.readonly.role');
      else if (d.status !== 'draf' && !old) why = st('sp.readonly.status');
      if (why) nodes.push(h('p', { className: 'panel-note', testid: 'siteplan-readonly', text: why }));
    }

    if (state.editing) nodes.push(editorSection(), saveBar());

    // Outside-desa warnings
    if (state.luar.size) {
      const ul = h('ul', { className: 'sp-luar', testid: 'siteplan-luar' });
      for (const w of state.luar.values()) {
        const f = d.fitur.features.find((x) => x.properties.id === w.id);
        ul.append(
          h(
            'li',
            {},
            h('button', { className: 'sp-link', attrs: { type: 'button' }, on: { click: () => focusFitur(w.id) } }, `⚠ ${fiturName(f) || w.id}`),
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
              { className: 'sp-fitur', testid: 'fitur-row', attrs: { type: 'button' }, on: { click: () => focusFitur(id) } },
              swatch(k?.simbol?.warna ?? f.properties.warna ?? '#666', GEOMETRI_OF_TYPE[f.geometry.type]),
              h(
                'span',
                { className: 'sp-fitur-text' },
                h('span', { className: 'sp-fitur-name', text: fiturName(f) }),
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
              ? h('button', { className: 'sp-btn sp-btn-small', testid: 'riwayat-lihat', attrs: { type: 'button' }, on: { click: () => openSiteplan(d.id, { versi: current ? undefined : r.versi, fit: false }) } }, st('sp.lihat'))
              : null,
            writer && !current && !state.editing
              ? h('button', { className: 'sp-btn sp-btn-small', testid: 'riwayat-pulihkan', attrs: { type: 'button' }, on: { click: () => restore(r.versi) } }, st('sp.pulihkan'))
              : null,
          ),
        ),
      );
    }
    nodes.push(h('section', { className: 'sp-section' }, h('h3', { text: st('sp.riwayat') }), hist));
    body.replaceChildren(...nodes);
  }

  function editorSection() {
    const box = h('section', { className: 'sp-section sp-editor', testid: 'siteplan-editor' });
    const modes = h('div', { className: 'sp-modes', attrs: { role: 'toolbar' } });
    for (const m of MODE_ORDER) {
      modes.append(
        h(
          'button',
          { className: 'sp-btn sp-mode', testid: `mode-${m}`, attrs: { type: 'button', 'data-mode': m }, on: { click: () => setMode(m) } },
          h('span', { className: `sp-mode-icon sp-mode-icon-${m}`, attrs: { 'aria-hidden': 'true' } }),
          st(`sp.mode.${m}`),
        ),
      );
    }
    const kats = h('div', { className: 'sp-kategori', attrs: { role: 'radiogroup', 'aria-label': st('sp.kategori') } });
    for (const k of state.kategori.values()) {
      kats.append(
        h(
          'button',
          { className: 'sp-kat', testid: `kategori-${k.id}`, attrs: { type: 'button', role: 'radio', 'data-kategori': k.id }, on: { click: () => pickKategori(k.id) } },
          swatch(k.simbol?.warna ?? '#666', k.geometri?.[0]),
          h('span', { className: 'sp-kat-label', text: catLabel(k, k.id) }),
          h('span', { className: 'sp-kat-geom', text: (k.geometri ?? []).map((g) => st(`geom.${g}`)).join(' · ') }),
        ),
      );
    }
    box.append(
      modes,
      h('p', { className: 'sp-hint', testid: 'siteplan-hint' }),
      h('h3', { text: st('sp.kategori') }),
      kats,
      h('div', { className: 'sp-measure', testid: 'siteplan-measure', attrs: { 'aria-live': 'polite' } }),
      h('div', { className: 'sp-selected', testid: 'siteplan-selected' }),
      h(
        'label',
        { className: 'sp-field' },
        h('span', { text: st('sp.simpan.catatan') }),
        h('input', { testid: 'simpan-catatan', attrs: { maxlength: 2000 } }),
      ),
    );
    queueMicrotask(() => {
      renderEditor();
    });
    return box;
  }

  // Undo, delete, save and stop: a bar that stays at the bottom of the panel.
  function saveBar() {
    return h(
      'div',
      { className: 'sp-savebar', testid: 'siteplan-savebar' },
      message(),
      h(
        'div',
        { className: 'sp-row' },
        h('button', { className: 'sp-btn', testid: 'siteplan-undo', attrs: { type: 'button', title: st('sp.undo.title') }, on: { click: () => editor.undo() } }, `↶ ${st('sp.undo')}`),
        h('button', { className: 'sp-btn sp-btn-danger', testid: 'siteplan-delete', attrs: { type: 'button' }, on: { click: () => editor.deleteSelected() } }, st('sp.delete')),
        h('span', { className: 'sp-unsaved', testid: 'siteplan-unsaved', text: st('sp.unsaved') }),
      ),
      h(
        'div',
        { className: 'sp-row' },
        h('button', { className: 'sp-btn sp-btn-primary sp-btn-big', testid: 'siteplan-save', attrs: { type: 'button' }, on: { click: () => save() } }, st('sp.simpan')),
        h(
          'button',
          { className: 'sp-btn sp-btn-big', testid: 'siteplan-edit-stop', attrs: { type: 'button' }, on: { click: () => {
              if (editor.dirty() && !window.confirm(st('sp.edit.discard'))) return;
              stopEditing();
            } } },
          st('sp.edit.stop'),
        ),
      ),
    );
  }

  function allowedModes() {
    const k = state.kategori.get(state.kategoriPilih);
    const g = new Set(k?.geometri ?? []);
    return Object.fromEntries(Object.entries(MODES).map(([m, spec]) => [m, g.has(spec.geometri)]));
  }

  function setMode(m) {
    if (m !== 'select' && !allowedModes()[m]) {
      const k = state.kategori.get(state.kategoriPilih);
      state.message = { kind: 'error', text: st('sp.mode.notallowed', { k: catLabel(k, state.kategoriPilih), g: st(`geom.${MODES[m].geometri}`) }) };
      renderMessage();
      return;
    }
    editor.setMode(m);
  }

  // The category of what is drawn next (the selected feature's own category is changed
  // in its box below, so that picking the next category never recolours the last shape).
  function pickKategori(id) {
    state.kategoriPilih = id;
    // A drawing mode the new category does not allow falls back to select.
    const mode = editor.mode();
    if (MODES[mode] && !allowedModes()[mode]) editor.setMode('select');
    renderEditor();
  }

  function renderEditor() {
    const box = body.querySelector('.sp-editor');
    if (!box) return;
    const mode = editor.mode();
    const allowed = allowedModes();
    for (const b of box.querySelectorAll('.sp-mode')) {
      const m = b.dataset.mode;
      b.setAttribute('aria-pressed', String(m === mode));
      b.disabled = m !== 'select' && !allowed[m];
    }
    for (const b of box.querySelectorAll('.sp-kat')) b.setAttribute('aria-checked', String(b.dataset.kategori === state.kategoriPilih));
    box.querySelector('.sp-hint').textContent = mode && st(`sp.mode.hint.${mode}`) !== `sp.mode.hint.${mode}` ? st(`sp.mode.hint.${mode}`) : '';
    renderSelected();
    renderMeasure();
    renderEditorButtons();
  }

  function renderSelected() {
    const box = body.querySelector('.sp-selected');
    if (!box) return;
    const f = editor.selected();
    if (!f) {
      box.replaceChildren(h('p', { className: 'sp-note', text: st('sp.selected.none') }));
      return;
    }
    const k = state.kategori.get(f.properties.kategori);
    const labelInput = h('input', { testid: 'fitur-label', attrs: { maxlength: 200, value: f.properties.label ?? '' } });
    const noteInput = h('textarea', { testid: 'fitur-catatan', attrs: { rows: 2, maxlength: 2000 } });
    noteInput.value = f.properties.catatan ?? '';
    labelInput.addEventListener('change', () => editor.updateSelected({ label: labelInput.value.trim() }));
    noteInput.addEventListener('change', () => editor.updateSelected({ catatan: noteInput.value.trim() }));
    const luar = state.luar.get(String(f.id));
    const g = GEOMETRI_OF_TYPE[f.geometry.type];
    const katSelect = h(
      'select',
      { testid: 'fitur-kategori' },
      [...state.kategori.values()]
        .filter((x) => (x.geometri ?? []).includes(g))
        .map((x) => h('option', { text: catLabel(x, x.id), attrs: { value: x.id, selected: x.id === f.properties.kategori } })),
    );
    katSelect.addEventListener('change', () => {
      editor.updateSelected({ kategori: katSelect.value });
      renderSelected();
    });
    box.replaceChildren(
      h('h4', {}, swatch(k?.simbol?.warna ?? '#666', g), ` ${st('sp.selected')}: ${catLabel(k, f.properties.kategori)}`),
      h('label', { className: 'sp-field' }, h('span', { text: st('sp.kategori') }), katSelect),
      h('label', { className: 'sp-field' }, h('span', { text: st('sp.label') }), labelInput),
      h('label', { className: 'sp-field' }, h('span', { text: st('sp.catatan') }), noteInput),
      ...(luar ? [h('p', { className: 'sp-warn-text', text: `⚠ ${luarText(luar)}` })] : []),
    );
  }

  function renderMeasure() {
    const box = body.querySelector('.sp-measure');
    if (!box) return;
    let m = null;
    let which = '';
    const sel = editor.selected();
    if (state.drawingMeasure) {
      m = state.drawingMeasure;
      which = st('sp.drawing');
    } else if (sel) {
      m = measure(sel.geometry);
      which = st('sp.selected');
    }
    if (!m || m.jenis === 'titik') {
      box.replaceChildren();
      box.hidden = true;
      delete box.dataset.areaM2;
      delete box.dataset.lengthM;
      return;
    }
    box.hidden = false;
    const rows = [h('span', { className: 'sp-measure-which', text: which })];
    if (m.jenis === 'garis') {
      rows.push(h('span', { testid: 'measure-length' }, `${st('sp.panjang')}: `, h('strong', { text: `${num(m.length_m, 1)} m` })));
      box.dataset.lengthM = String(m.length_m);
      delete box.dataset.areaM2;
    } else {
      rows.push(
        h('span', { testid: 'measure-area' }, `${st('sp.luas')}: `, h('strong', { text: `${num(m.area_m2, 1)} m²` })),
        h('span', { testid: 'measure-perimeter' }, `${st('sp.keliling')}: `, h('strong', { text: `${num(m.perimeter_m, 1)} m` })),
      );
      box.dataset.areaM2 = String(m.area_m2);
      box.dataset.perimeterM = String(m.perimeter_m);
      delete box.dataset.lengthM;
    }
    rows.push(h('span', { className: 'sp-measure-method', text: st('sp.ukuran.method') }));
    box.replaceChildren(...rows);
  }

  function renderEditorButtons() {
    const undo = body.querySelector('[data-testid="siteplan-undo"]');
    if (undo) undo.disabled = !editor.canUndo() && !state.drawingMeasure;
    const del = body.querySelector('[data-testid="siteplan-delete"]');
    if (del) del.disabled = !editor.selected();
    const unsaved = body.querySelector('[data-testid="siteplan-unsaved"]');
    if (unsaved) unsaved.hidden = !editor.dirty();
  }

  function focusFitur(id) {
    const f = state.detail?.fitur.features.find((x) => x.properties.id === id);
    if (state.editing) {
      editor.select(id);
    } else {
      state.selectedFitur = id;
      layers.setSelected(id);
      render();
    }
    const b = f ? geometryBounds([f.geometry]) : null;
    if (b) map.fitBounds(b, { padding: padding(), maxZoom: 19, duration: 500 });
  }

  function fiturName(f) {
    if (!f) return '';
    const k = state.kategori.get(f.properties.kategori);
    return f.properties.label || catLabel(k, f.properties.kategori);
  }

  function print() {
    const d = state.detail;
    const handle = openPrint({
      map,
      detail: d,
      desaName: desaName(d.kode_desa),
      kategori: state.kategori,
      spec: {
        ...layers.spec(),
        source: {
          type: 'geojson',
          data: {
            type: 'FeatureCollection',
            features: d.fitur.features.map((f) => ({
              ...f,
              properties: { ...f.properties, warna: f.properties.warna ?? state.kategori.get(f.properties.kategori)?.simbol?.warna, luar: state.luar.has(f.properties.id) },
            })),
          },
        },
      },
      desaGeometry: null,
    });
    return handle;
  }

  render();
  const api = {
    ready: boot,
    open: openPanel,
    close: closePanel,
    openSiteplan,
    editor,
    state,
    layers: SP_LAYERS,
  };
  window.kumuhSiteplan = api;
  return api;
}

function sizeText(u) {
  if (!u) return '';
  if (u.jenis === 'garis') return `${num(u.length_m, 1)} m`;
  if (u.jenis === 'area') return `${num(u.area_m2, 1)} m² · ${num(u.perimeter_m, 1)} m`;
  return '';
}

function luarText(w) {
  const l = w.luar;
  if (l?.jenis === 'titik') return st('sp.luar.titik');
  if (l?.jenis === 'garis') return st('sp.luar.garis', { out: num(l.outside_m, 1), len: num(l.length_m, 1) });
  if (l?.jenis === 'area') return st('sp.luar.area', { out: num(l.outside_m2, 1), area: num(l.area_m2, 1) });
  return w.pesan ?? '';
}
