// Long work runs in the lab's worker: it shows progress, can be cancelled, and the page keeps
// answering keys and clicks meanwhile (docs/wasm-api.md).
import { test, expect } from '@playwright/test';
import { settled, step } from './helpers.mjs';

/** One site of `servers` servers, each creating its share of `mailboxes`, then a run until quiet
 *  and a few changes to step through: opening it at a late step is seconds of work. */
function heavy(servers, mailboxes) {
  const names = Array.from({ length: servers }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
  return JSON.stringify({
    title: `Heavy: ${servers} servers`, org: 'Bench',
    sites: [{ name: 'Main', servers: names.map((name) => ({ name, usn: 1000 })) }],
    steps: [...names.map((n) => ({ do: 'create', server: n, name: `${n} user`, count: mailboxes / servers })), { do: 'run' },
      ...names.slice(0, 3).map((n) => ({ do: 'modify', server: n, name: `${n} user 1`, attrs: { Phone: '555' } }))],
  });
}

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (e) => { throw e; });
  await page.route('**/bench/heavy.json', (route) => route.fulfill({ contentType: 'application/json', body: heavy(40, 4000) }));
});

test('opening a heavy scenario at a late step shows progress, answers keys meanwhile, and can be cancelled', async ({ page }) => {
  await page.goto('./#v=1&src=bench/heavy.json&start=41');
  const progress = page.locator('.progress');
  await expect(progress).toBeVisible({ timeout: 5000 });
  await expect(progress.locator('progress')).toHaveAttribute('max', /\d+/);
  // The main thread is free: a click on the page's own header answers at once.
  const t0 = Date.now();
  await page.locator('header .brand').hover();
  expect(Date.now() - t0).toBeLessThan(1000);
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toBeHidden();
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  const step = await page.locator('.stepno').textContent().catch(() => '');
  expect(step).not.toContain('Step 42 of'); // stopped before the late step
  await page.getByRole('button', { name: 'Step ▶' }).click(); // and the lab still works
  await settled(page);
});

test('a long command shows progress; Cancel puts the lab back where it was', async ({ page }) => {
  await page.goto('./#v=1&src=bench/heavy.json');
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  for (let i = 0; i < 40; i++) await page.getByRole('button', { name: 'Step ▶' }).click(); // the creates
  await settled(page);
  const before = await page.locator('.controls .status').textContent();
  await page.locator('details.tools summary').click();
  await page.locator('form.tool', { hasText: 'Run the clock' }).getByRole('button', { name: 'Run' }).click();
  const progress = page.locator('.progress');
  await expect(progress).toBeVisible({ timeout: 5000 });
  await expect(progress).toContainText('Working');
  await page.keyboard.press('?'); // keys still work while the core is busy
  await expect(page.getByRole('dialog')).toContainText('Keyboard');
  await page.keyboard.press('Escape');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('#notice')).toContainText('Cancelled');
  await expect(progress).toBeHidden();
  await settled(page);
  await expect(page.locator('.controls .status')).toHaveText(before);
  await page.getByRole('button', { name: 'Step ▶' }).click();
  await settled(page);
  await expect(page.locator('.controls .status')).not.toHaveText(before);
});

// The wasm is in two parts (scripts/split-wasm.mjs): opening a lesson downloads only the first;
// the rest comes as the learner reaches for the controls, or with the first move.
test('opening a lesson downloads the first part of the wasm; the rest comes as the learner reaches for Step and plays the lesson on', async ({ page }) => {
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url().split('/').pop()); });
  await page.goto('./#lesson=bill-lee');
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  expect(wasm).toEqual(['usnlab_bg.wasm']);
  await page.mouse.move(5, 400); // over the lesson's text
  await page.waitForTimeout(500); // nothing more is fetched while the learner only reads
  expect(wasm).toEqual(['usnlab_bg.wasm']);
  await page.getByRole('button', { name: 'Step ▶' }).hover(); // about to move: the rest comes
  await expect.poll(() => wasm).toContain('usnlab_rest.wasm');
  await step(page);
  // The later steps run in the rest: Bill Lee's change reaches London.
  for (let i = 0; i < 12; i++) await step(page);
  await expect(page.locator('.stepno').first()).not.toHaveText(/Step 1 of/);
  await expect(page.locator('#notice')).toBeHidden();
});

test('when the rest of the wasm cannot be downloaded, the first move says so, nothing is lost, and the lab goes on once it can', async ({ page }) => {
  await page.context().route('**/usnlab_rest.wasm', (route) => route.abort());
  await page.goto('./#lesson=bill-lee');
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  const status = page.locator('.controls .status');
  const at = await status.textContent();
  await page.locator('.question .choices button').first().click(); // the learner's first move needs the rest
  await settled(page);
  await expect(page.locator('#notice')).toContainText('part of the simulator could not be downloaded (no connection)');
  await expect(status).toHaveText(at); // restarted where it was
  await page.context().unroute('**/usnlab_rest.wasm');
  for (let i = 0; i < 12; i++) await step(page);
  await expect(page.locator('#notice')).toBeHidden();
  await expect(status).not.toHaveText(at);
});

test('a saved lab that cannot be replayed for want of the rest of the wasm is kept, and resumes once it can', async ({ page, context }) => {
  await page.goto('./#lesson=bill-lee');
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  for (let i = 0; i < 4; i++) await step(page);
  const status = await page.locator('.controls .status').textContent();
  const saved = () => page.evaluate(() => JSON.parse(localStorage.getItem('usnlab.v1') || '{}').current?.history?.length ?? 0);
  await expect.poll(saved).toBeGreaterThan(3);
  await context.route('**/usnlab_rest.wasm', (route) => route.abort());
  const again = await context.newPage();
  await again.goto('./#resume');
  await expect(again.locator('#notice')).toContainText('part of the simulator could not be downloaded (no connection)');
  await expect(again.locator('#notice')).toContainText('Nothing was lost');
  expect(await saved()).toBeGreaterThan(3);
  await context.unroute('**/usnlab_rest.wasm');
  await again.goto('./#resume');
  await again.reload();
  await expect(again.locator('.controls .status')).toHaveText(status);
});
