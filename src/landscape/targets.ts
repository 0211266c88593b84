/**
 * @module `--targets targets.csv`: the endpoints each system calls, one per line as `SID,host,port[,PSE]`
 * (a header line, blank lines and `#` comments are allowed). Bad lines are usage errors naming the line.
 */
import { ToolError } from '../model/errors.js';
import { ipVersion } from '../model/ip-address.js';

export interface TargetLine {
  system: string;
  host: string;
  port: number;
  pse: string;
  line: number;
}

/** Most targets in one file. */
export const MAX_TARGETS = 100_000;
/** The PSE a call uses when the line names none: SSL client Standard (SM59's default for HTTPS). */
export const DEFAULT_TARGET_PSE = 'SAPSSLC.pse';

const HOST = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}[A-Za-z0-9_])?$/;
const SID = /^[A-Za-z0-9_-]{1,64}$/;
const PSE = /^[A-Za-z0-9_.-]{1,128}$/;

/** Parse the targets file's text. */
export function parseTargets(text: string, name: string): TargetLine[] {
  const out: TargetLine[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const cols = line.split(/[,;]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (out.length === 0 && /^(?:sid|system)$/i.test(cols[0] ?? '')) continue; // header
    const bad = (why: string) =>
      new ToolError('usage', { message: `${name} line ${i + 1}: ${why}. Each line is SID,host,port[,PSE].` });
    const [system = '', hostCol = '', portCol = '', pseCol = ''] = cols;
    if (cols.length < 3 || cols.length > 4) throw bad(`expected 3 or 4 columns, found ${cols.length}`);
    if (!SID.test(system)) throw bad(`"${system.slice(0, 40)}" is not a system id`);
    const host = hostCol.replace(/^\[(.*)\]$/, '$1');
    if (!HOST.test(host) && ipVersion(host) === 0)
      throw bad(`"${host.slice(0, 80)}" is not a host name or IP address`);
    const port = /^\d{1,5}$/.test(portCol) ? Number(portCol) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) throw bad(`"${portCol.slice(0, 20)}" is not a port (1–65535)`);
    const pse = pseCol || DEFAULT_TARGET_PSE;
    if (!PSE.test(pse)) throw bad(`"${pse.slice(0, 40)}" is not a PSE file name`);
    out.push({ system, host, port, pse: /\.pse$/i.test(pse) ? pse : `${pse}.pse`, line: i + 1 });
    if (out.length > MAX_TARGETS) throw bad(`more than ${MAX_TARGETS} targets`);
  }
  return out;
}
