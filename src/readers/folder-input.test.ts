/** @module A file is read the same whether named or found in a folder; JSON documents in a folder are skipped, not fatal. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../test/helpers/fixtures.js';
import { serializeEvidence } from '../evidence/saved-evidence.js';
import type { InputSummary, SslFailureEvent } from '../model/evidence.js';
import { jsonKind } from './detect.js';
import { readInputs } from './index.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-folder-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const FAILURE = 'SSL handshake with api.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)';

/** What matters of a summary for "read the same": the reader's format and what it counted. */
const shape = (i: InputSummary) => ({ format: i.format, lines: i.lines, bytes: i.bytes });

describe('folder input', () => {
  for (const sub of ['real/traces', 'real/cases']) {
    test(
      `every .txt of ${sub} is read with the same format in the folder as alone; its .json are skipped`,
      fixturesOrSkip(),
      async () => {
        const folder = fixturePath(...sub.split('/'));
        const names = readdirSync(folder).sort();
        const inFolder = await readInputs([folder]);
        assert.equal(inFolder.inputs.length, names.length);
        for (const [i, name] of names.entries()) {
          const got = inFolder.inputs[i]!;
          assert.equal(basename(got.name), name);
          if (name.endsWith('.json')) {
            assert.equal(got.format, 'json', name);
            assert.match(got.warnings.join(' '), /not saved evidence.*skipped/, name);
            assert.ok(!inFolder.events.some((e) => e.source.input === i), `${name} gives no events`);
            continue;
          }
          const alone = await readInputs([join(folder, name)]);
          assert.deepEqual(shape(got), shape(alone.inputs[0]!), name);
          assert.notEqual(got.format, 'unknown', `${name} is read`);
        }
      },
    );
  }

  test(
    'the bare chain dump trace-006 is recognised by its content, not only as a fallback',
    fixturesOrSkip(),
    async () => {
      const ev = await readInputs([fixturePath('real', 'traces')]);
      const i = ev.inputs.findIndex((x) => basename(x.name) === 'trace-006.txt');
      assert.equal(ev.inputs[i]?.format, 'abap-message');
      const failure = ev.events.find(
        (e): e is SslFailureEvent => e.kind === 'ssl-failure' && e.source.input === i,
      );
      assert.equal(failure?.certificates?.[0]?.subject.startsWith('CN=github.com'), true);
    },
  );

  test('a log whose failure lies past the first 64 KiB is read in a folder as when named', async () => {
    const folder = join(dir, 'late');
    mkdirSync(folder);
    const text = `${'application started, nothing to see here\n'.repeat(3000)}${FAILURE}\n`;
    writeFileSync(join(folder, 'app.out'), text);
    const inFolder = await readInputs([folder]);
    const alone = await readInputs([join(folder, 'app.out')]);
    assert.deepEqual(shape(inFolder.inputs[0]!), shape(alone.inputs[0]!));
    assert.equal(inFolder.events.filter((e) => e.kind === 'ssl-failure').length, 1);
  });

  test('JSON documents in a folder are skipped with a warning, a report of ours also when named; JSON lines are read as text', async () => {
    const folder = join(dir, 'json');
    mkdirSync(folder);
    const report = JSON.stringify(
      { tool: 'pse-doctor', findings: [{ errorCode: { name: 'SSSLERR_SSL_READ' } }] },
      null,
      2,
    );
    writeFileSync(join(folder, 'a-report.json'), report);
    writeFileSync(
      join(folder, 'b-log.jsonl'),
      `{"level":"ERROR","msg":"${FAILURE}"}\n{"level":"INFO","msg":"retry"}\n`,
    );
    writeFileSync(
      join(folder, 'c-saved.json'),
      serializeEvidence({ inputs: [], events: [], lines: {} }, { toolVersion: 'test' }),
    );
    const ev = await readInputs([folder]);
    assert.deepEqual(
      ev.inputs.map((i) => i.format),
      ['json', 'abap-message', 'json'],
    );
    assert.match(ev.inputs[0]!.warnings.join(' '), /not saved evidence/);
    assert.match(ev.inputs[2]!.warnings.join(' '), /give the file itself/);
    assert.deepEqual(
      ev.events.filter((e) => e.kind === 'ssl-failure').map((e) => e.source.input),
      [1],
      'only the JSON lines log gives a failure',
    );
    const named = await readInputs([join(folder, 'a-report.json')]);
    assert.equal(named.inputs[0]!.format, 'json');
    assert.equal(named.events.length, 0);
  });

  test('jsonKind: documents, JSON lines, and trace lines that start with a bracket', () => {
    const kind = (s: string) => jsonKind(Buffer.from(s));
    assert.equal(kind('{\n  "id": "case-1"\n}\n'), 'document');
    assert.equal(kind('\ufeff[{"a":1},{"a":2}]'), 'document');
    assert.equal(kind('{}'), 'document');
    assert.equal(kind('{"a":1}\n{"a":2}\n'), 'lines');
    assert.equal(kind('[Thr 140] *** ERROR => SSL handshake with x:443 failed'), undefined);
    assert.equal(kind('[2020.05.26 14:21:28.668325][4][disp+work ][GSS ][435584] x'), undefined);
    assert.equal(kind('{ not json but braces'), undefined);
    assert.equal(kind('Certificate:\n Subject: CN=x'), undefined);
    // A logged error is evidence: axios' error.toJSON() pretty-printed, one structured log line.
    assert.equal(
      kind('{\n  "message": "certificate has expired",\n  "code": "CERT_HAS_EXPIRED"\n}\n'),
      'lines',
    );
    assert.equal(kind('{"level":"error","msg":"x509: certificate signed by unknown authority"}\n'), 'lines');
    // pse-doctor's own documents stay documents, even with a message inside.
    assert.equal(kind('{\n  "tool": "pse-doctor",\n  "findings": [{"message": "x"}]\n}\n'), 'document');
    assert.equal(kind('{"cause": "untrusted-root", "notes": "code: x"}\n'), 'document');
  });
});
