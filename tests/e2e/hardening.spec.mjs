// Issue 12, the page: a strict Content-Security-Policy that lessons and embeds run under with no
// violation, and corrupted saved progress set aside in words (www/js/saved.js checks every field).
import { test, expect } from '@playwright/test';
import { settled, step } from './helpers.mjs';

/** Records every CSP violation and CSP console error on `page` (and its frames) from the start. */
async function watchCsp(page) {
  const seen = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.top.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return async () => {
    const fromPage = await page.evaluate(() => window.__csp || []);
    return [...seen, ...fromPage];
  };
}

test('index.html declares the policy, and its favicon is a file', async ({ page }) => {
  await page.goto('./');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('favicon.svg');
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.locator('[style]').count()).toBe(0);
});

for (const hash of ['', '#lesson=bill-lee', '#lesson=restore-stall', '#lesson=sites', '#sandbox']) {
  test(`no CSP violation: ${hash || 'the lesson list'}`, async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto(`./${hash}`);
    if (hash) {
      await expect(page.locator('.controls .status')).toBeVisible();
      await settled(page);
      for (let i = 0; i < 8; i++) await step(page);
    } else {
      await expect(page.locator('main')).not.toContainText('Loading the lab');
    }
    expect(await violations()).toEqual([]);
  });
}

test('no CSP violation in an embed', async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto('./index.html#v=1&embed=&frame=x&lesson=bill-lee');
  await expect(page.locator('.controls .status')).toBeVisible();
  await page.getByRole('button', { name: 'Step ▶' }).click();
  expect(await violations()).toEqual([]);
});

const GOOD = {
  version: 1, completed: ['bill-lee'], answers: {},
  current: { id: 'hot-potato', title: 'The hot potato', scenario: '{"sites":[{"name":"A","servers":[{"name":"S"}]}]}', history: [], playhead: 0, answers: {} },
};

for (const [what, current] of [
  ['current.title is an object', { ...GOOD.current, title: { evil: true } }],
  ['current.answers is text', { ...GOOD.current, answers: 'abc' }],
  ['a history entry is a number', { ...GOOD.current, history: [7], playhead: 0 }],
]) {
  test(`corrupted saved progress is set aside in words: ${what}`, async ({ page }) => {
    const saved = JSON.stringify({ ...GOOD, current });
    await page.addInitScript((s) => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('usnlab.v1', s);
        sessionStorage.setItem('seeded', '1');
      }
    }, saved);
    await page.goto('./');
    await expect(page.locator('#notice')).toContainText('could not be restored');
    await expect(page.locator('#notice')).toContainText('set aside');
    await expect(page.getByRole('link', { name: /Continue/ })).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.getItem('usnlab.v1.set-aside'))).toBe(saved);
    const kept = JSON.parse(await page.evaluate(() => localStorage.getItem('usnlab.v1')));
    expect(kept.current).toBeNull();
    expect(kept.completed).toEqual(['bill-lee']);
    // The next load is clean: the bad state is not kept.
    await page.reload();
    await expect(page.locator('main')).not.toContainText('Loading the lab');
    await expect(page.locator('#notice')).toBeHidden();
  });
}

test('the checks of saved progress (js/saved.js) load only when something is saved', async ({ page }) => {
  const asked = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('/js/saved.js')) asked.push(r.url()); });
  await page.goto('./#lesson=bill-lee');
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  await step(page);
  await page.waitForTimeout(1000); // the save is debounced
  expect(asked).toEqual([]);
  await page.goto('./'); // a new page: the list, with the lab in progress to continue
  await expect(page.getByRole('link', { name: /Continue/ })).toBeVisible();
  expect(asked).toHaveLength(1);
});

test('saved progress that cannot be checked is kept as it was, never overwritten', async ({ page }) => {
  const saved = JSON.stringify(GOOD);
  await page.addInitScript((s) => localStorage.setItem('usnlab.v1', s), saved);
  await page.route('**/js/saved.js', (r) => r.abort());
  await page.goto('./#lesson=bill-lee');
  await expect(page.locator('#notice')).toContainText('could not be checked');
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  await step(page);
  await page.waitForTimeout(1000); // the save is debounced
  expect(await page.evaluate(() => localStorage.getItem('usnlab.v1'))).toBe(saved);
});
