/** @module Size parsing for --max-upload and the byte counts shown in 413 answers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, parseByteSize } from './request-body.js';
import { isLoopbackHost } from './security.js';

test('parseByteSize reads binary units and refuses nonsense', () => {
  assert.equal(parseByteSize('200MB'), 200 * 1024 * 1024);
  assert.equal(parseByteSize('1.5G'), 1.5 * 1024 ** 3);
  assert.equal(parseByteSize('512k'), 512 * 1024);
  assert.equal(parseByteSize('2 GiB'), 2 * 1024 ** 3);
  assert.equal(parseByteSize('1048576'), 1048576);
  for (const bad of ['', '0', '-1MB', '12XB', '1e9', 'MB', '1.2.3M'])
    assert.equal(parseByteSize(bad), undefined, bad);
});

test('formatBytes gives the units people read', () => {
  assert.equal(formatBytes(200 * 1024 * 1024), '200 MB');
  assert.equal(formatBytes(2 * 1024 ** 3), '2 GB');
  assert.equal(formatBytes(100_000), '97.7 KB');
  assert.equal(formatBytes(12), '12 bytes');
});

test('loopback addresses are recognised; others are not', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '127.0.0.1.example.com'])
    assert.equal(isLoopbackHost(h), false, h);
});
