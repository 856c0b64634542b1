// The lesson: the step's number, text and narration, the question waiting for an answer, the
// verdict of the last answered question (the core decides both), and what the last step did.
import { el, put } from '../dom.js';

export function render(S, go) {
  const f = S.frame, sc = f.script, steps = S.lesson.steps, parts = [];
  const total = steps.length;
  const current = sc.running ?? (sc.cursor > 0 ? sc.cursor - 1 : null);
  parts.push(el('h2', {}, S.title));
  if (total === 0) parts.push(el('p', {}, S.lesson.summary || 'A sandbox: use the tools below to make changes, then step or play.'));
  if (current !== null && steps[current]) {
    const st = steps[current];
    parts.push(el('p', { class: 'stepno' }, `Step ${current + 1} of ${total}: ${st.text}`));
    if (st.narration) parts.push(el('p', { class: 'narration' }, st.narration));
  } else if (total) {
    parts.push(el('p', { class: 'narration' }, S.lesson.summary || ''), el('p', { class: 'hint' }, 'Press Step ▶ (or the Right arrow) to begin.'));
  }
  if (f.question) parts.push(question(f.question, go));
  if (f.verdict && f.verdict.step >= (current ?? 0) - 1) parts.push(verdict(f.verdict));
  if (sc.done && f.quiet && total) parts.push(el('p', { class: 'done' }, 'This lesson is complete. ', el('a', { href: '#' }, 'Back to the lessons')));
  if (f.last) parts.push(lastStep(f.last));
  put(S.el.story, parts);
}

function question(q, go) {
  const box = el('div', { class: 'question', role: 'group', 'aria-label': 'Question' },
    el('p', { class: 'prompt' }, `Question: ${q.prompt}`),
    el('div', { class: 'choices' }, q.choices.map((c) => el('button', {
      type: 'button', 'aria-pressed': q.chosen === c ? 'true' : 'false', onclick: () => go.answer(c),
    }, c))));
  box.append(el('p', { class: 'hint' }, q.chosen !== null && q.chosen !== undefined ? `You chose ${q.chosen}. Step to see what happens.` : 'Answer to continue.'));
  return box;
}

function verdict(v) {
  return el('div', { class: `reveal ${v.right ? 'right' : 'wrong'}`, 'aria-label': `Answer to: ${v.prompt}` },
    el('p', { class: 'prompt' }, v.prompt),
    el('p', {}, el('strong', {}, v.right ? `✓ Right: ${v.answer}.` : `✗ You chose ${v.chosen}; the answer is ${v.answer}.`)),
    v.explain ? el('p', {}, v.explain) : null);
}

function lastStep(r) {
  const items = [el('p', { class: `last kind-${r.message && r.message.failed ? 'failed' : r.kind}` },
    el('span', { class: 'tag' }, r.kind), ` ${r.text}`)];
  if (r.discarded.length) {
    items.push(el('ul', { class: 'discards' }, r.discarded.slice(0, 8).map((d) =>
      el('li', {}, `Discarded on ${d.server}: ${d.dn.split('cn=').pop()} — ${d.reason}`))));
  }
  for (const e of r.events) items.push(el('p', { class: `event ${e.type}` }, `Event ${e.id} on ${e.server}: ${e.text}`));
  return el('div', { class: 'laststep', 'aria-label': 'What the last step did' }, items);
}
