/**
 * @module Entry of the bundled CLI (copied to dist/bundle/start.cjs, which bin/pse-doctor.js requires;
 * dist/bundle/cli.js re-exports it for ES modules): loads the CommonJS chunks of dist/bundle (see
 * 30-bundle.mjs) with V8's code cache. CommonJS itself, so starting the CLI needs no ES module loader.
 *
 * Each chunk is compiled once, on its first `require`, with its slice of dist/bundle/code-cache.bin:
 * the bytecode of every function of that chunk that the build's sample runs compiled (those of the
 * command being run when it has samples of its own, see `command`), so V8 neither parses the chunk nor
 * compiles those functions again. V8 checks a cache against the source and its own version
 * and flags and ignores it when they differ (another Node version than the one that built it): the chunk
 * then compiles as without a cache. A cache only spares compile work; what runs, and so every output, is
 * the same. Node built-ins listed in LAZY load on first use of one of their properties.
 *
 * PSE_DOCTOR_WRITE_CODE_CACHE=<folder>: compile without caches and write one per loaded chunk at exit,
 * <folder>/<chunk>.bin (the build does so after its sample runs, then packs them into code-cache.bin).
 */
const {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} = require('node:fs');
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
  'stream',
  'tls',
  'tty',
  'zlib',
]);

/** How the build wraps every chunk (CHUNK_WRAPPER in 30-bundle.mjs). */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __pseChunkUrl) {';
const WRAPPER_TAIL = '\n})';

const chunks = new Map();
const scripts = [];
/** Names of the chunks compiled from their code cache. */
const fromCache = new Set();

/**
 * A packed file of parts (dist/bundle/code-cache.bin, dist/bundle/sources.bin), opened on the first
 * chunk: a 4-byte little-endian length, a JSON index { "<chunk>": [offset, length, …] } (offsets from the
 * end of the index), then the parts one after the other. Only the index is read at once; parts are read
 * when their chunks load, into one scratch buffer that every read reuses. Memory a process touches for
 * the first time costs a page fault per 4 KiB, which on a small virtual machine costs more than the
 * read itself: reading whole files, or each chunk into fresh memory, is slower.
 */
function openPack(file) {
  let fd;
  try {
    fd = openSync(join(dir, file), 'r');
    const head = Buffer.alloc(4);
    if (readSync(fd, head, 0, 4, 0) !== 4) throw new Error('short');
    const n = head.readUInt32LE(0);
    const indexBytes = Buffer.allocUnsafe(n);
    if (readSync(fd, indexBytes, 0, n, 4) !== n) throw new Error('short');
    return { fd, index: JSON.parse(indexBytes.latin1Slice(0, n)), start: 4 + n };
  } catch {
    if (fd !== undefined) closeSync(fd);
    return { fd: undefined, index: {}, start: 0 }; // No (readable) pack: every chunk reads as without.
  }
}

/**
 * Size of the scratch buffer, and the most text decoded as one string (bigger than V8's largest young
 * object, 128 KiB, so such a string is allocated where scavenges do not copy it).
 */
const SCRATCH_BYTES = 256 * 1024;
/** Reused for every part read from a pack (grown when a part is bigger). */
let scratch = Buffer.alloc(0);

/** The index entry of `name` in a pack, `[offset, length, …]`, or undefined. */
function entryOf(pack, name) {
  const at = Object.hasOwn(pack.index, name) ? pack.index[name] : undefined;
  if (pack.fd === undefined || !Array.isArray(at)) return undefined;
  const [offset, length] = at;
  const valid = Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length > 0;
  return valid ? at : undefined;
}

/** `length` bytes at `offset` of a pack's parts, in `scratch` (valid until the next read), or undefined. */
function readBytes(pack, offset, length) {
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, SCRATCH_BYTES));
  try {
    const read = readSync(pack.fd, scratch, 0, length, pack.start + offset);
    return read === length ? scratch.subarray(0, length) : undefined; // Cut short: none.
  } catch {
    return undefined;
  }
}

/** dist/bundle/code-cache.bin: V8's code cache of each chunk the build's sample runs loaded. */
let caches;
/**
 * dist/bundle/sources.bin: the text of the same chunks, in the order the build's samples first loaded
 * them; index entries `[offset, length, ascii, sample]`, ascii 1 when the chunk is ASCII only, sample
 * the number of the first sample that loaded it.
 */
let sources;

/**
 * Which code caches suit a call (see VARIANTS in 30-bundle.mjs, which groups its samples by this same
 * function): the command, its first argument that is no option; `analyze-stdin` for `analyze` whose only
 * other arguments are "-" (a pasted text, which needs none of the trace reader's code).
 */
function cacheKeyOf(argv) {
  const words = argv.filter((a) => typeof a === 'string' && !a.startsWith('-'));
  const command = words[0];
  if (command === 'analyze' && words.length === 1 && argv.includes('-')) return 'analyze-stdin';
  return command;
}
/**
 * The code caches this process uses first: those the samples of its kind of call wrote
 * (code-cache.bin holds them as "<key>/<chunk>"); a chunk without one, or a call of another kind, uses
 * the cache written by all samples. Taken from the process's arguments (the CLI), and again from the
 * arguments of each `run` (in-process callers).
 */
let command = cacheKeyOf(process.argv.slice(2));
/** Names of the chunks whose cache came from the command's own set. */
const fromCommandCache = new Set();

function readCache(name) {
  if (writeTo) return undefined;
  caches ??= openPack('code-cache.bin');
  const own = command === undefined ? undefined : entryOf(caches, `${command}/${name}`);
  if (own) fromCommandCache.add(name);
  const at = own ?? entryOf(caches, name);
  // No cache for this chunk: V8 compiles it as usual. A part damaged is rejected by V8, and the chunk
  // then compiles as without a cache.
  return at && readBytes(caches, at[0], at[1]);
}

/** Chunk texts decoded from sources.bin and not yet loaded (see decodeFrom). */
const decoded = new Map();

/** The text of a chunk: from sources.bin when it holds it whole, else from the chunk's own file. */
function readSource(name, file) {
  if (!sources) {
    sources = openPack('sources.bin');
    sources.names = Object.keys(sources.index);
  }
  if (!decoded.has(name)) decodeFrom(name);
  const text = decoded.get(name);
  decoded.delete(name);
  // A damaged pack does not hold the whole wrapped chunk: its file is read instead.
  if (text?.startsWith(WRAPPER_HEAD) && text.endsWith(WRAPPER_TAIL)) return text;
  return readFileSync(file, 'utf8');
}

/**
 * Decode chunk `name` from sources.bin, and with an ASCII chunk the ASCII chunks after it that the same
 * sample first loaded: one string, each chunk's text a slice of it. A string of a few hundred KiB is
 * allocated outside V8's young generation, where the text of each chunk decoded on its own would land
 * and then be copied out again by the next scavenges.
 */
function decodeFrom(name) {
  const { names } = sources;
  const at = entryOf(sources, name);
  if (!at) return;
  const run = [at];
  const ascii = at[2] === 1;
  let end = at[0] + at[1];
  for (let i = names.indexOf(name) + 1; ascii && i < names.length; i++) {
    const next = entryOf(sources, names[i]);
    const together =
      next?.[2] === 1 && next[3] === at[3] && next[0] === end && end + next[1] - at[0] <= SCRATCH_BYTES;
    if (!together || chunks.has(names[i])) break;
    run.push(next);
    end += next[1];
  }
  const bytes = readBytes(sources, at[0], end - at[0]);
  if (!bytes) return;
  if (!ascii) {
    decoded.set(name, bytes.utf8Slice());
    return;
  }
  const text = bytes.latin1Slice();
  for (const [i, part] of run.entries()) {
    decoded.set(names[names.indexOf(name) + i], text.slice(part[0] - at[0], part[0] - at[0] + part[1]));
  }
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
  // The build wrote each chunk as `(function (exports, require, module, __filename, __dirname,
  // __pseChunkUrl) {…})` (30-bundle.mjs), so its text is compiled as read. The text first: the cache
  // is read into the scratch buffer the text was read through.
  const source = readSource(name, file);
  const cachedData = readCache(name);
  const script = new Script(source, { filename: file, cachedData });
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
  /** Of those, the chunks whose cache the command's own samples wrote. */
  fromCommandCache: [...fromCommandCache].filter((n) => fromCache.has(n)).length,
  loaded: scripts.map((s) => s.name),
  uncached: scripts.map((s) => s.name).filter((n) => !fromCache.has(n)),
});
/**
 * `run(argv, io)` is the CLI as a function (see src/cli/main.ts); `main()` the process entry point;
 * `processIo()` the process's own I/O (for the build's sample runs).
 */
const { main, processIo } = cli;
const run = (argv, io) => {
  command = cacheKeyOf(argv);
  return cli.run(argv, io);
};
module.exports = { run, main, processIo, codeCache, cacheKeyOf };
