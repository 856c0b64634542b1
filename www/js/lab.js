// A lab on screen: the wasm core's state rendered, and the learner's controls turned into
// commands. Nothing here decides what replicates; every number comes from the core.
import { init, Lab } from './core.js';
import { el, svg, put, $, clock } from './dom.js';
import { state as app, notify, saveProgress, scenarioText } from './app.js';
import { drawTopology } from './topology.js';
import { drawTimeline } from './timeline.js';

let wasmReady = null;
const SPEEDS = [['0.5', 2000], ['1', 1000], ['2', 500], ['5', 200], ['20', 50]];
const TABLE_PAGE = 50;

/** Opens a lab in `main`: a built-in `id`, a scenario `text`, or a saved `resume`. */
export async function open(main, what) {
  wasmReady ??= init();
  await wasmReady;
  const S = await start(what);
  S.main = main;
  S.opts = what.options || {};
  build(S);
  classroom(S);
  render(S);
  if (S.opts.start) playTo(S, S.opts.start);
  if (S.opts.autoplay) play(S);
  const keys = (e) => onKey(S, e);
  document.addEventListener('keydown', keys);
  const flush = () => persist(S, true);
  window.addEventListener('pagehide', flush);
  return () => {
    stop(S);
    persist(S, true);
    if (S.channel) S.channel.close();
    if (S.resize) S.resize.disconnect();
    document.removeEventListener('keydown', keys);
    window.removeEventListener('pagehide', flush);
  };
}

/** Plays every scenario step before step `n` (an embed's `start`), questions and all. */
function playTo(S, n) {
  for (let guard = 0; guard < 100000; guard++) {
    const sc = S.lab.view().script;
    if ((sc.cursor >= n && (sc.running === null || sc.running === undefined)) || sc.done) break;
    if (call(S, (l) => l.advance()) == null) break;
  }
  after(S);
}

/** Embeds, presenter mode and the follower window. */
function classroom(S) {
  const o = S.opts;
  document.documentElement.classList.toggle('present', !!o.present);
  if (o.panels) {
    for (const [name, node] of Object.entries(panelNodes(S))) node.hidden = !o.panels.includes(name);
  }
  if (o.embed && window.parent !== window) {
    // Tell the embedding page our height, so the <usn-lab> element sizes itself to its content.
    const send = () => window.parent.postMessage({ type: 'usn-lab:height', frame: o.frame, height: document.documentElement.scrollHeight }, '*');
    S.resize = new ResizeObserver(send);
    S.resize.observe(document.body);
    send();
  }
  if (o.follow) follow(S, o.follow);
}

function panelNodes(S) {
  return { story: S.el.story, org: S.el.topo.closest('figure'), messages: S.el.timeline.closest('figure'), detail: S.el.detail, log: S.el.log, tools: S.el.tools };
}

/** The presenter's window tells followers (same browser, no server) where it is after each change. */
function broadcast(S) {
  if (!S.channel || S.following) return;
  const history = call(S, (l) => l.history());
  if (history) S.channel.postMessage({ text: S.text, history, playhead: S.lab.playhead, answers: S.answers });
}

function presentWith(S, id) {
  S.channel ??= new BroadcastChannel(`usn-lab:${id}`);
  S.channelId = id;
  S.channel.onmessage = (e) => { if (e.data === 'hello') broadcast(S); };
  broadcast(S);
}

function follow(S, id) {
  S.following = true;
  S.channel = new BroadcastChannel(`usn-lab:${id}`);
  S.channel.onmessage = (e) => {
    const m = e.data;
    if (!m || typeof m.text !== 'string') return;
    try {
      if (m.text !== S.text) {
        S.lab = Lab.replay(m.text, m.history, m.playhead);
        S.text = m.text;
      } else {
        const mine = S.lab.history();
        const same = mine.length <= m.history.length && mine.every((a, i) => JSON.stringify(a) === JSON.stringify(m.history[i]));
        if (!same) S.lab = Lab.replay(m.text, m.history, m.playhead);
        else {
          S.lab.seek(mine.length);
          for (const a of m.history.slice(mine.length)) if (a.kind === 'advance') S.lab.advance(); else S.lab.act(a.cmd);
          S.lab.seek(m.playhead);
        }
      }
      S.answers = m.answers || {};
      after(S);
    } catch (err) {
      notify(`The follower window could not follow: ${err.message}`);
    }
  };
  S.channel.postMessage('hello');
}

async function start(what) {
  if (what.history) {
    const text = what.text ?? (await scenarioText(what.id));
    try {
      return session(Lab.replay(text, what.history, what.playhead), text, what.text ? null : what.id, what.title, {});
    } catch (e) {
      throw new Error(`This link could not be replayed: ${e.message}. Here are the lessons instead.`);
    }
  }
  if (what.resume) {
    const c = what.resume;
    try {
      const lab = Lab.replay(c.scenario, c.history, c.playhead);
      return session(lab, c.scenario, c.id || null, c.title, c.answers || {});
    } catch (e) {
      app.current = null;
      saveProgress();
      location.hash = '';
      throw new Error(`Your saved lab could not be restored: ${e.message}. It was cleared; the lessons are below.`);
    }
  }
  const text = what.text ?? (await scenarioText(what.id));
  const lab = new Lab(text);
  return session(lab, text, what.id || null, what.title, {});
}

function session(lab, text, id, title, answers) {
  const view = lab.view();
  const S = { lab, text, id, title: title || view.title, answers, view, selected: view.servers[0].name, playing: null,
    speed: 1000, page: 0, logServer: '', reveal: null, why: null, saveTimer: null };
  return S;
}

// ----- calls into the core, never letting an error take the page down -------------------------

function call(S, fn) {
  try {
    return fn(S.lab);
  } catch (e) {
    stop(S);
    notify(e instanceof WebAssembly.RuntimeError
      ? `The simulator hit an internal error (${e.message}). Your lab is saved; reload the page to continue.`
      : `${e.message || e}`);
    return undefined;
  }
}

function persist(S, now) {
  if (S.opts && (S.opts.embed || S.opts.follow)) return; // embeds and followers never overwrite the learner's own lab
  const save = () => {
    S.saveTimer = null;
    const history = call(S, (l) => l.history());
    if (!history) return;
    app.current = { id: S.id, title: S.title, scenario: S.text, history, playhead: S.lab.playhead, answers: S.answers };
    saveProgress();
  };
  if (now) { clearTimeout(S.saveTimer); save(); } else if (!S.saveTimer) S.saveTimer = setTimeout(save, 800);
}

// ----- moving --------------------------------------------------------------------------------

/** The scenario step about to run, if it asks a question not yet answered. */
function pendingQuestion(v) {
  const sc = v.script;
  if (sc.running !== null && sc.running !== undefined) return null;
  const step = sc.steps[sc.cursor];
  return step && step.question ? step : null;
}

function blocked(S) {
  const q = pendingQuestion(S.view);
  return q && !(q.index in S.answers) ? q : null;
}

function step(S) {
  if (blocked(S)) {
    stop(S);
    const first = $('.question button', S.main);
    if (first) first.focus();
    return false;
  }
  const r = call(S, (l) => l.advance());
  if (r === undefined) return false;
  if (r === null) {
    stop(S);
    finished(S);
    announce('All quiet: nothing left to replicate.');
  } else {
    announce(r.text);
  }
  S.why = null;
  after(S);
  return r !== null;
}

function finished(S) {
  if (S.id && S.view.script.done && !app.completed.includes(S.id)) {
    app.completed.push(S.id);
    saveProgress();
  }
}

function seek(S, n) {
  stop(S);
  if (call(S, (l) => { l.seek(Math.max(0, Math.min(n, l.historyLength))); return true; }) === undefined) return;
  S.why = null;
  after(S);
  announce(`Back to action ${S.lab.playhead} of ${S.lab.historyLength}.`);
}

function act(S, cmd) {
  stop(S);
  const r = call(S, (l) => l.act(cmd));
  if (!r) return;
  announce(r.text);
  if (r.refused) notify(`Refused by ${r.refused.server}: ${r.refused.error}. ${r.refused.text}`);
  after(S);
}

function after(S) {
  S.view = call(S, (l) => l.view()) || S.view;
  render(S);
  persist(S, false);
  broadcast(S);
}

function play(S) {
  if (S.playing) return stop(S);
  const tick = () => {
    if (!step(S)) return;
    S.playing = setTimeout(tick, S.speed);
    renderControls(S);
  };
  S.playing = setTimeout(tick, 0);
  renderControls(S);
}

function stop(S) {
  if (S.playing) clearTimeout(S.playing);
  S.playing = null;
  if (S.main) renderControls(S);
}

function announce(text) {
  put($('#live'), text);
}

/** Every control has a key; a presenter's remote sends Page Up, Page Down and B. */
export const KEYS = [
  ['Right, Page Down, N', 'Step one event'], ['Left, Page Up, P', 'Step back'], ['Home', 'Back to the start'],
  ['Space, K', 'Play or pause'], ['+ / -', 'Faster or slower'], ['B', 'Blank the screen (presenter remotes)'],
  ['L', 'Copy a link to this point'], ['F', 'Presenter mode (large type)'], ['W', 'Open a follower window'],
  ['M', 'Replay under the other model'], ['T', 'Open or close the tools'], ['1-9', 'Answer the question'], ['?', 'These keys'],
];

function onKey(S, e) {
  if (e.target.closest('input, select, textarea, dialog, summary') || e.altKey || e.ctrlKey || e.metaKey) return;
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const choice = /^[1-9]$/.test(k) && $('.question .choices', S.main);
  if (document.body.classList.contains('blank') && k !== 'b') document.body.classList.remove('blank');
  if (k === 'ArrowRight' || k === 'PageDown' || k === 'n') step(S);
  else if (k === 'ArrowLeft' || k === 'PageUp' || k === 'p') seek(S, S.lab.playhead - 1);
  else if (k === ' ' || k === 'k') play(S);
  else if (k === 'Home') seek(S, 0);
  else if (k === '+' || k === '=' || k === '-') faster(S, k === '-' ? -1 : 1);
  else if (k === 'b' || k === '.') document.body.classList.toggle('blank');
  else if (k === 'l') share(S);
  else if (k === 'f') togglePresent(S);
  else if (k === 'w') openFollower(S);
  else if (k === 'm') switchModel(S);
  else if (k === 't') S.el.tools.open = !S.el.tools.open;
  else if (k === '?') keysHelp(S);
  else if (choice) { const b = choice.querySelectorAll('button')[Number(k) - 1]; if (b && !b.disabled) b.click(); else return; }
  else return;
  e.preventDefault();
}

function faster(S, dir) {
  const i = SPEEDS.findIndex(([, ms]) => ms === S.speed);
  S.speed = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + dir))][1];
  if (S.ctl) S.ctl.speed.value = String(S.speed);
  announce(`Speed ${SPEEDS.find(([, ms]) => ms === S.speed)[0]}×`);
}

function keysHelp(S) {
  put(S.el.dialog, el('h2', {}, 'Keyboard'),
    el('table', {}, el('tbody', {}, KEYS.map(([k, what]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, what))))),
    el('form', { method: 'dialog' }, el('button', {}, 'Close')));
  S.el.dialog.showModal();
}

function togglePresent(S) {
  const on = document.documentElement.classList.toggle('present');
  if (on) presentWith(S, S.channelId || Math.random().toString(36).slice(2, 10));
  renderControls(S);
  announce(on ? 'Presenter mode: large type. Press W to open a follower window.' : 'Presenter mode off.');
}

function openFollower(S) {
  presentWith(S, S.channelId || Math.random().toString(36).slice(2, 10));
  const url = new URL(location.href);
  url.hash = `v=1&lesson=sandbox&follow=${S.channelId}`;
  const w = window.open(url.href, `usn-lab-follower-${S.channelId}`, 'popup,width=1280,height=800');
  announce(w ? 'A follower window opened; it follows every step here.' : 'The browser blocked the follower window; allow pop-ups for this page.');
}

/** Shows (and copies) a link that reproduces exactly what is on screen. */
async function share(S) {
  const { encode } = await import('./share.js');
  const history = call(S, (l) => l.history());
  if (!history) return;
  let builtinText = null;
  if (S.id) builtinText = await scenarioText(S.id).catch(() => null);
  const hash = await encode({ id: S.id, text: S.text, builtinText, history, playhead: S.lab.playhead });
  const url = new URL(location.href);
  url.hash = hash;
  S.link = url.href;
  try {
    await navigator.clipboard.writeText(S.link);
    announce('A link to this point was copied.');
  } catch {
    announce('Here is a link to this point; copy it from the box.');
  }
  renderShare(S);
}

function renderShare(S) {
  const box = el('div', { class: 'sharebox', role: 'status' },
    el('label', {}, 'Link to this point ', el('input', { class: 'mono', readonly: true, value: S.link, onfocus: (e) => e.target.select() })),
    ` ${S.link.length} characters`);
  S.el.share.replaceChildren(box);
  box.querySelector('input').focus();
}

// ----- the screen ----------------------------------------------------------------------------

function build(S) {
  put($('#where'), S.title);
  document.title = `${S.title}: USN Lab`;
  S.el = {
    controls: el('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Playback' }),
    story: el('aside', { class: 'story', 'aria-label': 'Lesson' }),
    topo: svg('svg', { class: 'topology', role: 'group' }),
    timeline: svg('svg', { class: 'timeline', role: 'group' }),
    detail: el('section', { class: 'detail', 'aria-label': 'Server detail' }),
    log: el('section', { class: 'log', 'aria-label': 'Application Log' }),
    tools: el('details', { class: 'tools' }),
    dialog: el('dialog', { class: 'raw', 'aria-label': 'Details' }),
    share: el('div', { class: 'share' }),
  };
  put(S.main,
    S.el.controls, S.el.share,
    el('div', { class: 'board' },
      S.el.story,
      el('div', { class: 'stage' },
        el('figure', { class: 'panel' }, el('figcaption', {}, 'Organization'), S.el.topo),
        el('figure', { class: 'panel' }, el('figcaption', {}, 'Messages (time flows down)'), legend(), el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Messages, scrollable' }, S.el.timeline))),
      S.el.detail),
    S.el.log, S.el.tools, S.el.dialog);
  S.main.classList.add('in-lab');
  buildControls(S);
  buildTools(S);
}

/** The key to the diagram's colours, in words (colour is never the only cue). */
function legend() {
  return el('ul', { class: 'legend', 'aria-label': 'Message kinds' },
    [['notify', 'Notify'], ['request', 'Request'], ['response', 'Response'], ['write', 'Write (objects written)'], ['mail', 'Mail'], ['failed', 'Failed']]
      .map(([k, label]) => el('li', { class: `kind-${k}` }, el('span', { class: 'tag' }, label))));
}

function render(S) {
  renderControls(S);
  renderStory(S);
  drawTopology(S.el.topo, S.view, S.selected, (name) => { S.selected = name; S.page = 0; S.why = null; render(S); });
  renderTimeline(S);
  renderDetail(S);
  renderLog(S);
  refreshToolOptions(S);
}

/** Builds the playback controls once; `renderControls` only updates them, so focus stays put. */
function buildControls(S) {
  const button = (label, title, onclick, attrs = {}) => el('button', { type: 'button', title, onclick, ...attrs }, label);
  const c = {
    restart: button('|◀ Restart', 'Back to the start (Home)', () => seek(S, 0)),
    back: button('◀ Back', 'Step back (Left, Page Up, B)', () => seek(S, S.lab.playhead - 1)),
    step: button('Step ▶', 'One event (Right, Page Down, N)', () => step(S), { class: 'primary' }),
    play: button('Play ▶▶', 'Play or pause (Space)', () => play(S)),
    speed: el('select', { onchange: (e) => { S.speed = Number(e.target.value); } },
      SPEEDS.map(([name, ms]) => el('option', { value: ms, selected: ms === S.speed }, `${name}×`))),
    history: el('input', { type: 'range', min: 0, oninput: (e) => seek(S, Number(e.target.value)) }),
    clock: el('span', { class: 'clock', title: 'Simulated time' }),
    status: el('span', { class: 'status' }),
    model: button('', 'Play the same actions under the other model (M)', () => switchModel(S)),
    share: button('Copy link', 'A link that reproduces this point (L)', () => share(S)),
    present: button('Present', 'Large type for a projector (F)', () => togglePresent(S)),
    follower: button('Follower window', 'A second window that follows this one (W)', () => openFollower(S)),
    keys: button('Keys', 'Keyboard shortcuts (?)', () => keysHelp(S)),
  };
  S.ctl = c;
  put(S.el.controls, c.restart, c.back, c.step, c.play, el('label', {}, 'Speed ', c.speed),
    el('label', { class: 'history' }, 'History ', c.history), c.clock, c.status, c.model, c.share, c.present, c.follower, c.keys);
}

function renderControls(S) {
  const v = S.view, lab = S.lab, c = S.ctl;
  if (!c) return;
  const pending = v.pending.length ? `${v.pending.length} queued` : v.quiet ? 'quiet' : 'waiting';
  c.back.disabled = lab.playhead === 0;
  c.play.textContent = S.playing ? 'Pause' : 'Play ▶▶';
  c.play.setAttribute('aria-pressed', S.playing ? 'true' : 'false');
  c.history.max = String(lab.historyLength);
  c.history.value = String(lab.playhead);
  c.history.setAttribute('aria-valuetext', `action ${lab.playhead} of ${lab.historyLength}`);
  c.clock.textContent = `Time ${clock(v.time_s)}`;
  c.status.textContent = `${lab.playhead}/${lab.historyLength} · ${pending}`;
  c.model.textContent = v.model === 'active_directory' ? 'Replay as Exchange 5.5' : 'Replay as Active Directory';
  c.present.setAttribute('aria-pressed', document.documentElement.classList.contains('present') ? 'true' : 'false');
  for (const b of [c.restart, c.back, c.step, c.play, c.share, c.model]) b.hidden = !!S.following && b !== c.share;
  for (const b of [c.present, c.follower]) b.hidden = !!(S.opts && S.opts.embed);
}

function renderStory(S) {
  const v = S.view, sc = v.script, parts = [];
  const total = sc.steps.length;
  const current = sc.running ?? (sc.cursor > 0 ? sc.cursor - 1 : null);
  parts.push(el('h2', {}, v.title));
  if (total === 0) parts.push(el('p', {}, v.summary || 'A sandbox: use the tools below to make changes, then step or play.'));
  if (current !== null && sc.steps[current]) {
    const st = sc.steps[current];
    parts.push(el('p', { class: 'stepno' }, `Step ${current + 1} of ${total}: ${st.text}`));
    if (st.narration) parts.push(el('p', { class: 'narration' }, st.narration));
  } else if (total) {
    parts.push(el('p', { class: 'narration' }, v.summary || ''), el('p', { class: 'hint' }, 'Press Step ▶ (or the Right arrow) to begin.'));
  }
  const q = pendingQuestion(v);
  if (q) parts.push(question(S, q));
  const revealed = [...Array(sc.cursor).keys()].reverse().find((i) => sc.steps[i].question && i !== sc.running && i in S.answers);
  if (revealed !== undefined && revealed >= (current ?? 0) - 1) parts.push(reveal(sc.steps[revealed], S.answers[revealed]));
  if (sc.done && v.quiet && total) parts.push(el('p', { class: 'done' }, 'This lesson is complete. ', el('a', { href: '#' }, 'Back to the lessons')));
  if (v.last) parts.push(lastStep(v.last));
  put(S.el.story, parts);
}

function question(S, q) {
  const chosen = S.answers[q.index];
  const box = el('div', { class: 'question', role: 'group', 'aria-label': 'Question' },
    el('p', { class: 'prompt' }, `Question: ${q.question.prompt}`),
    el('div', { class: 'choices' }, q.question.choices.map((c) => el('button', {
      type: 'button', 'aria-pressed': chosen === c ? 'true' : 'false', disabled: chosen !== undefined,
      onclick: () => { S.answers[q.index] = c; persist(S, false); render(S); announce(`You chose ${c}. Step to see what happens.`); },
    }, c))));
  if (chosen !== undefined) box.append(el('p', { class: 'hint' }, `You chose ${chosen}. Step to see what happens.`));
  else box.append(el('p', { class: 'hint' }, 'Answer to continue.'));
  return box;
}

function reveal(step, chosen) {
  const q = step.question, right = chosen === q.answer;
  return el('div', { class: `reveal ${right ? 'right' : 'wrong'}` },
    el('p', {}, el('strong', {}, right ? `✓ Right: ${q.answer}.` : `✗ You chose ${chosen}; the answer is ${q.answer}.`)),
    q.explain ? el('p', {}, q.explain) : null);
}

function lastStep(r) {
  const items = [el('p', { class: `last kind-${r.message && r.message.failed ? 'failed' : r.kind}` },
    el('span', { class: 'tag' }, r.kind), ` ${r.text}`)];
  if (r.discarded.length) {
    items.push(el('ul', { class: 'discards' }, r.discarded.slice(0, 8).map((d) =>
      el('li', {}, `Discarded on ${d.server}: ${d.dn.split('cn=').pop()} — ${d.reason}`))));
  }
  for (const e of r.events) items.push(el('p', { class: `event ${e.type}` }, `Event ${e.id} on ${e.server}: ${e.text}`));
  return el('div', { class: 'laststep', 'aria-label': 'What the last step did' }, items);
}

function renderTimeline(S) {
  const total = S.view.counts.messages;
  const page = call(S, (l) => l.messages(Math.max(0, total - 30), 30));
  if (page) drawTimeline(S.el.timeline, S.view.servers.map((s) => s.name), page.rows, total, (n) => seek(S, n));
}

function renderDetail(S) {
  const v = S.view, s = v.servers.find((x) => x.name === S.selected) || v.servers[0];
  S.selected = s.name;
  const tabs = el('div', { class: 'tabs', role: 'group', 'aria-label': 'Server' }, v.servers.map((x) =>
    el('button', { type: 'button', 'aria-pressed': x.name === s.name ? 'true' : 'false', onclick: () => { S.selected = x.name; S.page = 0; S.why = null; render(S); } }, x.name)));
  const objects = call(S, (l) => l.objects(s.name, S.page * TABLE_PAGE, TABLE_PAGE)) || { total: 0, rows: [] };
  const discarded = new Map((v.last ? v.last.discarded : []).filter((d) => d.server === s.name).map((d) => [d.dn, d.reason]));
  const hot = s.hot_potato && s.hot_potato.dn;
  const table = el('table', { class: 'objects' },
    el('caption', {}, `${s.name}'s directory (${objects.total} objects), highest USN-Changed first`),
    el('thead', {}, el('tr', {}, ['Object', 'Object-Version', 'USN-Created', 'USN-Changed', 'USN-Source', 'DSA-Signature'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, objects.rows.map((o) => {
      const isHot = o.dn === hot, why = discarded.get(o.dn);
      return el('tr', { class: `${isHot ? 'hot' : ''}${o.deleted ? ' deleted' : ''}${why ? ' discarded' : ''}` },
        el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', title: 'Raw properties', onclick: () => raw(S, s.name, o.dn) }, o.name),
          isHot ? el('span', { class: 'potato', title: 'Carries this server\'s highest USN' }, 'hot potato') : null,
          o.deleted ? el('span', { class: 'badge' }, ' deleted') : null,
          why ? el('span', { class: 'why' }, ` ✕ incoming copy discarded: ${why}`) : null),
        el('td', {}, o.object_version), el('td', {}, o.usn_created), el('td', {}, o.usn_changed), el('td', {}, o.usn_source),
        el('td', { class: 'mono', title: o.dsa_signature }, sig(o.dsa_signature, v)));
    })));
  const pager = objects.total > TABLE_PAGE ? el('p', { class: 'pager' },
    el('button', { type: 'button', disabled: S.page === 0, onclick: () => { S.page--; renderDetail(S); } }, '◀ Newer'),
    ` ${S.page * TABLE_PAGE + 1}–${Math.min(objects.total, (S.page + 1) * TABLE_PAGE)} of ${objects.total} `,
    el('button', { type: 'button', disabled: (S.page + 1) * TABLE_PAGE >= objects.total, onclick: () => { S.page++; renderDetail(S); } }, 'Older ▶')) : null;
  const reps = el('table', { class: 'reps' },
    el('caption', {}, 'Reps-From: where it pulls from, and how far it has got'),
    el('thead', {}, el('tr', {}, ['Partner', 'Naming context', 'Watermark (USN)', 'Flags', 'Replica Link viewer'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, s.reps_from.map((r) => el('tr', {},
      el('th', { scope: 'row' }, r.partner), el('td', {}, r.nc.split('/ou=').pop()), el('td', {}, r.usn),
      el('td', {}, flags(r.flags)), el('td', { class: 'mono' }, r.link)))));
  const repsTo = [...new Set(s.reps_to.map((r) => r.partner))];
  put(S.el.detail, tabs,
    el('h2', {}, `${s.name} `, el('span', { class: `pill state-${s.state}` }, s.state)),
    el('p', { class: 'facts' }, `Highest USN ${s.usn} · site ${s.site} · Invocation-ID `, el('span', { class: 'mono' }, s.invocation_id)),
    s.backsync ? el('p', { class: 'warn' }, `Backsync: waiting for ${s.backsync.waiting_on.join(', ') || 'no one'}; expires at ${clock(s.backsync.deadline_s)}.`) : null,
    el('p', {}, el('button', { type: 'button', onclick: () => { S.why = call(S, (l) => l.why(s.name)); renderDetail(S); } }, 'Why is this server stalled?'),
      ' ', el('button', { type: 'button', onclick: () => { S.why = [call(S, (l) => l.gap(s.name).text)]; renderDetail(S); } }, 'Measure the gap')),
    S.why ? el('div', { class: 'whybox', role: 'status' }, S.why.map((t) => el('p', {}, t))) : null,
    el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Directory, scrollable' }, table), pager,
    el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Reps-From, scrollable' }, reps),
    el('p', { class: 'facts' }, `Reps-To (notified after a change): ${repsTo.join(', ') || 'none'}`));
}

function sig(id, v) {
  const owner = v.servers.find((s) => s.invocation_id === id);
  return `${id.slice(0, 8)}…${owner ? ` (${owner.name})` : ''}`;
}

function flags(f) {
  const names = [[0x10, 'Writeable'], [0x20, 'Init'], [0x40, 'Periodic'], [0x80, 'Mail']].filter(([b]) => f & b).map(([, n]) => n);
  return `${f} (${names.join(', ')})`;
}

function raw(S, server, dn) {
  const o = call(S, (l) => l.object(server, dn));
  if (!o) return;
  const rows = [['DN', o.dn], ['Object-Version', o.object_version], ['USN-Created', o.usn_created], ['USN-Changed', o.usn_changed],
    ['USN-Source', o.usn_source], ['DSA-Signature', o.dsa_signature], ['When-Changed', `${o.when_changed} s (${clock(o.when_changed)})`],
    ['Is-Deleted', o.deleted ? 'TRUE' : 'FALSE'], ['Originating USN', o.originating_usn], ...Object.entries(o.attrs)];
  put(S.el.dialog,
    el('h2', {}, `Raw properties of ${o.name} on ${server}`),
    el('table', {}, el('tbody', {}, rows.map(([k, val]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', { class: 'mono' }, val))))),
    el('form', { method: 'dialog' }, el('button', {}, 'Close')));
  S.el.dialog.showModal();
}

function renderLog(S) {
  const v = S.view, filter = S.logServer || undefined;
  const page = call(S, (l) => l.events(0, 100000, filter)) || { rows: [], refused: [], total: 0 };
  const rows = page.rows.slice(-200);
  const refused = page.refused.filter((r) => !filter || r.server === filter).slice(-50);
  put(S.el.log,
    el('h2', {}, 'Application Log ', el('label', {}, 'Server ', el('select', { onchange: (e) => { S.logServer = e.target.value; renderLog(S); } },
      el('option', { value: '' }, 'All servers'), v.servers.map((s) => el('option', { value: s.name, selected: s.name === S.logServer }, s.name))))),
    rows.length || refused.length ? null : el('p', { class: 'hint' }, 'No events yet.'),
    el('ol', { class: 'events' }, rows.map((e) => el('li', { class: e.type },
      el('span', { class: 'when' }, clock(e.time_s)), el('span', { class: 'id' }, `${e.id}`),
      el('span', { class: 'who' }, `${e.server} · ${e.source} · ${e.type} · ${e.category}`), el('span', { class: 'text' }, e.text)))),
    refused.length ? el('ol', { class: 'events refused' }, refused.map((r) => el('li', { class: 'error' },
      el('span', { class: 'when' }, clock(r.time_s)), el('span', { class: 'id' }, r.error),
      el('span', { class: 'who' }, `${r.server} · refused`), el('span', { class: 'text' }, r.text)))) : null);
}

// ----- the learner's tools ---------------------------------------------------------------------

function buildTools(S) {
  const f = (legend, fields, submit, handler) => el('form', { class: 'tool', onsubmit: (e) => { e.preventDefault(); handler(new FormData(e.target)); } },
    el('fieldset', {}, el('legend', {}, legend), fields, el('button', { type: 'submit' }, submit)));
  const server = (name = 'server', label = 'Server') => el('label', {}, `${label} `, el('select', { name, 'data-servers': '' }));
  const text = (name, label, value = '', attrs = {}) => el('label', {}, `${label} `, el('input', { name, value, ...attrs }));
  const num = (name, label, value) => text(name, label, value, { type: 'number', min: 0, step: 1, inputmode: 'numeric', required: true });
  const box = (name, label, checked) => el('label', {}, el('input', { type: 'checkbox', name, checked }), ` ${label}`);
  const s = (d, k) => d.get(k);
  const attrs = (d) => (d.get('attr') ? { [d.get('attr')]: d.get('value') || '' } : {});
  put(S.el.tools, el('summary', {}, 'Tools: change the directory yourself'),
    el('div', { class: 'toolgrid' },
      f('Mailbox', [server(), text('name', 'Name', 'New Hire', { required: true }), text('attr', 'Attribute', 'City'), text('value', 'Value', 'London'),
        el('label', {}, 'Action ', el('select', { name: 'op' }, ['create', 'modify', 'delete'].map((o) => el('option', { value: o }, o))))],
      'Apply', (d) => act(S, d.get('op') === 'delete' ? { do: 'delete', server: s(d, 'server'), name: s(d, 'name') } : { do: d.get('op'), server: s(d, 'server'), name: s(d, 'name'), attrs: attrs(d) })),
      f('Update Now', [server(), box('refresh_all', 'Refresh All Items', false)], 'Update Now',
        (d) => act(S, { do: 'update_now', server: s(d, 'server'), refresh_all: d.get('refresh_all') === 'on' })),
      f('Directory service', [server(), el('label', {}, 'Action ', el('select', { name: 'op' }, el('option', { value: 'stop' }, 'stop'), el('option', { value: 'start' }, 'start')))],
        'Apply', (d) => act(S, { do: d.get('op'), server: s(d, 'server') })),
      f('Network path', [server('a', 'Between'), server('b', 'and'), el('label', {}, 'Action ', el('select', { name: 'op' }, el('option', { value: 'cut' }, 'cut'), el('option', { value: 'mend' }, 'mend')))],
        'Apply', (d) => act(S, { do: 'link', between: [s(d, 'a'), s(d, 'b')], up: d.get('op') === 'mend' })),
      f('Back up', [server(), text('label', 'Label', 'Monday', { required: true })], 'Back up', (d) => act(S, { do: 'backup', server: s(d, 'server'), label: s(d, 'label') })),
      f('Restore', [server(), text('label', 'Label', 'Monday', { required: true }), box('backsync', 'Backsync', true), box('new_id', 'New Invocation-ID (AD)', false)], 'Restore',
        (d) => act(S, { do: 'restore', server: s(d, 'server'), label: s(d, 'label'), backsync: d.get('backsync') === 'on', new_invocation_id: d.get('new_id') === 'on' })),
      f('Expire backsync (Q160850)', [server()], 'Expire', (d) => act(S, { do: 'expire_backsync', server: s(d, 'server') })),
      f('Authrest (DS stopped)', [server(), num('objver', 'objver', 0), num('usn', 'usn', 1600)], 'Run AUTHREST',
        (d) => act(S, { do: 'authrest', server: s(d, 'server'), objver: Number(d.get('objver')), usn: Number(d.get('usn')) })),
      f('Import', [server(), text('name', 'Mailbox', 'USN Fixer', { required: true }), num('times', 'Times', 100)], 'Import',
        (d) => act(S, { do: 'import', server: s(d, 'server'), name: s(d, 'name'), times: Number(d.get('times')) })),
      f('Run the clock', [num('for_s', 'Seconds (empty: until quiet)', '')], 'Run',
        (d) => act(S, d.get('for_s') ? { do: 'run', for_s: Number(d.get('for_s')) } : { do: 'run' }))));
  for (const input of S.el.tools.querySelectorAll('input[name=for_s]')) input.required = false;
}

function refreshToolOptions(S) {
  const names = S.view.servers.map((x) => x.name);
  for (const sel of S.el.tools.querySelectorAll('select[data-servers]')) {
    const keep = sel.value;
    if (sel.options.length !== names.length) put(sel, names.map((n) => el('option', { value: n }, n)));
    sel.value = names.includes(keep) ? keep : names[sel.name === 'b' ? Math.min(1, names.length - 1) : 0];
  }
}

/** Replays the same actions with the other model, so a learner sees one restore both ways. */
function switchModel(S) {
  stop(S);
  let doc;
  try {
    doc = JSON.parse(S.text);
  } catch (e) {
    return notify(`The scenario could not be read: ${e.message}`);
  }
  doc.settings = { ...(doc.settings || {}), model: S.view.model === 'active_directory' ? 'exchange55' : 'active_directory' };
  const text = JSON.stringify(doc);
  const history = call(S, (l) => l.history());
  try {
    S.lab = Lab.replay(text, history, S.lab.playhead);
  } catch (e) {
    S.lab = new Lab(text);
    notify(`The actions could not be replayed under the other model (${e.message}); it starts from the beginning.`);
  }
  S.text = text;
  after(S);
  announce(`Now playing under ${S.view.model === 'active_directory' ? 'Active Directory' : 'Exchange 5.5'} rules.`);
}
