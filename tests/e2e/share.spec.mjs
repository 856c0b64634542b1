// Share, embed, present: links that reproduce the screen, the README's two embed snippets
// exactly as written, the presenter and follower windows, and the keyboard.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openLab, settled, step as answerAndStep, labPath } from './helpers.mjs';

function cellsOf(page, name) {
  return page.locator('table.objects tbody tr', { has: page.getByRole('button', { name, exact: true }) }).locator('td').allTextContents();
}

/** The README's snippet after `<!-- embed:NAME -->`. */
function snippet(name) {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf(`<!-- embed:${name} -->`);
  const m = /```html\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !m) throw new Error(`README has no embed:${name} snippet`);
  return m[1];
}

/** Serves a documentation page holding `html`, with the lab copied beside it as usn-lab/. */
async function docsPage(page, html) {
  const site = labPath();
  await page.context().route('**/docs-site/**', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/docs-site/page.html') {
      return route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs</title></head><body><h1>Replication docs</h1>${html}<p id="after">After the lab.</p></body></html>` });
    }
    const lab = url.href.replace('/docs-site/usn-lab/', site);
    return route.fulfill({ response: await route.fetch({ url: lab }) });
  });
  await page.goto('/docs-site/page.html');
}

test('a copied link reproduces the scenario, the actions and the playhead', async ({ page, context }) => {
  await openLab(page, '#lesson=bill-lee');
  for (let i = 0; i < 6; i++) await answerAndStep(page);
  await page.getByRole('button', { name: '◀ Back' }).click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.locator('.sharebox input').inputValue();
  expect(link).toContain('#v=1&lesson=bill-lee&h=');
  expect(link.length).toBeLessThan(200);
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.locator('.controls .status')).toContainText('7/8'); // six steps, two answers, one back
  await other.locator('.tabs').getByRole('button', { name: 'NewYork01' }).click();
  expect((await cellsOf(other, 'Bill Lee')).slice(0, 4)).toEqual(['1', '1157', '1157', '1946']);
  await expect(other.locator('#live')).toBeEmpty();
});

test('a link to a changed scenario carries the scenario itself', async ({ page, context }) => {
  await openLab(page, '#sandbox');
  await page.keyboard.press('t');
  const form = page.locator('form.tool', { hasText: 'Mailbox' });
  await form.getByLabel('Name').fill('Linked Mailbox');
  await form.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('button', { name: 'Replay as Active Directory' }).click();
  await page.keyboard.press('l');
  const link = await page.locator('.sharebox input').inputValue();
  expect(link).toContain('&scenario=');
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByRole('button', { name: 'Linked Mailbox', exact: true })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Replay as Exchange 5.5' })).toBeVisible();
});

test('a malformed link shows a clear message and the lesson list', async ({ page }) => {
  await page.goto('./#v=1&lesson=bill-lee&h=not-deflate&p=3');
  await expect(page.locator('#notice')).toContainText("This link could not be opened: the link's history is damaged");
  await expect(page.locator('ol.cards > li')).toHaveCount(10);
  await page.goto('./');
  await page.goto('./#v=7&lesson=bill-lee');
  await page.reload();
  await expect(page.locator('#notice')).toContainText('this link is in format "7"; this lab reads format 1');
  await page.goto('./#v=1&lesson=bill-lee&p=99');
  await page.reload();
  await expect(page.locator('#notice')).toContainText("playhead \"99\" is outside its 0 actions");
  await page.goto('./#v=1&src=https://example.org/x.json');
  await page.reload();
  await expect(page.locator('#notice')).toContainText('is on another host');
});

test("the README's iframe snippet works as written", async ({ page }) => {
  await docsPage(page, snippet('iframe'));
  const lab = page.frameLocator('iframe[title="USN Lab: a restore and its stall"]');
  await expect(lab.locator('.stepno')).toContainText('Step 14 of 17');
  await expect(lab.locator('section.log')).toContainText('1224');
  await expect(lab.locator('.top')).toBeHidden();
  await expect(lab.locator('section.detail')).toBeHidden();
});

test("the README's <usn-lab> snippet: two labs size themselves and do not interfere", async ({ page }) => {
  await docsPage(page, snippet('element'));
  const frames = page.locator('usn-lab iframe');
  await expect(frames).toHaveCount(2);
  const first = page.frameLocator('usn-lab >> nth=0 >> iframe');
  const second = page.frameLocator('usn-lab >> nth=1 >> iframe');
  await expect(first.locator('.story h2')).toHaveText('One replication cycle: Bill Lee moves to London');
  await expect(second.locator('.topology')).toContainText('USN 1'); // the inline scenario, autoplayed
  await first.getByRole('button', { name: 'Step ▶' }).click({ trial: false }).catch(() => {});
  await first.locator('.question .choices button').first().click();
  await first.getByRole('button', { name: 'Step ▶' }).click();
  await expect(first.locator('.controls .status')).toContainText('2/2'); // an answer and a step
  await expect(second.locator('.topology')).not.toContainText('Bill Lee');
  await expect.poll(async () => (await frames.nth(0).boundingBox()).height).toBeGreaterThan(500);
  const box = await frames.nth(0).boundingBox();
  expect(box.width).toBeLessThanOrEqual(page.viewportSize().width);
  expect(await page.evaluate(() => localStorage.getItem('usnlab.v1'))).toBeNull();
});

test('a follower window follows the presenter step by step', async ({ page, context }) => {
  await openLab(page, '#lesson=hot-potato');
  await page.keyboard.press('f');
  await expect(page.locator('html')).toHaveClass(/present/);
  const popup = context.waitForEvent('page');
  await page.keyboard.press('w');
  const follower = await popup;
  await expect(follower.locator('.controls .status')).toContainText('0/0');
  for (let i = 0; i < 3; i++) await answerAndStep(page);
  await expect(follower.locator('.controls .status')).toContainText('4/4'); // three steps and an answer
  await expect(follower.locator('.topology')).toContainText('USN 1000');
  await page.keyboard.press('ArrowLeft');
  await expect(follower.locator('.controls .status')).toContainText('3/4');
  await expect(follower.getByRole('button', { name: 'Step ▶' })).toBeHidden();
});

test('everything works from the keyboard, and a live region narrates each event', async ({ page }) => {
  await openLab(page, '#lesson=bill-lee');
  await page.keyboard.press('2'); // answer the question with its second choice
  await expect(page.locator('.question')).toContainText('You chose 1946');
  await page.keyboard.press('PageDown');
  await expect(page.locator('#live')).toHaveText('Bill Lee is created on Boston01 at USN 1946: the hot potato.');
  await page.keyboard.press('1');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#live')).toHaveText('Boston01 notifies NewYork01: changes up to USN 1946.');
  await page.keyboard.press('PageUp');
  await expect(page.locator('.controls .status')).toContainText('3/4');
  await page.keyboard.press('b');
  await expect(page.locator('body')).toHaveClass(/blank/);
  await page.keyboard.press('b');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toContainText('Blank the screen');
  await page.keyboard.press('Escape');
  // The dialog gives focus back where it was when it closes: wait for that before moving it.
  await expect(page.getByRole('dialog')).toBeHidden();
  // Tab reaches the controls, and Enter on the focused Step button steps.
  await page.locator('.controls button', { hasText: 'Step ▶' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.controls .status')).toContainText('4/4'); // forward along the same history
  await expect(page.locator('.controls button', { hasText: 'Step ▶' })).toBeFocused();
  await page.locator('g.server', { hasText: 'NewYork01' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('section.detail h2')).toContainText('NewYork01');
});
