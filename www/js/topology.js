// The organization as SVG, drawn at the size it is shown (one unit is one CSS pixel, scaled up
// in presenter mode), so names stay readable however many sites there are: sites as regions,
// messaging connectors with their kind and cost, directory replication connectors (DRCs)
// between their bridgeheads, each server with its USN, hot potato and state, and the message
// of the last step (lit: the connectors its mail took; a DRC it refused: crossed out). `motion`
// makes the step visible (docs/wasm-api.md, the frame): the message
// travels sender to receiver (hop by hop along a mail route), the hot potato moves to the
// object now holding the highest USN-Changed, and what changed is highlighted a moment. Under
// prefers-reduced-motion nothing travels: the change is drawn at once and highlighted. What only
// a map of several sites draws (connectors, DRCs, MTA queues, mail routes) is js/topology-sites.js,
// loaded the first time a frame has more than one site (js/lab.js, `sitesReady`).
import { svg, put } from './dom.js';

const GAP = 12, PAD = 10, TITLE = 30, SITE_GAP = 28, H = 92, MIN_W = 128, MAX_W = 210;
const KINDS = ['notify', 'request', 'response', 'write', 'mail', 'failed'];

/** js/topology-sites.js once js/lab.js has loaded it (with its sheet) and handed it over: until
 *  then no frame drawn has more than one site. */
let sites = null;
export function useSites(m) {
  m.use({ H, PAD, SITE_GAP, at, bow, blocked, gapNear, clearOfTitle, badge });
  sites = m;
}

/**
 * Lays sites out sized to `width`: in a grid, or, with connectors between sites, as
 * js/topology-sites.js arranges them (`arrange`: a row or a column of sites when it can).
 */
function layout(view, width, min) {
  const n = view.sites.length;
  const most = Math.max(1, ...view.sites.map((s) => s.servers.length));
  let cols = Math.max(1, Math.min(n, Math.floor((width + SITE_GAP) / (min + 16 + 2 * PAD + SITE_GAP))));
  // Room above for the last message's label; with connectors, room for their arcs above (in a
  // row) or beside (in a column), and below each site for its MTA queue (`foot`).
  let mode = 'grid', top = 26, side = 0, foot = 0;
  if (sites) ({ mode, cols, top, side, foot } = sites.arrange(view, width, min, cols));
  const usable = width - side;
  const siteW = (usable - (cols - 1) * SITE_GAP) / cols;
  const inner = Math.max(1, Math.floor((siteW - 2 * PAD + GAP) / ((mode === 'row' ? min : min + 16) + GAP)));
  const perSite = Math.min(inner, most);
  const W = Math.min(MAX_W, (siteW - 2 * PAD - (perSite - 1) * GAP) / perSite);
  const pos = new Map(), boxes = [];
  let y = top;
  for (let r = 0; r * cols < n; r++) {
    const row = view.sites.slice(r * cols, r * cols + cols);
    const rowH = Math.max(...row.map((s) => TITLE + Math.ceil(s.servers.length / perSite) * (H + GAP) - GAP + PAD + foot));
    row.forEach((site, c) => {
      const x = c * (siteW + SITE_GAP);
      const k = Math.min(perSite, site.servers.length);
      const w = n === 1 || mode !== 'grid' ? siteW : Math.max(2 * PAD + k * W + (k - 1) * GAP, Math.min(siteW, 200));
      boxes.push({ site: site.name, i: r * cols + c, x, y, w, h: rowH, cx: x + w / 2, cy: y + rowH / 2 });
      site.servers.forEach((name, j) => {
        const sx = x + PAD + (j % perSite) * (W + GAP), sy = y + TITLE + Math.floor(j / perSite) * (H + GAP);
        pos.set(name, { x: sx, y: sy, w: W, cx: sx + W / 2, cy: sy + H / 2, site: site.name, top: j < perSite });
      });
    });
    y += rowH + SITE_GAP;
  }
  const heads = sites ? sites.bridgeheads(view) : new Map();
  return { pos, boxes, mode, heads, sites: new Map(boxes.map((b) => [b.site, b])), width, height: Math.max(0, y - SITE_GAP) };
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
  // Until js/topology-sites.js has loaded, a frame has one site: no bridgeheads, connectors,
  // DRCs, MTA queues or mail routes.
  const heads = L.heads;
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
  const { paths, parts: between } = sites ? sites.draw(view, L, via) : { paths: [], parts: [] };
  parts.push(...between);
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
  if (sites) parts.push(...sites.refused(view, L));
  let msg = null;
  if (m && L.pos.has(m.from) && L.pos.has(m.to) && m.from !== m.to) {
    msg = arrow(m, L, route, via.map((i) => paths[i]));
    parts.push(msg);
  }
  // Every line and label drawn, the DRCs' labels move clear of them.
  if (sites) sites.clearLabels(parts, L);
  put(root, parts);
  if (o.motion) animate(root, view, L, { ...o.motion, msg, changed, prev, m });
}

/** A box's width inside its padding (0 when it is not laid out). */
export function innerWidth(node) {
  if (!node) return 0;
  const cs = getComputedStyle(node);
  return node.clientWidth - parseFloat(cs.paddingLeft || 0) - parseFloat(cs.paddingRight || 0);
}

function defs() {
  return svg('defs', {}, KINDS.map((k) =>
    svg('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `fill-${k}` }))));
}

function fit(text, w, px) {
  const room = Math.floor((w - 16) / (px * 0.56));
  return text.length > room ? `${text.slice(0, Math.max(1, room - 1))}…` : text;
}

function serverBox(s, p, selected, focused, onSelect, head) {
  const st = stateOf(s);
  const hot = s.hot_potato, [bx, by] = badge(p);
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
  // A bridgehead's badge, on its box's top edge.
  head ? svg('g', { class: 'bridgehead' }, svg('rect', { x: bx, y: by, width: 84, height: 16, rx: 8 }),
    svg('text', { x: bx + 42, y: p.y + 2, 'text-anchor': 'middle' }, 'bridgehead')) : null,
  svg('text', { x: p.x + 10, y: p.y + 44, class: 'srv-usn' }, `USN ${s.usn}`),
  hot ? svg('g', { class: 'potato-token' }, svg('ellipse', { cx: p.x + 16, cy: p.y + 61, rx: 6, ry: 4.5 })) : null,
  svg('text', { x: p.x + (hot ? 27 : 10), y: p.y + 65, class: 'srv-hot' }, hot ? fit(`${hot.name} · ${hot.usn_changed}`, p.w - 17, 12) : 'no objects'),
  st ? svg('text', { x: p.x + 10, y: p.y + 84, class: 'srv-state' }, fit(st.mark, p.w, 12))
    : spent > 0 ? svg('text', { x: p.x + 10, y: p.y + 84, class: 'srv-spent' }, fit((p.w - 30) / 7 >= 19 ? `+${spent} used elsewhere` : `+${spent} elsewhere`, p.w - 14, 12),
      svg('title', {}, `USNs ${hot.usn_changed + 1}–${s.usn} went to changes elsewhere (no object here holds them)`)) : null);
}

/** A bridgehead's badge, [x, y, width, height]: a tab on its box's top edge, right, clear of the name. */
function badge(p) { return [p.x + p.w - 90, p.y - 10, 84, 16]; }

/** Where an arrow coming down onto box `q`'s top edge at `x` ends: 3 above it, or, where it
 *  would land on a bridgehead's badge (within half an arrowhead, 11, of it), 5 above the badge,
 *  so the arrowhead and the badge both show. */
function onTop(q, x, head) {
  const [bx, by, bw] = badge(q);
  return [x, head && x > bx - 11 && x < bx + bw + 11 ? by - 5 : q.y - 3];
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
  const p = L.pos.get(m.from), q = L.pos.get(m.to), head = L.heads.has(m.to);
  // One box above the other: leave by the facing edge, so the arrow never crosses a box.
  if (q.y >= p.y + H) return [[p.cx + 24, p.y + H], onTop(q, q.cx + 24, head)];
  if (p.y >= q.y + H) return [[p.cx + 24, p.y], [q.cx + 24, q.y + H + 3]];
  return [[clearOfTitle(p, L), p.y], onTop(q, clearOfTitle(q, L), head)];
}

/** The last message: an arc from box to box, or along its mail route site by site. */
function arrow(m, L, route, hops) {
  const kind = m.failed ? 'failed' : m.kind;
  const what = `${m.kind === 'mail' ? `Mail (${m.carries})` : m.kind[0].toUpperCase() + m.kind.slice(1)}${m.kind === 'write' ? ` ${m.objects} object${m.objects === 1 ? '' : 's'}` : ''}${m.failed ? ' ✕ failed' : ''}`;
  if (route && sites && L.sites.get(route[0]) && L.sites.get(route[route.length - 1])) {
    return svg('g', { class: `msg kind-${kind} routed` },
      svg('path', { d: sites.routePath(m, L, route, hops), 'marker-end': `url(#arrow-${kind})` }),
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
  } else if (p.site !== q.site && sites) {
    // Between two sites: straight up out of each box, over both sites' top edges.
    top = sites.overSites(L, p, q, [x1, y1], [x2, y2], 18);
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
