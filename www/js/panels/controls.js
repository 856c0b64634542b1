// The playback bar: built once, then only updated, so focus and clicks stay put.
import { el, put, clock } from '../dom.js';

const SPEEDS = [['0.5', 2000], ['1', 1000], ['2', 500], ['5', 200], ['20', 50]];

/** `classroom` loads js/classroom.js (links, presenter, follower) when a button asks for it. */
export function build(S, go, keysHelp, classroom) {
  const button = (label, title, onclick, attrs = {}) => el('button', { type: 'button', title, onclick, ...attrs }, label);
  const c = {
    restart: button(['|◀', el('span', { class: 'wide-only' }, ' Restart')], 'Back to the start (Home)', () => go.seek(0), { 'aria-label': '|◀ Restart' }),
    back: button(['◀', el('span', { class: 'wide-only' }, ' Back')], 'Step back (Left, Page Up, P)', () => go.back(), { 'aria-label': '◀ Back' }),
    step: button('Step ▶', 'Step forward (Right, Page Down, N)', () => go.step(), { class: 'primary' }),
    play: button('Play ▶▶', 'Play or pause (Space)', () => go.play()),
    finish: button('Finish step ⇥', 'Run the lesson step under way, or the next, to its end (E)', () => go.finishStep()),
    mail: button('Next mail ✉▶', 'Step until the next mail between sites arrives (X)', () => go.nextMail()),
    speed: el('select', { onchange: (e) => { S.speed = Number(e.target.value); } },
      SPEEDS.map(([name, ms]) => el('option', { value: ms, selected: ms === S.speed }, `${name}×`))),
    history: el('input', { type: 'range', min: 0, onchange: (e) => go.seek(Number(e.target.value)) }),
    clock: el('span', { class: 'clock', title: 'Simulated time' }),
    where: el('output', { class: 'status', title: 'Actions in the history: where you are, and how many' }),
    modelName: el('span', { class: 'model-name', title: 'The rules the lab is playing' }),
    status: el('span', { class: 'queue' }),
    model: button('', 'Play the same actions under the other model (M)', () => go.switchModel()),
    share: button('Copy link', 'A link that reproduces this point (L)', () => classroom().then((m) => m.share(S, go))),
    present: button('Present', 'Large type for a projector (F)', () => classroom().then((m) => m.togglePresent(S))),
    follower: button('Follower window', 'A second window that follows this one (W)', () => classroom().then((m) => m.openFollower(S))),
    keys: button('Keys', 'Keyboard shortcuts (?)', () => keysHelp(S)),
  };
  S.ctl = c;
  put(S.el.controls, c.restart, c.back, c.step, c.play, c.finish, c.mail, el('label', {}, 'Speed ', c.speed),
    el('label', { class: 'history' }, el('span', { class: 'wide-only' }, 'History '), c.history, ' ', c.where), c.clock, c.status, c.modelName, c.model,
    el('span', { class: 'secondary' }, c.share, c.present, c.follower, c.keys));
}

export function render(S) {
  const f = S.frame, c = S.ctl;
  if (!c || !f) return;
  const pending = f.pending.length ? `${f.pending.length} queued` : f.quiet ? 'quiet' : 'waiting';
  c.back.disabled = f.playhead === 0;
  c.play.textContent = S.playing ? 'Pause' : 'Play ▶▶';
  c.play.setAttribute('aria-pressed', S.playing ? 'true' : 'false');
  c.history.max = String(f.history_length);
  c.history.value = String(f.playhead);
  c.history.setAttribute('aria-valuetext', `action ${f.playhead} of ${f.history_length}`);
  c.clock.textContent = `Time ${clock(f.time_s)}`;
  c.where.textContent = `${f.playhead}/${f.history_length}`;
  c.status.textContent = pending;
  c.modelName.textContent = f.model === 'active_directory' ? 'Active Directory' : 'Exchange 5.5';
  c.model.textContent = f.model === 'active_directory' ? 'Replay as Exchange 5.5' : 'Replay as Active Directory';
  c.present.setAttribute('aria-pressed', document.documentElement.classList.contains('present') ? 'true' : 'false');
  for (const b of [c.restart, c.back, c.step, c.play, c.finish, c.model]) b.hidden = !!S.opts.follow && !S.takenOver;
  c.mail.hidden = !f.connectors.length || (!!S.opts.follow && !S.takenOver);
  c.finish.disabled = f.script.done;
  for (const b of [c.present, c.follower]) b.hidden = !!S.opts.embed;
}

/** One speed faster (`dir` 1) or slower (-1), in `S.speed` and the menu: its name ("2"). */
export function faster(S, dir) {
  const i = SPEEDS.findIndex(([, ms]) => ms === S.speed);
  const [name, ms] = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + dir))];
  S.speed = ms;
  if (S.ctl) S.ctl.speed.value = String(ms);
  return name;
}
