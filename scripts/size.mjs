// The first visit, measured: every file the page loads (html, js modules, css, wasm, json, svg,
// ...), gzipped at level 9 as a static host would serve it (the headline figure), beside brotli at
// quality 11 (what the README advises hosts to serve), and how long the page takes, in headless
// Chromium (Debian's).
//   node scripts/size.mjs        after `make build` (`make bench` and `make size` run it)
// It starts its own static server for the repository root on a free 127.0.0.1 port and measures
// the build output, dist/ (www/ minified: what a host serves), under the sub-path /dist/, as in
// the Playwright tests; it stops the server when done.
// Two first visits, each in a fresh browser context (empty cache):
//   1. the lesson list, dist/index.html: the time from navigation until window.__usnlabReady
//      (waited for up to 10 s; "n/a" when the page never sets it);
//   2. straight into a lesson (#lesson=bill-lee; USNLAB_SIZE_LESSON=id for another) through its
//      first step: this one loads the wasm, so it is the largest first download.
// A third visit adds 500 ms to every response (USNLAB_SIZE_LATENCY_MS) and counts the round trips
// that wait on each other before the lesson is drawn: a request's depth is one more than the
// deepest request whose response had arrived when it started, in the order the browser reported
// them, so the count depends neither on how busy the machine is (dividing the extra time by the
// latency did) nor on when a body finished (which made a chain of 3 read as 2 now and then).
// What had arrived when the lesson was drawn is listed apart: the first visit of a reader who
// does not step (the rest of the wasm comes with the first move: docs/building.md).
// Prints the target (100 KB), against the lesson drawn; exits 2 on an error.
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { measure, ms, SITE } from './lib/serve.mjs';

const TARGET_KB = 100;
const WAIT_MS = 20_000;
const LATENCY_MS = Number(process.env.USNLAB_SIZE_LATENCY_MS || 500);
const LESSON = process.env.USNLAB_SIZE_LESSON || 'bill-lee';

/** One first visit in a fresh context: the body of every response, and timings. */
async function visit(browser, url, lesson, latency = 0) {
  const context = await browser.newContext();
  // With `latency`, every response waits that long: the extra time to the lesson drawn, divided
  // by it, is the number of round trips that wait on each other.
  if (latency) await context.route('**', async (route) => { await new Promise((r) => setTimeout(r, latency)); await route.continue(); });
  const page = await context.newPage();
  // Each request's start and the arrival of its response, for the chain of round trips, as
  // places in the order the browser reported them: that order is causal (a request made because
  // of a response is reported after it), where clock times in Node lag and tie. The response,
  // not the end of its body: the browser starts on a module's imports as its bytes stream in.
  const requests = [];
  let seq = 0;
  page.on('request', (r) => requests.push({ r, start: ++seq, end: Infinity }));
  page.on('response', (resp) => { const q = requests.find((x) => x.r === resp.request()); if (q) q.end = ++seq; });
  const bodies = [];
  const files = new Map();
  const arrived = new Map();
  page.on('response', (r) => {
    const at = seq; // this response's place (the handler above has just counted it)
    bodies.push(r.body().then((b) => { files.set(r.url(), b); arrived.set(r.url(), at); }, () => { /* a redirect has no body */ }));
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const t0 = Date.now();
  await page.goto(url);
  let ready = null, drawn = null, drawnSeq = null, firstStep = null;
  if (!lesson) {
    try {
      await page.waitForFunction(() => window.__usnlabReady === true, null, { timeout: WAIT_MS });
      ready = Date.now() - t0;
    } catch { /* the page did not say it is ready: n/a */ }
  } else {
    try {
      await page.locator('.controls .status').waitFor({ timeout: WAIT_MS });
      drawn = Date.now() - t0;
      drawnSeq = seq;
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
  // What had arrived when the lesson was drawn: the first visit of a reader who does not step.
  const before = new Map([...files].filter(([url]) => drawnSeq != null && arrived.get(url) <= drawnSeq));
  return { files, before, ready, drawn, firstStep, errors, trips: drawn == null ? null : chain(requests, drawnSeq) };
}

/** The longest chain of requests that waited on each other, among those answered by `by`. */
function chain(requests, by) {
  const done = requests.filter((q) => q.end <= by).sort((a, b) => a.start - b.start);
  for (const q of done) q.depth = 1 + Math.max(0, ...done.filter((p) => p.end <= q.start).map((p) => p.depth ?? 0));
  return Math.max(0, ...done.map((q) => q.depth));
}

/** Brotli at quality 11, the most a static host precompresses with. */
const brotli = (body) => brotliCompressSync(body, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
}).length;

/** Prints one visit's files (raw, gzipped and brotli bytes) and returns its totals in KB. */
function table(title, files, base) {
  let raw = 0, gz = 0, br = 0;
  const row = (name, a, b, c) => `  ${name.padEnd(36)} ${String(a).padStart(10)} ${String(b).padStart(10)} ${String(c).padStart(10)}`;
  console.log(`\n${title}`);
  console.log(row('file', 'raw bytes', 'gzip bytes', 'br bytes'));
  for (const [url, body] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const z = gzipSync(body, { level: 9 }).length, b = brotli(body);
    raw += body.length; gz += z; br += b;
    console.log(row(url.replace(base, ''), body.length, z, b));
  }
  console.log(`${row('total', raw, gz, br)}   = ${(gz / 1024).toFixed(1)} KB gzipped, ${(br / 1024).toFixed(1)} KB brotli`);
  return { gz: gz / 1024, br: br / 1024 };
}

await measure(async (served) => {
  const { base, browser } = served;
  const list = await visit(browser, `${base}index.html`, false);
  const lesson = await visit(browser, `${base}index.html#lesson=${LESSON}`, true);
  const slow = await visit(browser, `${base}index.html#lesson=${LESSON}`, true, LATENCY_MS);

  const listKB = table(`First visit: the lesson list (${SITE}/index.html)`, list.files, base);
  const lessonKB = table(`First visit: straight into a lesson (#lesson=${LESSON}), through its first step`, lesson.files, base);
  const drawnKB = table(`Of it, what had arrived when the lesson was drawn (a reader who does not step)`, lesson.before, base);
  console.log('');
  console.log(`navigation → window.__usnlabReady on the lesson list: ${ms(list.ready)}`);
  console.log(`navigation → the lesson drawn: ${ms(lesson.drawn)}; → its first step taken: ${ms(lesson.firstStep)}`);
  if (slow.trips != null) {
    console.log(`with ${LATENCY_MS} ms added to every response: the lesson drawn at ${ms(slow.drawn)}, after ${slow.trips} sequential round trips (target 4)`);
  }
  for (const e of [...list.errors, ...lesson.errors]) console.log(`page error: ${e}`);
  const over = drawnKB.gz > TARGET_KB ? `: ${(drawnKB.gz - TARGET_KB).toFixed(1)} KB over` : '';
  console.log(`total gzipped: lesson list ${listKB.gz.toFixed(1)} KB; a first visit into a lesson ${drawnKB.gz.toFixed(1)} KB to the lesson drawn (target ${TARGET_KB} KB${over}), ${lessonKB.gz.toFixed(1)} KB through its first step (the rest of the wasm comes with the first move)`);
  console.log(`total brotli (q 11): lesson list ${listKB.br.toFixed(1)} KB, lesson ${lessonKB.br.toFixed(1)} KB through its first step, ${drawnKB.br.toFixed(1)} KB to the lesson drawn`);
});
