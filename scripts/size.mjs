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
// Exits 1 when a first visit's gzipped total is over the budget (150 KB), 2 on an error.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET_KB = 150;
const WAIT_MS = 10_000;
const LESSON = process.env.USNLAB_SIZE_LESSON || 'bill-lee';
const root = fileURLToPath(new URL('..', import.meta.url));
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// python3 may be pyenv's shim (a script that starts the real interpreter), so the server gets a
// process group of its own and the whole group is stopped at the end: no stray server is left.
function startServer(port) {
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'],
    { cwd: root, stdio: 'ignore', detached: true });
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  process.on('exit', stop);
  return stop;
}

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the static server did not answer at ${url}`);
}

const ms = (t) => (t == null ? 'n/a' : `${t} ms`);

/** One first visit in a fresh context: the body of every response, and timings. */
async function visit(browser, url, lesson) {
  const context = await browser.newContext();
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

let status = 0;
let stop = () => {};
try {
  const port = await freePort();
  stop = startServer(port);
  const base = `http://127.0.0.1:${port}/www/`;
  await waitForServer(`${base}index.html`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  const list = await visit(browser, `${base}index.html`, false);
  const lesson = await visit(browser, `${base}index.html#lesson=${LESSON}`, true);
  await browser.close();

  const listKB = table('First visit: the lesson list (www/index.html)', list.files, base);
  const lessonKB = table(`First visit: straight into a lesson (#lesson=${LESSON}), through its first step`, lesson.files, base);
  console.log('');
  console.log(`navigation → window.__usnlabReady on the lesson list: ${ms(list.ready)}`);
  console.log(`navigation → the lesson drawn: ${ms(lesson.drawn)}; → its first step taken: ${ms(lesson.firstStep)}`);
  for (const e of [...list.errors, ...lesson.errors]) console.log(`page error: ${e}`);
  console.log(`total gzipped: lesson list ${listKB.toFixed(1)} KB, lesson ${lessonKB.toFixed(1)} KB (budget ${BUDGET_KB} KB)`);
  const worst = Math.max(listKB, lessonKB);
  if (worst > BUDGET_KB) {
    console.log(`OVER BUDGET: ${worst.toFixed(1)} KB > ${BUDGET_KB} KB`);
    status = 1;
  }
} catch (e) {
  console.error(e);
  status = 2;
} finally {
  stop();
}
process.exit(status);
