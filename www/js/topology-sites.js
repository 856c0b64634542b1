// The map's other sites, loaded by js/lab.js (with css/sites.css) the first time a frame (or the
// scenario being opened) has more than one site, so a one-site lesson never downloads it
// (docs/performance.md):
// messaging connectors between the site regions, with their kind and cost; directory replication
// connectors (DRCs) between their bridgeheads; a DRC the step refused; each site's MTA queue; and
// a mail's route, along the connectors it took. The page draws a frame with several sites only
// once this module has loaded, so the map is never drawn without them.
import { svg, clock } from './dom.js';

// topology.js's measures and helpers, handed over by `use` (topology.js, `useSites`): importing
// them would move topology.js into a chunk of its own, one more file on every lesson's first visit.
let H, PAD, SITE_GAP, at, bow, blocked, gapNear, clearOfTitle, badge;
export function use(h) {
  ({ H, PAD, SITE_GAP, at, bow, blocked, gapNear, clearOfTitle, badge } = h);
}

const ARC = 22, FOOT = 20;

/**
 * How topology.js's `layout` stands the sites in `cols` columns: with connectors between them,
 * in one row when they fit (the connectors are arcs above them, as the article's Figure 3 draws
 * them) or in one column (arcs beside them); otherwise in a grid with straight connectors. With
 * the room above them (the arcs of a row, else the last message's label), beside them (the arcs
 * of a column) and at the foot of each (its MTA queue).
 */
export function arrange(view, width, min, cols) {
  const n = view.sites.length;
  const links = (view.connectors || []).length;
  // A row of sites may take narrower boxes (112) before it gives way to a grid.
  const rowFits = n * (min + 2 * PAD) + (n - 1) * SITE_GAP <= width;
  const mode = !links || n < 2 ? 'grid' : cols >= n || rowFits ? 'row' : cols === 1 || width < 560 ? 'column' : 'grid';
  if (mode === 'column') cols = 1;
  if (mode === 'row') cols = n;
  const span = (a, b) => Math.abs(a - b);
  const index = new Map(view.sites.map((s, i) => [s.name, i]));
  const reach = Math.max(1, ...(view.connectors || []).map((c) => span(index.get(c.sites[0]) ?? 0, index.get(c.sites[1]) ?? 0)));
  const par = Math.max(0, ...(view.connectors || []).map((c, i, all) => all.filter((d) => pair(...d.sites) === pair(...c.sites)).length - 1));
  return {
    mode, cols, top: mode === 'row' ? 48 + reach * ARC + par * 20 : 26,
    side: mode === 'column' ? 56 + reach * 18 + par * 14 : 0, foot: links ? FOOT : 0,
  };
}

function pair(a, b) { return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`; }

/** What the map draws of other sites before the servers (messaging connectors, DRCs, MTA
 *  queues), and every connector's path, by index (a mail's route follows them). */
export function draw(view, L, via) {
  const paths = connectorPaths(view, L);
  return { paths, parts: [...connectors(view, L, paths, via), ...drcs(view, L), ...queues(view, L)] };
}

/** Each bridgehead with the sites its directory replication connectors reach. */
export function bridgeheads(view) {
  const heads = new Map();
  for (const d of view.drcs || []) {
    d.bridgeheads.forEach((b, j) => heads.set(b, [...(heads.get(b) || []), d.sites[1 - j]]));
  }
  return heads;
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

/** The path of a connector between two regions, and where its label goes; `k` lifts the k-th
 *  of parallel connectors (joining the same two sites) further out, so each is its own arc. */
function connectorPath(L, a, b, k = 0) {
  const d = Math.abs(a.i - b.i);
  if (L.mode === 'row') {
    const lift = 10 + d * ARC + k * 20, x1 = a.cx + (b.cx > a.cx ? 8 : -8), x2 = b.cx + (a.cx > b.cx ? 8 : -8);
    return { d: `M${x1},${a.y} C${x1},${a.y - lift * 1.33} ${x2},${b.y - lift * 1.33} ${x2},${b.y}`, end: [x2, b.y], lx: (x1 + x2) / 2, ly: a.y - lift - 5 };
  }
  if (L.mode === 'column') {
    const out = 10 + d * 18 + k * 14, x = a.x + a.w, y1 = a.cy + (b.cy > a.cy ? 8 : -8), y2 = b.cy + (a.cy > b.cy ? 8 : -8);
    return { d: `M${x},${y1} C${x + out * 1.33},${y1} ${x + out * 1.33},${y2} ${x},${y2}`, end: [x, y2], lx: x + out - 2, ly: (y1 + y2) / 2, side: true };
  }
  let [x1, y1] = edge(a, b.cx, b.cy), [x2, y2] = edge(b, a.cx, a.cy);
  // Parallel straight connectors side by side, 12 apart.
  const s = (a.i < b.i ? 12 : -12) * k / (Math.hypot(x2 - x1, y2 - y1) || 1), [dx, dy] = [(y2 - y1) * s, (x2 - x1) * s];
  x1 += dx; x2 += dx; y1 -= dy; y2 -= dy;
  return { d: `M${x1},${y1} L${x2},${y2}`, end: [x2, y2], lx: (x1 + x2) / 2, ly: (y1 + y2) / 2 - 4 };
}

/** Where a line between two regions leaves one: the point on its edge towards the other. */
function edge(b, tx, ty) {
  const dx = tx - b.cx, dy = ty - b.cy;
  const t = Math.min(dx ? (b.w / 2) / Math.abs(dx) : Infinity, dy ? (b.h / 2) / Math.abs(dy) : Infinity);
  return [b.cx + dx * t, b.cy + dy * t];
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

/** A DRC the step refused (DRC_REDUNDANT): a crossed-out dashed line between the sites, and why. */
export function refused(view, L) {
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

/** The points a path this map draws (M, L and C, absolute) passes through, about 3 apart. */
function samples(d) {
  const n = d.match(/[MLC]|-?[\d.]+(?:e-?\d+)?/g) || [], pts = [];
  let cmd, cur;
  for (let i = 0; i < n.length;) {
    if (/[MLC]/.test(n[i])) cmd = n[i++];
    const q = [];
    for (let j = cmd === 'C' ? 3 : 1; j > 0; j--, i += 2) q.push([+n[i], +n[i + 1]]);
    if (cmd === 'M' || !cur) { pts.push((cur = q[0])); continue; }
    const c = cmd === 'C' ? [cur, ...q] : [cur, cur, q[0], q[0]], k = Math.ceil(c.slice(1).reduce((s, p, j) => s + Math.hypot(p[0] - c[j][0], p[1] - c[j][1]), 0) / 3);
    for (let j = 1; j <= k; j++) pts.push(at(c, j / k));
    cur = c[3];
  }
  return pts;
}

/** About where a text of `n` letters at `x`, `y` lies (`per` units a letter, 7.6 at most on this
 *  map); `rot` 90: turned to read downwards, beside a line that runs down. */
function textBox(x, y, anchor, n, per = 7.6, rot = 0) {
  const w = n * per + 4, x0 = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
  return rot ? { x: x - 4, y: y + x0 - x, w: 17, h: w } : { x: x0, y: y - 13, w, h: 17 };
}

/**
 * Moves each DRC's label, if it overlaps a line, a text or a server of the drawn map (`parts`,
 * the message's line and label among them), to the first place beside its line that overlaps
 * none: nearest first, from the line's middle outwards, above, below, right and left; failing
 * that, turned to read downwards beside it (a column of sites leaves no room across).
 * One with no such place stays, unless a server would hide it.
 */
export function clearLabels(parts, L) {
  const all = parts.filter(Boolean).flatMap((n) => [n, ...n.querySelectorAll('*')]);
  const labels = all.filter((n) => n.matches('.drc-label'));
  if (!labels.length) return;
  const num = (n, k) => +n.getAttribute(k);
  const pts = all.filter((n) => n.matches('path, line') && !n.closest('marker')).flatMap((n) =>
    samples(n.tagName === 'line' ? `M${num(n, 'x1')},${num(n, 'y1')} L${num(n, 'x2')},${num(n, 'y2')}` : n.getAttribute('d')));
  const boxes = all.filter((n) => n.matches('rect:not(.site)')).map((n) => ({ x: num(n, 'x'), y: num(n, 'y'), w: num(n, 'width'), h: num(n, 'height') }));
  const texts = new Map(all.filter((n) => n.tagName === 'text' && !n.closest('g.server')).map((n) =>
    [n, textBox(num(n, 'x'), num(n, 'y'), n.getAttribute('text-anchor'), [...n.childNodes].filter((c) => c.nodeType === 3).map((c) => c.nodeValue).join('').length)]));
  const meets = (b, o, m) => b.x < o.x + o.w + m && o.x < b.x + b.w + m && b.y < o.y + o.h + m && o.y < b.y + b.h + m;
  for (const t of labels) {
    const n = t.textContent.length;
    const c = t.parentNode.querySelector('path').getAttribute('d').match(/-?[\d.]+(?:e-?\d+)?/g).map(Number);
    const curve = [0, 2, 4, 6].map((i) => [c[i], c[i + 1]]);
    const tries = [[num(t, 'x'), num(t, 'y'), 'middle', 0]];
    const along = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9].map((k) => at(curve, k));
    for (const d of [8, 22, 36]) for (const [x, y] of along) tries.push([x, y - d, 'middle'], [x, y + d + 10, 'middle'], [x + d, y + 5, 'start'], [x - d, y + 5, 'end']);
    for (const [x, y] of along) tries.push([x + 9, y, 'middle', 90], [x - 18, y, 'middle', 90]);
    // Last, where a server would hide it, the top of the map, over the line (a row of sites
    // keeps room there); else it stays (on a line, not under a box).
    const under = textBox(num(t, 'x'), num(t, 'y'), 'middle', n, 6.8);
    if (boxes.some((o) => meets(under, o, 0))) for (const [x] of along) tries.push([x, 14, 'middle']);
    const fits = ([x, y, anchor, rot]) => {
      const b = textBox(x, y, anchor, n, 6.8, rot);
      return b.x > -3 && b.y > -3 && b.x + b.w < L.width + 3 && b.y + b.h < L.height + 3
        && !boxes.some((o) => meets(b, o, 2)) && ![...texts].some(([o, ob]) => o !== t && meets(b, ob, 2))
        && !pts.some(([px, py]) => px > b.x - 2 && px < b.x + b.w + 2 && py > b.y - 2 && py < b.y + b.h + 2);
    };
    const [x, y, anchor, rot] = tries.find(fits) || tries[0];
    t.setAttribute('x', x);
    t.setAttribute('y', y);
    t.setAttribute('text-anchor', anchor);
    if (rot) t.setAttribute('transform', `rotate(90 ${x} ${y})`);
    texts.set(t, textBox(x, y, anchor, n, 7.6, rot));
  }
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

/** A mail's path: out of the sender's box, along each messaging connector of its route (the
 *  arcs drawn between the sites), into the receiver's box. Both are bridgeheads: the path meets
 *  a box in its site's first row at its badge, on the top edge right of the site's name, and a
 *  lower box at its right side, by the site's right edge, so it crosses no other box. In a
 *  column of sites the arcs are on the right: a first-row box reaches them over the site's top
 *  edge and down its right side. */
export function routePath(m, L, route, hops) {
  const p = L.pos.get(m.from), q = L.pos.get(m.to);
  const col = L.mode === 'column';
  const top = (r) => [badge(r)[0] + badge(r)[2] / 2, badge(r)[1]];
  const ends = (r) => {
    const s = L.sites.get(r.site);
    if (!s) return [top(r)];
    if (col) return r.top ? [top(r), [top(r)[0], s.y], [s.x + s.w, s.y]] : [[r.x + r.w, r.cy]];
    // A box below its site's first row: by its right side and down the site's right edge.
    return r.top ? [top(r)] : [[r.x + r.w, r.cy], [s.x + s.w - 5, r.cy], [s.x + s.w - 5, s.y + 4]];
  };
  const out = ends(p);
  let d = `M${out.map(([x, y]) => `${x},${y}`).join(' L')}`, tail = null;
  for (let i = 1; i < route.length; i++) {
    const a = L.sites.get(route[i - 1]), b = L.sites.get(route[i]);
    if (!a || !b) continue;
    const c = connectorPath(L, a, b, hops[i - 1] ? hops[i - 1].k : 0);
    d += ` L${c.d.slice(1)}`;
    tail = c.end;
  }
  let into = ends(q).reverse(), last;
  // Into a first-row box, the arrowhead lands clear of its badge (short of it by half an
  // arrowhead, 11, either side): from a connector meeting its site's top edge, on along that
  // edge and straight down onto the badge; from its site's bottom edge, straight up to the box.
  const s = L.sites.get(q.site), [bx, by, bw] = badge(q), clamp = (x, a, b) => Math.min(b - 11, Math.max(a + 11, x));
  if (q.top && !col && tail && s && Math.abs(tail[1] - s.y) < 1) {
    last = [clamp(tail[0], bx, bx + bw), by - 5];
    into = [[last[0], s.y]];
  } else if (q.top && !col && tail && s && Math.abs(tail[1] - s.y - s.h) < 1) {
    last = [clamp(tail[0], q.x, q.x + q.w), q.y + H + 3];
    into = [];
  } else {
    const [lx, ly] = into.pop();
    // 3 short of a box's side, 5 above a badge: room for the arrowhead's tip.
    last = !q.top ? [lx + 3, ly] : [lx, ly - 5];
  }
  return `${d}${into.map(([x, y]) => ` L${x},${y}`).join('')} L${last[0]},${last[1]}`;
}

/** An arc from `a` on box `p` to `b` on box `q`, straight up out of each and across `rise`
 *  above the higher of their sites' top edges. */
export function overSites(L, p, q, [x1, y1], [x2, y2], rise) {
  const sa = L.sites.get(p.site), sb = L.sites.get(q.site);
  const yc = (sa && sb ? Math.min(sa.y, sb.y) : Math.min(p.y, q.y) - 30) - rise;
  return [[x1, y1], [x1, yc], [x2, yc], [x2, y2]];
}
