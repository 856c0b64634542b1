// The first thing a lesson route starts, before anything else of the page has loaded: the lab's
// worker (which imports the glue), the wasm (compiled here, handed to the worker), the scenario
// and the modules the first frame draws, side by side. It imports nothing, so it runs one round
// trip after the page (index.html loads it beside app.js): a lesson is drawn after three
// sequential round trips, html -> this -> the worker (the glue bundled in), the wasm and the
// scenario side by side (docs/performance.md). The lesson list starts none of it.
/** The built-in lessons whose scenario has several sites (tests/e2e/map-sites.spec.mjs checks the
 *  list against www/scenarios/): on their route the map's other sites (index.html's
 *  template#sites-modules) load beside the scenario, not after it, so the lesson is still drawn
 *  after three round trips. Any other scenario with several sites loads them once it is read. */
const SEVERAL_SITES = /^(sandbox|sites(-chain|-routes|-together)?|challenge-connector-down)$/;
const boot = bootLab(new URLSearchParams(location.hash.slice(1)));

function bootLab(p) {
  if (!['lesson', 'v', 'sandbox', 'resume'].some((k) => p.has(k))) return null;
  // What a lesson's first frame draws, listed in index.html (its modules in www/, its bundles in
  // dist/: docs/building.md); js/lab.js loads the rest (classroom, tools, goal) when needed.
  document.head.append(document.importNode(document.getElementById('lesson-modules').content, true));
  const lesson = p.get('lesson') || (p.has('sandbox') ? 'sandbox' : null);
  const url = lesson && lessonUrl(lesson);
  if (SEVERAL_SITES.test(lesson)) document.head.append(document.importNode(document.getElementById('sites-modules').content, true));
  return {
    worker: new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }),
    module: WebAssembly.compileStreaming(fetch(new URL('../pkg/usnlab_bg.wasm', import.meta.url))),
    lesson,
    text: url ? fetch(url).then((r) => (r.ok ? r.text() : null)).catch(() => null) : null,
  };
}

/** A built-in scenario's address, or null for a name that is not one (shell.js's scenarioUrl
 *  says why in words). */
export function lessonUrl(id) {
  return /^[a-z0-9-]+$/.test(id) ? `scenarios/${id}.json` : null;
}

/** The boot's parts, once: a later route starts its own. */
export function takeBoot(id) {
  if (!boot || boot.taken) return null;
  boot.taken = true;
  return { worker: boot.worker, module: boot.module, text: id && id === boot.lesson ? boot.text : null };
}
