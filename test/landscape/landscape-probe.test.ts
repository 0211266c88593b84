/** @module `landscape --targets --probe` against local TLS servers: which calls the PSEs trust today, and nothing else new. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/fake-io.js';
import { generateChain } from '../pki/index.js';
import { type RunningServer, refusedPort, startTlsServer } from '../probe/servers.js';
import { LANDSCAPE_NOW, writeGeneratedLandscape } from './generated-landscape.js';

let dir: string;
const servers: RunningServer[] = [];
let refused: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-landscape-probe-'));
  await writeGeneratedLandscape(dir);
  const hosts = ['localhost', '127.0.0.1'];
  const fromA = await generateChain({
    names: { root: 'Landscape Root A', intermediate: 'Landscape Issuing A', leaf: 'localhost' },
    leafHosts: hosts,
  });
  const fromB = await generateChain({
    names: { root: 'Landscape Root B', intermediate: 'Landscape Issuing B', leaf: 'localhost' },
    leafHosts: hosts,
    keySet: 'b',
  });
  for (const chain of [fromA, fromB]) {
    servers.push(
      await startTlsServer({
        identity: { cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem },
      }),
    );
  }
  refused = await refusedPort();
  const [a, b] = servers;
  writeFileSync(
    join(dir, 'targets.csv'),
    [
      'SID,host,port,PSE',
      `ABC,localhost,${a?.port},SAPSSLC.pse`,
      `ABC,localhost,${b?.port}`,
      `ABC,127.0.0.1,${refused},SAPSSLA.pse`,
      `XYZ,localhost,${a?.port},SAPSSLA.pse`,
      '',
    ].join('\n'),
  );
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

test('--probe: each target judged against the PSE its call uses, on every instance', async () => {
  const args = ['landscape', 'collected', '--now', LANDSCAPE_NOW, '--no-store', '--json'];
  const plain = JSON.parse((await runCli(args, { cwd: dir })).stdout) as Report;
  const r = await runCli(
    [...args, '--targets', 'targets.csv', '--probe', '--timeout', '2000', '--concurrency', '2'],
    {
      cwd: dir,
    },
  );
  assert.equal(r.stderr, '');
  const report = JSON.parse(r.stdout) as Report;
  const [a, b] = servers;
  const probeFindings = report.findings
    .filter((f) => f.rule === 'landscape-target-untrusted')
    .map((f) => [f.severity, f.title])
    .sort();
  assert.deepEqual(
    probeFindings,
    [
      [
        'error',
        `Calls of ABC to localhost:${b?.port} fail today on app1, app2: SAPSSLC.pse (SSL client Standard) does not trust the server`,
      ],
      ['error', `XYZ has no SAPSSLA.pse (SSL client Anonymous) for its call to localhost:${a?.port}`],
      ['info', `127.0.0.1:${refused} (called by ABC) could not be probed: TCP connection refused`],
    ].sort(),
  );
  const untrusted = report.findings.find((f) => f.title.startsWith(`Calls of ABC to localhost:${b?.port}`));
  assert.match(untrusted?.summary ?? '', /On app3 the same call works/);
  assert.equal(untrusted?.import?.subject, 'CN=Landscape Root B, O=PSE Doctor Test, C=DE');
  assert.equal(untrusted?.errorCode?.name, 'SSSLERR_PEER_CERT_UNTRUSTED');
  // Nothing else changed: the other findings are those of the run without targets.
  const others = report.findings.filter((f) => f.rule !== 'landscape-target-untrusted').map((f) => f.title);
  assert.deepEqual(others.sort(), plain.findings.map((f) => f.title).sort());
  // The inventory records each verdict (ABC → server A is trusted everywhere).
  const verdicts = report.landscape?.targets.map((t) => [t.system, t.port, t.probe?.verdict]);
  assert.deepEqual(verdicts, [
    ['ABC', a?.port, 'trusted'],
    ['ABC', b?.port, 'untrusted'],
    ['ABC', refused, 'unreachable'],
    ['XYZ', a?.port, 'no-pse'],
  ]);
  assert.deepEqual(report.landscape?.targets[1]?.probe?.failingInstances, ['app1', 'app2']);
  // The plan says where each probe finding applies: system, instances, PSE, and what to do.
  const planOf = (port: number | undefined, system: string) =>
    report.landscape?.plan.find(
      (p) => p.rule === 'landscape-target-untrusted' && p.system === system && p.title.includes(`:${port}`),
    );
  const failingPlan = planOf(b?.port, 'ABC');
  assert.deepEqual(failingPlan?.instances, ['app1', 'app2']);
  assert.equal(failingPlan?.pse, 'SAPSSLC.pse');
  assert.equal(failingPlan?.import?.subject, 'CN=Landscape Root B, O=PSE Doctor Test, C=DE');
  assert.deepEqual(planOf(a?.port, 'XYZ')?.instances, ['app1', 'app2']);
  assert.equal(planOf(a?.port, 'XYZ')?.pse, 'SAPSSLA.pse');
  const unreachablePlan = planOf(refused, 'ABC');
  assert.deepEqual(unreachablePlan?.instances, ['app1', 'app2']);
  assert.match(unreachablePlan?.steps[0] ?? '', /Probe it from a host in the network of ABC/);
  // The failing call rests on the target line and the PSE copies that refuse the chain.
  assert.deepEqual(untrusted?.inputs, [
    'ABC/app1/sec/SAPSSLC.pse',
    'ABC/app2/sec/SAPSSLC.pse',
    'targets.csv',
  ]);
  assert.equal(report.landscape?.targets[0]?.probe?.chain?.[0]?.subject.startsWith('CN=localhost'), true);
});
