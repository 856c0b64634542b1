// What the lab keeps across reloads, in localStorage: finished lessons, each challenge's best
// (`challenges: {id: {best_actions, best_time_s}}`), and the lab in progress
// (its scenario, its history and its playhead). Everything read back is checked (js/saved.js,
// loaded only when something is saved: never on a first visit); a saved state that does not
// make sense is set aside (never deleted) and reported in words.
const KEY = 'usnlab.v1';

function read() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: the lab still works, it just forgets
  }
}

let unread = false;
function write(value) {
  if (unread) return; // what is saved could not be checked: never overwrite it
  try {
    localStorage.setItem(KEY, JSON.stringify(value));
  } catch {
    /* full or disabled: keep going */
  }
}

/** {state, problem}: a fresh state when nothing is saved; else the promise of the saved state
 *  if it is sound, or of why it is not, once js/saved.js has checked it. */
export function load() {
  const raw = read();
  if (raw === null) return { state: fresh(), problem: null };
  return import('./saved.js').then((m) => m.restore(raw, fresh, write), (e) => {
    unread = true;
    return { state: fresh(), problem: `Your saved lab could not be checked (${e.message}); it is kept as it was, and this visit will not save.` };
  });
}

function fresh() {
  return { version: 1, completed: [], answers: {}, challenges: {}, current: null };
}

export function save(state) {
  write(state);
}
