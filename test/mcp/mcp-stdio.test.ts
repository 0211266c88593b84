/**
 * @module `pse-doctor mcp` end to end: the built bin as a child process, the SDK's Client over stdio. Lists
 * tools/resources/prompts, calls every tool on real fixtures and compares its findings with the CLI's
 * `--json`, and checks the safety promises: allowed folders only, size limits, PIN never from the client,
 * no key material in any answer, and a server that keeps serving after every refused call.
 */
import assert from 'node:assert/strict';
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listEntries } from '../../src/kb/index.js';
import type { Report } from '../../src/model/report.js';
import { RULES } from '../../src/rules/index.js';
import { runCli } from '../helpers/fake-io.js';
import {
  fixturePath,
  fixturesOrSkip,
  listFixtures,
  REPO_ROOT,
  SHARED_FIXTURES,
} from '../helpers/fixtures.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { type PkiFixtureFiles, TEST_P12_PASSWORD, writePkiFixtures } from '../pki/index.js';
import {
  builtOrSkip,
  errorOf,
  FORBIDDEN,
  findingKeys,
  type McpSession,
  reportOf,
  startMcp,
  textOf,
} from './mcp-harness.js';

const built = builtOrSkip();
const PSE_PIN = '1234567980'; // the PIN of the real PSE fixtures (see ../shared/fixtures/pse/README.md)
const EXAMPLES = join(REPO_ROOT, 'examples');
const OUTSIDE_MARKER = 'OUTSIDE-MARKER-7f3a9c';

let work: string;
let allowed: string;
let outside: string;
let pki: PkiFixtureFiles;
let mcp: McpSession;

/** The same findings (rule, cause, confidence, in order) as `pse-doctor <argv> --json`. */
async function cliReport(argv: string[], env: Record<string, string> = {}, stdin?: string): Promise<Report> {
  const r = await runCli([...argv, '--json'], { env, ...(stdin !== undefined ? { stdin } : {}) });
  assert.ok(r.code === 0 || r.code === 1, `CLI ${argv.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

function sameFindings(mcpReport: Report, cli: Report, label: string): void {
  assertValidReport(mcpReport, `${label} (mcp)`);
  assert.deepEqual(
    findingKeys(mcpReport.findings),
    findingKeys(cli.findings),
    `${label}: findings differ from the CLI`,
  );
}

function promptText(p: { messages: { content: unknown }[] }): string {
  const content = p.messages[0]?.content as { text?: string } | undefined;
  return content?.text ?? '';
}

/** A call that must succeed after a refused one: the server is still serving. */
async function stillServing(): Promise<void> {
  const r = await mcp.call('explain', { query: 'WSS040' });
  assert.equal(r.isError, undefined);
  assert.equal((r.structuredContent as { found: boolean }).found, true);
}

before(async () => {
  if (built.skip) return;
  work = realpathSync(mkdtempSync(join(tmpdir(), 'pse-doctor-mcp-')));
  allowed = join(work, 'allowed');
  outside = join(work, 'outside');
  mkdirSync(allowed);
  mkdirSync(outside);
  pki = await writePkiFixtures(join(allowed, 'pki'));
  FORBIDDEN.push(PSE_PIN, TEST_P12_PASSWORD);
  // Whole lines of the test private key's base64: none may appear in any answer.
  const keyLines = readFileSync(pki.files['leaf.key.pem'] as string, 'utf8')
    .split('\n')
    .filter((l) => /^[A-Za-z0-9+/]{64}$/.test(l));
  FORBIDDEN.push(...keyLines);
  // The outside file's marker is forbidden in every answer: it proves the file was never read.
  FORBIDDEN.push(OUTSIDE_MARKER);
  writeFileSync(join(outside, 'secret.txt'), `${OUTSIDE_MARKER} SSSLERR_PEER_CERT_UNTRUSTED (-102)\n`);
  symlinkSync(join(outside, 'secret.txt'), join(allowed, 'escape.txt'));
  symlinkSync(outside, join(allowed, 'linked-dir'));
  mkdirSync(join(allowed, 'folder-with-link'));
  writeFileSync(join(allowed, 'folder-with-link', 'ok.txt'), 'SSSLERR_PEER_CERT_UNTRUSTED\n');
  symlinkSync(join(outside, 'secret.txt'), join(allowed, 'folder-with-link', 'sneaky.txt'));
  linkSync(join(outside, 'secret.txt'), join(allowed, 'hard-link.txt'));
  writeFileSync(join(allowed, 'big.txt'), 'x'.repeat(300 * 1024));
  const args = ['--allow', EXAMPLES, '--allow', allowed, '--max-input', '256KB'];
  if (SHARED_FIXTURES) args.push('--allow', SHARED_FIXTURES);
  mcp = await startMcp(args, { PSE_DOCTOR_PIN: PSE_PIN, PSE_DOCTOR_PASSWORD: TEST_P12_PASSWORD });
});

after(async () => {
  await mcp?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('pse-doctor mcp over stdio with the SDK client', built, () => {
  test('lists the tools (no probe without --enable-probe), each with the Report schema as outputSchema', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['analyze', 'explain', 'verify', 'pse', 'cert'],
    );
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'report.schema.json'), 'utf8'));
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.ok(t.description && t.description.length > 40, `${t.name} has a description`);
      if (t.name === 'explain') assert.ok(t.outputSchema?.properties?.matches, 'explain has its own schema');
      else assert.deepEqual(t.outputSchema, schema, `${t.name}: outputSchema is docs/report.schema.json`);
      assert.ok(!JSON.stringify(t.inputSchema).match(/"pin"|"password"/i), `${t.name} takes no PIN/password`);
    }
  });

  test('lists every kb entry and the rules as resources, and reads them', async () => {
    const { resources } = await mcp.client.listResources();
    const uris = new Set(resources.map((r) => r.uri));
    assert.equal(resources.length, listEntries().length + 1);
    for (const e of listEntries()) assert.ok(uris.has(`kb://${encodeURIComponent(e.id)}`), e.id);
    const wss = await mcp.client.readResource({ uri: 'kb://WSS040' });
    const text = (wss.contents[0] as { text: string }).text;
    assert.match(text, /^---\nid: WSS040\n/);
    assert.match(text, /## /);
    const alias = await mcp.client.readResource({ uri: 'kb://WSS%20040' });
    assert.equal(alias.contents[0]?.uri, 'kb://WSS040', 'an alias reads the entry under its id');
    const rules = JSON.parse(
      ((await mcp.client.readResource({ uri: 'pse-doctor://rules' })).contents[0] as { text: string }).text,
    ) as { rules: { id: string; citation: string; kb: string[] }[] };
    assert.deepEqual(
      rules.rules.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    for (const r of rules.rules) assert.ok(r.citation.length > 0, `${r.id} has a citation`);
    await assert.rejects(mcp.client.readResource({ uri: 'kb://NO_SUCH_ENTRY_X' }), /No knowledge-base entry/);
    await stillServing();
  });

  test('lists the two prompts and renders them with their arguments', async () => {
    const { prompts } = await mcp.client.listPrompts();
    assert.deepEqual(
      prompts.map((p) => p.name),
      ['diagnose-error', 'plan-root-ca-rotation'],
    );
    const p = await mcp.client.getPrompt({
      name: 'diagnose-error',
      arguments: {
        error: 'SSL handshake with api.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
      },
    });
    const text = promptText(p);
    assert.match(text, /SSSLERR_PEER_CERT_UNTRUSTED \(-102\)/);
    assert.match(text, /"analyze"/);
    assert.match(text, /quote the evidence line/);
    const r = await mcp.client.getPrompt({
      name: 'plan-root-ca-rotation',
      arguments: { sec_folder: '/x/sec' },
    });
    assert.match(promptText(r), /"pse" with paths \["\/x\/sec"\]/);
    await assert.rejects(mcp.client.getPrompt({ name: 'diagnose-error', arguments: {} }), /needs "error"/);
  });
});

describe('every tool gives the same findings as the CLI --json', built, () => {
  test('analyze examples/dev_icm (a path relative to the first allowed folder) — grounded', async () => {
    const result = await mcp.call('analyze', { paths: ['dev_icm'] });
    const report = reportOf(result);
    sameFindings(report, await cliReport(['analyze', join(EXAMPLES, 'dev_icm')]), 'dev_icm');
    assert.ok(report.findings.length >= 2);
    const grounding = result._meta?.['pse-doctor/grounding'] as {
      findings: {
        rule: string;
        citation: string;
        kb: string[];
        evidence: { input: string; line: number }[];
      }[];
      thin: boolean;
    };
    assert.equal(grounding.findings.length, report.findings.length);
    assert.equal(grounding.thin, false);
    report.findings.forEach((f, i) => {
      const g = grounding.findings[i];
      assert.equal(g?.rule, f.rule);
      assert.ok(g?.citation && g.citation.length > 0, `${f.rule}: citation`);
      assert.deepEqual(
        g?.kb,
        f.kb.map((id) => `kb://${encodeURIComponent(id)}`),
      );
      assert.ok(g && g.evidence.length > 0, `${f.rule}: evidence lines`);
      for (const e of g?.evidence ?? []) {
        assert.equal(e.input, join(EXAMPLES, 'dev_icm'));
        assert.ok(e.line > 0);
      }
    });
    const text = textOf(result);
    const first = report.findings[0];
    assert.ok(first);
    assert.ok(text.includes(first.title), 'text names the first finding');
    assert.match(text, /Evidence: \S+dev_icm line \d+: "/);
    assert.match(text, /Rule: untrusted-peer-chain — cites /);
    assert.match(text, /kb:\/\/SSSLERR_PEER_CERT_UNTRUSTED/);
  });

  test('analyze each real case, as a file and as pasted text', fixturesOrSkip(), async () => {
    const cases = listFixtures('real/cases', '.txt');
    assert.ok(cases.length >= 5);
    let thinSeen = 0;
    for (const file of cases) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const asFile = reportOf(await mcp.call('analyze', { paths: [file] }));
      sameFindings(asFile, await cliReport(['analyze', file]), name);
      const text = readFileSync(file, 'utf8');
      const pasted = await mcp.call('analyze', { text, name });
      sameFindings(reportOf(pasted), await cliReport(['analyze', '-'], {}, text), `${name} pasted`);
      const g = pasted._meta?.['pse-doctor/grounding'] as { thin: boolean; collectNext: string[] };
      const certain = asFile.findings.some((f) => f.confidence === 'certain');
      assert.equal(g.thin, !certain, `${name}: thin exactly when no finding is certain`);
      if (g.thin) {
        thinSeen++;
        assert.ok(g.collectNext.length > 0, `${name}: thin evidence says what to collect`);
        assert.match(textOf(pasted), /thin|No failure was found/);
      }
    }
    assert.ok(thinSeen > 0, 'at least one real case has thin evidence');
  });

  test('analyze the real trace excerpts', fixturesOrSkip(), async () => {
    for (const file of listFixtures('real/traces', '.txt')) {
      const report = reportOf(await mcp.call('analyze', { paths: [file] }));
      sameFindings(report, await cliReport(['analyze', file]), file);
    }
  });

  test('explain: same answer as explain --json', async () => {
    for (const query of [
      'WSS040',
      '-102',
      'peer not trusted',
      'icm/HTTPS/client_sni_enabled',
      'zzqx nothing',
    ]) {
      const r = await mcp.call('explain', { query });
      assert.equal(r.isError, undefined);
      const cli = await runCli(['explain', query, '--json']);
      const want = JSON.parse(cli.stdout) as {
        found: boolean;
        exact: string | null;
        entry: { id: string } | null;
        matches: { id: string }[];
      };
      const got = r.structuredContent as typeof want;
      assert.equal(got.found, want.found, query);
      assert.equal(got.exact, want.exact, query);
      assert.equal(got.entry?.id, want.entry?.id, query);
      assert.deepEqual(
        got.matches.map((m) => m.id),
        want.matches.map((m) => m.id),
        query,
      );
      if (got.found)
        assert.match(textOf(r), new RegExp(`Source: kb://${encodeURIComponent(got.entry?.id ?? '')}`));
      else assert.match(textOf(r), /collect/);
    }
  });

  test('verify: trusted chain, and a chain the PSE list does not close, as the CLI judges them', async () => {
    const f = pki.files;
    const cases: [Record<string, unknown>, string[]][] = [
      [
        { chain: f['chain.pem'], trust: [f['root.pem']], host: 'api.example.test' },
        [f['chain.pem'] as string, '--trust', f['root.pem'] as string, '--host', 'api.example.test'],
      ],
      [
        {
          chain: f['variant-wrong-name-leaf.pem'],
          trust: [f['intermediate.pem']],
          host: 'api.example.test',
          profiles: ['sap-icm'],
        },
        [
          f['variant-wrong-name-leaf.pem'] as string,
          '--trust',
          f['intermediate.pem'] as string,
          '--host',
          'api.example.test',
          '--profile',
          'sap-icm',
        ],
      ],
      [
        { chain: f['leaf.pem'], trust: [f['self-signed.pem']] },
        [f['leaf.pem'] as string, '--trust', f['self-signed.pem'] as string],
      ],
    ];
    let withFindings = 0;
    for (const [args, argv] of cases) {
      const report = reportOf(await mcp.call('verify', args));
      sameFindings(report, await cliReport(['verify', ...argv]), argv.join(' '));
      assert.ok(report.verification && report.verification.length > 0);
      if (report.findings.length > 0) withFindings++;
    }
    assert.ok(withFindings >= 2, 'the failing chains give findings');
  });

  test(
    'pse: the real PIN-protected and plain PSEs, one by one and as a folder',
    fixturesOrSkip(),
    async () => {
      const pses = listFixtures('pse', '.pse');
      assert.equal(pses.length, 4);
      for (const file of [...pses, fixturePath('pse')]) {
        const result = await mcp.call('pse', { paths: [file] });
        const report = reportOf(result);
        sameFindings(report, await cliReport(['pse', file], { PSE_DOCTOR_PIN: PSE_PIN }), file);
        assert.ok(
          report.events.some((e) => e.kind === 'trust-list'),
          `${file}: the trust list was read (the PIN worked)`,
        );
        assert.ok(textOf(result).includes('pse_v'), 'text names the PSE');
      }
    },
  );

  test('cert: real certificate files, a PKCS#12 with a private key, pasted PEM', async () => {
    const files = [
      ...(SHARED_FIXTURES ? listFixtures('pse', '.der') : []),
      pki.files['fullchain.pem'] as string,
      pki.files['store-3des.p12'] as string,
      pki.files['variant-expired-leaf.pem'] as string,
    ];
    for (const file of files) {
      const report = reportOf(await mcp.call('cert', { paths: [file] }));
      sameFindings(report, await cliReport(['cert', file], { PSE_DOCTOR_PASSWORD: TEST_P12_PASSWORD }), file);
      assert.ok(
        report.events.some((e) => e.kind === 'certificates'),
        `${file}: certificates read`,
      );
    }
    const pem = readFileSync(pki.files['variant-expired-leaf.pem'] as string, 'utf8');
    const pasted = reportOf(await mcp.call('cert', { pem }));
    sameFindings(pasted, await cliReport(['cert', '-'], {}, pem), 'pasted PEM');
    assert.ok(pasted.findings.some((f) => f.cause === 'expired-peer-cert' || f.severity === 'error'));
  });
});

describe('safety: every refused call is a clear tool error and the server keeps serving', built, () => {
  const refusals: [string, () => [string, Record<string, unknown>], RegExp][] = [
    [
      'a path outside through ..',
      () => ['analyze', { paths: ['../../../../../../etc/passwd'] }],
      /outside the allowed folders/,
    ],
    [
      'an absolute path outside',
      () => ['analyze', { paths: [join(outside, 'secret.txt')] }],
      /outside the allowed folders/,
    ],
    [
      'a symlink that leads outside',
      () => ['analyze', { paths: [join(allowed, 'escape.txt')] }],
      /link .*leads outside/,
    ],
    [
      'a file in a linked folder',
      () => ['cert', { paths: [join(allowed, 'linked-dir', 'secret.txt')] }],
      /link .*leads outside/,
    ],
    [
      'a folder holding a link out',
      () => ['analyze', { paths: [join(allowed, 'folder-with-link')] }],
      /sneaky\.txt is a link that leads outside/,
    ],
    [
      'a hard link to an outside file',
      () => ['analyze', { paths: [join(allowed, 'hard-link.txt')] }],
      /more hard link/,
    ],
    [
      'a file over --max-input',
      () => ['analyze', { paths: [join(allowed, 'big.txt')] }],
      /larger than the limit of 256 KB/,
    ],
    [
      'pasted text over the limit',
      () => ['analyze', { text: 'SSSLERR_PEER_CERT_UNTRUSTED\n'.repeat(12_000) }],
      /larger than the limit of 256 KB/,
    ],
    [
      'a PIN as a tool argument',
      () => ['pse', { paths: [allowed], pin: PSE_PIN }],
      /"pin" is not accepted as a tool argument/,
    ],
    ['an unknown argument', () => ['analyze', { text: 'x', out: '/tmp/x' }], /Invalid arguments/],
    ['no input at all', () => ['analyze', {}], /Give "text"/],
    ['a missing file', () => ['analyze', { paths: ['no-such-file'] }], /No file at no-such-file/],
    ['the probe tool without --enable-probe', () => ['probe', { target: '127.0.0.1:1' }], /--enable-probe/],
    [
      'fetching issuers (network) through verify',
      () => ['verify', { chain: pki.files['leaf.pem'], fetchIssuers: true }],
      /Invalid arguments: .*fetchIssuers/,
    ],
  ];
  for (const [label, make, expected] of refusals) {
    test(label, async () => {
      const [name, args] = make();
      const message = errorOf(await mcp.call(name, args));
      assert.match(message, expected);
      assert.ok(!message.includes(PSE_PIN), 'the message does not echo the PIN');
      await stillServing();
    });
  }

  test('a folder whose links all stay inside is read, links included', async () => {
    const clean = join(allowed, 'clean');
    mkdirSync(clean);
    writeFileSync(join(clean, 'message.txt'), 'SSSLERR_PEER_CERT_UNTRUSTED (-102)\n');
    symlinkSync(join(EXAMPLES, 'dev_icm'), join(clean, 'dev_icm')); // into another allowed folder
    const report = reportOf(await mcp.call('analyze', { paths: ['clean'].map((p) => join(allowed, p)) }));
    assert.equal(report.inputs.length, 2);
    assert.ok(report.findings.some((f) => f.cause === 'untrusted-root'));
  });

  test('calls in parallel each get their own answer', async () => {
    const [trace, refused, pasted, explained] = await Promise.all([
      mcp.call('analyze', { paths: ['dev_icm'] }),
      mcp.call('analyze', { paths: ['/etc/passwd'] }),
      mcp.call('analyze', { text: 'SSSLERR_PEER_CERT_UNTRUSTED (-102)', name: 'parallel' }),
      mcp.call('explain', { query: 'TRUST086' }),
    ]);
    assert.equal(reportOf(trace).inputs[0]?.name, join(EXAMPLES, 'dev_icm'));
    assert.match(errorOf(refused), /outside the allowed folders/);
    assert.equal(reportOf(pasted).inputs[0]?.name, 'parallel');
    assert.equal((explained.structuredContent as { entry: { id: string } }).entry.id, 'TRUST086');
  });

  test('the server log is on stderr and names calls, never arguments', () => {
    const log = mcp.stderr();
    assert.match(log, /pse-doctor mcp: serving over stdio; may read /);
    assert.match(log, /pse-doctor mcp: analyze: ok \(\d+ ms\)/);
    assert.match(log, /pse-doctor mcp: analyze: input error \(usage\)/);
    assert.ok(!log.includes('etc/passwd'), 'arguments are not logged');
    assert.match(log, /PIN set/);
  });
});

describe('PINs come only from the server environment', { ...built, ...fixturesOrSkip() }, () => {
  test('a wrong PIN is a clear tool error, then a plain PSE still reads', async () => {
    const wrong = 'wrong-pin-424242';
    FORBIDDEN.push(wrong);
    const s = await startMcp(['--allow', fixturePath('pse')], { PSE_DOCTOR_PIN: wrong });
    try {
      const message = errorOf(await s.call('pse', { paths: ['pse_v2_lps_off_pbes1_3des_sha1.pse'] }));
      assert.match(message, /PIN for .*pse_v2_lps_off_pbes1_3des_sha1\.pse is wrong/);
      assert.match(message, /PSE_DOCTOR_PIN or --pin-file/);
      const ok = reportOf(await s.call('pse', { paths: ['pse_v2_lps_off_pbes1_3des_sha1_plain.pse'] }));
      assert.ok(ok.events.some((e) => e.kind === 'trust-list'));
    } finally {
      await s.close();
    }
  });

  test('no PIN at start: the message says how to start the server, and the pin file works', async () => {
    const s = await startMcp(['--allow', fixturePath('pse')]);
    try {
      const message = errorOf(await s.call('pse', { paths: ['pse_v4_lps_off_pbes1_3des_sha1.pse'] }));
      assert.match(
        message,
        /PIN-protected\. Start pse-doctor mcp with the PSE_DOCTOR_PIN environment variable or --pin-file/,
      );
    } finally {
      await s.close();
    }
    const pinFile = join(work, 'pin.txt');
    writeFileSync(pinFile, `${PSE_PIN}\n`, { mode: 0o600 });
    const t = await startMcp(['--allow', fixturePath('pse'), '--pin-file', pinFile]);
    try {
      const report = reportOf(await t.call('pse', { paths: ['pse_v4_lps_off_pbes1_3des_sha1.pse'] }));
      assert.ok(report.events.some((e) => e.kind === 'trust-list'));
    } finally {
      await t.close();
    }
  });
});

describe('start-up', built, () => {
  test('an --allow folder that does not exist ends with exit 2 and a clear message', async () => {
    const r = await runCli(['mcp', '--allow', join(tmpdir(), 'no-such-folder-pse-doctor')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--allow .*no such folder/);
    assert.equal(r.stdout, '', 'nothing on stdout');
  });

  test('--help shows the options, safety notes and examples', async () => {
    const r = await runCli(['mcp', '--help']);
    assert.equal(r.code, 0);
    for (const word of ['--allow', '--enable-probe', '--pin-file', '--max-input', 'mcpServers', 'Examples:'])
      assert.ok(r.stdout.includes(word), word);
  });
});
