/** @module Message templates: placeholders, fallbacks, `{?guard}`, sentence summaries and list steps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineRule, fillSteps, fillSummary, fillTemplate } from './define.js';

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

/** The one-pass replace fillTemplate was first written as: the cut templates must fill exactly like it. */
function fillByReplace(template: string, data: Record<string, unknown>, lenient = false): string | undefined {
  let missing = false;
  const text = template.replace(
    /\[\[([^[\]]*)\]\]|\{(\?)?([A-Za-z0-9_]+)(?:\|([^{}]*))?\}/g,
    (_m, group: string | undefined, guard: string | undefined, key: string, fallback?: string) => {
      if (group !== undefined) return fillByReplace(group, data) ?? '';
      const value = data[key];
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
        if (fallback !== undefined) return fallback;
        if (!lenient || guard) missing = true;
        return '';
      }
      if (guard) return '';
      return Array.isArray(value) ? value.join(', ') : String(value);
    },
  );
  return missing ? undefined : text;
}

test('filling agrees with the one-pass replace on random templates (groups, guards, fallbacks, stray brackets)', () => {
  let s = 99;
  const r = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const bits = [
    '{a}',
    '{b}',
    '{?a}',
    '{c|x}',
    '{a|}',
    '{b|y|z}',
    '[[',
    ']]',
    '[',
    ']',
    '{',
    '}',
    '|',
    '?',
    'a',
    ' ',
    '$&',
    '{1_x}',
  ];
  const values = [undefined, '', 'v', '{a}', '[[b]]', '$1', 0, 7, [], ['p', 'q']];
  for (let i = 0; i < 20000; i++) {
    const template = Array.from(
      { length: Math.floor(r() * 12) },
      () => bits[Math.floor(r() * bits.length)],
    ).join('');
    const data: Record<string, unknown> = {};
    for (const k of ['a', 'b', 'c', '1_x']) data[k] = values[Math.floor(r() * values.length)];
    for (const lenient of [false, true]) {
      // Twice: the second fill reads the cut template from the cache.
      for (let twice = 0; twice < 2; twice++)
        assert.equal(
          fillTemplate(template, data as Parameters<typeof fillTemplate>[1], lenient),
          fillByReplace(template, data, lenient),
          `${template} ${JSON.stringify(data)} ${lenient}`,
        );
    }
  }
});

test('messages given as a function are built on the first read, once, and kept', () => {
  let built = 0;
  const rule = defineRule({
    id: 'lazy-words',
    causes: ['unknown'],
    needs: ['ssl-failure'],
    kb: [],
    messages: () => {
      built++;
      return { only: { title: 'T {x}', summary: 'S' } };
    },
    check() {},
  });
  assert.equal(built, 0, 'defining the rule builds no words');
  assert.equal(rule.messages.only?.title, 'T {x}');
  assert.equal(rule.messages.only?.summary, 'S');
  assert.equal(built, 1);
  assert.equal(rule.messages, rule.messages, 'the same object on every read');
  assert.equal(built, 1, 'built once');
  assert.deepEqual(Object.keys(rule), ['id', 'causes', 'needs', 'kb', 'messages', 'check']);
});

test("messages given as an object are the rule's own, unchanged", () => {
  const messages = { only: { title: 'T', summary: 'S' } };
  const rule = defineRule({
    id: 'eager',
    causes: ['unknown'],
    needs: ['ssl-failure'],
    kb: [],
    messages,
    check() {},
  });
  assert.equal(rule.messages, messages);
});
