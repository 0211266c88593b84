/**
 * @module A fixed pool of worker threads that run analyses of uploads held in memory, so every core
 * of the machine diagnoses while the server's own thread keeps reading requests. Each worker runs one
 * analysis at a time; more wait in order. The workers load the unbundled build (dist/server/
 * analysis-worker.js), whose reports are byte-identical to the bundle's (test/bundle.test.ts).
 *
 * A job goes only to a worker that said it is ready, so a worker that cannot start loses nothing: the
 * pool then stops using workers. Until a worker is ready (the first half second or so after start),
 * and after none could start, `analyze` rejects with PoolUnavailableError and the caller analyses on
 * its own thread. A ready worker that dies fails its one running analysis and is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ToolError, type ToolErrorCode } from '../model/errors.js';
import type { AnalysisAnswer, AnalysisJob } from './analysis-worker.js';

export interface AnalysisPool {
  /**
   * The Report of these inputs as JSON bytes, computed in a worker; the Buffers' memory is handed over
   * when they own it (do not use them afterwards). ToolErrors come back as ToolErrors.
   */
  analyze(inputs: { name: string; bytes: Buffer }[]): Promise<Uint8Array>;
  /** Resolves once a worker takes jobs (true), or when none can start (false). */
  whenReady(): Promise<boolean>;
  /** Stops every worker; analyses still waiting or running are failed. */
  close(): Promise<void>;
  readonly size: number;
}

/**
 * No worker takes jobs (none could start, or none has finished starting yet): the inputs were not
 * handed over; analyse them on this thread instead.
 */
export class PoolUnavailableError extends Error {
  override name = 'PoolUnavailableError';
}

/** Workers by default: one per core the process may use. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A worker for the analysis-worker module beside this one. From the built tree that is the `.js` file;
 * from source (tests run through tsx, whose loader a worker does not inherit) a small script registers
 * tsx first and then imports the `.ts` file.
 */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./analysis-worker.js', self));
  const source = new URL('./analysis-worker.ts', self).href;
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`,
    { eval: true },
  );
}

/** A copy the worker may own (a Buffer may be a view into Node's shared pool, which must never move). */
function ownedCopy(bytes: Buffer): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return new Uint8Array(bytes.buffer, 0, bytes.byteLength);
  }
  return new Uint8Array(bytes);
}

interface Pending {
  inputs: { name: string; bytes: Buffer }[];
  resolve(json: Uint8Array): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy?: { id: number; pending: Pending };
}

export function createAnalysisPool(size = defaultPoolSize()): AnalysisPool {
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;
  /** Set when a worker failed before it was ready: no more workers are started. */
  let unavailable: string | undefined;
  const readyWaiters: ((ready: boolean) => void)[] = [];
  const settleReady = (ready: boolean) => {
    for (const w of readyWaiters.splice(0)) w(ready);
  };

  function onAnswer(slot: Slot, answer: AnalysisAnswer): void {
    if ('ready' in answer) {
      slot.ready = true;
      settleReady(true);
    } else if (slot.busy && slot.busy.id === answer.id) {
      const { pending } = slot.busy;
      slot.busy = undefined;
      if ('json' in answer) pending.resolve(answer.json);
      else if ('toolError' in answer)
        pending.reject(new ToolError(answer.toolError.code as ToolErrorCode, answer.toolError.data));
      else pending.reject(new Error(answer.error));
    }
    dispatch();
  }

  function onGone(slot: Slot, reason: string): void {
    const at = slots.indexOf(slot);
    if (at < 0) return; // already handled (an 'error' is followed by an 'exit'), or closed
    slots.splice(at, 1);
    slot.busy?.pending.reject(new Error(`the analysis worker stopped: ${reason}`));
    if (closed) return;
    if (!slot.ready) {
      unavailable = reason;
      if (!slots.some((s) => s.ready)) {
        for (const p of queue.splice(0)) p.reject(new PoolUnavailableError(reason));
        if (slots.length === 0) settleReady(false);
      }
      return;
    }
    slots.push(spawn());
    dispatch();
  }

  function spawn(): Slot {
    const worker = startWorker();
    worker.unref();
    const slot: Slot = { worker, ready: false };
    worker.on('message', (answer: AnalysisAnswer) => onAnswer(slot, answer));
    worker.on('error', (err) => onGone(slot, err.message));
    worker.on('exit', (code) => onGone(slot, `exit code ${code}`));
    return slot;
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (!slot.ready || slot.busy) continue;
      const pending = queue.shift()!;
      const inputs = pending.inputs.map(({ name, bytes }) => ({ name, bytes: ownedCopy(bytes) }));
      const id = nextId++;
      slot.busy = { id, pending };
      slot.worker.postMessage({ id, inputs } satisfies AnalysisJob, [
        ...new Set(inputs.map((i) => i.bytes.buffer as ArrayBuffer)),
      ]);
    }
    // Work waiting or running keeps the process alive (its request waits on it); idle workers do not.
    for (const slot of slots) {
      if (slot.busy || queue.length > 0) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  for (let i = 0; i < size; i++) slots.push(spawn());

  return {
    size,
    analyze(inputs) {
      if (closed) return Promise.reject(new Error('the analysis pool is closed'));
      if (!slots.some((s) => s.ready))
        return Promise.reject(new PoolUnavailableError(unavailable ?? 'no analysis worker is ready yet'));
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ inputs, resolve, reject });
        dispatch();
      });
    },
    whenReady() {
      if (slots.some((s) => s.ready)) return Promise.resolve(true);
      if (closed || slots.length === 0) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => readyWaiters.push(resolve));
    },
    async close() {
      closed = true;
      settleReady(false);
      for (const pending of queue.splice(0)) pending.reject(new Error('the server is stopping'));
      const all = slots.splice(0);
      for (const s of all) s.busy?.pending.reject(new Error('the server is stopping'));
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
