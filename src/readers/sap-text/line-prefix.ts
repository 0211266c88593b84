/**
 * @module Line prefixes and joined lines: `[Thr <id>]` (kernel traces), the CommonCryptoLib sectrace
 * header `[date time][level][process][component][tid]`, sectrace records pasted onto one line, and ABAP
 * message texts whose line breaks became `#`.
 */

/** A CommonCryptoLib sectrace record header. */
export interface SectraceHeader {
  timestamp: string;
  level: number;
  process: string;
  component: string;
  tid: string;
}

/** One logical line after prefix removal. */
export interface Segment {
  /** Text after the prefix (indentation kept). */
  text: string;
  /** `[Thr <id>]` id, or the sectrace tid; '' when the line has no prefix. */
  thread: string;
  /** The line came from a kernel trace (prefix or `*** ERROR` / `<<-` / `->>` markers). */
  traceStyle: boolean;
  sectrace?: SectraceHeader;
  /** Part of a `#`-joined ABAP message text. */
  joined: boolean;
}

const THR = /^\[Thr ([^\]\s]{1,40})\] ?/;
const SECTRACE =
  /^\[(\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)\]\[(\d{1,2})\]\[([^\]]{0,80})\]\[([^\]]{0,80})\]\[([^\]]{0,40})\] ?/;
/** Start of a sectrace header inside a line (records joined onto one line when pasted). */
export const SECTRACE_START = /\[\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?\]\[\d{1,2}\]\[/g;
const TRACE_MARKER = /^\s*(?:\*\*\* ?ERROR|<<- |->> )/;
/** Work-process traces (dev_w*) start lines with a component letter: `M  *** ERROR =>`, `N  SncInit…`. */
export const WP_PREFIX =
  /^[A-Z] {1,2}(?=\*\*\*|<<- |->> |(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) |Snc|SSL|Ssf|Sec|SAPCRYPTO|Dl|Icm|Ni[A-Z])/;
/** The name of a kernel trace file before a line quoted from it (`dev_icm: `, `dev_w3: `). */
export const TRACE_FILE_LABEL = /^\s{0,8}dev_(?:icm|w\d{1,3}|webdisp|rfc\d{0,3})\s{0,3}:\s{1,3}(?=\S)/;
/** `#` splits only texts that carry SAP SSL/ICM wording; elsewhere `#` is ordinary text. */
export const JOINED_SSL = /SSSL(?:ERR|RC)_|SapSSL|SAPCRYPTO|ICM_HTTP_|SSL handshake with/;

/** Split one physical line into logical segments with their prefixes parsed. */
export function splitLine(raw: string): Segment[] {
  const parts = splitSectraceRecords(raw);
  const out: Segment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const seg = parsePrefix(parts[i]!);
    if (seg.text.includes('#') && JOINED_SSL.test(seg.text)) {
      const pieces = seg.text.split('#');
      for (const piece of pieces) out.push({ ...seg, text: piece, joined: true });
      // A trailing '##' leaves empty pieces: harmless (blank segments).
    } else out.push(seg);
  }
  return out;
}

function splitSectraceRecords(raw: string): string[] {
  if (raw.length < 40 || raw.indexOf('][', 20) < 0) return [raw];
  SECTRACE_START.lastIndex = 1;
  const starts: number[] = [];
  let m = SECTRACE_START.exec(raw);
  while (m && starts.length < 64) {
    starts.push(m.index);
    SECTRACE_START.lastIndex = m.index + 1;
    m = SECTRACE_START.exec(raw);
  }
  if (starts.length === 0) return [raw];
  const parts: string[] = [];
  let prev = 0;
  for (const s of starts) {
    parts.push(raw.slice(prev, s).trimEnd());
    prev = s;
  }
  parts.push(raw.slice(prev));
  return parts;
}

function parsePrefix(line: string): Segment {
  const thr = THR.exec(line);
  if (thr) {
    return { text: line.slice(thr[0].length), thread: thr[1]!, traceStyle: true, joined: false };
  }
  if (line.startsWith('[') && line.length > 30) {
    const st = SECTRACE.exec(line);
    if (st) {
      return {
        text: line.slice(st[0].length),
        thread: st[5]!.trim(),
        traceStyle: false,
        joined: false,
        sectrace: {
          timestamp: st[1]!,
          level: Number(st[2]),
          process: st[3]!.trim(),
          component: st[4]!.trim(),
          tid: st[5]!.trim(),
        },
      };
    }
  }
  // Cheap tests first, each a text every match holds (a pasted line then never compiles the regex):
  // the component letter's blank, the file label's `dev_` (line-prefix.test.ts proves both).
  const wp = line.charCodeAt(1) === 0x20 ? WP_PREFIX.exec(line) : null;
  if (wp) return { text: line.slice(wp[0].length), thread: '', traceStyle: true, joined: false };
  // A trace line quoted with the file it came from (`dev_icm: SapSSLSessionStartNB failed …`).
  const label = line.includes('dev_') ? TRACE_FILE_LABEL.exec(line) : null;
  if (label) return { ...parsePrefix(line.slice(label[0].length)), traceStyle: true };
  // TRACE_MARKER only where one of its texts occurs (most pasted lines hold none).
  const marked =
    (line.includes('ERROR') || line.includes('<<- ') || line.includes('->> ')) && TRACE_MARKER.test(line);
  return { text: line, thread: '', traceStyle: marked, joined: false };
}
