// Links, embeds, presenter mode and the follower window. The presenter's window tells its
// followers (same browser, no server, BroadcastChannel) its scenario, history and playhead after
// each change; a follower replays them and stays with the presenter.
import { el, $, put } from './dom.js';
import { notify, announce, scenarioText } from './shell.js';

/** Embeds (panels, height to the embedding page), presenter mode, following. */
export function setup(S, go) {
  const o = S.opts;
  document.documentElement.classList.toggle('present', !!o.present);
  if (o.panels) {
    const nodes = { story: S.el.story, org: S.el.topo.closest('figure'), messages: S.el.timeline.closest('figure'), detail: S.el.detail, log: S.el.log, tools: S.el.tools };
    for (const [name, node] of Object.entries(nodes)) node.hidden = !o.panels.includes(name);
  }
  if (o.embed && window.parent !== window) {
    const send = () => window.parent.postMessage({ type: 'usn-lab:height', frame: o.frame, height: document.documentElement.scrollHeight }, '*');
    S.resize = new ResizeObserver(send);
    S.resize.observe(document.body);
    send();
  }
  if (o.follow) follow(S, go, o.follow);
}

export function close(S) {
  if (S.channel) S.channel.close();
  if (S.resize) S.resize.disconnect();
}

/** The presenter's window sends where it is after each change. */
export async function broadcast(S) {
  if (!S.channel || S.opts.follow) return;
  try {
    const h = await S.go.history();
    S.channel.postMessage({ title: S.title, scenario: h.scenario, history: h.history, playhead: S.frame.playhead, present: document.documentElement.classList.contains('present') });
  } catch { /* the next change sends again */ }
}

function presentWith(S, id) {
  S.channel ??= new BroadcastChannel(`usn-lab:${id}`);
  S.channelId = id;
  S.channel.onmessage = (e) => { if (e.data === 'hello') broadcast(S); };
  window.addEventListener('pagehide', () => S.channel && S.channel.postMessage({ gone: true }), { once: true });
  broadcast(S);
}

function follow(S, go, id) {
  S.channel = new BroadcastChannel(`usn-lab:${id}`);
  S.channel.onmessage = async (e) => {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.gone) return notify('The presenter’s window has closed. Press any key to take over this lab.');
    if ('blank' in m) return document.body.classList.toggle('blank', !!m.blank);
    if (S.takenOver || !Array.isArray(m.history)) return;
    try {
      S.scenario = m.scenario;
      const opened = await S.core.call('open', { scenario: m.scenario, history: m.history, playhead: m.playhead });
      S.lesson = opened.lesson;
      S.frame = await S.core.call('look', S.look);
      if (m.title) { S.title = m.title; put($('#where'), m.title); document.title = `${m.title}: USN Lab (following)`; }
      document.documentElement.classList.toggle('present', !!m.present);
      go.rerender();
    } catch (err) {
      notify(`The follower window could not follow: ${err.message}`);
    }
  };
  S.channel.postMessage('hello');
}

/** A follower's own keys do not move it: it offers to take over instead. */
export function followerKey(S, e) {
  if (e.key === 'b' || e.key === '.') { document.body.classList.toggle('blank'); e.preventDefault(); return; }
  if (!['ArrowRight', 'ArrowLeft', 'PageDown', 'PageUp', ' ', 'Home'].includes(e.key)) return;
  e.preventDefault();
  if (S.offered) return;
  S.offered = true;
  notify('This window follows the presenter. ');
  const box = $('#notice');
  box.append(el('button', { type: 'button', onclick: () => { S.takenOver = true; box.hidden = true; S.go.rerender(); announce('You have taken over this lab; it no longer follows.'); } }, 'Take over'));
}

export function togglePresent(S) {
  const on = document.documentElement.classList.toggle('present');
  if (on) presentWith(S, S.channelId || Math.random().toString(36).slice(2, 10));
  else broadcast(S);
  S.go.rerender();
  announce(on ? 'Presenter mode: large type. Press W to open a follower window.' : 'Presenter mode off.');
}

export function openFollower(S) {
  presentWith(S, S.channelId || Math.random().toString(36).slice(2, 10));
  const url = new URL(location.href);
  url.hash = `v=1&lesson=sandbox&follow=${S.channelId}`;
  const w = window.open(url.href, `usn-lab-follower-${S.channelId}`, 'popup,width=1280,height=800');
  announce(w ? 'A follower window opened; it follows every step here.' : 'The browser blocked the follower window; allow pop-ups for this page.');
}

/** Shows (and copies) a link that reproduces exactly what is on screen. */
export async function share(S) {
  const { encode } = await import('./share.js');
  let h;
  try {
    h = await S.go.history();
  } catch (e) {
    return notify(e.message);
  }
  const text = JSON.stringify(h.scenario);
  let builtin = null;
  if (S.id) builtin = await scenarioText(S.id).then((t) => JSON.stringify(JSON.parse(t))).catch(() => null);
  // A built-in scenario is named, not copied, when the lab still plays it as written.
  const same = builtin !== null && sameScenario(builtin, h.scenario);
  const hash = await encode({ id: S.id, text: same ? builtin : text, builtinText: same ? builtin : null, history: h.history, playhead: S.frame.playhead });
  const url = new URL(location.href);
  url.hash = hash;
  S.link = url.href;
  try {
    await navigator.clipboard.writeText(S.link);
    announce('A link to this point was copied.');
  } catch {
    announce('Here is a link to this point; copy it from the box.');
  }
  const box = el('div', { class: 'sharebox', role: 'status' },
    el('label', {}, 'Link to this point ', el('input', { class: 'mono', readonly: true, value: S.link, onfocus: (e) => e.target.select() })),
    ` ${S.link.length} characters`);
  S.el.share.replaceChildren(box);
  box.querySelector('input').focus();
}

/** Is the core's scenario the built-in one (same model), so a link can name it? */
function sameScenario(builtinText, scenario) {
  const b = JSON.parse(builtinText);
  const model = (b.settings && b.settings.model) || 'exchange55';
  return model === scenario.settings.model && b.title === scenario.title && b.steps.length === scenario.steps.length;
}
