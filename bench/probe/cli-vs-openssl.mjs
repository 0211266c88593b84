/**
 * @module Probe benchmark: one `pse-doctor probe` CLI call against a local TLS server, beside a loop of the
 * same six checks with `openssl s_client` (SNI, no SNI, TLS 1.0, 1.1, 1.2, 1.3), one process per check,
 * one after the other, as an admin would script it. Interleaved runs, medians.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI, interleaved, log, ms, ROOT, summarize, table, verdict } from '../lib/measure.mjs';

const HOST = 'api.example.test';
const CHECKS = [
  `-servername ${HOST}`,
  '-noservername',
  `-servername ${HOST} -tls1 -cipher DEFAULT@SECLEVEL=0`,
  `-servername ${HOST} -tls1_1 -cipher DEFAULT@SECLEVEL=0`,
  `-servername ${HOST} -tls1_2`,
  `-servername ${HOST} -tls1_3`,
];

function startTlsServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'probe', 'server.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const { port, root } = JSON.parse(line);
      resolve({ port, root, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`TLS server exited ${code}: ${stderr}`)));
  });
}

export async function benchProbe({ dir, rounds }) {
  log('probe: starting the local TLS server');
  const server = await startTlsServer();
  try {
    const trust = join(dir, 'probe-root.pem');
    writeFileSync(trust, server.root);
    const loop = CHECKS.map(
      (c) =>
        `openssl s_client -connect 127.0.0.1:${server.port} -showcerts ${c} < /dev/null > /dev/null 2>&1`,
    ).join('; ');
    const commands = [
      { label: '`node -e 0`', argv: [process.execPath, '-e', '0'] },
      {
        label: `\`pse-doctor probe https://${HOST}:<port> --resolve 127.0.0.1 --trust root.pem\``,
        argv: [
          process.execPath,
          CLI,
          'probe',
          `https://${HOST}:${server.port}`,
          '--resolve',
          '127.0.0.1',
          '--trust',
          trust,
        ],
      },
      { label: 'six `openssl s_client -showcerts` calls, one after the other', argv: ['sh', '-c', loop] },
    ];
    log(`probe: ${rounds} interleaved rounds`);
    const samples = await interleaved(commands, rounds);
    const stats = samples.map(summarize);
    const [, ours, openssl] = stats;
    const rows = commands.map((c, i) => [c.label, ms(stats[i].wall), ms(stats[i].min), ms(stats[i].cpu)]);
    const markdown = [
      'A local Node TLS server (`bench/probe/server.ts`: TLS 1.2–1.3, RSA chain from the test PKI, an SNI',
      'virtual host) in its own process. pse-doctor does the six checks in one call (five handshakes: the',
      'main one already proves TLS 1.3), parses every server flight, judges the chain and prints the report;',
      `the openssl loop starts one \`s_client\` process per check. ${rounds} interleaved runs each, medians.`,
      '',
      table(['command', 'wall (median)', 'wall (min)', 'CPU (median)'], rows, 'lrrr'),
      '',
      `pse-doctor ÷ openssl loop: ${(ours.wall / openssl.wall).toFixed(2)}× the time (target ≤ 1×: ${verdict(ours.wall <= openssl.wall)}).`,
    ].join('\n');
    const summary = [
      {
        what: '`probe` as one CLI call',
        ours: ms(ours.wall),
        baseline: `six-check \`openssl s_client\` loop ${ms(openssl.wall)}`,
        ratio: `${(ours.wall / openssl.wall).toFixed(2)}× the time`,
        target: '≤ 1×',
        met: ours.wall <= openssl.wall,
      },
    ];
    return { markdown, summary };
  } finally {
    server.stop();
  }
}
