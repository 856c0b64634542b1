// The time-space diagram: one lane per server, one row per message, newest at the bottom, in
// step with the playhead. Each arrow carries its sentence as a tooltip; clicking a row (or
// Enter on it) goes back to the moment that message was sent. The lane names sit in a header
// that stays in view while the diagram scrolls; the newest row arrives drawn from its sender.
import { svg, put, clock } from './dom.js';

const ROW = 20, TOP = 26, LEFT = 70;

export function drawTimeline(root, servers, messages, total, onSeek, motion, proof) {
  // Lanes fit the panel when they can (at least 64 px each); otherwise the diagram scrolls.
  const k = document.documentElement.classList.contains('present') ? 1.3 : 1;
  const shown = (root.parentElement ? root.parentElement.clientWidth : 600) / k;
  const lane = Math.max(64, Math.min(k > 1 ? 200 : 150, (Math.max(shown, 300) - LEFT - 4) / Math.max(servers.length, 1)));
  const x = new Map(servers.map((s, i) => [s, LEFT + lane / 2 + i * lane]));
  const width = LEFT + lane * servers.length, height = TOP + ROW * Math.max(messages.length, 1) + 6;
  root.setAttribute('viewBox', `0 ${TOP - 6} ${width} ${height - TOP + 6}`);
  root.setAttribute('width', String(Math.round(width * k)));
  root.setAttribute('height', String(Math.round((height - TOP + 6) * k)));
  const head = root.__head || (root.__head = svg('svg', { class: 'timeline-head', 'aria-hidden': 'true' }));
  if (head.parentElement !== root.parentElement && root.parentElement) root.before(head);
  head.setAttribute('viewBox', `0 0 ${width} ${TOP - 6}`);
  head.setAttribute('width', String(Math.round(width * k)));
  head.setAttribute('height', String(Math.round((TOP - 6) * k)));
  put(head, svg('rect', { x: 0, y: 0, width, height: TOP - 6, class: 'head-bg' }),
    servers.map((s) => svg('text', { x: x.get(s), y: 14, 'text-anchor': 'middle', class: 'lane-name' }, s.length > lane / 7.5 ? `${s.slice(0, Math.floor(lane / 7.5) - 1)}…` : s)));
  root.setAttribute('aria-label', messages.length
    ? `Time-space diagram of the last ${messages.length} of ${total} messages. The newest: ${messages[messages.length - 1].text}`
    : 'Time-space diagram: no messages yet.');
  const parts = servers.map((s) => [
    svg('line', { x1: x.get(s), y1: TOP - 6, x2: x.get(s), y2: height, class: 'lane' }, svg('title', {}, s))]);
  messages.forEach((m, i) => {
    const y = TOP + i * ROW + ROW / 2, kind = m.failed ? 'failed' : m.kind;
    const last = i === messages.length - 1;
    const go = () => onSeek(m.action);
    const row = svg('g', {
      class: `tl kind-${kind}${last ? ' newest' : ''}${m.index === proof ? ' proof' : ''}`, role: 'button', tabindex: 0,
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
      const line = svg('line', { x1: a, y1: y, x2: b - dir * 5, y2: y, 'marker-end': `url(#tl-${kind})` });
      row.append(line, svg('circle', { cx: a, cy: y, r: 3 }));
      if (last && motion && motion.ms >= 60 && !matchMedia('(prefers-reduced-motion: reduce)').matches) {
        line.animate([{ strokeDasharray: `0 ${Math.abs(b - a)}` }, { strokeDasharray: `${Math.abs(b - a)} 0` }], { duration: motion.ms, easing: 'ease-in-out' });
      }
      if (m.event) row.append(svg('text', { x: b + dir * 8, y: y + 4, class: 'tl-event', 'text-anchor': dir > 0 ? 'start' : 'end' }, `event ${m.event}`));
    }
    parts.push(row);
  });
  const defs = svg('defs', {}, ['notify', 'request', 'response', 'mail', 'failed'].map((k) =>
    svg('marker', { id: `tl-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `fill-${k}` }))));
  put(root, defs, parts.flat());
}
