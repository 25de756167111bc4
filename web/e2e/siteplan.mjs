#!/usr/bin/env node
// End-to-end check of the siteplan editor in headless Chromium (Debian's build).
//
//   node web/e2e/siteplan.mjs BASE_URL SCREENSHOT.png
//
// Signs in as an LKM user through the header form, creates a siteplan for Bibrik
// (35.19.09.2014), draws a `taman` polygon by tapping four map points inside Bibrik and
// the first one again (Terra Draw polygon mode), checks the live geodesic area, gives it a
// label, saves (version 2), reloads the page (the cookie session stays; the CSRF token
// comes back from /api/auth/me), opens the siteplan again, finds the polygon in the API
// answer and in `siteplan-fill` (queryRenderedFeatures), checks the history lists 2
// versions, opens the A4 print view (window.print stubbed) and checks its title, meta,
// legend, scale bar and north arrow, and saves a non-blank screenshot.
//
// Env: CHROMIUM (default /usr/bin/chromium), VIEWPORT (default 1280x800; e.g. 820x1180
// for a tablet, which also uses touch taps), E2E_USER / E2E_PASSWORD (default makmur /
// kata-sandi-lkm; an `lkm` user of Bibrik, created with
// `kumuh user add makmur --role lkm --desa 35.19.09.2014 --password-stdin`), E2E_SHOTS
// (optional directory: also save editor.png while drawing and print.png of the print view).
// Prints one JSON line; exits 0 on success, 1 (with the reason) on any failure.
import { Failure, check, run, viewport, watchPage, idle, screenshot as savedScreenshot, ready as viewerReady } from './browser.mjs';

const USER = process.env.E2E_USER || 'makmur';
const PASSWORD = process.env.E2E_PASSWORD || 'kata-sandi-lkm';
const DESA = '35.19.09.2014'; // Bibrik
// A small square inside Bibrik (about 55 m × 55 m), counter-clockwise.
const CORNERS = [
  [111.494, -7.5765],
  [111.4945, -7.5765],
  [111.4945, -7.576],
  [111.494, -7.576],
];
const LABEL = 'Taman baca E2E';
const SHOTS = process.env.E2E_SHOTS || '';

const [baseArg, shotPath] = process.argv.slice(2);
if (!baseArg || !shotPath) {
  console.error('usage: node e2e/siteplan.mjs BASE_URL SCREENSHOT.png');
  process.exit(2);
}
const base = new URL(baseArg);
const { width: vw, height: vh } = viewport();
const touch = vw < 1024;
const summary = { ok: false, base: base.href, viewport: `${vw}x${vh}` };

async function waitFor(page, fn, arg, what, timeout = 15_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
  } catch {
    const msg = await page
      .locator('[data-testid="siteplan-message"]')
      .textContent()
      .catch(() => '');
    const banner = await page
      .locator('[data-testid="error-banner"]:not([hidden])')
      .textContent({ timeout: 500 })
      .catch(() => '');
    throw new Failure(`${what}${msg ? `; panel message: ${msg}` : ''}${banner ? `; banner: ${banner}` : ''}`);
  }
}

async function ready(page) {
  await viewerReady(page, 'body[data-ready="1"][data-siteplan-ready="1"]');
}

async function tap(page, x, y) {
  if (touch) await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
}

async function openPanel(page) {
  if (!(await page.locator('[data-testid="siteplan-panel"]').isVisible())) await page.locator('[data-testid="siteplan-toggle"]').click();
  await page.locator('[data-testid="siteplan-panel"]').waitFor({ state: 'visible', timeout: 5_000 });
}

async function screenshot(page) {
  summary.colours = (await savedScreenshot(page, shotPath)).colours;
}

const problems = [];
await run(summary, async (browser) => {
  const context = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 1, hasTouch: touch, isMobile: false });
  const page = await context.newPage();
  watchPage(page, problems);
  page.on('response', (res) => {
    if (res.status() >= 500) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('dialog', (d) => d.accept());

  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  await ready(page);

  // 1. Sign in through the header form.
  await page.locator('[data-testid="auth-button"]').click();
  await page.locator('[data-testid="auth-username"]').fill(USER);
  await page.locator('[data-testid="auth-password"]').fill(PASSWORD);
  await page.locator('[data-testid="auth-submit"]').click();
  await waitFor(page, (u) => document.querySelector('[data-testid="auth-user"]')?.textContent.includes(u), USER, `sign-in as ${USER} did not show the user`);
  const authError = await page.locator('[data-testid="auth-error"]:not([hidden])').count();
  check(authError === 0, 'sign-in form shows an error');
  summary.user = (await page.locator('[data-testid="auth-user"]').textContent()).trim();

  // 2. Open the panel, create a new siteplan for Bibrik.
  await openPanel(page);
  await page.locator('[data-testid="siteplan-new"]').click();
  const judul = `Siteplan uji E2E ${new Date().toISOString().slice(0, 19)}`;
  await page.locator('[data-testid="siteplan-new-desa"]').selectOption(DESA);
  await page.locator('[data-testid="siteplan-new-judul"]').fill(judul);
  await page.locator('[data-testid="siteplan-new-submit"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="siteplan-detail"]')?.dataset.versi === '1', null, 'new siteplan not opened at version 1');
  const id = await page.locator('[data-testid="siteplan-detail"]').getAttribute('data-id');
  summary.siteplan = id;

  // 3. Draw: category taman, polygon mode, tap four corners and the first again.
  await page.locator('[data-testid="siteplan-edit"]').click();
  await page.locator('[data-testid="siteplan-editor"]').waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('[data-testid="kategori-taman"]').click();
  await page.locator('[data-testid="mode-polygon"]').click();
  await waitFor(page, () => window.kumuhSiteplan.editor.mode() === 'polygon', null, 'polygon mode not on');
  // Frame the square in the part of the map the panel leaves free.
  await page.evaluate((corners) => {
    const map = window.kumuhMap;
    const panel = document.getElementById('siteplan-panel').getBoundingClientRect();
    const rect = map.getCanvas().getBoundingClientRect();
    const sheet = panel.top > rect.top + rect.height / 3; // bottom sheet on phones
    // Keep clear of the legend and layer boxes over the map's left side.
    const overlays = document.querySelector('.map-overlays')?.getBoundingClientRect();
    const left = Math.max(40, overlays ? overlays.right - rect.left + 30 : 0);
    const padding = sheet
      ? { top: 60, left, right: 60, bottom: rect.bottom - panel.top + 40 }
      : { top: 80, left, bottom: 80, right: rect.right - panel.left + 60 };
    map.fitBounds([corners[0], corners[2]], { padding, duration: 0, maxZoom: 19 });
  }, CORNERS);
  await idle(page);
  const points = await page.evaluate((corners) => {
    const map = window.kumuhMap;
    const rect = map.getCanvas().getBoundingClientRect();
    return corners.map((c) => {
      const p = map.project(c);
      return { x: rect.left + p.x, y: rect.top + p.y };
    });
  }, CORNERS);
  summary.zoom = await page.evaluate(() => Math.round(window.kumuhMap.getZoom() * 10) / 10);
  const onCanvas = await page.evaluate((pts) => pts.every((p) => document.elementFromPoint(p.x, p.y) === window.kumuhMap.getCanvas()), points);
  check(onCanvas, `a corner to tap is covered by something else than the map: ${JSON.stringify(points)}`);
  for (const p of [...points, points[0]]) {
    await tap(page, p.x, p.y);
    await page.waitForTimeout(250);
  }
  await waitFor(
    page,
    () => window.kumuhSiteplan.editor.collection().features.some((f) => f.geometry.type === 'Polygon' && f.properties.kategori === 'taman'),
    null,
    'no taman polygon after tapping the corners',
  );
  // The polygon is selected after drawing: its live geodesic measure and label field.
  await page.locator('[data-testid="fitur-label"]').waitFor({ state: 'visible', timeout: 5_000 });
  const live = await page.locator('[data-testid="siteplan-measure"]').evaluate((e) => ({ area: Number(e.dataset.areaM2), perimeter: Number(e.dataset.perimeterM), text: e.textContent }));
  check(live.area > 2000 && live.area < 4500, `live area ${live.area} m² is not that of a ~55 m square`);
  summary.luas_klien_m2 = Math.round(live.area * 10) / 10;
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/editor.png` });
  await page.locator('[data-testid="fitur-label"]').fill(LABEL);
  await page.locator('[data-testid="fitur-label"]').press('Tab');
  await waitFor(page, (label) => window.kumuhSiteplan.editor.collection().features[0]?.properties.label === label, LABEL, 'label not applied');

  // Undo and redo by hand: Urungkan drops the label, the form sets it again.
  await page.locator('[data-testid="siteplan-undo"]').click();
  await waitFor(page, () => !window.kumuhSiteplan.editor.collection().features[0]?.properties.label, null, 'undo did not drop the label');
  await waitFor(page, () => window.kumuhSiteplan.editor.collection().features.length === 1, null, 'undo removed more than the label');
  await page.evaluate((label) => {
    const ed = window.kumuhSiteplan.editor;
    ed.select(ed.collection().features[0].id);
  }, LABEL);
  await page.locator('[data-testid="fitur-label"]').waitFor({ state: 'visible', timeout: 5_000 });
  await page.locator('[data-testid="fitur-label"]').fill(LABEL);
  await page.locator('[data-testid="fitur-label"]').press('Tab');
  await waitFor(page, (label) => window.kumuhSiteplan.editor.collection().features[0]?.properties.label === label, LABEL, 'label not applied again');

  // 4. Save: version 2.
  await page.locator('[data-testid="simpan-catatan"]').fill('Taman dari uji E2E');
  await page.locator('[data-testid="siteplan-save"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="siteplan-detail"]')?.dataset.versi === '2', null, 'save did not make version 2');
  const msgKind = await page.locator('[data-testid="siteplan-message"]').getAttribute('data-kind');
  check(msgKind === 'ok', `after saving the message is "${msgKind}"`);
  await page.locator('[data-testid="siteplan-edit-stop"]').click();

  // 5. Reload: the session survives, the siteplan opens again.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await ready(page);
  await waitFor(page, (u) => document.querySelector('[data-testid="auth-user"]')?.textContent.includes(u), USER, 'not signed in after reload');
  await openPanel(page);
  const item = page.locator(`[data-testid="siteplan-item"][data-id="${id}"]`);
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();
  await waitFor(page, (sid) => document.querySelector('[data-testid="siteplan-detail"]')?.dataset.id === sid, id, 'siteplan not reopened after reload');
  const api = await page.evaluate(async (sid) => (await fetch(new URL(`api/siteplan/${encodeURIComponent(sid)}`, document.baseURI))).json(), id);
  const poly = api.fitur.features.find((f) => f.geometry.type === 'Polygon' && f.properties.kategori === 'taman');
  check(poly, `no taman polygon in /api/siteplan/${id}`);
  check(poly.properties.label === LABEL, `label "${poly.properties.label}" saved, expected "${LABEL}"`);
  check(api.versi === 2 && api.riwayat.length === 2, `API: versi ${api.versi}, ${api.riwayat.length} versions; expected 2 and 2`);
  const server = poly.properties.ukuran.area_m2;
  summary.luas_server_m2 = Math.round(server * 10) / 10;
  check(Math.abs(server - live.area) / server < 1e-3, `client area ${live.area} m² and server area ${server} m² differ by more than 0.1 %`);
  summary.versi = api.versi;
  summary.fitur = api.fitur.features.length;

  // Drawn in siteplan-fill (the map was fitted to the siteplan on opening).
  await idle(page);
  await waitFor(
    page,
    (fid) => window.kumuhMap.queryRenderedFeatures({ layers: ['siteplan-fill'] }).some((f) => f.properties.id === fid),
    poly.properties.id,
    `polygon ${poly.properties.id} not drawn in siteplan-fill`,
  );
  summary.fill = true;

  // History: 2 rows (creation + save).
  const rows = await page.locator('[data-testid="riwayat-row"]').count();
  check(rows === 2, `history shows ${rows} versions, expected 2`);
  summary.riwayat = rows;

  // "Lihat" version 1: read-only, no features.
  await page.locator('[data-testid="riwayat-row"][data-versi="1"] [data-testid="riwayat-lihat"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="siteplan-detail"]')?.dataset.versi === '1', null, 'viewing version 1 did not open it');
  check(await page.locator('[data-testid="siteplan-viewing"]').isVisible(), 'no read-only notice for version 1');
  check((await page.locator('[data-testid="siteplan-edit"]').count()) === 0, 'version 1 offers drawing');
  await page.locator('[data-testid="riwayat-row"][data-versi="2"] [data-testid="riwayat-lihat"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="siteplan-detail"]')?.dataset.versi === '2', null, 'back to version 2 failed');

  // 6. Print view (window.print stubbed).
  await page.evaluate(() => {
    window.__printed = 0;
    window.print = () => {
      window.__printed += 1;
    };
  });
  await page.locator('[data-testid="siteplan-print-button"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="siteplan-print"]')?.dataset.ready === '1', null, 'print view not ready', 30_000);
  await waitFor(page, () => window.__printed > 0, null, 'window.print() not called');
  const print = await page.evaluate(() => {
    const root = document.querySelector('[data-testid="siteplan-print"]');
    const q = (s) => root.querySelector(s);
    const img = q('.sp-print-img');
    return {
      title: q('[data-testid="print-title"]')?.textContent,
      desa: q('[data-testid="print-desa"]')?.textContent,
      versi: q('[data-testid="print-versi"]')?.textContent,
      tanggal: q('[data-testid="print-tanggal"]')?.textContent,
      legend: root.querySelectorAll('[data-testid="print-legend-item"]').length,
      legendText: q('[data-testid="print-legend"]')?.textContent,
      scale: q('.maplibregl-ctrl-scale')?.textContent,
      north: Boolean(q('[data-testid="print-north"] svg')),
      image: Boolean(img && !img.hidden && img.src.startsWith('data:image/png') && img.src.length > 5000),
    };
  });
  check(print.title === judul, `print title "${print.title}"`);
  check(print.desa?.includes('Bibrik'), `print desa "${print.desa}"`);
  check(print.versi?.startsWith('2'), `print version "${print.versi}"`);
  check(print.legend >= 1 && print.legendText.includes('Taman'), `print legend: ${print.legend} items "${print.legendText}"`);
  check(/\d+\s*(m|km)/.test(print.scale ?? ''), `print scale bar "${print.scale}"`);
  check(print.north, 'no north arrow');
  check(print.image, 'print map picture missing');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/print.png` });
  await page.emulateMedia({ media: 'print' });
  const printOnly = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector('.app-header')).display,
    sheet: getComputedStyle(document.querySelector('.sp-sheet')).display,
    img: getComputedStyle(document.querySelector('.sp-print-img')).display,
  }));
  await page.emulateMedia({ media: 'screen' });
  check(printOnly.header === 'none' && printOnly.sheet !== 'none' && printOnly.img === 'block', `print CSS: ${JSON.stringify(printOnly)}`);
  summary.print = { scale: print.scale.trim(), legend: print.legend, north: print.north };
  await page.locator('[data-testid="siteplan-print"] [data-action="close"]').click();
  await page.locator('[data-testid="siteplan-print"]').waitFor({ state: 'detached', timeout: 5_000 });

  // 7. Screenshot with the siteplan open.
  await screenshot(page);

  const serious = problems.filter((p) => !p.startsWith('console error'));
  check(serious.length === 0, serious.join('; '));
  if (problems.length) summary.warnings = problems;
  summary.ok = true;
  summary.screenshot = shotPath;
});
