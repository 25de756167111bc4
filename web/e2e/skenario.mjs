#!/usr/bin/env node
// End-to-end check of the budget-scenario panel ("Skenario anggaran") in headless Chromium.
//
//   node web/e2e/skenario.mjs BASE_URL SCREENSHOT.png
//
// Expects a store with a kabupaten user and three planned road works on three surveyed
// slum locations of Bibrik (E2E_LOKASI, default SKN-A, SKN-B, SKN-C; each kumuh ringan,
// freed by its work) costing Rp 60, 50 and 50 million: see `seed_skenario` in tests/e2e.rs.
// Opens the panel anonymously (a note to sign in, no request and no chunk before the first
// press), signs in, types the envelope (formatted as typed), runs the scenario, reads the
// chosen works, the hectares, the optimality, the before/after class of a location in the
// table, in the two small maps side by side and on the map (the feature state of
// `lokasi-fill`, toggled Sebelum | Sesudah), downloads the workbook, runs it again with envelopes per funding source (APBN and APBD
// kabupaten), switches to English and back; saves a non-blank screenshot and
// prints one JSON line. Any answer 4xx/5xx fails it.
//
// Env: CHROMIUM, VIEWPORT (default 1280x800; 390x844 for a phone), E2E_USER / E2E_PASSWORD
// (default perencana / kata-sandi-kab), E2E_ANGGARAN (default 100000000), E2E_LOKASI (the
// location whose class is read, default SKN-B).
import { check, run, viewport, screenshot, ready, idle, waiter } from './browser.mjs';

const USER = process.env.E2E_USER || 'perencana';
const PASSWORD = process.env.E2E_PASSWORD || 'kata-sandi-kab';
const ANGGARAN = process.env.E2E_ANGGARAN || '100000000';
const LOKASI = process.env.E2E_LOKASI || 'SKN-B';

const [baseArg, shotPath] = process.argv.slice(2);
if (!baseArg || !shotPath) {
  console.error('usage: node e2e/skenario.mjs BASE_URL SCREENSHOT.png');
  process.exit(2);
}
const base = new URL(baseArg);
const { width: vw, height: vh } = viewport();
const summary = { ok: false, base: base.href, viewport: `${vw}x${vh}` };

const waitFor = waiter(30_000);

// The class `lokasi-fill` draws a location in: the scenario's state, else the tile's own.
function drawnKelas(page, kode) {
  return page.evaluate((k) => {
    const f = window.kumuhMap.queryRenderedFeatures({ layers: ['lokasi-fill'] }).find((x) => x.properties?.kode === k);
    return f ? { state: f.state?.skenario ?? null, tile: f.properties?.kelas ?? null } : null;
  }, kode);
}

const problems = [];
const requests = [];
await run(summary, async (browser) => {
  const context = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location()?.url ?? ''})`);
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/skenario') || url.pathname.includes('/assets/skenario')) requests.push(`${url.pathname}${url.search}`);
  });
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${url.pathname}${url.search}`);
  });

  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  await ready(page, 'body[data-ready="1"][data-siteplan-ready="1"]');
  check(requests.length === 0, `the scenario was loaded before the button was pressed: ${requests.join(', ')}`);

  // 1. Anonymous: a note to sign in, nothing asked.
  const button = page.locator('[data-testid="skenario-toggle"]');
  summary.button = (await button.textContent()).trim();
  await button.click();
  const panel = page.locator('[data-testid="skenario-panel"]');
  await waitFor(page, () => document.querySelector('[data-testid="skenario-panel"]')?.dataset.state === 'anon', null, 'the panel did not open for an anonymous visitor');
  check(requests.some((p) => p.includes('/assets/skenario')), 'the panel was not loaded as its own chunk');
  check(await page.locator('[data-testid="skenario-masuk"]').isVisible(), 'no note to sign in');
  summary.kicker = (await panel.locator('.panel-kicker').textContent()).trim();
  check(!requests.some((p) => p.startsWith('/api/skenario')), 'a scenario was asked for anonymously');

  // 2. Sign in (the panel turns into the form), type the envelope.
  await page.locator('[data-testid="auth-button"]').click();
  await page.locator('[data-testid="auth-username"]').fill(USER);
  await page.locator('[data-testid="auth-password"]').fill(PASSWORD);
  await page.locator('[data-testid="auth-submit"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="skenario-panel"]')?.dataset.state === 'form', null, `signed in as ${USER}, no scenario form`);
  const wilayah = await page.locator('[data-testid="skenario-wilayah"]').inputValue();
  check(/^\d{2}\.\d{2}\.\d{2}/.test(wilayah), `the place is not the viewer's home: "${wilayah}"`);
  const amount = page.locator('[data-testid="skenario-anggaran"]');
  await amount.click();
  await amount.pressSequentially(ANGGARAN);
  summary.anggaran = await amount.inputValue();
  check(await page.locator('[data-testid="skenario-tujuan"]').inputValue() === 'luas_keluar_kumuh_ha', 'the objective is not hectares by default');

  // 3. Run: the chosen works, the totals, the location before and after.
  await page.locator('[data-testid="skenario-run"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="skenario-panel"]')?.dataset.state === 'hasil', null, 'no scenario result');
  summary.terpilih = await page.locator('[data-testid="skenario-terpilih-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.kegiatan));
  summary.biaya = (await page.locator('[data-testid="skenario-biaya"]').textContent()).trim();
  summary.luas = (await page.locator('[data-testid="skenario-luas"]').textContent()).trim();
  summary.optimal = (await page.locator('[data-testid="skenario-optimal"]').textContent()).trim();
  const row = page.locator(`[data-testid="skenario-lokasi-row"][data-lokasi="${LOKASI}"]`);
  check((await row.count()) === 1, `no row for ${LOKASI} in the per-location table`);
  summary.lokasi = {
    judul: (await row.locator('th').first().textContent()).trim(),
    sebelum: (await row.locator('[data-testid="skenario-kelas-sebelum"]').textContent()).trim(),
    sesudah: (await row.locator('[data-testid="skenario-kelas-sesudah"]').textContent()).trim(),
  };
  summary.dilewati = await page.locator('[data-testid="skenario-dilewati-row"]').count();
  // The two small maps side by side: each location in its class before and after.
  summary.berdampingan = await page.evaluate((k) => {
    const read = (view) => {
      const paths = [...document.querySelectorAll(`[data-testid="skenario-berdampingan-${view}"] path`)];
      const path = paths.find((p) => p.dataset.lokasi === k);
      return { jumlah: paths.length, kelas: path?.dataset.kelas ?? null, fill: path?.getAttribute('fill') ?? null };
    };
    return { sebelum: read('sebelum'), sesudah: read('sesudah') };
  }, LOKASI);
  await page.locator('[data-testid="skenario-berdampingan"]').screenshot({ path: shotPath.replace(/\.png$/, '-berdampingan.png') });

  // 4. On the map: after, then before (the location brought into view).
  await waitFor(page, () => window.kumuhMap.getCanvas().dataset.skenario?.startsWith('sesudah:'), null, 'the map never showed the scenario');
  const centre = await page.evaluate(async (k) => {
    const res = await fetch(new URL('api/lokasi?desa=35.19.09.2014', document.baseURI));
    const fc = await res.json();
    const f = (fc.features ?? []).find((x) => x.properties?.kode === k);
    const g = f?.geometry;
    const ring = g?.type === 'MultiPolygon' ? g.coordinates[0][0] : g?.coordinates?.[0];
    if (!ring) return null;
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  }, LOKASI);
  check(centre, `no geometry for ${LOKASI} from /api/lokasi`);
  await page.evaluate((c) => window.kumuhMap.jumpTo({ center: c, zoom: 14 }), centre);
  await idle(page);
  summary.peta = { sesudah: await drawnKelas(page, LOKASI) };
  await page.locator('[data-testid="skenario-view-sebelum"]').click();
  await waitFor(page, () => window.kumuhMap.getCanvas().dataset.skenario?.startsWith('sebelum:'), null, 'the Sebelum toggle did nothing');
  await idle(page);
  summary.peta.sebelum = await drawnKelas(page, LOKASI);
  await page.locator('[data-testid="skenario-view-sesudah"]').click();

  // 5. The workbook of the same scenario.
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.waitForResponse((res) => res.url().includes('/api/skenario?format=xlsx'), { timeout: 30_000 }).then((res) => {
      summary.xlsx = { status: res.status(), type: res.headers()['content-type'] ?? '' };
    }),
    page.locator('[data-testid="skenario-xlsx"]').click(),
  ]);
  summary.xlsx.name = download.suggestedFilename();
  check(summary.xlsx.status === 200 && summary.xlsx.type.includes('spreadsheetml'), `XLSX download ${JSON.stringify(summary.xlsx)}`);

  // 6. Per funding source: APBN funds only national-level locations (over 15 ha), so its
  // Rp 200 million buys none of these; APBD kabupaten's Rp 60 million buys A (6.6 ha), not
  // B or C (5.0 ha each).
  await page.locator('[data-testid="skenario-mode"]').selectOption('sumber');
  await waitFor(page, () => document.querySelector('[data-testid="skenario-anggaran-apbd_kabupaten"]'), null, 'the per-source form did not open');
  for (const [sumber, rp] of [['apbn', '200000000'], ['apbd_kabupaten', '60000000']]) {
    const input = page.locator(`[data-testid="skenario-anggaran-${sumber}"]`);
    await input.click();
    await input.pressSequentially(rp);
  }
  summary.perSumber = { anggaran: await page.locator('[data-testid="skenario-anggaran-apbd_kabupaten"]').inputValue() };
  await Promise.all([
    page.waitForResponse((res) => new URL(res.url()).pathname.endsWith('/api/skenario') && res.request().method() === 'POST', { timeout: 30_000 }),
    page.locator('[data-testid="skenario-run"]').click(),
  ]);
  await waitFor(page, () => {
    const run = document.querySelector('[data-testid="skenario-run"]');
    return run && !run.disabled && document.querySelector('[data-testid="skenario-panel"]')?.dataset.state === 'hasil';
  }, null, 'no per-source scenario result');
  const rows = page.locator('[data-testid="skenario-terpilih-row"]');
  summary.perSumber.terpilih = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.kegiatan));
  summary.perSumber.pembayar = await rows.evaluateAll((rs) => rs.map((r) => r.querySelector('td:last-of-type')?.textContent.trim()));
  summary.perSumber.biaya = (await page.locator('[data-testid="skenario-biaya"]').textContent()).trim();

  // 7. In English, then back.
  await page.locator('[data-testid="lang-en"]').click();
  summary.en = (await panel.locator('.panel-kicker').textContent()).trim();
  await page.locator('[data-testid="lang-id"]').click();

  await panel.evaluate((el) => el.scrollTo(0, 0));
  summary.colours = (await screenshot(page, shotPath)).colours;
  check(problems.length === 0, problems.join('; '));
  summary.ok = true;
});
