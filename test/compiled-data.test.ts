/**
 * @module Data the build compiles (dist/pki/root-store.json) is used by the built code and answers exactly
 * like the index built at run time from Node's store.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { pathToFileURL } from 'node:url';
import * as fromSource from '../src/pki/root-store.js';
import { REPO_ROOT } from './helpers/fixtures.js';

const BUILT = join(REPO_ROOT, 'dist', 'pki', 'root-store.js');

function builtOrSkip(): { skip: string | false } {
  if (existsSync(BUILT) && existsSync(join(REPO_ROOT, 'dist', 'pki', 'root-store.json')))
    return { skip: false };
  if (process.env.CI === 'true') throw new Error('dist/pki/root-store.json is required under CI but missing');
  return { skip: 'dist/pki/root-store.json missing: run `npm run build` (compiled-data tests skipped)' };
}

describe('the compiled root store', builtOrSkip(), () => {
  test('dist uses it, and every root, lookup and organisation answer equals the run-time index', async () => {
    const fromDist = (await import(pathToFileURL(BUILT).href)) as typeof fromSource;
    assert.equal(fromDist.rootIndexOrigin(), 'compiled');
    assert.equal(fromSource.rootIndexOrigin(), 'built');
    const compiled = fromDist.listRoots();
    const built = fromSource.listRoots();
    assert.ok(built.length > 100);
    assert.deepEqual(compiled, built);
    for (const root of built) {
      assert.ok(rootCertificates.includes(root.pem as string));
      const query = { dn: root.subject, ...(root.subjectKeyId ? { keyId: root.subjectKeyId } : {}) };
      assert.deepEqual(fromDist.findRoots(query), fromSource.findRoots(query), root.subject);
      const cn = /CN=([^,]+)/.exec(root.subject)?.[1];
      if (cn) assert.deepEqual(fromDist.findRootsByCn(cn), fromSource.findRootsByCn(cn));
    }
    for (const org of ['DigiCert Inc', 'Google Trust Services LLC', 'Example Corp']) {
      assert.equal(fromDist.isPublicCaOrganization(org), fromSource.isPublicCaOrganization(org), org);
    }
  });

  test('DN spellings and near misses that fall back to a scan give the run-time answers', async () => {
    // Reordered, re-keyed (SAP and RFC readings of SN/ST/S/SP, OIDs) and re-spaced subjects: those the
    // DN index misses are found by a scan of the roots sharing the subject's values. Subjects with a
    // root's values under swapped keys share them and match nothing.
    const fromDist = (await import(pathToFileURL(BUILT).href)) as typeof fromSource;
    const rekeys = ['SN', 'ST', 'S', 'SP', 'STREET', 'SERIALNUMBER', '2.5.4.5', '2.5.4.8', '2.5.4.9'];
    let found = 0;
    let asked = 0;
    for (const root of fromSource.listRoots()) {
      const parts = (root.subject ?? '').split(/,\s*/);
      const variants = [[...parts].reverse().join(', '), `/${[...parts].reverse().join('/')}`];
      for (let i = 0; i < parts.length; i++) {
        const key = parts[i]!.split('=')[0]!;
        if (!['SN', 'SP', 'L', 'E'].includes(key)) continue;
        for (const k of rekeys) {
          const re = parts.map((p, j) => (j === i ? `${k}${p.slice(key.length)}` : p));
          variants.push(re.join(', '), [...re].reverse().join(',  '));
        }
      }
      if (parts.length >= 2) {
        const swapped = [...parts];
        const [k0, v0] = swapped[0]!.split('=');
        const [k1, v1] = swapped[1]!.split('=');
        swapped[0] = `${k0}=${v1}`;
        swapped[1] = `${k1}=${v0}`;
        variants.push(swapped.join(', '), [...swapped].reverse().join(', '));
      }
      for (const dn of variants) {
        const want = fromSource.findRoots({ dn });
        assert.deepEqual(fromDist.findRoots({ dn }), want, dn);
        asked++;
        if (want.length > 0) found++;
      }
    }
    assert.ok(asked > 500 && found > 200, `${asked} spellings, ${found} found`);
    for (const dn of ['CN=Partner Root CA, O=Partner AG, C=DE', 'C=US, O=DigiCert Inc, CN=Nobody']) {
      assert.deepEqual(fromDist.findRoots({ dn }), [], dn);
      assert.deepEqual(fromSource.findRoots({ dn }), [], dn);
    }
  });

  test('an index made from another store carries another fingerprint', () => {
    const other = fromSource.compileRootStore(rootCertificates.slice(1));
    const mine = fromSource.compileRootStore();
    assert.notEqual(other.storeSha256, mine.storeSha256);
    assert.equal(other.roots.length, mine.roots.length - 1);
    assert.equal(mine.node, process.version);
  });

  test('the saved PEMs are the store, read only when a PEM is asked for; another Node version is not used', () => {
    const compiled = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'pki', 'root-store.json'), 'utf8'));
    const saved = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'pki', 'root-store-pems.json'), 'utf8'));
    assert.deepEqual(saved, rootCertificates);
    let reads = 0;
    const readPems = () => {
      reads++;
      return saved as string[];
    };
    const roots = fromSource.listCompiledRoots(compiled, readPems);
    assert.ok(roots && roots.length > 100);
    assert.equal(reads, 0, 'describing the roots reads no PEM');
    assert.deepEqual(roots, fromSource.listRoots());
    assert.equal(reads, 1, 'the PEMs are read once, on the first one asked for');
    // Each PEM is the store's string at the root's position, and stays a plain value once read.
    for (const root of roots) assert.ok(rootCertificates.includes(root.pem as string));
    assert.equal(JSON.stringify(roots), JSON.stringify(fromSource.listRoots()));
    assert.equal(reads, 1);
    // A saved list cut short: the PEMs it lacks come from the store.
    const cut = fromSource.listCompiledRoots(compiled, () => (saved as string[]).slice(0, 10));
    assert.deepEqual(cut, fromSource.listRoots());
    // Built under another Node version (its bundled roots may differ): not used.
    assert.equal(fromSource.listCompiledRoots({ ...compiled, node: 'v0.0.0' }, readPems), undefined);
    assert.equal(fromSource.listCompiledRoots({ ...compiled, version: 1 }, readPems), undefined);
  });
});

describe('the compiled quiet-line gate', () => {
  const file = join(REPO_ROOT, 'dist', 'readers', 'sap-text', 'quiet-gate.json');
  const skip = existsSync(file)
    ? false
    : process.env.CI === 'true'
      ? (() => {
          throw new Error('dist/readers/sap-text/quiet-gate.json is required under CI but missing');
        })()
      : 'dist/readers/sap-text/quiet-gate.json missing: run `npm run build`';
  test('the build wrote the tables packed from the literals derived at run time', { skip }, async () => {
    const { compileQuietGate, quietGateLiterals } = await import('../src/readers/sap-text/quiet-lines.js');
    const derived = quietGateLiterals();
    assert.ok(derived && derived.anywhere.length > 100);
    const shipped = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(shipped, compileQuietGate(derived));
    assert.ok(shipped.literals.byFour.length > 100 && shipped.literals.starts.length > 5);
  });
});
