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

  test('an index made from another store carries another fingerprint, so it is not taken for this one', () => {
    const other = fromSource.compileRootStore(rootCertificates.slice(1));
    const mine = fromSource.compileRootStore();
    assert.notEqual(other.storeSha256, mine.storeSha256);
    assert.equal(other.roots.length, mine.roots.length - 1);
    assert.equal(mine.node, process.version);
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
  test('the build wrote exactly the literals the source derives at run time', { skip }, async () => {
    const { quietGateLiterals } = await import('../src/readers/sap-text/quiet-lines.js');
    const derived = quietGateLiterals();
    assert.ok(derived && derived.anywhere.length > 100);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), derived);
  });
});
