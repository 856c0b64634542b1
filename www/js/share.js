// Links that reproduce what is on screen: the scenario, the actions taken and the playhead, in
// the URL's hash, with a format version (so a future format can say so instead of breaking).
//   #v=1&lesson=bill-lee&h=<history>&p=12         a built-in scenario
//   #v=1&scenario=<deflated JSON>&h=...&p=...     any other scenario
// The history is compacted (a run of N steps is the number N) and deflated; base64url keeps it
// safe in a URL. Decoding checks everything and throws a sentence naming the problem.
export const FORMAT = '1';

/** Deflates `text` and writes it in base64url, safe in a URL. */
export async function squeeze(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function unsqueeze(code, what) {
  try {
    const bin = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return await new Response(stream).text();
  } catch {
    throw new Error(`the link's ${what} is damaged (it may have been cut short when it was copied)`);
  }
}

/** [{kind:"advance"}, {kind:"advance"}, {kind:"act", cmd}, {kind:"answer", step, choice}] → [2, cmd, {q: step, a: choice}] */
function compact(history) {
  const out = [];
  for (const a of history) {
    if (a.kind === 'advance') {
      if (typeof out[out.length - 1] === 'number') out[out.length - 1]++;
      else out.push(1);
    } else if (a.kind === 'answer') out.push({ q: a.step, a: a.choice });
    else out.push(a.cmd);
  }
  return out;
}

function expand(list) {
  if (!Array.isArray(list)) throw new Error("the link's history is not a list");
  const out = [];
  for (const item of list) {
    if (Number.isInteger(item) && item > 0 && item <= 1e6) for (let i = 0; i < item; i++) out.push({ kind: 'advance' });
    else if (item && typeof item === 'object' && typeof item.do === 'string') out.push({ kind: 'act', cmd: item });
    else if (item && typeof item === 'object' && Number.isInteger(item.q) && typeof item.a === 'string') out.push({ kind: 'answer', step: item.q, choice: item.a });
    else throw new Error(`the link's history holds something that is not an action: ${JSON.stringify(item).slice(0, 40)}`);
  }
  return out;
}

/** The hash for a lab: `{id, text, history, playhead}`; `id` is used when the text is the built-in one. */
export async function encode({ id, text, builtinText, history, playhead }) {
  const p = new URLSearchParams({ v: FORMAT });
  if (id && builtinText === text) p.set('lesson', id);
  else p.set('scenario', await squeeze(text));
  if (history.length) p.set('h', await squeeze(JSON.stringify(compact(history))));
  p.set('p', String(playhead));
  return p.toString();
}

/** Reads a link's hash: `{lesson | text | src, history, playhead, options}`; throws on a bad link. */
export async function decode(hash) {
  const p = new URLSearchParams(hash);
  const v = p.get('v');
  if (v !== FORMAT) throw new Error(`this link is in format ${JSON.stringify(v)}; this lab reads format ${FORMAT}`);
  const out = { options: options(p) };
  if (p.has('lesson')) out.lesson = p.get('lesson');
  else if (p.has('scenario')) out.text = await unsqueeze(p.get('scenario'), 'scenario');
  else if (p.has('src')) out.src = p.get('src');
  else throw new Error('the link names no scenario (lesson, scenario or src)');
  out.history = p.has('h') ? expand(parseJson(await unsqueeze(p.get('h'), 'history'))) : [];
  const playhead = p.has('p') ? Number(p.get('p')) : out.history.length;
  if (!Number.isInteger(playhead) || playhead < 0 || playhead > out.history.length) {
    throw new Error(`the link's playhead ${JSON.stringify(p.get('p'))} is outside its ${out.history.length} actions`);
  }
  out.playhead = playhead;
  return out;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("the link's history is not readable");
  }
}

const PANELS = ['story', 'org', 'messages', 'detail', 'log', 'tools'];

/** Embedding and classroom options: embed, panels, start, autoplay, present, follow, frame. */
export function options(p) {
  const panels = p.has('panels') ? p.get('panels').split(',').filter((x) => PANELS.includes(x)) : null;
  const start = p.has('start') ? Math.max(0, Math.min(10000, Number.parseInt(p.get('start'), 10) || 0)) : 0;
  return {
    embed: p.has('embed'), panels, start, autoplay: p.get('autoplay') === '1' || p.get('autoplay') === '',
    present: p.has('present'), follow: p.get('follow') || null, frame: p.get('frame') || null,
  };
}
