// What the siteplan panel does: load the list and a siteplan, show it on the map, start
// and stop drawing (Terra Draw is loaded then, not before), save, restore, change the
// status, create, focus a feature and open the print view (loaded on first use). Every
// function here is attached to the panel's shared object `sp` (see panel.js).
import { api } from '../api.js';
import { st } from './i18n.js';
import { measure } from './geodesic.js';
import { geometryBounds, catLabel } from './util.js';

export function createActions(sp) {
  const { map, state, layers, auth, errors, panel, body } = sp;

  function desaName(kode) {
    return state.desa.find((d) => d.kode === kode)?.nama ?? kode;
  }
  function writableDesa() {
    return state.desa.filter((d) => auth.canWrite(d.kode));
  }

  async function loadList() {
    await sp.boot;
    state.loading = true;
    sp.render();
    try {
      state.list = await api.siteplans(state.home?.kode ?? undefined);
    } catch (err) {
      errors.show(err);
      state.list = [];
    } finally {
      state.loading = false;
      sp.render();
    }
  }

  async function openSiteplan(id, { versi, fit = true } = {}) {
    await sp.boot;
    state.loading = true;
    state.message = null;
    sp.render();
    try {
      const d = await api.siteplan(id, versi);
      sp.showDetail(d, { fit });
    } catch (err) {
      errors.show(err);
    } finally {
      state.loading = false;
      sp.render();
    }
  }

  function showDetail(d, { fit = true } = {}) {
    state.detail = d;
    state.view = 'detail';
    state.selectedFitur = null;
    state.luar = new Map((d.di_luar_desa ?? []).map((w) => [w.id, w]));
    layers.setSelected(null);
    sp.drawDetail();
    if (fit) sp.fitTo(d);
  }

  // The shown version on the map, with the outside-desa flag.
  function drawDetail() {
    const d = state.detail;
    if (!d || state.editing) {
      layers.setData(state.editing ? sp.luarOnly() : null);
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
    if (bounds) map.fitBounds(bounds, { padding: sp.padding(), maxZoom: 18, duration: 600 });
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
    if (state.editing && (!state.detail || !auth.canWrite(state.detail.kode_desa)) && !sp.editor.dirty()) sp.stopEditing();
    if (state.view === 'new' && !sp.writableDesa().length) state.view = 'list';
    sp.render();
  }

  // ---- editing -----------------------------------------------------------------------
  function canEdit() {
    const d = state.detail;
    return Boolean(d) && auth.canWrite(d.kode_desa) && d.status === 'draf' && d.versi === d.versi_terkini;
  }

  // Terra Draw and its MapLibre adapter come with editor.js: loaded the first time a
  // writer starts drawing.
  async function loadEditor() {
    if (sp.editor) return sp.editor;
    const { createEditor } = await import('./editor.js');
    sp.editor ??= createEditor({
      map,
      category: () => state.kategori.get(state.kategoriPilih),
      colorOf: (id) => state.kategori.get(id)?.simbol?.warna ?? '#666666',
      onEvent: (e) => sp.onEditorEvent(e),
    });
    return sp.editor;
  }

  async function startEditing() {
    if (!sp.canEdit() || state.editing) return;
    try {
      await loadEditor();
    } catch (err) {
      errors.show(err);
      return;
    }
    if (!sp.canEdit()) return;
    state.editing = true;
    state.message = null;
    state.selectedFitur = null;
    sp.drawDetail();
    sp.render();
    await sp.editor.start(state.detail.fitur);
    sp.render();
  }
  function stopEditing() {
    sp.editor.stop();
    state.editing = false;
    state.selectedFitur = null;
    state.drawingMeasure = null;
    sp.drawDetail();
    sp.render();
  }

  function onEditorEvent(e) {
    switch (e.type) {
      case 'drawing':
        state.drawingMeasure = measure(e.feature.geometry);
        sp.renderMeasure();
        return;
      case 'select':
        state.selectedFitur = e.id;
        state.drawingMeasure = null;
        {
          const f = sp.editor.selected();
          if (f?.properties?.kategori) state.kategoriPilih = f.properties.kategori;
        }
        sp.renderEditor();
        return;
      case 'deselect':
        state.selectedFitur = null;
        sp.renderEditor();
        return;
      case 'mode':
        state.drawingMeasure = null;
        sp.renderEditor();
        return;
      case 'history':
        sp.renderEditorButtons();
        return;
      case 'change':
        sp.renderMeasure();
        sp.renderEditorButtons();
        return;
      default:
    }
  }

  async function save() {
    const d = state.detail;
    const fc = sp.editor.collection();
    const note = body.querySelector('[data-testid="simpan-catatan"]')?.value.trim() || undefined;
    if (!sp.editor.dirty()) {
      state.message = { kind: 'ok', text: st('sp.simpan.nothing') };
      sp.renderMessage();
      return;
    }
    const button = body.querySelector('[data-testid="siteplan-save"]');
    if (button) button.disabled = true;
    try {
      const res = await api.saveSiteplanFitur(d.id, { versi: d.versi, fitur: fc, catatan: note });
      state.detail = res;
      state.luar = new Map((res.di_luar_desa ?? []).map((w) => [w.id, w]));
      sp.editor.markSaved(res.fitur);
      sp.drawDetail();
      state.message = { kind: 'ok', text: st('sp.simpan.done', { v: res.versi }) };
      state.list = null;
      sp.render();
    } catch (err) {
      sp.handleWriteError(err);
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
    sp.render();
  }

  async function reloadLatest() {
    const d = state.detail;
    if (state.editing) sp.stopEditing();
    await sp.openSiteplan(d.id, { fit: false });
  }

  async function restore(v) {
    const d = state.detail;
    if (!window.confirm(st('sp.pulihkan.confirm', { v }))) return;
    try {
      const res = await api.restoreSiteplan(d.id, v, d.versi_terkini);
      sp.showDetail(res, { fit: false });
      state.message = { kind: 'ok', text: st('sp.pulihkan.done', { v, n: res.versi }) };
      state.list = null;
      sp.render();
    } catch (err) {
      sp.handleWriteError(err);
    }
  }

  async function changeStatus(status) {
    const d = state.detail;
    try {
      const res = await api.updateSiteplan(d.id, { versi: d.versi_terkini, status });
      sp.showDetail(res, { fit: false });
      state.list = null;
      sp.render();
    } catch (err) {
      sp.handleWriteError(err);
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
      sp.showDetail(res);
      sp.render();
      sp.loadList();
    } catch (err) {
      state.message = { kind: 'error', text: err.message };
      sp.renderMessage();
      if (err.status === 401) auth.expired();
    } finally {
      submit.disabled = false;
    }
  }

  function showFitur(id) {
    state.selectedFitur = id;
    layers.setSelected(id);
    sp.render();
    body.querySelector(`[data-fitur="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  function focusFitur(id) {
    const f = state.detail?.fitur.features.find((x) => x.properties.id === id);
    if (state.editing) {
      sp.editor.select(id);
    } else {
      state.selectedFitur = id;
      layers.setSelected(id);
      sp.render();
    }
    const b = f ? geometryBounds([f.geometry]) : null;
    if (b) map.fitBounds(b, { padding: sp.padding(), maxZoom: 19, duration: 500 });
  }

  function fiturName(f) {
    if (!f) return '';
    const k = state.kategori.get(f.properties.kategori);
    return f.properties.label || catLabel(k, f.properties.kategori);
  }

  // The print view (print.js, with its CSS) is loaded on the first "Cetak A4".
  async function print() {
    const d = state.detail;
    let openPrint;
    try {
      ({ openPrint } = await import('./print.js'));
    } catch (err) {
      errors.show(err);
      return null;
    }
    return openPrint({
      map,
      detail: d,
      desaName: sp.desaName(d.kode_desa),
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
  }

  return {
    desaName,
    writableDesa,
    loadList,
    openSiteplan,
    showDetail,
    drawDetail,
    luarOnly,
    fitTo,
    padding,
    onUserChange,
    canEdit,
    startEditing,
    stopEditing,
    onEditorEvent,
    save,
    handleWriteError,
    reloadLatest,
    restore,
    changeStatus,
    create,
    showFitur,
    focusFitur,
    fiturName,
    print,
  };
}
