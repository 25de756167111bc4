// The viewer's service worker: keeps the viewer itself (page, scripts, styles, fonts and
// the map settings of /api/config) so that it opens without a connection, e.g. in the
// field with an offline map (a PMTiles file opened from the device). The API and the
// tiles always go to the server. Network first: a reachable server always gives the
// newest viewer; the copy is used only when the server cannot be reached.
const CACHE = 'kumuh-viewer-v1';
// Entries kept at most; the oldest build assets go first.
const MAX_ENTRIES = 80;

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

// The viewer's own files and its settings; never the rest of the API or the tiles.
function kept(url) {
  if (url.origin !== self.location.origin) return false;
  const scope = new URL(self.registration.scope).pathname;
  if (!url.pathname.startsWith(scope)) return false;
  const path = url.pathname.slice(scope.length);
  if (path === 'api/config') return true;
  return !(path === 'api' || path.startsWith('api/') || path === 'tiles' || path.startsWith('tiles/'));
}

// Build assets carry a content hash in their name: a copy is as good as the server's.
const immutable = (url) => url.pathname.includes('/assets/');

async function trim(cache) {
  const keys = await cache.keys();
  let extra = keys.length - MAX_ENTRIES;
  for (const request of keys) {
    if (extra <= 0) break;
    if (immutable(new URL(request.url))) {
      await cache.delete(request);
      extra--;
    }
  }
}

async function keep(request, response) {
  if (response.status !== 200 || response.type !== 'basic') return;
  const cache = await caches.open(CACHE);
  await cache.put(request, response);
  await trim(cache);
}

async function respond(event, request, url) {
  const cache = await caches.open(CACHE);
  const navigate = request.mode === 'navigate';
  if (immutable(url)) {
    const hit = await cache.match(request);
    if (hit) return hit;
  }
  try {
    const response = await fetch(request);
    event.waitUntil(keep(navigate ? new Request(url.origin + url.pathname) : request, response.clone()));
    return response;
  } catch (err) {
    const hit = await cache.match(navigate ? new Request(url.origin + url.pathname) : request, { ignoreSearch: navigate });
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!kept(url)) return;
  event.respondWith(respond(event, request, url));
});

// The page lists what to keep: every built script and style (also those loaded only on
// first use) and what it loaded before this worker controlled it (its first visit).
self.addEventListener('message', (event) => {
  const urls = event.data?.kumuh === 'keep' && Array.isArray(event.data.urls) ? event.data.urls : [];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const href of urls) {
        let url;
        try {
          url = new URL(href);
        } catch {
          continue;
        }
        if (!kept(url) || (await cache.match(url.href))) continue;
        try {
          const response = await fetch(url.href);
          if (response.status === 200) await cache.put(url.href, response);
        } catch {
          // offline already: nothing to keep
        }
      }
      await trim(cache);
    })(),
  );
});
