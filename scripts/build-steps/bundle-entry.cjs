/**
 * @module Entry of the bundled CLI (minified into dist/bundle/start.cjs, which bin/pse-doctor.js requires;
 * dist/bundle/cli.js re-exports it for ES modules): loads the CommonJS chunks of dist/bundle (see
 * 30-bundle.mjs) with V8's code cache. CommonJS itself, so starting the CLI needs no ES module loader.
 *
 * Chunks that the build's sample runs load together lie in group files (dist/bundle/group-*.cjs, the
 * chunks' functions one after the other, see GROUPS): loading any chunk of a group compiles the whole
 * group file once, as one script with one code cache, and each of its chunks runs when it is first
 * required. Each script compiled costs a fixed part besides its bytes (about 50 µs to compile from its
 * cache and 25 µs to read the cache), so a pasted line that needs 61 chunks compiles 5 scripts instead
 * of 61. Other chunks are compiled from their own files, one script each.
 *
 * A script's cache (dist/bundle/code-cache.bin) holds the bytecode of every function of that script
 * that the build's sample runs compiled (those of the command being run when it has samples of its own,
 * see `command`), so V8 neither parses the script nor compiles those functions again. V8 checks a cache
 * against the source and its own version and flags and ignores it when they differ (another Node
 * version than the one that built it): the script then compiles as without a cache. A cache only spares
 * compile work; what runs, and so every output, is the same. A group file that is missing or damaged is
 * not used: its chunks are compiled from their own files. Node built-ins listed in LAZY load on first
 * use of one of their properties.
 *
 * PSE_DOCTOR_WRITE_CODE_CACHE=<folder>: compile without caches and write one per compiled script at exit,
 * <folder>/<script>.bin (the build does so after its sample runs, then packs them into code-cache.bin).
 */
const {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} = require('node:fs');
const { isAscii } = require('node:buffer');
const { join, sep } = require('node:path');
const { Script } = require('node:vm');

const dir = __dirname;
/**
 * A file of this folder by its plain name (a chunk, a group file, the cache pack): appended, not joined,
 * as a call loads some sixty chunks and `join` normalises the whole path each time (~0.3 ms of a pasted line).
 */
const inDir = (name) => `${dir}${sep}${name}`;
/** A path from this folder, joined: the `__psePath` of every chunk (a data file beside a module, 30-bundle.mjs). */
const psePath = (rel) => join(dir, rel);
/** File URL of this folder, made on first use: `pathToFileURL` compiles Node's URL code (about 1 ms). */
let dirUrl;
/** The file URL of a module of the unbundled tree, from its path from this folder: every chunk's `__pseModuleUrl`. */
const pseModuleUrl = (rel) => {
  dirUrl ??= require('node:url').pathToFileURL(join(dir, '/')).href;
  return new URL(rel, dirUrl).href;
};
/** The entry chunk (the build writes its hashed name here). */
const ENTRY = 'cli.cjs';
/** The group file of each chunk that lies in one (the build writes them here): { "<chunk>": "<group>" }. */
const GROUPS = {};
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

/**
 * How the build writes a group file (GROUP_WRAPPER in 30-bundle.mjs): a function of the table it fills
 * with the group's chunks, `chunks["<name>"] = function (exports, require, …) {…};` each.
 */
const GROUP_HEAD = '(function (chunks) {';
const GROUP_TAIL = '\n})';

/** The chunks loaded so far: name → module ({ exports }). */
const chunks = new Map();
/** Names of the chunks loaded, in load order. */
const loadOrder = [];
/** The scripts compiled: { name, script } (a group file, or a chunk compiled from its own file). */
const scripts = [];
/** Group file → its chunks' functions by name (null: the group file is missing or damaged). */
const groups = new Map();
/** Names of the scripts compiled from their code cache. */
const fromCache = new Set();

/**
 * A packed file of parts (dist/bundle/code-cache.bin), opened on the first script: a 4-byte
 * little-endian length, a JSON index { "<script>": [offset, length] } (offsets from the end of the
 * index), then the parts one after the other. Only the index is read at once; parts are read when their
 * scripts compile, into one scratch buffer that every read reuses. Memory a process touches for the
 * first time costs a page fault per 4 KiB, which on a small virtual machine costs more than the read
 * itself: reading whole files, or each part into fresh memory, is slower.
 */
function openPack(file) {
  let fd;
  try {
    fd = openSync(inDir(file), 'r');
    const head = Buffer.alloc(4);
    if (readSync(fd, head, 0, 4, 0) !== 4) throw new Error('short');
    const n = head.readUInt32LE(0);
    const indexBytes = Buffer.allocUnsafe(n);
    if (readSync(fd, indexBytes, 0, n, 4) !== n) throw new Error('short');
    return { fd, index: JSON.parse(indexBytes.latin1Slice(0, n)), start: 4 + n };
  } catch {
    if (fd !== undefined) closeSync(fd);
    return { fd: undefined, index: {}, start: 0 }; // No (readable) pack: every script compiles without.
  }
}

/**
 * Least size of the scratch buffer through which group files and caches are read (reused: memory a
 * process touches for the first time costs a page fault per 4 KiB). The build keeps each group file
 * within it (GROUP_BYTES in 30-bundle.mjs).
 */
const SCRATCH_BYTES = 256 * 1024;
/** Reused for every group file and every cache read (grown when one is bigger). */
let scratch = Buffer.alloc(0);

/** A scratch buffer of at least `length` bytes. */
function scratchOf(length) {
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, SCRATCH_BYTES));
  return scratch;
}

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
  const buf = scratchOf(length);
  try {
    const read = readSync(pack.fd, buf, 0, length, pack.start + offset);
    return read === length ? buf.subarray(0, length) : undefined; // Cut short: none.
  } catch {
    return undefined;
  }
}

/**
 * dist/bundle/code-cache.bin: V8's code cache of each script (group file or chunk) the build's sample
 * runs compiled.
 */
let caches;

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
 * (code-cache.bin holds them as "<key>/<script>"); a script without one, or a call of another kind, uses
 * the cache written by all samples. Taken from the process's arguments (the CLI), and again from the
 * arguments of each `run` (in-process callers).
 */
let command = cacheKeyOf(process.argv.slice(2));
/** Names of the scripts whose cache came from the command's own set. */
const fromCommandCache = new Set();

function readCache(name) {
  if (writeTo) return undefined;
  caches ??= openPack('code-cache.bin');
  const own = command === undefined ? undefined : entryOf(caches, `${command}/${name}`);
  if (own) fromCommandCache.add(name);
  const at = own ?? entryOf(caches, name);
  // No cache for this script: V8 compiles it as usual. A part damaged is rejected by V8, and the script
  // then compiles as without a cache.
  return at && readBytes(caches, at[0], at[1]);
}

/**
 * The text of a group file, read through the scratch buffer (ASCII: the build groups only chunks that
 * are), or undefined when it is missing, not ASCII or not a whole group file.
 */
function readGroupText(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const buf = scratchOf(size);
    // Not ASCII: not as the build wrote it, and latin1 would misread any UTF-8 in it.
    if (readSync(fd, buf, 0, size, 0) !== size || !isAscii(buf.subarray(0, size))) return undefined;
    const text = buf.latin1Slice(0, size);
    return text.startsWith(GROUP_HEAD) && text.endsWith(GROUP_TAIL) ? text : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Compile a group file (once): its chunks' functions by name, or null when it cannot be used. */
function loadGroup(group) {
  if (groups.has(group)) return groups.get(group);
  const file = inDir(group);
  const text = readGroupText(file);
  let table = null;
  if (text !== undefined) {
    try {
      const script = compile(group, file, text);
      const filled = Object.create(null);
      script.runInThisContext()(filled);
      table = filled;
    } catch {
      // Damaged inside (not JavaScript any more): its chunks compile from their own files.
    }
  }
  groups.set(group, table);
  return table;
}

/** Compile the text of script `name` (from `file`) with its code cache when there is one. */
function compile(name, file, text) {
  const cachedData = readCache(name);
  const script = new Script(text, { filename: file, cachedData });
  if (cachedData && !script.cachedDataRejected) fromCache.add(name);
  scripts.push({ name, script });
  return script;
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
  const file = inDir(name);
  const module = { exports: {} };
  chunks.set(name, module);
  loadOrder.push(name);
  const group = Object.hasOwn(GROUPS, name) ? GROUPS[name] : undefined;
  const table = group === undefined ? null : loadGroup(group);
  // The build wrote each chunk as `(function (exports, require, module, __filename, __dirname,
  // __psePath, __pseModuleUrl) {…})` (30-bundle.mjs), so its own file is compiled as read.
  const inGroup = table !== null && Object.hasOwn(table, name);
  const fn = inGroup ? table[name] : compile(name, file, readFileSync(file, 'utf8')).runInThisContext();
  scriptOfChunk.set(name, inGroup ? group : name);
  fn(module.exports, bundleRequire, module, file, dir, psePath, pseModuleUrl);
  return module.exports;
}

/** The script each loaded chunk was compiled in: its group file, or its own file. */
const scriptOfChunk = new Map();
const scriptOf = (name) => scriptOfChunk.get(name);

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
const codeCache = () => {
  const cached = loadOrder.filter((n) => fromCache.has(scriptOf(n)));
  return {
    chunks: loadOrder.length,
    /** Of those, the chunks whose script (group file or own file) was compiled from its cache. */
    fromCache: cached.length,
    /** Of those, the chunks whose script's cache the command's own samples wrote. */
    fromCommandCache: cached.filter((n) => fromCommandCache.has(scriptOf(n))).length,
    loaded: [...loadOrder],
    uncached: loadOrder.filter((n) => !fromCache.has(scriptOf(n))),
    /** The scripts compiled, in order: group files and chunks compiled from their own files. */
    scripts: scripts.map((s) => s.name),
  };
};
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
