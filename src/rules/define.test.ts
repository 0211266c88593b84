/** @module Message templates: placeholders, fallbacks, `{?guard}`, sentence summaries and list steps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillSteps, fillSummary, fillTemplate } from './define.js';

test('a placeholder without a value drops the line unless it has a fallback; titles are lenient', () => {
  assert.equal(fillTemplate('to {host}', {}), undefined);
  assert.equal(fillTemplate('to {host|the host}', {}), 'to the host');
  assert.equal(fillTemplate('to {host}', {}, true), 'to ');
  assert.equal(fillTemplate('to {host}', { host: 'a.example' }), 'to a.example');
});

test('{?guard} prints nothing and keeps its line only when the guard has a value, also in lenient text', () => {
  assert.equal(fillTemplate('{?leaf}Renew it.', { leaf: 'yes' }), 'Renew it.');
  assert.equal(fillTemplate('{?leaf}Renew it.', {}), undefined);
  assert.equal(fillTemplate('{?leaf}Renew it.', {}, true), undefined);
});

test('a summary given as sentences leaves out each sentence that lacks a value', () => {
  const summary = ['It failed.', 'The ICM shows {code}.', '{?icm}The ICM never fetches intermediates.'];
  assert.equal(fillSummary(summary, { code: '-102' }), 'It failed. The ICM shows -102.');
  assert.equal(fillSummary(summary, { icm: 'yes' }), 'It failed. The ICM never fetches intermediates.');
  assert.equal(fillSummary('One {x|template}.', {}), 'One template.');
});

test('a list value repeats its step line per item, and an empty list gives no step', () => {
  const steps = ['First.', 'Run: {commands}', { text: 'Then {host}.', web: 'Then {host} (web).' }];
  assert.deepEqual(
    fillSteps(steps, { commands: ['a', 'b'], host: 'h' }).map((s) => s.text),
    ['First.', 'Run: a', 'Run: b', 'Then h.'],
  );
  assert.deepEqual(
    fillSteps(steps, { commands: [] }).map((s) => s.text),
    ['First.'],
  );
  assert.equal(fillTemplate('CAs: {names}', { names: ['A', 'B'] }), 'CAs: A, B');
});

test('an optional part [[ … ]] drops alone; a filled-in value is never read as a template', () => {
  const t = 'The proxy {proxyAt} refuses the tunnel[[ ({status})]].';
  assert.equal(
    fillTemplate(t, { proxyAt: 'p:3128', status: '403' }),
    'The proxy p:3128 refuses the tunnel (403).',
  );
  assert.equal(fillTemplate(t, { proxyAt: 'p:3128' }), 'The proxy p:3128 refuses the tunnel.');
  assert.equal(fillTemplate('[[{?ssh}an SSH server]][[{?none}no answer]]', { ssh: 'yes' }), 'an SSH server');
  // A certificate name that looks like a placeholder or a group stays as it is.
  assert.equal(
    fillTemplate('CN "{name}" on {host}[[ ({port})]]', { name: '{host} [[x]]', host: 'h', port: '{name}' }),
    'CN "{host} [[x]]" on h ({name})',
  );
});
