// The Application Log, from the frame: the newest events (all servers, or one), and the steps
// the directory refused.
import { el, put, clock } from '../dom.js';

export function render(S, go) {
  const f = S.frame, page = f.log;
  put(S.el.log,
    el('h2', {}, 'Application Log ', el('label', {}, 'Server ', el('select', { onchange: (e) => go.look({ log: e.target.value || null }) },
      el('option', { value: '' }, 'All servers'), f.servers.map((s) => el('option', { value: s.name, selected: s.name === page.server }, s.name))))),
    page.rows.length || page.refused.length ? null : el('p', { class: 'hint' }, 'No events yet.'),
    page.total > page.rows.length ? el('p', { class: 'hint' }, `The newest ${page.rows.length} of ${page.total} events.`) : null,
    // Events and refused steps in one list, in time order (a refusal at the time it was refused).
    el('ol', { class: 'events' }, [
      ...page.rows.map((e) => ({ t: e.time_s, li: el('li', { class: e.type },
        el('span', { class: 'when' }, clock(e.time_s)), el('span', { class: 'id' }, `${e.id}`),
        el('span', { class: 'who' }, `${e.server} · ${e.source} · ${e.type} · ${e.category}`), el('span', { class: 'text' }, e.text)) })),
      ...page.refused.map((r) => ({ t: r.time_s, li: el('li', { class: 'error refused' },
        el('span', { class: 'when' }, clock(r.time_s)), el('span', { class: 'id', title: r.error }, 'refused'),
        el('span', { class: 'who' }, `${r.server} · ${r.error}`), el('span', { class: 'text' }, r.text)) })),
    ].sort((a, b) => a.t - b.t).map((x) => x.li)));
}
