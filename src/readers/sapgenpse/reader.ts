/**
 * @module The sapgenpse listing reader: text output of `maintain_pk -l`, `get_my_name -v`, `get_pse` and
 * sapgenpse/seclogin error messages → TrustListEvent / SapgenpseEvent evidence.
 */
import { ToolError } from '../../model/errors.js';
import type { EvidenceEvent } from '../../model/evidence.js';
import { MessageLines } from '../sap-text/message-lines.js';
import { collectBytes } from '../source.js';
import type { InputSource, ReadContext, Reader, ReaderOutput } from '../types.js';
import { decodeText } from '../x509/read-certificates.js';
import { maskSecrets, parseSapgenpseListing } from './listing.js';
import { SAPGENPSE_MAX_SCORE, sniffSapgenpseHead } from './sniff.js';

export { sniffSapgenpse } from './sniff.js';

/** Largest listing read: a PSE with thousands of certificates prints a few MB. */
export const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/** Read one sapgenpse output (or several pasted one after another). */
export async function readSapgenpseListing(source: InputSource, ctx: ReadContext): Promise<ReaderOutput> {
  const bytes = await collectBytes(source, MAX_LISTING_BYTES);
  if (bytes.length === 0) throw new ToolError('empty-input', { name: source.name });
  const text = decodeText(bytes, 'utf8');
  const parsed = parseSapgenpseListing(text, { input: ctx.input, name: source.name });
  readMessages(text, parsed.unrecognized, ctx.input, parsed.events, parsed.lines);
  const warnings = [...parsed.warnings];
  if (parsed.events.length === 0) {
    warnings.push('No certificate list, own certificate, request or sapgenpse error was found in this text.');
  }
  return {
    summary: {
      name: source.name,
      format: 'sapgenpse-listing',
      bytes: bytes.length,
      lines: parsed.lineCount,
      unrecognizedLines: parsed.unrecognized.length,
      ...(parsed.unrecognized.length ? { unrecognizedSample: parsed.unrecognized.slice(0, 10) } : {}),
      warnings,
    },
    events: parsed.events,
    lines: parsed.lines,
  };
}

/**
 * Lines of the paste that are not sapgenpse output (a browser's or a client's error pasted above the
 * listing) are matched against the knowledge model like any other text, so the failure they show is
 * judged beside the PSE.
 */
function readMessages(
  text: string,
  unrecognized: readonly number[],
  input: number,
  events: EvidenceEvent[],
  lines: Record<string, string>,
): void {
  if (unrecognized.length === 0) return;
  const all = text.split(/\r?\n|\r/);
  const messages = new MessageLines(input, (event, nos) => {
    events.push(event);
    for (const n of nos) lines[`${input}:${n}`] ??= maskSecrets(all[n - 1] ?? '').slice(0, 2000);
    return event;
  });
  for (const no of unrecognized) {
    const line = all[no - 1];
    if (line === undefined || line.length > 4096) continue;
    const masked = maskSecrets(line);
    messages.seeContext(masked, true);
    messages.see(no, masked);
  }
  messages.finish();
}

/** The Reader for the registry. */
export const sapgenpseReader: Reader = {
  id: 'sapgenpse-listing',
  sniff: sniffSapgenpseHead,
  maxScore: SAPGENPSE_MAX_SCORE,
  read: readSapgenpseListing,
};
