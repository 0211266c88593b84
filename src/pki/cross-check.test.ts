/** @module Cross-checking a trace chain against trust lists: outcomes, used-PSE matching, role filter, PEM dumps. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateTestPki, type TestPki } from '../../test/pki/index.js';
import type { CertificateInfo, TrustList } from '../model/certificate.js';
import { describeCertificate } from './certificate-info.js';
import { crossCheckTrustLists, traceChainToCertificates, trustListName } from './cross-check.js';

const list = (
  basename: string,
  node: string,
  context: string,
  certificates: CertificateInfo[],
): TrustList => ({
  storeKind: 'sap-pse',
  basename,
  node,
  context,
  certificates,
});

describe('crossCheckTrustLists', () => {
  let pki: TestPki;
  let chain: CertificateInfo[];
  let root: CertificateInfo;
  before(async () => {
    pki = await generateTestPki();
    root = describeCertificate(pki.rsa.root.x509);
    // A level-3 trace: PEM dumps, so fingerprints and signatures decide.
    chain = traceChainToCertificates([
      { depth: 1, subject: pki.rsa.intermediate.subject, pem: pki.rsa.intermediate.pem },
      { depth: 0, subject: pki.rsa.leaf.subject, pem: pki.rsa.leaf.pem },
    ]);
  });

  test('trace certificates come out leaf first, full when the PEM was dumped', () => {
    assert.equal(chain[0]?.sha256, pki.rsa.leaf.sha256);
    assert.equal(chain[1]?.sha256, pki.rsa.intermediate.sha256);
    const named = traceChainToCertificates([{ depth: 0, subject: 'CN=a', issuer: 'CN=b', serial: '01' }]);
    assert.deepEqual(named, [{ subject: 'CN=a', issuer: 'CN=b', serial: '01' }]);
  });

  test('the used PSE is matched by file name (any path, any case) and judged', () => {
    const a = list('SAPSSLA.pse', 'SSL client Anonymous', 'SSLC', []);
    const c = list('SAPSSLC.pse', 'SSL client Standard', 'SSLC', [root]);
    const r = crossCheckTrustLists({
      chain,
      lists: [a, c],
      usedPse: 'C:\\usr\\sap\\ABC\\D00\\sec\\sapssla.PSE',
      role: 'client',
    });
    assert.equal(r?.outcome, 'missing-from-used');
    assert.equal(r?.used?.list, a);
    assert.deepEqual(
      r?.holders.map((h) => h.name),
      ['SAPSSLC.pse (SSL client Standard)'],
    );
    assert.equal(r?.needed.kind, 'root');
    // The PEM comes from the list that holds it.
    assert.equal(r?.needed.cert?.sha256, root.sha256);
    assert.equal(r?.needed.source, 'input');
    assert.equal(r?.holders[0]?.matchedBy, 'signature');
  });

  test('outcomes without a used PSE', () => {
    const a = list('SAPSSLA.pse', 'SSL client Anonymous', 'SSLC', []);
    const c = list('SAPSSLC.pse', 'SSL client Standard', 'SSLC', [root]);
    assert.equal(crossCheckTrustLists({ chain, lists: [a] })?.outcome, 'missing-from-all');
    assert.equal(crossCheckTrustLists({ chain, lists: [c] })?.outcome, 'present-in-all');
    assert.equal(crossCheckTrustLists({ chain, lists: [a, c] })?.outcome, 'only-in-some');
  });

  test('only the lists of the failing side are judged', () => {
    const s = list('SAPSSLS.pse', 'SSL server Standard', 'SSLS', [root]);
    assert.equal(crossCheckTrustLists({ chain, lists: [s], role: 'client' }), undefined);
    assert.equal(crossCheckTrustLists({ chain, lists: [s], role: 'server' })?.outcome, 'present-in-all');
  });

  test('a lone leaf whose issuer is unknown needs an intermediate', () => {
    const r = crossCheckTrustLists({
      chain: chain.slice(0, 1),
      lists: [list('SAPSSLA.pse', 'SSL client Anonymous', 'SSLC', [])],
    });
    assert.equal(r?.needed.kind, 'intermediate');
    assert.equal(r?.needed.subject, pki.rsa.intermediate.subject);
  });

  test('names lists the SAP way', () => {
    assert.equal(
      trustListName({ storeKind: 'file-list', file: '/tmp/ca-bundle.pem', certificates: [] }),
      'ca-bundle.pem',
    );
    assert.equal(
      trustListName(list('SAPSSLA.pse', 'SSL client Anonymous', 'SSLC', [])),
      'SAPSSLA.pse (SSL client Anonymous)',
    );
  });
});
