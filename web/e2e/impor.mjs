#!/usr/bin/env node
// End-to-end check of "Impor data" (the layer panel's import box) in headless Chromium.
//
//   node web/e2e/impor.mjs BASE_URL FILE.shp.zip SCREENSHOT.png
//
// Expects a store with a kabupaten user and a zipped Shapefile in UTM 49S whose fields
// Kumuh does not recognise (E2E_KODE_FIELD / E2E_NAMA_FIELD, default KDEPUM and NAMOBJ, as
// in BIG's RBI layers) holding desa whose codes are not in the store yet: see
// `an_import_through_the_viewer_reaches_the_map_in_chromium` in tests/e2e.rs. The box is
// hidden from an anonymous visitor; signed in, the check chooses the file and the level,
// previews (nothing suggested for the two fields), maps the two fields with their
// drop-downs, previews again (the features drawn on the map in EPSG:4326, no problem),
// imports (upload progress, the counts), and finds the new desa on the map's own tiles.
// Saves a non-blank screenshot and prints one JSON line. Any answer 4xx/5xx fails it.
//
// Env: CHROMIUM, VIEWPORT (default 1280x800; 390x844 for a phone), E2E_USER / E2E_PASSWORD (default perencana /
// kata-sandi-kab), E2E_KODE (a code in the file, default 35.19.09.2114), E2E_KODE_FIELD,
// E2E_NAMA_FIELD.
import { check, run, viewport, screenshot, ready, idle, waiter } from './browser.mjs';

const USER = process.env.E2E_USER || 'perencana';
const PASSWORD = process.env.E2E_PASSWORD || 'kata-sandi-kab';
const KODE = process.env.E2E_KODE || '35.19.09.2114';
const KODE_FIELD = process.env.E2E_KODE_FIELD || 'KDEPUM';
const NAMA_FIELD = process.env.E2E_NAMA_FIELD || 'NAMOBJ';

const [baseArg, fileArg, shotPath] = process.argv.slice(2);
if (!baseArg || !fileArg || !shotPath) {
  console.error('usage: node e2e/impor.mjs BASE_URL FILE.shp.zip SCREENSHOT.png');
  process.exit(2);
}
const base = new URL(baseArg);
const { width: vw, height: vh } = viewport();
const summary = { ok: false, base: base.href, viewport: `${vw}x${vh}` };

const waitFor = waiter(30_000);
const state = (page) => page.locator('[data-testid="impor"]').getAttribute('data-state');

const problems = [];
await run(summary, async (browser) => {
  const context = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location()?.url ?? ''})`);
  });
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${url.pathname}${url.search}`);
  });

  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  await ready(page, 'body[data-ready="1"][data-siteplan-ready="1"]');
  const box = page.locator('[data-testid="impor"]');
  check(await box.count() === 1, 'no import box in the layer panel');
  check((await box.getAttribute('hidden')) !== null, 'the import box is shown to an anonymous visitor');

  // 1. Signed in as the kabupaten: the box shows.
  await page.locator('[data-testid="auth-button"]').click();
  await page.locator('[data-testid="auth-username"]').fill(USER);
  await page.locator('[data-testid="auth-password"]').fill(PASSWORD);
  await page.locator('[data-testid="auth-submit"]').click();
  await waitFor(page, () => !document.querySelector('[data-testid="impor"]')?.hidden, null, `signed in as ${USER}, no import box`);
  // On a phone the layer panel starts folded.
  if (!(await page.locator('#layer-panel-body').isVisible())) await page.locator('[data-testid="layer-panel-toggle"]').click();
  await box.scrollIntoViewIfNeeded();
  summary.title = (await box.locator('.ekspor-title').textContent()).trim();
  check(summary.title === 'Impor data', `the box is titled "${summary.title}"`);

  // 2. The file and the level; a first preview suggests nothing for the two fields.
  await page.locator('[data-testid="impor-berkas"]').setInputFiles(fileArg);
  await page.locator('[data-testid="impor-level"]').selectOption('desa');
  await page.locator('[data-testid="impor-pratinjau"]').click();
  await waitFor(page, () => ['pratinjau', 'gagal'].includes(document.querySelector('[data-testid="impor"]')?.dataset.state), null, 'no preview');
  check((await state(page)) === 'pratinjau', `the preview failed: ${await page.locator('[data-testid="impor-status"]').textContent()}`);
  const kode = page.locator('[data-testid="impor-bidang-kode"]');
  const nama = page.locator('[data-testid="impor-bidang-nama"]');
  summary.usulan = { kode: await kode.inputValue(), nama: await nama.inputValue() };
  summary.kolom = await kode.locator('option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
  check(summary.kolom.includes(KODE_FIELD) && summary.kolom.includes(NAMA_FIELD), `the file's fields are not offered: ${summary.kolom}`);
  check(await page.locator('[data-testid="impor-kirim"]').isDisabled(), 'Impor is enabled with kode and nama unmapped');
  summary.masalahAwal = await page.locator('[data-testid="impor-masalah-item"]').count();

  // 3. Two fields mapped with the drop-downs, previewed again: drawn on the map, no problem.
  await kode.selectOption(KODE_FIELD);
  await nama.selectOption(NAMA_FIELD);
  await page.locator('[data-testid="impor-pratinjau"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="impor"]')?.dataset.state === 'pratinjau' && !document.querySelector('[data-testid="impor-pratinjau"]').disabled, null, 'no second preview');
  summary.pratinjau = (await page.locator('[data-testid="impor-status"]').textContent()).trim();
  check(/2 fitur dibaca; 2 siap diimpor, 0 bermasalah/.test(summary.pratinjau), `preview counts: ${summary.pratinjau}`);
  check((await page.locator('[data-testid="impor-masalah-item"]').count()) === 0, 'the preview lists problems');
  summary.peta = await page.evaluate(async () => {
    const source = window.kumuhMap.getSource('impor-pratinjau');
    const features = source ? ((await source.getData())?.features ?? []) : [];
    const first = features[0]?.geometry?.coordinates?.flat(3) ?? [];
    return { features: features.length, kode: features.map((f) => f.properties.kode).sort(), lon: first[0], lat: first[1], layer: Boolean(window.kumuhMap.getLayer('impor-pratinjau-fill')) };
  });
  check(summary.peta.layer && summary.peta.features === 2, `the preview is not on the map: ${JSON.stringify(summary.peta)}`);
  check(summary.peta.kode.includes(KODE), `the preview's features do not carry ${KODE}: ${summary.peta.kode}`);
  check(summary.peta.lon > 111 && summary.peta.lon < 112 && summary.peta.lat > -8 && summary.peta.lat < -7, `not reprojected to longitude/latitude: ${summary.peta.lon}, ${summary.peta.lat}`);
  check(await page.locator('[data-testid="impor-kirim"]').isEnabled(), 'Impor stays disabled after a clean preview');

  // 4. Import: the upload's progress, the counts; the preview leaves the map.
  await page.locator('[data-testid="impor-kirim"]').click();
  await waitFor(page, () => ['selesai', 'gagal'].includes(document.querySelector('[data-testid="impor"]')?.dataset.state), null, 'the import did not end');
  summary.hasil = (await page.locator('[data-testid="impor-status"]').textContent()).trim();
  check((await state(page)) === 'selesai', `the import failed: ${summary.hasil}`);
  check(/2 ditambah, 0 diperbarui/.test(summary.hasil), `import counts: ${summary.hasil}`);
  // The upload's progress reached its end (XMLHttpRequest upload events).
  summary.progress = (await box.getAttribute('data-unggah')) === '100';
  check(!(await page.evaluate(() => Boolean(window.kumuhMap.getSource('impor-pratinjau')))), 'the preview stayed on the map');

  // 5. The new desa on the map: drawn from the server's tiles, reloaded after the import.
  await waitFor(
    page,
    (k) => window.kumuhMap.querySourceFeatures('desa', { sourceLayer: 'desa', filter: ['==', ['get', 'kode'], k] }).length > 0,
    KODE,
    `${KODE} is not in the map's desa tiles after the import`,
  );
  // Its name among the label points, fetched again after the import.
  await waitFor(
    page,
    (k) => window.kumuhMap.querySourceFeatures('desa-labels', { filter: ['==', ['get', 'kode'], k] }).length > 0,
    KODE,
    `${KODE} has no label point after the import`,
  );
  await idle(page);
  summary.drawn = await page.evaluate((k) => {
    const f = window.kumuhMap.queryRenderedFeatures({ layers: ['desa-fill'] }).find((x) => x.properties?.kode === k);
    return f ? f.properties.nama : null;
  }, KODE);
  check(summary.drawn === 'Bibrik Baru', `${KODE} is not drawn with its name: ${summary.drawn}`);

  // 6. In English, then back.
  await page.locator('[data-testid="lang-en"]').click();
  summary.en = (await box.locator('.ekspor-title').textContent()).trim();
  check(summary.en === 'Import data', `English title: ${summary.en}`);
  await page.locator('[data-testid="lang-id"]').click();

  summary.colours = (await screenshot(page, shotPath)).colours;
  check(problems.length === 0, problems.join('; '));
  summary.ok = true;
});
