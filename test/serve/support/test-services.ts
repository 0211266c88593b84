/**
 * @module Stand-in services for server tests: an "analysis" that reads every input to the end and
 * reports what it received (names, sizes, streamed or whole, whether a PIN came), so tests can check
 * how uploads reach the readers without depending on the real rules.
 */
import { createHash } from 'node:crypto';
import type { KbEntry } from '../../../src/kb/types.js';
import type { Report } from '../../../src/model/report.js';
import type { ServerServices, UploadInput } from '../../../src/server/services.js';

export interface ReceivedInput {
  name: string;
  bytes: number;
  sha256: string;
  streamed: boolean;
}

/** A minimal knowledge-base entry. */
export function fakeEntry(id: string, title: string): KbEntry {
  return {
    id,
    kind: 'message',
    title,
    aliases: [],
    printed: [],
    patterns: [],
    stacks: [],
    sources: [],
    causes: [],
    hypotheses: [],
    related: [],
    notes: [],
    transactions: [],
    parameters: [],
    next: [],
    uncertain: [],
    sections: [
      {
        key: 'meaning',
        heading: 'What it means',
        blocks: [{ type: 'paragraph', text: `${id} means \`x\`.` }],
      },
    ],
    file: `kb/message/${id}.md`,
  };
}

/** Fake services; `received` collects what each analysis got. */
export function createTestServices(): ServerServices & {
  received: ReceivedInput[][];
  pins: (string | undefined)[];
} {
  const received: ReceivedInput[][] = [];
  const pins: (string | undefined)[] = [];
  const entries = [fakeEntry('WSS040', 'Client certificate missing'), fakeEntry('TRUST086', 'Trust problem')];
  return {
    received,
    pins,
    async analyze(inputs: UploadInput[], { secrets }) {
      const got: ReceivedInput[] = [];
      const firstLines: string[] = [];
      for (const input of inputs) {
        const hash = createHash('sha256');
        let size = 0;
        let head = '';
        const chunks: AsyncIterable<Buffer> =
          'bytes' in input
            ? (async function* () {
                yield input.bytes;
              })()
            : input.stream;
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          if (head.length < 200) head += chunk.subarray(0, 200).toString('utf8');
        }
        got.push({ name: input.name, bytes: size, sha256: hash.digest('hex'), streamed: 'stream' in input });
        firstLines.push(head.split('\n')[0] ?? '');
      }
      received.push(got);
      pins.push(await secrets?.get('pin', inputs[0]?.name ?? ''));
      const report: Report = {
        tool: 'pse-doctor',
        schemaVersion: 1,
        inputs: got.map((g) => ({
          name: g.name,
          format: 'test',
          bytes: g.bytes,
          lines: 1,
          unrecognizedLines: 0,
          warnings: [],
        })),
        events: [],
        findings: [
          {
            rule: 'test-rule',
            cause: 'untrusted-root',
            confidence: 'certain',
            severity: 'error',
            title: 'Test finding',
            summary: 'What the test analysis saw.',
            steps: ['Step one.'],
            evidence: firstLines.map((text, input) => ({ input, line: 1, text })),
            kb: ['WSS040'],
            import: {
              subject: 'CN=Test Root',
              kind: 'root',
              source: 'input',
              into: [{ node: 'SSL client Standard', file: 'SAPSSLC.pse' }],
              commands: ['sapgenpse maintain_pk -p SAPSSLC.pse -a Test_Root.crt'],
              pem: '-----BEGIN CERTIFICATE-----\nMIIBdGVzdA==\n-----END CERTIFICATE-----\n',
              fileName: 'Test_Root.pem',
            },
          },
        ],
      };
      return report;
    },
    getEntry: (id) => entries.find((e) => e.id.toLowerCase() === id.toLowerCase()),
    lookup: (query) => {
      const matches = entries
        .filter((e) => `${e.id} ${e.title}`.toLowerCase().includes(query.toLowerCase()))
        .map((entry) => ({ entry, score: 1, reason: 'text' as const }));
      return { query, matches, confident: matches.length > 0 };
    },
    listEntries: () => entries,
  };
}
