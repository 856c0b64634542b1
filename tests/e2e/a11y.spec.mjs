// Accessibility and layouts: axe-core finds no serious or critical violation on the lesson list
// or in any lesson, in light and dark schemes; and the lab fits a phone, a laptop and a
// projector (screenshots in docs/screenshots/).
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLab, settled, step } from './helpers.mjs';

const LESSONS = ['hot-potato', 'bill-lee', 'conflicts', 'restore-stall', 'backsync-busy', 'repairs', 'active-directory'];

async function serious(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const scheme of ['light', 'dark']) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme });

    test('the lesson list has no serious accessibility violations', async ({ page }) => {
      await page.goto('./');
      await expect(page.locator('ol.cards > li')).toHaveCount(10);
      expect(await serious(page)).toEqual([]);
    });

    for (const id of [...LESSONS, 'sandbox', 'workbench', 'challenge-stall']) {
      test(`${id} has no serious accessibility violations, before and after a few steps`, async ({ page }) => {
        await openLab(page, `#lesson=${id}`);
        expect(await serious(page)).toEqual([]);
        for (let i = 0; i < 6; i++) await step(page);
        await page.locator('details.tools summary').click();
        await expect(page.locator('details.tools form.tool').first()).toBeVisible(); // built when first opened
        expect(await serious(page)).toEqual([]);
      });
    }
  });
}

const SIZES = [
  ['phone', { width: 390, height: 844 }, '#lesson=restore-stall'],
  ['laptop', { width: 1280, height: 800 }, '#lesson=restore-stall'],
  ['projector', { width: 1920, height: 1080 }, '#v=1&lesson=restore-stall&present&start=14'],
];

for (const [name, viewport, hash] of SIZES) {
  test(`the lab fits a ${name} (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto(`./${hash}`);
    await expect(page.locator('.controls .status')).toBeVisible();
    await settled(page);
    if (name !== 'projector') for (let i = 0; i < 14; i++) await step(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await expect(page.getByRole('button', { name: 'Step ▶' })).toBeInViewport();
    const boxes = await Promise.all(['.story', 'figure.panel', 'section.detail'].map((sel) => page.locator(sel).first().boundingBox()));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const apart = a.x + a.width <= b.x + 1 || b.x + b.width <= a.x + 1 || a.y + a.height <= b.y + 1 || b.y + b.height <= a.y + 1;
      expect(apart, `panels ${i} and ${j} overlap`).toBe(true);
    }
    if (name === 'projector') {
      const size = await page.locator('.narration').evaluate((n) => parseFloat(getComputedStyle(n).fontSize));
      expect(size).toBeGreaterThanOrEqual(22);
    }
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
  });
}
