// Watching replication happen (issue 9), as a learner sees it: the map moves during a step and
// rests after it (and still changes under reduced motion), a verdict always belongs to its
// question, Back then Forward keeps the history, a stall is marked on the map, a mail's route is
// lit across sites, and names stay readable with five sites.
import { test, expect } from '@playwright/test';
import { openLab, settled, step } from './helpers.mjs';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (e) => { throw e; });
});

const map = (page) => page.locator('svg.topology');

/** Steps (answering with the first choice) until a step sends a message between two servers. */
async function toMessage(page, cap = 40) {
  for (let i = 0; i < cap; i++) {
    await step(page);
    if (await page.locator('svg.topology .msg').count()) return;
  }
  throw new Error('no message drawn');
}

/** Presses Step on a step that sends a message, so the map has something to move. */
async function stepToMessage(page) {
  for (let i = 0; i < 40; i++) {
    const q = page.locator('.question .choices button');
    if (await q.count()) { await q.first().click(); await settled(page); }
    const next = await page.evaluate(() => document.querySelector('.controls .queue').textContent);
    if (!next.includes('queued')) { await step(page); continue; }
    await page.getByRole('button', { name: 'Step ▶' }).click();
    return;
  }
  throw new Error('nothing queued to step');
}

test('the map moves during a step and rests after it', async ({ page }) => {
  await openLab(page, '#lesson=hot-potato');
  await toMessage(page);
  await page.waitForTimeout(1500);
  await stepToMessage(page);
  await settled(page);
  await page.waitForTimeout(150);
  const during = await map(page).screenshot();
  await page.waitForTimeout(300);
  const later = await map(page).screenshot();
  expect(during.equals(later)).toBe(false); // the message is on its way
  await page.waitForTimeout(2500);
  const rest = await map(page).screenshot();
  await page.waitForTimeout(400);
  expect(rest.equals(await map(page).screenshot())).toBe(true);
  await expect(page.locator('svg.topology .token')).toHaveCount(0);
});

test('under reduced motion a step is drawn at once, highlighted, then rests', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openLab(page, '#lesson=hot-potato');
  await toMessage(page);
  await page.waitForTimeout(1500);
  const before = await map(page).screenshot();
  await stepToMessage(page);
  await settled(page);
  await expect(page.locator('svg.topology .token')).toHaveCount(0); // nothing travels
  const after = await map(page).screenshot();
  expect(before.equals(after)).toBe(false);
  await expect(page.locator('svg.topology .flash')).not.toHaveCount(0);
  await page.waitForTimeout(2000);
  await expect(page.locator('svg.topology .flash')).toHaveCount(0);
  const rest = await map(page).screenshot();
  await page.waitForTimeout(400);
  expect(rest.equals(await map(page).screenshot())).toBe(true);
});

for (const lesson of ['hot-potato', 'bill-lee', 'restore-stall']) {
  test(`${lesson}: every verdict belongs to the question just answered`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openLab(page, `#lesson=${lesson}`);
    let answered = null, verdicts = 0;
    for (let i = 0; i < 200; i++) {
      const reveal = page.locator('.story .reveal');
      if (await reveal.count()) {
        verdicts += 1;
        await expect(reveal.locator('.prompt')).toHaveText(`Answer to: ${answered}`);
        // Never under the next question: the verdict comes first, the new question after it.
        const order = await page.locator('.story .reveal, .story .question').evaluateAll((n) => n.map((x) => x.className.split(' ')[0]));
        expect(order[0]).toBe('reveal');
      }
      const prompt = page.locator('.story .question .prompt');
      const asked = (await prompt.count()) ? (await prompt.textContent()).replace(/^Question: /, '') : null;
      if (!(await step(page))) break;
      if (asked) answered = asked;
    }
    expect(verdicts).toBeGreaterThan(0);
  });
}

test('Back then Forward replays the same history', async ({ page }) => {
  await openLab(page, '#lesson=hot-potato');
  for (let i = 0; i < 6; i++) await step(page);
  const status = await page.locator('.controls .status').textContent();
  const story = await page.locator('.story .laststep').textContent();
  const usns = await page.locator('svg.topology .srv-usn').allTextContents();
  for (let i = 0; i < 3; i++) { await page.getByRole('button', { name: '◀ Back' }).click(); await settled(page); }
  for (let i = 0; i < 3; i++) { await page.getByRole('button', { name: 'Step ▶' }).click(); await settled(page); }
  await expect(page.locator('.controls .status')).toHaveText(status);
  await expect(page.locator('.story .laststep')).toHaveText(story);
  expect(await page.locator('svg.topology .srv-usn').allTextContents()).toEqual(usns);
});

test('a stalled server is marked on the map and in its name', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openLab(page, '#lesson=restore-stall');
  const box = page.locator('svg.topology g.server[data-server="ServerA"]');
  for (let i = 0; i < 200 && !(await box.getAttribute('aria-label')).includes('stalled: event 1224'); i++) await step(page);
  await expect(box).toHaveAttribute('aria-label', /^ServerA, USN \d+, stalled: event 1224/);
  await expect(box.locator('.srv-state')).toHaveText('⚠ stalled: event 1224');
  await expect(page.getByRole('region', { name: 'Organization' })).toBeVisible();
  // The number line shows the watermark beyond the counter.
  await page.locator('.tabs').getByRole('button', { name: 'ServerA', exact: true }).click();
  await settled(page);
  await expect(page.locator('.numberline .nl-mark.bad')).not.toHaveCount(0);
  await expect(page.locator('.numberline .nl-says')).toContainText('event 1224');
  await page.screenshot({ path: 'docs/screenshots/stall.png' });
});

test('between sites: a mail route is lit hop by hop, names at least 12 px', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openLab(page, '#lesson=sites');
  const names = await page.locator('svg.topology .srv-name').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height));
  expect(names.length).toBe(9);
  for (const h of names) expect(h).toBeGreaterThanOrEqual(12);
  await expect(page.locator('svg.topology .connector')).toHaveCount(6);
  await expect(page.locator('svg.topology .drc')).toHaveCount(3);
  let longest = 0;
  for (let i = 0; i < 30 && longest < 3; i++) {
    const q = page.locator('.question .choices button');
    if (await q.count()) { await q.last().click(); await settled(page); }
    await page.getByRole('button', { name: /Next mail/ }).click();
    await settled(page);
    longest = Math.max(longest, await page.locator('svg.topology .connector.lit').count());
    if (await page.locator('.done').count()) break;
  }
  expect(longest).toBeGreaterThanOrEqual(3); // Site 2 → 5 → 3 → 4 → 1, the cheapest route
});

test('between sites: Figure 3\'s route and its verdict within 15 presses', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openLab(page, '#lesson=sites');
  let presses = 0;
  const press = async (name) => { await page.getByRole('button', { name }).click(); await settled(page); presses += 1; };
  await press('Step ▶');
  // The step names what to look at: the map rings those servers, the detail shows the first.
  await expect(page.locator('svg.topology g.server[data-server="ServerY"] .focus-ring')).toHaveCount(1);
  await expect(page.locator('section.detail h2')).toContainText('ServerY');
  while (!(await page.locator('.question .choices button').count())) await press('Step ▶');
  await page.locator('.question .choices button', { hasText: 'cost 7' }).click();
  await settled(page);
  presses += 1;
  let lit = 0;
  while (lit < 4 && presses < 15) { await press(/Next mail/); lit = await page.locator('svg.topology .connector.lit').count(); }
  expect(lit).toBe(4); // Site 2 → 5 → 3 → 4 → 1: the route that costs 7
  // The verdict comes with the reply that proves it (the step's `reveal`), marked in the diagram.
  while (!(await page.locator('.story .reveal').count()) && presses < 15) await press(/Next mail/);
  await expect(page.locator('.story .reveal')).toContainText('Right: Via Sites 5, 3 and 4 (cost 7)');
  await expect(page.locator('.story .reveal .proof')).toContainText('ServerX answers ServerA');
  await expect(page.locator('svg.timeline .tl.proof')).toHaveCount(1);
  await page.screenshot({ path: 'docs/screenshots/sites.png' });
  expect(presses).toBeLessThanOrEqual(15);
  await page.getByRole('button', { name: '◀ Back' }).click(); // before the proof: no verdict yet
  await settled(page);
  await expect(page.locator('.story .reveal')).toHaveCount(0);
  await press(/Finish step/);
  await expect(page.locator('.story .reveal')).toContainText('Right: Via Sites 5, 3 and 4 (cost 7)');
});

test('a new move in the middle of the history says it branches', async ({ page }) => {
  await openLab(page, '#sandbox');
  await page.locator('details.tools summary').click();
  const create = page.locator('form.tool').first();
  await create.getByRole('button').last().click();
  await settled(page);
  for (let i = 0; i < 3; i++) await step(page);
  await page.getByRole('button', { name: '◀ Back' }).click();
  await settled(page);
  await page.getByRole('button', { name: '◀ Back' }).click();
  await settled(page);
  await expect(page.locator('#notice')).toBeHidden();
  await create.locator('input[name="name"]').fill('Other Hire');
  await create.getByRole('button').last().click();
  await settled(page);
  await expect(page.locator('#notice')).toContainText('A new branch');
});
