/** @module Open blocks of one kind, by thread, and the line windows after which they close or attach. */

/** Lines without a new fact after which a block is closed. */
export const GAP = 60;
/** An unprefixed line joins the block touched within this many lines (pastes mix prefixed and bare lines). */
export const ATTACH = 12;
/** Most SSL blocks open at once; the least recently touched one closes first. */
export const MAX_OPEN = 256;

interface Touchable {
  thread: string;
  lastTouch: number;
  readonly firstLine: number;
}

/** Open blocks of one kind, by thread; bare lines attach to the block touched last. */
export class BlockTable<B extends Touchable> {
  readonly map = new Map<string, B>();
  last: B | undefined;

  find(thread: string, no: number): B | undefined {
    if (thread === '') {
      const last = this.last;
      if (last && no - last.lastTouch <= ATTACH && this.map.get(last.thread) === last) return last;
      return this.map.get('');
    }
    const b = this.map.get(thread);
    if (b) return b;
    const bare = this.map.get('');
    if (bare && no - bare.lastTouch <= ATTACH) {
      this.map.delete('');
      bare.thread = thread;
      this.map.set(thread, bare);
      return bare;
    }
    return undefined;
  }

  add(thread: string, block: B): B {
    this.map.set(thread, block);
    this.last = block;
    return block;
  }

  remove(block: B): void {
    if (this.map.get(block.thread) === block) this.map.delete(block.thread);
    if (this.last === block) this.last = undefined;
  }

  /** Whether a line of `thread` may find a block here (its own, or a bare one it would take over). */
  reaches(thread: string): boolean {
    return this.map.has(thread) || this.map.has('');
  }

  get size(): number {
    return this.map.size;
  }
}
