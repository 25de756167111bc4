#!/usr/bin/env node
// How long the viewer takes to show the home kecamatan's 14 desa, in headless Chromium
// (Debian's build).
//
//   node web/e2e/first-render.mjs BASE_URL [RUNS]
//
// Each run opens the viewer in a new browser context (empty HTTP cache, no service
// worker: a first visit) and measures, in the page, the time from the start of the
// navigation (`performance.timeOrigin`) to the first animation frame in which `desa-fill`
// renders 14 distinct desa (`queryRenderedFeatures`, checked every frame). It also notes
// when `body[data-ready]` was set (the labels placed as well) and how many bytes of script
// the page fetched (each script once, as sent). Runs RUNS times (default 7) and prints one
// JSON line with every run and the medians; exit 0, or 1 with the reason. Nothing is
// asserted about the time itself: it is a measurement.
//
// Env: CHROMIUM (default /usr/bin/chromium), VIEWPORT (default 1280x800).
import { check, ready, run, viewport, watchPage } from './browser.mjs';

const EXPECTED_DESA = 14;

const [baseArg, runsArg] = process.argv.slice(2);
if (!baseArg) {
  console.error('usage: node e2e/first-render.mjs BASE_URL [RUNS]');
  process.exit(2);
}
const base = new URL(baseArg);
const runs = Number(runsArg ?? 7);
const { width, height } = viewport();
const summary = { ok: false, base: base.href, viewport: `${width}x${height}`, runs: [] };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
};

await run(summary, async (browser) => {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, serviceWorkers: 'block' });
    const page = await context.newPage();
    const problems = [];
    watchPage(page, problems);
    // The moment `data-ready` is set, as the page sees it.
    await page.addInitScript(() => {
      const seen = new MutationObserver(() => {
        if (document.body?.dataset.ready !== '1') return;
        window.__kumuhReadyMs = performance.now();
        seen.disconnect();
      });
      seen.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    await page.goto(base.href, { waitUntil: 'commit' });
    const desa = await page.waitForFunction(
      (n) => {
        const map = window.kumuhMap;
        if (!map?.getLayer('desa-fill')) return false;
        const drawn = new Set(map.queryRenderedFeatures({ layers: ['desa-fill'] }).map((f) => f.properties.kode)).size;
        return drawn >= n ? performance.now() : false;
      },
      EXPECTED_DESA,
      { polling: 'raf', timeout: 60_000 },
    );
    const desaMs = Math.round(await desa.jsonValue());
    await ready(page);
    const readyMs = Math.round(await page.evaluate(() => window.__kumuhReadyMs));
    const after = await page.evaluate(() => {
      // Each script once: a preloaded one is listed again where its reader takes it from
      // the cache.
      const seen = new Set();
      const scripts = performance
        .getEntriesByType('resource')
        .filter((e) => (e.initiatorType === 'script' || e.name.endsWith('.js')) && !seen.has(e.name) && seen.add(e.name))
        .map((e) => ({ name: new URL(e.name).pathname.split('/').pop(), bytes: e.encodedBodySize }));
      return { scripts };
    });
    const serious = problems.filter((p) => p.startsWith('page error'));
    check(serious.length === 0, serious.join('; '));
    summary.runs.push({
      desa_ms: desaMs,
      ready_ms: readyMs,
      script_kb: Math.round(after.scripts.reduce((sum, s) => sum + s.bytes, 0) / 1024),
      scripts: after.scripts.map((s) => s.name),
    });
    await context.close();
  }
  summary.median_desa_ms = median(summary.runs.map((r) => r.desa_ms));
  summary.median_ready_ms = median(summary.runs.map((r) => r.ready_ms));
  summary.ok = true;
});
