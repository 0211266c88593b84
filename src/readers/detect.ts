/** @module Format detection: ask every reader how well it fits the head (content first, name second) and rank them. */
import type { Reader } from './types.js';

/** One reader with the score it gave. */
export interface ReaderScore {
  reader: Reader;
  score: number;
}

/** Scores below this only make a reader a fallback for an input the user named explicitly. */
export const CONFIDENT_SCORE = 0.1;

/** The name a sniffer sees: the base name, without a `.gz` suffix (gzip is undone before sniffing). */
export function sniffName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.gz$/i, '');
}

/**
 * Rank readers for an input by the score each gives (`Reader.sniff`), best first; readers scoring 0
 * are left out. Ties keep registry order, so earlier entries win. A sniffer that throws scores 0.
 */
export function rankReaders(readers: readonly Reader[], head: Buffer, name: string): ReaderScore[] {
  const n = sniffName(name);
  const scored: ReaderScore[] = [];
  for (const reader of readers) {
    let score = 0;
    try {
      score = reader.sniff(head, n);
    } catch {
      score = 0;
    }
    if (Number.isFinite(score) && score > 0) scored.push({ reader, score: Math.min(score, 1) });
  }
  return scored.sort((a, b) => b.score - a.score);
}
