/**
 * @module The bundled CLI (dist/bundle, what bin/pse-doctor.js runs) prints byte-identical reports to the
 * unbundled build (dist/cli) on every shared fixture and example, with its V8 code caches used, missing
 * or damaged, and loads the X.509 stack only when a certificate is parsed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { describeQuickly, parseCertificate } from '../src/pki/certificate-info.js';
import { fakeIo } from './helpers/fake-io.js';
import { fixturesOrSkip, REPO_ROOT, SHARED_FIXTURES } from './helpers/fixtures.js';

const BUNDLE = join(REPO_ROOT, 'dist', 'bundle', 'cli.js');
const UNBUNDLED = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const NOW = new Date('2025-06-01T00:00:00Z');

type Run = (argv: string[], io: ReturnType<typeof fakeIo>) => Promise<number>;

function buildOrSkip(): { skip: string | false } {
  if (existsSync(BUNDLE) && existsSync(UNBUNDLED)) return { skip: false };
  if (process.env.CI === 'true') throw new Error('dist/bundle is required under CI but missing');
  return { skip: 'dist/bundle or dist/cli missing: run `npm run build` (bundle tests skipped)' };
}

async function loadRun(path: string): Promise<Run> {
  return ((await import(pathToFileURL(path).href)) as { run: Run }).run;
}

/** Every regular file under a folder, sorted, recursively (the fixture folders are shallow). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile() && !name.endsWith('.md')) out.push(path);
  }
  return out;
}

async function runBoth(bundled: Run, unbundled: Run, argv: string[]) {
  const results = [];
  for (const run of [bundled, unbundled]) {
    const io = fakeIo({ now: NOW, cwd: REPO_ROOT });
    const code = await run(argv, io);
    results.push({ code, stdout: io.out.join(''), stderr: io.err.join('') });
  }
  return results as [(typeof results)[0], (typeof results)[0]];
}

describe('the bundled CLI gives the same reports as the unbundled build', buildOrSkip(), () => {
  const inputs = [
    ...filesUnder(join(REPO_ROOT, 'examples')),
    ...(fixturesOrSkip().skip || !SHARED_FIXTURES ? [] : filesUnder(SHARED_FIXTURES)),
  ];

  test('analyze --json and terminal text, on every fixture and example', async () => {
    const bundled = await loadRun(BUNDLE);
    const unbundled = await loadRun(UNBUNDLED);
    assert.notEqual(bundled, unbundled);
    assert.ok(inputs.length >= 40, `found ${inputs.length} inputs`);
    let reports = 0;
    for (const input of inputs) {
      for (const argv of [
        ['analyze', '--json', input],
        ['analyze', input],
      ]) {
        const [b, u] = await runBoth(bundled, unbundled, argv);
        assert.equal(b.stdout, u.stdout, `stdout of ${argv.join(' ')}`);
        assert.equal(b.stderr, u.stderr, `stderr of ${argv.join(' ')}`);
        assert.equal(b.code, u.code, `exit code of ${argv.join(' ')}`);
        if (argv[1] === '--json' && b.code !== 2) {
          assert.equal((JSON.parse(b.stdout) as { inputs: unknown[] }).inputs.length, 1);
          reports++;
        }
      }
    }
    // Most inputs give a report (PIN-protected PSEs and JSON answer files give a clear error instead).
    assert.ok(reports >= inputs.length / 2, `${reports} reports from ${inputs.length} inputs`);
  });

  test('pse, cert and explain print the same through both builds', async () => {
    const bundled = await loadRun(BUNDLE);
    const unbundled = await loadRun(UNBUNDLED);
    const argvs = [['explain', 'WSS040'], ['explain', 'peer', 'not', 'trusted'], ['--help']];
    if (SHARED_FIXTURES) {
      const pse = join(SHARED_FIXTURES, 'pse');
      argvs.push(['pse', pse], ['pse', '--json', pse]);
      for (const der of readdirSync(pse).filter((f) => f.endsWith('.der')))
        argvs.push(['cert', '--json', join(pse, der)], ['cert', join(pse, der)]);
    }
    for (const argv of argvs) {
      const [b, u] = await runBoth(bundled, unbundled, argv);
      assert.ok(b.stdout.length > 0, `output of ${argv.join(' ')}`);
      assert.deepEqual(b, u, argv.join(' '));
    }
  });
});

/**
 * Run `argv` through a bundle folder in a child process, with `stdin` as standard input when given: its
 * output, and what the code cache did.
 */
function runThrough(bundleDir: string, argv: string[], stdin?: string) {
  const script = `
    const m = await import(${JSON.stringify(pathToFileURL(join(bundleDir, 'cli.js')).href)});
    const { Readable } = await import('node:stream');
    let out = '';
    const text = process.argv[2];
    const io = { stdout: { write(t) { out += t; return true; } }, stderr: { write(t) { out += t; return true; } },
      isTTY: false, stdinIsTTY: false, env: {}, cwd: process.cwd(),
      stdin: text === undefined ? undefined : Readable.from([Buffer.from(text)]),
      now: () => new Date('2025-06-01T00:00:00Z') };
    const code = await m.run(JSON.parse(process.argv[1]), io);
    console.log(JSON.stringify({ code, out, cache: m.codeCache() }));`;
  const args = [
    '--input-type=module',
    '-e',
    script,
    JSON.stringify(argv),
    ...(stdin === undefined ? [] : [stdin]),
  ];
  const r = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    code: number;
    out: string;
    cache: { chunks: number; fromCache: number; fromCommandCache: number; scripts: string[] };
  };
}

describe('the code caches of the bundle', buildOrSkip(), () => {
  const ARGVS = [
    ['analyze', '--json', 'examples/dev_icm'],
    ['analyze', 'examples/dev_icm'],
    ['explain', 'WSS040'],
    ['--help'],
  ];

  test('the built caches are used, and without them or with damaged ones the output is the same', () => {
    const bundle = join(REPO_ROOT, 'dist', 'bundle');
    // A copy beside dist/bundle, so files found relative to the chunks (dist/kb, kb/) resolve alike.
    const copy = join(REPO_ROOT, 'dist', `bundle-cache-test-${process.pid}`);
    cpSync(bundle, copy, { recursive: true });
    try {
      const packed = readFileSync(join(copy, 'code-cache.bin'));
      const indexLength = packed.readUInt32LE(0);
      const index = JSON.parse(packed.toString('utf8', 4, 4 + indexLength)) as Record<
        string,
        [number, number]
      >;
      // The caches of all samples are named by script (a group file, or a chunk compiled from its own
      // file); a command's own by "<command>/<script>", each for a script that also has one of all samples.
      const caches = Object.keys(index);
      const all = caches.filter((name) => !name.includes('/'));
      assert.ok(all.length > 5, `${all.length} caches`);
      assert.ok(
        all.every((name) => existsSync(join(copy, name))),
        'every cache belongs to a file of the bundle',
      );
      for (const command of ['analyze', 'analyze-stdin', 'explain', 'pse', 'probe']) {
        const own = caches.filter((name) => name.startsWith(`${command}/`));
        assert.ok(own.length >= 1, `${command}: ${own.length} caches of its own`);
        for (const name of own) assert.ok(all.includes(name.slice(command.length + 1)), name);
      }
      const withCache = ARGVS.map((argv) => runThrough(bundle, argv));
      for (const [i, r] of withCache.entries()) {
        assert.ok(
          r.cache.chunks > 0 && r.cache.fromCache === r.cache.chunks,
          `${ARGVS[i]}: ${JSON.stringify(r.cache)}`,
        );
        assert.ok(r.out.length > 0);
      }
      // Run as a user runs it (bin/pse-doctor.js), a command with samples of its own compiles every
      // script from the caches those samples wrote; `--help` has none.
      const probe = join(copy, 'cache-probe.cjs');
      writeFileSync(
        probe,
        `const s = require(${JSON.stringify(join(bundle, 'start.cjs'))});
        process.on('exit', () => require('node:fs').writeSync(2, '\\nCACHE ' + JSON.stringify(s.codeCache())));`,
      );
      for (const argv of ARGVS) {
        const r = spawnSync(
          process.execPath,
          ['--require', probe, join(REPO_ROOT, 'bin', 'pse-doctor.js'), ...argv],
          {
            cwd: REPO_ROOT,
            encoding: 'utf8',
          },
        );
        const cache = JSON.parse(/CACHE (.*)$/.exec(r.stderr)?.[1] ?? 'null') as {
          chunks: number;
          fromCache: number;
          fromCommandCache: number;
        } | null;
        assert.ok(cache && cache.chunks > 0 && cache.fromCache === cache.chunks, `${argv}: ${r.stderr}`);
        assert.equal(cache.fromCommandCache, argv[0] === '--help' ? 0 : cache.chunks, argv.join(' '));
      }
      // Damaged: every cache's bytes overwritten, its index kept (V8 rejects each and compiles the chunk).
      const zeroed = Buffer.from(packed);
      zeroed.fill(0, 4 + indexLength);
      writeFileSync(join(copy, 'code-cache.bin'), zeroed);
      const damaged = ARGVS.map((argv) => runThrough(copy, argv));
      // Cut short inside its index, and garbage from the first byte.
      truncateSync(join(copy, 'code-cache.bin'), 4 + Math.floor(indexLength / 2));
      const cut = ARGVS.map((argv) => runThrough(copy, argv));
      writeFileSync(join(copy, 'code-cache.bin'), Buffer.alloc(4096, 0xa7));
      const garbage = ARGVS.map((argv) => runThrough(copy, argv));
      // Missing: no cache file at all.
      rmSync(join(copy, 'code-cache.bin'));
      const missing = ARGVS.map((argv) => runThrough(copy, argv));
      for (const [i, argv] of ARGVS.entries()) {
        for (const other of [damaged[i], cut[i], garbage[i], missing[i]]) {
          assert.equal(other?.cache.fromCache, 0, argv.join(' '));
          assert.equal(other?.out, withCache[i]?.out, argv.join(' '));
          assert.equal(other?.code, withCache[i]?.code, argv.join(' '));
        }
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('the group files of the bundle', buildOrSkip(), () => {
  /** The group of each grouped chunk, as the build wrote it into start.cjs (minified: `GROUPS={…}`). */
  function groupsOf(bundle: string): Record<string, string> {
    const start = readFileSync(join(bundle, 'start.cjs'), 'utf8');
    const line = /\bGROUPS=(\{[^{}]*\})/.exec(start);
    assert.ok(line, 'start.cjs names the group of each grouped chunk');
    return JSON.parse(line[1] as string) as Record<string, string>;
  }

  test('each group file holds the text of its chunks as their files have it; damaged or missing, the chunk files are read', () => {
    const bundle = join(REPO_ROOT, 'dist', 'bundle');
    const groups = groupsOf(bundle);
    const files = [...new Set(Object.values(groups))];
    assert.ok(files.length >= 3, `${files.length} group files`);
    for (const group of files) {
      const text = readFileSync(join(bundle, group), 'latin1');
      assert.ok(text.startsWith('(function (chunks) {') && text.endsWith('\n})'), group);
      const members = Object.keys(groups).filter((name) => groups[name] === group);
      assert.ok(members.length >= 2, `${group}: ${members.length} chunks`);
      // In order: each chunk's function, its file's text without the parentheses around it.
      const expected = members
        .map(
          (name) =>
            `\nchunks[${JSON.stringify(name)}] = ${readFileSync(join(bundle, name), 'latin1').slice(1, -1)};`,
        )
        .join('');
      assert.equal(text, `(function (chunks) {${expected}\n})`, group);
    }
    const caches = readFileSync(join(bundle, 'code-cache.bin'));
    const cacheNames = Object.keys(JSON.parse(caches.toString('latin1', 4, 4 + caches.readUInt32LE(0))));
    for (const group of files) assert.ok(cacheNames.includes(group), `${group} has a code cache`);

    const copy = join(REPO_ROOT, 'dist', `bundle-groups-test-${process.pid}`);
    cpSync(bundle, copy, { recursive: true });
    const PASTED = 'SSL handshake with a.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n';
    const ARGVS = [
      ['analyze', '-'],
      ['analyze', 'examples/dev_icm'],
      ['explain', 'WSS040'],
    ];
    try {
      const grouped = ARGVS.map((argv) => runThrough(bundle, argv, PASTED));
      for (const [i, r] of grouped.entries()) {
        assert.ok(r.cache.chunks > 0 && r.cache.fromCache === r.cache.chunks, `${ARGVS[i]}`);
        // Fewer scripts than chunks: the chunks came out of group files.
        assert.ok(r.cache.scripts.length < r.cache.chunks / 2, `${ARGVS[i]}: ${JSON.stringify(r.cache)}`);
        assert.ok(
          r.cache.scripts.some((name) => files.includes(name)),
          `${ARGVS[i]}`,
        );
      }
      const cacheFile = join(copy, 'code-cache.bin');
      const damage: [string, (file: string) => void][] = [
        ['zeroed', (f) => writeFileSync(f, Buffer.alloc(statSync(f).size))],
        ['cut short', (f) => truncateSync(f, Math.floor(statSync(f).size / 2))],
        // Its first and last bytes kept, braces in the middle: no longer JavaScript. With its code cache
        // V8 would not parse it (a cache is checked against the text's length), so the caches go too.
        [
          'damaged inside, no caches',
          (f) => {
            writeFileSync(f, readFileSync(f).fill(0x7b, 200, 400));
            rmSync(cacheFile, { force: true });
          },
        ],
        ['not ASCII', (f) => writeFileSync(f, readFileSync(f).fill(0xe9, 300, 301))],
        ['garbage', (f) => writeFileSync(f, Buffer.alloc(4096, 0xa7))],
        ['missing', (f) => rmSync(f)],
      ];
      for (const [what, spoil] of damage) {
        writeFileSync(cacheFile, caches);
        for (const group of files) writeFileSync(join(copy, group), readFileSync(join(bundle, group)));
        for (const group of files) spoil(join(copy, group));
        for (const [i, argv] of ARGVS.entries()) {
          const r = runThrough(copy, argv, PASTED);
          // Every chunk compiled from its own file (which has no cache of its own when it lies in a group).
          assert.equal(r.cache.scripts.length, r.cache.chunks, `${what}: ${argv.join(' ')}`);
          assert.ok(!r.cache.scripts.some((name) => files.includes(name)), `${what}: ${argv.join(' ')}`);
          assert.equal(r.out, grouped[i]?.out, `${what}: ${argv.join(' ')}`);
          assert.equal(r.code, grouped[i]?.code, `${what}: ${argv.join(' ')}`);
        }
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('bin/pse-doctor.js runs the bundle', buildOrSkip(), () => {
  test('a plain-text trace or a common certificate never loads the X.509 library; an unusual certificate does', () => {
    // One child process: which CommonJS files did the bundle require after each analysis?
    const script = `
      import { createRequire } from 'node:module';
      import { run } from ${JSON.stringify(pathToFileURL(BUNDLE).href)};
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((k) => k.endsWith('x509.cjs'));
      const io = { stdout: { write() {} }, stderr: { write() {} }, isTTY: false, stdinIsTTY: false,
        env: {}, cwd: process.cwd(), stdin: undefined };
      const a = await run(['analyze', 'examples/dev_icm'], io);
      const afterText = loaded();
      const b = (await run(['analyze', process.argv[1]], io)) !== 2;
      const afterCommon = loaded();
      const c = (await run(['analyze', process.argv[2]], io)) !== 2;
      console.log(JSON.stringify({ a, afterText, b, afterCommon, c, afterUnusual: loaded() }));`;
    // A root the quick reader describes, and one only the library can (describeQuickly says which).
    const quick = (pem: string) => describeQuickly(new Uint8Array(parseCertificate(pem).rawData));
    const common = rootCertificates.find((p) => quick(p) !== undefined);
    const unusual = rootCertificates.find((p) => quick(p) === undefined);
    assert.ok(common && unusual, 'the store holds both kinds');
    const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-bundle-'));
    writeFileSync(join(dir, 'common.pem'), common);
    writeFileSync(join(dir, 'unusual.pem'), unusual);
    try {
      const r = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', script, join(dir, 'common.pem'), join(dir, 'unusual.pem')],
        { cwd: REPO_ROOT, encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        a: 1,
        afterText: false,
        b: true,
        afterCommon: false,
        c: true,
        afterUnusual: true,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a pasted line loads the text reader and the rules of its evidence kinds only; a certificate file its reader', () => {
    // One child process: the modules (dist/ paths) of the chunks loaded so far, after each analysis.
    const script = `
      import { readFileSync } from 'node:fs';
      import { Readable } from 'node:stream';
      import { run, codeCache } from ${JSON.stringify(pathToFileURL(BUNDLE).href)};
      const modules = JSON.parse(readFileSync(${JSON.stringify(join(REPO_ROOT, 'dist', 'bundle', 'modules.json'))}, 'utf8'));
      const loaded = () => codeCache().loaded.flatMap((chunk) => modules[chunk]);
      const io = (stdin) => ({ stdout: { write() {} }, stderr: { write() {} }, isTTY: false, stdinIsTTY: false,
        env: {}, cwd: process.cwd(), stdin });
      const line = 'SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\\n';
      const a = await run(['analyze', '-'], io(Readable.from([Buffer.from(line)])));
      const afterLine = loaded();
      const b = await run(['analyze', process.argv[1]], io());
      console.log(JSON.stringify({ a, afterLine, b, afterPem: loaded() }));`;
    const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-bundle-'));
    const pem = join(dir, 'server.pem');
    writeFileSync(pem, rootCertificates[0] as string);
    try {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, pem], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { a: number; b: number; afterLine: string[]; afterPem: string[] };
      assert.equal(out.a, 1, 'the pasted line gives an error finding');
      assert.notEqual(out.b, 2, 'the certificate file gives a report');
      // The line's evidence is an ssl-failure: its rule group is loaded, the text reader read it.
      for (const m of [
        'readers/sap-text/reader.js',
        'rules/groups/ssl-failure.js',
        'rules/on-demand.js',
        'kb/recognize/matcher.js',
      ])
        assert.ok(out.afterLine.includes(m), `${m} loaded for the line`);
      const notForText = [
        'rules/index.js', // the whole registry
        'rules/groups/trust-list.js',
        'rules/groups/certificates.js',
        'rules/groups/landscape-target.js',
        'rules/landscape-pse-drift/rule.js',
        'rules/chain-verdict/rule.js',
        'readers/x509/reader.js',
        'readers/x509/read-certificates.js',
        'readers/pse/reader.js',
        'readers/pse/open-pse.js',
        'readers/sapgenpse/listing.js',
        // `analyze` with plain arguments runs without the argument parser (src/cli/main.ts).
        'node_modules/commander/lib/command.js',
        'cli/program.js',
        // No probe in the evidence: the probe judgement is not loaded (rules/probe-judgement/probe-outcomes.ts).
        'rules/probe-judgement/judge-probe.js',
        'rules/probe-judgement/probe-chain.js',
        // The recognition model only, not the knowledge base `explain` answers from (kb/read-kb-directory.ts).
        'kb/load-kb.js',
        'kb/knowledge-base.js',
        'kb/search-index.js',
      ];
      for (const m of notForText) assert.ok(!out.afterLine.includes(m), `${m} not loaded for a pasted line`);
      // A certificate file: its reader and the rules of certificate evidence load then.
      for (const m of ['readers/x509/reader.js', 'rules/groups/certificates.js'])
        assert.ok(out.afterPem.includes(m), `${m} loaded for a certificate file`);
      assert.ok(!out.afterPem.includes('readers/pse/reader.js'), 'no PSE reader for a certificate file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('analyze loads the probe judgement only for evidence that holds a probe, and judges a saved probe as probe did', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-probe-'));
    const saved = join(dir, 'probe.json');
    const io = `const out = []; const io = (stdin) => ({ stdout: { write: (s) => out.push(s) }, stderr: { write() {} },
        isTTY: false, stdinIsTTY: false, env: {}, cwd: process.cwd(), stdin });`;
    // One process probes the build's sample TLS server (its root in no trust list: an untrusted chain)
    // and saves the evidence; another analyzes a pasted line, then the saved probe.
    const probe = `
      import { Readable } from 'node:stream';
      import { run } from ${JSON.stringify(pathToFileURL(BUNDLE).href)};
      import { startSampleTlsServer, SAMPLE_HOST } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'scripts', 'build-steps', 'sample-tls-server.mjs')).href)};
      ${io}
      const server = await startSampleTlsServer();
      try {
        const code = await run(['probe', 'https://' + SAMPLE_HOST + ':' + server.port, '--resolve', '127.0.0.1',
          '--save-evidence', process.argv[1], '--json'], io());
        console.log(JSON.stringify({ code, report: JSON.parse(out.join('')) }));
      } finally {
        await server.close();
      }`;
    const analyze = `
      import { readFileSync } from 'node:fs';
      import { Readable } from 'node:stream';
      import { run, codeCache } from ${JSON.stringify(pathToFileURL(BUNDLE).href)};
      const modules = JSON.parse(readFileSync(${JSON.stringify(join(REPO_ROOT, 'dist', 'bundle', 'modules.json'))}, 'utf8'));
      const loaded = () => codeCache().loaded.flatMap((chunk) => modules[chunk]);
      ${io}
      const line = 'SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\\n';
      await run(['analyze', '-'], io(Readable.from([Buffer.from(line)])));
      const afterLine = loaded();
      out.length = 0;
      const code = await run(['analyze', '--json', process.argv[1]], io());
      console.log(JSON.stringify({ afterLine, afterProbe: loaded(), code, report: JSON.parse(out.join('')) }));`;
    try {
      const p = spawnSync(process.execPath, ['--input-type=module', '-e', probe, saved], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      assert.equal(p.status, 0, p.stderr);
      const probed = JSON.parse(p.stdout) as { code: number; report: { findings: { rule: string }[] } };
      const a = spawnSync(process.execPath, ['--input-type=module', '-e', analyze, saved], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      assert.equal(a.status, 0, a.stderr);
      const out = JSON.parse(a.stdout) as {
        afterLine: string[];
        afterProbe: string[];
        code: number;
        report: { findings: { rule: string }[]; ruleErrors?: unknown };
      };
      const judge = 'rules/probe-judgement/judge-probe.js';
      assert.ok(!out.afterLine.includes(judge), 'no probe judgement for a pasted line');
      assert.ok(out.afterProbe.includes(judge), 'the probe judgement loaded for the saved probe');
      assert.equal(out.report.ruleErrors, undefined);
      assert.ok(
        probed.report.findings.some((f) => f.rule === 'untrusted-peer-chain'),
        'probe found the untrusted chain',
      );
      assert.deepEqual(
        out.report.findings,
        probed.report.findings,
        'analyze of the saved probe finds what probe found',
      );
      assert.equal(out.code, probed.code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pse over a sec folder loads the trust-list rules but not the live-probe judgement they do not use', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { run, codeCache } from ${JSON.stringify(pathToFileURL(BUNDLE).href)};
      const modules = JSON.parse(readFileSync(${JSON.stringify(join(REPO_ROOT, 'dist', 'bundle', 'modules.json'))}, 'utf8'));
      const io = { stdout: { write() {} }, stderr: { write() {} }, isTTY: false, stdinIsTTY: false,
        env: {}, cwd: process.cwd(), stdin: undefined };
      const code = await run(['pse', 'examples/sec'], io);
      console.log(JSON.stringify({ code, loaded: codeCache().loaded.flatMap((chunk) => modules[chunk]) }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { code: number; loaded: string[] };
    assert.notEqual(out.code, 2);
    for (const m of [
      'readers/pse/reader.js',
      'rules/groups/trust-list.js',
      'rules/pse-weak-own-cert/rule.js',
    ])
      assert.ok(out.loaded.includes(m), `${m} loaded for pse`);
    for (const m of [
      'rules/weak-certificate/rule.js',
      'rules/probe-judgement/judge-probe.js',
      'rules/probe-judgement/probe-context.js',
      'pki/verify.js',
    ])
      assert.ok(!out.loaded.includes(m), `${m} not loaded for pse`);
  });

  test('analyze - reads a redirected file as it reads a pipe, without loading file handles or the ES module loader', () => {
    const line = 'SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n';
    const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-stdin-'));
    const file = join(dir, 'pasted.txt');
    // Two lines before the pasted one: a descriptor already past them must start where it stands.
    writeFileSync(file, `skipped\nskipped\n${line}`);
    // Which built-ins did the call load, and which code caches did it use? (written at exit straight to
    // the descriptor by a preloaded script: process.stderr would load the stream modules itself)
    const probe = join(dir, 'probe.cjs');
    const start = join(REPO_ROOT, 'dist', 'bundle', 'start.cjs');
    writeFileSync(
      probe,
      `process.on('exit', () => { const fs = require('node:fs'); fs.writeSync(2, '\\nTHREADS ' + (fs.existsSync('/proc/self/task') ? fs.readdirSync('/proc/self/task').length : -1) + '\\nCACHE ' + JSON.stringify(require(${JSON.stringify(start)}).codeCache()) + '\\nMODULES ' + JSON.stringify(process.moduleLoadList)); });`,
    );
    const bin = join(REPO_ROOT, 'bin', 'pse-doctor.js');
    const fd = openSync(file, 'r');
    try {
      readSync(fd, Buffer.alloc(16), 0, 16, null); // `skipped\nskipped\n` is 16 bytes
      const fromFile = spawnSync(process.execPath, ['--require', probe, bin, 'analyze', '--json', '-'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: [fd, 'pipe', 'pipe'],
      });
      const fromPipe = spawnSync(process.execPath, [bin, 'analyze', '--json', '-'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        input: line,
      });
      assert.equal(fromFile.status, 1, fromFile.stderr);
      assert.equal(fromPipe.status, 1, fromPipe.stderr);
      const stable = (json: string) => json.replace(/"(generatedAt|id)": "[^"]*"/g, '"$1": "…"');
      assert.equal(stable(fromFile.stdout), stable(fromPipe.stdout));
      assert.match(fromFile.stdout, /SSSLERR_PEER_CERT_UNTRUSTED/);
      // Every chunk from the caches that the samples of pasted texts wrote (the kind of call read from
      // argv).
      const cache = JSON.parse(/CACHE (.*)$/m.exec(fromFile.stderr)?.[1] ?? '{}');
      assert.ok(cache.chunks > 0, fromFile.stderr);
      assert.equal(cache.fromCommandCache, cache.chunks, JSON.stringify(cache.uncached));
      const modules = JSON.parse(/MODULES (.*)$/.exec(fromFile.stderr)?.[1] ?? '[]') as string[];
      assert.ok(modules.length > 0, fromFile.stderr);
      // Read with synchronous calls: no libuv thread pool (four threads), as `node -e 0` runs.
      const threads = Number(/THREADS (-?\d+)/.exec(fromFile.stderr)?.[1]);
      const bare = spawnSync(process.execPath, ['--require', probe, '-e', '0'], { encoding: 'utf8' });
      const bareThreads = Number(/THREADS (-?\d+)/.exec(bare.stderr)?.[1]);
      if (bareThreads > 0) assert.equal(threads, bareThreads, 'threads of analyze - < file');
      for (const costly of [
        'internal/fs/promises',
        'internal/readline/interface',
        'internal/modules/esm/loader',
        'stream',
        'net',
        'tls',
        'crypto',
      ]) {
        assert.ok(!modules.includes(`NativeModule ${costly}`), `${costly} was loaded`);
      }
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--version, explain and analyze of a trace file, their output piped, load neither streams nor net nor tty, nor start the thread pool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-builtins-'));
    // Which built-ins did the call load, and how many threads did it run (Linux: /proc/self/task)?
    // Written at exit straight to the descriptor: process.stderr would load them itself.
    const probe = join(dir, 'probe.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => { const fs = require('node:fs'); const threads = fs.existsSync('/proc/self/task') ? fs.readdirSync('/proc/self/task').length : -1; fs.writeSync(2, '\\nTHREADS ' + threads + '\\nMODULES ' + JSON.stringify(process.moduleLoadList)); });",
    );
    const bin = join(REPO_ROOT, 'bin', 'pse-doctor.js');
    try {
      // A trace file is read through plain descriptors (no file handles), standard input is not touched,
      // and the root CA it names comes from the compiled root store (neither tls nor crypto).
      const threads: number[] = [];
      const calls: Array<[string[], number, string[]]> = [
        [['--version'], 0, []],
        [['explain', 'WSS040'], 0, []],
        [['analyze', 'examples/dev_icm'], 1, ['tls', 'crypto', 'internal/fs/promises']],
      ];
      for (const [argv, status, alsoCostly] of calls) {
        const r = spawnSync(process.execPath, ['--require', probe, bin, ...argv], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        assert.equal(r.status, status, r.stderr);
        assert.ok(r.stdout.length > 0, argv.join(' '));
        const modules = JSON.parse(/MODULES (.*)$/.exec(r.stderr)?.[1] ?? '[]') as string[];
        assert.ok(modules.length > 0, r.stderr);
        for (const costly of ['stream', 'net', 'tty', ...alsoCostly])
          assert.ok(!modules.includes(`NativeModule ${costly}`), `${argv.join(' ')}: ${costly} was loaded`);
        threads.push(Number(/THREADS (-?\d+)/.exec(r.stderr)?.[1]));
      }
      // A small trace file is stat()ed and read with synchronous calls (readers/source.ts,
      // SYNC_READ_BYTES): libuv's thread pool (four threads) is never started, as for --version.
      if (threads[0]! > 0)
        assert.deepEqual(threads, [threads[0], threads[0], threads[0]], 'threads per call');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the bin imports the bundle and diagnoses the sample trace', () => {
    assert.match(readFileSync(join(REPO_ROOT, 'bin', 'pse-doctor.js'), 'utf8'), /dist\/bundle\/start\.cjs/);
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'pse-doctor.js'), 'analyze', '--json', 'examples/dev_icm'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      (JSON.parse(r.stdout) as { findings: { cause: string }[] }).findings[0]?.cause,
      'untrusted-root',
    );
  });
});
