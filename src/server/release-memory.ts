/**
 * @module Frees memory outside the JavaScript heap (an ArrayBuffer's bytes) at once rather than at the
 * next young-generation collection. V8 counts such bytes against the old generation's limit while they
 * wait: at a few hundred KiB per upload, dead ones made the server's threads mark their whole heap
 * again and again (docs/limits.md). The memory is transferred to a message port whose other end is
 * closed: the message is dropped, with the memory it took over. The views of a released buffer become
 * empty, so only memory nothing else reads may be given.
 */
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';

const sink = new MessageChannel();
sink.port1.unref();
sink.port2.close();
const sinkClosed = once(sink.port2, 'close');

/**
 * Free `memory` now (see the module comment). Never fails: memory that cannot be transferred (Node marks
 * its shared Buffer pool so) is left intact to the collector; Node 20 skips it, later versions refuse
 * the whole list before taking any of it.
 */
export async function releaseMemory(memory: readonly ArrayBuffer[]): Promise<void> {
  if (memory.length === 0) return;
  await sinkClosed;
  try {
    sink.port1.postMessage(null, memory as ArrayBuffer[]);
  } catch {
    // Left to the collector.
  }
}
