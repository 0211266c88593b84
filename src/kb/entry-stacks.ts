/** @module The stacks and side of a kb entry: as declared in its front matter, else derived from its family or kind. */
import type { KbEntry, KbStack } from './types.js';

/** Stack that prints the codes of each family, for entries that do not declare `stacks:`. */
const FAMILY_STACKS: Record<string, KbStack[]> = {
  SSSLERR: ['icm'],
  TLS_ALERT: ['icm'],
  ICM_HTTP: ['icm'],
  ICM_INBOUND: ['icm'],
  NI: ['icm'],
  DL: ['commoncryptolib'],
  CCL: ['commoncryptolib'],
  SSF: ['abap'],
  SRT: ['abap'],
  GSS: ['snc'],
  SNC: ['snc'],
  SNCERR: ['snc'],
  SAPGENPSE: ['sapgenpse'],
  JAVA: ['java'],
  HANA: ['hana-client'],
  BROWSER: ['browser'],
};

/** The stacks that print this entry's texts: declared, else derived (ABAP messages print in `abap`). */
export function entryStacks(entry: Pick<KbEntry, 'stacks' | 'family' | 'kind'>): KbStack[] {
  if (entry.stacks.length > 0) return entry.stacks;
  const derived = entry.family ? FAMILY_STACKS[entry.family] : undefined;
  if (derived) return derived;
  return entry.kind === 'message' ? ['abap'] : [];
}
