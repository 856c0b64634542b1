// The first visit, measured: every file the page loads (gzipped as a static host would serve
// it), and the time from navigation to the first step of a lesson, in headless Chromium.
//   node scripts/size.mjs            (after `make build`; `make bench` runs it)
// Exits non-zero when the first visit's gzipped total is over the budget (150 KB).
import { chromium } from 'playwright';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';

const BUDGET = 150 * 1024;
const PORT = 8766;
const server = spawn('python3', ['-m', 'http.server', String(PORT), '--bind', '127.0.0.1'], { stdio: 'ignore' });
const base = `http://127.0.0.1:${PORT}/www/`;

async function waitForServer() {
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(`${base}index.html`)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the static server did not start');
}

async function visit(browser, url, untilFirstStep) {
  const page = await browser.newPage();
  const files = new Map();
  page.on('response', async (r) => {
    try { files.set(r.url(), await r.body()); } catch { /* redirects have no body */ }
  });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.__usnlabReady === true || document.querySelector('.controls .status'), null, { timeout: 10000 });
  const ready = Date.now() - t0;
  let firstStep = null;
  if (untilFirstStep) {
    await page.locator('.question .choices button').first().click();
    await page.getByRole('button', { name: 'Step ▶' }).click();
    await page.waitForFunction(() => document.querySelector('#live').textContent.length > 0);
    firstStep = Date.now() - t0;
  }
  await page.waitForLoadState('networkidle');
  await page.close();
  return { files, ready, firstStep };
}

function table(title, files) {
  let raw = 0, gz = 0;
  console.log(`\n${title}`);
  for (const [url, body] of [...files].sort()) {
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length; gz += z;
    console.log(`  ${url.replace(base, '').padEnd(34)} ${String(body.length).padStart(8)} B ${String(z).padStart(8)} B gzipped`);
  }
  console.log(`  ${'total'.padEnd(34)} ${String(raw).padStart(8)} B ${String(gz).padStart(8)} B gzipped (${(gz / 1024).toFixed(1)} KB)`);
  return gz;
}

let status = 0;
try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const landing = await visit(browser, base, false);
  const lesson = await visit(browser, `${base}#lesson=bill-lee`, true);
  await browser.close();
  const landingGz = table('First visit: the lesson list', landing.files);
  const lessonGz = table('First visit straight into a lesson, through its first step', lesson.files);
  console.log(`\nlesson list ready in ${landing.ready} ms; lesson ready in ${lesson.ready} ms; first step taken ${lesson.firstStep} ms after navigation`);
  console.log(`budget ${BUDGET / 1024} KB gzipped: lesson list ${(landingGz / 1024).toFixed(1)} KB, lesson through its first step ${(lessonGz / 1024).toFixed(1)} KB`);
  if (lessonGz > BUDGET) { console.log('OVER BUDGET'); status = 1; }
} catch (e) {
  console.error(e);
  status = 2;
} finally {
  server.kill();
}
process.exit(status);
