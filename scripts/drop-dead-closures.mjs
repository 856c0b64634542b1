// Drops from the wasm's function table the closure shims the lab never calls (scripts/build-web.sh
// runs it between wasm-bindgen and wasm-opt; docs/performance.md has the measure).
//
// Why: js-sys declares many imports that take Rust closures (`Array::for_each`, typed arrays'
// `every`, its futures' wakers). Each declaration's descriptor puts its closure's invoke shim in
// the function table; wasm-bindgen removes the descriptors but leaves the table entries, and
// wasm-opt must keep whatever a table holds (wasm-bindgen issue #2535, pull request #4681). The
// lab passes no closure to JavaScript, so those entries are dead: each is pointed at one function
// that traps, the table's indices unchanged, and wasm-opt then removes the shims.
//
// Usage: node scripts/drop-dead-closures.mjs module.wasm glue.js  (rewrites module.wasm; the
// module must carry its names: wasm-bindgen --keep-debug)
import binaryen from 'binaryen';
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, gluePath] = process.argv.slice(2);
// If the glue ever hands a Rust closure to JavaScript, it calls these shims through the table.
if (/closure/i.test(readFileSync(gluePath, 'utf8'))) {
  console.error(`${gluePath} passes Rust closures to JavaScript: their table entries are live, so this step must not run`);
  process.exit(1);
}
const DEAD = /^wasm_bindgen[^:]*::convert::closures::|^js_sys[^:]*::futures::/;

const m = binaryen.readBinary(readFileSync(wasmPath));
let dropped = 0;
const segments = [];
for (let i = 0; i < m.getNumElementSegments(); i++) segments.push(binaryen.getElementSegmentInfo(m.getElementSegmentByIndex(i)));
for (const seg of segments) {
  if (!seg.data.some((f) => DEAD.test(f))) continue;
  if (!m.getFunction('dead_closure')) m.addFunction('dead_closure', binaryen.none, binaryen.none, [], m.unreachable());
  const funcs = seg.data.map((f) => (DEAD.test(f) ? (dropped++, 'dead_closure') : f));
  const offset = binaryen.getExpressionInfo(seg.offset).value;
  m.removeElementSegment(seg.name);
  m.addActiveElementSegment(seg.table, seg.name, funcs, m.i32.const(offset));
}
if (!m.validate()) process.exit(1);
writeFileSync(wasmPath, m.emitBinary());
console.log(`${wasmPath}: ${dropped} dead closure shims out of the function table`);
