// The progress bar of a long call, with its Cancel: js/lab.js loads it the first time a call
// runs past 300 ms, so a first visit does not download it.
import { el, put } from '../dom.js';

/** A call that runs past 300 ms: a progress bar (or the time so far) and Cancel. The nodes are
 *  made once, so the Cancel button keeps focus while the numbers change. */
export function busy(S, b, go) {
  const box = S.el && S.el.progress;
  if (!box) return;
  clearInterval(S.busyTimer);
  if (!b) { box.hidden = true; return; }
  if (!box.firstChild) {
    put(box, el('progress', {}), el('span', {}), el('button', { type: 'button', onclick: () => go.cancel() }, 'Cancel'));
  }
  const [bar, text] = box.children;
  const draw = () => {
    const p = b.progress;
    const secs = ((performance.now() - b.since) / 1000).toFixed(1);
    if (p) { bar.max = p.total || 1; bar.value = p.done; } else bar.removeAttribute('value');
    text.textContent = p ? ` Working: ${p.done} of ${p.total} (${secs} s) ` : ` Working (${secs} s) `;
  };
  draw();
  box.hidden = false;
  S.busyTimer = setInterval(draw, 250);
}
