/**
 * @module Read a collected landscape into Evidence: every PSE file (with the PIN given), sapgenpse listings
 * (`maintain_pk -l`, `get_my_name -v`) and STRUST exports, one trust list per PSE and instance, each tagged
 * with its system and instance. A PSE that cannot be opened here but has listings beside it is judged from
 * the listings; without them it stays a `pse-problem`.
 */
import { readFileSync } from 'node:fs';
import type { CertificateInfo, TrustList } from '../model/certificate.js';
import { isToolError } from '../model/errors.js';
import type {
  EvidenceEvent,
  InputSummary,
  PseProblemEvent,
  SapgenpseEvent,
  TrustListEvent,
} from '../model/evidence.js';
import { describePse, pseBasename } from '../pki/pse-nodes.js';
import { MAX_PSE_BYTES } from '../readers/pse/open-pse.js';
import { readPseEvidence } from '../readers/pse/reader.js';
import { parseSapgenpseListing } from '../readers/sapgenpse/listing.js';
import type { SecretProvider } from '../readers/types.js';
import { decodeText, MAX_CONTAINER_BYTES, readCertificatesSync } from '../readers/x509/read-certificates.js';
import { trustListFor } from '../readers/x509/reader.js';
import type { CollectedFile } from './layout.js';

/** Largest listing text read from a collected folder. */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

/** How each PSE of the landscape was read. */
export interface PseReadNote {
  system: string;
  instance: string;
  file: string;
  source: 'pse' | 'listing' | 'unreadable';
  problem?: string;
}

export interface LandscapeEvidence {
  inputs: InputSummary[];
  events: EvidenceEvent[];
  notes: PseReadNote[];
}

/** `SAPSSLC.pse.maintain_pk.txt`, `SAPSSLC_list.txt` → `SAPSSLC.pse` (or undefined). */
export function pseNameOfListing(display: string): string | undefined {
  const base = display.split('/').pop() ?? display;
  const m = /^(.+?\.pse)(?:[._-].*)?$/i.exec(base);
  if (m?.[1]) return m[1];
  const d = describePse(
    `${base.replace(/[._-](?:maintain_pk|get_my_name|list|listing|export).*$/i, '')}.pse`,
  );
  return d.node ? d.basename : undefined;
}

interface Slot {
  system: string;
  instance: string;
  name: string;
  /** The PSE's place in the collected folder (`ABC/app1/sec/SAPSSLC.pse`), whatever it was read from. */
  place: string;
  pse?: TrustListEvent;
  problem?: PseProblemEvent;
  listed?: TrustListEvent;
  own?: SapgenpseEvent;
  export?: TrustListEvent;
}

function readBytes(file: CollectedFile, limit: number): Buffer | string {
  if (file.size > limit) return `it is ${file.size} bytes, above the ${limit}-byte limit`;
  try {
    return readFileSync(file.path);
  } catch (err) {
    return `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

function summary(name: string, format: string, bytes: number, warnings: string[], lines = 0): InputSummary {
  return { name, format, bytes, lines, unrecognizedLines: 0, warnings };
}

/**
 * Read every collected file. Never throws for one bad file: it becomes a warning on its input (and, for a
 * PSE, a `pse-problem` event), so one broken host does not hide the rest of the landscape.
 */
export async function readLandscape(
  files: readonly CollectedFile[],
  secrets: SecretProvider,
): Promise<LandscapeEvidence> {
  const inputs: InputSummary[] = [];
  const slots = new Map<string, Slot>();
  const slotOf = (f: CollectedFile, name: string): Slot => {
    const key = `${f.system}\u0000${f.instance}\u0000${name.toUpperCase()}`;
    let slot = slots.get(key);
    if (!slot) {
      const dir = f.display.includes('/') ? f.display.slice(0, f.display.lastIndexOf('/') + 1) : '';
      slot = { system: f.system, instance: f.instance, name, place: `${dir}${name}` };
      slots.set(key, slot);
    }
    return slot;
  };
  const where = (f: CollectedFile) => ({ system: f.system, instance: f.instance });

  for (const file of files) {
    const input = inputs.length;
    const bytes = readBytes(
      file,
      file.kind === 'pse' ? MAX_PSE_BYTES : file.kind === 'text' ? MAX_TEXT_BYTES : MAX_CONTAINER_BYTES,
    );
    if (typeof bytes === 'string') {
      inputs.push(summary(file.display, 'unknown', file.size, [`Skipped: ${bytes}.`]));
      continue;
    }
    const size = bytes.length;
    if (file.kind === 'pse') {
      const result = await readPseEvidence(bytes, file.display, { input, line: 1 }, secrets, file.display);
      inputs.push(summary(file.display, 'pse', size, result.warnings));
      const slot = slotOf(file, pseBasename(file.display));
      for (const e of result.events) {
        if (e.kind === 'trust-list') {
          e.list.landscape = where(file);
          slot.pse = e;
        } else if (e.kind === 'pse-problem') {
          e.landscape = where(file);
          slot.problem = e;
        }
      }
      continue;
    }
    if (file.kind === 'text') {
      const text = decodeText(bytes, 'utf8');
      const parsed = parseSapgenpseListing(text, { input, name: file.display });
      const name = pseNameOfListing(file.display);
      const warnings = [...parsed.warnings];
      let used = false;
      for (const e of parsed.events) {
        const pseName =
          name ??
          (e.kind === 'trust-list'
            ? e.list.basename
            : e.kind === 'sapgenpse'
              ? e.pseFile && pseBasename(e.pseFile)
              : undefined);
        if (!pseName) continue;
        const slot = slotOf(file, pseName);
        if (e.kind === 'trust-list' && e.list.storeKind === 'sap-pse') {
          slot.listed = e;
          used = true;
        } else if (e.kind === 'sapgenpse' && e.own && !e.request) {
          slot.own = e;
          used = true;
        }
      }
      if (!used)
        warnings.push('No certificate list or own certificate of a named PSE in this text; skipped.');
      inputs.push({
        name: file.display,
        format: 'sapgenpse-listing',
        bytes: size,
        lines: parsed.lineCount,
        unrecognizedLines: parsed.unrecognized.length,
        ...(parsed.unrecognized.length ? { unrecognizedSample: parsed.unrecognized.slice(0, 10) } : {}),
        warnings,
      });
      continue;
    }
    // Certificate files: a STRUST export of a PSE's certificate list (named after the PSE).
    try {
      const container = readCertificatesSync(bytes, file.display);
      const list = trustListFor(file.display.split('/').pop() ?? file.display, container.certificates);
      const warnings = [...container.warnings];
      if (list?.storeKind === 'sap-pse' && list.basename) {
        list.file = file.display;
        slotOf(file, list.basename).export = {
          kind: 'trust-list',
          source: { input, line: 1 },
          list,
        };
      } else warnings.push('Not named after a PSE (e.g. SAPSSLC.pem): not part of the inventory.');
      inputs.push(summary(file.display, container.container, size, warnings));
    } catch (err) {
      if (!isToolError(err)) throw err;
      inputs.push(summary(file.display, 'unknown', size, [`Skipped: ${err.message}`]));
    }
  }

  const events: EvidenceEvent[] = [];
  const notes: PseReadNote[] = [];
  for (const slot of slots.values()) {
    const note = { system: slot.system, instance: slot.instance, file: slot.name };
    if (slot.pse) {
      events.push(slot.pse);
      notes.push({ ...note, file: slot.pse.list.file ?? slot.name, source: 'pse' });
      continue;
    }
    const fromText = listFromText(slot);
    if (fromText) {
      events.push(fromText);
      // The PSE file itself could not be opened here: say so on its input, and what was used instead.
      const pseInput = slot.problem ? inputs[slot.problem.source.input] : undefined;
      if (pseInput) {
        const note = 'It is judged from the sapgenpse listings or STRUST export beside it instead.';
        const at = pseInput.warnings.indexOf(slot.problem?.message ?? '');
        if (at >= 0) pseInput.warnings[at] = `${pseInput.warnings[at]} ${note}`;
        else pseInput.warnings.push(note);
      }
      notes.push({
        ...note,
        file: fromText.list.file ?? slot.name,
        source: 'listing',
        ...(slot.problem ? { problem: slot.problem.message } : {}),
      });
      continue;
    }
    if (slot.problem) {
      events.push(slot.problem);
      notes.push({ ...note, file: slot.problem.file, source: 'unreadable', problem: slot.problem.message });
    }
  }
  return { inputs, events, notes };
}

/** One trust list from the listings (and STRUST export) of a PSE that was not read as a file. */
function listFromText(slot: Slot): TrustListEvent | undefined {
  const base = slot.listed ?? slot.export;
  if (!base && !slot.own) return undefined;
  const d = describePse(slot.name);
  const certificates: CertificateInfo[] = base ? [...base.list.certificates] : [];
  const list: TrustList = {
    storeKind: 'sap-pse',
    // Where the PSE sits in the collected folder, as for a PSE file: the same PSE is named alike whatever
    // it was read from (the listing's own "Opening PSE" path may be the same on every host).
    file: slot.place,
    basename: d.basename ?? slot.name,
    certificates,
    landscape: { system: slot.system, instance: slot.instance },
  };
  if (d.node) list.node = d.node;
  if (d.context) list.context = d.context;
  if (d.application) list.application = d.application;
  const own = slot.own?.own ?? base?.list.own;
  if (own) list.own = own;
  const chain = slot.own?.chain ?? base?.list.ownChain;
  if (chain?.length) list.ownChain = chain;
  return { kind: 'trust-list', source: (base ?? slot.own)?.source ?? { input: 0, line: 1 }, list };
}
