// The learner's tools: each form sends one scenario step to the core (docs/scenarios.md lists
// them); the core checks it and says why it refuses.
import { el, put } from '../dom.js';

export function build(S, go) {
  const f = (legend, fields, submit, handler) => el('form', { class: 'tool', onsubmit: (e) => { e.preventDefault(); handler(new FormData(e.target)); } },
    el('fieldset', {}, el('legend', {}, legend), fields, el('button', { type: 'submit' }, submit)));
  const server = (name = 'server', label = 'Server') => el('label', {}, `${label} `, el('select', { name, 'data-servers': '' }));
  const text = (name, label, value = '', attrs = {}) => el('label', {}, `${label} `, el('input', { name, value, ...attrs }));
  const num = (name, label, value) => text(name, label, value, { type: 'number', min: 0, step: 1, inputmode: 'numeric', required: true });
  const box = (name, label, checked) => el('label', {}, el('input', { type: 'checkbox', name, checked }), ` ${label}`);
  const s = (d, k) => d.get(k);
  const attrs = (d) => (d.get('attr') ? { [d.get('attr')]: d.get('value') || '' } : {});
  const act = (cmd) => go.act(cmd);
  put(S.el.tools, el('summary', {}, 'Tools: change the directory yourself'),
    el('div', { class: 'toolgrid' },
      f('Mailbox', [server(), text('name', 'Name', 'New Hire', { required: true }), text('attr', 'Attribute', 'City'), text('value', 'Value', 'London'),
        el('label', {}, 'Action ', el('select', { name: 'op' }, ['create', 'modify', 'delete'].map((o) => el('option', { value: o }, o))))],
      'Apply', (d) => act(d.get('op') === 'delete' ? { do: 'delete', server: s(d, 'server'), name: s(d, 'name') } : { do: d.get('op'), server: s(d, 'server'), name: s(d, 'name'), attrs: attrs(d) })),
      f('Update Now', [server(), box('refresh_all', 'Refresh All Items', false)], 'Update Now',
        (d) => act({ do: 'update_now', server: s(d, 'server'), refresh_all: d.get('refresh_all') === 'on' })),
      f('Directory service', [server(), el('label', {}, 'Action ', el('select', { name: 'op' }, el('option', { value: 'stop' }, 'stop'), el('option', { value: 'start' }, 'start')))],
        'Apply', (d) => act({ do: d.get('op'), server: s(d, 'server') })),
      f('Network path', [server('a', 'Between'), server('b', 'and'), el('label', {}, 'Action ', el('select', { name: 'op' }, el('option', { value: 'cut' }, 'cut'), el('option', { value: 'mend' }, 'mend')))],
        'Apply', (d) => act({ do: 'link', between: [s(d, 'a'), s(d, 'b')], up: d.get('op') === 'mend' })),
      f('Back up', [server(), text('label', 'Label', 'Monday', { required: true })], 'Back up', (d) => act({ do: 'backup', server: s(d, 'server'), label: s(d, 'label') })),
      f('Restore', [server(), text('label', 'Label', 'Monday', { required: true }), box('backsync', 'Backsync', true), box('new_id', 'New Invocation-ID (AD)', false)], 'Restore',
        (d) => act({ do: 'restore', server: s(d, 'server'), label: s(d, 'label'), backsync: d.get('backsync') === 'on', new_invocation_id: d.get('new_id') === 'on' })),
      f('Expire backsync (Q160850)', [server()], 'Expire', (d) => act({ do: 'expire_backsync', server: s(d, 'server') })),
      f('Authrest (DS stopped)', [server(), num('objver', 'objver', 0), num('usn', 'usn', 1600)], 'Run AUTHREST',
        (d) => act({ do: 'authrest', server: s(d, 'server'), objver: Number(d.get('objver')), usn: Number(d.get('usn')) })),
      f('Import', [server(), text('name', 'Mailbox', 'USN Fixer', { required: true }), num('times', 'Times', 100)], 'Import',
        (d) => act({ do: 'import', server: s(d, 'server'), name: s(d, 'name'), times: Number(d.get('times')) })),
      f('Run the clock', [num('for_s', 'Seconds (empty: until quiet)', '')], 'Run',
        (d) => act(d.get('for_s') ? { do: 'run', for_s: Number(d.get('for_s')) } : { do: 'run' }))));
  for (const input of S.el.tools.querySelectorAll('input[name=for_s]')) input.required = false;
}

/** Server lists follow the organization. */
export function refresh(S) {
  const names = S.frame.servers.map((x) => x.name);
  for (const sel of S.el.tools.querySelectorAll('select[data-servers]')) {
    const keep = sel.value;
    if (sel.options.length !== names.length) put(sel, names.map((n) => el('option', { value: n }, n)));
    sel.value = names.includes(keep) ? keep : names[sel.name === 'b' ? Math.min(1, names.length - 1) : 0];
  }
}
