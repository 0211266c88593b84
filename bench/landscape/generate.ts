/**
 * @module Writes a generated landscape for the `landscape` benchmark: <systems> systems × <instances>
 * instances × 8 PSEs (SAPSSLA/C/S, SAPSNCS, SAPSYS and three SSL client identities), own certificates
 * from a pool of test chains, trust lists of 10–40 CAs from a shared pool, a little drift. Deterministic.
 *
 * node --import tsx bench/landscape/generate.ts <dir> [systems=100] [instances=6]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../../test/helpers/prng.js';
import { generateChain, type TestChain } from '../../test/pki/index.js';
import { writePse } from '../../test/pse-writer/index.js';

const NAMES = [
  'SAPSSLA',
  'SAPSSLC',
  'SAPSSLS',
  'SAPSNCS',
  'SAPSYS',
  'SAPSSLCPARTN',
  'SAPSSLCCLOUD',
  'SAPSSLCB2B',
];

const [dir = 'bench-landscape', systemsArg = '100', instancesArg = '6'] = process.argv.slice(2);
const systems = Number(systemsArg);
const instances = Number(instancesArg);
const pool: TestChain[] = [];
for (let i = 0; i < 24; i++) {
  pool.push(
    await generateChain({
      keyType: 'ec',
      names: {
        root: `Bench Root CA ${i}`,
        intermediate: `Bench Issuing CA ${i}`,
        leaf: `bench-own-${i}.example.test`,
      },
      leafHosts: [`bench-own-${i}.example.test`],
      keySet: `bench-${i}`,
    }),
  );
}
const cas = pool.flatMap((c) => [c.root.der, c.intermediate.der]);
const r = prng(20261205);
let files = 0;
let bytes = 0;
let certificates = 0;
for (let s = 0; s < systems; s++) {
  const sid = `S${String(s).padStart(2, '0')}`;
  // One PSE per name per system, distributed to every instance; one instance in ten drifts.
  const base = NAMES.map((_, n) => {
    const size = 10 + Math.floor(r() * 31);
    const trusted = [
      ...new Map(
        Array.from({ length: size }, () => cas[Math.floor(r() * cas.length)] as Buffer).map((d) => [
          d.toString('base64'),
          d,
        ]),
      ).values(),
    ];
    return { own: pool[(s * 8 + n) % pool.length] as TestChain, trusted };
  });
  for (let i = 0; i < instances; i++) {
    const sec = join(dir, sid, `D${String(i).padStart(2, '0')}`, 'sec');
    mkdirSync(sec, { recursive: true });
    for (const [n, name] of NAMES.entries()) {
      const b = base[n]!;
      const drift = r() < 0.1 ? [cas[Math.floor(r() * cas.length)] as Buffer] : [];
      const trusted = [...b.trusted, ...drift];
      const pse = writePse({
        version: 4,
        iterations: 1,
        own: b.own.leaf.der,
        chain: [b.own.intermediate.der],
        root: b.own.root.der,
        trusted,
      });
      writeFileSync(join(sec, `${name}.pse`), pse);
      files++;
      bytes += pse.length;
      certificates += trusted.length + 3;
    }
  }
}
process.stdout.write(`${JSON.stringify({ files, bytes, certificates })}\n`);
