/**
 * @module The explicit reader registry (`READERS`) and `readInputs`: open what the user gave (paths,
 * folders, `-`, uploads), undo gzip, pick a reader per input by sniffing, and return one Evidence.
 */
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { EventAggregator } from '../evidence/aggregate.js';
import {
  looksLikeSavedEvidence,
  MAX_SAVED_EVIDENCE_BYTES,
  mergeEvidence,
  parseSavedEvidence,
} from '../evidence/saved-evidence.js';
import { isToolError, ToolError } from '../model/errors.js';
import type { Evidence, EvidenceEvent, InputSummary } from '../model/evidence.js';
import { bestReader, isOwnDocument, jsonKind } from './detect.js';
import { lazyReader } from './lazy-reader.js';
import { sniffPse } from './pse/sniff.js';
import { sapTextReader } from './sap-text/reader.js';
import { SAPGENPSE_MAX_SCORE, sniffSapgenpseHead } from './sapgenpse/sniff.js';
import {
  bytesSource,
  collectBytes,
  fileSource,
  gunzipSource,
  isGzip,
  PeekedSource,
  statInput,
  streamSource,
  streamSpecial,
} from './source.js';
import { looksBinary } from './text/encoding.js';
import type { InputSource, Reader, SecretProvider } from './types.js';
import { walkFolder } from './walk-folder.js';
import {
  PEM_MAX_SCORE,
  sniffDer,
  sniffPem,
  sniffPkcs7,
  sniffPkcs12,
  sniffStrustExport,
} from './x509/sniff.js';

export { type KnownCode, knownCodes, tlsAlertKbId } from './sap-text/codes.js';
export { collectBytes, HEAD_BYTES } from './source.js';

const x509 = () => import('./x509/reader.js');

/**
 * Every reader, in priority order for equal scores. To add one: append it here, as `lazyReader(id,
 * sniff, load)` when its reading code is more than the text path needs (its sniffer then lives in a light
 * module apart, and the reader module loads only when an input is read with it: a pasted line never
 * loads the certificate, PSE or listing parsers). Binary formats collect their bytes with
 * `collectBytes(source, limit)`; text formats stream `source.stream()`.
 */
export const READERS: Reader[] = [
  sapTextReader,
  lazyReader('pem', sniffPem, async () => (await x509()).pemReader, PEM_MAX_SCORE),
  lazyReader('der', sniffDer, async () => (await x509()).derReader),
  lazyReader('pkcs7', sniffPkcs7, async () => (await x509()).pkcs7Reader),
  lazyReader('pkcs12', sniffPkcs12, async () => (await x509()).pkcs12Reader),
  lazyReader('strust-export', sniffStrustExport, async () => (await x509()).strustExportReader),
  lazyReader(
    'sapgenpse-listing',
    sniffSapgenpseHead,
    async () => (await import('./sapgenpse/reader.js')).sapgenpseReader,
    SAPGENPSE_MAX_SCORE,
  ),
  lazyReader('pse', sniffPse, async () => (await import('./pse/reader.js')).pseReader),
];

/** The best reader for a head and name (content first, name second), or undefined when none fits. */
export function detectReader(head: Buffer, name: string): Reader | undefined {
  return bestReader(READERS, head, name)?.reader;
}

/** One input: a path (file or folder), `-` for standard input, or in-memory bytes / a stream (uploads). */
export type InputSpec =
  | string
  | { name: string; bytes: Uint8Array }
  | { name: string; stream: AsyncIterable<Buffer | Uint8Array | string> | Readable };

export interface ReadInputsOptions {
  secrets?: SecretProvider;
  /** Clock for expiry judgements (tests pin it). */
  now?: Date;
  /** Standard input, for the spec `-`. */
  stdin?: Readable | AsyncIterable<Buffer | Uint8Array | string>;
  /** Current directory relative paths resolve against (default: the process's). */
  cwd?: string;
  /** Readers to choose from (default READERS). */
  readers?: readonly Reader[];
  /** Told how far the reading of each input of known size has come (the CLI's progress line). */
  onProgress?: (progress: { name: string; read: number; size: number }) => void;
  /**
   * A PSE the user named (not a folder member) that the given PIN does not open is a ToolError
   * (`wrong-pin`) instead of a pse-problem event. Default false here; the library's analyze() sets it.
   */
  rejectWrongPin?: boolean;
}

/** The source, counting the bytes the reader pulls from it (per pass: a reader may read twice). */
function withProgress(
  source: InputSource,
  report: NonNullable<ReadInputsOptions['onProgress']>,
): InputSource {
  const size = source.size ?? 0;
  const counted = (open: () => AsyncIterable<Buffer>) =>
    async function* (): AsyncGenerator<Buffer> {
      let read = 0;
      for await (const chunk of open()) {
        read += chunk.length;
        report({ name: source.name, read, size });
        yield chunk;
      }
    };
  const reusing = source.streamReusing?.bind(source);
  return {
    ...source,
    stream: counted(() => source.stream()),
    ...(reusing ? { streamReusing: counted(reusing) } : {}),
  };
}

/**
 * A source plus whether the user named it (errors) or it came from a folder (warnings); or a folder
 * entry the walk could not use, listed as a skipped input with the reason.
 */
type Planned = PlannedSource | { problem: { shown: string; warning: string } };
interface PlannedSource {
  source: InputSource;
  explicit: boolean;
}

/**
 * Read every input in order into one Evidence. Inputs are numbered in the order given (a folder
 * contributes its files by the one walking rule of `walkFolder`: sub-folders a few levels deep, hidden
 * entries skipped, sorted; entries it cannot use are listed as skipped inputs with the reason). Identical failures across inputs are merged
 * (`occurrences`). A missing path, an empty or binary file the user named, or a file no reader can
 * read is a ToolError; inside a folder such files are listed with a warning instead. A file is read
 * by the same reader whether named or found in a folder. Evidence saved with `--save-evidence` and
 * named by the user is loaded as it is (validated; each input is opened once, so a pipe works too);
 * another JSON document (a report) is listed with a warning, never read as text.
 */
export async function readInputs(
  specs: readonly InputSpec[],
  opts: ReadInputsOptions = {},
): Promise<Evidence> {
  const readers = opts.readers ?? READERS;
  const planned: Planned[] = [];
  for (const spec of specs) planned.push(...(await planSpec(spec, opts)));
  const parts: Evidence[] = [];
  let inputs: InputSummary[] = [];
  let lines: Record<string, string> = {};
  let aggregator = new EventAggregator();
  const closeSegment = () => {
    if (inputs.length === 0) return;
    const events = aggregator.events();
    events.sort((a, b) => a.source.input - b.source.input || a.source.line - b.source.line);
    parts.push({ inputs, events, lines });
    inputs = [];
    lines = {};
    aggregator = new EventAggregator();
  };
  for (const item of planned) {
    const index = inputs.length;
    if ('problem' in item) {
      inputs.push(skippedEntry(item.problem.shown, item.problem.warning));
      continue;
    }
    const result = await readOne(item, index, readers, opts);
    if ('saved' in result) {
      closeSegment();
      parts.push(result.saved);
      continue;
    }
    inputs.push(result.summary);
    for (const event of result.events) {
      if (aggregator.add(event)) copyLines(event, result.lines, lines);
    }
  }
  closeSegment();
  if (parts.length === 0) return { inputs: [], events: [], lines: {} };
  return parts.length === 1 ? (parts[0] as Evidence) : mergeEvidence(parts);
}

async function planSpec(spec: InputSpec, opts: ReadInputsOptions): Promise<Planned[]> {
  if (typeof spec !== 'string') {
    if ('bytes' in spec) return [{ source: bytesSource(spec.name, spec.bytes), explicit: true }];
    return [{ source: streamSource(spec.name, spec.stream), explicit: true }];
  }
  if (spec === '-') {
    if (!opts.stdin)
      throw new ToolError('usage', { message: '"-" reads standard input, but none is available here.' });
    return [{ source: streamSource('-', opts.stdin), explicit: true }];
  }
  const path = resolve(opts.cwd ?? process.cwd(), spec);
  const st = await statInput(path, spec);
  if (!st.isDirectory() && !st.isFile()) {
    // A FIFO, a pipe (`<(cat dev_icm)`), a device: read once as a stream, with a limit and an idle timeout.
    return [{ source: streamSource(spec, streamSpecial(path, spec, st)), explicit: true }];
  }
  if (st.isDirectory()) {
    const walk = walkFolder(path, spec);
    const out: Planned[] = walk.files.map((f) => ({
      source: fileSource(f.path, f.shown, f.size),
      explicit: false,
    }));
    for (const p of walk.problems) out.push({ problem: { shown: p.shown, warning: `${p.reason}; skipped` } });
    if (walk.truncated) out.push({ problem: { shown: spec, warning: walk.truncated } });
    return out;
  }
  return [{ source: fileSource(path, spec, st.size), explicit: true }];
}

async function readOne(
  item: PlannedSource,
  index: number,
  readers: readonly Reader[],
  opts: ReadInputsOptions,
): Promise<
  { summary: InputSummary; events: EvidenceEvent[]; lines: Record<string, string> } | { saved: Evidence }
> {
  const source =
    opts.onProgress && item.source.size ? withProgress(item.source, opts.onProgress) : item.source;
  const raw = new PeekedSource(source);
  const opened: PeekedSource[] = [raw];
  try {
    return await readPeeked(opened, item.explicit, index, readers, opts);
  } finally {
    // Stop what was left unread (gzip first) and release the one handle the sniff and the reader shared:
    // a folder of 10,000 files holds one at a time.
    for (const s of opened.reverse()) await s.close();
  }
}

/** Sniff and read one input; the head comes from the same read the reader continues. */
async function readPeeked(
  opened: PeekedSource[],
  explicit: boolean,
  index: number,
  readers: readonly Reader[],
  opts: ReadInputsOptions,
): Promise<
  { summary: InputSummary; events: EvidenceEvent[]; lines: Record<string, string> } | { saved: Evidence }
> {
  const raw = opened[0] as PeekedSource;
  const source: InputSource = raw;
  let head: Buffer;
  try {
    head = await raw.peek(2);
  } catch (err) {
    throw asReadError(err, source.name);
  }
  let chosenSource: PeekedSource = raw;
  let compressed = false;
  if (isGzip(head)) {
    compressed = true;
    chosenSource = new PeekedSource(gunzipSource(raw));
    opened.push(chosenSource);
  }
  let sniffHead: Buffer;
  try {
    sniffHead = await chosenSource.peek();
  } catch (err) {
    throw asReadError(err, source.name);
  }
  if (sniffHead.length === 0) {
    if (explicit) throw new ToolError('empty-input', { name: source.name });
    return { summary: skipped(source, 'empty file; skipped'), events: [], lines: {} };
  }
  if (explicit && looksLikeSavedEvidence(sniffHead)) {
    let bytes: Buffer;
    try {
      bytes = await collectBytes(chosenSource, MAX_SAVED_EVIDENCE_BYTES);
    } catch (err) {
      throw asReadError(err, source.name);
    }
    return { saved: parseSavedEvidence(bytes.toString('utf8'), source.name) };
  }
  // A JSON document in a folder is skipped (configuration, expected results); one named or piped in is
  // read as text unless it is pse-doctor's own (a report, expected results).
  if (jsonKind(sniffHead) === 'document' && (!explicit || isOwnDocument(sniffHead))) {
    const summary = skipped(source, jsonWarning(sniffHead, explicit));
    summary.format = 'json';
    return { summary, events: [], lines: {} };
  }
  // The best reader at any score, inside a folder as for a named file: a weak score only says the head
  // (64 KiB) shows nothing the reader knows, and a log whose failure comes later must be read the same
  // way however it was passed.
  const usable = bestReader(readers, sniffHead, source.name)?.reader;
  if (!usable) {
    if (explicit) {
      if (looksBinary(sniffHead)) throw new ToolError('binary-input', { name: source.name });
      throw new ToolError('unknown-format', {
        name: source.name,
        hint: 'Pass an ICM trace (dev_icm), an error message, a sapgenpse listing, a PSE or a certificate file.',
      });
    }
    return { summary: skipped(source, 'no reader recognised this file; skipped'), events: [], lines: {} };
  }
  try {
    const out = await usable.read(chosenSource, {
      input: index,
      ...(opts.secrets ? { secrets: opts.secrets } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      ...(explicit && opts.rejectWrongPin ? { rejectWrongPin: true } : {}),
    });
    if (compressed) out.summary.warnings.push('gzip-compressed; read decompressed');
    for (const e of out.events) e.source.input = index;
    return out;
  } catch (err) {
    if (!explicit && isToolError(err)) {
      return { summary: skipped(source, err.message), events: [], lines: {} };
    }
    throw asReadError(err, source.name);
  }
}

/** Why a JSON document is not read: it is not evidence text (a report, expected results, saved evidence). */
function jsonWarning(head: Buffer, explicit: boolean): string {
  if (looksLikeSavedEvidence(head)) {
    return explicit
      ? 'saved evidence (the JSON pse-doctor writes to diagnose again later) is loaded as a whole, not read as text; skipped'
      : 'saved evidence (the JSON pse-doctor writes to diagnose again later): give the file itself, not its folder, to load it; skipped';
  }
  return explicit
    ? "a pse-doctor report or expected results, not evidence (JSON documents of pse-doctor's own are not read); skipped"
    : 'JSON, but not saved evidence (JSON documents in a folder are not read: name the file to read it as text); skipped';
}

function skipped(source: InputSource, warning: string): InputSummary {
  return skippedEntry(source.name, warning, source.size ?? 0);
}

function skippedEntry(name: string, warning: string, bytes = 0): InputSummary {
  return {
    name,
    format: 'unknown',
    bytes,
    lines: 0,
    unrecognizedLines: 0,
    warnings: [warning],
  };
}

function asReadError(err: unknown, name: string): unknown {
  if (isToolError(err)) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new ToolError('file-not-found', { path: name }, { cause: err });
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return new ToolError('not-readable', { path: name, reason: (err as Error).message }, { cause: err });
  return err;
}

function copyLines(event: EvidenceEvent, from: Record<string, string>, to: Record<string, string>): void {
  const ref = event.source;
  const nos = ref.keyLines ?? [ref.line];
  for (const no of nos) {
    const key = `${ref.input}:${no}`;
    const text = from[key];
    if (text !== undefined) to[key] = text;
  }
}
