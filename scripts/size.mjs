// The first visit, measured: every file the page loads (html, js modules, css, wasm, json, svg,
// ...), gzipped at level 9 as a static host would serve it, and how long the page takes, in
// headless Chromium (Debian's).
//   node scripts/size.mjs        after `make build` (`make bench` and `make size` run it)
// It starts its own static server for the repository root on a free 127.0.0.1 port (so the lab
// runs under the sub-path /www/, as in the Playwright tests) and stops it when done.
// Two first visits, each in a fresh browser context (empty cache):
//   1. the lesson list, www/index.html: the time from navigation until window.__usnlabReady
//      (waited for up to 10 s; "n/a" when the page never sets it);
//   2. straight into a lesson (#lesson=bill-lee; USNLAB_SIZE_LESSON=id for another) through its
//      first step: this one loads the wasm, so it is the largest first download.
// A third visit adds 100 ms to every response: the extra time to the lesson drawn, divided by
// 100 ms, is how many round trips wait on each other. Prints the target (100 KB); exits 2 on an
// error.
import { gzipSync } from 'node:zlib';
import { measure, ms } from './lib/serve.mjs';

const TARGET_KB = 100;
const WAIT_MS = 20_000;
const LATENCY_MS = 100;
const LESSON = process.env.USNLAB_SIZE_LESSON || 'bill-lee';

/** One first visit in a fresh context: the body of every response, and timings. */
async function visit(browser, url, lesson, latency = 0) {
  const context = await browser.newContext();
  // With `latency`, every response waits that long: the extra time to the lesson drawn, divided
  // by it, is the number of round trips that wait on each other.
  if (latency) await context.route('**', async (route) => { await new Promise((r) => setTimeout(r, latency)); await route.continue(); });
  const page = await context.newPage();
  const bodies = [];
  const files = new Map();
  page.on('response', (r) => {
    bodies.push(r.body().then((b) => files.set(r.url(), b), () => { /* a redirect has no body */ }));
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const t0 = Date.now();
  await page.goto(url);
  let ready = null, drawn = null, firstStep = null;
  if (!lesson) {
    try {
      await page.waitForFunction(() => window.__usnlabReady === true, null, { timeout: WAIT_MS });
      ready = Date.now() - t0;
    } catch { /* the page did not say it is ready: n/a */ }
  } else {
    try {
      await page.locator('.controls .status').waitFor({ timeout: WAIT_MS });
      drawn = Date.now() - t0;
      const answer = page.locator('.question .choices button:not([disabled])');
      if (await answer.count()) await answer.first().click();
      await page.getByRole('button', { name: 'Step ▶' }).click({ timeout: WAIT_MS });
      await page.waitForFunction(() => (document.querySelector('#live')?.textContent ?? '').length > 0,
        null, { timeout: WAIT_MS });
      firstStep = Date.now() - t0;
    } catch (e) {
      console.error(`(the lesson's first step could not be taken: ${e.message.split('\n')[0]})`);
    }
  }
  await page.waitForLoadState('networkidle').catch(() => {});
  await Promise.all(bodies);
  await context.close();
  return { files, ready, drawn, firstStep, errors };
}

/** Prints one visit's files (raw and gzipped bytes) and returns its gzipped total in KB. */
function table(title, files, base) {
  let raw = 0, gz = 0;
  console.log(`\n${title}`);
  console.log(`  ${'file'.padEnd(36)} ${'raw bytes'.padStart(10)} ${'gzip bytes'.padStart(10)}`);
  for (const [url, body] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length; gz += z;
    console.log(`  ${url.replace(base, '').padEnd(36)} ${String(body.length).padStart(10)} ${String(z).padStart(10)}`);
  }
  console.log(`  ${'total'.padEnd(36)} ${String(raw).padStart(10)} ${String(gz).padStart(10)}   = ${(gz / 1024).toFixed(1)} KB gzipped`);
  return gz / 1024;
}

await measure(async (served) => {
  const { base, browser } = served;
  const list = await visit(browser, `${base}index.html`, false);
  const lesson = await visit(browser, `${base}index.html#lesson=${LESSON}`, true);
  const slow = await visit(browser, `${base}index.html#lesson=${LESSON}`, true, LATENCY_MS);

  const listKB = table('First visit: the lesson list (www/index.html)', list.files, base);
  const lessonKB = table(`First visit: straight into a lesson (#lesson=${LESSON}), through its first step`, lesson.files, base);
  console.log('');
  console.log(`navigation → window.__usnlabReady on the lesson list: ${ms(list.ready)}`);
  console.log(`navigation → the lesson drawn: ${ms(lesson.drawn)}; → its first step taken: ${ms(lesson.firstStep)}`);
  if (slow.drawn != null && lesson.drawn != null) {
    const trips = (slow.drawn - lesson.drawn) / LATENCY_MS;
    console.log(`with ${LATENCY_MS} ms added to every response: the lesson drawn at ${ms(slow.drawn)}: ${trips.toFixed(1)} sequential round trips`);
  }
  for (const e of [...list.errors, ...lesson.errors]) console.log(`page error: ${e}`);
  console.log(`total gzipped: lesson list ${listKB.toFixed(1)} KB, lesson ${lessonKB.toFixed(1)} KB (target ${TARGET_KB} KB${lessonKB > TARGET_KB ? `: ${(lessonKB - TARGET_KB).toFixed(1)} KB over` : ''})`);
});
