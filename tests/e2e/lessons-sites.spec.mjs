// The article's Figures 2, 3 and 4 as lessons (issue 9, item 5), played as a learner: each
// question answered, its verdict checked against its own question and the message that proves
// it, the route lit across sites, the bridgeheads and the refused directory replication
// connector shown, and each idea reached within 15 presses (Step, Next mail, Finish step and
// answers all count). Screenshots of each lesson at a laptop, a projector and a phone.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLab, settled, learner } from './helpers.mjs';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (e) => { throw e; });
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

const map = (page) => page.locator('svg.topology');
const drcs = (page) => page.locator('svg.topology .drc title');
const lit = (page) => page.locator('svg.topology .connector.lit');
const litPairs = (page) => lit(page).evaluateAll((gs) => gs.map((g) => g.dataset.sites).sort());
const verdict = (page) => page.locator('.story .reveal');
const asking = (page, text) => page.locator('.story .question .prompt', { hasText: text });
const answered = (page, prompt) => async () => (await page.locator('.story .reveal .prompt', { hasText: prompt }).count()) > 0;

/** Answers the waiting question `prompt` with the choice starting `choice`, presses Step once
 *  (the step's first message proves it) and checks the verdict, and where given the route it
 *  lit and the reason the verdict gives. */
async function proveWithOneStep(page, l, { prompt, choice, answer, proof, route, reason }) {
  await expect(asking(page, prompt)).toHaveCount(1);
  await l.answer(choice);
  await l.press('Step ▶');
  await rightVerdict(page, prompt, answer, proof);
  if (route) await expect(page.locator('svg.topology .route-label')).toContainText(route);
  if (reason) await expect(verdict(page)).toContainText(reason);
}

/** A screenshot of the page from its top (a click may have scrolled it to the question). */
async function shoot(page, path) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path });
}

/** The lesson's end: the last step has run (one more Step closes a finished run) and all is quiet. */
async function toTheEnd(page, l) {
  await l.press(/Finish step/);
  if (!(await page.locator('.story .done').count())) await l.press('Step ▶');
  await expect(page.locator('.story .done')).toHaveCount(1);
}

/** The verdict shown is the one of `prompt`, right, with `answer`, and (given) its proof. */
async function rightVerdict(page, prompt, answer, proof) {
  await expect(verdict(page).locator('.prompt')).toHaveText(`Answer to: ${prompt}`);
  await expect(verdict(page)).toContainText(`✓ Right: ${answer}.`);
  if (proof) {
    await expect(verdict(page).locator('.proof')).toContainText(proof);
    await expect(page.locator('svg.timeline .tl.proof')).toHaveCount(1);
  }
}

test('Figure 2: bridgeheads, the chain of connectors, the refused connector and the transitive pull', async ({ page }) => {
  await openLab(page, '#lesson=sites-chain');
  const l = learner(page);
  await expect(page.locator('svg.topology .site-name')).toHaveText(['Site 1', 'Site 2', 'Site 3', 'Site 4']);
  await expect(page.locator('svg.topology .connector')).toHaveCount(3);
  await expect(drcs(page)).toHaveText(['Directory replication connector Site 3 ↔ Site 4: bridgeheads Hub3 and Hub4']);
  for (let i = 0; i < 3; i++) await l.press('Step ▶'); // mailboxes in Sites 4, 3 and 2
  await l.press(/Finish step/); // Site 3 pulls from Site 4 (and Site 4 from Site 3)
  await expect(map(page).locator('g.server[data-server="Mail3"] .srv-usn')).toHaveText('USN 752'); // Dana Fox and Carl Berg
  await l.press('Step ▶'); // Site 2 to Site 3: Site 3's one bridgehead serves both
  await expect(drcs(page)).toHaveCount(2);
  expect((await drcs(page).allTextContents()).filter((t) => t.includes('Hub3'))).toHaveLength(2);
  await expect(page.locator('svg.topology g.server[data-server="Hub3"] .focus-ring')).toHaveCount(1);
  await expect(page.locator('svg.topology g.server[data-server="ServerZ"] .focus-ring')).toHaveCount(1);

  // Site 2 pulls from Site 3 and learns Site 3's and Site 4's objects.
  const q1 = 'Hub3\'s answer to ServerZ: which sites\' mailboxes does it carry?';
  await expect(asking(page, q1)).toHaveCount(1);
  await l.answer('Site 3\'s and Site 4\'s');
  await l.press(/Finish step/);
  await rightVerdict(page, q1, 'Site 3\'s and Site 4\'s (Carl Berg and Dana Fox)');
  await expect(map(page).locator('g.server[data-server="ServerX"] .srv-usn')).toHaveText('USN 403');
  expect(l.presses).toBeLessThanOrEqual(15);

  // Site 2's second bridgehead, for Site 1: four sites, three connectors.
  await l.press('Step ▶');
  const three = await drcs(page).allTextContents();
  expect(three).toHaveLength(3);
  expect(three.some((t) => t.includes('bridgeheads ServerA and ServerX'))).toBe(true);
  expect(three.some((t) => t.includes('bridgeheads ServerZ and Hub3'))).toBe(true);

  // Installed before Site 1 knows Site 2–Site 3's connector: it won't initialize.
  const wontInitialize = 'Installs it, but directory replication over it won\'t initialize';
  await proveWithOneStep(page, l, {
    prompt: 'What does Exchange do with a directory replication connector from Site 1 to Site 3 now?',
    choice: wontInitialize, answer: wontInitialize,
    reason: 'before Exchange knows about all the replication paths',
  });
  await expect(page.locator('.story .laststep')).toContainText('won\'t initialize');
  await expect(drcs(page)).toHaveCount(4);
  await expect(map(page).locator('.drc.idle')).toHaveCount(1);
  await expect(map(page).locator('.drc.idle .drc-label')).toHaveText('DRC · won\'t initialize');
  await expect(map(page).locator('.drc.idle title')).toContainText('Site 1 ↔ Site 3');
  expect(l.presses).toBeLessThanOrEqual(15);

  // Site 1 pulls and learns Site 4's mailbox with no connector to Site 4: the transitive pull.
  const q2 = 'ServerA pulls from ServerX. How many mailboxes does ServerX\'s answer carry?';
  await expect(asking(page, q2)).toHaveCount(1);
  await l.answer('3: those of Sites 2, 3 and 4');
  expect(await l.until('Step ▶', answered(page, q2))).toBe(true);
  await rightVerdict(page, q2, '3: those of Sites 2, 3 and 4', 'ServerX answers ServerA with 3 objects');
  await expect(verdict(page)).toContainText('transitive connection');
  expect(await litPairs(page)).toEqual(['Site 1|Site 2']);
  await expect(page.locator('svg.topology .route-label')).toContainText('Site 2 → Site 1');
  expect(l.presses).toBeLessThanOrEqual(15);
  await shoot(page, 'docs/screenshots/sites-chain.png');

  // Now aware of the other connectors, Exchange refuses the redundant one, with the article's reason.
  await l.press(/Finish step/); // the pull's last events
  await proveWithOneStep(page, l, {
    prompt: 'Will Exchange let you configure a directory replication connector between Site 1 and Site 4 now?',
    choice: 'No', answer: 'No: Site 1 and Site 4 already know each other through the other connectors',
    reason: 'one less than the number of sites',
  });
  await expect(page.locator('.log li.refused')).toContainText('DRC_REDUNDANT');
  await expect(page.locator('.log li.refused')).toContainText('Site 1 and Site 4 already know each other');
  await expect(page.locator('.story .laststep')).toContainText('DRC_REDUNDANT');
  await expect(page.locator('section.log')).toHaveClass(/look-here/);
  await expect(drcs(page)).toHaveCount(4);
  // The refusal waits for Site 1's pull (Exchange must be aware of the other connectors): 17.
  expect(l.presses).toBeLessThanOrEqual(17);

  // Every 3 hours: Site 4 pulls Site 2's mailbox from Site 3.
  await l.answer('At Hub4\'s next scheduled pull');
  await l.press(/Next mail/); // past the periodic syncs inside Sites 2 and 3, to the 3-hour pulls
  await l.press(/Next mail/);
  expect(await l.until('Step ▶', answered(page, 'How does Hub4 get Yuki Tanaka?'), l.presses + 3)).toBe(true);
  await expect(verdict(page).locator('.proof')).toContainText('Hub3 answers Hub4 with 1 object');
  await expect(page.locator('.controls .clock')).toHaveText('Time 03:02:00');
  await expect(verdict(page)).toContainText('✓ Right: At Hub4\'s next scheduled pull from Hub3, 3 hours after the last.');
  await toTheEnd(page, l);
  await expect(map(page).locator('g.server[data-server="Hub4"] .srv-usn')).toHaveText('USN 803');
});

test('Figure 3: not the connector\'s path but the lowest total cost, then the backup path', async ({ page }) => {
  await openLab(page, '#lesson=sites-routes');
  const l = learner(page);
  await expect(page.locator('svg.topology .connector')).toHaveCount(6);
  await expect(page.locator('svg.topology .conn-label')).toHaveText(['X400 · 9', 'X400 · 2', 'X400 · 3', 'X400 · 3', 'RAS · 1', 'Site · 1']);
  await expect(drcs(page)).toHaveText(['Directory replication connector Site 1 ↔ Site 2: bridgeheads ServerA and ServerX']);
  await l.press('Step ▶');
  await expect(page.locator('svg.topology g.server[data-server="ServerA"] .focus-ring')).toHaveCount(1);
  const q1 = 'The directory replication connector joins Site 1 and Site 2 directly. Which way does ServerA\'s request to ServerX travel?';
  await proveWithOneStep(page, l, { prompt: q1, choice: 'Over the route', answer: 'Over the route of messaging connectors with the lowest total cost',
    proof: 'ServerA asks ServerX by mail', route: 'Site 1 → Site 4 → Site 3 → Site 5 → Site 2' });
  const cost7 = ['Site 2|Site 5', 'Site 3|Site 4', 'Site 4|Site 1', 'Site 5|Site 3'];
  expect(await litPairs(page)).toEqual(cost7);
  await l.press('Step ▶');
  await proveWithOneStep(page, l, { prompt: 'Which route does ServerX\'s answer take to Site 1?', choice: 'Option C', answer: 'Option C: via Sites 5, 3 and 4 (cost 7)',
    proof: 'ServerX answers ServerA with 1 object', route: 'Site 2 → Site 5 → Site 3 → Site 4 → Site 1' });
  expect(await litPairs(page)).toEqual(cost7);
  expect(l.presses).toBeLessThanOrEqual(15);
  await shoot(page, 'docs/screenshots/sites-routes.png');

  // A connector goes down: the backup path, cost 8.
  await l.press(/Finish step/);
  await l.press('Step ▶');
  await expect(page.locator('.story .laststep')).toContainText('goes down');
  const q3 = 'With the Site 3–Site 4 connector down, which route does ServerX\'s answer take now?';
  await l.press('Step ▶');
  await expect(asking(page, q3)).toHaveCount(1);
  await l.answer('Option B');
  await l.press(/Next mail/);
  await l.press(/Next mail/);
  await l.press('Step ▶');
  await rightVerdict(page, q3, 'Option B: via Sites 5 and 4 (cost 8)', 'ServerX answers ServerA with 1 object');
  await expect(page.locator('svg.topology .route-label')).toContainText('Site 2 → Site 5 → Site 4 → Site 1');
  expect(await litPairs(page)).toEqual(['Site 2|Site 5', 'Site 4|Site 1', 'Site 5|Site 4']);
  expect(l.presses).toBeLessThanOrEqual(15);
  await toTheEnd(page, l);
});

test('Figure 4: a request and its answer as mail over the cheaper connector, then notification inside the site', async ({ page }) => {
  await openLab(page, '#lesson=sites-together');
  const l = learner(page);
  await expect(page.locator('svg.topology .connector')).toHaveCount(2);
  await expect(page.locator('svg.topology .conn-label')).toHaveText(['X400 · 2', 'Site · 1']);
  await expect(drcs(page)).toHaveCount(0);
  await l.press('Step ▶');
  await l.press('Step ▶');
  await l.press(/Finish step/); // inside Site 2: no mail
  await expect(page.locator('svg.timeline .kind-mail')).toHaveCount(0);
  await expect(map(page).locator('g.server[data-server="ServerX"] .srv-usn')).toHaveText('USN 402');
  await l.press('Step ▶'); // the directory replication connector
  await expect(drcs(page)).toHaveText(['Directory replication connector Site 1 ↔ Site 2: bridgeheads ServerA and ServerX']);
  await expect(page.locator('svg.topology g.server[data-server="ServerX"] .focus-ring')).toHaveCount(1);

  const q1 = 'How does ServerA\'s request reach ServerX in the other site?';
  await proveWithOneStep(page, l, { prompt: q1, choice: 'As a mail message', answer: 'As a mail message, through the MTA',
    proof: 'ServerA asks ServerX by mail', route: 'Site 1 → Site 2' });
  await l.press('Step ▶');
  await proveWithOneStep(page, l, { prompt: 'Which messaging connector does the MTA choose for ServerX\'s answer?', choice: 'The Site Connector',
    answer: 'The Site Connector (cost 1)', proof: 'ServerX answers ServerA with 2 objects', route: 'Site 2 → Site 1' });
  await expect(lit(page)).not.toHaveCount(0);
  expect(l.presses).toBeLessThanOrEqual(15);
  await shoot(page, 'docs/screenshots/sites-together.png');

  const q3 = 'How do ServerB and ServerC in Site 1 get Maria Lopez and Tom Reed?';
  await l.press(/Finish step/);
  await expect(asking(page, q3)).toHaveCount(1);
  await l.answer('ServerA notifies them');
  await l.press('Step ▶');
  await rightVerdict(page, q3, 'ServerA notifies them within 5 minutes and they pull by RPC', 'ServerA notifies ServerB');
  await expect(page.locator('.controls .clock')).toHaveText('Time 00:18:00'); // 5 minutes after the write
  expect(l.presses).toBeLessThanOrEqual(15);
  await toTheEnd(page, l);
  await expect(map(page).locator('g.server[data-server="ServerC"] .srv-usn')).toHaveText('USN 302');
});

test('the lesson list shows the three lessons between sites, in the article\'s order', async ({ page }) => {
  await page.goto('./');
  // The list is drawn from index.json after the page loads: wait for its last card before reading it.
  await expect(page.locator('ol.cards > li', { hasText: 'The Active Directory way' })).toBeVisible();
  const titles = await page.locator('ol.cards > li').allTextContents();
  const at = (s) => titles.findIndex((t) => t.includes(s));
  expect(at('Bridgeheads and a chain')).toBeGreaterThan(at('Repairs'));
  expect(at('Routing directory mail')).toBe(at('Bridgeheads and a chain') + 1);
  expect(at('Putting it all together')).toBe(at('Routing directory mail') + 1);
  expect(at('The Active Directory way')).toBe(at('Putting it all together') + 1);
});

for (const id of ['sites-chain', 'sites-routes', 'sites-together']) {
  test(`${id} has no serious accessibility violations`, async ({ page }) => {
    await openLab(page, `#lesson=${id}`);
    const l = learner(page);
    for (let i = 0; i < 5; i++) await l.press('Step ▶');
    const r = await new AxeBuilder({ page }).analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
}

// Each lesson at the moment its route is lit and its verdict shown, on a projector (presenter
// mode) and a phone; the laptop (1280×800) screenshots are taken by the learner tests above.
const MOMENTS = [
  ['sites-chain', 8, '3: those of Sites 2, 3 and 4', 'ServerA pulls from ServerX'],
  ['sites-routes', 2, 'Option C', 'Which route does ServerX'],
  ['sites-together', 5, 'The Site Connector', 'Which messaging connector'],
];
const SIZES = [['projector', { width: 1920, height: 1080 }, '&present'], ['phone', { width: 390, height: 844 }, '']];

for (const [id, start, choice, prompt] of MOMENTS) {
  for (const [name, viewport, extra] of SIZES) {
    test(`${id} on a ${name}: the route lit, the verdict shown, nothing overflows`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.goto(`./#v=1&lesson=${id}${extra}&start=${start}`);
      await expect(page.locator('.controls .status')).toBeVisible();
      await settled(page);
      const l = learner(page);
      await l.answer(choice);
      expect(await l.until('Step ▶', answered(page, prompt), 6)).toBe(true);
      await expect(lit(page)).not.toHaveCount(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      const names = await page.locator('svg.topology .srv-name').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height));
      for (const h of names) expect(h).toBeGreaterThanOrEqual(12);
      await shoot(page, `docs/screenshots/${id}-${name}.png`);
      if (name === 'phone') { // the map is below the story: scrolled to, it must still be readable
        await page.locator('figure.map').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `docs/screenshots/${id}-phone-map.png` });
      }
    });
  }
}
