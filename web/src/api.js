// The one client of the Kumuh API, for the viewer and the siteplan editor alike. Errors
// arrive as HTTP 4xx/5xx with {"code": "...", "message": "..."}; they are thrown as
// ApiError (with `retryAfter` in seconds when the server sent Retry-After).
//
// The session is the server's HttpOnly cookie `kumuh_session`; the CSRF token it pairs
// with is kept in memory only (after a reload it comes back from /api/auth/me) and sent as
// X-CSRF-Token with every non-GET request.
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(message, { status = 0, code = 'network' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

// Resolved against the page, so the viewer also works below a path prefix.
function apiUrl(path, params) {
  const url = new URL(`api/${path}`, document.baseURI);
  for (const [k, v] of Object.entries(params ?? {})) if (v != null) url.searchParams.set(k, v);
  return url;
}

// While the map reads an offline package (offline.js), nothing is asked of the server:
// every call fails at once with code `offline`, which the panels answer with a note.
let offline = false;
export function setOffline(value) {
  offline = Boolean(value);
}
export const isOffline = () => offline;

let csrfToken = null;
/** The CSRF token of the signed-in session (null when signed out). */
export function setCsrf(token) {
  csrfToken = token || null;
}

// `body` is sent as JSON; `file` (a File or Blob, e.g. a photo) as it is, with its own type.
async function request(method, path, { params, body, file, signal, blob = false } = {}) {
  if (offline) throw new ApiError(t('offline.unavailable'), { code: 'offline' });
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (file !== undefined) headers['Content-Type'] = file.type || 'application/octet-stream';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(apiUrl(path, params), {
      method,
      headers,
      credentials: 'same-origin',
      body: file ?? (body === undefined ? undefined : JSON.stringify(body)),
      signal,
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(t('error.network'));
  }
  if (res.status === 204) return null;
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      // not JSON: fall back to the status line
    }
    const err = new ApiError(data?.message || t('error.http', { status: res.status }), {
      status: res.status,
      code: data?.code || 'http',
    });
    const retry = Number(res.headers.get('Retry-After'));
    if (Number.isFinite(retry) && retry > 0) err.retryAfter = retry;
    throw err;
  }
  return blob ? res.blob() : res.json();
}

const get = (path, params, options) => request('GET', path, { ...options, params });

// A file sent as the body of a POST (application/octet-stream) through XMLHttpRequest,
// whose upload events fetch() does not give: `onProgress(sent, total)` hears them.
// Answers the JSON reply; failures are ApiErrors like every other call's.
function upload(path, file, { params, onProgress } = {}) {
  if (offline) return Promise.reject(new ApiError(t('offline.unavailable'), { code: 'offline' }));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, params));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.addEventListener('progress', (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size));
    // A small file may be sent without a progress event: its end is always heard.
    xhr.upload.addEventListener('load', () => onProgress?.(file.size, file.size));
    xhr.addEventListener('error', () => reject(new ApiError(t('error.network'))));
    xhr.addEventListener('load', () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: fall back to the status line
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      reject(new ApiError(data?.message || t('error.http', { status: xhr.status }), { status: xhr.status, code: data?.code || 'http' }));
    });
    xhr.send(file);
  });
}
const enc = encodeURIComponent;

// /api/config as index.html asked for it before the scripts ran, once; when that request
// failed, the call is made again here so that its error reads like every other.
function earlyConfig() {
  const early = window.kumuhConfig;
  if (!early) return null;
  window.kumuhConfig = null;
  return early.then((res) => (res?.ok ? res.json() : get('config')));
}

export const api = {
  // The map, places and slum locations.
  config: () => earlyConfig() ?? get('config'),
  labels: (level, parent, bbox) => get('places/labels', { level, parent, bbox }),
  place: (kode) => get(`places/${enc(kode)}`),
  search: (q, { limit = 10, signal } = {}) => get('search', { q, limit }, { signal }),
  lokasi: (desa) => get('lokasi', { desa }),
  penilaian: (lokasi, { signal } = {}) => get('penilaian', { lokasi }, { signal }),
  ringkasan: (wilayah) => get('ringkasan', { wilayah }),
  turunan: (lokasi, { signal } = {}) => get(`lokasi/${enc(lokasi)}/turunan`, null, { signal }),
  kegiatan: (id, { signal } = {}) => get(`kegiatan/${enc(id)}`, null, { signal }),
  audit: (kunci, { limit = 20, signal } = {}) => get('audit', { kunci, limit }, { signal }),
  // The basemaps registered with `kumuh basemap add`.
  petaDasar: () => get('peta-dasar'),

  // Photos of a segment at 0/50/100 % and free ones (tahap): listed for everyone,
  // uploaded (the image file as the body) and deleted by the work's writers.
  foto: (id, segmen, { signal } = {}) => get(`kegiatan/${enc(id)}/segmen/${enc(segmen)}/foto`, null, { signal }),
  unggahFoto: (id, segmen, tahap, file) => request('POST', `kegiatan/${enc(id)}/segmen/${enc(segmen)}/foto`, { params: { tahap }, file }),
  hapusFoto: (foto) => request('DELETE', `foto/${enc(foto)}`),
  /** Where a photo (`kecil`: its thumbnail) is shown from (a link, not a request). */
  fotoUrl: (foto, kecil = false) => apiUrl(`foto/${enc(foto)}${kecil ? '/kecil' : ''}`).href,

  // Revolving loans: totals per desa for everyone; KSM names, loans, arrears and the
  // collection plan for users who may read the desa's details (401/403 otherwise).
  upkKinerja: (wilayah) => get('upk/kinerja', { wilayah }),
  upkBulanan: (wilayah, bulan = 12) => get('upk/kinerja/bulanan', { wilayah, bulan }),
  ksm: (wilayah) => get('ksm', { wilayah }),
  upkTunggakan: (wilayah) => get('upk/tunggakan', { wilayah }),
  upkPenagihan: (wilayah) => get('upk/penagihan', { wilayah }),
  /** Where the arrears list downloads as `xlsx` or `csv` (a link, not a request). */
  upkTunggakanUrl: (wilayah, format) => apiUrl('upk/tunggakan', { wilayah, format }).href,

  // Budget scenarios (signed-in users): the chosen works as JSON, or the same answer as a
  // workbook (a POST, so fetched as a blob rather than linked).
  skenario: (body) => request('POST', 'skenario', { body }),
  skenarioXlsx: (body) => request('POST', 'skenario', { body, params: { format: 'xlsx' }, blob: true }),

  // Imports of GIS files (kabupaten and admin users): what an import would do, then the
  // import; `params` are berkas, level, lapisan, crs, pemetaan.
  imporPratinjau: (file, params, onProgress) => upload('impor/pratinjau', file, { params, onProgress }),
  impor: (file, params, onProgress) => upload('impor', file, { params, onProgress }),

  // Sign-in (a session cookie; `sesi: true` asks for it instead of a bearer token).
  login: (username, password) => request('POST', 'auth/login', { body: { username, password, sesi: true } }),
  me: () => get('auth/me'),
  logout: () => request('POST', 'auth/logout'),

  // Siteplans.
  siteplanKategori: () => get('siteplan-kategori'),
  siteplans: (wilayah) => get('siteplan', { wilayah }),
  siteplan: (id, versi) => get(`siteplan/${enc(id)}`, { versi }),
  createSiteplan: (body) => request('POST', 'siteplan', { body }),
  saveSiteplanFitur: (id, body) => request('PUT', `siteplan/${enc(id)}/fitur`, { body }),
  restoreSiteplan: (id, dari, versi) => request('POST', `siteplan/${enc(id)}/pulihkan`, { body: { dari, versi } }),
  updateSiteplan: (id, body) => request('PATCH', `siteplan/${enc(id)}`, { body }),
  /** Where a siteplan downloads as `geojson` or `gpkg` (a link, not a request). */
  siteplanDownloadUrl: (id, kind, versi) => apiUrl(`siteplan/${enc(id)}/${kind}`, { versi }).href,
};
