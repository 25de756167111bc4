#!/usr/bin/env node
// End-to-end check of the revolving-loan layer ("Dana bergulir") in headless Chromium.
//
//   node web/e2e/upk.mjs BASE_URL SCREENSHOT.png
//
// Expects a store with an `upk` user of Bibrik (35.19.09.2014), a KSM of Bibrik with a
// loan in arrears (class 3-5, so Bibrik's PAR is `kurang`) and a KSM of Wayut
// (35.19.09.2009) with a loan paid ahead (PAR `baik`): see `seed_upk` in tests/e2e.rs.
// Turns the layer on in the layer panel (it starts off, and its module is loaded only
// then), checks that Bibrik and Wayut are drawn in `upk-fill` with their PAR band (the
// feature state the layer colours by), opens Bibrik's panel anonymously (indicators and
// 12-month charts, no group name, no request for details), signs in as the upk user and
// finds the group's name, the loan's kolektibilitas, its row of the Daftar Tunggakan and
// the XLSX download and the collection plan; saves a non-blank screenshot and prints one
// JSON line. Any answer 4xx/5xx fails it.
//
// Env: CHROMIUM, VIEWPORT (default 1280x800; 390x844 for a phone), E2E_USER /
// E2E_PASSWORD (default sri-upk / kata-sandi-upk), E2E_KSM (the group's name, default
// "KSM Maju Bersama"), E2E_PINJAMAN (its loan, default P-01).
import { check, run, viewport, screenshot, ready, idle, waiter } from './browser.mjs';

const USER = process.env.E2E_USER || 'sri-upk';
const PASSWORD = process.env.E2E_PASSWORD || 'kata-sandi-upk';
const KSM = process.env.E2E_KSM || 'KSM Maju Bersama';
const PINJAMAN = process.env.E2E_PINJAMAN || 'P-01';
const BIBRIK = '35.19.09.2014';
const WAYUT = '35.19.09.2009';

const [baseArg, shotPath] = process.argv.slice(2);
if (!baseArg || !shotPath) {
  console.error('usage: node e2e/upk.mjs BASE_URL SCREENSHOT.png');
  process.exit(2);
}
const base = new URL(baseArg);
const { width: vw, height: vh } = viewport();
const summary = { ok: false, base: base.href, viewport: `${vw}x${vh}` };

const waitFor = waiter(20_000);

// The PAR band of each desa drawn in upk-fill (feature state `upk`), by code.
function drawnBands(page) {
  return page.evaluate(() => {
    const out = {};
    for (const f of window.kumuhMap.queryRenderedFeatures({ layers: ['upk-fill'] })) {
      const kode = f.properties?.kode;
      if (kode) out[kode] = f.state?.upk ?? null;
    }
    return out;
  });
}

const problems = [];
const requests = [];
await run(summary, async (browser) => {
  const context = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const at = msg.location()?.url ?? '';
    problems.push(`console error: ${msg.text()} (${at})`);
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/') || url.pathname.includes('/assets/upk')) requests.push(url.pathname);
  });
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${url.pathname}${url.search}`);
  });

  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  await ready(page, 'body[data-ready="1"][data-siteplan-ready="1"]');

  // 1. The layer starts off, and its module is not loaded before it is shown.
  const toggle = page.locator('[data-testid="layer-panel-toggle"]');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const box = page.locator('[data-testid="toggle-upk"]');
  check(!(await box.isChecked()), 'the Dana bergulir layer is on at the start');
  check(!requests.some((p) => p.includes('/assets/upk') || p.startsWith('/api/upk')), `UPK loaded before the layer was shown: ${requests.join(', ')}`);
  summary.layer = (await page.locator('[data-group="upk"] .layer-name').textContent()).trim();
  check(summary.layer === 'Dana bergulir', `layer named "${summary.layer}"`);

  // 2. Turn it on: every desa drawn in upk-fill, Bibrik poor, Wayut good, the legend.
  await box.check();
  await waitFor(page, () => Number(window.kumuhMap.getCanvas().dataset.upk) > 0, null, 'the PAR bands never reached the desa tiles');
  check(requests.some((p) => p.includes('/assets/upk')), 'the UPK module was not loaded as its own chunk');
  await idle(page);
  const bands = await drawnBands(page);
  summary.desa = Object.keys(bands).filter((k) => k.startsWith('35.19.09.')).length;
  summary.bibrik = bands[BIBRIK] ?? null;
  summary.wayut = bands[WAYUT] ?? null;
  check(summary.desa === 14, `expected the 14 desa drawn in upk-fill, got ${summary.desa}`);
  check(summary.bibrik === 'kurang', `Bibrik is drawn with PAR band ${summary.bibrik}, expected kurang`);
  check(summary.wayut === 'baik', `Wayut is drawn with PAR band ${summary.wayut}, expected baik`);
  const grey = Object.entries(bands).filter(([, b]) => b == null).length;
  check(grey === Object.keys(bands).length - 2, `${grey} desa without a band, expected all but Bibrik and Wayut`);
  summary.legend = await page.locator('[data-testid="upk-legend"] li').count();
  check(summary.legend === 4, `the legend has ${summary.legend} entries, expected 3 bands and "no loan"`);
  // On a phone the layer panel covers the map: out of the way.
  if (vw < 640) await toggle.click();

  // 3. Open Bibrik at its label point (inside the polygon): indicators for everyone.
  const target = await page.evaluate(async (kode) => {
    const config = await (await fetch(new URL('api/config', document.baseURI))).json();
    const url = new URL('api/places/labels', document.baseURI);
    url.search = new URLSearchParams({ level: 'desa', parent: config.home.kode });
    const labels = await (await fetch(url)).json();
    const f = labels.features.find((x) => x.properties.kode === kode);
    if (!f) return null;
    const p = window.kumuhMap.project(f.geometry.coordinates);
    const rect = window.kumuhMap.getCanvas().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, BIBRIK);
  check(target, 'no label point for Bibrik');
  await page.mouse.click(target.x, target.y);
  await waitFor(page, (k) => document.querySelector('[data-testid="upk-panel"]')?.dataset.kode === k && document.querySelector('[data-testid="upk-par"]'), BIBRIK, 'clicking Bibrik did not open its loan panel with PAR');
  const panel = page.locator('[data-testid="upk-panel"]');
  check(await panel.isVisible(), 'loan panel not visible');
  check(!(await page.locator('[data-testid="place-panel"]').isVisible()), 'the place panel opened as well');
  summary.title = (await page.locator('[data-testid="upk-name"]').textContent()).trim();
  check(summary.title === 'Bibrik', `panel title "${summary.title}"`);
  const indicator = (id) =>
    page.locator(`[data-testid="${id}"]`).evaluate((tr) => ({ pita: tr.dataset.pita ?? null, persen: tr.querySelector('td.num')?.textContent.trim() }));
  summary.par = await indicator('upk-par');
  summary.lar = await indicator('upk-lar');
  summary.rr = await indicator('upk-rr');
  check(summary.par.pita === 'kurang' && summary.par.persen === '100,00 %', `PAR ${JSON.stringify(summary.par)}`);
  check(summary.lar.pita === 'kurang', `LAR ${JSON.stringify(summary.lar)}`);
  check(summary.rr.pita === 'kurang' && /^\d{1,2},\d{2} %$/.test(summary.rr.persen), `repayment rate ${JSON.stringify(summary.rr)}`);
  // The charts: 12 months of the desa (in arrears all along) and of the kecamatan.
  await waitFor(page, () => document.querySelector('[data-testid="upk-chart-desa-par_persen"]') && document.querySelector('[data-testid="upk-chart-wilayah-par_persen"]'), null, 'no monthly charts');
  summary.chart = await page.evaluate(() => {
    const marks = (id) => document.querySelectorAll(`[data-testid="${id}"] .chart-mark`).length;
    const points = (id) => document.querySelectorAll(`[data-testid="${id}"] .chart-point`).length;
    return { months: marks('upk-chart-desa-par_persen'), par: points('upk-chart-desa-par_persen'), wilayah: points('upk-chart-wilayah-par_persen') };
  });
  check(summary.chart.months === 12 && summary.chart.par === 12 && summary.chart.wilayah === 12, `charts ${JSON.stringify(summary.chart)}`);
  // Nothing personal, and nothing personal asked for.
  const anonymous = await panel.textContent();
  check(!anonymous.includes(KSM) && !anonymous.includes('Berkah Jaya'), 'an anonymous visitor sees a group name');
  check(await page.locator('[data-testid="upk-rincian-note"]').isVisible(), 'no note on the details for an anonymous visitor');
  const asked = requests.filter((p) => p === '/api/ksm' || p.startsWith('/api/upk/tunggakan') || p.startsWith('/api/pinjaman'));
  check(asked.length === 0, `details asked for anonymously: ${asked.join(', ')}`);
  summary.anonim = 'indikator';

  // 4. Sign in as the desa's UPK: the group, its loan's class, the arrears row.
  await page.locator('[data-testid="auth-button"]').click();
  await page.locator('[data-testid="auth-username"]').fill(USER);
  await page.locator('[data-testid="auth-password"]').fill(PASSWORD);
  await page.locator('[data-testid="auth-submit"]').click();
  await waitFor(page, () => document.querySelector('[data-testid="upk-panel"]')?.dataset.rincian === 'ok', null, `signed in as ${USER}, the panel shows no details`);
  summary.ksm = await page.locator('[data-testid="upk-ksm-nama"]').allTextContents();
  check(summary.ksm.includes(KSM), `groups shown: ${summary.ksm.join(', ')}`);
  const loan = page.locator(`[data-testid="upk-pinjaman"][data-pinjaman="${PINJAMAN}"]`);
  summary.kolektibilitas = Number(await loan.getAttribute('data-kolektibilitas'));
  summary.kolektibilitas_text = (await loan.locator('[data-testid="upk-kolektibilitas"]').textContent()).trim();
  check(summary.kolektibilitas >= 3, `loan ${PINJAMAN} in class ${summary.kolektibilitas}, expected arrears (3-5)`);
  const row = page.locator(`[data-testid="upk-tunggakan-row"][data-pinjaman="${PINJAMAN}"]`);
  check((await row.count()) === 1, `no row for ${PINJAMAN} in the Daftar Tunggakan`);
  summary.tunggakan = await row.evaluate((tr) => [...tr.children].map((c) => c.textContent.trim()));
  summary.tunggakan_total = (await page.locator('[data-testid="upk-tunggakan-total"]').textContent()).trim();
  check(summary.tunggakan[0].startsWith(KSM), `the arrears row names "${summary.tunggakan[0]}"`);
  const xlsx = await page.locator('[data-testid="upk-tunggakan-xlsx"]').getAttribute('href');
  summary.xlsx = await page.evaluate(async (href) => {
    const res = await fetch(href);
    return { status: res.status, type: res.headers.get('content-type'), bytes: (await res.arrayBuffer()).byteLength };
  }, xlsx);
  check(summary.xlsx.status === 200 && summary.xlsx.type.includes('spreadsheetml') && summary.xlsx.bytes > 1000, `XLSX download ${JSON.stringify(summary.xlsx)}`);
  summary.penagihan = await page
    .locator('[data-testid="upk-penagihan-row"]')
    .evaluateAll((rows) => rows.map((li) => li.textContent.replace(/\s+/g, ' ').trim()));

  // 5. In English, then back.
  await page.locator('[data-testid="lang-en"]').click();
  summary.en = (await panel.locator('.panel-kicker').textContent()).trim();
  check(summary.en === 'Revolving loans', `kicker in English: "${summary.en}"`);
  await page.locator('[data-testid="lang-id"]').click();

  await panel.evaluate((el) => el.scrollTo(0, 0));
  summary.colours = (await screenshot(page, shotPath)).colours;
  check(problems.length === 0, problems.join('; '));
  summary.ok = true;
});
