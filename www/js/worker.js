// The lab's own thread: the wasm core lives here, so no scenario, link or long run can freeze
// the page. The page sends {id, op, json} (the arguments as JSON text; {id, op: "init", args}
// with the compiled wasm); each answer is {id, ok, value} or {id, ok: false,
// error: {message, step, entry}}; long jobs also send {id, progress: {done, total}} between
// slices and stop early on {op: "cancel"}; {op: "warm"} fetches the rest of the wasm ahead of a
// move. docs/wasm-api.md lists the ops.
// initSync, not the glue's async default: the page always sends a compiled WebAssembly.Module
// (js/core.js), so the glue's fetch and streaming code stays out of the bundle.
import { initSync, Lab } from '../pkg/usnlab.js';

let lab = null;
let cancelled = false;
const SLICE_MS = 40;

// The wasm is in two parts (scripts/split-wasm.mjs, docs/building.md): the page compiles the
// first, which opens any built-in lesson; the rest is downloaded here in the background when a
// learner is about to move (the page's "warm"), or at once, synchronously (a worker may), when
// the first part first calls into it.
const REST = new URL('../pkg/usnlab_rest.wasm', import.meta.url);
let first = null; // the first part's imports and exports, which the rest links to
let rest = null; // the rest: a compiled module, or the promise of one while it is fetched
let linked = false;

/** The glue's initSync on the first part, with the import it does not know: `split.load`. */
function init(module) {
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = function (m, imports) {
    const instance = new Instance(m, { ...imports, split: { load: loadRest } });
    first = { imports, exports: instance.exports };
    return instance;
  };
  try { initSync({ module }); } finally { WebAssembly.Instance = Instance; }
}

/** An error that loses the lab: the call failed part way, so the page restarts the lab where it
 *  was (reported as a trap, below). */
const lost = (message) => Object.assign(new Error(message), { lost: true });

function link() {
  if (linked) return;
  try {
    new WebAssembly.Instance(rest, { ...first.imports, primary: first.exports });
  } catch (e) {
    rest = null; // a rest from another build than the first part's (a host mid-update)
    throw lost(`part of the simulator is from another version of the lab (${e.message}): reload the page`);
  }
  linked = true;
}

/** The first part's `split.load`: the rest is needed now. */
function loadRest() {
  if (!(rest instanceof WebAssembly.Module)) rest = download();
  link();
}

function download() {
  const x = new XMLHttpRequest();
  try {
    x.open('GET', REST, false);
    x.responseType = 'arraybuffer';
    x.send();
  } catch { /* no connection: status 0 */ }
  if (x.status !== 200) throw lost(`part of the simulator could not be downloaded (${x.status ? `HTTP ${x.status}` : 'no connection'})`);
  try {
    return new WebAssembly.Module(x.response);
  } catch (e) {
    throw lost(`part of the simulator could not be read (${e.message})`);
  }
}

/** The rest fetched in the background: a learner is about to move. */
function fetchRest() {
  if (rest) return;
  rest = fetch(REST).then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(r.status))))
    .then((b) => WebAssembly.compile(b))
    .then((m) => { if (!linked) { rest = m; link(); } })
    .catch(() => { if (!linked) rest = null; }); // tried again when the first part needs it
}

const reply = (id, value) => postMessage({ id, ok: true, value });
const fault = (id, e) => postMessage({
  id, ok: false,
  error: { message: e instanceof WebAssembly.RuntimeError ? `the simulator stopped on an internal error (${e.message})` : String(e && e.message || e), step: e && e.step, entry: e && e.entry, trap: e instanceof WebAssembly.RuntimeError || Boolean(e && e.lost) },
});

/** Runs the lab's current job a slice at a time, reporting progress, until done or cancelled. */
async function finish(id) {
  cancelled = false;
  for (;;) {
    const w = lab.work(SLICE_MS);
    if (w.progress.finished) return w.frame;
    postMessage({ id, progress: w.progress });
    await new Promise((r) => setTimeout(r, 0)); // lets a "cancel" message in
    if (cancelled) return lab.frame();
  }
}

const ops = {
  async open({ scenario, history, playhead, start }, id) {
    // A link with no history (an embed, a shared start) opens as a lesson does, with no replay
    // and so no call into the rest of the wasm (docs/building.md).
    if (history && !history.length) history = null;
    const next = history ? Lab.replaying(scenario, history, playhead ?? history.length) : new Lab(scenario);
    // The lab it replaces is freed here, not by the glue's finalizer at some later moment:
    // freeing may need the rest of the wasm.
    try { lab?.free(); } catch { /* a lab that cannot be freed is left */ }
    lab = next;
    let frame = history ? await finish(id) : lab.frame();
    if (start) { lab.playTo(start); frame = await finish(id); }
    return { lesson: lab.lesson(), frame, history: lab.history() };
  },
  look: ({ selected, page, log }) => lab.look(selected ?? undefined, page ?? 0, log ?? undefined),
  frame: () => lab.frame(),
  step: () => lab.step(),
  playTo: ({ step }, id) => { lab.playTo(step); return finish(id); },
  act: ({ cmd }) => lab.act(cmd),
  answer: ({ choice }) => lab.answer(choice),
  seek: ({ n }) => lab.seek(n),
  switchModel: () => ({ frame: lab.switchModel(), scenario: lab.scenario() }),
  history: () => ({ history: lab.history(), scenario: lab.scenario(), firstAnswers: lab.firstAnswers() }),
  object: ({ server, dn }) => lab.object(server, dn),
  messages: ({ from, limit }) => lab.messages(from, limit),
  gap: ({ server }) => lab.gap(server),
  why: ({ server }) => lab.why(server),
  export: () => lab.export(),
};

onmessage = async (e) => {
  const { id, op, json } = e.data || {};
  if (op === 'cancel') { cancelled = true; return; }
  if (op === 'warm') { fetchRest(); return; } // a learner about to move (js/lab.js)
  try {
    const args = json === undefined ? e.data.args : JSON.parse(json);
    if (op === 'init') {
      init(args.module);
      return reply(id, true);
    }
    if (!ops[op]) throw new Error(`unknown operation "${op}"`);
    // A lab lost part way (the rest could not be had) is reopened by the page where it was.
    if (op !== 'open' && !lab) throw lost('it had no lab open');
    reply(id, await ops[op](args || {}, id));
  } catch (err) {
    if (err && err.lost) lab = null;
    fault(id, err);
  }
};
