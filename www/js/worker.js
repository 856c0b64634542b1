// The lab's own thread: the wasm core lives here, so no scenario, link or long run can freeze
// the page. The page sends {id, op, json} (the arguments as JSON text; {id, op: "init", args}
// with the compiled wasm); each answer is {id, ok, value} or {id, ok: false,
// error: {message, step, entry}}; long jobs also send {id, progress: {done, total}} between
// slices and stop early on {op: "cancel"}. docs/wasm-api.md lists the ops.
// initSync, not the glue's async default: the page always sends a compiled WebAssembly.Module
// (js/core.js), so the glue's fetch and streaming code stays out of the bundle.
import { initSync, Lab } from '../pkg/usnlab.js';

let lab = null;
let cancelled = false;
const SLICE_MS = 40;

const reply = (id, value) => postMessage({ id, ok: true, value });
const fault = (id, e) => postMessage({
  id, ok: false,
  error: { message: e instanceof WebAssembly.RuntimeError ? `the simulator stopped on an internal error (${e.message})` : String(e && e.message || e), step: e && e.step, entry: e && e.entry, trap: e instanceof WebAssembly.RuntimeError },
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
    lab = history ? Lab.replaying(scenario, history, playhead ?? history.length) : new Lab(scenario);
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
  try {
    const args = json === undefined ? e.data.args : JSON.parse(json);
    if (op === 'init') {
      initSync({ module: args.module });
      return reply(id, true);
    }
    if (!ops[op]) throw new Error(`unknown operation "${op}"`);
    if (op !== 'open' && !lab) throw new Error('no lab is open');
    reply(id, await ops[op](args || {}, id));
  } catch (err) {
    fault(id, err);
  }
};
