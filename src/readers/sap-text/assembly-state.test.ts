/**
 * @module The line ring of the assembler starts small and grows: it must hold exactly the lines a
 * full-size ring (4,096 lines) holds, so events quote the same lines whatever the input's length.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventAggregator } from '../../evidence/aggregate.js';
import { AssemblyState } from './assembly-state.js';

/** The lines a ring of 4,096 slots holds after `seen` (ascending) were remembered, among `asked`. */
function fullRing(seen: number[], asked: number[]): Record<string, string> {
  const slots = new Map<number, number>();
  for (const no of seen) slots.set(no % 4096, no);
  const out: Record<string, string> = {};
  for (const no of asked) if (slots.get(no % 4096) === no) out[`3:${no}`] = `line ${no}`;
  return out;
}

test('the line ring keeps what a full-size ring keeps, across growth, jumps and wrap-around', () => {
  const runs: number[][] = [
    [1, 2, 3, 255, 256, 257, 300], // grows once
    [1, 2, 3000], // skipped lines (prefilter): one jump grows it several times
    [1, 10, 5000, 5001], // a jump past the full size: it wraps from then on
    Array.from({ length: 9000 }, (_, i) => i + 1), // every line of a long input
  ];
  for (const seen of runs) {
    const state = new AssemblyState(3, new EventAggregator());
    for (const no of seen) state.remember(no, `line ${no}`, false);
    const asked = [1, 2, 3, 10, 255, 256, 257, 300, 904, 1000, 3000, 4000, 4905, 5000, 5001, 8999, 9000];
    state.keepLines(asked);
    assert.deepEqual(state.out.lines, fullRing(seen, asked), `lines seen: ${seen.slice(0, 5).join(',')}…`);
  }
  // The oracle itself: line 1 is gone once line 4097 came, line 5000 is held.
  const long = fullRing(runs[3] as number[], [1, 5000]);
  assert.deepEqual(Object.keys(long), ['3:5000']);
});
