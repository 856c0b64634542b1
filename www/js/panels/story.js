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
    const told = narration(S, st, f.model);
    if (told) parts.push(told);
  } else if (total) {
    parts.push(el('p', { class: 'narration' }, S.lesson.summary || ''), el('p', { class: 'hint' }, 'Press Step ▶ (or the Right arrow) to begin.'));
  }
  // A verdict belongs to its question: it shows once that question's step has run to its end
  // (a `run` reveals when the messages it waited for have arrived), and only with that step,
  // above the next question if one is already waiting.
  // With a `reveal`, the verdict comes as soon as the message that proves it has arrived.
  const proof = f.verdict && S.proof[f.verdict.step];
  const proven = proof && proof.at <= f.playhead;
  if (f.verdict && f.verdict.step === current && (sc.running === null || proven)) {
    parts.push(verdict(f.verdict, proven ? proof.text : null));
    if (f.model !== S.lesson.model) parts.push(el('p', { class: 'hint other-model' }, `This answer is the ${MODEL[S.lesson.model]} one; under ${MODEL[f.model]} the map and the log show what happened instead.`));
  }
  if (f.question) parts.push(question(f.question, go));
  if (sc.done && f.quiet && total) parts.push(el('p', { class: 'done' }, 'This lesson is complete. ', el('a', { href: '#' }, 'Back to the lessons')));
  if (f.last) parts.push(lastStep(f.last));
  put(S.el.story, parts);
}

const MODEL = { exchange55: 'Exchange 5.5', active_directory: 'Active Directory' };

/** The step's narration for the model playing. A story written for one model, replayed under
 *  the other without its own narration, says so instead of telling the wrong outcome. */
function narration(S, st, model) {
  const own = st.narration_for && st.narration_for[model];
  if (own) return el('p', { class: 'narration' }, own);
  if (!st.narration) return null;
  if (model === S.lesson.model) return el('p', { class: 'narration' }, st.narration);
  return el('div', { class: 'narration other-model' },
    el('p', {}, el('strong', {}, `Now under ${MODEL[model]} rules. `),
      `This lesson was told for ${MODEL[S.lesson.model]}; what follows may differ from its story. Watch the map and the log: they show what ${MODEL[model]} does.`),
    el('details', {}, el('summary', {}, `The ${MODEL[S.lesson.model]} story`), el('p', {}, st.narration)));
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

function verdict(v, proof) {
  return el('div', { class: `reveal ${v.right ? 'right' : 'wrong'}`, 'aria-label': `Answer to: ${v.prompt}` },
    el('p', { class: 'prompt' }, `Answer to: ${v.prompt}`),
    el('p', {}, el('strong', {}, v.right ? `✓ Right: ${v.answer}.` : `✗ You chose ${v.chosen}; the answer is ${v.answer}.`)),
    v.explain ? el('p', {}, v.explain) : null,
    proof ? el('p', { class: 'proof' }, el('strong', {}, 'Shown by: '), proof, ' (marked in the message diagram)') : null);
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
