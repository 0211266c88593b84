/**
 * @module Worker thread of the analysis pool (analysis-pool.ts): runs the same `analyze` as the server's
 * own thread on uploads held in memory and answers with the Report already serialised as JSON (UTF-8,
 * the exact text `c.json` would send). Uploads never touch the disk; nothing here logs.
 */
import { parentPort } from 'node:worker_threads';
import { analyze } from '../analyze.js';
import { isToolError } from '../model/errors.js';

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
  | ((
      | { id: number; json: Uint8Array }
      | { id: number; toolError: { code: string; data: Record<string, unknown> } }
      | { id: number; error: string }
    ) & {
      /** The memory of the job's inputs, handed back (see `inputMemory`): the pool drops it. */
      memory: ArrayBuffer[];
    });

/**
 * The memory of a job's inputs, handed back with its answer (the server's thread drops it at once). Kept
 * here, a dead upload held its bytes outside the heap until the worker's next young-generation
 * collection, and V8 counts such bytes against the old generation's limit: it marked the whole heap
 * about every 60 analyses (--trace-gc: 46 to 53 full collections per worker in 15 s of the serve
 * benchmark, 2 to 5 once handed back).
 */
function inputMemory(job: AnalysisJob): ArrayBuffer[] {
  return [...new Set(job.inputs.map((i) => i.bytes.buffer as ArrayBuffer))];
}

const encoder = new TextEncoder();

/**
 * One job's answer and what goes in its transfer list: the JSON's buffer and the inputs' memory (so the
 * worker keeps neither). The inputs must not be used afterwards.
 */
export async function answerJob(
  job: AnalysisJob,
): Promise<{ answer: AnalysisAnswer; transfer: ArrayBuffer[] }> {
  const memory = inputMemory(job);
  try {
    const inputs = job.inputs.map(({ name, bytes }) => ({
      name,
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    }));
    const report = await analyze(inputs, { unopenedPse: 'report' });
    // TextEncoder gives a buffer of its own (never Node's shared pool), so it can be handed over.
    const json = encoder.encode(JSON.stringify(report));
    return { answer: { id: job.id, json, memory }, transfer: [json.buffer as ArrayBuffer, ...memory] };
  } catch (err) {
    if (isToolError(err)) {
      // The data of a ToolError is plain (names, limits, reasons); a round trip through JSON keeps it so.
      const data = JSON.parse(JSON.stringify(err.data)) as Record<string, unknown>;
      return { answer: { id: job.id, toolError: { code: err.code, data }, memory }, transfer: memory };
    }
    const error = err instanceof Error ? err.message : String(err);
    return { answer: { id: job.id, error, memory }, transfer: memory };
  }
}

const port = parentPort;
if (port) {
  port.on('message', async (job: AnalysisJob) => {
    const { answer, transfer } = await answerJob(job);
    port.postMessage(answer, transfer);
  });
  port.postMessage({ ready: true } satisfies AnalysisAnswer);
}
