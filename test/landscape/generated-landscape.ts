/**
 * @module A generated landscape for tests and the Chromium page test: two systems, five instances, PSEs
 * written by the test PSE writer from test-PKI certificates (made at test time; no key is committed).
 */
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateChain } from '../pki/index.js';
import { type WritePseOptions, writePse } from '../pse-writer/index.js';
import { getMyNameListing, maintainPkListing } from './sapgenpse-text.js';

/** The clock the generated landscape is judged at. */
export const LANDSCAPE_NOW = '2026-06-01T12:00:00.000Z';
const NOW_MS = Date.parse(LANDSCAPE_NOW);
const DAY = 86_400_000;
const days = (n: number) => new Date(NOW_MS + n * DAY);

export interface GeneratedLandscape {
  /** Roots: A is in every PSE, B only in ABC/app3's SAPSSLC.pse and the baseline. */
  rootA: Buffer;
  rootB: Buffer;
  rootApem: string;
  rootBpem: string;
  partnerLeafSubject: string;
}

/**
 * How the collected PSEs are written:
 * - `pse`: the PSE files (as `scripts/collect-pses.sh` copies them), without PIN;
 * - `listings`: the collection script's output for PSEs pse-doctor cannot open: each PSE file protected by a
 *   PIN that is not given, with `<file>.maintain_pk.txt` and `<file>.get_my_name.txt` beside it (ABC in the
 *   padded layout with MD5/SHA1 fingerprints, XYZ unpadded with SHA-256);
 * - `export`: no PSE file; STRUST exports of each certificate list as a PEM bundle named after the PSE
 *   (`SAPSSLC.pem`), the own certificate from `<file>.get_my_name.txt`.
 */
export type CollectedForm = 'pse' | 'listings' | 'export';

/** The PIN of the PSE files written for `listings` (never given to pse-doctor in the tests). */
export const UNGIVEN_PIN = 'not-given-4711';

/** Write `collected/` under `dir` (and `baseline.pem`), returns what tests compare with. */
export async function writeGeneratedLandscape(
  dir: string,
  form: CollectedForm = 'pse',
): Promise<GeneratedLandscape> {
  const a = await generateChain({ names: { root: 'Landscape Root A', intermediate: 'Landscape Issuing A' } });
  const b = await generateChain({
    names: { root: 'Landscape Root B', intermediate: 'Landscape Issuing B' },
    keySet: 'b',
  });
  // ABC's SSL client certificate: two-year lifetime, 20 days left (3% of its lifetime), serverAuth only.
  const abcClient = await generateChain({
    names: {
      root: 'Landscape Root A',
      intermediate: 'Landscape Issuing A',
      leaf: 'CN=ABC SSL client, O=PSE Doctor Test, C=DE',
    },
    leafHosts: ['abc-client.example.test'],
    leafValidity: { notBefore: days(-710), notAfter: days(20) },
    leafEku: ['serverAuth'],
  });
  // XYZ's client certificate: 47-day lifetime with 25 days left (53%): not expiring yet.
  const xyzClient = await generateChain({
    names: {
      root: 'Landscape Root A',
      intermediate: 'Landscape Issuing A',
      leaf: 'CN=XYZ SSL client, O=PSE Doctor Test, C=DE',
    },
    leafHosts: ['xyz-client.example.test'],
    leafValidity: { notBefore: days(-22), notAfter: days(25) },
  });
  const expiredServer = await generateChain({
    names: { root: 'Landscape Root A', intermediate: 'Landscape Issuing A', leaf: 'abc-app1.example.test' },
    leafHosts: ['abc-app1.example.test'],
    leafValidity: { notBefore: days(-400), notAfter: days(-35) },
  });
  const server = (host: string) =>
    generateChain({
      names: { root: 'Landscape Root A', intermediate: 'Landscape Issuing A', leaf: host },
      leafHosts: [host],
      leafValidity: { notBefore: days(-30), notAfter: days(335) },
    });
  // A partner's server certificate (issued by the partner's CA), pinned instead of that CA.
  const partner = (
    await generateChain({
      names: { root: 'Partner Root', intermediate: 'Partner Issuing CA', leaf: 'partner.example.test' },
      leafHosts: ['partner.example.test'],
      keySet: 'partner',
    })
  ).leaf;

  const fast = { version: 4 as const, iterations: 1 };
  const sslc = (trusted: Buffer[]): WritePseOptions => ({
    ...fast,
    own: abcClient.leaf.der,
    chain: [abcClient.intermediate.der],
    root: a.root.der,
    trusted,
  });
  const pses: Record<string, Record<string, Record<string, WritePseOptions>>> = {
    ABC: {
      app1: {
        'SAPSSLC.pse': sslc([a.root.der]),
        'SAPSSLA.pse': { ...fast, trusted: [a.root.der, partner.der] },
        'SAPSSLS.pse': {
          ...fast,
          own: expiredServer.leaf.der,
          chain: [a.intermediate.der],
          trusted: [a.root.der],
        },
      },
      app2: {
        'SAPSSLC.pse': sslc([a.root.der]),
        'SAPSSLA.pse': { ...fast, trusted: [a.root.der, partner.der] },
        'SAPSSLS.pse': {
          ...fast,
          own: (await server('abc-app2.example.test')).leaf.der,
          trusted: [a.root.der],
        },
      },
      app3: {
        // Drift: Root B was added with sapgenpse on this host only; SAPSSLA.pse was never distributed here.
        'SAPSSLC.pse': sslc([a.root.der, b.root.der]),
        'SAPSSLS.pse': {
          ...fast,
          own: (await server('abc-app3.example.test')).leaf.der,
          trusted: [a.root.der],
        },
      },
    },
    XYZ: {
      app1: { 'SAPSSLC.pse': { ...fast, own: xyzClient.leaf.der, trusted: [a.root.der] } },
      app2: { 'SAPSSLC.pse': { ...fast, own: xyzClient.leaf.der, trusted: [a.root.der] } },
    },
  };
  for (const [sid, instances] of Object.entries(pses)) {
    for (const [inst, files] of Object.entries(instances)) {
      const sec = join(dir, 'collected', sid, inst, 'sec');
      mkdirSync(sec, { recursive: true });
      for (const [name, spec] of Object.entries(files)) writeCollected(sec, sid, name, spec, form);
    }
  }
  writeFileSync(join(dir, 'baseline.pem'), a.root.pem + b.root.pem);
  return {
    rootA: a.root.der,
    rootB: b.root.der,
    rootApem: a.root.pem,
    rootBpem: b.root.pem,
    partnerLeafSubject: partner.subject,
  };
}

/** One collected PSE in the chosen form. */
function writeCollected(
  sec: string,
  sid: string,
  name: string,
  spec: WritePseOptions,
  form: CollectedForm,
): void {
  if (form === 'pse') {
    writeFileSync(join(sec, name), writePse(spec));
    return;
  }
  // What `maintain_pk -l` lists: the certificate list, with the PKRoot as the PSE reader counts it.
  const list = [...(spec.trusted ?? [])];
  if (spec.root && !list.some((c) => Buffer.compare(c, spec.root as Uint8Array) === 0)) list.push(spec.root);
  const path = `/usr/sap/${sid}/D00/sec/${name}`;
  if (spec.own)
    writeFileSync(
      join(sec, `${name}.get_my_name.txt`),
      getMyNameListing(path, spec.own, spec.chain ?? [], spec.root),
    );
  if (form === 'listings') {
    writeFileSync(join(sec, name), writePse({ ...spec, pin: UNGIVEN_PIN }));
    writeFileSync(
      join(sec, `${name}.maintain_pk.txt`),
      maintainPkListing(path, list, sid === 'ABC' ? 'padded' : 'unpadded'),
    );
    return;
  }
  const pem = list.map((der) => new X509Certificate(der).toString()).join('');
  writeFileSync(join(sec, name.replace(/\.pse$/i, '.pem')), pem);
}

/** Copy the real PSE fixtures (PIN-protected v2 and v4) into `collected/REAL/inst1/sec`. */
export function addRealFixtures(dir: string, fixtureDir: string): void {
  const sec = join(dir, 'collected', 'REAL', 'inst1', 'sec');
  mkdirSync(sec, { recursive: true });
  for (const name of ['pse_v2_lps_off_pbes1_3des_sha1.pse', 'pse_v4_lps_off_pbes1_3des_sha1.pse'])
    copyFileSync(join(fixtureDir, name), join(sec, name));
}
