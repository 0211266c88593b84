/**
 * @module The PSE reader for the pipeline: one PSE file → a TrustListEvent (trusted certificates, own
 * certificate and chain, STRUST node) or, when it cannot be opened here, a PseProblemEvent, so an
 * `analyze` over a whole sec folder still reports everything else.
 */
import type { TrustList } from '../../model/certificate.js';
import { ToolError } from '../../model/errors.js';
import type { EvidenceEvent, PseProblemEvent, SourceRef, TrustListEvent } from '../../model/evidence.js';
import type { InputSource, ReadContext, Reader, ReaderOutput } from '../types.js';
import { MAX_PSE_BYTES, openPse, pseProblemOf } from './open-pse.js';
import { describePseFile, type PseIdentity } from './pse-identity.js';
import type { PseContents } from './pse-types.js';
import { sniffPse } from './sniff.js';

/** Read all bytes of an input, refusing more than the PSE limit. */
async function collectPseBytes(source: InputSource): Promise<Buffer> {
  const tooLarge = () =>
    new ToolError('too-large', { name: source.name, limit: `${MAX_PSE_BYTES / 1024 / 1024} MiB` });
  if (source.size !== undefined && source.size > MAX_PSE_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source.stream()) {
    total += chunk.length;
    if (total > MAX_PSE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Open a PSE, asking the secret provider for a PIN only when the file turns out to need one. The PIN is
 * passed through and dropped; `bytes` is wiped afterwards (a plain PSE holds its key in clear). The
 * provider is asked for `secretName` (default: `name`).
 */
export async function openPseWithSecrets(
  bytes: Buffer,
  name: string,
  secrets: ReadContext['secrets'],
  secretName = name,
): Promise<PseContents> {
  try {
    try {
      return openPse(bytes, { name });
    } catch (err) {
      if (pseProblemOf(err)?.problem !== 'pin-required' || !secrets) throw err;
      return openPse(bytes, { name, pin: await secrets.get('pin', secretName) });
    }
  } finally {
    bytes.fill(0);
  }
}

/** The trust list of an opened PSE, in the shared model. */
export function pseTrustList(file: string, identity: PseIdentity, contents: PseContents): TrustList {
  const list: TrustList = {
    storeKind: 'sap-pse',
    file,
    certificates: contents.trusted.map((c) => c.info),
    ownChain: contents.ownChain.map((c) => c.info),
  };
  if (identity.basename) list.basename = identity.basename;
  if (identity.node) list.node = identity.node;
  if (identity.context) list.context = identity.context;
  if (identity.application) list.application = identity.application;
  if (contents.own) list.own = contents.own.info;
  if (contents.duplicateEntries.length) list.duplicates = contents.duplicateEntries.map((d) => ({ ...d }));
  return list;
}

/**
 * Evidence for one PSE named `file` (shown in events and messages): a trust-list event, or, when the PSE
 * cannot be opened here, a pse-problem event with the original ToolError in `error` (callers that want an
 * input error rethrow it). The PIN is asked for as `secretName` (the input's name). Wipes `bytes`.
 */
export async function readPseEvidence(
  bytes: Buffer,
  file: string,
  source: SourceRef,
  secrets: ReadContext['secrets'],
  secretName = file,
): Promise<{ events: EvidenceEvent[]; warnings: string[]; contents?: PseContents; error?: ToolError }> {
  try {
    const contents = await openPseWithSecrets(bytes, file, secrets, secretName);
    const identity = describePseFile(file, contents.own?.info);
    const event: TrustListEvent = {
      kind: 'trust-list',
      source,
      list: pseTrustList(file, identity, contents),
    };
    const warnings = [...contents.warnings];
    if (identity.nodeFrom === 'own-certificate') {
      warnings.push(
        `STRUST node "${identity.node}" derived from the own certificate's DN, not from the file name`,
      );
    }
    return { events: [event], warnings, contents };
  } catch (err) {
    const problem = pseProblemOf(err);
    if (!problem) throw err;
    const event: PseProblemEvent = {
      kind: 'pse-problem',
      source,
      file,
      problem: problem.problem,
      message: problem.message,
    };
    return { events: [event], warnings: [problem.message], error: err as ToolError };
  }
}

/** SAP PSE files (v2/v4, plain or PIN-protected) and the `cred_v2` file beside them. */
export const pseReader: Reader = {
  id: 'pse',
  sniff: sniffPse,
  async read(source: InputSource, ctx: ReadContext): Promise<ReaderOutput> {
    const bytes = await collectPseBytes(source);
    const size = bytes.length;
    // Binary input has no lines: events point at line 1, like other binary readers.
    const ref: SourceRef = { input: ctx.input, line: 1 };
    const { events, warnings, contents, error } = await readPseEvidence(
      bytes,
      source.path ?? source.name,
      ref,
      ctx.secrets,
      source.name,
    );
    // A PIN was given for this very file and does not open it: the caller's input is wrong.
    if (ctx.rejectWrongPin && error?.code === 'wrong-pin')
      throw new ToolError('wrong-pin', { ...error.data, name: source.name }, { cause: error });
    return {
      summary: {
        name: source.name,
        format: 'pse',
        bytes: size,
        lines: 0,
        unrecognizedLines: 0,
        warnings,
        ...(contents
          ? {
              formatDetail: `PSE version ${contents.version}, ${contents.protection === 'pin' ? `PIN-protected${contents.encryption?.name ? ` (${contents.encryption.name})` : ''}` : 'no PIN'}`,
            }
          : {}),
      },
      events,
      lines: {},
    };
  },
};
