// The organization as SVG, drawn at the size it is shown (one unit is one CSS pixel, scaled up
// in presenter mode), so names stay readable however many sites there are: sites as regions,
// messaging connectors with their kind and cost, directory replication connectors (DRCs)
// between their bridgeheads, each server with its USN, hot potato and state, and the message
// of the last step (lit: the connectors its mail took; a DRC it refused: crossed out). `motion`
// makes the step visible (docs/wasm-api.md, the frame): the message
// travels sender to receiver (hop by hop along a mail route), the hot potato moves to the
// object now holding the highest USN-Changed, and what changed is highlighted a moment. Under
// prefers-reduced-motion nothing travels: the change is drawn at once and highlighted.
import { svg, put, clock } from './dom.js';

const GAP = 12, PAD = 10, TITLE = 30, FOOT = 20, SITE_GAP = 28, H = 92, MIN_W = 128, MAX_W = 210, ARC = 22;
const KINDS = ['notify', 'request', 'response', 'write', 'mail', 'failed'];

/**
 * Lays sites out sized to `width`. With connectors between sites, the sites stand in one row
 * when they fit (the connectors are arcs above them, as the article's Figure 3 draws them) or
 * in one column (arcs beside them); otherwise in a grid with straight connectors.
 */
function layout(view, width, min) {
  const n = view.sites.length;
  const most = Math.max(1, ...view.sites.map((s) => s.servers.length));
  const links = (view.connectors || []).length;
  const unit = min + 16 + 2 * PAD + SITE_GAP;
  let cols = Math.max(1, Math.min(n, Math.floor((width + SITE_GAP) / unit)));
  // A row of sites may take narrower boxes (112) before it gives way to a grid.
  const rowFits = n * (min + 2 * PAD) + (n - 1) * SITE_GAP <= width;
  const mode = !links || n < 2 ? 'grid' : cols >= n || rowFits ? 'row' : cols === 1 || width < 560 ? 'column' : 'grid';
  if (mode === 'column') cols = 1;
  if (mode === 'row') cols = n;
  const span = (a, b) => Math.abs(a - b);
  const index = new Map(view.sites.map((s, i) => [s.name, i]));
  const reach = Math.max(1, ...(view.connectors || []).map((c) => span(index.get(c.sites[0]) ?? 0, index.get(c.sites[1]) ?? 0)));
  // Room above for the arcs (connectors in a row) or for the last message's label.
  const par = Math.max(0, ...(view.connectors || []).map((c, i, all) => all.filter((d) => pair(...d.sites) === pair(...c.sites)).length - 1));
  const top = mode === 'row' ? 48 + reach * ARC + par * 20 : 26;
  const side = mode === 'column' ? 56 + reach * 18 + par * 14 : 0;
  const usable = width - side;
  const siteW = (usable - (cols - 1) * SITE_GAP) / cols;
  const inner = Math.max(1, Math.floor((siteW - 2 * PAD + GAP) / ((mode === 'row' ? min : min + 16) + GAP)));
  const perSite = Math.min(inner, most);
  const W = Math.min(MAX_W, (siteW - 2 * PAD - (perSite - 1) * GAP) / perSite);
  const foot = links ? FOOT : 0;
  const pos = new Map(), boxes = [];
  let y = top;
  for (let r = 0; r * cols < n; r++) {
    const row = view.sites.slice(r * cols, r * cols + cols);
    const rowH = Math.max(...row.map((s) => TITLE + Math.ceil(s.servers.length / perSite) * (H + GAP) - GAP + PAD + foot));
    row.forEach((site, c) => {
      const x = c * (siteW + SITE_GAP);
      const k = Math.min(perSite, site.servers.length);
      const w = n === 1 || mode !== 'grid' ? siteW : Math.max(2 * PAD + k * W + (k - 1) * GAP, Math.min(siteW, 200));
      boxes.push({ site: site.name, i: index.get(site.name), x, y, w, h: rowH, cx: x + w / 2, cy: y + rowH / 2 });
      site.servers.forEach((name, j) => {
        const sx = x + PAD + (j % perSite) * (W + GAP), sy = y + TITLE + Math.floor(j / perSite) * (H + GAP);
        pos.set(name, { x: sx, y: sy, w: W, cx: sx + W / 2, cy: sy + H / 2, site: site.name, top: j < perSite });
      });
    });
    y += rowH + SITE_GAP;
  }
  return { pos, boxes, mode, sites: new Map(boxes.map((b) => [b.site, b])), width, height: Math.max(0, y - SITE_GAP) };
}

/** The state a server is marked with, in words: for its box and its accessible name. */
export function stateOf(s) {
  if (s.state === 'stopped') return { mark: '■ stopped', words: 'stopped' };
  if (s.state === 'quarantined') return { mark: '⚠ 2095 quarantined', words: 'quarantined: event 2095' };
  if (s.state === 'backsync') return { mark: '↻ backsync · DS_E_BUSY', words: 'in backsync, refusing changes (DS_E_BUSY)' };
  if (s.stalled && s.logged_1224) return { mark: '⚠ stalled: event 1224', words: 'stalled: event 1224' };
  if (s.stalled) return { mark: '⚠ a watermark is ahead', words: 'stalled: a partner\'s watermark is above its USN, the next request logs event 1224' };
  return null;
}

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * Draws the map. `o`: { selected, onSelect, focus: [server names], motion: { ms } or null,
 * previous: the frame drawn before (for what changed) }.
 */
export function drawTopology(root, view, o) {
  stopMotion(root);
  const present = document.documentElement.classList.contains('present');
  const scale = present ? 1.3 : 1;
  const shown = innerWidth(root.parentElement) - 8;
  const width = Math.max(MIN_W + 2 * PAD, (shown > 0 ? shown : 800) / scale);
  // Presenter mode's larger USN needs wider boxes (132 units, not 112) to stay inside them.
  const L = layout(view, width, present ? 132 : 112);
  root.setAttribute('viewBox', `-4 -4 ${L.width + 8} ${L.height + 8}`);
  root.setAttribute('width', String(Math.round((L.width + 8) * scale)));
  root.setAttribute('height', String(Math.round((L.height + 8) * scale)));
  const heads = bridgeheads(view);
  const states = view.servers.map((s) => `${s.name}${heads.has(s.name) ? ', bridgehead' : ''}, USN ${s.usn}${stateOf(s) ? `, ${stateOf(s).words}` : ''}`);
  root.setAttribute('aria-label', `Organization ${view.org}: ${states.join('; ')}`);
  const prev = o.previous ? new Map(o.previous.servers.map((s) => [s.name, s])) : new Map();
  const m = view.last && view.last.message;
  const route = m && m.route && m.route.length > 1 ? m.route : null;
  const via = (route && view.last.via) || [];
  const parts = [defs()];
  for (const b of L.boxes) {
    parts.push(svg('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 12, class: `site${route && route.includes(b.site) ? ' on-route' : ''}` }),
      svg('text', { x: b.x + PAD, y: b.y + 20, class: 'site-name' }, siteTitle(b.site)));
  }
  const paths = connectorPaths(view, L);
  parts.push(...connectors(view, L, paths, via), ...drcs(view, L), ...queues(view, L));
  for (const [a, b] of view.links_down) {
    const p = L.pos.get(a), q = L.pos.get(b);
    if (!p || !q) continue;
    parts.push(svg('line', { x1: p.cx, y1: p.cy, x2: q.cx, y2: q.cy, class: 'cut' }),
      svg('text', { x: (p.cx + q.cx) / 2, y: (p.cy + q.cy) / 2 - 4, class: 'cut-label' }, '✕ cut'));
  }
  const focus = new Set(o.focus || []);
  const changed = new Set();
  for (const s of view.servers) {
    const before = prev.get(s.name);
    if (before && (before.usn !== s.usn || before.state !== s.state || before.stalled !== s.stalled)) changed.add(s.name);
    parts.push(serverBox(s, L.pos.get(s.name), s.name === o.selected, focus.has(s.name), o.onSelect, heads.get(s.name)));
  }
  parts.push(...refused(view, L));
  let msg = null;
  if (m && L.pos.has(m.from) && L.pos.has(m.to) && m.from !== m.to) {
    msg = arrow(m, L, route, via.map((i) => paths[i]));
    parts.push(msg);
  }
  put(root, parts);
  if (o.motion) animate(root, view, L, { ...o.motion, msg, changed, prev, m });
}

/** A box's width inside its padding (0 when it is not laid out). */
export function innerWidth(node) {
  if (!node) return 0;
  const cs = getComputedStyle(node);
  return node.clientWidth - parseFloat(cs.paddingLeft || 0) - parseFloat(cs.paddingRight || 0);
}

function pair(a, b) { return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`; }

function defs() {
  return svg('defs', {}, KINDS.map((k) =>
    svg('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `fill-${k}` }))));
}

/** Where a line between two regions leaves one: the point on its edge towards the other. */
function edge(b, tx, ty) {
  const dx = tx - b.cx, dy = ty - b.cy;
  const t = Math.min(dx ? (b.w / 2) / Math.abs(dx) : Infinity, dy ? (b.h / 2) / Math.abs(dy) : Infinity);
  return [b.cx + dx * t, b.cy + dy * t];
}

/** The path of a connector between two regions, and where its label goes; `k` lifts the k-th
 *  of parallel connectors (joining the same two sites) further out, so each is its own arc. */
function connectorPath(L, a, b, k = 0) {
  const d = Math.abs(a.i - b.i);
  if (L.mode === 'row') {
    const lift = 10 + d * ARC + k * 20, x1 = a.cx + (b.cx > a.cx ? 8 : -8), x2 = b.cx + (a.cx > b.cx ? 8 : -8);
    return { d: `M${x1},${a.y} C${x1},${a.y - lift * 1.33} ${x2},${b.y - lift * 1.33} ${x2},${b.y}`, lx: (x1 + x2) / 2, ly: a.y - lift - 5 };
  }
  if (L.mode === 'column') {
    const out = 10 + d * 18 + k * 14, x = a.x + a.w, y1 = a.cy + (b.cy > a.cy ? 8 : -8), y2 = b.cy + (a.cy > b.cy ? 8 : -8);
    return { d: `M${x},${y1} C${x + out * 1.33},${y1} ${x + out * 1.33},${y2} ${x},${y2}`, lx: x + out - 2, ly: (y1 + y2) / 2, side: true };
  }
  let [x1, y1] = edge(a, b.cx, b.cy), [x2, y2] = edge(b, a.cx, a.cy);
  // Parallel straight connectors side by side, 12 apart.
  const s = (a.i < b.i ? 12 : -12) * k / (Math.hypot(x2 - x1, y2 - y1) || 1), [dx, dy] = [(y2 - y1) * s, (x2 - x1) * s];
  x1 += dx; x2 += dx; y1 -= dy; y2 -= dy;
  return { d: `M${x1},${y1} L${x2},${y2}`, lx: (x1 + x2) / 2, ly: (y1 + y2) / 2 - 4 };
}

/** Every connector's path, by index: the k-th joining the same two sites is lifted k steps. */
function connectorPaths(view, L) {
  const seen = new Map();
  return (view.connectors || []).map((c) => {
    const a = L.sites.get(c.sites[0]), b = L.sites.get(c.sites[1]), key = pair(...c.sites);
    const k = seen.get(key) || 0;
    seen.set(key, k + 1);
    return a && b ? { ...connectorPath(L, a, b, k), k } : null;
  });
}

/** Moves each label along its free axis (up or down) until it overlaps none placed before. */
function place(labels) {
  const done = [];
  for (const l of labels) {
    const w = l.text.length * 7.2 + 4, x = l.anchor === 'middle' ? l.x - w / 2 : l.x - 2;
    for (const dy of [0, -18, 18, -36, 36, -54, 54]) {
      const box = { x, y: l.y + dy - 13, w, h: 17 };
      if (!done.some((o) => box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h && o.y < box.y + box.h)) {
        l.y += dy;
        done.push(box);
        break;
      }
    }
  }
}

/** Messaging connectors between site regions: kind and cost on each (and "down" on one a step
 *  took down); only the ones the last mail took lit. Drawn between regions, never over a server. */
function connectors(view, L, paths, via) {
  const down = new Set(view.connectors_down || []);
  const items = (view.connectors || []).map((c, i) => {
    const p = paths[i];
    if (!p) return null;
    const kind = c.kind === 'site' ? 'Site' : c.kind.toUpperCase(), off = down.has(i);
    const text = `${p.side ? `${kind} ${c.cost}` : `${kind} · ${c.cost}${c.schedule ? ' ⏲' : ''}`}${off ? ' down' : ''}`;
    return { c, i, p, off, text, x: p.lx, y: p.ly, anchor: p.side ? 'start' : 'middle' };
  }).filter(Boolean);
  place(items);
  return items.map(({ c, i, p, off, text, x, y, anchor }) => svg('g', {
    class: `connector${via.includes(i) && !off ? ' lit' : ''}${off ? ' down' : ''}`, 'data-sites': `${c.sites[0]}|${c.sites[1]}`, 'data-kind': c.kind },
  svg('title', {}, `Messaging connector (${c.kind}) ${c.sites[0]} ${c.one_way ? '→' : '↔'} ${c.sites[1]}, cost ${c.cost}${c.schedule ? ', on a schedule' : ''}${off ? ', down' : ''}`),
  svg('path', { d: p.d, 'marker-end': c.one_way ? 'url(#arrow-mail)' : null }),
  svg('text', { x, y, 'text-anchor': anchor, class: 'conn-label' }, text)));
}

/** Each bridgehead with the sites its directory replication connectors reach. */
function bridgeheads(view) {
  const heads = new Map();
  for (const d of view.drcs || []) {
    d.bridgeheads.forEach((b, j) => heads.set(b, [...(heads.get(b) || []), d.sites[1 - j]]));
  }
  return heads;
}

/** A DRC the step refused (DRC_REDUNDANT): a crossed-out dashed line between the sites, and why. */
function refused(view, L) {
  const r = view.last && view.last.drc_refused;
  const a = r && L.sites.get(r.sites[0]), b = r && L.sites.get(r.sites[1]);
  if (!a || !b) return [];
  const foot = (s) => [s.cx, s.y + s.h - 10];
  const [[x1, y1], [x2, y2]] = L.mode === 'row' ? [foot(a), foot(b)] : [edge(a, b.cx, b.cy), edge(b, a.cx, a.cy)];
  const why = `already joined${r.through.length ? ` through ${r.through.join(', ').replace(/, ([^,]*)$/, ' and $1')}` : ''}`;
  const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
  return [svg('g', { class: 'drc-refused' },
    svg('title', {}, `Directory replication connector ${r.sites[0]} ↔ ${r.sites[1]} refused (DRC_REDUNDANT): ${why}`),
    svg('line', { x1, y1, x2, y2 }),
    svg('text', { x: mx, y: my + 7, 'text-anchor': 'middle', class: 'refused-x' }, '✕'),
    svg('text', { x: mx, y: my - 9, 'text-anchor': 'middle', class: 'refused-label' }, `DRC refused: ${why}`))];
}

/** Directory replication connectors: a dotted line between the two bridgeheads' facing sides,
 *  or, when that would pass through another server, a bow along their right (then left) sides
 *  (a message's line bows on the left first, messageCurve, so the two stay apart), or an arc
 *  over the sites' top edges. */
function drcs(view, L) {
  const idle = new Set(view.drcs_idle || []);
  return (view.drcs || []).flatMap((d, i) => {
    const p = L.pos.get(d.bridgeheads[0]), q = L.pos.get(d.bridgeheads[1]);
    if (!p || !q) return [];
    const beside = Math.abs(p.cx - q.cx) > Math.abs(p.cy - q.cy);
    const [x1, y1, x2, y2] = beside
      ? [p.cx < q.cx ? p.x + p.w : p.x, p.cy + 10, q.cx < p.cx ? q.x + q.w : q.x, q.cy + 10]
      : [p.cx + 20, p.cy < q.cy ? p.y + H : p.y, q.cx + 20, q.cy < p.cy ? q.y + H : q.y];
    const line = [[x1, y1], [x1, y1], [x2, y2], [x2, y2]];
    // Last, an arc over the sites' top edges (a connector skipping a site between, in a row).
    const over = overSites(L, p, q, [clearOfTitle(p, L), p.y], [clearOfTitle(q, L), q.y], 30);
    const c = [line, bow(p, q, 1, 10), bow(p, q, -1, 10), over].find((k) => !blocked(k, L, d.bridgeheads)) || line;
    const [mx, my] = at(c, 0.5);
    const [lx, ly] = c === line ? [mx, my + 16] : c === over ? [mx, my - 6] : [mx + (c[1][0] < c[0][0] ? 22 : -22), gapNear(L, my, c[0][1], c[3][1]) + 10];
    // One installed before its site knew every replication path: replication over it won't initialize.
    const off = idle.has(i);
    return [svg('g', { class: `drc${off ? ' idle' : ''}` },
      svg('title', {}, `Directory replication connector ${d.sites[0]} ↔ ${d.sites[1]}: bridgeheads ${d.bridgeheads[0]} and ${d.bridgeheads[1]}${off ? '. Installed before Exchange knew every replication path: directory replication over it won\'t initialize' : ''}`),
      svg('path', { d: `M${c[0]} C${c[1]} ${c[2]} ${c[3]}` }),
      svg('text', { x: lx, y: ly, 'text-anchor': 'middle', class: 'drc-label' }, off ? 'DRC · won\'t initialize' : 'DRC'))];
  });
}

/** Each site's MTA queue: the mail waiting to leave it and when the next leaves. */
function queues(view, L) {
  const site = new Map(view.servers.map((s) => [s.name, s.site]));
  const by = new Map();
  for (const p of view.pending) {
    if (p.kind !== 'mail') continue;
    const s = site.get(p.from);
    const q = by.get(s) || { n: 0, at: p.time_s };
    q.n += 1; q.at = Math.min(q.at, p.time_s);
    by.set(s, q);
  }
  return [...by].flatMap(([s, q]) => {
    const b = L.sites.get(s);
    if (!b) return [];
    return [svg('text', { x: b.x + PAD, y: b.y + b.h - 6, class: 'mta' },
      `✉ ${q.n}${view.pending.length >= 8 ? '+' : ''} queued · ${clock(q.at).slice(0, 5)}`,
      svg('title', {}, `The MTA queue of ${s}: ${q.n} directory mail message(s) waiting; the next leaves at ${clock(q.at)}`))];
  });
}

function fit(text, w, px) {
  const room = Math.floor((w - 16) / (px * 0.56));
  return text.length > room ? `${text.slice(0, Math.max(1, room - 1))}…` : text;
}

function serverBox(s, p, selected, focused, onSelect, head) {
  const st = stateOf(s);
  const hot = s.hot_potato;
  // USNs the counter consumed beyond the hot potato (a bump, changes elsewhere): said as such.
  const spent = hot ? s.usn - hot.usn_changed : 0;
  const label = `${s.name}${head ? `, bridgehead to ${head.join(' and ')}` : ''}, USN ${s.usn}${st ? `, ${st.words}` : ''}${hot ? `; hot potato ${hot.name} at ${hot.usn_changed}` : ''}${spent > 0 ? `; ${spent} USNs used elsewhere` : ''}. Show its directory.`;
  const cls = `server state-${s.state}${s.stalled ? ' stalled' : ''}${selected ? ' selected' : ''}${focused ? ' focus' : ''}`;
  return svg('g', {
    class: cls, role: 'button', tabindex: 0, 'data-server': s.name,
    'aria-pressed': selected ? 'true' : 'false', 'aria-label': label,
    onclick: () => onSelect(s.name), onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(s.name); } },
  },
  // Selection and the step's focus are rings outside the box, so its own border keeps its state.
  focused ? svg('rect', { x: p.x - 6, y: p.y - 6, width: p.w + 12, height: H + 12, rx: 12, class: 'focus-ring' }) : null,
  selected ? svg('rect', { x: p.x - 3, y: p.y - 3, width: p.w + 6, height: H + 6, rx: 10, class: 'sel-ring' }) : null,
  svg('rect', { x: p.x, y: p.y, width: p.w, height: H, rx: 8, class: 'box' }),
  svg('text', { x: p.x + 10, y: p.y + 19, class: 'srv-name' }, fit(s.name, p.w, 14)),
  // A bridgehead's badge: a tab on its box's top edge, right, clear of the name.
  head ? svg('g', { class: 'bridgehead' }, svg('rect', { x: p.x + p.w - 90, y: p.y - 10, width: 84, height: 16, rx: 8 }),
    svg('text', { x: p.x + p.w - 48, y: p.y + 2, 'text-anchor': 'middle' }, 'bridgehead')) : null,
  svg('text', { x: p.x + 10, y: p.y + 44, class: 'srv-usn' }, `USN ${s.usn}`),
  hot ? svg('g', { class: 'potato-token' }, svg('ellipse', { cx: p.x + 16, cy: p.y + 61, rx: 6, ry: 4.5 })) : null,
  svg('text', { x: p.x + (hot ? 27 : 10), y: p.y + 65, class: 'srv-hot' }, hot ? fit(`${hot.name} · ${hot.usn_changed}`, p.w - 17, 12) : 'no objects'),
  st ? svg('text', { x: p.x + 10, y: p.y + 84, class: 'srv-state' }, fit(st.mark, p.w, 12))
    : spent > 0 ? svg('text', { x: p.x + 10, y: p.y + 84, class: 'srv-spent' }, fit((p.w - 30) / 7 >= 19 ? `+${spent} used elsewhere` : `+${spent} elsewhere`, p.w - 14, 12),
      svg('title', {}, `USNs ${hot.usn_changed + 1}–${s.usn} went to changes elsewhere (no object here holds them)`)) : null);
}

/** A site's name as its region shows it. */
function siteTitle(site) { return /^site\b/i.test(site) ? site : `Site ${site}`; }

/** Where a site's name ends (13px semibold, about 7.6 units a letter). */
function titleEnd(b) { return b.x + PAD + siteTitle(b.site).length * 7.6; }

/** The x at which an arrow meets a box's top edge: its middle, or right of its site's name when
 *  the box stands under it (the first row), so the arrow never runs through the name. */
function clearOfTitle(p, L) {
  const b = L.sites.get(p.site);
  return b && p.top ? Math.min(p.x + p.w - 12, Math.max(p.cx, titleEnd(b) + 10)) : p.cx;
}

/** The ends of a message's arrow, sender first. */
function routePoints(m, L) {
  const p = L.pos.get(m.from), q = L.pos.get(m.to);
  // One box above the other: leave by the facing edge, so the arrow never crosses a box.
  if (q.y >= p.y + H) return [[p.cx + 24, p.y + H], [q.cx + 24, q.y - 3]];
  if (p.y >= q.y + H) return [[p.cx + 24, p.y], [q.cx + 24, q.y + H + 3]];
  return [[clearOfTitle(p, L), p.y], [clearOfTitle(q, L), q.y - 3]];
}

/** A mail's path: out of the sender's box, along each messaging connector of its route (the
 *  arcs drawn between the sites), into the receiver's box. Both are bridgeheads: the path meets
 *  a box in its site's first row at its badge, on the top edge right of the site's name, and a
 *  lower box at its right side, by the site's right edge, so it crosses no other box. In a
 *  column of sites the arcs are on the right: a first-row box reaches them over the site's top
 *  edge and down its right side. */
function routePath(m, L, route, hops) {
  const p = L.pos.get(m.from), q = L.pos.get(m.to);
  const col = L.mode === 'column';
  const badge = (r) => [r.x + r.w - 48, r.y - 10];
  const ends = (r) => {
    const s = L.sites.get(r.site);
    if (!s) return [badge(r)];
    if (col) return r.top ? [badge(r), [badge(r)[0], s.y], [s.x + s.w, s.y]] : [[r.x + r.w, r.cy]];
    // A box below its site's first row: by its right side and down the site's right edge.
    return r.top ? [badge(r)] : [[r.x + r.w, r.cy], [s.x + s.w - 5, r.cy], [s.x + s.w - 5, s.y + 4]];
  };
  const out = ends(p), into = ends(q).reverse();
  let d = `M${out.map(([x, y]) => `${x},${y}`).join(' L')}`;
  for (let i = 1; i < route.length; i++) {
    const a = L.sites.get(route[i - 1]), b = L.sites.get(route[i]);
    if (!a || !b) continue;
    d += ` L${connectorPath(L, a, b, hops[i - 1] ? hops[i - 1].k : 0).d.slice(1)}`;
  }
  const [lx, ly] = into.pop();
  const last = !q.top ? [lx + 3, ly] : [lx, ly - 3];
  return `${d}${into.map(([x, y]) => ` L${x},${y}`).join('')} L${last[0]},${last[1]}`;
}

/** The last message: an arc from box to box, or along its mail route site by site. */
function arrow(m, L, route, hops) {
  const kind = m.failed ? 'failed' : m.kind;
  const what = `${m.kind === 'mail' ? `Mail (${m.carries})` : m.kind[0].toUpperCase() + m.kind.slice(1)}${m.kind === 'write' ? ` ${m.objects} object${m.objects === 1 ? '' : 's'}` : ''}${m.failed ? ' ✕ failed' : ''}`;
  if (route && L.sites.get(route[0]) && L.sites.get(route[route.length - 1])) {
    return svg('g', { class: `msg kind-${kind} routed` },
      svg('path', { d: routePath(m, L, route, hops), 'marker-end': `url(#arrow-${kind})` }),
      svg('text', { x: 2, y: 12, class: 'msg-label route-label' }, `✉ ${what}: ${route.join(' → ')}`));
  }
  const [d, [lx, ly], anchor] = messageCurve(m, L);
  return svg('g', { class: `msg kind-${kind}` },
    svg('path', { d, 'marker-end': `url(#arrow-${kind})` }),
    svg('text', { x: lx, y: ly - 6, 'text-anchor': anchor, class: 'msg-label' }, what));
}

/** A cubic Bézier [start, control, control, end] at `t`. */
function at([a, b, c, e], t) {
  const u = 1 - t, k = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return [0, 1].map((i) => k[0] * a[i] + k[1] * b[i] + k[2] * c[i] + k[3] * e[i]);
}

/** Whether a curve passes through a server box other than its two ends' or over a site's name. */
function blocked(curve, L, ends) {
  const rects = [...L.pos].filter(([name]) => !ends.includes(name)).map(([, r]) => [r.x, r.y, r.w, H])
    .concat(L.boxes.map((b) => [b.x + PAD, b.y + 6, titleEnd(b) - b.x - PAD, 20]));
  for (let i = 2; i < 39; i++) {
    const [x, y] = at(curve, i / 40);
    if (rects.some(([rx, ry, rw, rh]) => x > rx && x < rx + rw && y > ry && y < ry + rh)) return true;
  }
  return false;
}

/**
 * The path of a message that is not mail, its label's place and anchor: the first of these
 * curves that passes through no other server's box and over no site's name, so the eye can
 * follow it from sender to receiver: an arc over the tops (straight, one box above the other);
 * an S between the boxes' facing sides; a bow along their left, then right, sides.
 */
function messageCurve(m, L) {
  const p = L.pos.get(m.from), q = L.pos.get(m.to);
  const [[x1, y1], [x2, y2]] = routePoints(m, L);
  let top;
  if (Math.abs(y1 - y2) > H) {
    top = [[x1, y1], [x1, y1], [x2, y2], [x2, y2]];
  } else if (p.site !== q.site) {
    // Between two sites: straight up out of each box, over both sites' top edges.
    top = overSites(L, p, q, [x1, y1], [x2, y2], 18);
  } else {
    const cy = Math.min(y1, y2) - 16 - Math.min(40, Math.abs(x2 - x1) / 6), cx = (x1 + x2) / 2;
    top = [[x1, y1], [x1 + (cx - x1) * 2 / 3, y1 + (cy - y1) * 2 / 3], [x2 + (cx - x2) * 2 / 3, y2 + (cy - y2) * 2 / 3], [x2, y2]];
  }
  const right = p.cx < q.cx ? 1 : -1, out = p.cx < q.cx ? p.x + p.w : p.x, into = p.cx < q.cx ? q.x - 3 : q.x + q.w + 3;
  const curves = [
    [top, 'middle'],
    Math.abs(p.cx - q.cx) > p.w ? [[[out, p.cy], [out + right * 40, p.cy], [into - right * 40, q.cy], [into, q.cy]], 'middle'] : null,
    [bow(p, q, -1, 0, 3), 'start'],
    [bow(p, q, 1, 0, 3), 'end'],
  ].filter(Boolean);
  const [c, anchor] = curves.find(([c]) => !blocked(c, L, [m.from, m.to])) || curves[0];
  const [mx, my] = at(c, 0.5);
  const side = anchor !== 'middle' || c === top && Math.abs(y1 - y2) > H;
  const label = side ? [mx + (anchor === 'end' ? -8 : 8), gapNear(L, my, y1, y2) + 10] : [mx, my + 2];
  return [`M${c[0]} C${c[1]} ${c[2]} ${c[3]}`, label, side && anchor === 'middle' ? 'start' : anchor];
}

/** A bow from box `p` to box `q` along their left (`dir` -1) or right (1) sides, `dy` below
 *  their middles, ending `gap` short of `q` (room for an arrowhead). */
function bow(p, q, dir, dy, gap = 0) {
  const side = (r) => (dir > 0 ? r.x + r.w : r.x);
  return [[side(p), p.cy + dy], [side(p) + dir * 14, p.cy + dy], [side(q) + dir * 14, q.cy + dy], [side(q) + dir * gap, q.cy + dy]];
}

/** An arc from `a` on box `p` to `b` on box `q`, straight up out of each and across `rise`
 *  above the higher of their sites' top edges. */
function overSites(L, p, q, [x1, y1], [x2, y2], rise) {
  const sa = L.sites.get(p.site), sb = L.sites.get(q.site);
  const yc = (sa && sb ? Math.min(sa.y, sb.y) : Math.min(p.y, q.y) - 30) - rise;
  return [[x1, y1], [x1, yc], [x2, yc], [x2, y2]];
}

/** For a label beside a line running down from `y1` to `y2`: the middle of the gap between two
 *  sites that the line passes (so the label covers no server), or else `y` itself. */
function gapNear(L, y, y1, y2) {
  const gaps = L.boxes.map((b) => b.y + b.h + SITE_GAP / 2).filter((g) => g > Math.min(y1, y2) && g < Math.max(y1, y2));
  return gaps.length ? gaps.reduce((a, g) => (Math.abs(g - y) < Math.abs(a - y) ? g : a)) - 4 : y;
}

/** Cancels the motion still running on this map (a newer frame replaces it). */
function stopMotion(root) {
  const mo = root.__motion;
  if (!mo) return;
  cancelAnimationFrame(mo.raf);
  mo.timers.forEach(clearTimeout);
  root.__motion = null;
}

/**
 * The step, visible: the message travels its path in `ms` (a token along it, the line drawn
 * behind it), the receiver's box and the hot potato land when it arrives, and changed boxes
 * stay highlighted a moment. Reduced motion: all at once, highlighted.
 */
function animate(root, view, L, a) {
  const mo = { raf: 0, timers: [] };
  root.__motion = mo;
  const still = reducedMotion() || a.ms < 60;
  const boxOf = (name) => root.querySelector(`g.server[data-server="${CSS.escape(name)}"]`);
  const land = () => {
    for (const name of a.changed) { const g = boxOf(name); if (g) g.classList.add('flash'); }
    const movedPotato = [];
    for (const s of view.servers) {
      const before = a.prev.get(s.name);
      const now = s.hot_potato && s.hot_potato.dn, then = before && before.hot_potato && before.hot_potato.dn;
      if (before && now && (now !== then || before.hot_potato.usn_changed !== s.hot_potato.usn_changed)) movedPotato.push(s.name);
    }
    for (const name of movedPotato) {
      const g = boxOf(name);
      if (!g) continue;
      g.classList.add('potato-new');
      const tok = g.querySelector('.potato-token');
      // The potato hops onto its new object (and, after a response, comes from the sender).
      if (!still && tok) {
        const from = a.m && a.m.to === name && L.pos.get(a.m.from), to = L.pos.get(name);
        const dx = from ? from.x - to.x : 0, dy = from ? from.y - to.y : -18;
        tok.animate([{ transform: `translate(${dx}px,${dy}px) scale(1.6)` }, { transform: 'translate(0,0) scale(1)' }],
          { duration: Math.max(180, a.ms * 0.5), easing: 'cubic-bezier(.3,.7,.4,1)' });
      }
    }
    mo.timers.push(setTimeout(() => {
      root.querySelectorAll('.flash, .potato-new, .msg.flash').forEach((n) => n.classList.remove('flash', 'potato-new'));
    }, Math.max(900, a.ms)));
  };
  if (!a.msg) return land();
  const path = a.msg.querySelector('path');
  if (still) {
    a.msg.classList.add('flash');
    return land();
  }
  const len = path.getTotalLength();
  const kind = a.m.failed ? 'failed' : a.m.kind;
  const token = svg('circle', { r: 7, class: `token fill-${kind}` });
  a.msg.append(token);
  path.style.strokeDasharray = `${len}`;
  const head = path.getAttribute('marker-end');
  path.removeAttribute('marker-end'); // the arrowhead comes with the token, not before it
  const t0 = performance.now();
  const frame = (now) => {
    const t = Math.min(1, (now - t0) / a.ms);
    const e = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
    const pt = path.getPointAtLength(e * len);
    token.setAttribute('cx', pt.x);
    token.setAttribute('cy', pt.y);
    path.style.strokeDashoffset = `${len * (1 - e)}`;
    if (t < 1) { mo.raf = requestAnimationFrame(frame); return; }
    token.remove();
    path.setAttribute('marker-end', head);
    path.style.strokeDasharray = '';
    path.style.strokeDashoffset = '';
    land();
  };
  mo.raf = requestAnimationFrame(frame);
}
