// A challenge's goal (docs/scenarios.md, "Goals"): what to reach, each condition met or not with
// the core's sentence, the hint ladder (one more hint per click), and the finish screen with the
// learner's moves and the simulated time. The core decides whether the goal is met; the page
// only shows its verdict and keeps the learner's best (js/store.js, `challenges`).
import { el, put, clock } from '../dom.js';
import { state as progress, saveProgress, announce } from '../shell.js';

export function build(S) {
  if (!S.scenario.goal) return null;
  S.hintsShown = 0;
  S.goalSeen = false;
  S.el.goal = el('section', { class: 'goal', 'aria-label': 'Goal' });
  S.el.finish = el('dialog', { class: 'finish', 'aria-label': 'Goal met' });
  return [S.el.goal, S.el.finish];
}

/** The learner's moves as the goal counts them (the core's count: running the clock is free). */
function moves(f) {
  return f.counted_moves;
}

export function render(S, go) {
  const f = S.frame;
  const g = f.goal;
  if (!S.el.goal || !g) return;
  const hints = S.scenario.hints || [];
  const shown = hints.slice(0, S.hintsShown);
  const more = S.hintsShown < hints.length;
  const solution = S.scenario.solution || [];
  const met = g.require.filter((c) => c.met).length;
  if (S.goalOpen === undefined) S.goalOpen = !window.matchMedia('(max-width: 760px)').matches;
  put(S.el.goal,
    el('div', { class: 'goal-head' },
      el('h2', {}, g.met ? '✓ Goal met' : 'Goal'),
      el('span', { class: 'goal-count' }, `Your moves: ${moves(f)} (running the clock is free) · time ${clock(f.time_s)}`),
      more ? el('button', { type: 'button', class: 'hint', onclick: () => { S.hintsShown += 1; announce(hints[S.hintsShown - 1]); render(S, go); } },
        S.hintsShown ? `Another hint (${S.hintsShown + 1} of ${hints.length})` : `Hint (1 of ${hints.length})`) : null,
      !more && solution.length && !S.showSolution ? el('button', { type: 'button', class: 'quiet', onclick: () => { S.showSolution = true; render(S, go); } }, 'Show a solution') : null),
    el('p', { class: 'goal-text' }, g.text),
    el('details', { class: 'goal-conditions', open: S.goalOpen, ontoggle: (e) => { S.goalOpen = e.target.open; } },
      el('summary', {}, `${met} of ${g.require.length} conditions met`),
      el('ul', { class: 'conditions' }, g.require.map((c) => {
        const cut = c.met ? -1 : c.text.indexOf(' Not yet: ');
        return el('li', { class: c.met ? 'met' : 'unmet' },
          el('span', { class: 'mark', 'aria-hidden': 'true' }, c.met ? '✓' : '○'),
          el('span', {}, el('span', { class: 'sr-only' }, c.met ? 'Met: ' : 'Not met: '), cut < 0 ? c.text : c.text.slice(0, cut),
            cut < 0 ? null : el('span', { class: 'why' }, c.text.slice(cut))));
      }))),
    shown.length ? el('ol', { class: 'hints', 'aria-label': 'Hints' }, shown.map((h) => el('li', {}, h))) : null,
    S.showSolution ? el('ol', { class: 'solution', 'aria-label': 'A solution' }, solution.map((st) => el('li', {}, el('code', {}, stepText(st)), st.narration ? ` ${st.narration}` : null))) : null);
  // The finish screen shows once each time the goal becomes met (a rewind before it un-meets it).
  if (g.met && !S.goalSeen) finish(S, g);
  S.goalSeen = g.met;
}

/** A step as a file writes it, without narration, so a learner can type or click it. */
function stepText(st) {
  const { narration, question, learner, ...cmd } = st;
  return JSON.stringify(cmd);
}

function finish(S, g) {
  const f = S.frame;
  const time = g.met_at ? g.met_at.time_s : f.time_s;
  const n = moves(f);
  const before = S.id && progress.challenges ? progress.challenges[S.id] : null;
  if (S.id && !S.opts.embed && !S.opts.follow) {
    progress.challenges = progress.challenges || {};
    progress.challenges[S.id] = {
      best_actions: before ? Math.min(before.best_actions, n) : n,
      best_time_s: before ? Math.min(before.best_time_s, time) : time,
    };
    if (!progress.completed.includes(S.id)) progress.completed.push(S.id);
    saveProgress();
  }
  const best = S.id && progress.challenges && progress.challenges[S.id];
  put(S.el.finish,
    el('h2', {}, '✓ Goal met'),
    el('p', {}, g.text),
    el('dl', { class: 'finish-stats' },
      el('dt', {}, 'Your moves'), el('dd', { class: 'finish-moves' }, String(n)),
      el('dt', {}, 'Simulated time'), el('dd', { class: 'finish-time' }, clock(time)),
      best ? [el('dt', {}, 'Your best'), el('dd', {}, `${best.best_actions} moves, ${clock(best.best_time_s)}`)] : null),
    el('ul', { class: 'conditions' }, g.require.map((c) => el('li', { class: 'met' }, el('span', { class: 'mark', 'aria-hidden': 'true' }, '✓'), c.text))),
    el('form', { method: 'dialog', class: 'finish-actions' },
      el('button', { value: 'stay' }, 'Keep exploring'),
      el('a', { class: 'button', href: '#' }, 'Back to the lessons')));
  announce(`Goal met in ${n} moves at ${clock(time)}.`);
  if (!S.el.finish.open) S.el.finish.showModal();
}
