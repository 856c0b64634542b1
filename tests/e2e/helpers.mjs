// What every page test does as a learner: open a lab, wait for the screen to settle (the lab
// marks calls to its worker not yet drawn in main[data-pending]), answer, step.
import { expect } from '@playwright/test';

/** Waits until every call the page made to the core has been drawn. */
export async function settled(page) {
  await expect(page.locator('main[data-pending="0"]')).toHaveCount(1);
}

/** Opens a lab and waits until the core has drawn it. */
export async function openLab(page, hash) {
  await page.goto(`./${hash}`);
  await expect(page.locator('.controls .status')).toBeVisible();
  await settled(page);
}

/** Answers a pending question (the first choice) and presses Step; false once the lab is quiet. */
export async function step(page) {
  const choice = page.locator('.question .choices button');
  if (await choice.count()) {
    await choice.first().click();
    await settled(page);
  }
  await page.getByRole('button', { name: 'Step ▶' }).click();
  await settled(page);
  return !(await page.locator('#live').textContent()).startsWith('All quiet');
}

export async function selectServer(page, name) {
  await page.locator('.tabs').getByRole('button', { name, exact: true }).click();
  await settled(page);
}
