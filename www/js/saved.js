// A saved state read back (js/store.js loads this module only when something is saved): every
// field the lab reads back is checked, and a state that does not make sense is set aside (never
// deleted, under its own key) and reported in words.
const ASIDE = 'usnlab.v1.set-aside';

/** The saved text `raw` as {state, problem}: the saved state if it is sound, or why it is not
 *  (then what is sound is kept). `fresh()` makes a new state; `write` saves one. */
export function restore(raw, fresh, write) {
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return setAside(raw, 'it is not valid JSON', fresh(), write);
  }
  const problem = check(parsed);
  if (!problem) return { state: parsed, problem: null };
  // Keep what is sound: a bad lab in progress does not cost the learner their finished lessons.
  const kept = check({ ...parsed, current: null }) ? fresh() : { ...parsed, current: null };
  return setAside(raw, problem, kept, write);
}

/** The most a saved state may hold: what the lab itself could have saved, with room to spare. */
const LIMITS = { completed: 1000, name: 200, scenario: 2_000_000, history: 100_000, answers: 10_000, answer: 1000 };

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isText = (v, max) => typeof v === 'string' && v.length <= max;

/** What is wrong with a saved answers object ({step index: the choice}), or null. */
function answersProblem(a, where) {
  if (!isObject(a)) return `${where} is not an object of answers`;
  const entries = Object.entries(a);
  if (entries.length > LIMITS.answers) return `${where} holds more than ${LIMITS.answers} answers`;
  const bad = entries.find(([k, v]) => !/^(0|[1-9][0-9]{0,8})$/.test(k) || !isText(v, LIMITS.answer));
  return bad ? `${where} holds an answer that is not a step number and a choice` : null;
}

/** What is wrong with one saved action ({"kind": "advance"} or {"kind": "act", "cmd": {...}}), or null. */
function actionProblem(a) {
  if (!isObject(a)) return 'is not an object';
  if (a.kind === 'advance') return null;
  if (a.kind === 'act') return isObject(a.cmd) && typeof a.cmd.do === 'string' ? null : 'is an "act" without a command';
  if (a.kind === 'answer') return Number.isInteger(a.step) && a.step >= 0 && isText(a.choice, LIMITS.name) ? null : 'is an "answer" without a step and a choice';
  return 'is not "advance", "act" or "answer"';
}

/** A sentence naming what is wrong, or null. Every field the lab reads back is checked here. */
export function check(s) {
  if (!isObject(s)) return 'it is not an object';
  if (s.version !== 1) return `its version is ${String(JSON.stringify(s.version)).slice(0, 20)}, not 1`;
  if (!Array.isArray(s.completed) || s.completed.length > LIMITS.completed || !s.completed.every((c) => isText(c, LIMITS.name))) {
    return '"completed" is not a list of lesson names';
  }
  if (s.answers !== undefined && s.answers !== null) {
    const p = answersProblem(s.answers, '"answers"');
    if (p) return p;
  }
  const ch = s.challenges;
  if (ch !== undefined && (!ch || typeof ch !== 'object' || Array.isArray(ch))) return '"challenges" is not an object';
  const count = (n) => Number.isInteger(n) && n >= 0;
  for (const [id, best] of Object.entries(ch || {})) {
    if (!best || !count(best.best_actions) || !count(best.best_time_s)) return `the best result of challenge "${id}" is not two whole numbers (best_actions, best_time_s)`;
  }
  const c = s.current;
  if (c === null || c === undefined) return null;
  if (!isObject(c)) return '"current" is not an object';
  if (c.id !== undefined && c.id !== null && !isText(c.id, LIMITS.name)) return 'the lab in progress has a lesson id that is not a short text';
  if (c.title !== undefined && c.title !== null && !isText(c.title, LIMITS.name)) return 'the lab in progress has a title that is not a short text';
  if (!isText(c.scenario, LIMITS.scenario)) return 'the lab in progress has no scenario text';
  if (!Array.isArray(c.history)) return 'the lab in progress has no history list';
  if (c.history.length > LIMITS.history) return `the lab in progress has a history of more than ${LIMITS.history} actions`;
  const i = c.history.findIndex((a) => actionProblem(a));
  if (i >= 0) return `the lab in progress has a history whose entry ${i} ${actionProblem(c.history[i])}`;
  if (!Number.isInteger(c.playhead) || c.playhead < 0 || c.playhead > c.history.length) return 'the lab in progress has a playhead outside its history';
  if (c.answers !== undefined && c.answers !== null) {
    const p = answersProblem(c.answers, 'the lab in progress\'s "answers"');
    if (p) return p;
  }
  return null;
}

function setAside(raw, why, kept, write) {
  try {
    localStorage.setItem(ASIDE, raw);
  } catch { /* ignore */ }
  write(kept);
  return { state: kept, problem: `Your saved lab could not be restored: ${why}. It was set aside (key "${ASIDE}"), and the lessons are below.` };
}

