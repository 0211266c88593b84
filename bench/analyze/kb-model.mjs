/**
 * @module What the knowledge model costs `analyze` (issue 11): the same commands with and without it,
 * interleaved in one run. Without it = the bench-only switch `PSE_DOCTOR_NO_KB_MATCH=1` (no line is
 * matched against the model; see docs/benchmarks.md). Rows: one pasted line (an ICM message and a Java
 * message: the model is loaded and consulted), and a big generated dev_icm beside the same command.
 */
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI,
  interleaved,
  log,
  median,
  mib,
  ms,
  runOnce,
  sec,
  summarize,
  table,
  verdict,
} from '../lib/measure.mjs';
import { generateDevIcm } from './generate.mjs';

const MiB = 1 << 20;
const OFF = { PSE_DOCTOR_NO_KB_MATCH: '1' };
/** Issue 11: at most 10 ms more for one pasted line; at most 10% less throughput on the big trace. */
const LINE_TARGET = 0.01;
const BIG_TARGET = 0.9;

const PASTES = [
  ['an ICM message', 'SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)'],
  [
    'a Java message',
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
  ],
];

export async function benchKbModel({ rounds, bigRounds, bigBytes, dir }) {
  const node = process.execPath;
  const rows = [];
  const summary = [];
  const commands = [];
  for (const [what, text] of PASTES) {
    const file = join(dir, `paste-${commands.length}.txt`);
    writeFileSync(file, `${text}\n`);
    const argv = [node, CLI, 'analyze', '-'];
    commands.push({ what, argv, stdinFile: file }, { what, argv, stdinFile: file, env: OFF });
  }
  log(`kb model: ${rounds} interleaved rounds of ${commands.length} commands`);
  const samples = await interleaved(commands, rounds);
  const stats = samples.map(summarize);
  /** Median of the differences with − without, round by round (both ran in the same round). */
  const paired = (i, key) => median(samples[i].map((s, r) => s[key] - samples[i + 1][r][key]));
  for (let i = 0; i < commands.length; i += 2) {
    const on = stats[i];
    const off = stats[i + 1];
    const cost = paired(i, 'wall');
    const cpuCost = paired(i, 'cpu');
    const met = cost <= LINE_TARGET;
    const plus = (s) => `${s >= 0 ? '+' : '−'}${Math.abs(s * 1000).toFixed(0)} ms`;
    rows.push([
      `\`analyze -\`, one pasted line (${commands[i].what})`,
      ms(on.wall),
      ms(off.wall),
      plus(cost),
      `${ms(on.cpu)} / ${ms(off.cpu)} (${plus(cpuCost)})`,
      `≤ +10 ms: ${verdict(met)}`,
    ]);
    summary.push({
      what: `knowledge model: \`analyze -\`, one pasted line (${commands[i].what})`,
      ours: ms(on.wall),
      baseline: `without the model ${ms(off.wall)}`,
      ratio: `${plus(cost)} (CPU ${plus(cpuCost)})`,
      target: '≤ +10 ms',
      met,
    });
  }

  const label = bigBytes >= 1 << 30 ? `${bigBytes / (1 << 30)} GiB` : `${bigBytes / MiB} MiB`;
  const file = join(dir, `dev_icm-kb-${label.replace(' ', '')}`);
  log(`kb model: generating ${label}`);
  await generateDevIcm(file, bigBytes, {});
  try {
    const size = statSync(file).size;
    await runOnce(['cat', file], { okCodes: [0] }); // page cache
    const argv = [node, CLI, 'analyze', '--json', '--fail-on', 'never', file];
    log(`kb model: ${bigRounds} interleaved rounds on ${label}`);
    const big = await interleaved([{ argv }, { argv, env: OFF }], bigRounds, { warmup: 0 });
    const [on, off] = big.map(summarize);
    const ratio = off.wall / on.wall;
    const met = ratio >= BIG_TARGET;
    const mbps = (s) => `${(size / MiB / s).toFixed(0)} MiB/s`;
    const findings = (s) => JSON.parse(s[0].stdout).findings.length;
    rows.push([
      `\`analyze\` ${label} dev_icm (ERROR every 64 KiB)`,
      `${sec(on.wall)}, ${mbps(on.wall)}, ${mib(on.rssKiB)}`,
      `${sec(off.wall)}, ${mbps(off.wall)}, ${mib(off.rssKiB)}`,
      `${ratio.toFixed(2)}× the throughput`,
      `${sec(on.cpu)} / ${sec(off.cpu)} (${(off.cpu / on.cpu).toFixed(2)}×)`,
      `≥ ${BIG_TARGET}×: ${verdict(met)}`,
    ]);
    summary.push({
      what: `knowledge model: \`analyze\` ${label} trace`,
      ours: sec(on.wall),
      baseline: `without the model ${sec(off.wall)}`,
      ratio: `${ratio.toFixed(2)}× the throughput (CPU ${(off.cpu / on.cpu).toFixed(2)}×)`,
      target: `≥ ${BIG_TARGET}×`,
      met,
    });
    rows.push([
      'findings with / without the model (big trace)',
      String(findings(big[0])),
      String(findings(big[1])),
      '–',
      '–',
      '–',
    ]);
  } finally {
    rmSync(file, { force: true });
  }

  const markdown = [
    'The same commands with the knowledge model and without it, interleaved in one run. "Without" sets',
    '`PSE_DOCTOR_NO_KB_MATCH=1`, a switch for this bench only (not for users: lines only the model knows then',
    'go unrecognised): no line is matched against the model and it is never loaded. With it, `analyze`',
    'loads the compiled model (`dist/kb/recognizer.json`) and matches every line no structured reader',
    `claims. Pasted lines: ${rounds} interleaved runs each (after one warm-up), medians; the cost is the`,
    'median of the differences with − without of each round (the two ran one after the other in it), so a',
    'change of load between rounds does not enter it; the big trace: a',
    `generated dev_icm, ${bigRounds} interleaved runs each, medians, read from the page cache. The throughput`,
    'ratio (without ÷ with) is judged on wall time, as the issue states it; the CPU ratio beside it is the',
    'steadier figure on a shared machine.',
    '',
    table(
      ['command', 'with the model', 'without', 'cost', 'CPU with / without', 'target (issue 11)'],
      rows,
      'lrrrrl',
    ),
  ].join('\n');
  return { markdown, summary };
}
