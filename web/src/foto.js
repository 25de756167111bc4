// The photos of a work segment in its panel: thumbnails grouped by stage (tahap 0 %,
// 50 %, 100 %, bebas), each opening the full photo, and for the work's writers an upload
// control (stage chooser and file) that shows the server's warnings (a photo taken
// outside the desa) and a delete button per photo. Data: /api/kegiatan/{id}/segmen/{s}/foto.
import { api } from './api.js';
import { t } from './i18n.js';
import { ft } from './foto-i18n.js';
import { h } from './dom.js';

export const TAHAP = ['0', '50', '100', 'bebas'];
const ACCEPT = 'image/jpeg,image/png,image/webp';

/**
 * Whether `user` may change the works of `kodeDesa`: the server's rule for works
 * (kumuh_domain::auth::authorize), admins and the kabupaten anywhere, an LKM in its own
 * desa. The server decides; this only hides controls that would be refused.
 */
export function mayWriteWork(user, kodeDesa) {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'kabupaten') return true;
  if (user.role === 'lkm') return (user.desa ?? []).includes(kodeDesa);
  return false;
}

const tahapLabel = (tahap) => ft(`foto.tahap.${tahap}`);

function thumbnail(f, { canWrite, onDelete }) {
  const caption = [f.waktu_exif?.slice(0, 10), f.pengunggah].filter(Boolean).join(' · ');
  const img = h('img', {
    attrs: { src: api.fotoUrl(f.id, true), alt: ft('foto.alt', { tahap: tahapLabel(f.tahap) }), loading: 'lazy' },
  });
  const link = h('a', { attrs: { href: api.fotoUrl(f.id), target: '_blank', rel: 'noopener', title: ft('foto.buka') } }, img);
  const remove = canWrite
    ? h('button', {
        className: 'foto-hapus',
        text: '×',
        testid: 'foto-hapus',
        attrs: { type: 'button', title: ft('foto.hapus'), 'aria-label': ft('foto.hapus') },
        on: { click: () => onDelete(f) },
      })
    : null;
  const node = h('figure', { className: 'foto-item', testid: 'foto-item' }, link, remove, caption ? h('figcaption', { text: caption }) : null);
  node.dataset.foto = String(f.id);
  node.dataset.tahap = f.tahap;
  return node;
}

/**
 * The photo section of segment `segmen` of work `kegiatan`: loads the list and renders
 * itself; `canWrite` shows the upload and delete controls. Errors of an upload or a
 * deletion are shown in the section; others go to `errors`.
 */
export function fotoSection({ kegiatan, segmen, canWrite, errors }) {
  const root = h('section', { className: 'panel-section foto-section', testid: 'segmen-foto' });
  let photos; // undefined while loading, null when the list could not be read
  let notes = []; // warnings or the error of the last upload
  let busy = false;

  function groups() {
    if (photos === undefined) return h('p', { className: 'cell-note', text: t('segmen.loading') });
    if (photos === null) return h('p', { className: 'cell-note', text: ft('foto.gagal') });
    if (!photos.length) return h('p', { className: 'cell-note', text: ft('foto.none') });
    return TAHAP.map((tahap) => {
      const of = photos.filter((f) => f.tahap === tahap);
      if (!of.length) return null;
      const group = h('div', { className: 'foto-group', testid: 'foto-group' }, [
        h('h4', { text: tahapLabel(tahap) }),
        h('div', { className: 'foto-grid' }, of.map((f) => thumbnail(f, { canWrite, onDelete: remove }))),
      ]);
      group.dataset.tahap = tahap;
      return group;
    });
  }

  // The upload controls are made once and kept across renders, so that a render (the
  // photo list arriving, a warning shown) never drops the stage and file being chosen.
  let controls = null;
  function uploader() {
    if (!canWrite) return null;
    if (!controls) {
      const choose = h(
        'select',
        { testid: 'foto-tahap', attrs: { 'aria-label': ft('foto.tahap') } },
        TAHAP.map((v) => h('option', { text: tahapLabel(v), attrs: { value: v } })),
      );
      const input = h('input', { testid: 'foto-file', attrs: { type: 'file', accept: ACCEPT, 'aria-label': ft('foto.berkas') } });
      const send = h('button', {
        className: 'foto-unggah',
        testid: 'foto-unggah',
        attrs: { type: 'button' },
        on: { click: () => upload(choose.value, input.files?.[0]) },
      });
      const box = h('div', { className: 'foto-upload' }, [h('label', {}, [ft('foto.tahap'), ' ', choose]), input, send]);
      controls = { input, send, box };
    }
    controls.send.textContent = busy ? ft('foto.mengunggah') : ft('foto.unggah');
    controls.send.disabled = busy;
    return controls.box;
  }

  function render() {
    const list = notes.length ? h('ul', { className: 'issues foto-notes', testid: 'foto-peringatan', attrs: { role: 'status' } }, notes.map((n) => h('li', { text: n }))) : null;
    // Groups of stages without photos, and controls not offered, are null: left out.
    root.replaceChildren(...[h('h3', { text: ft('foto.title') }), groups(), uploader(), list].flat().filter(Boolean));
    root.dataset.loaded = photos === undefined ? '' : photos === null ? 'error' : String(photos.length);
  }

  async function load() {
    try {
      photos = await api.foto(kegiatan, segmen);
    } catch (err) {
      photos = null;
      if (err.code !== 'offline') errors?.show(err);
    }
    render();
  }

  async function upload(tahap, file) {
    if (!file) {
      notes = [ft('foto.pilih')];
      render();
      return;
    }
    busy = true;
    notes = [];
    render();
    try {
      const res = await api.unggahFoto(kegiatan, segmen, tahap, file);
      notes = Array.isArray(res?.peringatan) ? res.peringatan : [];
      photos = [...(photos ?? []), res.foto].filter(Boolean);
      // Sent: the next photo is chosen afresh.
      if (controls) controls.input.value = '';
    } catch (err) {
      notes = [err.message];
    } finally {
      busy = false;
      render();
    }
  }

  async function remove(f) {
    if (!window.confirm(ft('foto.hapus.tanya'))) return;
    try {
      await api.hapusFoto(f.id);
      photos = (photos ?? []).filter((p) => p.id !== f.id);
      notes = [];
    } catch (err) {
      notes = [err.message];
    }
    render();
  }

  render();
  load();
  return root;
}
