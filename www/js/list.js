// The lesson list: the lessons in order, the challenges with the learner's best, the other
// scenarios and the sandbox, and a scenario file to open. js/app.js loads this module beside
// scenarios/index.json when it shows the list, so a lesson's first visit does not download it.
import { el, put, clock } from './dom.js';
import { state } from './shell.js';

/** Puts the list in `main` from scenarios/index.json's entries; `openFile` opens a chosen file. */
export function lessons(main, list, openFile) {
  const done = new Set(state.completed);
  const card = (s, n) => el('li', { class: `card${done.has(s.id) ? ' done' : ''}` },
    el('a', { href: `#lesson=${s.id}` }, n ? el('span', { class: 'num' }, `${n}`) : null, el('strong', {}, s.title)),
    el('p', {}, s.summary),
    done.has(s.id) ? el('span', { class: 'badge' }, '✓ done') : null);
  const ordered = list.filter((s) => s.lesson);
  const challenges = list.filter((s) => s.challenge);
  const more = list.filter((s) => !s.lesson && !s.challenge);
  const bests = state.challenges || {};
  const challengeCard = (s) => {
    const best = bests[s.id];
    return el('li', { class: `card challenge${best ? ' done' : ''}` },
      el('a', { href: `#lesson=${s.id}` }, el('strong', {}, s.title.replace(/^Challenge:\s*(.)/, (_, c) => c.toUpperCase()))),
      el('p', {}, s.summary),
      best ? el('span', { class: 'badge' }, `✓ best: ${best.best_actions} moves, ${clock(best.best_time_s)}`) : null);
  };
  const resume = state.current
    ? el('p', { class: 'resume' }, el('a', { class: 'button', href: '#resume' }, `Continue: ${state.current.title || 'your lab'}`))
    : null;
  put(main,
    el('section', { class: 'intro' },
      el('h1', {}, 'How a directory replicates'),
      el('p', {}, 'Step through Exchange Server’s directory replication one message at a time: Notify, Request, Response, Write. Watch the highest USN pass from object to object like a hot potato, restore an old backup and see replication stall with event 1224, then repair it, and compare with how Active Directory removed the problem.'),
      resume),
    el('h2', {}, 'Lessons'),
    el('ol', { class: 'cards' }, ordered.map((s, i) => card(s, i + 1))),
    challenges.length ? [el('h2', {}, 'Challenges'),
      el('p', {}, 'A situation and a goal: reach it with your own moves. The lab checks the goal after every step; hints come one at a time.'),
      el('ul', { class: 'cards' }, challenges.map(challengeCard))] : null,
    el('h2', {}, 'Scenarios and the sandbox'),
    el('ul', { class: 'cards' }, more.map((s) => card(s, 0))),
    el('p', {}, el('label', { class: 'button' }, 'Open a scenario file…',
      el('input', { type: 'file', accept: '.json,application/json', class: 'sr-only', onchange: (e) => openFile(e.target.files && e.target.files[0]) })),
      ' or drop one on the page (an exported lab opens where it was left).'));
}
