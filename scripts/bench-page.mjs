// The page, measured in headless Chromium (Debian's), for `make bench` (docs/performance.md):
//   - key press to frame: Right arrow at 2 servers × 100 mailboxes and at 40 servers × 5,000
//     (the lab marks "usnlab:key-to-frame" with the User Timing API; the median of ten presses);
//   - the longest main-thread task (PerformanceObserver "longtask") while a 20-server ×
//     2,500-mailbox scenario opens at a late step (`start`), and while stepping at 40 × 5,000;
//   - wasm throughput: messages per second while the worker plays a scenario to its late step.
// The scenarios come from `cargo run --release --example figures -- scenario S M`.
//   node scripts/bench-page.mjs        after `make build` (`make bench` runs it)
import { execFileSync } from 'node:child_process';
import { measure, root, ms } from './lib/serve.mjs';

const SIZES = (process.env.USNLAB_BENCH_SIZES || '2x100,20x2500,40x5000').split(',').map((x) => x.split('x').map(Number));
const OPEN_MS = 600_000;

function figures(...args) {
  return execFileSync('cargo', ['run', '-q', '--release', '--example', 'figures', '--', ...args.map(String)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Opens `text` at step `start` (after setting it up: creates and a run until quiet). */
async function open(browser, base, name, text, start) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(`**/bench/${name}.json`, (route) => route.fulfill({ contentType: 'application/json', body: text }));
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
      .observe({ type: 'longtask', buffered: true });
  });
  const t0 = Date.now();
  await page.goto(`${base}index.html#v=1&src=bench/${name}.json&start=${start}`);
  await page.locator('main[data-pending="0"] .controls .status').waitFor({ timeout: OPEN_MS });
  const opened = Date.now() - t0;
  const status = await page.locator('.controls .status').textContent();
  const longestOpening = await page.evaluate(() => window.__longest);
  return { context, page, opened, longestOpening, status };
}

async function presses(page, n) {
  await page.evaluate(() => { performance.clearMeasures(); window.__longest = 0; });
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('ArrowRight');
    await page.locator('main[data-pending="0"]').waitFor();
    await page.waitForFunction((k) => performance.getEntriesByName('usnlab:key-to-frame').length > k, i);
  }
  const of = (name) => page.evaluate((n) => performance.getEntriesByName(n).map((m) => m.duration), name);
  const times = await of('usnlab:key-to-frame');
  return { median: median(times), max: Math.max(...times), core: median(await of('usnlab:core')), render: median(await of('usnlab:render')), longest: await page.evaluate(() => window.__longest) };
}

await measure(async (served) => {
  const results = {};
  for (const [servers, mailboxes] of SIZES) {
    const name = `s${servers}m${mailboxes}`;
    const text = figures('scenario', servers, mailboxes);
    const messages = Number(figures('count', servers, mailboxes));
    const o = await open(served.browser, served.base, name, text, servers + 1);
    const k = await presses(o.page, 10);
    results[name] = { servers, mailboxes, ...o, ...k, messages };
    console.log(`${servers} servers × ${mailboxes} mailboxes: opened at step ${servers + 1} in ${ms(o.opened)} (${messages} messages: ${Math.round(messages / (o.opened / 1000))} messages/s in wasm), longest main-thread task while opening ${ms(o.longestOpening)}`);
    console.log(`  key press to frame: median ${ms(k.median)}, worst ${ms(k.max)} (10 presses: the worker's answer ${ms(k.core)}, drawing ${ms(k.render)}); longest main-thread task while stepping ${ms(k.longest)}`);
    await o.context.close();
  }
  const small = results.s2m100, big = results.s40m5000;
  if (small && big) console.log(`key to frame, 40 × 5,000 against 2 servers: ${(big.median / small.median).toFixed(2)}× (target ≤ 1.5)`);
  if (results.s20m2500) console.log(`longest main-thread task opening 20 × 2,500 at a late step: ${ms(results.s20m2500.longestOpening)} (target ≤ 200 ms)`);
});
