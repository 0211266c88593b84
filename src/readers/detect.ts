/** @module Format detection: ask the readers how well each fits the head (content first, name second) and take the best. */
import type { Reader } from './types.js';

/** One reader with the score it gave. */
export interface ReaderScore {
  reader: Reader;
  score: number;
}

/** Longest first line tried as one JSON value when telling JSON lines from a JSON document. */
const MAX_JSON_LINE = 64 * 1024;

/** Keys of a logged error: an error object (`err.toJSON()`, axios) or one structured log line. */
const ERROR_KEYS =
  /"(?:level|severity|msg|message|err|error|stack|stacktrace|code|errno|exception)"\s{0,20}:/;
/** Keys of the JSON documents pse-doctor and its tests write (reports, saved evidence, expected results). */
const DOCUMENT_KEYS = /"(?:findings|schemaVersion|events|inputs|cause|expected)"\s{0,20}:/;

/**
 * Whether a head of text is JSON: one `document` (a report, expected results, saved evidence — not
 * evidence text to read line by line), `lines` (one JSON value per line: a log whose messages may
 * hold SAP errors, read as text — also one logged error object, pretty-printed or on one line, as
 * users paste `error.toJSON()` or a single structured log line), or undefined (not JSON). Sectrace
 * and `[Thr …]` lines start with `[` too, so an array counts only when an object, string or `]`
 * follows the bracket.
 */
export function jsonKind(head: Buffer): 'document' | 'lines' | undefined {
  if (!mayStartJson(head)) return undefined;
  let text = head.toString('utf8', 0, Math.min(head.length, MAX_JSON_LINE + 2));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const start = /^\s{0,1000}(?:\{\s{0,1000}["}]|\[\s{0,1000}[{"\]])/.exec(text);
  if (!start) return undefined;
  const body = text.trimStart();
  const nl = body.indexOf('\n');
  if (nl > 0 && body.slice(nl + 1).trimStart().length > 0) {
    try {
      JSON.parse(body.slice(0, nl));
      return 'lines';
    } catch {
      // The first line is not a complete value: a pretty-printed document.
    }
  }
  // A logged error (its keys, none of pse-doctor's own documents) is evidence text.
  if (/^\{/.test(body) && ERROR_KEYS.test(body) && !DOCUMENT_KEYS.test(body)) return 'lines';
  return 'document';
}

/**
 * Whether a JSON head is one of pse-doctor's own documents (a report, saved evidence, expected results):
 * those are never evidence text, even when named. Any other JSON document a user names or pipes in (an
 * API's error answer, a log record exported from Splunk or Elasticsearch) holds the messages in its
 * strings and is read as text.
 */
export function isOwnDocument(head: Buffer): boolean {
  return DOCUMENT_KEYS.test(head.toString('utf8', 0, Math.min(head.length, MAX_JSON_LINE + 2)));
}

/**
 * Whether the head can start like JSON (`{` or `[` after blanks and a UTF-8 BOM), on the bytes: most
 * inputs are traces, and decoding 64 KiB only to see that they do not start with a brace is waste. A
 * non-ASCII byte among the leading blanks (a Unicode space) sends it the full way.
 */
function mayStartJson(head: Buffer): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const end = Math.min(head.length, i + 1001);
  while (i < end && (head[i] === 0x20 || (head[i]! >= 0x09 && head[i]! <= 0x0d))) i++;
  return i >= end || head[i] === 0x7b || head[i] === 0x5b || head[i]! >= 0x80;
}

/** The name a sniffer sees: the base name, without a `.gz` suffix (gzip is undone before sniffing). */
export function sniffName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.gz$/i, '');
}

/** A reader's sniff score, 0 when it throws or returns no finite number; at most 1. */
function scoreOf(reader: Reader, head: Buffer, name: string): number {
  let score = 0;
  try {
    score = reader.sniff(head, name);
  } catch {
    score = 0;
  }
  return Number.isFinite(score) && score > 0 ? Math.min(score, 1) : 0;
}

/**
 * The reader that fits an input best, by the score each gives (`Reader.sniff`); readers scoring 0 never
 * win, and of equal scores the earlier in the registry does. A sniffer that throws scores 0. A reader
 * whose `maxScore` is at most the best score so far is not sniffed: it could only tie (the sapgenpse
 * sniffer lower-cases and searches the whole head, which a trace the text reader scored 0.9 need not pay).
 */
export function bestReader(readers: readonly Reader[], head: Buffer, name: string): ReaderScore | undefined {
  const n = sniffName(name);
  let best: ReaderScore | undefined;
  for (let i = 0; i < readers.length; i++) {
    const reader = readers[i] as Reader;
    if (best && (reader.maxScore ?? 1) <= best.score) continue;
    const score = scoreOf(reader, head, n);
    if (score > 0 && (!best || score > best.score)) best = { reader, score };
  }
  return best;
}
