// The lab's two dialogs, opened only by a click or a key: the keyboard's keys and an object's raw
// properties. js/lab.js loads this module on first use, so a first visit does not download it.
import { el, put, clock } from '../dom.js';

/** Every control has a key; a presenter's remote sends Page Up, Page Down and B. */
const KEYS = [
  ['Right, Page Down, N', 'Step forward'], ['Left, Page Up, P', 'Step back'], ['Home', 'Back to the start'],
  ['Space, K', 'Play or pause'], ['+ / -', 'Faster or slower'], ['B, .', 'Blank the screen (presenter remotes)'],
  ['L', 'Copy a link to this point'], ['F', 'Presenter mode (large type)'], ['W', 'Open a follower window'],
  ['M', 'Replay under the other model'], ['X', 'To the next mail between sites'], ['E', 'Run the lesson step under way, or the next, to its end'], ['T', 'Open or close the tools'], ['1-9', 'Answer the question'], ['?', 'These keys'],
];

export function keysHelp(S) {
  show(S, 'Keyboard', KEYS);
}

/** An object's raw properties, as raw mode shows them. */
export function raw(S, server, o) {
  if (!o) return;
  const rows = [['DN', o.dn], ['Object-Version', o.object_version], ['USN-Created', o.usn_created], ['USN-Changed', o.usn_changed],
    ['USN-Source', o.usn_source], ['DSA-Signature', o.dsa_signature], ['When-Changed', `${o.when_changed} s (${clock(o.when_changed)})`],
    ['Is-Deleted', o.deleted ? 'TRUE' : 'FALSE'], ['Originating USN', o.originating_usn], ...Object.entries(o.attrs)];
  show(S, `Raw properties of ${o.name} on ${server}`, rows, 'mono');
}

/** The lab's dialog with a title and a table of [name, value] rows, and a Close button. */
function show(S, title, rows, valueClass) {
  put(S.el.dialog,
    el('h2', {}, title),
    el('table', {}, el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', { class: valueClass }, v))))),
    el('form', { method: 'dialog' }, el('button', {}, 'Close')));
  S.el.dialog.showModal();
}
