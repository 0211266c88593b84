/**
 * @module Data the build compiles (dist/pki/root-store.json with dist/pki/root-store-roots.json) is used by the
 * built code and answers exactly like the index built at run time from Node's store.
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
      // Keys are matched whole: a CN, key id or fingerprint cut short (or run on) finds nothing.
      if (cn)
        assert.deepEqual(fromDist.findRootsByCn(cn.slice(0, -1)), fromSource.findRootsByCn(cn.slice(0, -1)));
      if (cn) assert.deepEqual(fromDist.findRootsByCn(`${cn} 2`), fromSource.findRootsByCn(`${cn} 2`));
      assert.deepEqual(fromDist.findRoots({ sha256: root.sha256?.slice(1) }), []);
      if (root.subjectKeyId) assert.deepEqual(fromDist.findRoots({ keyId: `${root.subjectKeyId}00` }), []);
    }
    for (const org of [
      'DigiCert Inc',
      'Google Trust Services LLC',
      'Example Corp',
      'DigiCert',
      'Google Trust',
    ]) {
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
    const other = fromSource.compileRootStore(rootCertificates.slice(1)).store;
    const mine = fromSource.compileRootStore().store;
    assert.notEqual(other.storeSha256, mine.storeSha256);
    assert.equal(other.roots.length, mine.roots.length - 3);
    assert.equal(mine.node, process.version);
  });

  test('the key file is ASCII and parses to what the source compiles', () => {
    const text = readFileSync(join(REPO_ROOT, 'dist', 'pki', 'root-store.json'), 'utf8');
    assert.match(text, /^[\x00-\x7f]*$/);
    const { store } = fromSource.compileRootStore();
    assert.deepEqual(JSON.parse(text), store);
    // Some root subjects hold letters beyond ASCII: their keys are escaped, and found (the first test
    // looks up every root by its subject).
    const hungarian = fromSource.listRoots().find((r) => /[^\x00-\x7f]/.test(r.subject ?? ''));
    assert.ok(hungarian && /\\u00[0-9a-f]{2}/.test(store.keys));
  });

  test("each root's record is read by its byte range, only when a lookup returns it; a bad record falls back to the store", () => {
    const compiled = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'pki', 'root-store.json'), 'utf8'));
    const file = readFileSync(join(REPO_ROOT, 'dist', 'pki', 'root-store-roots.json'));
    const records = JSON.parse(file.toString('utf8')) as fromSource.CompiledRootRecord[];
    // The records hold the store's PEMs, each exactly the store's string at the root's position.
    for (const r of records) assert.equal(r.info?.pem ?? r.pem, rootCertificates[r.index]);
    assert.ok(records.length > 100);
    let reads = 0;
    const slice = (bytes: Buffer) => (range: readonly [number, number]) => {
      reads++;
      return JSON.parse(bytes.subarray(range[0], range[0] + range[1]).toString('utf8'));
    };
    const opened = fromSource.openCompiledRoots(compiled, slice(file));
    assert.ok(opened);
    assert.equal(reads, 0, 'opening the index reads no record');
    const g2 = 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US';
    assert.deepEqual(opened.find({ dn: g2 }), fromSource.findRoots({ dn: g2 }));
    assert.equal(reads, 1, 'a lookup reads the record of the root it returns, and no other');
    assert.deepEqual(opened.find({ dn: 'CN=Partner Root CA, O=Partner AG, C=DE' }), []);
    assert.equal(reads, 1);
    const roots = opened.list();
    assert.deepEqual(roots, fromSource.listRoots());
    assert.equal(reads, records.length, 'every record is read once, when first asked for');
    // Same objects, same property order (pem last, where a described certificate has it).
    assert.equal(JSON.stringify(roots), JSON.stringify(fromSource.listRoots()));
    for (const root of roots) assert.ok(rootCertificates.includes(root.pem as string));
    assert.equal(reads, records.length);
    // A file cut short, a damaged one (every byte shifted), one whose reads fail, and a stale one whose
    // ranges hold other roots' records: the roots come from the store instead, described the same.
    const cut = fromSource.openCompiledRoots(compiled, slice(file.subarray(0, file.length >> 1)))?.list();
    assert.deepEqual(cut, fromSource.listRoots());
    const shifted = fromSource
      .openCompiledRoots(compiled, slice(Buffer.concat([Buffer.from(' '), file])))
      ?.list();
    assert.deepEqual(shifted, fromSource.listRoots());
    const failing = fromSource
      .openCompiledRoots(compiled, () => {
        throw new Error('ENOENT');
      })
      ?.list();
    assert.deepEqual(failing, fromSource.listRoots());
    const first = file.subarray(compiled.roots[1], compiled.roots[1] + compiled.roots[2]).toString('utf8');
    const swapped = fromSource.openCompiledRoots(compiled, () => JSON.parse(first))?.list();
    assert.deepEqual(swapped, fromSource.listRoots());
    // Built under another Node version (its bundled roots may differ), or an older format: not used.
    const never = () => assert.fail('no record is read');
    assert.equal(fromSource.openCompiledRoots({ ...compiled, node: 'v0.0.0' }, never), undefined);
    assert.equal(fromSource.openCompiledRoots({ ...compiled, version: 2 }, never), undefined);
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
