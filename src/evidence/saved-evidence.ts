/**
 * @module Saved evidence (`--save-evidence`): a versioned JSON envelope around Evidence, recognised again as an input for re-diagnosis.
 */
import { ToolError } from '../model/errors.js';
import type { Evidence, EvidenceEvent } from '../model/evidence.js';
import { reportSchemaErrors } from '../model/report-schema.js';

/** Marker and version of the saved-evidence envelope. */
export const SAVED_EVIDENCE_FORMAT = 'pse-doctor-evidence';
export const SAVED_EVIDENCE_VERSION = 1;

export interface SavedEvidence {
  format: typeof SAVED_EVIDENCE_FORMAT;
  version: typeof SAVED_EVIDENCE_VERSION;
  savedAt?: string;
  toolVersion?: string;
  evidence: Evidence;
}

/** Upper bound on a saved evidence file we load (it is JSON, parsed whole). */
export const MAX_SAVED_EVIDENCE_BYTES = 256 * 1024 * 1024;

/** Wrap evidence for saving (JSON text with a trailing newline). */
export function serializeEvidence(
  evidence: Evidence,
  meta: { savedAt?: Date; toolVersion?: string } = {},
): string {
  const saved: SavedEvidence = {
    format: SAVED_EVIDENCE_FORMAT,
    version: SAVED_EVIDENCE_VERSION,
    ...(meta.savedAt ? { savedAt: meta.savedAt.toISOString() } : {}),
    ...(meta.toolVersion ? { toolVersion: meta.toolVersion } : {}),
    evidence,
  };
  return `${JSON.stringify(saved)}\n`;
}

/** True when the first bytes look like a saved-evidence envelope (cheap check before parsing). */
export function looksLikeSavedEvidence(head: Buffer | string): boolean {
  const text = typeof head === 'string' ? head : head.subarray(0, 4096).toString('utf8');
  return /^\s*\{/.test(text) && text.includes(`"${SAVED_EVIDENCE_FORMAT}"`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse and check a saved-evidence file. Bad shapes are ToolErrors naming the file. */
export function parseSavedEvidence(text: string, name: string): Evidence {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ToolError('unknown-format', {
      name,
      hint: `It looks like saved evidence but is not valid JSON (${(err as Error).message}).`,
    });
  }
  if (!isObject(data) || data.format !== SAVED_EVIDENCE_FORMAT) {
    throw new ToolError('unknown-format', {
      name,
      hint: 'It is JSON but not evidence saved by pse-doctor.',
    });
  }
  if (data.version !== SAVED_EVIDENCE_VERSION) {
    throw new ToolError('unknown-format', {
      name,
      hint: `It is saved evidence of version ${String(data.version)}; this pse-doctor reads version ${SAVED_EVIDENCE_VERSION}.`,
    });
  }
  const ev = data.evidence;
  if (!isObject(ev) || !Array.isArray(ev.inputs) || !Array.isArray(ev.events) || !isObject(ev.lines)) {
    throw new ToolError('unknown-format', {
      name,
      hint: 'The saved evidence lacks inputs, events or lines.',
    });
  }
  const problems = [
    ...ev.inputs.flatMap((input, i) => reportSchemaErrors(input, 'input', `input ${i + 1}`)),
    ...ev.events.flatMap((event, i) => reportSchemaErrors(event, 'event', `event ${i + 1}`)),
  ];
  if (problems.length > 0) {
    throw new ToolError('unknown-format', {
      name,
      hint: `It is saved evidence, but damaged or edited: ${problems.slice(0, 3).join('; ')}.`,
    });
  }
  for (const e of ev.events) {
    if (
      !isObject(e) ||
      typeof e.kind !== 'string' ||
      !isObject(e.source) ||
      typeof e.source.input !== 'number' ||
      typeof e.source.line !== 'number'
    ) {
      throw new ToolError('unknown-format', {
        name,
        hint: 'An event in the saved evidence has no kind or source.',
      });
    }
  }
  return ev as unknown as Evidence;
}

/** Concatenate evidence sets: inputs in order, event sources and line keys shifted to the new input numbers. */
export function mergeEvidence(parts: readonly Evidence[]): Evidence {
  const merged: Evidence = { inputs: [], events: [], lines: {} };
  for (const part of parts) {
    const offset = merged.inputs.length;
    merged.inputs.push(...part.inputs);
    for (const event of part.events) {
      const moved = structuredClone(event) as EvidenceEvent;
      moved.source.input += offset;
      for (const more of moved.occurrences?.more ?? []) more.input += offset;
      merged.events.push(moved);
    }
    for (const [key, text] of Object.entries(part.lines)) {
      const cut = key.indexOf(':');
      const input = Number(key.slice(0, cut));
      merged.lines[`${input + offset}:${key.slice(cut + 1)}`] = text;
    }
  }
  return merged;
}
