// Siteplan and sign-in requests. The session is the server's HttpOnly cookie
// `kumuh_session`; the CSRF token it pairs with is kept in memory only (after a reload
// it comes back from /api/auth/me) and sent as X-CSRF-Token with every non-GET request.
import { ApiError } from '../api.js';
import { st } from './i18n.js';

let csrfToken = null;

export function setCsrf(token) {
  csrfToken = token || null;
}

function apiUrl(path, params) {
  const url = new URL(`api/${path}`, document.baseURI);
  for (const [k, v] of Object.entries(params ?? {})) if (v != null) url.searchParams.set(k, v);
  return url;
}

async function request(method, path, { params, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(apiUrl(path, params), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(st('err.network'));
  }
  if (res.status === 204) return null;
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      // not JSON
    }
    const err = new ApiError(data?.message || st('err.http', { status: res.status }), {
      status: res.status,
      code: data?.code || 'http',
    });
    const retry = Number(res.headers.get('Retry-After'));
    if (Number.isFinite(retry) && retry > 0) err.retryAfter = retry;
    throw err;
  }
  return res.json();
}

const enc = encodeURIComponent;

export const spApi = {
  login: (username, password) => request('POST', 'auth/login', { body: { username, password, sesi: true } }),
  me: () => request('GET', 'auth/me'),
  logout: () => request('POST', 'auth/logout'),
  config: () => request('GET', 'config'),
  desaLabels: (parent) => request('GET', 'places/labels', { params: { level: 'desa', parent } }),
  place: (kode) => request('GET', `places/${enc(kode)}`),
  kategori: () => request('GET', 'siteplan-kategori'),
  list: (wilayah) => request('GET', 'siteplan', { params: { wilayah } }),
  get: (id, versi) => request('GET', `siteplan/${enc(id)}`, { params: { versi } }),
  create: (body) => request('POST', 'siteplan', { body }),
  saveFitur: (id, body) => request('PUT', `siteplan/${enc(id)}/fitur`, { body }),
  restore: (id, dari, versi) => request('POST', `siteplan/${enc(id)}/pulihkan`, { body: { dari, versi } }),
  update: (id, body) => request('PATCH', `siteplan/${enc(id)}`, { body }),
  downloadUrl: (id, kind, versi) => apiUrl(`siteplan/${enc(id)}/${kind}`, { versi }).href,
};
