// What the measuring scripts share: a static server for the repository root on a free
// 127.0.0.1 port, serving the build output dist/ (what a host serves) under the sub-path /dist/,
// as in the Playwright tests, stopped with its whole process group at the end, and Debian's
// headless Chromium.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** The folder served: the build output (`make build`; scripts/build-dist.sh). */
export const SITE = 'dist';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the static server did not answer at ${url}`);
}

/** Starts the server and a browser; returns {base, browser, stop}. python3 may be pyenv's shim
 *  (a script that starts the real interpreter), hence the process group. */
export async function serve() {
  if (!existsSync(`${root}${SITE}/index.html`)) throw new Error(`no build output in ${SITE}/: run \`make build\` first`);
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'],
    { cwd: root, stdio: 'ignore', detached: true });
  const kill = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  process.on('exit', kill);
  const base = `http://127.0.0.1:${port}/${SITE}/`;
  await waitForServer(`${base}index.html`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  return { base, browser, stop: async () => { await browser.close().catch(() => {}); kill(); } };
}

export const ms = (t) => (t == null ? 'n/a' : `${Math.round(t)} ms`);

/** Runs `body({base, browser})` against a fresh server and browser, stops both, and exits: 0, or
 *  2 after printing what went wrong. */
export async function measure(body) {
  let status = 0;
  let stop = async () => {};
  try {
    const served = await serve();
    stop = served.stop;
    await body(served);
  } catch (e) {
    console.error(e);
    status = 2;
  } finally {
    await stop();
  }
  process.exit(status);
}
