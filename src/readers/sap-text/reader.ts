/**
 * @module The SAP text reader: ICM / work-process / Web Dispatcher traces, CPIC/SNC blocks, sectraces,
 * ABAP-side messages, Java and client errors — one streaming pass over the lines of any mix of them.
 */
import { EventAggregator } from '../../evidence/aggregate.js';
import { ToolError } from '../../model/errors.js';
import type { EvidenceEvent, InputSummary } from '../../model/evidence.js';
import { decodeHead, looksBinary } from '../text/encoding.js';
import { scanLines } from '../text/line-scanner.js';
import type { InputSource, ReadContext, Reader, ReaderOutput } from '../types.js';
import { SapTextAssembler } from './assembler.js';
import { lendToTrustFailures } from './lent-chain.js';
import type { PastedPem } from './pem-lines.js';
import { applyPlatform } from './platform.js';
import { hasSectraceHead, prefilterFor } from './prefilter.js';
import { QUIET_GATE_AFTER } from './quiet-lines.js';
import { applySncMechanism } from './snc-mechanism.js';

const STRONG =
  /SSSL(?:ERR|RC)_|Secu(?:de)?-SSL Errorstack|SapSSL\w{1,40}\(|SSL handshake with |IcmConnInitClientSSL/;
const SNC = /SNCERR_|GSS-API\(|SncPEstablishContext|DLENOACCESS|DlLoadLib\(\)/;
const JAVA = /PKIX path|SunCertPathBuilderException|javax\.net\.ssl\.|CertificateExpiredException/;
const MESSAGES = /ICM_HTTP_|SCLNT_HTTP\d|\bWSS040\b|HTTP error \d{3} occ|RTE:\[\d/;
const BROWSER =
  /\b(?:SSL_ERROR_(?!SSL\b|SYSCALL\b|WANT_|ZERO_RETURN|NONE\b)[A-Z_]{3,}|SEC_ERROR_[A-Z_]{3,}|ERR_CERT_[A-Z_]{3,}|ERR_SSL_[A-Z_]{3,})/;
const THREADED = /^\[Thr [^\]\s]{1,40}\] /m;
const CPIC = /^\s*LOCATION\s+\S/m;
/** A CommonCryptoLib chain dump without any trace prefix (copied from a trace): `Certificate:` then `Subject: CN=…`. */
const DUMP_START = /^[ \t]{0,40}Certificate:[ \t]*\r?$/m;
const DUMP_FIELD = /^[ \t]{0,40}(?:Subject|Issuer):[ \t]{0,60}(?:CN|OU|O|C)=/m;
const TRACE_NAME =
  /^(?:dev_(?:icm|w\d{1,3}|webdisp|wdisp|rfc\d{0,4}|disp|ms|jcontrol|server\d{0,3})|sec-.{0,200}\.trc|sectrace.{0,40}|cpic.{0,40}\.trc)(?:\.\w{1,8})?$/i;

/** Heads up to this many characters look for a SapSSL code name before compiling STRONG (sniffSapText). */
const SHORT_HEAD = 16 * 1024;

/** How well a head of text fits this reader (see Reader.sniff). Any text is a weak fallback (0.05). */
export function sniffSapText(head: Buffer, name: string): number {
  if (head.length === 0 || looksBinary(head)) return 0;
  const text = decodeHead(head);
  // The highest score any check gives: no need to run the others over the head. In a short text a SapSSL
  // code name (STRONG's first branch) is found without compiling STRONG, which costs more than reading
  // the text. A long head (a trace's) goes to STRONG at once: it matches at the trace's first `SapSSL…(`
  // line, where each `includes` that finds nothing reads the whole head (some 30 µs per 64 KiB).
  const strong =
    text.length > SHORT_HEAD
      ? STRONG.test(text)
      : text.includes('SSSLERR_') || text.includes('SSSLRC_') || STRONG.test(text);
  if (strong) return 0.9;
  let score = 0.05;
  const raise = (v: number) => {
    if (v > score) score = v;
  };
  if (SNC.test(text)) raise(0.85);
  if (/trc file: "/.test(text)) raise(0.8);
  if (JAVA.test(text) || MESSAGES.test(text)) raise(0.8);
  if (CPIC.test(text) && /^\s*ERROR\s+\S/m.test(text)) raise(0.75);
  if (hasSectraceHead(text)) raise(0.7);
  if (THREADED.test(text) || BROWSER.test(text)) raise(0.6);
  if (DUMP_START.test(text) && DUMP_FIELD.test(text)) raise(0.6);
  if (TRACE_NAME.test(name)) raise(0.6);
  else if (/\.(?:trc|log)$/i.test(name)) raise(0.2);
  return score;
}

/** The format name shown in `Report.inputs[].format` for what the reader saw. */
function formatOf(
  name: string,
  seen: { threaded: number; sectrace: number; joined: number; cpic: number },
  kinds: Set<string>,
  traceFile: string | undefined,
  platform?: string,
): string {
  const file = traceFile ?? name;
  // A paste of dev_webdisp lines (or naming wdisp/ parameters) without the file name.
  if (platform === 'webdispatcher' && (seen.threaded > 0 || kinds.has('ssl-failure'))) return 'webdisp-trace';
  if (seen.threaded > 0) {
    if (/dev_w\d/i.test(file)) return 'wp-trace';
    if (/dev_(?:webdisp|wdisp)/i.test(file)) return 'webdisp-trace';
    if (/dev_rfc|cpic/i.test(file)) return 'cpic-trace';
    if (!kinds.has('ssl-failure') && (kinds.has('snc-failure') || seen.cpic > 0)) return 'cpic-trace';
    return 'icm-trace';
  }
  if (seen.sectrace > 0) return 'sectrace';
  if (kinds.has('ssl-failure') || seen.joined > 0) return 'abap-message';
  if (kinds.has('snc-failure') || kinds.has('lib-load-failure') || seen.cpic > 0) return 'cpic-trace';
  if (kinds.has('java-tls-failure')) return 'java-log';
  if (kinds.has('client-error') || kinds.has('connection-failure')) return 'client-message';
  if (traceFile) return 'icm-trace';
  return 'text';
}

/**
 * Pastes and logs are classified line by line up to the size of the sniffing head (64 KiB), so a typical
 * upload of a few hundred KiB reaches the prefilter.
 */
const FULL_READ_BYTES = 64 * 1024;
/**
 * A kernel trace is read in full only for its first few KiB: further on, up to FULL_READ_BYTES, the
 * prefilter reads its marker lines (with their look-back and the lines of the failure they open) and the
 * head gate (head-gate.ts) every other line that matters on its own — the SSL initialisation, the
 * truncation notice, lines that are not `[Thr …]` lines. A whole trace file (its `trc file:` header in
 * the head) gets 4 KiB: each failure in it prints its `*** ERROR =>` line, the marker that brings the
 * lines before it. An excerpt of `[Thr …]` lines without the header gets 16 KiB, and up to 64 KiB the
 * head gate also reads its failure lines printed without `ERROR` (KERNEL_FAILURE_WORDS): someone who
 * copied the lines they found telling may have left that line out.
 */
const TRACE_FILE_FULL_READ_BYTES = 4 * 1024;
const KERNEL_FULL_READ_BYTES = 16 * 1024;

/** Options for tests and the benchmark. */
export interface SapTextReadOptions {
  /**
   * Bytes always read in full before the prefilter starts (default 64 KiB; a kernel trace file 4 KiB,
   * an excerpt of kernel lines without its header 16 KiB).
   * 0 prefilters from the start.
   */
  fullReadBytes?: number;
  /** Turn the prefilter off (every line is classified). */
  noPrefilter?: boolean;
  /** Give every marker line the full path (no quiet-line gate, quiet-lines.ts). */
  noQuietLines?: boolean;
  /** Lines that could be quiet the process meets before it builds the gate (default QUIET_GATE_AFTER; tests give 0). */
  quietGateAfter?: number;
}

/** Read one input with the SAP text reader (also used directly by tests with options). */
export async function readSapText(
  source: InputSource,
  ctx: ReadContext,
  opts: SapTextReadOptions = {},
): Promise<ReaderOutput> {
  const aggregator = new EventAggregator();
  const assembler = new SapTextAssembler(
    ctx.input,
    aggregator,
    opts.noQuietLines ? null : (opts.quietGateAfter ?? QUIET_GATE_AFTER),
  );
  // The scanner keeps no chunk beyond the next two reads, so it can take reused buffers.
  const chunks = source.streamReusing ? source.streamReusing() : source.stream();
  let fullRead = FULL_READ_BYTES;
  const stats = await scanLines(chunks, assembler, {
    ...(opts.noPrefilter
      ? {}
      : {
          markers: (head: Buffer) => {
            const plan = prefilterFor(head);
            if (plan.kernel) fullRead = plan.traceFile ? TRACE_FILE_FULL_READ_BYTES : KERNEL_FULL_READ_BYTES;
            assembler.excerpt = plan.kernel && !plan.traceFile;
            // All of it lies in the always-read head (a paste): no line is prefiltered, so no marker set
            // is built (some 160 markers: about 0.8 ms of a start-up).
            if (source.size !== undefined && source.size <= (opts.fullReadBytes ?? fullRead))
              return undefined;
            return plan.markers();
          },
        }),
    fullReadBytes: () => opts.fullReadBytes ?? fullRead,
    zoneBytes: FULL_READ_BYTES,
    // An open failure block asks for its own lines (wantsEveryLine); no fixed window after a marker.
    afterLines: 0,
    onHead: (head) => {
      if (looksBinary(head)) throw new ToolError('binary-input', { name: source.name });
    },
  });
  const result = assembler.finish();
  const events = aggregator.events();
  lendToTrustFailures(events, assembler.printedChain());
  // What the paste states beside a trace or an error (a named inspecting proxy, SNI switched off, a client
  // certificate the partner needs) reaches the rules that judge its structured failures, as it reaches
  // messages.
  const facts = assembler.contextFacts();
  if (facts.length > 0)
    for (const e of events)
      if (e.kind === 'ssl-failure' || e.kind === 'java-tls-failure' || e.kind === 'client-error')
        e.context = facts;
  if (result.traceInfo) events.push(result.traceInfo);
  const warnings = [...result.warnings, ...assembler.pems.notes];
  // PEM blocks pasted beside the messages: the X.509 reader is loaded only when there are some.
  // A block a trace failure already holds (level-3 dumps of an unprefixed trace) is the trace's.
  const pems = withoutTracePems(assembler.pems.blocks, events);
  if (pems.length > 0) {
    const { readPastedCertificates } = await import('./pasted-certificates.js');
    const pasted = readPastedCertificates(pems, source.name, ctx.input);
    if (pasted.event) events.push(pasted.event);
    warnings.push(...pasted.notes);
  }
  applyPlatform(events, assembler.platform.platform);
  applySncMechanism(events, assembler.sncMechanism.mechanism);
  events.sort((a, b) => a.source.line - b.source.line);
  if (stats.nonUtf8Lines > 0)
    warnings.push(`${stats.nonUtf8Lines} line(s) were not valid UTF-8 and were read as Windows-1252`);
  if (stats.cutLines > 0) warnings.push(`${stats.cutLines} line(s) longer than 64 KiB were cut`);
  if (aggregator.dropped > 0)
    warnings.push(`${aggregator.dropped} further distinct failure(s) were not kept (limit reached)`);
  const kinds = new Set(events.map((e) => e.kind));
  const failures = events.filter((e) => e.kind !== 'trace-info');
  if (failures.length === 0 && stats.lines > 0)
    warnings.push('no SSL/TLS, SNC or certificate failure found in this input');
  const summary: InputSummary = {
    name: source.name,
    format: formatOf(
      source.name,
      result.seen,
      kinds,
      result.traceInfo?.traceFile,
      assembler.platform.platform,
    ),
    bytes: stats.bytes,
    lines: stats.lines,
    unrecognizedLines: result.unrecognizedLines,
    warnings,
    skippedLines: stats.skippedLines,
    encoding: stats.encoding === 'utf-8-bom' ? 'utf-8' : stats.encoding,
  };
  if (result.unrecognizedSample.length > 0) summary.unrecognizedSample = result.unrecognizedSample;
  return { summary, events, lines: result.lines };
}

/** The base64 body of a PEM text, without armour and line breaks (to compare two copies). */
function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z0-9 ]{1,40}-----|\s+/g, '');
}

/** The pasted blocks that no SSL failure of the same input holds as its trace's certificate. */
function withoutTracePems(blocks: readonly PastedPem[], events: readonly EvidenceEvent[]): PastedPem[] {
  // Most inputs hold no pasted block: then the trace's certificates need no comparing copy either.
  if (blocks.length === 0) return [];
  const held = new Set<string>();
  for (const e of events)
    if (e.kind === 'ssl-failure') for (const c of e.certificates ?? []) if (c.pem) held.add(pemBody(c.pem));
  return held.size === 0 ? [...blocks] : blocks.filter((b) => !held.has(pemBody(b.text)));
}

/** The reader registered in READERS. */
export const sapTextReader: Reader = {
  id: 'sap-text',
  sniff: sniffSapText,
  read: (source, ctx) => readSapText(source, ctx),
};
