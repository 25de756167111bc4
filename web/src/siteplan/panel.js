// The siteplan panel (`#siteplan-panel`): the list of siteplans of the home area, one
// siteplan on the map (categories coloured, outside-desa warnings in red), its legend,
// version history (view, restore), status, drawing with Terra Draw (for a user who may
// write the desa, on a draft), saving with the version read (409 when someone saved
// since) and an A4 print view. Loaded by index.js on the first press of the map button.
//
// The modules share one object `sp`: the map, the state, the panel's elements, and every
// function of actions.js and the view-*.js modules, so that each view can call the others.
import './panel.css';
import { api } from '../api.js';
import { h } from '../dom.js';
import { st, onLangChange } from './i18n.js';
import { createSiteplanLayers, SP_LAYERS } from './layers.js';
import { createActions } from './actions.js';
import { createListViews } from './view-list.js';
import { createDetailView } from './view-detail.js';
import { createEditorView } from './view-editor.js';

const OTHER_PANELS = ['panel', 'lokasi-panel', 'segmen-panel'];

/**
 * @param {object} o
 * @param {import('maplibre-gl').Map} o.map
 * @param {object} o.errors the viewer's error banner
 * @param {object} o.auth the sign-in control (auth.js)
 * @param {HTMLButtonElement} o.toggle the map button that opens and closes the panel
 * @param {object} o.config /api/config as the viewer read it
 */
export function createSiteplanPanel({ map, errors, auth, toggle, config }) {
  const state = {
    home: config?.home ?? null,
    title: config?.title ?? '',
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
  const closeBtn = panel.querySelector('.panel-close');

  const sp = {
    map,
    errors,
    auth,
    state,
    panel,
    body: panel.querySelector('.sp-body'),
    title: panel.querySelector('h2'),
    kicker: panel.querySelector('.sp-kicker'),
    layers: createSiteplanLayers(map),
    // The Terra Draw editor, created when drawing starts for the first time (actions.js).
    editor: null,
    render,
  };
  Object.assign(sp, createActions(sp), createListViews(sp), createDetailView(sp), createEditorView(sp));
  auth.onChange(() => sp.onUserChange());

  function open() {
    for (const id of OTHER_PANELS) {
      const p = document.getElementById(id);
      if (p && !p.hidden) p.querySelector('.panel-close')?.click();
    }
    panel.hidden = false;
    document.body.classList.add('sp-panel-open');
    toggle.setAttribute('aria-pressed', 'true');
    if (!state.list) sp.loadList();
    render();
  }
  function close({ keep = false } = {}) {
    if (state.editing && !keep) {
      if (sp.editor.dirty() && !window.confirm(st('sp.edit.discard'))) return;
      sp.stopEditing();
    }
    panel.hidden = true;
    document.body.classList.remove('sp-panel-open');
    toggle.setAttribute('aria-pressed', 'false');
  }
  closeBtn.addEventListener('click', () => close());

  // Another panel opening (e.g. from the search) hides this one; its state stays.
  const observer = new MutationObserver(() => {
    if (panel.hidden) return;
    if (OTHER_PANELS.some((id) => document.getElementById(id)?.hidden === false)) close({ keep: true });
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
      const hit = sp.layers.hit([e.clientX - rect.left, e.clientY - rect.top]);
      const id = hit[0]?.properties?.id;
      if (id) {
        e.stopPropagation();
        sp.showFitur(id);
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
      sp.editor.undo();
    }
  });
  window.addEventListener('beforeunload', (e) => {
    if (state.editing && sp.editor.dirty()) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  onLangChange(() => render());

  // The categories and the home area's desa, before anything is listed.
  sp.boot = (async () => {
    const kategori = await api.siteplanKategori();
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
  })().catch((err) => errors.show(err));

  function render() {
    closeBtn.setAttribute('aria-label', st('sp.close'));
    if (panel.hidden) return;
    if (state.view === 'detail' && state.detail) sp.renderDetail();
    else if (state.view === 'new') sp.renderNew();
    else sp.renderList();
  }

  render();
  const handle = {
    ready: sp.boot,
    open,
    close,
    toggle: () => (panel.hidden ? open() : close()),
    openSiteplan: sp.openSiteplan,
    // The drawing editor once drawing has started (null before).
    get editor() {
      return sp.editor;
    },
    state,
    layers: SP_LAYERS,
  };
  window.kumuhSiteplan = handle;
  return handle;
}
