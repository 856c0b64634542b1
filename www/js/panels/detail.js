// The selected server in full, from the frame: its directory (one page, the hot potato marked,
// discarded copies with their reason), its Reps-From and Reps-To, and "why is it stalled?".
import { el, put, clock } from '../dom.js';

const TABLE_PAGE = 50;

export function render(S, go) {
  const f = S.frame, s = f.selected;
  if (!s) return put(S.el.detail);
  const tabs = el('div', { class: 'tabs', role: 'group', 'aria-label': 'Server' }, f.servers.map((x) =>
    el('button', { type: 'button', 'aria-pressed': x.name === s.name ? 'true' : 'false', onclick: () => go.look({ selected: x.name, page: 0 }) }, x.name)));
  const objects = s.objects;
  const discarded = new Map((f.last ? f.last.discarded : []).filter((d) => d.server === s.name).map((d) => [d.dn, d.reason]));
  const hot = s.hot_potato && s.hot_potato.dn;
  const page = S.look.page;
  const table = el('table', { class: 'objects' },
    el('caption', {}, `${s.name}'s directory (${objects.total} objects), highest USN-Changed first`),
    el('thead', {}, el('tr', {}, ['Object', 'Object-Version', 'USN-Created', 'USN-Changed', 'USN-Source', 'DSA-Signature'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, objects.rows.map((o) => {
      const isHot = o.dn === hot, why = discarded.get(o.dn);
      return el('tr', { class: `${isHot ? 'hot' : ''}${o.deleted ? ' deleted' : ''}${why ? ' discarded' : ''}` },
        el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', title: 'Raw properties', onclick: () => go.object(s.name, o.dn) }, o.name),
          isHot ? el('span', { class: 'potato', title: 'Carries this server\'s highest USN' }, 'hot potato') : null,
          o.deleted ? el('span', { class: 'badge' }, ' deleted') : null,
          why ? el('span', { class: 'why' }, ` ✕ incoming copy discarded: ${why}`) : null),
        el('td', {}, o.object_version), el('td', {}, o.usn_created), el('td', {}, o.usn_changed), el('td', {}, o.usn_source),
        el('td', { class: 'mono', title: o.dsa_signature }, sig(o.dsa_signature, f)));
    })));
  const pager = objects.total > TABLE_PAGE ? el('p', { class: 'pager' },
    el('button', { type: 'button', disabled: page === 0, onclick: () => go.look({ page: page - 1 }) }, '◀ Newer'),
    ` ${objects.offset + 1}–${Math.min(objects.total, objects.offset + TABLE_PAGE)} of ${objects.total} `,
    el('button', { type: 'button', disabled: objects.offset + TABLE_PAGE >= objects.total, onclick: () => go.look({ page: page + 1 }) }, 'Older ▶')) : null;
  const links = Object.entries(s.reps_from).flatMap(([nc, partners]) => Object.entries(partners).map(([partner, l]) => ({ nc, partner, ...l })));
  const reps = el('table', { class: 'reps' },
    el('caption', {}, 'Reps-From: where it pulls from, and how far it has got'),
    el('thead', {}, el('tr', {}, ['Partner', 'Naming context', 'Watermark (USN)', 'Flags', 'Replica Link viewer'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, links.map((r) => el('tr', {},
      el('th', { scope: 'row' }, r.partner), el('td', {}, r.nc.split('/ou=').pop()), el('td', {}, r.usn),
      el('td', { title: flagNames(r.flags).join(', ') }, flags(r.flags)), el('td', { class: 'mono' }, r.link)))));
  const repsTo = [...new Set(Object.values(s.reps_to).flat())].filter(Boolean);
  put(S.el.detail, tabs,
    el('h2', {}, `${s.name} `, el('span', { class: `pill state-${s.state}` }, s.state)),
    el('p', { class: 'facts' }, `Highest USN ${s.usn} · site ${s.site} · Invocation-ID `, el('span', { class: 'mono' }, s.invocation_id)),
    s.backsync ? el('p', { class: 'warn' }, `Backsync: waiting for ${s.backsync.waiting_on.join(', ') || 'no one'}; expires at ${clock(s.backsync.deadline_s)}.`) : null,
    el('p', {}, el('button', { type: 'button', onclick: () => go.why(s.name) }, 'Why is this server stalled?'),
      ' ', el('button', { type: 'button', onclick: () => go.gap(s.name) }, 'Measure the gap')),
    S.why ? el('div', { class: 'whybox', role: 'status' }, S.why.map((t) => el('p', {}, t))) : null,
    el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Directory, scrollable' }, table), pager,
    el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Reps-From, scrollable' }, reps),
    el('p', { class: 'facts' }, `Reps-To (notified after a change): ${repsTo.join(', ') || 'none'}`));
}

function sig(id, f) {
  const owner = f.servers.find((s) => s.invocation_id === id);
  return `${id.slice(0, 8)}…${owner ? ` (${owner.name})` : ''}`;
}

function flagNames(f) {
  return [[0x10, 'Writeable'], [0x20, 'Init'], [0x40, 'Periodic'], [0x80, 'Mail']].filter(([b]) => f & b).map(([, n]) => n);
}

/** Short flags for the table ("112: W I P"); the full names are in the cell's title. */
function flags(f) {
  return `${f} (${flagNames(f).map((n) => n[0]).join(' ')})`;
}

/** An object's raw properties, as raw mode shows them. */
export function raw(S, server, o) {
  if (!o) return;
  const rows = [['DN', o.dn], ['Object-Version', o.object_version], ['USN-Created', o.usn_created], ['USN-Changed', o.usn_changed],
    ['USN-Source', o.usn_source], ['DSA-Signature', o.dsa_signature], ['When-Changed', `${o.when_changed} s (${clock(o.when_changed)})`],
    ['Is-Deleted', o.deleted ? 'TRUE' : 'FALSE'], ['Originating USN', o.originating_usn], ...Object.entries(o.attrs)];
  put(S.el.dialog,
    el('h2', {}, `Raw properties of ${o.name} on ${server}`),
    el('table', {}, el('tbody', {}, rows.map(([k, val]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', { class: 'mono' }, val))))),
    el('form', { method: 'dialog' }, el('button', {}, 'Close')));
  S.el.dialog.showModal();
}
