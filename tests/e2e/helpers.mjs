// What every page test does as a learner: open a lab, wait for the screen to settle (the lab
// marks calls to its worker not yet drawn in main[data-pending]), answer, step.
import { test, expect } from '@playwright/test';

/** The sub-path the lab is served under in the tests (/dist/: playwright.config.mjs's baseURL). */
export const labPath = () => new URL(test.info().project.use.baseURL).pathname;

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

/** A learner who counts every press (Step, Next mail, Finish step, an answer), to check that a
 *  lesson's idea is reached within a number of presses. `press(/Next mail/)` names a button. */
export function learner(page) {
  const l = {
    presses: 0,
    async press(name) {
      await page.getByRole('button', { name }).click();
      await settled(page);
      l.presses += 1;
    },
    async answer(text) {
      await page.locator('.question .choices button', { hasText: text }).click();
      await settled(page);
      l.presses += 1;
    },
    /** Presses `name` until `done()` holds, at most `cap` times in all; true when it held. */
    async until(name, done, cap = 15) {
      while (!(await done())) {
        if (l.presses >= cap) return false;
        await l.press(name);
      }
      return true;
    },
  };
  return l;
}
