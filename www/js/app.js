// The page's entry: routes between the lesson list, a lesson and the sandbox, keeps progress,
// and reports problems in words. The replication itself is all in the wasm core (js/lab.js).
import { put, $ } from './dom.js';
import { state, loadProblem, ready, notify, fetchText } from './shell.js';
import { takeBoot } from './boot.js';

let closeLab = null;
/** Counts what has been put on the page, so a lesson list still loading does not replace a lab
 *  opened meanwhile (a file dropped at once). */
let shown = 0;

async function route() {
  if (closeLab) closeLab();
  closeLab = null;
  const hash = location.hash.slice(1);
  const params = new URLSearchParams(hash);
  const main = $('#main');
  try {
    if (params.has('v')) return await openLink(main, hash);
    if (params.has('lesson')) return await openLab(main, { id: params.get('lesson') });
    if (params.has('sandbox')) return await openLab(main, { id: 'sandbox' });
    if (params.has('resume') && state.current) return await openLab(main, { resume: state.current });
    await showLessons(main);
  } catch (e) {
    notify(`${e.message || e}`);
    await showLessons(main);
  }
}

/** A shared link or an embed: a scenario, a history and a playhead, with options. */
async function openLink(main, hash) {
  const { decode } = await import('./share.js');
  let link;
  try {
    link = await decode(hash);
  } catch (e) {
    throw new Error(`This link could not be opened: ${e.message}. Here are the lessons instead.`);
  }
  let text = link.text;
  if (link.src) text = await fetchText(sameHost(link.src));
  const opts = link.options;
  document.body.classList.toggle('embed', opts.embed);
  await openLab(main, { id: link.lesson, text, history: link.history, playhead: link.playhead, options: opts });
}

/** Scenario URLs must stay on this host: the lab never makes a request that leaves it. */
function sameHost(src) {
  const url = new URL(src, location.href);
  if (url.origin !== location.origin) throw new Error(`the scenario ${src} is on another host; the lab only loads scenarios from ${location.origin}`);
  return url.href;
}

async function openLab(main, what) {
  const { open } = await import('./lab.js');
  closeLab = await open(main, { ...what, boot: takeBoot(what.id) });
}

/** The list's entries (scenarios/index.json) and its code (js/list.js), loaded side by side: no
 *  round trip more than the entries alone, and a lesson's first visit downloads neither. Again
 *  after a failure. */
let listing = null;
function listParts() {
  return (listing ||= Promise.all([fetchText('scenarios/index.json'), import('./list.js')]).catch((e) => { listing = null; throw e; }));
}

async function showLessons(main) {
  put($('#where'), '');
  document.title = 'USN Lab: how a directory replicates';
  const mine = ++shown;
  const [list, { lessons }] = await listParts();
  if (mine !== shown) return;
  lessons(main, JSON.parse(list), openFile);
  window.__usnlabReady = true;
}

async function openFile(file) {
  if (!file) return;
  shown += 1;
  try {
    const text = await file.text();
    const { open } = await import('./lab.js');
    if (closeLab) closeLab();
    // A file with the learner's moves in it (an export) opens where it was left.
    let start;
    try {
      const doc = JSON.parse(text);
      if (Array.isArray(doc.steps) && doc.steps.some((st) => st && st.learner)) start = doc.steps.length;
    } catch { /* the lab says what is wrong with it */ }
    closeLab = await open($('#main'), { text, title: file.name, options: start ? { start } : {} });
  } catch (e) {
    notify(`${file.name}: ${e.message || e}`);
    await showLessons($('#main'));
  }
}

// A scenario file dropped anywhere on the page opens, in a lesson as on the list.
window.addEventListener('dragover', (e) => {
  if (![...(e.dataTransfer ? e.dataTransfer.types : [])].includes('Files')) return;
  e.preventDefault();
  document.body.classList.add('dropping');
});
window.addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.body.classList.remove('dropping'); });
window.addEventListener('drop', (e) => {
  const file = e.dataTransfer && e.dataTransfer.files[0];
  document.body.classList.remove('dropping');
  if (!file) return;
  e.preventDefault();
  openFile(file);
});

// The saved progress is read (and, when there is some, checked: js/saved.js) before the first
// route; on the list's route (no lab's key, as boot.js reads them) the list loads meanwhile.
const hash = new URLSearchParams(location.hash.slice(1));
if (!['lesson', 'v', 'sandbox', 'resume'].some((k) => hash.has(k))) listParts().catch(() => {});
ready.then(() => {
  window.addEventListener('hashchange', route);
  if (loadProblem) notify(loadProblem);
  route();
});
