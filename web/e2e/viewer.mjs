#!/usr/bin/env node
// End-to-end check of the map viewer in headless Chromium (Debian's build).
//
//   node web/e2e/viewer.mjs BASE_URL SCREENSHOT.png
//
// Env: CHROMIUM (default /usr/bin/chromium), VIEWPORT (default 1280x800, e.g. 390x844),
// E2E_LOKASI (optional slum-location code, e.g. SKL-01: after the desa checks, click that
// location and check its panel, score history and its 4 derived "Dari peta" rows; the screenshot
// is then retaken with it open), E2E_JARINGAN (optional, with E2E_LOKASI: the number N of road/drain
// lines in /api/jaringan; when N > 0 at least one must be drawn in jaringan-line near the location),
// E2E_SEGMEN (optional, "1": bring the Bibrik example work's segment S1 into view, check it is
// drawn in segmen-line, click it, check the segment panel's funding bar and "Rp 100.000.000",
// check its photo section loaded, switch the colouring to the funding source and check the
// layer's paint and legend changed;
// the screenshot is then retaken with the segment panel open), E2E_FOTO_USER / E2E_FOTO_PASSWORD
// (optional, with E2E_SEGMEN: sign in as that writer of Bibrik's works, upload a PNG as the
// segment's 100 % photo through the panel and check its thumbnail is shown), E2E_TILES (optional, "1": check
// that the desa, lokasi and segmen sources are vector tile sources, that tiles were fetched from
// /tiles/ with no 4xx/5xx answer (204 = empty tile is fine), and that the layer panel's desa
// checkbox hides desa-fill (0 rendered) and shows it again (the 14 desa)), E2E_BLOK (optional,
// with E2E_LOKASI: an RW code; its boundary is drawn in rw-line and its RTs in rt-line around
// the location, and the layer panel's RT checkbox hides and shows them), E2E_PETA_DASAR
// (optional, with E2E_LOKASI: a kept basemap's name; chosen in the layer panel's picker, its
// tiles come from /api/peta-dasar/NAME/… as images, its raster layer lies under every atlas
// layer, and "Tanpa peta dasar" takes it away again).
// Prints one JSON line; exits 0 on success, 1 (with the reason) on any failure.
import { Failure, check, run, viewport, screenshot as savedScreenshot, READY_TIMEOUT_MS } from './browser.mjs';

const DESA_FILL = 'desa-fill';
const DESA_LABEL = 'desa-label';
const LOKASI_FILL = 'lokasi-fill';
const LOKASI = process.env.E2E_LOKASI || '';
const JARINGAN_LINE = 'jaringan-line';
const JARINGAN = process.env.E2E_JARINGAN ?? '';
const TURUNAN_ROWS = 4;
const SEGMEN = process.env.E2E_SEGMEN ?? '';
const SEGMEN_LINE = 'segmen-line';
const TILES = process.env.E2E_TILES ?? '';
const BLOK = process.env.E2E_BLOK ?? '';
const PETA_DASAR = process.env.E2E_PETA_DASAR ?? '';
const FOTO_USER = process.env.E2E_FOTO_USER ?? '';
const FOTO_PASSWORD = process.env.E2E_FOTO_PASSWORD ?? '';
// An 8 × 8 PNG (kumuh_io::foto::contoh::png(8, 8), as fuzz/seeds/foto/plain.png).
const PNG_8PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAa0lEQVR4Ae3AA6AkWZbG8f937o3IzKdyS2Oubdu2bdu2bdu2bWmMnpZKr54yMyLu+Xa3anqmhztr1a/CZz8IHgwPhgfDg+HB8GCoPIjnh8qDeX6oPJjnh8qDeX6oPJjnh8qDeX6oPJjnh38EaVYCX6IRVCwAAAAASUVORK5CYII=';
// A tile (not a TileJSON) request: /tiles/{layer}/{z}/{x}/{y}.mvt
const TILE_PATH = /\/tiles\/[^/]+\/\d+\/\d+\/\d+(\.mvt|\.pbf)?$/;
const tileStats = { requests: 0, empty: 0, aborted: 0, failed: [] };
// The illustrative Bibrik paving road that new stores are seeded with.
const SEGMEN_TARGET = { kegiatan: 'contoh-35.19.09.2014-2018-paving', segmen: 'S1', rupiah: 'Rp 100.000.000' };
const EXPECTED_DESA = 14;
const TARGET = 'Bibrik';

const [baseArg, shotPath] = process.argv.slice(2);
if (!baseArg || !shotPath) {
  console.error('usage: node e2e/viewer.mjs BASE_URL SCREENSHOT.png');
  process.exit(2);
}
const base = new URL(baseArg);
const { width: vw, height: vh } = viewport();
const summary = { ok: false, base: base.href, viewport: `${vw}x${vh}` };

async function checkLokasi(page, kode) {
  // The feature from the API; bring it into view clear of the panels, with none open.
  const feature = await page.evaluate(async (code) => {
    const data = await (await fetch(new URL('api/lokasi', document.baseURI))).json();
    return data.features.find((f) => f.properties.kode === code) ?? null;
  }, kode);
  check(feature, `no feature ${kode} in /api/lokasi`);
  await page.locator('[data-testid="place-close"]').click();
  await page.evaluate((geometry) => {
    const map = window.kumuhMap;
    const coords = geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2);
    const xs = coords.map((c) => c[0]);
    const ys = coords.map((c) => c[1]);
    const narrow = window.innerWidth <= 640;
    const padding = narrow ? { top: 220, left: 40, right: 40, bottom: Math.round(window.innerHeight * 0.45) } : { top: 80, left: 240, bottom: 80, right: 400 };
    map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding, maxZoom: 16, animate: false });
  }, feature.geometry);

  // Drawn in lokasi-fill, then a screen point inside its first ring.
  let target;
  try {
    await page.waitForFunction(
      ([layer, code]) => window.kumuhMap.loaded() && window.kumuhMap.queryRenderedFeatures({ layers: [layer] }).some((f) => f.properties.kode === code),
      [LOKASI_FILL, kode],
      { timeout: 15_000 },
    );
    target = await page.evaluate(
      ([layer, code, geometry]) => {
        const map = window.kumuhMap;
        const ring = (geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates[0])[0];
        const inside = ([x, y]) => {
          let yes = false;
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const [xi, yi] = ring[i];
            const [xj, yj] = ring[j];
            if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) yes = !yes;
          }
          return yes;
        };
        const pts = ring.slice(0, -1);
        let p = [pts.reduce((a, c) => a + c[0], 0) / pts.length, pts.reduce((a, c) => a + c[1], 0) / pts.length];
        // Not inside (a concave ring): step from a vertex towards the centroid.
        for (let i = 0; !inside(p) && i < pts.length; i++) p = [pts[i][0] * 0.9 + p[0] * 0.1, pts[i][1] * 0.9 + p[1] * 0.1];
        const s = map.project(p);
        const hits = map.queryRenderedFeatures(s, { layers: [layer] }).map((f) => f.properties.kode);
        const rect = map.getCanvas().getBoundingClientRect();
        const x = rect.left + s.x;
        const y = rect.top + s.y;
        return { x, y, hit: hits.includes(code), onMap: document.elementFromPoint(x, y) === map.getCanvas() };
      },
      [LOKASI_FILL, kode, feature.geometry],
    );
  } catch (err) {
    throw new Failure(`location ${kode} not drawn in ${LOKASI_FILL}: ${err.message}`);
  }
  check(target.hit, `no ${kode} in ${LOKASI_FILL} at its interior point (${Math.round(target.x)}, ${Math.round(target.y)})`);
  check(target.onMap, `the interior point of ${kode} at (${Math.round(target.x)}, ${Math.round(target.y)}) is covered by the page`);
  await page.mouse.click(target.x, target.y);
  try {
    await page.waitForFunction((name) => document.querySelector('[data-testid="lokasi-name"]')?.textContent === name, feature.properties.nama, { timeout: 10_000 });
  } catch {
    throw new Failure(`clicking ${kode} did not open its panel (title "${await page.locator('[data-testid="lokasi-name"]').textContent()}")`);
  }
  check(await page.locator('[data-testid="lokasi-panel"]').isVisible(), 'lokasi panel not visible');
  check(!(await page.locator('[data-testid="place-panel"]').isVisible()), 'the desa panel opened over the location');

  // History: one chart point per stored assessment.
  const records = await page.evaluate(async (code) => {
    const url = new URL('api/penilaian', document.baseURI);
    url.search = new URLSearchParams({ lokasi: code });
    return (await (await fetch(url)).json()).penilaian.length;
  }, kode);
  let points = 0;
  if (records > 0) {
    const chart = page.locator('[data-testid="lokasi-history"]');
    try {
      await chart.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      throw new Failure(`no history chart for ${kode} (${records} assessments)`);
    }
    points = await chart.locator('circle.chart-point').count();
  }
  check(points === records, `history chart of ${kode} has ${points} points, /api/penilaian has ${records}`);
  summary.lokasi = { kode, kelas: feature.properties.kelas ?? null, points };

  // Derived volumes: the "Dari peta" section with one row per road/drain criterion.
  const turunan = page.locator('[data-testid="lokasi-turunan"]');
  try {
    await turunan.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    throw new Failure(`no lokasi-turunan section in the panel of ${kode}`);
  }
  const rows = await turunan.locator('[data-testid="turunan-row"]').count();
  summary.turunan = rows;
  check(rows === TURUNAN_ROWS, `lokasi-turunan of ${kode} has ${rows} rows, expected ${TURUNAN_ROWS}`);

  // Road and drain lines near the location (the map is now on it).
  if (JARINGAN !== '') {
    const expected = Number(JARINGAN);
    check(Number.isFinite(expected), `E2E_JARINGAN is not a number: "${JARINGAN}"`);
    const count = () =>
      page.evaluate((layer) => {
        const map = window.kumuhMap;
        if (!map.getLayer(layer)) return -1;
        const seen = new Set(map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties.kode ?? JSON.stringify(f.properties)));
        return seen.size;
      }, JARINGAN_LINE);
    if (expected > 0) {
      try {
        await page.waitForFunction((layer) => window.kumuhMap.loaded() && window.kumuhMap.queryRenderedFeatures({ layers: [layer] }).length > 0, JARINGAN_LINE, { timeout: 15_000 });
      } catch {
        throw new Failure(`no line drawn in ${JARINGAN_LINE} near ${kode} (E2E_JARINGAN=${expected}; layer ${(await count()) < 0 ? 'missing' : 'empty'})`);
      }
    }
    summary.jaringan = await count();
    check(summary.jaringan >= 0, `no ${JARINGAN_LINE} layer`);
  }
  if (BLOK) await checkBlok(page, BLOK);
  if (PETA_DASAR) await checkPetaDasar(page, PETA_DASAR);
  await page.evaluate(() => new Promise((resolve) => window.kumuhMap.once('idle', resolve) && window.kumuhMap.triggerRepaint()));
}

// The RW `rw` and its RTs drawn from the rw and rt tile layers (the map is on the location
// inside them), and the RT checkbox of the layer panel.
async function checkBlok(page, rw) {
  const codes = (layer) =>
    page.evaluate(
      ([l, pre]) => {
        const map = window.kumuhMap;
        if (!map.getLayer(l)) return -1;
        return new Set(map.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties.kode).filter((k) => k === pre || k?.startsWith(`${pre}.`))).size;
      },
      [layer, rw],
    );
  try {
    await page.waitForFunction(
      (pre) => window.kumuhMap.loaded() && window.kumuhMap.queryRenderedFeatures({ layers: ['rt-line'] }).some((f) => f.properties.kode?.startsWith(`${pre}.`)),
      rw,
      { timeout: 15_000 },
    );
  } catch {
    throw new Failure(`no RT of ${rw} drawn in rt-line (zoom ${await page.evaluate(() => window.kumuhMap.getZoom())})`);
  }
  const blok = { rw: await codes('rw-line'), rt: await codes('rt-line') };
  const wasOpen = await openLayerPanel(page);
  const box = page.locator('[data-testid="toggle-rt"]');
  check(await box.isChecked(), 'the RT layer is off at the start');
  await box.uncheck();
  await idle(page);
  const off = await codes('rt-line');
  await box.check();
  await idle(page);
  const on = await codes('rt-line');
  blok.toggle = off === 0 && on === blok.rt;
  check(blok.toggle, `RT toggled off: ${off} drawn; on again: ${on} (before: ${blok.rt})`);
  await openLayerPanel(page, wasOpen);
  summary.blok = blok;
}

// The basemap `nama` chosen in the layer panel's picker: its tiles fetched from this
// server as images, drawn under the atlas layers; then taken away again.
async function checkPetaDasar(page, nama) {
  const wasOpen = await openLayerPanel(page);
  const picker = page.locator('[data-testid="peta-dasar"]');
  try {
    await picker.locator(`option[value="${nama}"]`).waitFor({ state: 'attached', timeout: 10_000 });
  } catch {
    throw new Failure(`the basemap picker does not offer ${nama}`);
  }
  const prefix = `/api/peta-dasar/${nama}/`;
  const tiles = [];
  const listen = (res) => {
    if (new URL(res.url()).pathname.startsWith(prefix)) tiles.push({ status: res.status(), type: res.headers()['content-type'] ?? '' });
  };
  page.on('response', listen);
  await picker.selectOption(nama);
  try {
    await page.waitForFunction((id) => window.kumuhMap.getLayer(id) && window.kumuhMap.isSourceLoaded(id), 'peta-dasar', { timeout: 15_000 });
  } catch {
    throw new Failure(`the basemap ${nama} did not load (${tiles.length} tile answers)`);
  }
  await idle(page);
  page.off('response', listen);
  const order = await page.evaluate(() => {
    const ids = window.kumuhMap.getStyle().layers.map((l) => l.id);
    return { basemap: ids.indexOf('peta-dasar'), desa: ids.indexOf('desa-fill'), lokasi: ids.indexOf('lokasi-fill'), first: ids.find((id) => id !== 'peta-dasar' && id !== 'background') };
  });
  const shown = tiles.filter((t) => t.status === 200 && t.type.startsWith('image/')).length;
  check(shown > 0 && shown === tiles.length, `basemap tiles: ${JSON.stringify(tiles)}`);
  check(order.basemap >= 0 && order.basemap < order.desa && order.basemap < order.lokasi, `basemap layer order: ${JSON.stringify(order)}`);
  const saved = await page.evaluate(() => localStorage.getItem('kumuh.petaDasar'));
  const desaOpacity = () => page.evaluate(() => JSON.stringify(window.kumuhMap.getPaintProperty('desa-fill', 'fill-opacity')));
  const thin = await desaOpacity();
  await picker.selectOption('');
  await idle(page);
  const removed = await page.evaluate(() => !window.kumuhMap.getLayer('peta-dasar'));
  check(removed, 'choosing "Tanpa peta dasar" left the basemap layer');
  // Over imagery the desa fill thins out; without it, it is as before.
  const back = await desaOpacity();
  check(thin.includes('0.08') && back.includes('0.55'), `desa-fill opacity over imagery ${thin}, after ${back}`);
  await openLayerPanel(page, wasOpen);
  summary.petaDasar = { tiles: shown, below: true, saved, removed, thin: true };
}

async function checkSegmen(page) {
  const want = SEGMEN_TARGET;
  // The segment from the API (its line), brought into view clear of the panels, with none open.
  const feature = await page.evaluate(async ({ kegiatan, segmen }) => {
    const data = await (await fetch(new URL('api/segmen', document.baseURI))).json();
    return data.features.find((f) => f.properties.kegiatan_id === kegiatan && f.properties.segmen_id === segmen) ?? null;
  }, want);
  check(feature, `no segment ${want.kegiatan}/${want.segmen} in /api/segmen`);
  check(feature.geometry?.type === 'LineString', `segment ${want.segmen} is a ${feature.geometry?.type}, expected a LineString`);
  for (const close of ['place-close', 'lokasi-close', 'segmen-close']) {
    const button = page.locator(`[data-testid="${close}"]`);
    if (await button.isVisible()) await button.click();
  }
  await page.evaluate((coords) => {
    const map = window.kumuhMap;
    const xs = coords.map((c) => c[0]);
    const ys = coords.map((c) => c[1]);
    const narrow = window.innerWidth <= 640;
    const padding = narrow ? { top: 240, left: 40, right: 40, bottom: Math.round(window.innerHeight * 0.45) + 20 } : { top: 80, left: 260, bottom: 80, right: 400 };
    map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding, maxZoom: 17, animate: false });
  }, feature.geometry.coordinates);

  // Drawn in segmen-line; then the screen point at the middle of the line.
  const key = `${want.kegiatan}/${want.segmen}`;
  try {
    await page.waitForFunction(
      ([layer, k]) =>
        window.kumuhMap.loaded() &&
        window.kumuhMap.queryRenderedFeatures({ layers: [layer] }).some((f) => `${f.properties.kegiatan_id}/${f.properties.segmen_id}` === k),
      [SEGMEN_LINE, key],
      { timeout: 15_000 },
    );
  } catch (err) {
    throw new Failure(`segment ${key} not drawn in ${SEGMEN_LINE}: ${err.message}`);
  }
  const target = await page.evaluate(
    ([layer, coords]) => {
      const map = window.kumuhMap;
      const [a, b] = coords;
      const s = map.project([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
      const features = map.queryRenderedFeatures({ layers: [layer] });
      const rect = map.getCanvas().getBoundingClientRect();
      const x = rect.left + s.x;
      const y = rect.top + s.y;
      return {
        x,
        y,
        features: new Set(features.map((f) => `${f.properties.kegiatan_id}/${f.properties.segmen_id}`)).size,
        paint: JSON.stringify(map.getPaintProperty(layer, 'line-color')),
        onMap: document.elementFromPoint(x, y) === map.getCanvas(),
      };
    },
    [SEGMEN_LINE, feature.geometry.coordinates],
  );
  check(target.onMap, `the middle of segment ${want.segmen} at (${Math.round(target.x)}, ${Math.round(target.y)}) is covered by the page`);
  await page.mouse.click(target.x, target.y);

  // The segment panel, over any desa or slum-location panel.
  const panel = page.locator('[data-testid="segmen-panel"]');
  try {
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForFunction(
      ([k, s]) => {
        const root = document.querySelector('[data-testid="segmen-panel"]');
        return root?.dataset.kegiatan === k && root.dataset.segmen === s && root.querySelector('[data-testid="sumber-bar"]');
      },
      [want.kegiatan, want.segmen],
      { timeout: 10_000 },
    );
  } catch {
    throw new Failure(`clicking segment ${want.segmen} at (${Math.round(target.x)}, ${Math.round(target.y)}) did not open its panel with a funding bar`);
  }
  check(!(await page.locator('[data-testid="place-panel"]').isVisible()), 'the desa panel opened over the segment');
  check(!(await page.locator('[data-testid="lokasi-panel"]').isVisible()), 'the location panel opened over the segment');
  const parts = await panel.locator('.sumber-bar .sumber-bar-part').count();
  check(parts >= 1, 'the sumber-bar of the segment panel has no part');
  const text = await panel.innerText();
  check(text.includes(want.rupiah), `the segment panel does not show "${want.rupiah}"`);
  const name = await page.locator('[data-testid="segmen-name"]').textContent();
  // The change history arrives separately; wait for it to settle (rows or a note).
  await page.locator('[data-testid="segmen-riwayat"][data-loaded]').waitFor({ state: 'attached', timeout: 10_000 }).catch(() => {});
  const riwayat = await panel.locator('[data-testid="riwayat-row"]').count();
  // The photo section lists the segment's photos (none in a new store) without failing.
  const foto = panel.locator('[data-testid="segmen-foto"]');
  await page.locator('[data-testid="segmen-foto"][data-loaded]:not([data-loaded=""])').waitFor({ state: 'attached', timeout: 10_000 }).catch(() => {});
  const fotoLoaded = await foto.getAttribute('data-loaded');
  check(fotoLoaded != null && fotoLoaded !== '' && fotoLoaded !== 'error', `the segment panel's photo section did not load (${fotoLoaded})`);
  const uploaded = FOTO_USER ? await uploadPhoto(page, panel) : null;

  // Colouring by funding source: open the layer panel and the works legend if collapsed, then switch.
  const panelWasOpen = await openLayerPanel(page);
  const legendToggle = page.locator('[data-testid="legend-toggle-segmen"]');
  if ((await legendToggle.getAttribute('aria-expanded')) !== 'true') await legendToggle.click();
  await page.locator('[data-testid="segmen-warna-sumber"]').click();
  const switched = await page.evaluate((layer) => {
    const map = window.kumuhMap;
    const list = document.querySelector('[data-testid="segmen-legend-list"]');
    return {
      paint: JSON.stringify(map.getPaintProperty(layer, 'line-color')),
      legendMode: list?.dataset.mode ?? null,
      legendSources: list ? list.querySelectorAll('li[data-sumber]').length : 0,
    };
  }, SEGMEN_LINE);
  check(switched.paint !== target.paint, `the paint of ${SEGMEN_LINE} did not change when colouring by funding source`);
  check(switched.paint.includes('sumber_utama'), `the paint of ${SEGMEN_LINE} does not use sumber_utama: ${switched.paint}`);
  check(switched.legendMode === 'sumber' && switched.legendSources > 0, 'the works legend does not list the funding sources');
  if (!panelWasOpen) await openLayerPanel(page, false); // as it was (collapsed on phones)
  summary.segmen = {
    kegiatan: want.kegiatan,
    segmen: want.segmen,
    nama: name,
    features: target.features,
    parts,
    rupiah: want.rupiah,
    riwayat,
    foto: Number(fotoLoaded),
    foto_unggah: uploaded,
    warna: switched.legendMode,
  };
}

// Signs in as E2E_FOTO_USER through the header form, then uploads a PNG as the open
// segment's 100 % photo through its panel; answers how many thumbnails the panel then
// shows, each loaded.
async function uploadPhoto(page, panel) {
  await page.locator('[data-testid="auth-button"]').click();
  await page.locator('[data-testid="auth-username"]').fill(FOTO_USER);
  await page.locator('[data-testid="auth-password"]').fill(FOTO_PASSWORD);
  await page.locator('[data-testid="auth-submit"]').click();
  const send = panel.locator('[data-testid="foto-unggah"]');
  try {
    await send.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    throw new Failure(`after signing in as ${FOTO_USER} the segment panel has no photo upload`);
  }
  await panel.locator('[data-testid="foto-tahap"]').selectOption('100');
  await panel.locator('[data-testid="foto-file"]').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from(PNG_8PX, 'base64') });
  await send.click();
  try {
    await page.waitForFunction(
      () => {
        const imgs = [...document.querySelectorAll('[data-testid="segmen-panel"] [data-testid="foto-group"][data-tahap="100"] img')];
        return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
      },
      null,
      { timeout: 10_000 },
    );
  } catch {
    const notes = await panel.locator('[data-testid="foto-peringatan"]').allInnerTexts();
    throw new Failure(`the uploaded photo's thumbnail is not shown under 100% (${notes.join('; ')})`);
  }
  const text = await panel.locator('[data-testid="segmen-foto"]').innerText();
  check(!/null|undefined/.test(text), `the photo section shows "${text}"`);
  return panel.locator('[data-testid="foto-item"]').count();
}

// Opens (or, with open=false, collapses) the layer panel; returns whether it was open before.
async function openLayerPanel(page, open = true) {
  const toggle = page.locator('[data-testid="layer-panel-toggle"]');
  const was = (await toggle.getAttribute('aria-expanded')) === 'true';
  if (was !== open) await toggle.click();
  return was;
}

// Distinct home-kecamatan desa drawn in desa-fill (tiles cut a desa into pieces: by kode).
function homeDesaDrawn(page) {
  return page.evaluate(async (layer) => {
    const map = window.kumuhMap;
    const config = await (await fetch(new URL('api/config', document.baseURI))).json();
    const prefix = config.home?.kode ? `${config.home.kode}.` : '';
    const kodes = map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties.kode);
    return new Set(kodes.filter((k) => typeof k === 'string' && k.startsWith(prefix))).size;
  }, DESA_FILL);
}

const idle = (page) => page.evaluate(() => new Promise((resolve) => window.kumuhMap.once('idle', resolve) && window.kumuhMap.triggerRepaint()));

// E2E_TILES: vector tile sources, tiles fetched without errors, the desa toggle of the layer panel.
async function checkTiles(page) {
  const types = await page.evaluate(() => Object.fromEntries(['desa', 'lokasi', 'segmen'].map((id) => [id, window.kumuhMap.getSource(id)?.type ?? null])));
  for (const [id, type] of Object.entries(types)) check(type === 'vector', `source ${id} is ${type ?? 'missing'}, expected a vector tile source`);
  check(tileStats.requests > 0, 'no tile requests to /tiles/{layer}/{z}/{x}/{y}');
  check(tileStats.failed.length === 0, `tile requests failed: ${tileStats.failed.join('; ')}`);

  const panel = page.locator('[data-testid="layer-panel"]');
  check(await panel.isVisible(), 'no layer panel');
  const wasOpen = await openLayerPanel(page);
  const box = page.locator('[data-testid="toggle-desa"]');
  check(await box.isChecked(), 'the desa layer is off at the start');
  await box.uncheck();
  await idle(page);
  const off = await page.evaluate((layer) => ({
    rendered: window.kumuhMap.queryRenderedFeatures({ layers: [layer] }).length,
    visibility: window.kumuhMap.getLayoutProperty(layer, 'visibility'),
  }), DESA_FILL);
  check(off.visibility === 'none' && off.rendered === 0, `desa toggled off: visibility ${off.visibility}, ${off.rendered} features still rendered in ${DESA_FILL}`);
  await box.check();
  const prefix = await page.evaluate(async () => `${(await (await fetch(new URL('api/config', document.baseURI))).json()).home?.kode ?? ''}.`);
  try {
    await page.waitForFunction(
      ([layer, n, pre]) => {
        const map = window.kumuhMap;
        if (!map.loaded()) return false;
        return new Set(map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties.kode).filter((k) => k?.startsWith(pre))).size === n;
      },
      [DESA_FILL, EXPECTED_DESA, prefix],
      { timeout: 15_000, polling: 250 },
    );
  } catch {
    throw new Failure(`desa toggled on again: ${await homeDesaDrawn(page)} desa drawn in ${DESA_FILL}, expected ${EXPECTED_DESA}`);
  }
  // "Unduh data GIS": the desa as a zipped Shapefile, through the link the panel builds.
  await page.locator('[data-testid="ekspor-lapisan"]').selectOption('desa');
  await page.locator('[data-testid="ekspor-format"]').selectOption('shp');
  const href = await page.locator('[data-testid="ekspor-unduh"]').getAttribute('href');
  summary.ekspor = await page.evaluate(async (url) => {
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, name: res.headers.get('content-disposition'), zip: bytes[0] === 0x50 && bytes[1] === 0x4b };
  }, href);
  check(summary.ekspor.status === 200 && summary.ekspor.zip, `the desa Shapefile download: ${JSON.stringify(summary.ekspor)}`);
  if (!wasOpen) await openLayerPanel(page, false);
  await idle(page);
  summary.tiles = { requests: tileStats.requests, toggle: true };
}

// Saves the screenshot and makes sure it is not blank.
async function screenshot(page) {
  const pixels = await savedScreenshot(page, shotPath);
  summary.colours = pixels.colours;
}

const problems = []; // page errors, failed and foreign requests
await run(summary, async (browser) => {
  const context = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 1 });
  const page = await context.newPage();

  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    if (TILE_PATH.test(new URL(res.url()).pathname)) {
      tileStats.requests++;
      if (res.status() === 204) tileStats.empty++;
      if (res.status() >= 400) tileStats.failed.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? '';
    // MapLibre cancels the tiles a move made needless: not a failure.
    if (TILE_PATH.test(new URL(req.url()).pathname) && error.includes('ERR_ABORTED')) tileStats.aborted++;
    else problems.push(`request failed: ${req.url()} (${error})`);
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (/^https?:$/.test(url.protocol) && url.origin !== base.origin) problems.push(`foreign request: ${req.url()}`);
  });

  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  try {
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: READY_TIMEOUT_MS });
  } catch {
    const banner = await page.locator('[data-testid="error-banner"]').textContent().catch(() => '');
    throw new Failure(`viewer not ready after ${READY_TIMEOUT_MS / 1000} s${banner ? `; banner: ${banner}` : ''}; ${problems.join('; ')}`);
  }

  // 1. All desa drawn, and their labels placed (glyphs loaded).
  // Tiles cut a desa into pieces: count distinct codes, of the home kecamatan's desa only.
  const drawn = await page.evaluate(
    async ([fill, label]) => {
      const map = window.kumuhMap;
      const config = await (await fetch(new URL('api/config', document.baseURI))).json();
      const prefix = config.home?.kode ? `${config.home.kode}.` : '';
      const kodes = new Set(map.queryRenderedFeatures({ layers: [fill] }).map((f) => f.properties.kode).filter((k) => typeof k === 'string' && k.startsWith(prefix)));
      const labels = new Set(map.queryRenderedFeatures({ layers: [label] }).map((f) => f.properties.nama));
      return { desa: kodes.size, labels: [...labels] };
    },
    [DESA_FILL, DESA_LABEL],
  );
  summary.desa = drawn.desa;
  summary.labels = drawn.labels.length;
  check(drawn.desa === EXPECTED_DESA, `expected ${EXPECTED_DESA} desa drawn in ${DESA_FILL}, got ${drawn.desa}`);
  check(drawn.labels.length >= Math.ceil(EXPECTED_DESA / 2), `only ${drawn.labels.length} labels placed in ${DESA_LABEL}: ${drawn.labels.join(', ')}`);

  // 1b. Optional (E2E_TILES=1): vector tiles, and the layer panel's desa checkbox.
  if (TILES && TILES !== '0') await checkTiles(page);

  // 2. Click the village at its label point (guaranteed inside the polygon).
  const target = await page.evaluate(async (name) => {
    const config = await (await fetch(new URL('api/config', document.baseURI))).json();
    const url = new URL('api/places/labels', document.baseURI);
    url.search = new URLSearchParams({ level: 'desa', parent: config.home.kode });
    const labels = await (await fetch(url)).json();
    const f = labels.features.find((x) => x.properties.nama === name);
    if (!f) return null;
    const p = window.kumuhMap.project(f.geometry.coordinates);
    const rect = window.kumuhMap.getCanvas().getBoundingClientRect();
    return { kode: f.properties.kode, x: rect.left + p.x, y: rect.top + p.y };
  }, TARGET);
  check(target, `no label point for ${TARGET} from /api/places/labels`);
  await page.mouse.click(target.x, target.y);
  const title = page.locator('[data-testid="place-name"]');
  try {
    await page.waitForFunction((name) => document.querySelector('[data-testid="place-name"]')?.textContent.includes(name), TARGET, { timeout: 10_000 });
  } catch {
    throw new Failure(`panel title is "${await title.textContent()}" after clicking ${TARGET} at (${Math.round(target.x)}, ${Math.round(target.y)})`);
  }
  check(await page.locator('[data-testid="place-panel"]').isVisible(), 'place panel not visible');
  const panelKode = await page.locator('[data-testid="place-kode"]').textContent();
  check(panelKode === target.kode, `panel kode ${panelKode}, expected ${target.kode}`);
  summary.panel = await title.textContent();
  summary.area = await page.locator('[data-testid="place-area"]').textContent();
  check(/^\d{1,3}(\.\d{3})*,\d{2} ha$/.test(summary.area), `area not in id-ID format: "${summary.area}"`);

  // 3. Language switch: ID -> EN changes the UI strings.
  const areaLabel = page.locator('[data-testid="place-area"]').locator('xpath=preceding-sibling::dt[1]');
  const before = await areaLabel.textContent();
  check(before === 'Luas', `expected Indonesian label "Luas", got "${before}"`);
  await page.locator('[data-testid="lang-en"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5_000 });
  const after = await areaLabel.textContent();
  const placeholder = await page.locator('[data-testid="search-input"]').getAttribute('placeholder');
  check(after === 'Area', `expected English label "Area" after switching, got "${after}"`);
  check(placeholder === 'Search villages…', `search placeholder not translated: "${placeholder}"`);
  summary.lang = 'en';
  // Back to Bahasa Indonesia, the default, for the screenshot.
  await page.locator('[data-testid="lang-id"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'id', null, { timeout: 5_000 });
  check((await areaLabel.textContent()) === 'Luas', 'switching back to ID did not restore "Luas"');

  // 4. Screenshot, and make sure it is not blank: count the colours it holds.
  await screenshot(page);

  // 5. Search: typing a spelling variant finds the village and opens its panel.
  const query = 'klagen serut';
  const expected = 'Klagenserut';
  await page.locator('[data-testid="search-input"]').fill(query);
  const hit = page.locator('[data-testid="search-result"]', { hasText: expected }).first();
  try {
    await hit.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    throw new Failure(`search for "${query}" listed no "${expected}"`);
  }
  await hit.click();
  try {
    await page.waitForFunction((name) => document.querySelector('[data-testid="place-name"]')?.textContent === name, expected, { timeout: 10_000 });
  } catch {
    throw new Failure(`choosing "${expected}" from the search did not open its panel`);
  }
  summary.search = expected;

  // 6. Optional: a slum location (E2E_LOKASI) is drawn, a click on it opens its panel
  //    (over the desa below), and its history chart has one point per assessment.
  if (LOKASI) {
    await checkLokasi(page, LOKASI);
    await screenshot(page);
  }

  // 7. Optional: a work segment (E2E_SEGMEN=1) is drawn, a click on it opens its panel
  //    with the funding bar, and the colouring switches to the funding source.
  if (SEGMEN && SEGMEN !== '0') {
    await checkSegmen(page);
    await screenshot(page);
  }

  // A configured basemap legitimately loads from elsewhere; otherwise nothing may.
  const basemap = await page.evaluate(async () => (await (await fetch(new URL('api/config', document.baseURI))).json()).basemap_style_url);
  const foreign = (p) => (p.match(/https?:\/\/[^\s)]+/g) ?? []).some((u) => new URL(u).origin !== base.origin);
  const serious = problems.filter((p) => !p.startsWith('console error') && !(basemap && foreign(p)));
  check(serious.length === 0, serious.join('; '));
  if (problems.length) summary.warnings = problems;
  if (summary.tiles) {
    check(tileStats.failed.length === 0, `tile requests failed: ${tileStats.failed.join('; ')}`);
    summary.tiles.requests = tileStats.requests;
  }
  summary.ok = true;
  summary.screenshot = shotPath;
});
