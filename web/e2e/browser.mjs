// What the browser checks share: starting Debian's headless Chromium, a failure type,
// waiting for the map to settle, a screenshot that must not be blank, and the one JSON
// line each script prints.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

// WebGL without a GPU: ANGLE on SwiftShader (software), which Chromium only allows with
// --enable-unsafe-swiftshader. No background networking: the machine's network is closed.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export const READY_TIMEOUT_MS = 60_000;

// A check that failed: its message is the reason printed.
export class Failure extends Error {}

// A `waitFor(page, fn, arg, what, timeout?)` that waits until `fn(arg)` holds in the page,
// with `timeout` ms by default; when it does not, it fails with `what` and the error
// banner's text, if one is shown.
export function waiter(timeout) {
  return async (page, fn, arg, what, ms = timeout) => {
    try {
      await page.waitForFunction(fn, arg, { timeout: ms });
    } catch {
      const banner = await page
        .locator('[data-testid="error-banner"]:not([hidden])')
        .textContent({ timeout: 500 })
        .catch(() => '');
      throw new Failure(`${what}${banner ? `; banner: ${banner}` : ''}`);
    }
  };
}

export function check(cond, reason) {
  if (!cond) throw new Failure(reason);
}

// Env CHROMIUM (default /usr/bin/chromium).
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

// "1280x800" (env VIEWPORT, else the default) as numbers.
export function viewport(fallback = '1280x800') {
  const [width, height] = (process.env.VIEWPORT || fallback).split('x').map(Number);
  return { width, height };
}

// Collects page errors and console errors of a page into `problems`.
export function watchPage(page, problems) {
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
}

// Waits for the viewer's `body[data-ready="1"]` (and any further attributes in `selector`).
export async function ready(page, selector = 'body[data-ready="1"]') {
  try {
    await page.waitForSelector(selector, { state: 'attached', timeout: READY_TIMEOUT_MS });
  } catch {
    const banner = await page.locator('[data-testid="error-banner"]').textContent().catch(() => '');
    throw new Failure(`viewer not ready after ${READY_TIMEOUT_MS / 1000} s${banner ? `; banner: ${banner}` : ''}`);
  }
}

// Waits until the map is loaded, not moving, and has drawn one more frame.
export async function idle(page) {
  await page.evaluate(() => new Promise((resolve) => (window.kumuhMap.loaded() && !window.kumuhMap.isMoving() ? resolve() : window.kumuhMap.once('idle', resolve))));
  await page.evaluate(() => new Promise((resolve) => window.kumuhMap.once('idle', resolve) && window.kumuhMap.triggerRepaint()));
}

// Saves a screenshot and makes sure it is not blank: the whole page must hold more than 16
// colours and the map area below the header more than 8. Answers the counts.
export async function screenshot(page, path) {
  await idle(page);
  const png = await page.screenshot({ type: 'png' });
  writeFileSync(path, png);
  const pixels = await analyse(page, png);
  check(pixels.colours > 16 && pixels.mapColours > 8, `screenshot looks blank: ${pixels.colours} colours (${pixels.mapColours} in the map)`);
  return pixels;
}

// The colour [r, g, b] of the page at (x, y), as drawn.
export async function rgbAt(page, x, y) {
  const png = await page.screenshot({ type: 'png', clip: { x, y, width: 1, height: 1 } });
  return (await analyse(page, png)).first;
}

// Decodes a PNG screenshot in the page: how many colours it has (every 7th pixel), how
// many in the map below the header (every 5th pixel of every 5th row), and its first
// pixel.
function analyse(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, img.width, img.height);
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    const header = document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0;
    const mapColours = new Set();
    for (let y = Math.ceil(header) + 1; y < img.height; y += 5) {
      for (let x = 0; x < img.width; x += 5) {
        const i = (y * img.width + x) * 4;
        mapColours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
    }
    return { colours: colours.size, mapColours: mapColours.size, first: [data[0], data[1], data[2]] };
  }, png.toString('base64'));
}

// Runs `body(summary)` with a browser, then prints `summary` as one JSON line and exits 0
// when it set `summary.ok`, 1 with the reason otherwise.
export async function run(summary, body) {
  const started = Date.now();
  let browser;
  try {
    browser = await launch();
    await body(browser, summary);
  } catch (err) {
    summary.ok = false;
    summary.reason = err instanceof Failure ? err.message : `${err.name}: ${err.message}`;
  } finally {
    await browser?.close().catch(() => {});
  }
  summary.ms = Date.now() - started;
  console.log(JSON.stringify(summary));
  if (!summary.ok) {
    console.error(`FAIL: ${summary.reason}`);
    process.exit(1);
  }
}
