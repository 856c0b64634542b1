// Challenges and the workbench, as a learner plays them: the goal and its conditions on screen,
// hints one at a time, the finish screen and the best kept on the lesson list; an organization
// of two sites built by clicks alone, exported, and opened again by dropping the file.
import { test, expect } from '@playwright/test';
import { openLab, settled, step } from './helpers.mjs';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (e) => { throw e; });
});

/** The tool form whose legend is `legend`. */
function tool(page, legend) {
  return page.locator('form.tool', { has: page.locator('legend', { hasText: legend }) });
}

async function submit(page, legend, fill = {}) {
  const form = tool(page, legend);
  for (const [name, value] of Object.entries(fill)) {
    const field = form.locator(`[name="${name}"]`);
    if ((await field.evaluate((n) => n.tagName)) === 'SELECT') await field.selectOption(String(value));
    else await field.fill(String(value));
  }
  await form.getByRole('button').last().click();
  await settled(page);
}

async function clickServer(page, name) {
  await page.locator('svg.topology g.server', { hasText: name }).first().click();
  await settled(page);
}

test('a challenge played to its finish screen with hints and the tools', async ({ page }) => {
  await openLab(page, '#lesson=challenge-stall');
  const goal = page.locator('section.goal');
  await expect(goal).toContainText('Get Server A');
  await expect(goal.locator('.conditions li')).toHaveCount(3);
  // The setup plays out: Server A stalls with event 1224, and the goal is not met.
  while (await step(page)) { /* until all quiet */ }
  await expect(goal.locator('h2')).toHaveText('Goal');
  await expect(goal.locator('.conditions li.unmet').first()).toContainText('Not yet');
  // The hint ladder: one more hint per click.
  for (let i = 1; i <= 3; i++) {
    await goal.locator('button.hint').click();
    await expect(goal.locator('.hints li')).toHaveCount(i);
  }
  await expect(goal.locator('button.hint')).toHaveCount(0);
  await expect(goal.locator('.hints li').last()).toContainText('AUTHREST');
  // The third hint says what to do: click Server A on the map, and the tools act on it.
  await page.locator('details.tools > summary').click();
  await clickServer(page, 'ServerA');
  await expect(tool(page, 'Directory service').locator('select[name=server]')).toHaveValue('ServerA');
  await submit(page, 'Directory service', { op: 'stop' });
  await submit(page, 'Authrest', { objver: 0, usn: 1000 });
  await submit(page, 'Directory service', { op: 'start' });
  await submit(page, 'Run the clock');
  const finish = page.locator('dialog.finish');
  await expect(finish).toBeVisible();
  await expect(finish.locator('.finish-moves')).toHaveText('3');
  await expect(finish).toContainText('Simulated time');
  await expect(goal.locator('h2')).toHaveText('✓ Goal met');
  await expect(goal.locator('.conditions li.met')).toHaveCount(3);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'docs/screenshots/challenge.png' });
  await finish.getByRole('link', { name: 'Back to the lessons' }).click();
  const card = page.locator('.cards li.challenge', { hasText: 'get Server A replicating again' });
  await expect(card).toContainText('✓ best: 3 moves');
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('usnlab.v1')).challenges['challenge-stall']);
  expect(saved.best_actions).toBe(3);
});

test('a two-site organization built in the workbench by clicks alone, exported and dropped back', async ({ page }) => {
  // The workbench has one site: the map's other sites (js/topology-sites.js) load when a second
  // is added, and that frame is drawn once they have.
  const sitesModule = [];
  page.on('request', (r) => { if (r.url().endsWith('/js/topology-sites.js')) sitesModule.push(r.url()); });
  await openLab(page, '#lesson=workbench');
  await page.locator('details.tools > summary').click();
  await submit(page, 'Add a server', { site: 'Redmond', name: 'ServerB', usn: 5000 });
  expect(sitesModule).toEqual([]);
  await submit(page, 'Add a site', { name: 'Tokyo' });
  expect(sitesModule).toHaveLength(1);
  await expect(page.locator('svg.topology .site-name')).toHaveText(['Site Redmond', 'Site Tokyo']);
  await submit(page, 'Add a server', { site: 'Tokyo', name: 'Tokyo01', usn: 100 });
  await submit(page, 'Messaging connector', { kind: 'x400', a: 'Redmond', b: 'Tokyo', cost: 2 });
  await submit(page, 'Directory replication connector', { a: 'Redmond', x: 'ServerB', b: 'Tokyo', y: 'Tokyo01' });
  await submit(page, 'Timers', { notify_pause_s: 60 });
  await expect(page.locator('svg.topology g.server')).toHaveCount(3);
  await expect(page.locator('svg.topology .site-name')).toHaveText(['Site Redmond', 'Site Tokyo']);
  await expect(page.locator('svg.topology .connector .conn-label')).toHaveText(['X400 · 2']);
  await expect(page.locator('svg.topology .drc')).toHaveCount(1);
  await expect(page.locator('svg.topology g.server[data-server="ServerB"] .bridgehead')).toHaveCount(1);
  // A server picked on the map is the one the forms act on; its mailboxes fill the name list.
  await clickServer(page, 'ServerA');
  await submit(page, 'Mailbox', { name: 'Aiko', op: 'create' });
  await expect(page.locator('#tool-mailboxes option[value="Aiko"]')).toHaveCount(1);
  await submit(page, 'Run the clock');
  await clickServer(page, 'Tokyo01');
  await expect(tool(page, 'Mailbox').locator('select[name=server]')).toHaveValue('Tokyo01');
  await expect(page.locator('table.objects')).toContainText('Aiko');
  // Take the messaging connector down: the core says so in words.
  await submit(page, 'Connector down or up', { a: 'Redmond', b: 'Tokyo', op: 'down' });
  await expect(page.locator('#live')).toContainText('connector');
  await page.screenshot({ path: 'docs/screenshots/workbench.png', fullPage: true });
  // Export, then drop the file on the lesson list: the lab opens where it was left.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export this situation (.json)' }).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  const exported = JSON.parse(text);
  expect(exported.steps.filter((s) => s.learner).map((s) => s.do)).toEqual(
    ['add_server', 'add_site', 'add_server', 'add_connector', 'add_drc', 'set', 'create', 'run', 'connector']);
  await page.goto('./');
  await expect(page.locator('h2', { hasText: 'Challenges' })).toBeVisible();
  await page.evaluate(async (body) => {
    const dt = new DataTransfer();
    dt.items.add(new File([body], 'mine.json', { type: 'application/json' }));
    for (const type of ['dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
  await expect(page.locator('svg.topology g.server')).toHaveCount(3);
  await clickServer(page, 'Tokyo01');
  await expect(page.locator('table.objects')).toContainText('Aiko');
});

test('a saved best that is not two whole numbers is set aside with a sentence', async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => localStorage.setItem('usnlab.v1', JSON.stringify({ version: 1, completed: [], answers: {}, challenges: { 'challenge-stall': { best_actions: -1, best_time_s: 'soon' } }, current: null })));
  await page.reload();
  await expect(page.locator('#notice')).toContainText('the best result of challenge "challenge-stall" is not two whole numbers');
  await expect(page.locator('.cards li.challenge .badge')).toHaveCount(0);
});
