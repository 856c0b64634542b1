// Splits the core's wasm in two (scripts/build-web.sh runs it last; docs/building.md, "The
// wasm in two parts"): the first part holds every function that opening a built-in lesson runs,
// and a first visit loads only it; the rest, every other function, is fetched by the worker as a
// learner reaches for a move, or at once when the first part first calls into it.
//
// Why: opening a lesson runs about half of the code (docs/performance.md); the rest (the rules
// that replicate, the tools, the workbench, challenges, every error message) need not be
// downloaded before the lesson is drawn, nor at all by a reader who only looks at it (an embed
// in someone's documentation). binaryen's own `wasm-split` does this, but npm's binaryen has
// only its library, so this script does it with that library:
//   1. Profile: a copy of the wasm with a call at the top of every function runs, in Node with
//      the wasm-bindgen glue, what the worker does to open each built-in lesson (open, look).
//      The functions that ran are the first part's.
//   2. Split: the rest is the same module with the first part's functions, globals, tables and
//      memory imported from it (no data: the first part's memory already holds it), its own
//      functions written into a new table, `split`. In the first part each of them becomes a
//      stub: if its slot in `split` is empty, call the import `split.load` (js/worker.js), then
//      call the slot. Both are optimized with the build's wasm-opt flags.
//   3. Check: every built-in lesson is played through, every question answered, then replayed
//      from its history, with a command, Back, the model switch, the export and the server
//      panels, with the whole wasm and with the two parts; the build fails unless both say
//      exactly the same.
//
// Usage: node scripts/split-wasm.mjs DIR [wasm-opt flags...]   (DIR is www/pkg: its usnlab.js
// and usnlab_bg.wasm, which becomes the first part; the rest is written to usnlab_rest.wasm)
import binaryen from 'binaryen';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const [dir, ...optFlags] = process.argv.slice(2);
const GLUE = pathToFileURL(resolve(dir, 'usnlab.js')).href;
const SCENARIOS = resolve(dir, '../scenarios');
const F = binaryen.Features; // what the build's wasm-opt flags enable (wasm-pack.toml)
const FEATURES = F.BulkMemory | F.BulkMemoryOpt | F.SignExt | F.NontrappingFPToInt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue;

const read = (bytes) => { const m = binaryen.readBinary(bytes); m.setFeatures(FEATURES); return m; };
const list = (m, count, at, info) => Array.from({ length: m[count]() }, (_, i) => [m[at](i), info(m[at](i))]);
const functions = (m) => list(m, 'getNumFunctions', 'getFunctionByIndex', binaryen.getFunctionInfo);
const globals = (m) => list(m, 'getNumGlobals', 'getGlobalByIndex', binaryen.getGlobalInfo).map(([, g]) => g);
const tables = (m) => list(m, 'getNumTables', 'getTableByIndex', binaryen.getTableInfo).map(([, t]) => t);
const exportsOf = (m) => list(m, 'getNumExports', 'getExportByIndex', binaryen.getExportInfo).map(([, e]) => e);
const defined = (m) => functions(m).filter(([, f]) => !f.module);

function optimize(m) {
  if (!m.validate()) throw new Error('split-wasm: a part is not valid wasm');
  const tmp = join(dir, '.split.tmp.wasm');
  writeFileSync(tmp, m.emitBinary());
  execFileSync('node_modules/.bin/wasm-opt', [...optFlags, tmp, '-o', tmp]);
  const out = readFileSync(tmp);
  rmSync(tmp);
  return out;
}

/** A fresh copy of the glue (its own module instance) on `bytes`, with more imports if given. */
let copies = 0;
async function lab(bytes, more = () => ({})) {
  const glue = await import(`${GLUE}?copy=${++copies}`);
  const Instance = WebAssembly.Instance;
  let linked = null;
  WebAssembly.Instance = function (module, imports) {
    linked = { imports, instance: new Instance(module, { ...imports, ...more(() => linked) }) };
    return linked.instance;
  };
  try { glue.initSync({ module: new WebAssembly.Module(bytes) }); } finally { WebAssembly.Instance = Instance; }
  return glue.Lab;
}

const lessons = () => JSON.parse(readFileSync(join(SCENARIOS, 'index.json'), 'utf8'))
  .map((l) => [l.id, JSON.parse(readFileSync(join(SCENARIOS, `${l.id}.json`), 'utf8'))]);

/** What the worker does to open each built-in lesson (js/worker.js `open`, then the page's
 *  `look`). The first part is 68.7 KB gzipped with the openings alone; with the first Step of
 *  bill-lee (which runs a whole replication cycle) it would be 82.9, with every lesson's first
 *  Step 83.7 (docs/performance.md): a learner's first move fetches the rest instead. */
function openings(Lab) {
  for (const [, scenario] of lessons()) {
    const lab = new Lab(scenario);
    lab.frame(); lab.lesson(); lab.history();
    lab.look(undefined, 0, undefined);
    lab.free(); // as js/worker.js frees a lab it replaces (the glue's finalizer would otherwise)
  }
}

/** Everything the check compares: each lesson played through (each question answered with its
 *  last choice), then replayed from its history as a link is, a command good and bad, Back, the
 *  model switch, the export and every server's panels, and a few scenarios that are wrong.
 *  Errors count as what was said. */
function playAll(Lab) {
  const said = [];
  const say = (f) => { try { said.push(JSON.stringify(f())); } catch (e) { said.push(`error: ${e.message}`); } };
  for (const [, scenario] of lessons()) {
    const lab = new Lab(scenario);
    say(() => [lab.lesson(), lab.frame()]);
    for (let i = 0; i < 1000; i++) {
      const moved = lab.step();
      said.push(JSON.stringify(moved));
      if (moved.outcome === 'finished') break;
      const q = moved.frame.question;
      if (moved.outcome === 'question') say(() => lab.answer(q.choices[q.choices.length - 1]));
    }
    say(() => [lab.history(), lab.firstAnswers(), lab.export(), lab.messages(0, 50)]);
    const history = lab.history();
    const replayed = Lab.replaying(scenario, history, history.length);
    say(() => { let w; do w = replayed.work(1000); while (!w.progress.finished); return w; });
    replayed.free();
    say(() => lab.act({ do: 'run' }));
    say(() => lab.act({ do: 'fly' }));
    for (const s of lab.frame().servers ?? []) {
      say(() => [lab.look(s.name, 0, s.name), lab.why(s.name), lab.gap(s.name)]);
    }
    say(() => lab.seek(1));
    say(() => [lab.switchModel(), lab.scenario()]);
    lab.free();
  }
  for (const wrong of [{}, { servers: 'A' }, { name: 'x', servers: [{ name: 'A' }], steps: [{ do: 'fly' }] }]) {
    say(() => new Lab(wrong));
  }
  return said;
}

/** The defined functions (by index among them) that opening each lesson runs. */
async function profile(bytes) {
  const m = read(bytes);
  m.addFunctionImport('split_ran', 'split', 'ran', binaryen.i32, binaryen.none);
  defined(m).forEach(([f, info], i) => {
    binaryen.Function.setBody(f, m.block(null, [m.call('split_ran', [m.i32.const(i)], binaryen.none), info.body], info.results));
  });
  const ran = new Set();
  openings(await lab(m.emitBinary(), () => ({ split: { ran: (i) => ran.add(i) } })));
  return ran;
}

/** The two parts: the first with stubs for the rest, and the rest. */
function split(bytes, ran) {
  const names = defined(read(bytes)).map(([, f]) => f.name);
  const rest = names.filter((_, i) => !ran.has(i));
  const inRest = new Set(rest);
  const slot = new Map(rest.map((n, i) => [n, i]));

  // The rest: its own functions in `split`; everything else imported from the first part.
  const r = read(bytes);
  for (const e of exportsOf(r)) r.removeExport(e.name);
  for (let i = r.getNumElementSegments() - 1; i >= 0; i--) r.removeElementSegment(binaryen.getElementSegmentInfo(r.getElementSegmentByIndex(i)).name);
  for (const [, f] of functions(r)) {
    if (f.module || inRest.has(f.name)) continue;
    r.removeFunction(f.name);
    r.addFunctionImport(f.name, 'primary', `f${f.name}`, f.params, f.results);
  }
  for (const g of globals(r)) { r.removeGlobal(g.name); r.addGlobalImport(g.name, 'primary', `g${g.name}`, g.type, g.mutable); }
  for (const t of tables(r)) r.addTableImport(t.name, 'primary', `t${t.name}`);
  const memory = r.getMemoryInfo();
  r.setMemory(memory.initial, -1, null, [], false, false, memory.name ?? '0'); // no data segments
  r.addMemoryImport(memory.name ?? '0', 'primary', 'memory');
  r.addTable('split', rest.length, rest.length);
  r.addTableImport('split', 'primary', 'split');
  r.addActiveElementSegment('split', 'rest', rest, r.i32.const(0));
  const restBytes = optimize(r);

  // What the rest still imports from the first part, after optimizing, is what it exports.
  const needs = new Set();
  const rr = read(restBytes);
  for (const [, f] of functions(rr)) if (f.module === 'primary') needs.add(f.base);
  for (const g of globals(rr)) if (g.module === 'primary') needs.add(g.base);
  for (const t of tables(rr)) if (t.module === 'primary') needs.add(t.base);

  const p = read(bytes);
  p.addFunctionImport('split_load', 'split', 'load', binaryen.none, binaryen.none);
  p.addTable('split', rest.length, rest.length);
  p.addTableExport('split', 'split');
  for (const [fn, f] of functions(p)) {
    if (!inRest.has(f.name)) continue;
    const at = p.i32.const(slot.get(f.name));
    const args = binaryen.expandType(f.params).map((type, i) => p.local.get(i, type));
    binaryen.Function.setBody(fn, p.block(null, [
      p.if(p.ref.is_null(p.table.get('split', at, binaryen.funcref)), p.call('split_load', [], binaryen.none)),
      p.call_indirect('split', p.i32.const(slot.get(f.name)), args, f.params, f.results),
    ], f.results));
  }
  const exported = new Set(exportsOf(p).map((e) => e.name));
  for (const [, f] of functions(p)) if (needs.has(`f${f.name}`)) p.addFunctionExport(f.name, `f${f.name}`);
  for (const g of globals(p)) if (needs.has(`g${g.name}`)) p.addGlobalExport(g.name, `g${g.name}`);
  for (const t of tables(p)) if (needs.has(`t${t.name}`) && !exported.has(`t${t.name}`)) p.addTableExport(t.name, `t${t.name}`);
  return { first: optimize(p), rest: restBytes, functions: [names.length - rest.length, rest.length] };
}

/** The two parts linked as js/worker.js links them. */
function linkRest(restBytes) {
  return (linked) => ({ split: { load: () => {
    const { imports, instance } = linked();
    new WebAssembly.Instance(new WebAssembly.Module(restBytes), { ...imports, primary: instance.exports });
  } } });
}

const whole = readFileSync(join(dir, 'usnlab_bg.wasm'));
if (WebAssembly.Module.imports(new WebAssembly.Module(whole)).some((i) => i.module === 'split')) {
  console.error(`split-wasm: ${dir}/usnlab_bg.wasm is already a first part: build it again (scripts/build-web.sh)`);
  process.exit(1);
}
const parts = split(whole, await profile(whole));
// The first part alone opens every lesson (the rest is not linked: a call into it would throw).
openings(await lab(parts.first, () => ({ split: { load: () => { throw new Error('split-wasm: opening a lesson needed the rest'); } } })));
const expected = playAll(await lab(whole));
const got = playAll(await lab(parts.first, linkRest(parts.rest)));
const differs = expected.findIndex((x, i) => x !== got[i]);
if (differs >= 0 || expected.length !== got.length) {
  console.error(`split-wasm: the two parts say something else than the whole wasm (item ${differs} of ${expected.length}):\n  ${String(expected[differs]).slice(0, 300)}\n  ${String(got[differs]).slice(0, 300)}`);
  process.exit(1);
}
writeFileSync(join(dir, 'usnlab_bg.wasm'), parts.first);
writeFileSync(join(dir, 'usnlab_rest.wasm'), parts.rest);
const kb = (b) => `${b.length} bytes, ${gzipSync(b, { level: 9 }).length} gzipped`;
console.log(`split ${dir}/usnlab_bg.wasm (${kb(whole)}): the first part ${parts.functions[0]} functions, ${kb(parts.first)}; ` +
  `the rest ${parts.functions[1]}, ${kb(parts.rest)}; checked on ${expected.length} answers`);

