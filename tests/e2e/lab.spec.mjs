// The page, end to end, as a learner uses it: open a lesson, answer, step, go back, restore,
// read the log. Served from the repository root, so the lab runs under a sub-path (/dist/).
import { test, expect } from '@playwright/test';
import { openLab, settled, step, selectServer, labPath } from './helpers.mjs';

/** The text of the step under way ("Step 3 of 6: ..."), or "" before the first. */
async function stepText(page) {
  return (await page.locator('.stepno').allTextContents())[0] ?? '';
}

/** Steps until `predicate` holds (at most `cap` steps). */
async function stepUntil(page, predicate, cap = 400) {
  for (let i = 0; i < cap; i++) {
    if (await predicate()) return;
    if (!(await step(page))) break;
  }
  expect(await predicate()).toBe(true);
}

function row(page, name) {
  return page.locator('table.objects tbody tr', { has: page.getByRole('button', { name, exact: true }) });
}

async function cells(page, name) {
  const tds = await row(page, name).locator('td').allTextContents();
  return tds.slice(0, 4).map(Number); // Object-Version, USN-Created, USN-Changed, USN-Source
}

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (e) => { throw e; });
});

test('the lesson list loads under a sub-path and opens a lesson', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'How a directory replicates' })).toBeVisible();
  await expect(page.locator('ol.cards > li')).toHaveCount(10);
  await expect.poll(() => page.evaluate(() => window.__usnlabReady)).toBe(true);
  await page.getByRole('link', { name: /Bill Lee moves to London/ }).click();
  await expect(page.locator('.story h2')).toHaveText('One replication cycle: Bill Lee moves to London');
  expect(page.url()).toContain(`${labPath()}#lesson=bill-lee`);
});

test('a lesson\'s first visit does not download the lesson list\'s code (js/list.js); the list loads it when shown', async ({ page }) => {
  const asked = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('/js/list.js')) asked.push(r.url()); });
  await openLab(page, '#lesson=bill-lee');
  await page.waitForLoadState('networkidle');
  expect(asked).toEqual([]);
  await page.getByRole('link', { name: 'Lessons', exact: true }).click();
  await expect(page.locator('ol.cards > li')).toHaveCount(10);
  expect(asked).toHaveLength(1);
});

test('Bill Lee: the table shows 1946, 1157, 1220 and 1966 as the sources do', async ({ page }) => {
  await openLab(page, '#lesson=bill-lee');
  await expect(page.locator('.story .question')).toContainText('Which USN-Changed will Bill Lee get on Boston01?');
  await stepUntil(page, async () => (await stepText(page)).startsWith('Step 3'));
  await selectServer(page, 'NewYork01');
  expect(await cells(page, 'Bill Lee')).toEqual([1, 1157, 1157, 1946]);
  await page.screenshot({ path: 'docs/screenshots/lab.png' });
  await stepUntil(page, async () => (await page.locator('.done').count()) > 0);
  expect(await cells(page, 'Bill Lee')).toEqual([2, 1157, 1220, 1946]);
  await selectServer(page, 'Boston01');
  expect(await cells(page, 'Bill Lee')).toEqual([2, 1946, 1966, 1220]);
  await expect(row(page, 'Bill Lee').locator('td.mono')).toContainText('52D4C132');
  await expect(page.locator('.reveal')).toContainText('the answer is 1966');
});

test('the hot potato marker moves from Mailbox A to Mailbox B and back', async ({ page }) => {
  await openLab(page, '#lesson=hot-potato');
  const hot = () => page.locator('table.objects tr.hot th button').textContent();
  await step(page);
  expect(await hot()).toBe('Mailbox A');
  await stepUntil(page, async () => (await stepText(page)).startsWith('Step 3'));
  expect(await hot()).toBe('Mailbox B');
  expect(await cells(page, 'Mailbox B')).toEqual([1, 1001, 1001, 1001]);
  await step(page);
  expect(await hot()).toBe('Mailbox A');
  expect((await cells(page, 'Mailbox A'))[2]).toBe(1002);
  await expect(page.locator('.potato')).toHaveCount(1);
});

test('a restore stalls replication: 1224 in the log on the restored server', async ({ page }) => {
  await openLab(page, '#lesson=restore-stall');
  await stepUntil(page, async () => (await page.locator('.events li', { hasText: '1224' }).count()) > 0);
  const log = page.locator('section.log');
  await expect(log.locator('li', { hasText: '1224' }).first()).toContainText('ServerA · MSExchangeDS · error · Replication');
  await expect(log.locator('li', { hasText: '1224' }).first()).toContainText('Fatal replication error');
  await expect(page.locator('svg.timeline .tl-event').last()).toHaveText('event 1224');
  await log.getByLabel('Server').selectOption('ServerB');
  await expect(log.locator('li', { hasText: '1224' })).toHaveCount(0);
  await log.getByLabel('Server').selectOption('ServerA');
  await expect(log.locator('li .id', { hasText: '1107' })).toHaveCount(1);
  await selectServer(page, 'ServerA');
  await page.getByRole('button', { name: 'Why is this server stalled?' }).click();
  await expect(page.locator('.whybox')).toContainText('ServerB asks for changes above 1500');
  await selectServer(page, 'ServerB');
  await expect(page.locator('table.reps')).toContainText('0,112,16,1500,22C3A9375FF7D1118FB700C04FB94608,SERVERA');
});

test('a mailbox named with HTML shows as text', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await openLab(page, '#sandbox');
  await page.locator('details.tools summary').click();
  const form = page.locator('form.tool', { hasText: 'Mailbox' });
  const name = '<img src=x onerror=alert(1)>';
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  await expect(page.locator('main img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('a refused command is explained, and the lab goes on', async ({ page }) => {
  await openLab(page, '#sandbox');
  await page.locator('details.tools summary').click();
  await page.locator('form.tool', { hasText: 'Authrest' }).getByRole('button', { name: 'Run AUTHREST' }).click();
  await expect(page.locator('#notice')).toContainText('DS_RUNNING');
  await expect(page.locator('section.log')).toContainText('Authrest runs only while the directory service is stopped');
});

test('back then forward replays the same history; only a new action branches it', async ({ page }) => {
  await openLab(page, '#lesson=bill-lee');
  for (let i = 0; i < 4; i++) await step(page);
  const at = await page.locator('.status').textContent();
  const [, n] = at.match(/^(\d+)\//);
  await page.getByRole('button', { name: '◀ Back' }).click();
  await page.getByRole('button', { name: '◀ Back' }).click();
  await expect(page.locator('.status')).toContainText(`${n - 2}/${n}`);
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.status')).toContainText(`${n - 1}/${n}`);
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.status')).toContainText(`${n}/${n}`);
  await page.getByRole('button', { name: '◀ Back' }).click();
  await page.locator('details.tools summary').click();
  await page.locator('form.tool', { hasText: 'Update Now' }).getByRole('button', { name: 'Update Now' }).click();
  await expect(page.locator('.status')).toContainText(`${n}/${n}`); // the learner's own action replaced the old future
  await page.keyboard.press('Home');
  await expect(page.locator('.status')).toContainText(`0/${n}`);
  await expect(page.locator('.topology')).toContainText('USN 1945');
});

test('clicking a message in the time-space diagram goes back to it', async ({ page }) => {
  await openLab(page, '#lesson=bill-lee');
  for (let i = 0; i < 6; i++) await step(page);
  await expect(page.locator('.controls .status')).toContainText('8/8'); // six steps and two answers
  const rows = page.locator('svg.timeline g.tl');
  await expect(rows).toHaveCount(5);
  await rows.nth(1).click(); // NewYork01's Request
  await expect(page.locator('.controls .status')).toContainText('5/8');
  await expect(page.locator('.laststep')).toContainText('NewYork01 asks Boston01 for changes above USN 0.');
  await expect(rows).toHaveCount(2);
  await rows.nth(0).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.controls .status')).toContainText('4/8');
});

test('progress survives a reload', async ({ page }) => {
  await openLab(page, '#lesson=bill-lee');
  for (let i = 0; i < 3; i++) await step(page);
  await page.waitForTimeout(1000); // the save is debounced
  await page.goto('./');
  await page.reload();
  await page.getByRole('link', { name: /Continue/ }).click();
  await expect(page.locator('.controls .status')).toBeVisible();
  await expect(page.locator('.status')).toContainText('5/5'); // three steps and two answers
});

test('a malformed saved state shows a clear message and the lesson list', async ({ page }) => {
  await page.goto('./');
  const bad = '{"version":1,"completed":["hot-potato"],"current":{"scenario":5,"history":[],"playhead":0}}';
  await page.evaluate((v) => localStorage.setItem('usnlab.v1', v), bad);
  await page.reload();
  await expect(page.locator('#notice')).toContainText('Your saved lab could not be restored: the lab in progress has no scenario text');
  await expect(page.locator('ol.cards > li')).toHaveCount(10);
  await expect(page.locator('li.card.done')).toHaveCount(1);
  expect(await page.evaluate(() => localStorage.getItem('usnlab.v1.set-aside'))).toBe(bad);
  await page.evaluate(() => localStorage.setItem('usnlab.v1', '{not json'));
  await page.reload();
  await expect(page.locator('#notice')).toContainText('it is not valid JSON');
});

test('a saved lab whose history no longer replays falls back to the lessons', async ({ page }) => {
  await page.goto('./');
  const scenario = await (await page.request.get('scenarios/bill-lee.json')).text();
  const state = { version: 1, completed: [], current: { scenario, title: 'x', history: [{ kind: 'act', cmd: { do: 'create', server: 'Mars01', name: 'x' } }], playhead: 1 } };
  await page.evaluate((v) => localStorage.setItem('usnlab.v1', v), JSON.stringify(state));
  await page.goto('./#resume');
  await page.reload(); // a new page load reads the saved state
  await expect(page.locator('#notice')).toContainText('unknown server "Mars01"');
  await expect(page.locator('ol.cards > li')).toHaveCount(10);
});

test('a scenario file with a mistake names the step and the problem', async ({ page }) => {
  await page.goto('./');
  const file = { name: 'mine.json', mimeType: 'application/json',
    buffer: Buffer.from('{"sites":[{"name":"S","servers":[{"name":"A"}]}],"steps":[{"do":"create","server":"B","name":"x"}]}') };
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.locator('#notice')).toContainText('mine.json: step 0: unknown server "B"');
  await expect(page.getByRole('heading', { name: 'How a directory replicates' })).toBeVisible();
});

test('a scenario file nested too deep is named, and the lab still opens a lesson', async ({ page }) => {
  await page.goto('./');
  // Both used to fail: 3,000 deep arrived in the worker as null (the browser's copy of the
  // call's arguments), a call never answered; 900,000 deep (1.8 MB) could not be sent at all.
  for (const depth of [3_000, 900_000]) {
    const said = 'the scenario nests lists and objects more than 127 deep';
    const file = { name: `deep${depth}.json`, mimeType: 'application/json',
      buffer: Buffer.from(`{"sites":${'['.repeat(depth)}${']'.repeat(depth)}}`) };
    await page.locator('input[type=file]').setInputFiles(file);
    await expect(page.locator('#notice')).toContainText(`deep${depth}.json: ${said}`);
  }
  await page.getByRole('link', { name: /Bill Lee moves to London/ }).click();
  await expect(page.locator('.story h2')).toHaveText('One replication cycle: Bill Lee moves to London');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.story .question')).toContainText('Which USN-Changed will Bill Lee get on Boston01?');
});

test('the same restore replayed under Active Directory does not stall', async ({ page }) => {
  await openLab(page, '#lesson=restore-stall');
  await stepUntil(page, async () => (await page.locator('.events li', { hasText: '1224' }).count()) > 0);
  await page.getByRole('button', { name: 'Replay as Active Directory' }).click();
  await expect(page.locator('#live')).toContainText('Active Directory');
  await expect(page.locator('.events li', { hasText: '1224' })).toHaveCount(0);
});
