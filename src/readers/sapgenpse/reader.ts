/**
 * @module The sapgenpse listing reader: text output of `maintain_pk -l`, `get_my_name -v`, `get_pse` and
 * sapgenpse/seclogin error messages → TrustListEvent / SapgenpseEvent evidence.
 */
import { ToolError } from '../../model/errors.js';
import { collectBytes } from '../source.js';
import type { InputSource, ReadContext, Reader, ReaderOutput } from '../types.js';
import { decodeText } from '../x509/read-certificates.js';
import { parseSapgenpseListing } from './listing.js';
import { sniffSapgenpseHead } from './sniff.js';

export { sniffSapgenpse } from './sniff.js';

/** Largest listing read: a PSE with thousands of certificates prints a few MB. */
export const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/** Read one sapgenpse output (or several pasted one after another). */
export async function readSapgenpseListing(source: InputSource, ctx: ReadContext): Promise<ReaderOutput> {
  const bytes = await collectBytes(source, MAX_LISTING_BYTES);
  if (bytes.length === 0) throw new ToolError('empty-input', { name: source.name });
  const text = decodeText(bytes, 'utf8');
  const parsed = parseSapgenpseListing(text, { input: ctx.input, name: source.name });
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

/** The Reader for the registry. */
export const sapgenpseReader: Reader = {
  id: 'sapgenpse-listing',
  sniff: sniffSapgenpseHead,
  read: readSapgenpseListing,
};
