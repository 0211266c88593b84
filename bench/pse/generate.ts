/**
 * @module Writes a synthetic sec folder of N PSE files for the `pse` benchmark, with the test writer:
 * STRUST-like names, own certificates with chains, and trust lists of 5–60 CAs drawn from a shared pool
 * (as real systems share their roots across PSEs). Deterministic for a given N.
 *
 * node --import tsx bench/pse/generate.ts <dir> [count=200]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../../test/helpers/prng.js';
import { generateChain, type TestChain } from '../../test/pki/index.js';
import { writePse } from '../../test/pse-writer/index.js';

const FIXED = ['SAPSSLA', 'SAPSSLC', 'SAPSSLS', 'SAPSNCS', 'SAPSYS'];

function nameFor(i: number): string {
  if (i < FIXED.length) return `${FIXED[i]}.pse`;
  const n = i - FIXED.length;
  if (n % 3 === 0) return `SAPSSLS_P${String(40000 + n).padStart(5, '0')}.pse`;
  if (n % 3 === 1) return `SAPSSL${`C${n}`.slice(0, 8)}.pse`;
  return `SAPSSF${String(n).padStart(4, '0')}.pse`;
}

export async function generateSecFolder(
  dir: string,
  count: number,
): Promise<{ files: number; certificates: number; bytes: number }> {
  mkdirSync(dir, { recursive: true });
  const pool: TestChain[] = [];
  for (let i = 0; i < 24; i++) {
    pool.push(
      await generateChain({
        keyType: 'ec',
        names: { root: `Bench Root CA ${i}`, intermediate: `Bench Issuing CA ${i}` },
        keySet: `bench-${i}`,
      }),
    );
  }
  const cas = pool.flatMap((c) => [c.root.der, c.intermediate.der]);
  const r = prng(20260115);
  let certificates = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const own = pool[i % pool.length] as TestChain;
    const size = 5 + Math.floor(r() * 56);
    const trusted = Array.from({ length: size }, () => cas[Math.floor(r() * cas.length)] as Buffer);
    const unique = [...new Map(trusted.map((d) => [d.toString('base64'), d])).values()];
    const pse = writePse({
      version: i % 2 === 0 ? 2 : 4,
      own: own.leaf.der,
      keyPem: own.leaf.keyPem,
      chain: [own.intermediate.der],
      root: own.root.der,
      trusted: unique,
      createdAt: new Date('2026-01-15T12:00:00Z'),
    });
    writeFileSync(join(dir, nameFor(i)), pse);
    certificates += unique.length + 3;
    bytes += pse.length;
  }
  return { files: count, certificates, bytes };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '')) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) throw new Error('usage: generate.ts <dir> [count]');
  generateSecFolder(dir, Number(count ?? 200)).then((s) => process.stdout.write(`${JSON.stringify(s)}\n`));
}
