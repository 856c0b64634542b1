// A lab on screen. `S` is the lab's state, owned here and nowhere else: panels draw from it and
// call back through `go` (the learner's moves). Every rule (what replicates, which question is
// waiting, whether an answer is right) is the core's; the page renders its frames.
import { Core } from './core.js';
import { el, svg, $, put } from './dom.js';
import { state as progress, saveProgress, notify, announce, scenarioText } from './shell.js';
import { drawTopology, useSites } from './topology.js';
import { drawTimeline } from './timeline.js';
import * as controls from './panels/controls.js';
import * as story from './panels/story.js';
import * as detail from './panels/detail.js';
import * as log from './panels/log.js';

// Modules a lesson's first frame does not draw load when first needed, so the first visit
// downloads less (docs/performance.md): classroom.js (links, embeds, presenter, follower) when
// a link or a key asks for it, the tools and workbench when their panel is first opened, a
// challenge's goal panel when the scenario has a goal (these three with their own stylesheets),
// the keys and raw-properties dialogs when first opened, and the progress bar when a call first
// runs long. Each is kept once loaded. What only a map of several sites draws (connectors,
// DRCs, MTA queues, mail routes) loads the first time a scenario or a frame has more than one
// site, with its own stylesheet (`sitesReady`).
let room = null;
let tools = null;
let goal = null;
const classroom = () => withSheet(import('./classroom.js'), 'css/classroom.css').then((m) => (room = m));
const loadTools = () => withSheet(import('./panels/tools.js'), 'css/tools.css').then((m) => (tools = m));
const dialogs = () => import('./panels/dialogs.js');
const keysHelp = (S) => dialogs().then((m) => m.keysHelp(S));
let progressBar = null;
/** A call running past 300 ms (`b`; null when none is) shows the progress bar, whose module loads
 *  the first time one does (then draws the latest state); once loaded, it is shown and hidden at
 *  once, as each call starts and ends, before the lab draws what the call returned. */
function showBusy(S, b, go) {
  S.longCall = b;
  if (progressBar) progressBar.busy(S, b, go);
  else if (b) import('./panels/progress.js').then((m) => { progressBar = m; m.busy(S, S.longCall, go); });
}
/** A lazy panel's module once its stylesheet (css/, beside css/lab.css) has loaded too, so it is
 *  never drawn without its look (a sheet that fails to load leaves it plain). Each sheet is
 *  added once. */
const sheets = new Map();
function withSheet(module, href) {
  if (!sheets.has(href)) {
    sheets.set(href, new Promise((done) => document.head.append(el('link', { rel: 'stylesheet', href, onload: done, onerror: done }))));
  }
  return Promise.all([module, sheets.get(href)]).then(([m]) => m);
}
let sitesLoad = null, sitesLoaded = false;
/** Null when the map can draw `view` (a frame, or a scenario about to be opened) now: it has one
 *  site, or js/topology-sites.js and css/sites.css have loaded. Else the promise of both, loaded
 *  once (again after a failure): a frame with several sites is drawn once it has resolved, so
 *  the map is never drawn without them. */
function sitesReady(view) {
  if (sitesLoaded || (view.sites || []).length < 2) return null;
  return (sitesLoad ||= withSheet(import('./topology-sites.js'), 'css/sites.css').then((m) => {
    useSites(m);
    sitesLoaded = true;
  }, (e) => { sitesLoad = null; throw e; }));
}
/** An embed, presenter mode or a follower needs classroom.js from the start. */
const needsRoom = (o) => !!(o.present || o.panels || o.embed || o.follow);

/** Opens a lab in `main`: a built-in `id`, a scenario `text`, a link's `history`, or a saved `resume`. */
export async function open(main, what) {
  const S = {
    main, opts: what.options || {}, id: null, title: '', scenario: null, lesson: null, frame: null,
    look: { selected: null, page: 0, log: null }, proof: {}, pinned: false, motion: null, drawn: null, playing: null, speed: 1000, why: null, link: null,
    el: null, ctl: null, saveTimer: null, queue: Promise.resolve(), closed: false, longCall: null,
  };
  // The progress bar is on screen before the lab is: opening a long link or a late `start` is work.
  S.el = { progress: el('div', { class: 'progress', role: 'status', hidden: true }) };
  put(main, el('p', { class: 'loading' }, 'Loading the lab…'), S.el.progress);
  S.core = new Core({ boot: what.boot, onBusy: (b) => showBusy(S, b, go) });
  const go = moves(S);
  S.go = go;
  const roomReady = room || needsRoom(S.opts) ? classroom() : null;
  try {
    await start(S, what);
    await sitesReady(S.frame); // loading since the scenario was read, when it has several sites
  } catch (e) {
    S.core.close();
    throw e;
  }
  build(S, go);
  render(S, go);
  if (roomReady) (await roomReady).setup(S, go);
  if (S.opts.autoplay) go.play();
  // A learner about to move: the rest of the wasm starts downloading as the pointer reaches the
  // controls, a question or the tools, or at a key (docs/building.md); a reader who only looks
  // at the lesson never downloads it.
  const warm = (e) => {
    if (e.type === 'pointerover' && !e.target.closest('.controls, .question, .tools')) return;
    S.core.warm();
    main.removeEventListener('pointerover', warm);
    main.removeEventListener('focusin', warm);
  };
  main.addEventListener('pointerover', warm);
  main.addEventListener('focusin', warm);
  const keys = (e) => { S.core.warm(); onKey(S, go, e); };
  document.addEventListener('keydown', keys);
  const flush = () => persist(S, true);
  window.addEventListener('pagehide', flush);
  window.__usnlabReady = true;
  return () => {
    S.closed = true;
    go.stop();
    persist(S, true);
    if (room) room.close(S);
    document.removeEventListener('keydown', keys);
    if (S.mapResize) S.mapResize.disconnect();
    window.removeEventListener('pagehide', flush);
    S.core.close();
  };
}

function parse(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}`);
  }
}

async function start(S, what) {
  const r = what.resume;
  S.id = r ? r.id || null : what.id || null;
  const text = r ? r.scenario : what.text ?? (what.boot && (await what.boot.text)) ?? (await scenarioText(what.id));
  S.scenario = parse(text, r ? 'Your saved lab' : 'This scenario');
  const history = r ? r.history : what.history;
  // A challenge's goal panel, and the map's other sites, load while the core opens the scenario
  // (a failed load of the sites is tried again before the first frame is drawn).
  sitesReady(S.scenario)?.catch(() => {});
  const goalReady = S.scenario.goal ? withSheet(import('./panels/goal.js'), 'css/goal.css').then((m) => (goal = m)) : null;
  try {
    const opened = await S.core.call('open', { scenario: S.scenario, history, playhead: r ? r.playhead : what.playhead, start: S.opts.start });
    if (goalReady) await goalReady;
    S.lesson = opened.lesson;
    S.frame = opened.frame;
    S.saved = { history: opened.history, playhead: opened.frame.playhead };
  } catch (e) {
    // The simulator stopped (part of it could not be downloaded, docs/building.md): the
    // saved lab or the link is not at fault, so nothing is cleared.
    if (e.trap) throw new Error(`The lab could not be opened: ${e.message}. Nothing was lost: reload the page to try again.`);
    if (r) {
      progress.current = null;
      saveProgress();
      throw new Error(`Your saved lab could not be restored: ${e.message}. It was cleared; the lessons are below.`);
    }
    if (history) throw new Error(`This link could not be replayed: ${e.message}. Here are the lessons instead.`);
    throw e;
  }
  S.title = (r && r.title) || what.title || S.lesson.title;
}

/** The learner's moves. Calls go to the worker one at a time, in order. */
function moves(S) {
  // `data-pending` counts the calls not yet drawn, so tests (and anyone) can wait for a settled screen.
  let pending = 0;
  const mark = (d) => { pending += d; S.main.dataset.pending = String(pending); };
  const run = (op, args, then) => {
    mark(1);
    S.queue = S.queue.then(async () => {
      try {
        if (S.closed) return;
        const t0 = performance.now();
        const value = await S.core.call(op, args);
        performance.measure('usnlab:core', { start: t0, end: performance.now() });
        if (!S.closed) await then(value);
        await S.waiting; // a frame drawn once the map's other sites have loaded (render)
      } catch (e) {
        await recover(S, e);
      } finally {
        mark(-1);
      }
    });
    return S.queue;
  };
  const changed = (frame, text, action) => {
    remember(S, action, frame);
    S.frame = frame;
    S.why = null;
    if (!S.opts.follow) clearNotice(); // a warning does not outlive the next move that worked
    if (text) announce(text);
    render(S, go);
    persist(S, false);
    if (room) room.broadcast(S);
  };
  const go = {
    step: () => run('step', {}, async (m) => {
      if (m.outcome === 'moved') remember(S, { kind: 'advance' }, m.frame);
      noteProof(S, m);
      m.frame = await follow(S, m);
      S.motion = { ms: motionMs(S) };
      if (m.outcome === 'question') {
        go.stop();
        changed(m.frame, 'Answer the question first.');
        const first = $('.question button', S.main);
        if (first) first.focus();
      } else if (m.outcome === 'finished') {
        go.stop();
        changed(m.frame, 'All quiet: nothing left to replicate.');
        finished(S);
      } else changed(m.frame, m.report && m.report.text);
    }),
    /** Steps until a mail message is processed (between sites one `run` is hundreds of steps):
     *  one job, drawn once at the end; a question or the lesson's end stops it. */
    nextMail: () => { go.stop(); return run('step', {}, async (first) => {
      let m = first;
      noteProof(S, m); // the first event may be the mail that proves a verdict
      for (let i = 0; i < 5000 && m.outcome === 'moved' && !(m.report && m.report.message && m.report.message.kind === 'mail'); i++) {
        m = await S.core.call('step', {});
        noteProof(S, m);
      }
      m.frame = await follow(S, m);
      S.motion = { ms: Math.max(motionMs(S), 900) };
      if (m.outcome === 'question') changed(m.frame, 'Answer the question first.');
      else if (m.outcome === 'finished') { changed(m.frame, 'All quiet: nothing left to replicate.'); finished(S); }
      else changed(m.frame, m.report && m.report.text);
    }); },
    /** Runs the scenario step under way, or the next one, to its end (a `run` can be hundreds
     *  of events), where its question's verdict shows; an unanswered question stops it first. */
    finishStep: () => {
      const sc = S.frame.script;
      if (sc.done) return go.step();
      const n = (sc.running ?? sc.cursor) + 1;
      go.stop();
      return run('playTo', { step: n }, (f) => {
        S.motion = { ms: 0 };
        changed(f, f.question && f.question.chosen == null ? 'Answer the question first.' : `Step ${n} has run to its end.`);
      });
    },
    back: () => go.seek(S.frame.playhead - 1),
    seek: (n) => { go.stop(); return run('seek', { n: Math.max(0, Math.min(n, S.frame.history_length)) }, (f) => { S.motion = { ms: 0 }; changed(f, `Back to action ${f.playhead} of ${f.history_length}.`); }); },
    act: (cmd) => { go.stop(); const was = S.frame; return run('act', { cmd }, async (m) => {
      m.frame = await follow(S, m);
      S.motion = { ms: motionMs(S) };
      changed(m.frame, m.report.text, { kind: 'act', cmd });
      if (m.report.refused) notify(`Refused by ${m.report.refused.server}: ${m.report.refused.error}. ${m.report.refused.text}`);
      else branched(was, m.frame, true);
    }); },
    answer: (choice) => { const was = S.frame; const step = was.question && was.question.step; return run('answer', { choice }, (f) => { changed(f, `You chose ${choice}. Step to see what happens.`, { kind: 'answer', step, choice }); branched(was, f); }); },
    look: (change) => { Object.assign(S.look, change); return run('look', S.look, (f) => { S.frame = f; render(S, go); }); },
    switchModel: () => { go.stop(); return run('switchModel', {}, (m) => {
      S.scenario = m.scenario;
      changed(m.frame, `Now playing under ${m.frame.model === 'active_directory' ? 'Active Directory' : 'Exchange 5.5'} rules.`);
    }); },
    why: (server) => run('why', { server }, (lines) => { S.why = lines; render(S, go); }),
    gap: (server) => run('gap', { server }, (g) => { S.why = [g.text]; render(S, go); }),
    object: (server, dn) => run('object', { server, dn }, async (o) => (await dialogs()).raw(S, server, o)),
    history: () => S.core.call('history', {}),
    export: () => run('export', {}, async (sc) => (await loadTools()).download(S, sc)),
    play: () => {
      if (S.playing) return go.stop();
      const tick = async () => {
        await go.step();
        if (!S.playing) return;
        if (S.frame.script.done && S.frame.quiet) return go.stop();
        S.playing = setTimeout(tick, S.speed);
      };
      S.playing = setTimeout(tick, 0);
      controls.render(S);
    },
    stop: () => {
      if (S.playing) clearTimeout(S.playing);
      S.playing = null;
      if (S.ctl) controls.render(S);
    },
    faster: (dir) => announce(`Speed ${controls.faster(S, dir)}×`),
    pin: () => { S.pinned = !S.pinned; announce(S.pinned ? `Pinned to ${S.look.selected || S.frame.selected.name}.` : 'The detail follows each step.'); render(S, go); },
    cancel: () => S.core.cancel(),
    rerender: () => render(S, go),
  };
  return go;
}

/** The message a question's step names as its proof (`reveal`, docs/scenarios.md) has just
 *  been processed: the verdict shows from this point of the history on, with that message. */
function noteProof(S, m) {
  const k = m.frame && m.frame.script.running, msg = m.report && m.report.message;
  const want = k !== null && k !== undefined && S.lesson.steps[k] && S.lesson.steps[k].reveal;
  if (!want || !msg || !Object.entries(want).every(([key, v]) => msg[key] === v)) return;
  const had = S.proof[k];
  if (!had || had.at > m.frame.playhead) S.proof[k] = { at: m.frame.playhead, index: msg.index, text: msg.text };
}

/** How long a step's motion takes: most of the pause between steps at the chosen speed. */
function motionMs(S) {
  return Math.round(Math.min(1200, S.speed * 0.75));
}

/** The server a step acted on: the receiver of its message, else the first it wrote on. */
function actedOn(r) {
  if (!r) return null;
  if (r.message) return r.message.to;
  if (r.written && r.written.length) return r.written[0].server;
  if (r.refused) return r.refused.server;
  return r.events && r.events.length ? r.events[0].server : null;
}

/** The detail panel follows the server the step acted on (or the one the next step points
 *  at), unless the learner pinned one: one more `look` before the step is drawn. */
async function follow(S, m) {
  if (S.pinned || !m.frame) return m.frame;
  const sc = m.frame.script, st = S.lesson.steps[sc.running ?? sc.cursor - 1];
  const want = (st && st.focus && st.focus.servers && st.focus.servers[0]) || actedOn(m.report);
  if (!want || !m.frame.servers.some((s) => s.name === want) || (m.frame.selected && m.frame.selected.name === want)) return m.frame;
  S.look.selected = want;
  S.look.page = 0;
  return S.core.call('look', S.look);
}

/** A new move of the learner's in the middle of the history replaces what came after it:
 *  said on screen, since Forward can no longer replay the old future. */
function branched(was, f, always) {
  const dropped = was.history_length - was.playhead;
  if (dropped > 0 && (always || f.history_length < was.history_length)) {
    notify(`A new branch: your move replaced the ${dropped} later action${dropped > 1 ? 's' : ''} of the old history. Forward now follows the new one.`);
  }
}

function clearNotice() {
  const n = $('#notice');
  if (n && !n.hidden && !n.querySelector('button[data-keep]')) n.hidden = true;
}

/** A call failed: say so; if the worker was lost (a trap, or a cancelled long call), rebuild
 *  the lab from the last state the page knew, so nothing the learner made is lost. */
async function recover(S, e) {
  notify(e.lost ? (e.message === 'cancelled' ? 'Cancelled. The lab is back where it was before.' : `The simulator stopped (${e.message}); the lab was restarted where it was.`) : e.message);
  if (!e.lost && !e.trap) return;
  if (e.trap) S.core.crash('restarting after an internal error');
  const saved = S.saved;
  try {
    const opened = await S.core.call('open', { scenario: S.scenario, history: saved ? saved.history : [], playhead: saved ? saved.playhead : 0 });
    S.frame = opened.frame;
    await S.core.call('look', S.look).then((f) => { S.frame = f; });
  } catch (again) {
    notify(`The lab could not be restored: ${again.message}`);
  }
  if (!S.closed) render(S, S.go);
}

function finished(S) {
  if (S.id && S.frame.script.done && !progress.completed.includes(S.id)) {
    progress.completed.push(S.id);
    saveProgress();
  }
}

/** What the page knows of the history, kept in step with the core's frames (so a lab can be
 *  rebuilt after a cancelled call or a trap, and saved without asking the worker): an action the
 *  core recorded either moved the playhead along the history, or replaced what followed it. A
 *  frame that does not fit is resolved by asking the core. */
function remember(S, action, f) {
  const h = S.saved;
  if (!h) return;
  if (action && f.playhead !== h.playhead) {
    if (f.history_length === h.history.length && f.playhead === h.playhead + 1) h.playhead = f.playhead;
    else { h.history = [...h.history.slice(0, h.playhead), action]; h.playhead = f.playhead; }
  } else h.playhead = f.playhead;
  if (h.history.length !== f.history_length) {
    S.core.call('history', {}).then((x) => { S.saved = { history: x.history, playhead: S.frame.playhead }; }, () => {});
  }
}

/** Saves the lab in progress (debounced): its scenario, history and playhead. Embeds and
 *  followers never overwrite the learner's own lab. */
function persist(S, now) {
  const save = () => {
    S.saveTimer = null;
    if (S.opts.embed || S.opts.follow || !S.saved) return;
    progress.current = { id: S.id, title: S.title, scenario: JSON.stringify(S.scenario), history: S.saved.history, playhead: S.saved.playhead };
    saveProgress();
  };
  if (now) { clearTimeout(S.saveTimer); save(); } else if (!S.saveTimer) S.saveTimer = setTimeout(save, 800);
}

function onKey(S, go, e) {
  if (e.target.closest('input, select, textarea, dialog, summary') || e.altKey || e.ctrlKey || e.metaKey) return;
  S.keyAt = performance.now(); // `make bench` reads the "usnlab:key-to-frame" measure
  if (S.opts.follow && !S.takenOver) return room.followerKey(S, e);
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const choice = /^[1-9]$/.test(k) && $('.question .choices', S.main);
  if (document.body.classList.contains('blank') && k !== 'b' && k !== '.') document.body.classList.remove('blank');
  if (k === 'ArrowRight' || k === 'PageDown' || k === 'n') go.step();
  else if (k === 'ArrowLeft' || k === 'PageUp' || k === 'p') go.back();
  else if (k === ' ' || k === 'k') go.play();
  else if (k === 'Home') go.seek(0);
  else if (k === '+' || k === '=' || k === '-') go.faster(k === '-' ? -1 : 1);
  else if (k === 'b' || k === '.') blank(S);
  else if (k === 'l') classroom().then((m) => m.share(S, go));
  else if (k === 'f') classroom().then((m) => m.togglePresent(S));
  else if (k === 'w') classroom().then((m) => m.openFollower(S));
  else if (k === 'm') go.switchModel();
  else if (k === 'x' && S.frame.connectors.length) go.nextMail();
  else if (k === 'e') go.finishStep();
  else if (k === 't') S.el.tools.open = !S.el.tools.open;
  else if (k === '?') keysHelp(S);
  else if (choice) { const b = choice.querySelectorAll('button')[Number(k) - 1]; if (b && !b.disabled) b.click(); else return; }
  else return;
  e.preventDefault();
}

/** Blanks the screen or brings it back, at once (a key after it must find it as it left it), and
 *  tells a follower window if classroom.js has opened one. */
function blank(S) {
  const on = document.body.classList.toggle('blank');
  if (S.channel && !S.opts.follow) S.channel.postMessage({ blank: on });
}

function build(S, go) {
  put($('#where'), S.title);
  document.title = `${S.title}: USN Lab`;
  S.el = {
    controls: el('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Playback' }),
    progress: S.el.progress,
    story: el('aside', { class: 'story', 'aria-label': 'Lesson' }),
    topo: svg('svg', { class: 'topology', role: 'group' }),
    timeline: svg('svg', { class: 'timeline', role: 'group' }),
    detail: el('section', { class: 'detail', 'aria-label': 'Server detail' }),
    log: el('section', { class: 'log', 'aria-label': 'Application Log' }),
    tools: el('details', { class: 'tools', ontoggle: () => openTools(S, go) },
      el('summary', {}, 'Tools and workbench: change the directory, build the organization')),
    dialog: el('dialog', { class: 'raw', 'aria-label': 'Details' }),
    share: el('div', { class: 'share' }),
  };
  put(S.main,
    el('h1', { class: 'sr-only' }, S.title),
    S.el.controls, S.el.progress, S.el.share, goal && goal.build(S),
    el('div', { class: 'board' },
      S.el.story,
      el('div', { class: `stage${S.lesson.org && S.frame.sites.length > 2 ? ' wide-map' : ''}` },
        el('figure', { class: 'panel map', role: 'region', 'aria-labelledby': 'org-caption' }, el('figcaption', { id: 'org-caption' }, 'Organization'), S.el.topo),
        el('figure', { class: 'panel' }, el('figcaption', {}, 'Messages (time flows down)'), legend(), el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Messages, scrollable' }, S.el.timeline))),
      S.el.detail),
    S.el.log, S.el.tools, S.el.dialog);
  S.main.classList.add('in-lab');
  S.main.dataset.pending = S.main.dataset.pending || '0';
  controls.build(S, go, keysHelp, classroom);
  // The map and the diagram are drawn at their shown width (scaled in presenter mode): redraw
  // when a figure's width changes (not on every pixel of height).
  const widths = new WeakMap();
  S.mapResize = new ResizeObserver((entries) => {
    let changedWidth = false;
    for (const e of entries) {
      const w = Math.round(e.contentRect.width);
      if (Math.abs(w - (widths.get(e.target) || 0)) >= 8) { widths.set(e.target, w); changedWidth = true; }
    }
    if (changedWidth && S.frame && S.drawn) render(S, go);
  });
  S.mapResize.observe(S.el.topo.closest('figure'));
  S.mapResize.observe(S.el.timeline.closest('figure'));
}

/** The key to the diagram's colours, in words (colour is never the only cue). */
function legend() {
  return el('ul', { class: 'legend', 'aria-label': 'Message kinds' },
    [['notify', 'Notify'], ['request', 'Request'], ['response', 'Response'], ['write', 'Write (objects written)'], ['mail', 'Mail'], ['failed', 'Failed']]
      .map(([k, label]) => el('li', { class: `kind-${k}` }, el('span', { class: 'tag' }, label))));
}

/** The tools' forms are built the first time their panel opens (a click, or the T key). */
async function openTools(S, go) {
  if (!S.el.tools.open || S.el.mailboxes) return;
  await loadTools();
  if (S.el.mailboxes || S.closed) return;
  tools.build(S, go);
  tools.refresh(S);
}

/** The scenario step under way (or the last one run), as the lesson lists it. */
function currentStep(S) {
  const sc = S.frame.script;
  const i = sc.running ?? (sc.cursor > 0 ? sc.cursor - 1 : null);
  return i === null ? null : S.lesson.steps[i];
}

function drawMap(S, go) {
  const focus = S.focus || {};
  drawTopology(S.el.topo, { ...S.frame, org: S.lesson.org }, {
    selected: S.frame.selected && S.frame.selected.name, focus: focus.servers, motion: S.motion, previous: S.drawn,
    onSelect: (name) => go.look({ selected: name, page: 0 }),
  });
  return focus;
}

function panelsOf(S) {
  return { story: S.el.story, org: S.el.topo.closest('figure'), messages: S.el.timeline.closest('figure'), detail: S.el.detail, numberline: $('.numberline', S.el.detail), log: S.el.log };
}

function render(S, go) {
  if (!S.el || !S.el.controls) return;
  // The first frame with several sites loads js/topology-sites.js (a workbench's new site, a
  // link's history): the whole frame, the latest by then, is drawn once it has, so the map is
  // never drawn without them. `run` waits for it, so `data-pending` counts it.
  const wait = sitesReady(S.frame);
  if (wait) {
    S.waiting ||= wait.finally(() => { S.waiting = null; }).then(() => S.closed || render(S, go));
    return;
  }
  const f = S.frame;
  if (S.keyAt != null) {
    const start = S.keyAt;
    S.keyAt = null;
    requestAnimationFrame(() => performance.measure('usnlab:key-to-frame', { start, end: performance.now() }));
  }
  const t0 = performance.now();
  const st = currentStep(S);
  S.focus = (st && st.focus) || {};
  controls.render(S);
  story.render(S, go);
  if (goal) goal.render(S, go);
  const focus = drawMap(S, go);
  const proof = Object.values(S.proof).find((p) => p.at <= f.playhead && f.messages.some((m) => m.index === p.index));
  drawTimeline(S.el.timeline, f.servers.map((s) => s.name), f.messages, f.counts.messages, (n) => go.seek(n), S.motion, proof && proof.index);
  const scroller = S.el.timeline.parentElement;
  scroller.scrollTop = scroller.scrollHeight; // the newest message stays in view
  detail.render(S, go);
  log.render(S, go);
  if (S.el.mailboxes) tools.refresh(S); // the tools are built once their panel is opened
  for (const [name, node] of Object.entries(panelsOf(S))) if (node) node.classList.toggle('look-here', (focus.panels || []).includes(name));
  S.drawn = f;
  S.motion = null;
  performance.measure('usnlab:render', { start: t0, end: performance.now() });
}
