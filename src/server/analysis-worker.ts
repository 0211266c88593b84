/**
 * @module Worker thread of the analysis pool (analysis-pool.ts): runs the same `analyze` as the server's
 * own thread on uploads held in memory and answers with the Report already serialised as JSON (UTF-8,
 * the exact text `c.json` would send). Uploads never touch the disk; nothing here logs.
 */
import { parentPort } from 'node:worker_threads';
import { analyze } from '../analyze.js';
import { isToolError } from '../model/errors.js';
import { releaseMemory } from './release-memory.js';

/** One job: the buffered inputs of one upload. */
export interface AnalysisJob {
  id: number;
  inputs: { name: string; bytes: Uint8Array }[];
}

/**
 * The answer: the JSON bytes of the Report, a ToolError (code + data) or an unexpected error's message;
 * `ready` once, when the worker has loaded everything and takes jobs.
 */
export type AnalysisAnswer =
  | { ready: true }
  | { id: number; json: Uint8Array }
  | { id: number; toolError: { code: string; data: Record<string, unknown> } }
  | { id: number; error: string };

const encoder = new TextEncoder();

/**
 * One job's answer, what goes in its transfer list (the JSON's buffer) and the memory of its inputs, to
 * be released (release-memory.ts) once the answer is sent: left to V8, dead uploads made each worker mark
 * its whole heap about every 60 analyses (--trace-gc: 46 to 53 full collections per worker in 15 s of the
 * serve benchmark, 2 to 6 once released).
 */
export async function answerJob(
  job: AnalysisJob,
): Promise<{ answer: AnalysisAnswer; transfer: ArrayBuffer[]; release: ArrayBuffer[] }> {
  const release = [...new Set(job.inputs.map((i) => i.bytes.buffer as ArrayBuffer))];
  try {
    const inputs = job.inputs.map(({ name, bytes }) => ({
      name,
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    }));
    const report = await analyze(inputs, { unopenedPse: 'report' });
    // TextEncoder gives a buffer of its own (never Node's shared pool), so it can be handed over.
    const json = encoder.encode(JSON.stringify(report));
    return { answer: { id: job.id, json }, transfer: [json.buffer as ArrayBuffer], release };
  } catch (err) {
    if (isToolError(err)) {
      // The data of a ToolError is plain (names, limits, reasons); a round trip through JSON keeps it so.
      const data = JSON.parse(JSON.stringify(err.data)) as Record<string, unknown>;
      return { answer: { id: job.id, toolError: { code: err.code, data } }, transfer: [], release };
    }
    const error = err instanceof Error ? err.message : String(err);
    return { answer: { id: job.id, error }, transfer: [], release };
  }
}

const port = parentPort;
if (port) {
  port.on('message', async (job: AnalysisJob) => {
    const { answer, transfer, release } = await answerJob(job);
    port.postMessage(answer, transfer);
    await releaseMemory(release);
  });
  port.postMessage({ ready: true } satisfies AnalysisAnswer);
}
