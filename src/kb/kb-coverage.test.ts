/**
 * @module Every knowledge-base id the rest of the tool can cite resolves: each rule's `kb` ids, every code
 * the readers know (`knownCodes()`), every code the readers extract from the real fixtures, and every kb
 * id in the findings of `analyze` on those fixtures. Modules are loaded by path so these tests run
 * against whatever is registered (and skip visibly while a module does not exist yet).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fixturesOrSkip, listFixtures } from '../../test/helpers/fixtures.js';
import { getEntry, type KbEntry, loadKnowledgeBase } from './index.js';

const SRC = new URL('..', import.meta.url).pathname;

async function importIfPresent(rel: string): Promise<Record<string, unknown> | undefined> {
  const file = join(SRC, rel);
  if (!existsSync(file)) return undefined;
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

const rulesModule = await importIfPresent('rules/index.ts');
const readersModule = await importIfPresent('readers/index.ts');
const analyzeModule = await importIfPresent('analyze.ts');

/** The canonical entry an id names; rules and readers must cite canonical ids, not aliases. */
function canonical(id: string): KbEntry | undefined {
  const e = getEntry(id);
  return e?.id === id ? e : undefined;
}

describe('rule kb ids', () => {
  const rules = (rulesModule?.RULES ?? []) as Array<{ id: string; kb: readonly string[] }>;
  test('every registered rule cites kb ids that exist', {
    skip: rulesModule ? false : 'src/rules/index.ts not there yet',
  }, () => {
    assert.ok(rules.length > 0, 'RULES is empty');
    const missing = rules.flatMap((r) => r.kb.filter((id) => !canonical(id)).map((id) => `${r.id}: ${id}`));
    assert.deepEqual(missing, []);
  });
});

describe('reader codes', () => {
  const known = ((readersModule?.knownCodes as (() => unknown[]) | undefined)?.() ?? []) as Array<{
    kbId: string;
    family: string;
    number?: number;
    aliases?: string[];
  }>;
  const skip = readersModule?.knownCodes ? false : 'src/readers/index.ts has no knownCodes yet';

  test('every code a reader knows has an entry under that exact id, and its aliases lead there', {
    skip,
  }, () => {
    const missing: string[] = [];
    for (const code of known) {
      const e = canonical(code.kbId);
      if (!e) missing.push(code.kbId);
      for (const alias of code.aliases ?? [])
        if (getEntry(alias) !== e) missing.push(`${alias} (alias of ${code.kbId})`);
    }
    assert.deepEqual(missing, []);
  });

  test('reader and knowledge base agree on the numbers of SapSSL, ICM and TLS alert codes', { skip }, () => {
    const kb = loadKnowledgeBase();
    for (const code of known) {
      if (code.number === undefined) continue;
      const space = ({ sapssl: 'sssl', icm: 'icm', 'tls-alert': 'alert' } as const)[code.family as 'sapssl'];
      if (!space) continue;
      assert.equal(kb.getByNumber(space, code.number)?.id, code.kbId, `${code.family} ${code.number}`);
    }
  });
});

describe('codes extracted from the real fixtures', () => {
  const files = [...listFixtures('real/cases', '.txt'), ...listFixtures('real/traces', '.txt')];
  const readInputs = readersModule?.readInputs as
    | ((specs: string[]) => Promise<{ events: Array<Record<string, unknown>> }>)
    | undefined;
  const tlsAlertKbId = readersModule?.tlsAlertKbId as ((d: string) => string) | undefined;

  test('every error, ICM, alert, SNC/GSS and client code the readers emit resolves', {
    ...fixturesOrSkip(),
    ...(readInputs ? {} : { skip: 'readInputs not there yet' }),
  }, async () => {
    const kb = loadKnowledgeBase();
    const seen = new Set<string>();
    const missing: string[] = [];
    const need = (id: string | undefined, where: string): void => {
      if (!id) return;
      seen.add(id);
      if (!kb.getEntry(id)) missing.push(`${id} (${where})`);
    };
    for (const file of files) {
      const { events } = await readInputs!([file]);
      const name = file.split(/[/\\]/).pop()!;
      for (const ev of events) {
        const error = ev.error as { name?: string; number?: number } | undefined;
        need(error?.name, name);
        const icm = ev.icm as { name?: string; number?: number } | undefined;
        if (icm?.name) need(icm.name, name);
        else if (icm?.number !== undefined && !kb.getByNumber('icm', icm.number))
          missing.push(`ICM ${icm.number} (${name})`);
        const alert = ev.alert as { description?: string } | undefined;
        if (alert?.description && tlsAlertKbId) need(tlsAlertKbId(alert.description), name);
        need((ev.gssMinor as { code?: string } | undefined)?.code, name);
        if (typeof ev.code === 'string' && ev.kind === 'client-error') need(ev.code, name);
      }
    }
    assert.deepEqual(missing, []);
    // The fixtures do exercise the code paths: several kinds of codes were seen.
    for (const id of ['SSSLERR_SERVER_CERT_MISMATCH', 'SNCERR_GSSAPI', 'DLENOACCESS']) {
      assert.ok(
        [...seen].some((s) => kb.getEntry(s)?.id === id),
        `no ${id} seen in the fixtures`,
      );
    }
  });

  const analyze = analyzeModule?.analyze as
    | ((
        specs: string[],
        opts?: { now?: Date },
      ) => Promise<{ findings: Array<{ rule: string; kb: string[] }> }>)
    | undefined;
  test('every kb id cited by a finding of analyze on the fixtures resolves to its canonical entry', {
    ...fixturesOrSkip(),
    ...(analyze ? {} : { skip: 'src/analyze.ts not there yet' }),
  }, async () => {
    const missing: string[] = [];
    let cited = 0;
    for (const file of files) {
      const report = await analyze!([file], { now: new Date('2024-06-01T00:00:00Z') });
      for (const f of report.findings) {
        for (const id of f.kb) {
          cited++;
          if (!canonical(id)) missing.push(`${f.rule}: ${id} (${file.split(/[/\\]/).pop()})`);
        }
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(cited > 0, 'no finding cited any kb id');
  });
});
