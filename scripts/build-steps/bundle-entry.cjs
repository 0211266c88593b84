/**
 * @module Entry of the bundled CLI (copied to dist/bundle/start.cjs, which bin/pse-doctor.js requires;
 * dist/bundle/cli.js re-exports it for ES modules): loads the CommonJS chunks of dist/bundle (see
 * 30-bundle.mjs) with V8's code cache. CommonJS itself, so starting the CLI needs no ES module loader.
 *
 * Each chunk is compiled once, on its first `require`, with its slice of dist/bundle/code-cache.bin:
 * the bytecode of every function of that chunk that the build's sample runs compiled, so V8 neither parses
 * the chunk nor compiles those functions again. V8 checks a cache against the source and its own version
 * and flags and ignores it when they differ (another Node version than the one that built it): the chunk
 * then compiles as without a cache. A cache only spares compile work; what runs, and so every output, is
 * the same. Node built-ins listed in LAZY load on first use of one of their properties.
 *
 * PSE_DOCTOR_WRITE_CODE_CACHE=<folder>: compile without caches and write one per loaded chunk at exit,
 * <folder>/<chunk>.bin (the build does so after its sample runs, then packs them into code-cache.bin).
 */
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const dir = __dirname;
/** URL of this folder; chunk names are plain (letters, digits, `-`, `.`), so a chunk's URL is this + name. */
const dirUrl = pathToFileURL(join(dir, '/')).href;
/** The entry chunk (the build writes its hashed name here). */
const ENTRY = 'cli.cjs';
const writeTo = process.env.PSE_DOCTOR_WRITE_CODE_CACHE;
const nodeRequire = require;
/** Built-ins that cost a few milliseconds to load and that most calls never touch. */
const LAZY = new Set([
  'child_process',
  'crypto',
  'dgram',
  'dns',
  'fs/promises',
  'http',
  'https',
  'module',
  'net',
  'tls',
  'zlib',
]);

const chunks = new Map();
const scripts = [];
/** Names of the chunks compiled from their code cache. */
const fromCache = new Set();

/** dist/bundle/code-cache.bin, read on the first chunk: { index: { chunk: [offset, length] }, data }. */
let packedCaches;

function readCaches() {
  try {
    const file = readFileSync(join(dir, 'code-cache.bin'));
    const n = file.readUInt32LE(0);
    return { index: JSON.parse(file.toString('latin1', 4, 4 + n)), data: file.subarray(4 + n) };
  } catch {
    return { index: {}, data: Buffer.alloc(0) }; // No (readable) caches: every chunk compiles as usual.
  }
}

function readCache(name) {
  if (writeTo) return undefined;
  packedCaches ??= readCaches();
  const at = Object.hasOwn(packedCaches.index, name) ? packedCaches.index[name] : undefined;
  if (!Array.isArray(at)) return undefined; // No cache for this chunk: V8 compiles it as usual.
  // A slice cut short or damaged is rejected by V8, and the chunk then compiles as without a cache.
  return packedCaches.data.subarray(at[0], at[0] + at[1]);
}

/** A built-in that is required on first access of any of its properties. */
function lazyBuiltin(id) {
  let real;
  const load = () => {
    real ??= nodeRequire(id);
    return real;
  };
  return new Proxy(
    {},
    {
      get: (_, key) => load()[key],
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
}

function bundleRequire(id) {
  if (id.startsWith('./')) return loadChunk(id.slice(2));
  const bare = id.startsWith('node:') ? id.slice(5) : id;
  if (LAZY.has(bare)) {
    const key = `node:${bare}`;
    if (!chunks.has(key)) chunks.set(key, { exports: lazyBuiltin(key) });
    return chunks.get(key).exports;
  }
  return nodeRequire(id);
}

function loadChunk(name) {
  const known = chunks.get(name);
  if (known) return known.exports;
  const file = join(dir, name);
  const module = { exports: {} };
  chunks.set(name, module);
  const cachedData = readCache(name);
  // The build wrote each chunk as `(function (exports, require, module, __filename, __dirname,
  // __pseChunkUrl) {…})` (30-bundle.mjs), so its text is compiled as read.
  const script = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData });
  if (cachedData && !script.cachedDataRejected) fromCache.add(name);
  scripts.push({ name, script });
  script.runInThisContext()(module.exports, bundleRequire, module, file, dir, dirUrl + name);
  return module.exports;
}

if (writeTo) {
  process.on('exit', () => {
    mkdirSync(writeTo, { recursive: true });
    for (const { name, script } of scripts) {
      const to = join(writeTo, `${name}.bin`);
      writeFileSync(`${to}.tmp`, script.createCachedData());
      renameSync(`${to}.tmp`, to);
    }
  });
}

const cli = loadChunk(ENTRY);
/**
 * How many chunks loaded so far, how many of them from V8's code cache, and which (`loaded`, in load
 * order; `uncached`, those compiled without a cache): for tests and benchmarks.
 */
const codeCache = () => ({
  chunks: scripts.length,
  fromCache: fromCache.size,
  loaded: scripts.map((s) => s.name),
  uncached: scripts.map((s) => s.name).filter((n) => !fromCache.has(n)),
});
/** `run(argv, io)` is the CLI as a function (see src/cli/main.ts); `main()` the process entry point. */
const { run, main } = cli;
module.exports = { run, main, codeCache };
