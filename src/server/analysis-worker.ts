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
  | { id: number; json: Uint8Array }
  | { id: number; toolError: { code: string; data: Record<string, unknown> } }
  | { id: number; error: string };

const port = parentPort;
if (port) {
  const encoder = new TextEncoder();
  port.on('message', async (job: AnalysisJob) => {
    try {
      const inputs = job.inputs.map(({ name, bytes }) => ({
        name,
        bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      }));
      const report = await analyze(inputs, { unopenedPse: 'report' });
      // TextEncoder gives a buffer of its own (never Node's shared pool), so it can be handed over.
      const json = encoder.encode(JSON.stringify(report));
      port.postMessage({ id: job.id, json } satisfies AnalysisAnswer, [json.buffer as ArrayBuffer]);
    } catch (err) {
      if (isToolError(err)) {
        // The data of a ToolError is plain (names, limits, reasons); a round trip through JSON keeps it so.
        const data = JSON.parse(JSON.stringify(err.data)) as Record<string, unknown>;
        port.postMessage({ id: job.id, toolError: { code: err.code, data } } satisfies AnalysisAnswer);
      } else {
        port.postMessage({
          id: job.id,
          error: err instanceof Error ? err.message : String(err),
        } satisfies AnalysisAnswer);
      }
    }
  });
  port.postMessage({ ready: true } satisfies AnalysisAnswer);
}
