// The selected server in full, from the frame: its directory (one page, the hot potato marked,
// discarded copies with their reason), the USN number line, its Reps-From and Reps-To, and
// "why is it stalled?". It follows the server each step acts on unless the learner pins it;
// what the step changed (rows written, watermarks moved) is highlighted a moment.
import { el, svg, put, clock } from '../dom.js';
import { stateOf } from '../topology.js';

const TABLE_PAGE = 50;

export function render(S, go) {
  const f = S.frame, s = f.selected;
  if (!s) return put(S.el.detail);
  const was = S.el.detail.querySelector('.potato');
  const from = was && S.motion && was.closest('[data-server]') && was.closest('[data-server]').dataset.server === s.name ? was.getBoundingClientRect() : null;
  draw(S, go, f, s);
  // The hot potato moves to its new row (a FLIP: from where it was drawn to where it is now).
  const now = S.el.detail.querySelector('.potato');
  if (from && now && S.motion.ms >= 60 && !matchMedia('(prefers-reduced-motion: reduce)').matches) {
    const to = now.getBoundingClientRect();
    if (Math.abs(to.top - from.top) > 2) {
      now.animate([{ transform: `translate(${from.left - to.left}px, ${from.top - to.top}px)` }, { transform: 'none' }],
        { duration: Math.max(200, S.motion.ms * 0.6), easing: 'cubic-bezier(.3,.7,.4,1)' });
    }
  }
}

function draw(S, go, f, s) {
  const tabs = el('div', { class: 'tabs', role: 'group', 'aria-label': 'Server' }, f.servers.map((x) =>
    el('button', { type: 'button', 'aria-pressed': x.name === s.name ? 'true' : 'false', onclick: () => go.look({ selected: x.name, page: 0 }) }, x.name)));
  const objects = s.objects;
  const fresh = !!S.motion; // drawn for a step or a seek: mark what it changed
  const before = fresh && S.drawn && S.drawn.selected && S.drawn.selected.name === s.name ? S.drawn.selected : null;
  const written = new Set(fresh && f.last ? f.last.written.filter((w) => w.server === s.name).map((w) => w.dn) : []);
  const discarded = new Map((f.last ? f.last.discarded : []).filter((d) => d.server === s.name).map((d) => [d.dn, d.reason]));
  const hot = s.hot_potato && s.hot_potato.dn;
  const page = S.look.page;
  const table = el('table', { class: 'objects', 'data-server': s.name },
    el('caption', {}, `${s.name}'s directory (${objects.total} objects), highest USN-Changed first`),
    el('thead', {}, el('tr', {}, ['Object', 'Object-Version', 'USN-Created', 'USN-Changed', 'USN-Source', 'DSA-Signature'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, objects.rows.map((o) => {
      const isHot = o.dn === hot, why = discarded.get(o.dn);
      // An echo (a copy it already has, coming back) is harmless: marked, not as an error.
      const echo = why && /^already held/.test(why);
      const look = (S.focus && S.focus.objects || []).includes(o.name);
      return el('tr', { class: `${isHot ? 'hot' : ''}${o.deleted ? ' deleted' : ''}${why ? (echo ? ' echo' : ' discarded') : ''}${written.has(o.dn) ? ' flash' : ''}${look ? ' look-here' : ''}` },
        el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', title: 'Raw properties', onclick: () => go.object(s.name, o.dn) }, o.name),
          isHot ? el('span', { class: 'potato', title: 'Carries this server\'s highest USN' }, 'hot potato') : null,
          o.deleted ? el('span', { class: 'badge' }, ' deleted') : null,
          why ? el('span', { class: echo ? 'why echo' : 'why' }, echo ? ` incoming copy ignored: ${why}` : ` ✕ incoming copy discarded: ${why}`) : null),
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
      el('th', { scope: 'row' }, r.partner), el('td', {}, r.nc.split('/ou=').pop()),
      el('td', { class: before && before.reps_from[r.nc] && before.reps_from[r.nc][r.partner] && before.reps_from[r.nc][r.partner].usn !== r.usn ? 'flash' : null }, r.usn),
      el('td', {}, flags(r.flags)), el('td', { class: 'mono' }, r.link)))));
  const repsTo = [...new Set(Object.values(s.reps_to).flat())].map((n) => String(n).replace(/,+$/, '')).filter(Boolean);
  const summary = f.servers.find((x) => x.name === s.name);
  const st = summary && stateOf(summary);
  put(S.el.detail, tabs,
    el('h2', {}, `${s.name} `, el('span', { class: `pill state-${st ? (summary.stalled && s.state === 'running' ? 'stalled' : s.state) : s.state}` }, st ? st.words : s.state),
      ' ', el('button', { type: 'button', class: 'pin', 'aria-pressed': S.pinned ? 'true' : 'false', title: 'Keep this server in view instead of following each step', onclick: () => go.pin() }, S.pinned ? 'Pinned' : 'Pin')),
    S.pinned ? null : el('p', { class: 'hint' }, 'Follows the server each step acts on.'),
    el('p', { class: 'facts' }, `Highest USN ${s.usn} · site ${s.site} · Invocation-ID `, el('span', { class: 'mono' }, s.invocation_id)),
    s.backsync ? el('p', { class: 'warn' }, `Backsync: waiting for ${s.backsync.waiting_on.join(', ') || 'no one'}; expires at ${clock(s.backsync.deadline_s)}.`) : null,
    el('p', {}, el('button', { type: 'button', onclick: () => go.why(s.name) }, 'Why is this server stalled?'),
      ' ', el('button', { type: 'button', onclick: () => go.gap(s.name) }, 'Measure the gap')),
    S.why ? el('div', { class: 'whybox', role: 'status' }, S.why.map((t) => el('p', {}, t))) : null,
    numberLine(s, summary, !!S.why),
    el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Directory, scrollable' }, table), pager,
    el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Reps-From, scrollable' }, reps),
    el('p', { class: 'facts' }, `Reps-To (notified after a change): ${repsTo.join(', ') || 'none'}`));
}

/**
 * The USN number line: the server's counter and every partner's watermark for it on one axis,
 * so the gap is a distance. A watermark beyond the counter is the 1224 condition, drawn red
 * before any request fails.
 */
function numberLine(s, summary, asked) {
  const marks = s.gap.partners;
  if (!marks.length) {
    return el('figure', { class: `numberline${asked ? ' asked' : ''}` },
      el('figcaption', {}, 'USN number line'), el('p', { class: 'nl-says' }, `No partner holds a watermark for ${s.name} yet: its counter is ${s.usn}.`));
  }
  const values = [s.usn, ...marks.map((p) => p.watermark)];
  const lo = Math.min(...values), hi = Math.max(...values);
  const span = Math.max(1, hi - lo);
  const W = 440, L = 90, R = 36, ROW = 22, top = 40;
  const X = (v) => L + ((v - lo) / span) * (W - L - R);
  const h = top + ROW * Math.max(1, marks.length) + 14;
  const ahead = marks.filter((p) => p.watermark > s.usn);
  const label = `USN number line for ${s.name}: its counter is ${s.usn}; ${marks.map((p) => `${p.partner} holds ${p.watermark}${p.watermark > s.usn ? `, ${p.watermark - s.usn} beyond it` : ''}`).join('; ') || 'no partner holds a watermark for it'}.`;
  const parts = [
    svg('line', { x1: L, y1: top - 6, x2: W - R, y2: top - 6, class: 'nl-axis' }),
    svg('line', { x1: X(s.usn), y1: top - 28, x2: X(s.usn), y2: h - 4, class: 'nl-counter' }),
    svg('text', { x: X(s.usn) + (X(s.usn) > W - 150 ? -6 : 6), y: top - 14, class: 'nl-counter-label', 'text-anchor': X(s.usn) > W - 150 ? 'end' : 'start' }, `${s.name}'s USN ${s.usn}`),
  ];
  marks.forEach((p, i) => {
    const y = top + 6 + i * ROW, bad = p.watermark > s.usn;
    parts.push(svg('text', { x: L - 8, y: y + 4, 'text-anchor': 'end', class: 'nl-partner' }, p.partner));
    if (bad) {
      parts.push(svg('line', { x1: X(s.usn), y1: y, x2: X(p.watermark), y2: y, class: 'nl-gap' }),
        svg('text', { x: (X(s.usn) + X(p.watermark)) / 2, y: y - 4, 'text-anchor': 'middle', class: 'nl-gap-label' }, `${p.watermark - s.usn} beyond`));
    }
    parts.push(svg('circle', { cx: X(p.watermark), cy: y, r: 5, class: bad ? 'nl-mark bad' : 'nl-mark' }),
      svg('text', { x: X(p.watermark) + (X(p.watermark) > W - 100 ? -9 : 9), y: y + 4, 'text-anchor': X(p.watermark) > W - 100 ? 'end' : 'start', class: 'nl-value' }, `${p.watermark}`));
  });
  const why = ahead.length
    ? `${ahead.map((p) => p.partner).join(', ')} ${ahead.length > 1 ? 'hold' : 'holds'} a watermark beyond ${s.name}'s counter: ${summary && summary.logged_1224 ? 'its requests log event 1224' : 'the next request will log event 1224'}. Gap: ${s.gap.gap}.`
    : `Every watermark is at or below the counter: changes flow out of ${s.name}.`;
  return el('figure', { class: `numberline${asked ? ' asked' : ''}${ahead.length ? ' ahead' : ''}` },
    el('figcaption', {}, 'USN number line: the counter and each partner\'s watermark for it'),
    svg('svg', { viewBox: `0 0 ${W} ${h}`, role: 'img', 'aria-label': label }, parts),
    el('p', { class: ahead.length ? 'nl-says bad' : 'nl-says' }, why));
}

function sig(id, f) {
  const owner = f.servers.find((s) => s.invocation_id === id);
  return `${id.slice(0, 8)}…${owner ? ` (${owner.name})` : ''}`;
}

function flagNames(f) {
  return [[0x10, 'Writeable'], [0x20, 'Init'], [0x40, 'Periodic'], [0x80, 'Mail']].filter(([b]) => f & b).map(([, n]) => n);
}

/** Short flags for the table ("112 W I P"); the full names are in the cell's title. */
function flags(f) {
  return el('abbr', { title: flagNames(f).join(', ') || 'no flags' }, `${f} ${flagNames(f).map((n) => n[0]).join(' ')}`.trim());
}
