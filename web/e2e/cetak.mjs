#!/usr/bin/env node
// End-to-end check of the printable planning documents in headless Chromium.
//
//   node web/e2e/cetak.mjs BASE_URL SCREENSHOT.png
//
// Expects a new store (`kumuh init`: the Bibrik paving work and the Bibrik RT 09/10
// location, surveyed 2017 and evaluated 2018). Opens the viewer, finds Bibrik with the
// search, and reads the "Cetak" group of its panel: the profile, RPLP and SK annex (of its
// kabupaten) links (HTML in a new tab, XLSX downloads). Then for the profile and the RPLP of Bibrik and the SK Kumuh
// annex of Kabupaten Madiun (2017, compared with 2018): opens the page, checks that its
// map SVG rendered (a box wider and taller than zero, boundary and location paths, the
// scale bar and the north arrow), prints it with page.pdf({format: 'A4'}), counts the
// pages (`/Type /Page` objects, not `/Pages`) and saves the PDF beside the screenshot
// (tests/artifacts/cetak-*.pdf). The profile's XLSX link is fetched and must be a workbook.
// Saves a non-blank screenshot of the viewer with the panel open and prints one JSON line.
//
// Env: CHROMIUM, VIEWPORT (default 1280x800), E2E_DESA (default Bibrik).
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { check, run, viewport, screenshot, ready, waiter } from './browser.mjs';

const DESA = process.env.E2E_DESA || 'Bibrik';
const [baseArg, shotPath] = process.argv.slice(2);
if (!baseArg || !shotPath) {
  console.error('usage: node e2e/cetak.mjs BASE_URL SCREENSHOT.png');
  process.exit(2);
}
const base = new URL(baseArg);
const { width: vw, height: vh } = viewport();
const summary = { ok: false, base: base.href, viewport: `${vw}x${vh}`, dokumen: {} };
const waitFor = waiter(30_000);

// Page objects of a PDF: `/Type /Page` not followed by `s` (that one is the page tree).
function countPages(pdf) {
  const text = pdf.toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

// The first map of the page: its box and what it holds.
async function mapOf(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.peta');
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    return {
      width: Math.round(box.width),
      height: Math.round(box.height),
      paths: svg.querySelectorAll('path').length,
      lokasi: svg.querySelectorAll('path > title').length,
      skala: svg.querySelector('[data-skala]')?.dataset.skala ?? null,
      skalaWidth: Math.round(svg.querySelector('[data-skala] rect')?.getBoundingClientRect().width ?? 0),
      utara: Boolean(svg.querySelector('[data-utara]')),
    };
  });
}

// Opens a document, checks its map, prints it to A4 and counts the pages.
async function printed(context, name, path, pages) {
  const page = await context.newPage();
  const res = await page.goto(new URL(path, base).href, { waitUntil: 'load' });
  check(res.status() === 200, `${path}: HTTP ${res.status()}`);
  const map = await mapOf(page);
  check(map, `${path}: no map`);
  check(map.width > 0 && map.height > 0, `${path}: the map has no box (${map.width}x${map.height})`);
  check(map.paths >= 2 && map.lokasi >= 1, `${path}: the map has ${map.paths} paths, ${map.lokasi} locations`);
  check(map.skala && map.skalaWidth > 0 && map.utara, `${path}: no scale bar or north arrow ${JSON.stringify(map)}`);
  const tables = await page.locator('table').count();
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  // Named after the screenshot (cetak.png: cetak-profil.pdf), so runs side by side keep theirs.
  const file = join(dirname(shotPath), `${basename(shotPath, '.png')}-${name}.pdf`);
  writeFileSync(file, pdf);
  const count = countPages(pdf);
  check(count >= pages[0] && count <= pages[1], `${path}: ${count} pages printed, expected ${pages[0]}-${pages[1]}`);
  summary.dokumen[name] = { map, tables, pages: count, bytes: pdf.length, file };
  await page.close();
}

const problems = [];
await run(summary, async (browser) => {
  const context = await browser.newContext({ viewport: { width: vw, height: vh }, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${new URL(res.url()).pathname}`);
  });
  await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  await ready(page);

  // 1. The "Cetak" group of the desa's panel.
  await page.locator('[data-testid="search-input"]').fill(DESA.toLowerCase());
  const hit = page.locator('[data-testid="search-result"]', { hasText: DESA }).first();
  await hit.waitFor({ state: 'visible', timeout: 10_000 });
  await hit.click();
  await waitFor(page, (name) => document.querySelector('[data-testid="place-name"]')?.textContent === name, DESA, `choosing ${DESA} did not open its panel`);
  const cetak = page.locator('[data-testid="place-panel"] [data-testid="cetak"]');
  await cetak.waitFor({ state: 'visible', timeout: 10_000 });
  summary.cetak = {
    title: (await cetak.locator('h3').textContent()).trim(),
    links: await cetak.locator('a').evaluateAll((as) => as.map((a) => a.dataset.testid)),
  };
  const profil = cetak.locator('[data-testid="cetak-profil"]');
  check((await profil.getAttribute('target')) === '_blank', 'the profile does not open in a new tab');
  const [tab] = await Promise.all([context.waitForEvent('page'), profil.click()]);
  await tab.waitForLoadState('load');
  summary.cetak.tab = await tab.title();
  await tab.close();
  const xlsxHref = await cetak.locator('[data-testid="cetak-profil-xlsx"]').getAttribute('href');
  const xlsx = await page.evaluate(async (u) => {
    const res = await fetch(u);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type'), zip: bytes[0] === 0x50 && bytes[1] === 0x4b };
  }, xlsxHref);
  summary.cetak.xlsx = xlsx;
  check(xlsx.status === 200 && xlsx.zip && xlsx.type.includes('spreadsheetml'), `profile XLSX ${JSON.stringify(xlsx)}`);

  // 2. Each document printed to A4.
  const kode = new URL(await profil.getAttribute('href')).searchParams.get('wilayah');
  summary.kode = kode;
  await printed(context, 'profil', `api/dokumen/profil?wilayah=${kode}`, [2, 4]);
  await printed(context, 'rplp', `api/dokumen/rplp?wilayah=${kode}`, [4, 7]);
  // The annex of the desa's kabupaten, from the panel's link: 2017, compared with 2018.
  const sk = new URL(await cetak.locator('[data-testid="cetak-sk-kumuh"]').getAttribute('href'));
  summary.cetak.sk = sk.searchParams.get('wilayah');
  sk.searchParams.set('tahun', '2017');
  sk.searchParams.set('banding', '2018');
  await printed(context, 'sk-kumuh', sk.href, [2, 3]);

  summary.colours = (await screenshot(page, shotPath)).colours;
  check(problems.length === 0, problems.join('; '));
  summary.ok = true;
});
