// Thin client for the Kumuh API. Errors arrive as HTTP 4xx/5xx with
// {"code": "...", "message": "..."}; they are thrown as ApiError.
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

async function getJson(path, params, { signal } = {}) {
  if (offline) throw new ApiError(t('offline.unavailable'), { code: 'offline' });
  let res;
  try {
    res = await fetch(apiUrl(path, params), { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(t('error.network'));
  }
  if (!res.ok) {
    let body = null;
    try {
      body = await res.json();
    } catch {
      // not JSON: fall back to the status line
    }
    throw new ApiError(body?.message || t('error.http', { status: res.status }), {
      status: res.status,
      code: body?.code || 'http',
    });
  }
  return res.json();
}

export const api = {
  config: () => getJson('config'),
  labels: (level, parent, bbox) => getJson('places/labels', { level, parent, bbox }),
  place: (kode) => getJson(`places/${encodeURIComponent(kode)}`),
  search: (q, { limit = 10, signal } = {}) => getJson('search', { q, limit }, { signal }),
  lokasi: (desa) => getJson('lokasi', { desa }),
  penilaian: (lokasi, { signal } = {}) => getJson('penilaian', { lokasi }, { signal }),
  ringkasan: (wilayah) => getJson('ringkasan', { wilayah }),
  turunan: (lokasi, { signal } = {}) => getJson(`lokasi/${encodeURIComponent(lokasi)}/turunan`, null, { signal }),
  kegiatan: (id, { signal } = {}) => getJson(`kegiatan/${encodeURIComponent(id)}`, null, { signal }),
  audit: (kunci, { limit = 20, signal } = {}) => getJson('audit', { kunci, limit }, { signal }),
};
