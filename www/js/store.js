// What the lab keeps across reloads, in localStorage: finished lessons, each challenge's best
// (`challenges: {id: {best_actions, best_time_s}}`), and the lab in progress
// (its scenario, its history and its playhead). Everything read back is checked; a saved state
// that does not make sense is set aside (never deleted) and reported in words.
const KEY = 'usnlab.v1';
const ASIDE = 'usnlab.v1.set-aside';

function read() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: the lab still works, it just forgets
  }
}

function write(value) {
  try {
    localStorage.setItem(KEY, JSON.stringify(value));
  } catch {
    /* full or disabled: keep going */
  }
}

/** Returns {state, problem}: the saved state if it is sound, or why it is not. */
export function load() {
  const raw = read();
  if (raw === null) return { state: fresh(), problem: null };
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return setAside(raw, 'it is not valid JSON');
  }
  const problem = check(parsed);
  if (!problem) return { state: parsed, problem: null };
  // Keep what is sound: a bad lab in progress does not cost the learner their finished lessons.
  const kept = check({ ...parsed, current: null }) ? fresh() : { ...parsed, current: null };
  return setAside(raw, problem, kept);
}

function fresh() {
  return { version: 1, completed: [], answers: {}, challenges: {}, current: null };
}

/** A sentence naming what is wrong, or null. */
export function check(s) {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return 'it is not an object';
  if (s.version !== 1) return `its version is ${JSON.stringify(s.version)}, not 1`;
  if (!Array.isArray(s.completed) || !s.completed.every((c) => typeof c === 'string')) return '"completed" is not a list of lesson names';
  if (s.answers !== undefined && (typeof s.answers !== 'object' || Array.isArray(s.answers))) return '"answers" is not an object';
  const ch = s.challenges;
  if (ch !== undefined && (!ch || typeof ch !== 'object' || Array.isArray(ch))) return '"challenges" is not an object';
  const count = (n) => Number.isInteger(n) && n >= 0;
  for (const [id, best] of Object.entries(ch || {})) {
    if (!best || !count(best.best_actions) || !count(best.best_time_s)) return `the best result of challenge "${id}" is not two whole numbers (best_actions, best_time_s)`;
  }
  const c = s.current;
  if (c === null || c === undefined) return null;
  if (typeof c !== 'object') return '"current" is not an object';
  if (typeof c.scenario !== 'string') return 'the lab in progress has no scenario text';
  if (!Array.isArray(c.history)) return 'the lab in progress has no history list';
  if (!Number.isInteger(c.playhead) || c.playhead < 0 || c.playhead > c.history.length) return 'the lab in progress has a playhead outside its history';
  return null;
}

function setAside(raw, why, kept = fresh()) {
  try {
    localStorage.setItem(ASIDE, raw);
  } catch { /* ignore */ }
  write(kept);
  return { state: kept, problem: `Your saved lab could not be restored: ${why}. It was set aside (key "${ASIDE}"), and the lessons are below.` };
}

export function save(state) {
  write(state);
}
