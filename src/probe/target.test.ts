/** @module Endpoint and proxy parsing: URL forms, defaults, IPv6, and clear usage errors that never echo secrets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isToolError } from '../model/errors.js';
import { parseProbeTarget, parseProxy } from './target.js';

test('URLs and host[:port] forms give host, port and path', () => {
  assert.deepEqual(parseProbeTarget('https://API.Example.com/sap/bc/ping?x=1'), {
    host: 'api.example.com',
    port: 443,
    url: 'https://api.example.com/sap/bc/ping',
    path: '/sap/bc/ping?x=1',
    isIp: false,
  });
  assert.equal(parseProbeTarget('https://host.example:44300').port, 44300);
  assert.deepEqual(parseProbeTarget('host.example:8443'), {
    host: 'host.example',
    port: 8443,
    path: '/',
    isIp: false,
  });
  assert.equal(parseProbeTarget('host.example').port, 443);
  assert.equal(parseProbeTarget('ldaps://dc.example').port, 636);
  assert.deepEqual(parseProbeTarget('[2001:db8::1]:8443'), {
    host: '2001:db8::1',
    port: 8443,
    path: '/',
    isIp: true,
  });
  assert.equal(parseProbeTarget('2001:db8::1').port, 443);
  assert.equal(parseProbeTarget('https://[::1]:4443/').host, '::1');
  assert.equal(parseProbeTarget('10.1.2.3:443').isIp, true);
});

test('bad targets are usage errors with a hint', () => {
  const cases: [string, RegExp][] = [
    ['http://host.example', /plain HTTP/],
    ['ftp://host.example', /not supported/],
    ['host.example:0', /outside 1–65535/],
    ['host.example:99999', /outside/],
    ['host.example:abc', /not a port/],
    ['bad host!', /not a host name/],
    ['https://user:pw@host.example', /credentials/],
    ['host.example/path', /https:\/\//],
    ['', /Name the endpoint/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseProbeTarget(input),
      (err) => isToolError(err) && err.code === 'usage' && message.test(err.message),
      input,
    );
  }
});

test('proxies: user, password from the URL or the environment, default port; errors hide the password', () => {
  assert.deepEqual(parseProxy('http://proxy.example:3128'), { host: 'proxy.example', port: 3128 });
  assert.deepEqual(parseProxy('proxy.example'), { host: 'proxy.example', port: 3128 });
  assert.deepEqual(parseProxy('http://sap%40corp:p%40ss@proxy.example:8080'), {
    host: 'proxy.example',
    port: 8080,
    user: 'sap@corp',
    password: 'p@ss',
  });
  assert.deepEqual(parseProxy('http://sapuser@proxy.example:8080', 'from-env'), {
    host: 'proxy.example',
    port: 8080,
    user: 'sapuser',
    password: 'from-env',
  });
  assert.throws(() => parseProxy('https://proxy.example:443'), /only HTTP forward proxies/);
  assert.throws(() => parseProxy('http://proxy.example:3128', 'pw'), /needs a user name/);
  assert.throws(
    () => parseProxy('http://user:topsecret@proxy example:1'),
    (err) => isToolError(err) && !err.message.includes('topsecret'),
  );
});
