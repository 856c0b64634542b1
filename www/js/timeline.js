// The time-space diagram: one lane per server, one row per message, newest at the bottom, in
// step with the playhead. Each arrow carries its sentence as a tooltip; clicking a row (or
// Enter on it) goes back to the moment that message was sent.
import { svg, put, clock } from './dom.js';

const ROW = 20, TOP = 26, LEFT = 70;

export function drawTimeline(root, servers, messages, total, onSeek) {
  const lane = Math.max(70, Math.min(130, 900 / Math.max(servers.length, 1)));
  const x = new Map(servers.map((s, i) => [s, LEFT + lane / 2 + i * lane]));
  const width = LEFT + lane * servers.length, height = TOP + ROW * Math.max(messages.length, 1) + 6;
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.style.minWidth = `${Math.min(width, 1200)}px`;
  root.setAttribute('aria-label', messages.length
    ? `Time-space diagram of the last ${messages.length} of ${total} messages. The newest: ${messages[messages.length - 1].text}`
    : 'Time-space diagram: no messages yet.');
  const parts = servers.map((s) => [
    svg('line', { x1: x.get(s), y1: TOP - 6, x2: x.get(s), y2: height, class: 'lane' }),
    svg('text', { x: x.get(s), y: 14, 'text-anchor': 'middle', class: 'lane-name' }, s)]);
  messages.forEach((m, i) => {
    const y = TOP + i * ROW + ROW / 2, kind = m.failed ? 'failed' : m.kind;
    const last = i === messages.length - 1;
    const go = () => onSeek(m.action);
    const row = svg('g', {
      class: `tl kind-${kind}${last ? ' newest' : ''}`, role: 'button', tabindex: 0,
      'aria-label': `Go back to: ${m.text}`, onclick: go,
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } },
    }, svg('title', {}, `#${m.index} ${clock(m.time_s)} ${m.text} (click to go back here)`),
    svg('rect', { x: 0, y: y - ROW / 2, width, height: ROW, class: 'tl-hit' }));
    row.append(svg('text', { x: 4, y: y + 4, class: 'tl-time' }, clock(m.time_s)));
    const a = x.get(m.from), b = x.get(m.to);
    if (a === undefined || b === undefined) return;
    if (m.kind === 'write') {
      row.append(svg('rect', { x: b - 7, y: y - 7, width: 14, height: 14, rx: 3 }),
        svg('text', { x: b + 11, y: y + 4, class: 'tl-label' }, m.objects ? `${m.objects}` : '0'));
    } else {
      const dir = b > a ? 1 : -1;
      row.append(svg('line', { x1: a, y1: y, x2: b - dir * 5, y2: y, 'marker-end': `url(#tl-${kind})` }),
        svg('circle', { cx: a, cy: y, r: 3 }));
      if (m.event) row.append(svg('text', { x: b + dir * 8, y: y + 4, class: 'tl-event', 'text-anchor': dir > 0 ? 'start' : 'end' }, `event ${m.event}`));
    }
    parts.push(row);
  });
  const defs = svg('defs', {}, ['notify', 'request', 'response', 'mail', 'failed'].map((k) =>
    svg('marker', { id: `tl-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `fill-${k}` }))));
  put(root, defs, parts.flat());
}
