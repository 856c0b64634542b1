// The learner's tools and the workbench: each form sends one scenario step to the core
// (docs/scenarios.md lists them, "The workbench" the ones that build the organization); the
// core checks it and says why it refuses. The forms follow the server selected on the map, and
// choosing a server in a form selects it on the map; mailbox names come from its table.
import { el, put } from '../dom.js';

const KINDS = [['site', 'Site connector'], ['x400', 'X.400 connector'], ['ras', 'Dynamic RAS connector'], ['ims', 'Internet Mail Service']];

export function build(S, go) {
  const f = (legend, fields, submit, handler, cls = '') => el('form', { class: `tool ${cls}`, onsubmit: (e) => { e.preventDefault(); handler(new FormData(e.target)); } },
    el('fieldset', {}, el('legend', {}, legend), fields, el('button', { type: 'submit' }, submit)));
  const server = (name = 'server', label = 'Server') => el('label', {}, `${label} `, el('select', { name, 'data-servers': '', onchange: name === 'server' ? (e) => go.look({ selected: e.target.value, page: 0 }) : null }));
  const site = (name = 'site', label = 'Site') => el('label', {}, `${label} `, el('select', { name, 'data-sites': '' }));
  const text = (name, label, value = '', attrs = {}) => el('label', {}, `${label} `, el('input', { name, value, ...attrs }));
  const mailbox = (label = 'Mailbox', value = 'New Hire') => text('name', label, value, { required: true, list: 'tool-mailboxes', autocomplete: 'off' });
  const num = (name, label, value, attrs = {}) => text(name, label, value, { type: 'number', min: 0, step: 1, inputmode: 'numeric', required: true, ...attrs });
  const opt = (name, label) => num(name, label, '', { required: false, placeholder: 'keep' });
  const box = (name, label, checked) => el('label', {}, el('input', { type: 'checkbox', name, checked }), ` ${label}`);
  const choose = (name, label, options) => el('label', {}, `${label} `, el('select', { name }, options.map(([v, t]) => el('option', { value: v }, t || v))));
  const s = (d, k) => d.get(k);
  const n = (d, k) => (d.get(k) === '' || d.get(k) === null ? undefined : Number(d.get(k)));
  const attrs = (d) => (d.get('attr') ? { [d.get('attr')]: d.get('value') || '' } : {});
  const act = (cmd) => go.act(cmd);
  S.el.mailboxes = el('datalist', { id: 'tool-mailboxes' });
  // After the panel's <summary>, which js/lab.js draws (this module loads when the panel opens).
  S.el.tools.append(S.el.mailboxes,
    el('p', { class: 'tool-note' }, 'Click a server on the map to act on it. ',
      el('button', { type: 'button', class: 'export', onclick: () => go.export() }, 'Export this situation (.json)'),
      ' A file that “Open a scenario file…” (or dropping it on the page) and usnlab run play to this very point.'),
    el('h3', {}, 'The directory'),
    el('div', { class: 'toolgrid' },
      f('Mailbox', [server(), mailbox('Name'), text('attr', 'Attribute', 'City'), text('value', 'Value', 'London'),
        choose('op', 'Action', [['create'], ['modify'], ['delete']])],
      'Apply', (d) => act(d.get('op') === 'delete' ? { do: 'delete', server: s(d, 'server'), name: s(d, 'name') } : { do: d.get('op'), server: s(d, 'server'), name: s(d, 'name'), attrs: attrs(d) })),
      f('Update Now', [server(), box('refresh_all', 'Refresh All Items', false)], 'Update Now',
        (d) => act({ do: 'update_now', server: s(d, 'server'), refresh_all: d.get('refresh_all') === 'on' })),
      f('Directory service', [server(), choose('op', 'Action', [['stop'], ['start']])],
        'Apply', (d) => act({ do: d.get('op'), server: s(d, 'server') })),
      f('Changes elsewhere (bump)', [server(), num('to', 'USN to', 1500)], 'Bump', (d) => act({ do: 'bump', server: s(d, 'server'), to: n(d, 'to') })),
      f('Network path', [server('a', 'Between'), server('b', 'and'), choose('op', 'Action', [['cut'], ['mend']])],
        'Apply', (d) => act({ do: 'link', between: [s(d, 'a'), s(d, 'b')], up: d.get('op') === 'mend' })),
      f('Back up', [server(), text('label', 'Label', 'Monday', { required: true })], 'Back up', (d) => act({ do: 'backup', server: s(d, 'server'), label: s(d, 'label') })),
      f('Restore', [server(), text('label', 'Label', 'Monday', { required: true }), box('backsync', 'Backsync', true), box('new_id', 'New Invocation-ID (AD)', false)], 'Restore',
        (d) => act({ do: 'restore', server: s(d, 'server'), label: s(d, 'label'), backsync: d.get('backsync') === 'on', new_invocation_id: d.get('new_id') === 'on' })),
      f('Expire backsync (Q160850)', [server()], 'Expire', (d) => act({ do: 'expire_backsync', server: s(d, 'server') })),
      f('Measure the gap (Q201414)', [server(), text('probe', 'Probe mailbox (optional)', '')], 'Measure',
        (d) => act(d.get('probe') ? { do: 'measure', server: s(d, 'server'), probe: s(d, 'probe') } : { do: 'measure', server: s(d, 'server') })),
      f('Authrest (DS stopped)', [server(), num('objver', 'objver', 0), num('usn', 'usn', 1600)], 'Run AUTHREST',
        (d) => act({ do: 'authrest', server: s(d, 'server'), objver: n(d, 'objver'), usn: n(d, 'usn') })),
      f('Import', [server(), mailbox('Mailbox', 'USN Fixer'), num('times', 'Times', 100)], 'Import',
        (d) => act({ do: 'import', server: s(d, 'server'), name: s(d, 'name'), times: n(d, 'times') })),
      f('Run the clock', [opt('for_s', 'Seconds (empty: until quiet)')], 'Run',
        (d) => act(d.get('for_s') ? { do: 'run', for_s: n(d, 'for_s') } : { do: 'run' }))),
    el('h3', {}, 'The organization (workbench)'),
    el('div', { class: 'toolgrid' },
      f('Add a site', [text('name', 'Name', 'Asia', { required: true })], 'Add site', (d) => act({ do: 'add_site', name: s(d, 'name') }), 'add-site'),
      f('Add a server', [site(), text('name', 'Name', 'Tokyo01', { required: true }), num('usn', 'USN', 1000)], 'Add server',
        (d) => act({ do: 'add_server', site: s(d, 'site'), name: s(d, 'name'), usn: n(d, 'usn') }), 'add-server'),
      f('Remove', [server(), site('site', 'or the empty site'), choose('what', 'Remove the', [['server'], ['site']])], 'Remove',
        (d) => act(d.get('what') === 'site' ? { do: 'remove_site', name: s(d, 'site') } : { do: 'remove_server', server: s(d, 'server') }), 'remove'),
      f('Messaging connector', [choose('kind', 'Kind', KINDS), site('a', 'Between'), site('b', 'and'), num('cost', 'Cost', 1, { min: 1, max: 100 }),
        opt('every_s', 'Open every (s)'), opt('open_s', 'for (s)'), box('one_way', 'One way', false)], 'Add connector',
        (d) => act({ do: 'add_connector', kind: s(d, 'kind'), sites: [s(d, 'a'), s(d, 'b')], cost: n(d, 'cost'), one_way: d.get('one_way') === 'on',
          ...(d.get('every_s') ? { schedule: { every_s: n(d, 'every_s'), open_s: n(d, 'open_s') ?? n(d, 'every_s') } } : {}) }), 'add-connector'),
      f('Directory replication connector', [site('a', 'Between'), server('x', 'bridgehead'), site('b', 'and'), server('y', 'bridgehead')], 'Add DRC',
        (d) => act({ do: 'add_drc', sites: [s(d, 'a'), s(d, 'b')], bridgeheads: [s(d, 'x'), s(d, 'y')] }), 'add-drc'),
      f('Connector down or up', [site('a', 'Between'), site('b', 'and'), choose('op', 'Take it', [['down'], ['up']])], 'Apply',
        (d) => act({ do: 'connector', sites: [s(d, 'a'), s(d, 'b')], up: d.get('op') === 'up' }), 'connector'),
      f('Timers', [opt('notify_pause_s', 'Notify pause (s)'), opt('periodic_sync_s', 'Periodic sync in a site (s)'), opt('intersite_sync_s', 'DRC schedule (s)')], 'Set',
        (d) => act(Object.fromEntries([['do', 'set'], ...['notify_pause_s', 'periodic_sync_s', 'intersite_sync_s'].filter((k) => d.get(k)).map((k) => [k, n(d, k)])])), 'timers')));
}

/** Fills a list's options when its names changed, keeping the choice if it still exists. */
function fill(sel, names, fallback) {
  const keep = sel.value;
  if ([...sel.options].map((o) => o.value).join('\n') !== names.join('\n')) put(sel, names.map((x) => el('option', { value: x }, x)));
  sel.value = names.includes(keep) ? keep : fallback;
}

/** Lists follow the organization; the forms follow the server selected on the map. */
export function refresh(S) {
  const f = S.frame;
  const names = f.servers.map((x) => x.name);
  const sites = f.sites.map((x) => x.name);
  const selected = f.selected && f.selected.name;
  const moved = selected !== S.toolsFollow;
  S.toolsFollow = selected;
  for (const sel of S.el.tools.querySelectorAll('select[data-servers]')) {
    fill(sel, names, names[sel.name === 'b' || sel.name === 'y' ? Math.min(1, names.length - 1) : 0]);
    if (moved && sel.name === 'server' && selected) sel.value = selected;
  }
  for (const sel of S.el.tools.querySelectorAll('select[data-sites]')) fill(sel, sites, sites[sel.name === 'b' ? Math.min(1, sites.length - 1) : 0]);
  const rows = (f.selected && f.selected.objects.rows) || [];
  const boxes = rows.filter((r) => !r.deleted && r.dn.includes('/cn=Recipients/')).map((r) => r.name);
  put(S.el.mailboxes, [...new Set(boxes)].map((x) => el('option', { value: x })));
  for (const [k, v] of Object.entries(f.settings || {})) {
    const input = S.el.tools.querySelector(`form.timers input[name=${k}]`);
    if (input) input.placeholder = String(v);
  }
}

/** Saves the exported scenario as a file named after the lab. */
export function download(S, scenario) {
  const text = `${JSON.stringify(scenario, null, 2)}\n`;
  const name = `${(S.title || 'lab').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'lab'}-at-${S.frame.playhead}.json`;
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  S.lastExport = text;
}
