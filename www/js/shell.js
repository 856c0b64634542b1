// What every part of the page shares: the notice and the live region, the learner's saved
// progress, and fetching scenarios. It imports only dom.js, store.js and boot.js, none of which
// imports it, so nothing imports in a cycle (app.js routes, lab.js runs a lab; both use this).
import { el, put, $ } from './dom.js';
import * as store from './store.js';
import { lessonUrl } from './boot.js';

/** The learner's progress: the one copy, saved with `saveProgress`; and why the saved one could
 *  not be restored, or null. Both are set once `ready` has resolved (app.js routes after it). */
export let state, loadProblem;
export const ready = Promise.resolve(store.load()).then((p) => { state = p.state; loadProblem = p.problem; });

export function saveProgress() {
  store.save(state);
}

/** Shows a message that names a problem; the lab keeps working. */
export function notify(text) {
  const box = $('#notice');
  put(box, el('span', {}, text), el('button', { type: 'button', class: 'quiet', onclick: () => { box.hidden = true; } }, 'Dismiss'));
  box.hidden = false;
}

/** Says `text` to screen readers. */
export function announce(text) {
  put($('#live'), text);
}

export async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url} could not be loaded (${r.status})`);
  return r.text();
}

export function scenarioUrl(id) {
  const url = lessonUrl(id);
  if (!url) throw new Error(`"${id}" is not the name of a lesson`);
  return url;
}

export async function scenarioText(id) {
  return fetchText(scenarioUrl(id));
}
