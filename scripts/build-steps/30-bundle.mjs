#!/usr/bin/env node
/**
 * @module Build step: bundles the CLI (dist/cli/main.js and everything it imports, dynamic imports
 * included) with esbuild into dist/bundle/, as CommonJS chunks with V8 code caches; bin/pse-doctor.js
 * runs it through dist/bundle/start.cjs (bundle-entry.cjs minified, which loads the chunks).
 *
 * esbuild splits the program into chunks (one per command, since every command is a dynamic `import()`
 * in src/cli/commands/index.ts, plus shared ones), so `explain` never reads the code of `serve`; each
 * chunk is then turned into CommonJS, because a script, unlike an ES module, can be compiled from a code
 * cache on Node 20. Dependencies are bundled too, except native ones (better-sqlite3) and the vendored
 * X.509 stack (dist/vendor/x509.cjs, required on first use by src/pki/x509.ts). The web UI stays apart
 * in dist/web.
 *
 * `import.meta.url` of every bundled module is rewritten to the URL its unbundled twin would have
 * (dist/<same path>), so files found relative to a module (dist/kb/*.json, dist/web/, kb/, the vendored
 * stack, any generated data file) resolve exactly as in the unbundled build, whatever the chunk's name.
 *
 * Code caches: the built CLI runs the sample commands of WARM_UP in one process (on input from the
 * repository, and a probe of a TLS server on 127.0.0.1 that the process starts with a chain made on the
 * spot) and writes, for every script they compiled (a group file of the chunks one sample first loaded,
 * see GROUP_BYTES, or a chunk of its own), the bytecode V8 compiled for it; the build packs these into
 * dist/bundle/code-cache.bin (one file, read once). Chunks of other commands have no cache and compile
 * as usual.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transform, transformSync } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}dist${sep}`;
const outdir = `${root}dist/bundle`;

/** Native add-ons cannot be bundled; they are loaded from node_modules at run time. */
const EXTERNAL = ['better-sqlite3'];

/**
 * The sample runs whose compiled code is cached: the short commands users run most, where start-up is
 * most of the time. Inputs come from the repository (examples/), so a fresh clone builds the same caches.
 */
const WARM_UP = [
  // The shortest common calls first: the group files hold the chunks in the order the samples first
  // loaded them, grouped by sample, so what `explain` or one pasted line loads lies together.
  { argv: ['explain', 'WSS040'] },
  {
    argv: ['analyze', '-'],
    stdin: 'SSL handshake with host.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n',
  },
  {
    argv: ['analyze', '-', 'examples/dev_icm'],
    stdin: 'SSL handshake with host.example.com:443 failed: SSSLERR_SERVER_CERT_MISMATCH (-114)\n',
  },
  { argv: ['analyze', '--json', 'examples/dev_icm'] },
  { argv: ['explain', 'SSSLERR_PEER_CERT_UNTRUSTED'] },
  // A sec folder and one PSE in it (examples/sec: two small PSEs with public certificates only, no key),
  // so `pse` compiles its chunks from a cache too: a folder of 200 PSEs spends ~30 ms compiling otherwise.
  { argv: ['pse', 'examples/sec'] },
  { argv: ['pse', 'examples/sec/SAPSSLC.pse'] },
  // One pasted line per further common kind of evidence: `analyze` loads the rules of the kinds it sees
  // (src/rules/on-demand.ts), so each of these loads a rule group's chunk that then has a cache too.
  ...[
    '*** ERROR => SncPEstablishContext()==SNCERR_GSSAPI [sncxxall.c 3604]',
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target',
    'curl: (60) SSL certificate problem: self-signed certificate in certificate chain',
    'DlLoadLib()==DLENOACCESS - dlopen("/usr/sap/ABC/SYS/exe/run/libsapcrypto.so") FAILED',
  ].map((line) => ({ argv: ['analyze', '-'], stdin: `${line}\n` })),
  // The JSON report of a pasted line (scripts, CI jobs).
  {
    argv: ['analyze', '--json', '-'],
    stdin: 'SSL handshake with host.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n',
  },
];

/**
 * A module's own location in the bundle, as the unbundled tree has it. A data file beside a module
 * (`fileURLToPath(new URL('./x.json', import.meta.url))`) becomes `__psePath("<path from the bundle
 * folder>")`, joined to the bundle folder at run time: no URL is parsed, and a call that needs no other
 * module URL never compiles Node's URL class (about 1 ms of every start-up: its code is compiled on first
 * use, and the first `pathToFileURL` cost 0.5 ms). Any other `import.meta.url` becomes
 * `__pseModuleUrl("<path>")`, the module's file URL, made on first use. Both are parameters of the
 * chunk wrapper (CHUNK_WRAPPER, bundle-entry.cjs).
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        // Resolve against the path the module has in the unbundled tree, not the bundle's.
        const twin = relative(outdir, args.path).split(sep).join('/');
        contents = contents.replace(
          /fileURLToPath\(\s*new URL\(\s*'([^'\\]+)'\s*,\s*import\.meta\.url\s*\)\s*\)/g,
          (_, rel) => `__psePath(${JSON.stringify(posix.join(posix.dirname(twin), rel))})`,
        );
        contents = contents.replaceAll('import.meta.url', `__pseModuleUrl(${JSON.stringify(twin)})`);
      }
      return { contents, loader: 'js' };
    });
  },
};

// Chunk names change with their content: start empty so no stale chunk or cache stays behind.
await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: `${dist}cli/main.js` },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  plugins: [keepModuleUrls],
  // Content hashes in every name, the entry's too: a code cache is kept under the name of its chunk, so
  // it can never meet a changed chunk.
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
// For size analysis (which module landed in which chunk): PSE_DOCTOR_BUNDLE_META=<file>.
if (process.env.PSE_DOCTOR_BUNDLE_META)
  writeFileSync(process.env.PSE_DOCTOR_BUNDLE_META, JSON.stringify(result.metafile));
// Which modules (paths under dist/) each chunk holds, so a test can tell what a call loaded (with
// `codeCache().loaded`): dist/bundle/modules.json, { "<chunk>.cjs": ["readers/index.js", …] }.
const modules = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.cjs')) continue;
  modules[file.slice(file.lastIndexOf('/') + 1)] = Object.keys(output.inputs).map((i) =>
    i.startsWith('dist/') ? i.slice(5) : i,
  );
}
writeFileSync(join(outdir, 'modules.json'), JSON.stringify(modules));

/** esbuild's conversion of a chunk's export object into its module object (see the chunk loop). */
const TO_COMMON_JS = 'module.exports=__toCommonJS(stdin_exports);';

/** What each chunk file is wrapped in: a function expression of the module's CommonJS variables. */
const CHUNK_WRAPPER = [
  '(function (exports, require, module, __filename, __dirname, __psePath, __pseModuleUrl) {',
  '\n})',
];

// Each ES module chunk becomes a CommonJS script: imports become require() calls that bundle-entry.js
// resolves (chunks by name, built-ins lazily).
const chunkFiles = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.cjs'));
/** How the chunks and start.cjs are minified: less text for V8 to parse; identifiers (and so function and class names) are kept. */
const MINIFY = {
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};
let plainExports = 0;
for (const f of chunkFiles) {
  const path = join(root, f);
  const out = await transform(await readFile(path, 'utf8'), { ...MINIFY, format: 'cjs' });
  // A chunk's dynamic import of another chunk (a command, or a part loaded on demand) goes through the
  // same require, so every chunk is one module instance whichever way it was reached. The file holds
  // the chunk already wrapped in the function bundle-entry.cjs calls (CHUNK_WRAPPER), so loading it
  // compiles the file's text as read: no second copy of every source string at start-up.
  const code = out.code
    .replace(/\bimport\(("\.\/[\w.-]+\.cjs")\)/g, 'Promise.resolve().then(()=>require($1))')
    // esbuild's module object is its export object copied, each export a getter again, with `__esModule`
    // added: about 1 ms of a pasted line's start-up over its 61 chunks, in V8's interpreter. The export
    // object itself serves: chunks only read named exports of each other (esbuild's `__toESM`, which
    // reads `__esModule`, wraps built-ins and external packages only).
    .replace(TO_COMMON_JS, 'module.exports=stdin_exports;');
  if (code.includes('module.exports=stdin_exports;')) plainExports++;
  writeFileSync(path, `${CHUNK_WRAPPER[0]}${code}${CHUNK_WRAPPER[1]}`);
}
// Every chunk has an export object (empty for a chunk that exports nothing): if none was found,
// esbuild's output changed shape and the chunks still copy theirs.
if (plainExports === 0) throw new Error(`bundle: no chunk holds ${TO_COMMON_JS} (esbuild's output changed)`);
const entry = Object.entries(result.metafile.outputs).find(
  ([, o]) => o.entryPoint === relative(root, `${dist}cli/main.js`).split(sep).join('/'),
)?.[0];
if (!entry) throw new Error('bundle: esbuild reported no entry chunk');
const shim = readFileSync(join(root, 'scripts', 'build-steps', 'bundle-entry.cjs'), 'utf8');
const entryLine = "const ENTRY = 'cli.cjs';";
const groupsLine = 'const GROUPS = {};';
for (const line of [entryLine, groupsLine])
  if (!shim.includes(line)) throw new Error(`bundle: bundle-entry.cjs lacks ${line}`);
/**
 * Write dist/bundle/start.cjs: the shim with the entry chunk's name and the group of each grouped chunk,
 * minified as the chunks are (names kept). Node compiles this one file from its text in every call,
 * without a code cache: its comments were half of it, and without them every command reads and parses
 * 9 KiB instead of 18 KiB (`analyze -` of one line −4M instructions, cachegrind).
 */
function writeStart(groupOf) {
  const text = shim
    .replace(entryLine, `const ENTRY = ${JSON.stringify(entry.slice(entry.lastIndexOf('/') + 1))};`)
    .replace(groupsLine, `const GROUPS = ${JSON.stringify(groupOf)};`);
  writeFileSync(join(outdir, 'start.cjs'), transformSync(text, MINIFY).code);
}
// No groups yet: the first sample run tells which chunks load together.
writeStart({});
// For ES modules (tests, benchmarks): the same functions.
writeFileSync(
  join(outdir, 'cli.js'),
  "/** @module The bundled CLI for ES modules: see start.cjs. */\nexport { codeCache, main, processIo, run } from './start.cjs';\n",
);

/**
 * Kinds of call whose samples also run in a process of their own, writing code caches of their own: a
 * script's cache holds the bytecode of every function the samples compiled, and a cache written by the
 * samples of all commands holds much that one kind of call never runs (V8 still reads all of it: about
 * 5 ms of `analyze -`). The CLI reads a script's cache from the set of its kind of call when there is one,
 * otherwise from the set of all samples (bundle-entry.cjs, whose `cacheKeyOf` names the kind of a call:
 * the command, or `analyze-stdin` for a pasted text).
 */
const VARIANTS = ['explain', 'analyze', 'analyze-stdin', 'pse', 'probe'];
/**
 * How many of a kind's samples (the first ones, in WARM_UP order) write its own caches: all of them,
 * but for a pasted text only the first (an SAP SSL error line). Its own caches written by all six
 * pasted-line samples made every pasted line read the bytecode of every kind's functions, which costs
 * more than compiling the few a call needs beyond the first sample's when it runs them. Measured
 * (cachegrind; perf stat, 20 runs; 2026-12-06): an SSSLERR line −5M instructions, −47 page faults and
 * 2–10 ms less wall time with the first sample's caches alone; a Java, a curl, an SNC and a DL line and
 * the `--json` report of a line the same instructions (±1M) or fewer, and a Java line 8 fewer faults.
 */
const OWN_SAMPLES = { 'analyze-stdin': 1 };
/**
 * The script one sample process runs: the samples in order (the probe one against a TLS server on
 * 127.0.0.1 that the process starts, sample-tls-server.mjs), each script's code cache written at exit;
 * with `order`, also which chunks loaded in which order (for the group files).
 */
function warmScript(samples, { probe, order }) {
  return `
  import { Readable } from 'node:stream';
  import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
  import { tmpdir } from 'node:os';
  import { join } from 'node:path';
  const stdinDir = mkdtempSync(join(tmpdir(), 'pse-doctor-warm-'));
  const { run, codeCache, processIo } = await import(${JSON.stringify(pathToFileURL(join(outdir, 'cli.js')).href)});
  const samples = ${JSON.stringify(samples)};
  let server;
  if (${probe}) {
    const { startSampleTlsServer, SAMPLE_HOST } = await import(${JSON.stringify(pathToFileURL(join(root, 'scripts', 'build-steps', 'sample-tls-server.mjs')).href)});
    server = await startSampleTlsServer();
    const trust = ${JSON.stringify(join(cacheDir, 'sample-root.pem'))};
    mkdirSync(${JSON.stringify(cacheDir)}, { recursive: true });
    writeFileSync(trust, server.rootPem);
    samples.push({ argv: ['probe', 'https://' + SAMPLE_HOST + ':' + server.port, '--resolve', '127.0.0.1', '--trust', trust] });
  }
  const loadedBy = [];
  try {
    for (const w of samples) {
      // The process's own I/O, as a call of the CLI has it, so the caches hold the functions of
      // cli/io.js every call runs: output to the process's descriptors (runSamples sends standard output
      // to the null device, standard error to the build's report of a failure), the sample's input from
      // a file of its own, read as a pasted text redirected from a file is.
      let fd;
      if (w.stdin !== undefined) {
        const file = join(stdinDir, 'stdin.txt');
        writeFileSync(file, w.stdin);
        fd = openSync(file, 'r');
      }
      const own = processIo(fd);
      const io = { stdout: own.stdout, stderr: own.stderr, stdin: fd === undefined ? Readable.from([]) : own.stdin,
        isTTY: own.isTTY, stdinIsTTY: false, stderrIsTTY: own.stderrIsTTY, env: {}, cwd: process.cwd() };
      const code = await run(w.argv, io);
      if (fd !== undefined) closeSync(fd);
      if (code !== 0 && code !== 1) throw new Error(w.argv.join(' ') + ' exited ' + code);
      loadedBy.push(codeCache().loaded.length);
    }
  } finally {
    await server?.close();
    rmSync(stdinDir, { recursive: true, force: true });
  }
  // The chunks in load order, and how many of them had loaded after each sample.
  if (${order}) writeFileSync(${JSON.stringify(join(outdir, 'load-order.json'))},
    JSON.stringify({ loaded: codeCache().loaded, loadedBy }));`;
}

/** Run one sample process, writing its code caches into `into`. */
function runSamples(script, into) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, PSE_DOCTOR_WRITE_CODE_CACHE: into },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    process.stderr.write(`bundle: the sample runs for the code cache failed (${r.status}): ${r.stderr}\n`);
    process.exit(1);
  }
}

const cacheDir = join(outdir, 'cache');
// Every sample in one process, each chunk compiled from its own file: which chunks load, in which
// order (load-order.json). Its caches are not kept: the groups below change the scripts.
runSamples(warmScript(WARM_UP, { probe: true, order: true }), join(cacheDir, 'order'));
await rm(join(cacheDir, 'order'), { recursive: true, force: true });

/**
 * Group files: the chunks the same sample first loaded, in load order, written one after the other into
 * one script (GROUP_WRAPPER), so a call compiles a few scripts with one code cache each instead of one
 * per chunk (bundle-entry.cjs). Each script costs about 47 µs to compile from its cache and 25 µs to
 * read it, besides its bytes (the 61 chunks a pasted line loads, 2026-12-06). Measured against one
 * script per chunk (cachegrind; perf stat, 10–30 runs): a pasted line −8M instructions and −25 page
 * faults, `analyze examples/dev_icm` −10M and −71 (−2.5 ms), a 1 MiB trace −57 faults, `explain` −29.
 * A group holds at most GROUP_BYTES of text, so that its caches (about 1.4 times the text) stay within
 * the shim's scratch buffer: at 256 KiB a pasted line touched 55 more fresh pages than before. Only
 * ASCII chunks are grouped (the shim reads a group file as latin1, one byte a character, as V8 keeps
 * it); other chunks stay scripts of their own, and the build names them. esbuild escapes non-ASCII
 * characters in strings but not in regex literals, so the sources spell those as `\u` escapes.
 */
const GROUP_BYTES = 176 * 1024;
/** A group file: `(function (chunks) {` then `chunks["<name>"] = function (…) {…};` per chunk, `})`. */
const GROUP_WRAPPER = ['(function (chunks) {', '\n})'];
const orderFile = join(outdir, 'load-order.json');
const { loaded, loadedBy } = JSON.parse(readFileSync(orderFile, 'utf8'));
await rm(orderFile);
const groupOf = {};
const groupRuns = [];
let run = [];
let runBytes = 0;
let runSample = -1;
const closeRun = () => {
  if (run.length > 1) groupRuns.push(run);
  run = [];
  runBytes = 0;
};
const notAscii = [];
for (const [i, name] of loaded.entries()) {
  const text = readFileSync(join(outdir, name));
  const sample = loadedBy.findIndex((n) => i < n);
  if (!text.every((b) => b < 0x80)) {
    notAscii.push(name);
    continue;
  }
  if (sample !== runSample || runBytes + text.length > GROUP_BYTES) closeRun();
  runSample = sample;
  run.push({ name, text: text.toString('latin1') });
  runBytes += text.length;
}
closeRun();
if (notAscii.length > 0)
  console.log(`bundle: not ASCII, so in no group file: ${notAscii.join(', ')} (see GROUP_BYTES)`);
for (const members of groupRuns) {
  const body = members.map(({ name, text }) => {
    if (!text.startsWith(CHUNK_WRAPPER[0]) || !text.endsWith(CHUNK_WRAPPER[1]))
      throw new Error(`bundle: ${name} is not wrapped as CHUNK_WRAPPER`);
    // The chunk's function without the parentheses around it: compiled when the chunk first loads.
    return `\nchunks[${JSON.stringify(name)}] = ${text.slice(1, -1)};`;
  });
  const text = `${GROUP_WRAPPER[0]}${body.join('')}${GROUP_WRAPPER[1]}`;
  // Named by content, as the chunks are: a code cache can never meet a changed group.
  const group = `group-${createHash('sha256').update(text).digest('hex').slice(0, 8)}.cjs`;
  writeFileSync(join(outdir, group), text);
  for (const { name } of members) groupOf[name] = group;
}
writeStart(groupOf);

// Every sample in one process again: the caches of all commands, now of the group files.
runSamples(warmScript(WARM_UP, { probe: true, order: false }), cacheDir);
// Each kind of call's samples on their own.
const { cacheKeyOf } = createRequire(import.meta.url)(join(outdir, 'start.cjs'));
for (const key of VARIANTS) {
  const samples = WARM_UP.filter((w) => cacheKeyOf(w.argv) === key).slice(0, OWN_SAMPLES[key]);
  runSamples(warmScript(samples, { probe: key === 'probe', order: false }), join(cacheDir, key));
}
// All caches in one pack (writePack below; bundle-entry.cjs opens it once and reads a script's part
// when the script compiles: separate files cost about 0.25 ms each): index { "<script>": [offset,
// length] }, a script being a group file or a chunk. A command's own caches are named "<command>/<script>".
const cachesIn = (sub) =>
  readdirSync(join(cacheDir, sub))
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => (sub ? `${sub}/${f}` : f));
const caches = ['', ...VARIANTS].flatMap(cachesIn);
/**
 * Write a pack: a 4-byte little-endian length, the JSON index { "<name>": [offset, length] } (offsets
 * from the end of the index), then the parts one after the other. Returns the index and the bytes of
 * the parts.
 */
function writePack(file, parts) {
  const packIndex = {};
  let offset = 0;
  for (const { name, bytes } of parts) {
    packIndex[name] = [offset, bytes.length];
    offset += bytes.length;
  }
  const indexBytes = Buffer.from(JSON.stringify(packIndex));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(indexBytes.length);
  writeFileSync(join(outdir, file), Buffer.concat([head, indexBytes, ...parts.map((p) => p.bytes)]));
  return { index: packIndex, size: offset };
}

const { size: cacheBytes } = writePack(
  'code-cache.bin',
  caches.map((f) => ({ name: f.slice(0, -'.bin'.length), bytes: readFileSync(join(cacheDir, f)) })),
);
await rm(cacheDir, { recursive: true, force: true });
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `bundle: CLI bundled into dist/bundle (${chunkFiles.length} files, ${(bytes / 1024).toFixed(0)} KiB), ` +
    `${Object.keys(groupOf).length} of them in ${groupRuns.length} group files; code cache for ` +
    `${caches.filter((c) => !c.includes('/')).length} scripts, also of their own for ` +
    `${VARIANTS.join(', ')} (${(cacheBytes / 1024).toFixed(0)} KiB)`,
);
