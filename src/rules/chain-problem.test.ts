/** @module The words of each chain problem: one template per kind, every placeholder filled from the facts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CertificateInfo } from '../model/certificate.js';
import type { ChainProblem, ProblemKind } from '../pki/verify.js';
import { capitalSentence, PROBLEM_SENTENCE, problemSentence } from './chain-problem.js';

const cert: CertificateInfo = {
  subject: 'CN=Issuing \u001b[31mCA, O=Example',
  notBefore: '2020-01-01T00:00:00.000Z',
  notAfter: '2024-05-06T00:00:00.000Z',
};
const LIST = 'SAPSSLA.pse (SSL client Anonymous)';

const cases: [ChainProblem, string][] = [
  [{ kind: 'empty', level: 'fail' }, 'no certificate to judge'],
  [
    { kind: 'chain-loop', level: 'fail' },
    `the certificates issue each other in a loop and never reach ${LIST}`,
  ],
  [
    { kind: 'chain-too-long', level: 'fail', chainLength: 12 },
    `the chain is longer than 12 certificates without reaching ${LIST}`,
  ],
  [
    { kind: 'self-signed', level: 'fail', cert, position: 'leaf' },
    `the server certificate "Issuing \\1B[31mCA" is self-signed and not in ${LIST}`,
  ],
  [
    {
      kind: 'root-missing',
      level: 'fail',
      missing: { kind: 'root', subject: 'CN=Root R' },
      sameNameOtherKey: [cert],
    },
    `root CA "Root R" is not in ${LIST} (the list holds a certificate with that name but another key: it cannot verify this chain)`,
  ],
  [
    {
      kind: 'intermediate-missing',
      level: 'fail',
      missing: { kind: 'intermediate', subject: 'CN=Sub' },
      aiaNotFetched: true,
    },
    `intermediate CA "Sub" is not sent by the server and not in ${LIST}; AIA fetching was not enabled`,
  ],
  [
    { kind: 'expired', level: 'fail', cert, position: 'intermediate' },
    'intermediate CA "Issuing \\1B[31mCA" expired on 2024-05-06',
  ],
  [
    { kind: 'not-yet-valid', level: 'fail', cert, position: 'leaf' },
    'server certificate "Issuing \\1B[31mCA" is not valid before 2020-01-01',
  ],
  [
    { kind: 'weak-signature', level: 'warn', cert, position: 'leaf', weakness: 'sha1' },
    'server certificate "Issuing \\1B[31mCA" is signed with SHA1',
  ],
  [
    { kind: 'weak-signature', level: 'fail', cert, position: 'root', weakness: 'rsa-key', keyBits: 1024 },
    'root CA "Issuing \\1B[31mCA" has an RSA key of 1024 bits',
  ],
  [
    { kind: 'name-mismatch', level: 'fail', cert, position: 'leaf', host: 'a.example\u0007', names: [] },
    'host "a.example\\07" is not named by the server certificate (no usable names)',
  ],
];

test('each problem kind reads as one sentence from its template, control characters escaped', () => {
  const seen = new Set<ProblemKind>();
  for (const [problem, want] of cases) {
    seen.add(problem.kind);
    assert.equal(problemSentence(problem, LIST), want);
  }
  assert.deepEqual([...seen].sort(), Object.keys(PROBLEM_SENTENCE).sort(), 'every kind has a case');
});

test('the capitalised sentence starts a summary: a capital letter, or the capitalised role', () => {
  assert.match(capitalSentence('root-missing'), /^Root CA/);
  assert.match(capitalSentence('expired'), /^\{Role\}/);
});
