// dist/index.html from www/index.html and esbuild's metafile (scripts/build-dist.sh): the module
// tags that name www/'s files name the bundles that hold them instead.
//   node scripts/lib/dist-html.mjs META.json SRC_DIR OUT_DIR
// - The page's module scripts: each becomes the bundle built from it as an entry point, or goes
//   when another script's bundle already holds it (boot.js is inside app.js's imports).
// - The page's modulepreload links: every bundle those scripts import statically, at any depth,
//   so all load one round trip after the page (a browser fetches a module's imports only once it
//   has it: docs/performance.md counts round trips).
// - template#lesson-modules (what boot.js adds on a lesson route): the bundles holding its
//   modules and their static imports, less what the page already loads.
// Its comments are dropped. Fails, and so fails the build, if a tag names a module no bundle
// holds or a file not built.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [metaFile, src, out] = process.argv.slice(2);
const { outputs } = JSON.parse(readFileSync(metaFile, 'utf8'));
// esbuild names files from the working directory; the page names them from its own folder.
const rel = (p, dir) => p.slice(dir.length + 1);
const bundles = Object.entries(outputs).filter(([p]) => p.endsWith('.js')).map(([p, o]) => ({
  path: rel(p, out),
  entry: o.entryPoint && rel(o.entryPoint, src),
  inputs: Object.keys(o.inputs).map((i) => rel(i, src)),
  imports: o.imports.filter((i) => i.kind === 'import-statement').map((i) => rel(i.path, out)),
}));
const byPath = new Map(bundles.map((b) => [b.path, b]));

function holder(module) {
  const b = bundles.find((x) => x.inputs.includes(module));
  if (!b) throw new Error(`dist-html: index.html names ${module}, which no bundle holds`);
  return b;
}
/** `paths` and every bundle they import statically, at any depth, in load order. */
function closure(paths, seen = new Set()) {
  for (const p of paths) if (!seen.has(p)) { seen.add(p); closure(byPath.get(p).imports, seen); }
  return seen;
}

const html = readFileSync(`${src}/index.html`, 'utf8');
const [head, template, rest] = split(html);
const tag = /^[ \t]*<(?:script type="module" src|link rel="modulepreload" href)="([^"]+)">(?:<\/script>)?\n/gm;
const named = (text) => [...text.matchAll(tag)].map((m) => ({ module: m[1], script: m[0].includes('<script') }));

const held = named(head).filter((t) => t.script).map((t) => ({ module: t.module, bundle: holder(t.module) }));
const scripts = held.filter((h) => h.bundle.entry === h.module).map((h) => h.bundle.path);
for (const h of held) {
  if (!closure(scripts).has(h.bundle.path)) throw new Error(`dist-html: no script loads ${h.module}`);
}
const page = closure([...scripts, ...named(head).map((t) => holder(t.module).path)]);
const lesson = [...closure(named(template).map((t) => holder(t.module).path))].filter((p) => !page.has(p));

const indent = head.match(tag)[0].match(/^[ \t]*/)[0];
const link = (p, pad) => `${pad}<link rel="modulepreload" href="${p}">\n`;
const pageTags = [...page].filter((p) => !scripts.includes(p)).map((p) => link(p, indent)).join('')
  + scripts.map((p) => `${indent}<script type="module" src="${p}"></script>\n`).join('');
let first = true;
const newHead = head.replace(tag, () => (first ? ((first = false), pageTags) : ''));
const pad = template.match(tag)[0].match(/^[ \t]*/)[0];
const newTemplate = template.replace(tag, '').replace(/\n(?=[ \t]*<\/template>)/, `\n${lesson.map((p) => link(p, pad)).join('')}`);
// Its comments are for readers of www/: 232 bytes gzipped on every first visit.
const built = (newHead + newTemplate + rest).replace(/[ \t]*<!--[\s\S]*?-->\n/g, '');
for (const [, file] of built.matchAll(/(?:src|href)="([^"#:]+)"/g)) {
  if (!existsSync(`${out}/${file}`)) throw new Error(`dist-html: index.html names ${file}, which is not in the build`);
}
writeFileSync(`${out}/index.html`, built);
console.log(`index.html: scripts ${scripts.join(' ')}; preloaded ${page.size - scripts.length}; on a lesson route ${lesson.join(' ')}`);

/** The page before the lesson template, the template, and the rest. */
function split(text) {
  const m = text.match(/[ \t]*<template id="lesson-modules">[\s\S]*?<\/template>\n/);
  if (!m) throw new Error('dist-html: index.html has no template#lesson-modules');
  return [text.slice(0, m.index), m[0], text.slice(m.index + m[0].length)];
}
