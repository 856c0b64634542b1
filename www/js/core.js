// The page's handle on the core: a Web Worker running the wasm (js/worker.js). Every call is a
// promise; a call still running after 300 ms shows progress and can be cancelled; a worker
// that traps or is cancelled mid-call is replaced, and the caller restores the lab from the
// last state it knew. docs/wasm-api.md is the contract.
const WASM = new URL('../pkg/usnlab_bg.wasm', import.meta.url);
let compiled = null;

/** Starts fetching and compiling the wasm at once (in parallel with the scenario and the page). */
export function preload() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM)).catch(preloadAgain);
  return compiled;
}

/** Without streaming compilation (a host that serves .wasm with another MIME type). */
function preloadAgain() {
  return fetch(WASM).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b));
}

export class Core {
  /** `boot` is what app.js started early: {worker, module}; a Core starts its own otherwise. */
  constructor({ onBusy, boot } = {}) {
    this.onBusy = onBusy || (() => {});
    this.seq = 0;
    this.calls = new Map();
    if (boot && boot.module) compiled ??= boot.module.catch(() => null).then((m) => m || preloadAgain());
    this.start(boot && boot.worker);
  }

  start(worker) {
    this.warmed = false;
    this.worker = worker || new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => this.crash(e.message || 'the lab\'s worker failed to start');
    this.ready = preload().then((module) => this.raw('init', { module }));
  }

  receive(m) {
    const c = this.calls.get(m.id);
    if (!c) return;
    if (m.progress) { c.progress = m.progress; this.busy(); return; }
    this.calls.delete(m.id);
    clearTimeout(c.timer);
    this.busy();
    if (m.ok) c.resolve(m.value);
    else c.reject(Object.assign(new Error(m.error.message), m.error));
  }

  raw(op, args) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const c = { op, resolve, reject, started: performance.now(), progress: null };
      c.timer = setTimeout(() => { c.slow = true; this.busy(); }, 300);
      this.calls.set(id, c);
      try {
        // The arguments cross as JSON text (the compiled wasm excepted): the browser's structured
        // clone turns data nested a few thousand deep into null on the other side, a call never
        // answered, where JSON.stringify throws (the core refuses more than 127 levels anyway,
        // src/json.rs).
        this.worker.postMessage(op === 'init' ? { id, op, args } : { id, op, json: JSON.stringify(args) });
      } catch (e) {
        this.calls.delete(id);
        clearTimeout(c.timer);
        reject(new Error(e instanceof RangeError ? 'it nests lists and objects too deep to be read' : e.message));
      }
    });
  }

  async call(op, args) {
    await this.ready;
    return this.raw(op, args);
  }

  /** Tells the page what is running long: {op, progress, since} or null. */
  busy() {
    const slow = [...this.calls.values()].find((c) => c.slow);
    this.onBusy(slow ? { op: slow.op, progress: slow.progress, since: slow.started } : null);
  }

  /** Has the worker fetch the rest of the wasm ahead of a learner's first move, once. */
  warm() {
    if (this.warmed) return;
    this.warmed = true;
    this.ready.then(() => this.worker.postMessage({ op: 'warm' }), () => {});
  }

  /** Cancels the long call: a sliced job stops where it is; any other call loses the worker. */
  cancel() {
    const c = [...this.calls.values()].find((x) => x.slow);
    if (!c) return;
    if (c.progress) { this.worker.postMessage({ op: 'cancel' }); return; }
    this.crash('cancelled');
  }

  /** Replaces the worker; every call in flight fails with `reason`. */
  crash(reason) {
    this.worker.terminate();
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const c of calls) { clearTimeout(c.timer); c.reject(Object.assign(new Error(reason), { lost: true })); }
    this.busy();
    this.start();
  }

  close() {
    this.worker.terminate();
  }
}
