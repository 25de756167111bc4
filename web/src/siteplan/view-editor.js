// The drawing tools of the siteplan panel (shown while drawing): modes, the category of
// what is drawn next, the live geodesic size, the selected feature's category, label and
// note, and the save bar (undo, delete, save, stop).
import { h } from '../dom.js';
import { st, num } from './i18n.js';
import { measure } from './geodesic.js';
import { catLabel, GEOMETRI_OF_TYPE, MODES, swatch, luarText } from './util.js';

const MODE_ORDER = ['select', 'point', 'linestring', 'polygon'];

export function createEditorView(sp) {
  const { state, body } = sp;

  function editorSection() {
    const box = h('section', { className: 'sp-section sp-editor', testid: 'siteplan-editor' });
    const modes = h('div', { className: 'sp-modes', attrs: { role: 'toolbar' } });
    for (const m of MODE_ORDER) {
      modes.append(
        h(
          'button',
          { className: 'sp-btn sp-mode', testid: `mode-${m}`, attrs: { type: 'button', 'data-mode': m }, on: { click: () => sp.setMode(m) } },
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
          { className: 'sp-kat', testid: `kategori-${k.id}`, attrs: { type: 'button', role: 'radio', 'data-kategori': k.id }, on: { click: () => sp.pickKategori(k.id) } },
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
      sp.renderEditor();
    });
    return box;
  }

  // Undo, delete, save and stop: a bar that stays at the bottom of the panel.
  function saveBar() {
    return h(
      'div',
      { className: 'sp-savebar', testid: 'siteplan-savebar' },
      sp.message(),
      h(
        'div',
        { className: 'sp-row' },
        h('button', { className: 'sp-btn', testid: 'siteplan-undo', attrs: { type: 'button', title: st('sp.undo.title') }, on: { click: () => sp.editor.undo() } }, `↶ ${st('sp.undo')}`),
        h('button', { className: 'sp-btn sp-btn-danger', testid: 'siteplan-delete', attrs: { type: 'button' }, on: { click: () => sp.editor.deleteSelected() } }, st('sp.delete')),
        h('span', { className: 'sp-unsaved', testid: 'siteplan-unsaved', text: st('sp.unsaved') }),
      ),
      h(
        'div',
        { className: 'sp-row' },
        h('button', { className: 'sp-btn sp-btn-primary sp-btn-big', testid: 'siteplan-save', attrs: { type: 'button' }, on: { click: () => sp.save() } }, st('sp.simpan')),
        h(
          'button',
          { className: 'sp-btn sp-btn-big', testid: 'siteplan-edit-stop', attrs: { type: 'button' }, on: { click: () => {
              if (sp.editor.dirty() && !window.confirm(st('sp.edit.discard'))) return;
              sp.stopEditing();
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
    if (m !== 'select' && !sp.allowedModes()[m]) {
      const k = state.kategori.get(state.kategoriPilih);
      state.message = { kind: 'error', text: st('sp.mode.notallowed', { k: catLabel(k, state.kategoriPilih), g: st(`geom.${MODES[m].geometri}`) }) };
      sp.renderMessage();
      return;
    }
    sp.editor.setMode(m);
  }

  // The category of what is drawn next (the selected feature's own category is changed
  // in its box below, so that picking the next category never recolours the last shape).
  function pickKategori(id) {
    state.kategoriPilih = id;
    // A drawing mode the new category does not allow falls back to select.
    const mode = sp.editor.mode();
    if (MODES[mode] && !sp.allowedModes()[mode]) sp.editor.setMode('select');
    sp.renderEditor();
  }

  function renderEditor() {
    const box = body.querySelector('.sp-editor');
    if (!box) return;
    const mode = sp.editor.mode();
    const allowed = sp.allowedModes();
    for (const b of box.querySelectorAll('.sp-mode')) {
      const m = b.dataset.mode;
      b.setAttribute('aria-pressed', String(m === mode));
      b.disabled = m !== 'select' && !allowed[m];
    }
    for (const b of box.querySelectorAll('.sp-kat')) b.setAttribute('aria-checked', String(b.dataset.kategori === state.kategoriPilih));
    box.querySelector('.sp-hint').textContent = mode && st(`sp.mode.hint.${mode}`) !== `sp.mode.hint.${mode}` ? st(`sp.mode.hint.${mode}`) : '';
    sp.renderSelected();
    sp.renderMeasure();
    sp.renderEditorButtons();
  }

  function renderSelected() {
    const box = body.querySelector('.sp-selected');
    if (!box) return;
    const f = sp.editor.selected();
    if (!f) {
      box.replaceChildren(h('p', { className: 'sp-note', text: st('sp.selected.none') }));
      return;
    }
    const k = state.kategori.get(f.properties.kategori);
    const labelInput = h('input', { testid: 'fitur-label', attrs: { maxlength: 200, value: f.properties.label ?? '' } });
    const noteInput = h('textarea', { testid: 'fitur-catatan', attrs: { rows: 2, maxlength: 2000 } });
    noteInput.value = f.properties.catatan ?? '';
    labelInput.addEventListener('change', () => sp.editor.updateSelected({ label: labelInput.value.trim() }));
    noteInput.addEventListener('change', () => sp.editor.updateSelected({ catatan: noteInput.value.trim() }));
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
      sp.editor.updateSelected({ kategori: katSelect.value });
      sp.renderSelected();
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
    const sel = sp.editor.selected();
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
    if (undo) undo.disabled = !sp.editor.canUndo() && !state.drawingMeasure;
    const del = body.querySelector('[data-testid="siteplan-delete"]');
    if (del) del.disabled = !sp.editor.selected();
    const unsaved = body.querySelector('[data-testid="siteplan-unsaved"]');
    if (unsaved) unsaved.hidden = !sp.editor.dirty();
  }

  return { editorSection, saveBar, allowedModes, setMode, pickKategori, renderEditor, renderSelected, renderMeasure, renderEditorButtons };
}
