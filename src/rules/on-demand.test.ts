/**
 * @module Rules loaded on demand: the rules picked for an Evidence are exactly the registered rules that
 * can apply to it, in registry order; diagnosing with them gives the report every rule gives; the built
 * index and group modules hold every registered rule.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, SHARED_FIXTURES } from '../../test/helpers/fixtures.js';
import { diagnose } from '../analyze.js';
import { diagnoseInParts, diagnoseOnDemand, diagnoseWith } from '../engine/diagnose.js';
import type { Evidence, EvidenceKind } from '../model/evidence.js';
import type { Report } from '../model/report.js';
import { readEvidence } from '../read-evidence.js';
import type { Rule } from './define.js';
import { RULES } from './index.js';
import { type GroupLoader, groupOf, kindsOf, ruleIndexOf, rulesFor } from './on-demand.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const INDEX = ruleIndexOf(RULES);
/** Groups as the build makes them, from the registry in this process. */
const loadFromRegistry: GroupLoader = async (group) => RULES.filter((r) => groupOf(r) === group);
const ALL_KINDS = [...new Set(RULES.flatMap((r) => [...r.needs, ...(r.uses ?? [])]))];

function applicable(kinds: ReadonlySet<EvidenceKind>): string[] {
  return RULES.filter((r) => r.needs.some((k) => kinds.has(k))).map((r) => r.id);
}

/** diagnoseInParts with the registry's groups, noting each group it loads as `<part>:<group>`. */
async function inParts(evidence: Evidence): Promise<{ report: Report; loaded: string[] }> {
  const loaded: string[] = [];
  const report = await diagnoseInParts(
    evidence,
    (kinds, part) =>
      rulesFor(kinds, part, INDEX, async (group) => {
        loaded.push(`${part}:${group}`);
        return loadFromRegistry(group);
      }),
    { now: NOW },
  );
  return { report, loaded };
}

describe('rules on demand', () => {
  test('each evidence kind alone, every pair and all kinds pick the rules that can apply, in registry order', async () => {
    const sets: Set<EvidenceKind>[] = [new Set(), new Set(ALL_KINDS)];
    for (const a of ALL_KINDS) {
      sets.push(new Set([a]));
      for (const b of ALL_KINDS) if (a < b) sets.push(new Set([a, b]));
    }
    for (const kinds of sets) {
      const picked = await rulesFor(kinds, 'all', INDEX, loadFromRegistry);
      assert.deepEqual(
        picked.map((r) => r.id),
        applicable(kinds),
        [...kinds].join(','),
      );
      // The very rule objects of the registry.
      for (const r of picked)
        assert.equal(
          r,
          RULES.find((x) => x.id === r.id),
        );
    }
    assert.equal((await rulesFor(new Set(ALL_KINDS), 'all', INDEX, loadFromRegistry)).length, RULES.length);
  });

  test('only the groups of the kinds present are loaded', async () => {
    const loaded: string[] = [];
    await rulesFor(new Set<EvidenceKind>(['snc-failure']), 'all', INDEX, async (group) => {
      loaded.push(group);
      return loadFromRegistry(group);
    });
    const expected = [...new Set(INDEX.filter((e) => e.needs.includes('snc-failure')).map((e) => e.group))];
    assert.deepEqual(loaded.sort(), expected.sort());
    assert.ok(!loaded.includes('trust-list'));
  });

  test('a group that lacks one of its rules is an error, not a silently smaller diagnosis', async () => {
    await assert.rejects(
      rulesFor(new Set<EvidenceKind>(['ssl-failure']), 'all', INDEX, async () => []),
      /missing from its group/,
    );
  });

  test('without a built index every rule is used', async () => {
    assert.deepEqual(await rulesFor(new Set(), 'all', null), RULES);
    assert.deepEqual(
      (await rulesFor(new Set(), 'fallback', null)).map((r) => r.id),
      RULES.filter((r) => r.fallback).map((r) => r.id),
    );
  });

  test('every fixture and example: the report with the rules picked equals the report with every rule', async () => {
    const files = (dir: string): string[] =>
      readdirSync(dir)
        .sort()
        .flatMap((n) => {
          const p = join(dir, n);
          const st = statSync(p);
          return st.isDirectory() ? files(p) : st.isFile() && !n.endsWith('.md') ? [p] : [];
        });
    const inputs = [
      ...files(join(REPO_ROOT, 'examples')),
      ...(SHARED_FIXTURES ? files(SHARED_FIXTURES) : []),
    ];
    let compared = 0;
    let fallbackLoads = 0;
    for (const input of inputs) {
      let evidence: Awaited<ReturnType<typeof readEvidence>>;
      try {
        evidence = await readEvidence([input], { now: NOW });
      } catch {
        continue; // an input the CLI refuses (PIN-protected PSE, JSON answers): nothing to diagnose
      }
      const picked = await rulesFor(kindsOf(evidence), 'all', INDEX, loadFromRegistry);
      const every = diagnose(evidence, { now: NOW });
      assert.deepEqual(diagnoseWith(evidence, picked, { now: NOW }), every, input);
      // In two parts, the fallback rules only for what the others left unsettled: the same report.
      const { report, loaded } = await inParts(evidence);
      assert.deepEqual(report, every, input);
      if (loaded.includes('fallback:message')) fallbackLoads++;
      compared++;
    }
    assert.ok(compared >= (SHARED_FIXTURES ? 30 : 1), `${compared} inputs compared`);
    // Some inputs leave a message to the kb-message rule, not every one does.
    if (SHARED_FIXTURES)
      assert.ok(fallbackLoads > 0 && fallbackLoads < compared, `${fallbackLoads} of ${compared}`);
  });

  test('a pasted Java line that the Java rule explains loads no fallback rule; an unknown one does', async () => {
    const groupsFor = async (text: string): Promise<string[]> => {
      const evidence = await readEvidence([{ name: 'pasted text', bytes: Buffer.from(`${text}\n`) }], {
        now: NOW,
      });
      return (await inParts(evidence)).loaded;
    };
    const pkix = await groupsFor(
      'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    );
    assert.ok(pkix.includes('ordinary:java-tls-failure'), pkix.join(' '));
    assert.ok(!pkix.some((g) => g.startsWith('fallback:')), pkix.join(' '));
    const go = await groupsFor(
      'Get "https://s4.example.com/sap/opu/odata": x509: certificate signed by unknown authority',
    );
    assert.ok(go.includes('fallback:message'), go.join(' '));
  });

  test('diagnoseOnDemand checks its argument like diagnose', async () => {
    await assert.rejects(diagnoseOnDemand({} as never), /diagnose\(\) takes Evidence/);
  });
});

const BUILT_INDEX = join(REPO_ROOT, 'dist', 'rules', 'rule-index.json');

function builtOrSkip(): { skip: string | false } {
  if (existsSync(BUILT_INDEX)) return { skip: false };
  if (process.env.CI === 'true')
    throw new Error('dist/rules/rule-index.json is required under CI but missing');
  return { skip: 'dist/rules/rule-index.json missing: run `npm run build`' };
}

describe('the built rule index', builtOrSkip(), () => {
  test('lists every registered rule with the kinds it needs and its group, in registry order', () => {
    assert.deepEqual(JSON.parse(readFileSync(BUILT_INDEX, 'utf8')), INDEX);
  });

  test('has one module per group, holding exactly the rules of that group, in registry order', async () => {
    const dir = join(REPO_ROOT, 'dist', 'rules', 'groups');
    const groups = [...new Set(INDEX.map((e) => e.group))].sort();
    assert.deepEqual(readdirSync(dir).sort(), groups.map((g) => `${g}.js`).sort());
    for (const group of groups) {
      const mod = (await import(pathToFileURL(join(dir, `${group}.js`)).href)) as { default: Rule[] };
      assert.deepEqual(
        mod.default.map((r) => r.id),
        INDEX.filter((e) => e.group === group).map((e) => e.id),
        group,
      );
    }
  });
});
