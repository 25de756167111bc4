#!/usr/bin/env node
// End-to-end check of the offline map in headless Chromium (Debian's build).
//
//   node web/e2e/offline.mjs BASE_URL ARCHIVE.pmtiles SCREENSHOT.png
//
// ARCHIVE is a package written by `kumuh export --format pmtiles` from the served store,
// or `unduh`: the package downloaded with the viewer's own link (/api/peta-luring), or
// `unduh-paket`: the same link after choosing the kept basemap `ortho` in the picker,
// which then downloads one ZIP of the atlas's tiles and the basemap's; opened offline,
// both must be drawn (the basemap as with E2E_PETA_DASAR_FILE below).
// Loads the viewer from the server, notes Bibrik's label point and the Bibrik example
// segment S1 while online and waits for the service worker to keep the viewer, then takes
// the browser offline (Playwright's network emulation: every request fails) and reloads
// the page, which must open from what the service worker kept. Offering a file that is not PMTiles must give an error naming it.
// Opening ARCHIVE with "Buka berkas PMTiles" must point the desa, lokasi and segmen sources
// at `pmtiles://`, draw the 14 desa of Jiwan with names, draw S1, open the place panel on
// a click on Bibrik and the segment panel (with its offline note) on a click on S1, find
// Bibrik with the search box, and send no request to the server all along. Then, online
// again, "Kembali ke peta server" draws from the server's /tiles/ once more.
//
// Env: CHROMIUM (default /usr/bin/chromium), VIEWPORT (default 1280x800),
// E2E_PETA_DASAR_FILE (optional: a basemap package, `kumuh basemap export`, of a uniform
// (120, 160, 90) orthophoto; opened offline after the atlas package, it must be drawn from
// `pmtiles://` under the atlas layers, that colour at the middle of its extent).
// Prints one JSON line; exits 0 on success, 1 (with the reason) on any failure.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, idle, ready, rgbAt, run, screenshot, viewport, watchPage, waiter } from './browser.mjs';

// The glyph files the viewer ships (public/fonts), as the service worker keeps them.
const GLYPHS = ['Noto%20Sans%20Regular', 'Noto%20Sans%20Bold'].flatMap((f) => ['0-255', '256-511'].map((r) => `/fonts/${f}/${r}.pbf`));
const EXPECTED_DESA = 14;
const TARGET = 'Bibrik';
const SEGMEN = { kegiatan: 'contoh-35.19.09.2014-2018-paving', segmen: 'S1' };
const ATLAS_SOURCES = ['desa', 'lokasi', 'segmen'];
const PETA_DASAR_FILE = process.env.E2E_PETA_DASAR_FILE ?? '';
const ORTHO_RGB = [120, 160, 90];

// Opens the basemap package and checks it is drawn from its file under the atlas layers.
async function checkPetaDasarFile(page) {
  // Opening it fits the map to its area; the view is put back afterwards.
  const camera = await page.evaluate(() => ({ center: window.kumuhMap.getCenter().toArray(), zoom: window.kumuhMap.getZoom() }));
  await page.locator('[data-testid="offline-file"]').setInputFiles(PETA_DASAR_FILE);
  await checkPetaDasarDrawn(page);
  await page.evaluate((c) => window.kumuhMap.jumpTo(c), camera);
  await idle(page);
}

// The basemap opened from a file is drawn from `pmtiles://` under the atlas layers: with
// every other layer hidden for a moment, the middle of its extent has its colour.
async function checkPetaDasarDrawn(page) {
  await waitFor(page, () => Boolean(window.kumuhMap.getLayer('peta-dasar')), null, 'the basemap package drew no peta-dasar layer');
  await waitFor(page, () => window.kumuhMap.isSourceLoaded('peta-dasar'), null, 'the basemap package did not load');
  await idle(page);
  const info = await page.evaluate(() => {
    const map = window.kumuhMap;
    const ids = map.getStyle().layers.map((l) => l.id);
    const hidden = ids.filter((id) => id !== 'peta-dasar' && map.getLayoutProperty(id, 'visibility') !== 'none');
    for (const id of hidden) map.setLayoutProperty(id, 'visibility', 'none');
    window.__hidden = hidden;
    return { source: map.getSource('peta-dasar').url ?? null, below: ids.indexOf('peta-dasar') < ids.indexOf('desa-fill') };
  });
  await idle(page);
  const box = await page.locator('#map').boundingBox();
  const rgb = await rgbAt(page, box.x + box.width / 2, box.y + box.height / 2);
  await page.evaluate(() => {
    for (const id of window.__hidden) window.kumuhMap.setLayoutProperty(id, 'visibility', 'visible');
  });
  await idle(page);
  const pixel = rgb.every((v, i) => Math.abs(v - ORTHO_RGB[i]) <= 12);
  check(pixel, `the middle of the basemap is rgb(${rgb}), expected about rgb(${ORTHO_RGB})`);
  check(info.below, 'the basemap layer is not under desa-fill');
  summary.petaDasar = { ...info, rgb, pixel };
}

const [baseArg, archiveArg, shotPath] = process.argv.slice(2);
if (!baseArg || !archiveArg || !shotPath) {
  console.error('usage: node e2e/offline.mjs BASE_URL ARCHIVE.pmtiles|unduh|unduh-paket SCREENSHOT.png');
  process.exit(2);
}
// `unduh`: the package is downloaded with the viewer's own link while online.
let archive = archiveArg;
const PAKET = archiveArg === 'unduh-paket';
const base = new URL(baseArg);
const { width, height } = viewport();
const summary = { ok: false, base: base.href, archive: archiveArg, viewport: `${width}x${height}` };

const waitFor = waiter(15_000);

// The distinct codes drawn in a layer (optionally only those under a prefix).
function drawnCodes(page, layer, prefix = '') {
  return page.evaluate(
    ([l, p]) => [...new Set(window.kumuhMap.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties.kode).filter((k) => typeof k === 'string' && k.startsWith(p)))],
    [layer, prefix],
  );
}

// A map coordinate as a page point.
function pagePoint(page, lngLat) {
  return page.evaluate((c) => {
    const p = window.kumuhMap.project(c);
    const rect = window.kumuhMap.getCanvas().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, lngLat);
}

async function closePanels(page) {
  for (const close of ['place-close', 'lokasi-close', 'segmen-close']) {
    const button = page.locator(`[data-testid="${close}"]`);
    if (await button.isVisible()) await button.click();
  }
}

function sourceUrls(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, window.kumuhMap.getSource(id)?.url ?? null])), ATLAS_SOURCES);
}

await run(summary, async (browser) => {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  summary.warnings = problems; // printed on failure too
  watchPage(page, problems);
  let offline = false;
  const asked = []; // requests made to the server while offline
  summary.asked = asked;
  // While offline, a request to the server must be answered by the service worker's copy
  // (the viewer's own files); one that went to the network failed, and counts. The page's
  // icon is the browser's own request, not the viewer's.
  const mine = (req) => offline && new URL(req.url()).origin === base.origin && !req.url().endsWith('/favicon.svg');
  page.on('requestfailed', (req) => {
    if (mine(req)) asked.push(`${req.url()} (${req.failure()?.errorText ?? 'failed'})`);
  });
  page.on('requestfinished', async (req) => {
    if (mine(req) && !(await req.response())?.fromServiceWorker()) asked.push(`${req.url()} (network)`);
  });

  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  await ready(page);

  // While online: Jiwan's bounds, Bibrik's label point and segment S1's line.
  const known = await page.evaluate(
    async ({ target, segmen }) => {
      const get = async (path, params) => {
        const url = new URL(path, document.baseURI);
        url.search = new URLSearchParams(params ?? {});
        return (await fetch(url)).json();
      };
      const config = await get('api/config');
      const labels = await get('api/places/labels', { level: 'desa', parent: config.home.kode });
      const label = labels.features.find((f) => f.properties.nama === target);
      const segments = await get('api/segmen');
      const line = segments.features.find((f) => f.properties.kegiatan_id === segmen.kegiatan && f.properties.segmen_id === segmen.segmen);
      return { home: config.home.kode, bounds: config.bounds, label: label ?? null, line: line?.geometry ?? null };
    },
    { target: TARGET, segmen: SEGMEN },
  );
  check(known.label, `no label point for ${TARGET}`);
  check(known.line?.type === 'LineString', `no line for segment ${SEGMEN.kegiatan}/${SEGMEN.segmen}`);

  // The package, from the viewer's download link (the home kecamatan), when asked.
  if (archiveArg.startsWith('unduh')) {
    if (!(await page.locator('#layer-panel-body').isVisible())) await page.locator('[data-testid="layer-panel-toggle"]').click();
    const link = page.locator('[data-testid="offline-download"]');
    if (PAKET) {
      // The kept orthophoto chosen: the link now carries it, in one ZIP.
      await waitFor(page, () => [...document.querySelectorAll('[data-testid="peta-dasar"] option')].some((o) => o.value === 'ortho'), null, 'the kept basemap is not in the picker');
      await page.locator('[data-testid="peta-dasar"]').selectOption('ortho');
      await waitFor(page, () => new URL(document.querySelector('[data-testid="offline-download"]').href).searchParams.get('peta_dasar') === 'ortho', null, 'the download link does not carry the basemap');
      summary.link = (await link.textContent()).trim();
      check(summary.link.includes('ZIP'), `the download link reads "${summary.link}"`);
    }
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), link.click()]);
    const name = download.suggestedFilename();
    check(name.endsWith(PAKET ? '.zip' : '.pmtiles'), `the download is named ${name}`);
    archive = join(mkdtempSync(join(tmpdir(), 'kumuh-unduh-')), name);
    await download.saveAs(archive);
    summary.downloaded = name;
  }

  // The service worker keeps the viewer for offline use (localhost is a secure context).
  const deadline = Date.now() + 20_000;
  let keptFiles = [];
  while (Date.now() < deadline) {
    keptFiles = await page.evaluate(async () => {
      if (!navigator.serviceWorker?.controller) return [];
      const cache = await caches.open('kumuh-viewer-v1');
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    if (keptFiles.includes(new URL(base.href).pathname) && keptFiles.some((p) => /\/assets\/index-.*\.js$/.test(p)) && GLYPHS.every((g) => keptFiles.some((p) => p.endsWith(g)))) break;
    await page.waitForTimeout(250);
  }
  summary.kept = keptFiles.length;
  check(keptFiles.some((p) => /\/assets\/index-.*\.js$/.test(p)), `the viewer was not kept for offline use: ${keptFiles.join(', ')}`);
  // Every glyph file, whether or not the map had drawn a label before the worker ran.
  const missingGlyphs = GLYPHS.filter((g) => !keptFiles.some((p) => p.endsWith(g)));
  check(missingGlyphs.length === 0, `glyph files not kept for offline use: ${missingGlyphs.join(', ')}`);

  // Offline from here on: the viewer opens again from what the service worker kept.
  await context.setOffline(true);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#layer-panel', { state: 'attached', timeout: 30_000 });
  const probe = await page.evaluate(async () => {
    try {
      return (await fetch(new URL('favicon.svg?probe=1', document.baseURI))).status;
    } catch {
      return 'failed';
    }
  });
  check(probe === 'failed', `the browser still reaches the server while offline (${probe})`);
  const startBanner = page.locator('[data-testid="error-banner"]:not([hidden]) .error-close');
  if (await startBanner.count()) await startBanner.click(); // "server tidak dapat dihubungi": true
  offline = true;
  if (!(await page.locator('#layer-panel-body').isVisible())) await page.locator('[data-testid="layer-panel-toggle"]').click();
  const openLabel = await page.locator('.offline-open').textContent();
  check(openLabel.includes('Buka berkas PMTiles'), `open control reads "${openLabel}"`);

  // 1. Not a PMTiles file: an error naming it, and the map stays on the server.
  await page.locator('[data-testid="offline-file"]').setInputFiles({ name: 'bukan-peta.pmtiles', mimeType: 'application/octet-stream', buffer: Buffer.from('ini bukan berkas PMTiles') });
  await waitFor(page, () => document.querySelector('[data-testid="error-banner"]:not([hidden])')?.textContent.includes('bukan-peta.pmtiles'), null, 'no error naming bukan-peta.pmtiles');
  summary.refused = (await page.locator('[data-testid="error-banner"] .error-text').textContent()).trim();
  check(!(await page.evaluate(() => document.body.dataset.offline)), 'a bad file switched the map offline');
  await page.locator('[data-testid="error-banner"] .error-close').click();

  // 2. The package: every atlas source reads from it.
  await page.locator('[data-testid="offline-file"]').setInputFiles(archive);
  await waitFor(page, () => Boolean(document.body.dataset.offline), null, `the map did not switch to ${archive}`);
  summary.status = (await page.locator('[data-testid="offline-status"]').textContent()).trim();
  check(summary.status.includes('.pmtiles'), `status does not name the file: "${summary.status}"`);
  const urls = await sourceUrls(page);
  for (const id of ATLAS_SOURCES) check(String(urls[id]).startsWith('pmtiles://'), `source ${id} reads ${urls[id]}, not the file`);

  // 3. Jiwan's 14 desa drawn from the file, with names placed from the tiles.
  await page.evaluate((b) => window.kumuhMap.fitBounds(b, { padding: 24, animate: false }), known.bounds);
  await idle(page);
  await waitFor(page, (n) => {
    const map = window.kumuhMap;
    return map.loaded() && new Set(map.queryRenderedFeatures({ layers: ['desa-fill'] }).map((f) => f.properties.kode)).size >= n;
  }, EXPECTED_DESA, `fewer than ${EXPECTED_DESA} desa drawn from the file`);
  const desa = await drawnCodes(page, 'desa-fill', `${known.home}.`);
  summary.desa = desa.length;
  check(desa.length === EXPECTED_DESA, `expected ${EXPECTED_DESA} Jiwan desa drawn from the file, got ${desa.length}`);
  await page.evaluate((c) => window.kumuhMap.jumpTo({ center: c, zoom: 12 }), known.label.geometry.coordinates);
  await idle(page);
  const names = await page.evaluate(() => [...new Set(window.kumuhMap.queryRenderedFeatures({ layers: ['desa-label'] }).map((f) => f.properties.nama))]);
  summary.labels = names.length;
  check(names.includes(TARGET), `${TARGET} not named on the offline map (names: ${names.join(', ')})`);

  // 4. A click on Bibrik (at a point of it where nothing else is drawn: the example
  // segment runs near its label point) opens its panel from the tile's properties.
  const at = await page.evaluate(
    ([c, kode]) => {
      const map = window.kumuhMap;
      const centre = map.project(c);
      const rect = map.getCanvas().getBoundingClientRect();
      for (let r = 0; r <= 240; r += 8) {
        for (let a = 0; a < 360; a += r ? 20 : 360) {
          const p = [centre.x + r * Math.cos((a * Math.PI) / 180), centre.y + r * Math.sin((a * Math.PI) / 180)];
          // clear by a margin: segments answer clicks a few pixels off their line
          const box = [
            [p[0] - 16, p[1] - 16],
            [p[0] + 16, p[1] + 16],
          ];
          const hits = map.queryRenderedFeatures(box).map((f) => f.layer.id);
          const onDesa = map.queryRenderedFeatures(p, { layers: ['desa-fill'] }).some((f) => f.properties.kode === kode);
          const x = rect.left + p[0];
          const y = rect.top + p[1];
          const uncovered = document.elementFromPoint(x, y) === map.getCanvas(); // no panel over it
          if (uncovered && onDesa && hits.every((id) => id.startsWith('desa-') || id.startsWith('kecamatan') || id === 'home-outline')) return { x, y };
        }
      }
      return null;
    },
    [known.label.geometry.coordinates, known.label.properties.kode],
  );
  check(at, `no clear point of ${TARGET} to click`);
  await page.mouse.click(at.x, at.y);
  await waitFor(page, (name) => document.querySelector('[data-testid="place-name"]')?.textContent.includes(name), TARGET, `no place panel for ${TARGET} offline`);
  summary.kode = await page.locator('[data-testid="place-kode"]').textContent();
  check(summary.kode === known.label.properties.kode, `panel kode ${summary.kode}, expected ${known.label.properties.kode}`);

  // 5. Segment S1 drawn from the file; its panel says the rest is on the server.
  await closePanels(page);
  const [a, b] = known.line.coordinates;
  await page.evaluate((c) => window.kumuhMap.jumpTo({ center: c, zoom: 17 }), [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
  await idle(page);
  const key = `${SEGMEN.kegiatan}/${SEGMEN.segmen}`;
  await waitFor(
    page,
    (k) => window.kumuhMap.queryRenderedFeatures({ layers: ['segmen-line'] }).some((f) => `${f.properties.kegiatan_id}/${f.properties.segmen_id}` === k),
    key,
    `segment ${key} not drawn from the file`,
  );
  const mid = await pagePoint(page, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
  await page.mouse.click(mid.x, mid.y);
  await waitFor(page, () => Boolean(document.querySelector('[data-testid="segmen-panel"]:not([hidden]) [data-testid="offline-note"]')), null, 'segment panel without its offline note');
  summary.segmen = (await page.locator('[data-testid="segmen-segmen"]').textContent()).trim();

  // 6. Search answers from the tiles.
  await closePanels(page);
  await page.evaluate((b2) => window.kumuhMap.fitBounds(b2, { padding: 24, animate: false }), known.bounds);
  await idle(page);
  await page.locator('[data-testid="search-input"]').fill('bibr');
  await waitFor(page, (name) => [...document.querySelectorAll('[data-testid="search-result"]')].some((li) => li.textContent.includes(name)), TARGET, `offline search found no ${TARGET}`);
  await page.locator('[data-testid="search-input"]').fill('');

  // 6b. A basemap package beside the atlas package, or in the same ZIP: drawn from its
  // file under the atlas (the ZIP's basemap was chosen when the package opened: the map
  // is put at its area first).
  if (PETA_DASAR_FILE) await checkPetaDasarFile(page);
  if (PAKET) {
    const camera = await page.evaluate(() => {
      const map = window.kumuhMap;
      const c = { center: map.getCenter().toArray(), zoom: map.getZoom() };
      const b = map.getSource('peta-dasar')?.bounds;
      if (b) map.fitBounds(b, { padding: 24, animate: false });
      return c;
    });
    await checkPetaDasarDrawn(page);
    await page.evaluate((c) => window.kumuhMap.jumpTo(c), camera);
    await idle(page);
  }

  // 7. No request reached for the server while offline; nothing went wrong on the page.
  summary.requests_offline = asked.length;
  check(asked.length === 0, `requests to the server while offline: ${asked.slice(0, 5).join(', ')}`);
  const banner = await page.locator('[data-testid="error-banner"]:not([hidden])').count();
  check(banner === 0, `error banner shown offline: ${await page.locator('[data-testid="error-banner"]').textContent()}`);
  summary.colours = (await screenshot(page, shotPath)).colours;

  // 8. Online again, back to the server's tiles.
  offline = false;
  await context.setOffline(false);
  let tiles = 0;
  page.on('response', (res) => {
    if (/\/tiles\/desa\/\d+\/\d+\/\d+/.test(res.url()) && res.status() < 400) tiles++;
  });
  // (a phone's layer panel folds away once the file is open: the badge opens it again)
  check(await page.locator('[data-testid="offline-badge"]').isVisible(), 'no offline badge over the map');
  if (!(await page.locator('[data-testid="offline-close"]').isVisible())) await page.locator('[data-testid="offline-badge"]').click();
  await page.locator('[data-testid="offline-close"]').click();
  check(await page.locator('[data-testid="offline-badge"]').isHidden(), 'offline badge still shown');
  await waitFor(page, () => !document.body.dataset.offline, null, 'still offline after "Kembali ke peta server"');
  const back = await sourceUrls(page);
  for (const id of ATLAS_SOURCES) check(new URL(back[id]).pathname.endsWith(`/tiles/${id}`), `source ${id} reads ${back[id]} after going back`);
  await page.evaluate(() => window.kumuhMap.zoomTo(window.kumuhMap.getZoom() + 0.5, { animate: false }));
  await idle(page);
  await waitFor(page, (n) => new Set(window.kumuhMap.queryRenderedFeatures({ layers: ['desa-fill'] }).map((f) => f.properties.kode)).size >= n, EXPECTED_DESA, 'desa not drawn from the server again');
  summary.tiles_back = tiles;
  check(tiles > 0, 'no desa tile fetched from the server after going back');

  const serious = problems.filter((p) => p.startsWith('page error'));
  check(serious.length === 0, serious.join('; '));
  if (!problems.length) delete summary.warnings;
  summary.ok = true;
  summary.screenshot = shotPath;
});
