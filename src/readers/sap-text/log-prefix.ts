/** @module The prefix a log collector or logger puts before each line (Cloud Foundry `cf logs`, Kubernetes, nginx, timestamp and level), so a stack frame or an `Error:` line is seen as its program printed it. */

import { afterAsciiBlanks } from './patterns.js';

/** `2025-05-14T09:12:33.62+0200 [APP/PROC/WEB/0] ERR ` of `cf logs` (also `[RTR/0] OUT`, `[CELL/0]`). */
const CF =
  /^\s{0,8}\d{4}-\d\d-\d\dT[\d:.]{5,20}(?:Z|[+-]\d\d:?\d\d)?\s{1,4}\[[A-Z]{2,10}(?:\/[\w.-]{1,40}){0,4}\]\s{1,4}(?:OUT|ERR)\s/;

/** `2025-05-14T09:12:33.123456789Z stderr F ` of a container runtime (CRI log format). */
const CRI = /^\d{4}-\d\d-\d\dT[\d:.]{5,30}(?:Z|[+-]\d\d:?\d\d)\s(?:stdout|stderr)\s[FP]\s/;

/**
 * A timestamp, optionally bracketed, then a level word: `2025-02-11 08:15:40,221 ERROR `,
 * `[2025-03-02T10:44:09.117Z] ERROR `, `E/Tag: ` is not taken (too short to tell from text).
 */
const STAMPED =
  /^\s{0,8}\[?\d{4}[-/.]\d\d[-/.]\d\d[T ][\d:.,]{5,20}(?:Z|[+-]\d\d:?\d\d)?\]?\s{1,4}(?:\[?(?:FATAL|ERROR|ERR|WARN|WARNING|INFO|DEBUG|TRACE)\]?\s{1,4})?/;

/** `2025/05/14 09:12:33 [info] 2211#2211: *1834 ` of an nginx error log (pid#tid, then the connection). */
const NGINX =
  /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(?:emerg|alert|crit|error|warn|notice|info|debug)\] \d{1,10}#\d{1,10}: (?:\*\d{1,12} )?/;

/** The prefixes, in the order they are tried (exported for the test of mayHaveLogPrefix). */
export const LOG_PREFIXES: readonly RegExp[] = [CF, CRI, NGINX, STAMPED];

/**
 * Whether `line` can carry one of these prefixes: each begins, after at most eight blanks and a bracket,
 * with a digit. A line of text (most lines) is answered here, and the four regexes are never compiled
 * for an input without such a prefix. A character outside ASCII among the blanks may be a Unicode blank
 * (`\s`): then the regexes decide. log-prefix.test.ts holds this to the regexes on every fixture line.
 */
export function mayHaveLogPrefix(line: string): boolean {
  let i = afterAsciiBlanks(line, 8);
  if (i < 0) return true;
  if (line.charCodeAt(i) === 91) i++; // [
  const c = line.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** The line without a log collector's or logger's prefix; the line itself when it has none. */
export function stripLogPrefix(line: string): string {
  if (line.length < 12 || !mayHaveLogPrefix(line)) return line;
  const m = CF.exec(line) ?? CRI.exec(line) ?? NGINX.exec(line) ?? STAMPED.exec(line);
  return m ? line.slice(m[0].length) : line;
}
