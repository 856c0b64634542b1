// The organization as SVG: sites as boxes, servers inside with their highest USN and state,
// cut paths, and the message just processed as a labelled arrow coloured by kind.
import { svg, put } from './dom.js';

const W = 178, H = 78, GAP = 14, PAD = 14, TITLE = 44;

/** Lays sites out in rows and servers in a grid inside each; returns centres by server name. */
function layout(view) {
  const pos = new Map();
  const boxes = [];
  let x = 0, y = 0, rowH = 0, width = 0;
  const perRow = view.sites.length <= 2 ? 2 : 3;
  view.sites.forEach((site, i) => {
    const cols = Math.min(site.servers.length, site.servers.length > 6 ? 4 : 3);
    const rows = Math.ceil(site.servers.length / cols);
    const w = PAD * 2 + cols * W + (cols - 1) * GAP;
    const h = TITLE + PAD + rows * H + (rows - 1) * GAP + PAD;
    if (i > 0 && i % perRow === 0) { x = 0; y += rowH + GAP * 2; rowH = 0; }
    boxes.push({ site: site.name, x, y, w, h });
    site.servers.forEach((name, j) => {
      const sx = x + PAD + (j % cols) * (W + GAP), sy = y + TITLE + PAD + Math.floor(j / cols) * (H + GAP);
      pos.set(name, { x: sx, y: sy, cx: sx + W / 2, cy: sy + H / 2 });
    });
    x += w + GAP * 2; rowH = Math.max(rowH, h); width = Math.max(width, x);
  });
  return { pos, boxes, width: width - GAP * 2, height: y + rowH };
}

export function drawTopology(root, view, selected, onSelect) {
  const { pos, boxes, width, height } = layout(view);
  root.setAttribute('viewBox', `-4 -4 ${width + 8} ${height + 8}`);
  root.setAttribute('aria-label', `The organization ${view.org}: ${view.servers.map((s) => `${s.name}, USN ${s.usn}, ${s.state}`).join('; ')}`);
  const parts = [svg('defs', {}, ['notify', 'request', 'response', 'write', 'mail', 'failed'].map((k) =>
    svg('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `fill-${k}` }))))];
  for (const b of boxes) {
    parts.push(svg('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 10, class: 'site' }),
      svg('text', { x: b.x + PAD, y: b.y + 18, class: 'site-name' }, `Site ${b.site}`.replace('Site Site', 'Site')));
  }
  for (const [a, b] of view.links_down) {
    const p = pos.get(a), q = pos.get(b);
    parts.push(svg('line', { x1: p.cx, y1: p.cy, x2: q.cx, y2: q.cy, class: 'cut' }),
      svg('text', { x: (p.cx + q.cx) / 2, y: (p.cy + q.cy) / 2 - 4, class: 'cut-label' }, '✕ cut'));
  }
  for (const s of view.servers) parts.push(serverBox(s, pos.get(s.name), s.name === selected, onSelect));
  const m = view.last && view.last.message;
  if (m && pos.has(m.from) && pos.has(m.to) && m.from !== m.to) parts.push(arrow(m, pos.get(m.from), pos.get(m.to)));
  put(root, parts);
}

function serverBox(s, p, selected, onSelect) {
  const hot = s.hot_potato ? `● hot potato: ${s.hot_potato.name}` : 'no objects';
  const g = svg('g', {
    class: `server state-${s.state}${selected ? ' selected' : ''}`, role: 'button', tabindex: 0,
    'aria-pressed': selected ? 'true' : 'false', 'aria-label': `${s.name}: highest USN ${s.usn}, ${s.state}. Show its directory.`,
    onclick: () => onSelect(s.name), onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(s.name); } },
  },
  svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: 8 }),
  svg('text', { x: p.x + 10, y: p.y + 20, class: 'srv-name' }, s.name),
  svg('text', { x: p.x + W - 10, y: p.y + 20, class: 'srv-state', 'text-anchor': 'end' }, s.state === 'running' ? '' : s.state),
  svg('text', { x: p.x + 10, y: p.y + 46, class: 'srv-usn' }, `USN ${s.usn}`),
  svg('text', { x: p.x + 10, y: p.y + 66, class: 'srv-hot' }, hot.length > 28 ? `${hot.slice(0, 27)}…` : hot));
  return g;
}

/** An arc from the top of one server box to the top of the other, clear of both boxes. */
function arrow(m, p, q) {
  const kind = m.failed ? 'failed' : m.kind;
  const x1 = p.cx + (q.cx > p.cx ? 20 : q.cx < p.cx ? -20 : 0), y1 = p.y;
  const x2 = q.cx + (q.cx > p.cx ? -20 : q.cx < p.cx ? 20 : 0), y2 = q.y - 3;
  const lift = 16 + Math.min(40, Math.abs(x2 - x1) / 6);
  const mx = (x1 + x2) / 2, my = Math.min(y1, y2) - lift;
  const label = `${m.kind === 'mail' ? `Mail (${m.carries})` : m.kind[0].toUpperCase() + m.kind.slice(1)}${m.failed ? ' ✕ failed' : ''}`;
  return svg('g', { class: `msg kind-${kind}` },
    svg('path', { d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, 'marker-end': `url(#arrow-${kind})` }),
    svg('text', { x: mx, y: my + lift / 2 - 2, 'text-anchor': 'middle', class: 'msg-label' }, label));
}
