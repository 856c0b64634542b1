// End-to-end tests in Debian's Chromium (never a downloaded browser), against the build output
// dist/ (www/ minified, as a host serves it). The static server serves the repository root, so the
// lab is tested under a sub-path: /dist/. Playwright starts and stops it (a fixed port; under CI a
// server already on it is an error, not reused), and first remakes dist/ from www/
// (scripts/build-dist.sh, well under a second; www/pkg/ must be built), so the tests never run a stale
// copy of the page. Tests that take screenshots write them to docs/screenshots/.
import { defineConfig } from '@playwright/test';

// PW_PORT (or USNLAB_PW_PORT) runs a second copy (another checkout) beside one already on 8765.
const PORT = Number(process.env.PW_PORT || process.env.USNLAB_PW_PORT) || 8765;
// The folder served, the build output (tests/e2e/helpers.mjs: labPath()).
const SITE = 'dist';

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI, // a stray test.only must not silently skip the rest under CI
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/${SITE}/`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync',
             '--disable-dev-shm-usage'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `bash scripts/build-dist.sh && exec python3 -m http.server ${PORT} --bind 127.0.0.1 2>/dev/null`,
    url: `http://127.0.0.1:${PORT}/${SITE}/index.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe', // why dist/ could not be made (no www/pkg/: `make build`); the server's log is dropped
  },
});
