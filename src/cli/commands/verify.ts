/**
 * @module `pse-doctor verify chain.pem --trust SAPSSLA.pem --host api.example.com`: would SAP's ICM,
 * holding exactly this certificate list, trust the chain? Judged beside a browser and Java.
 */

import { basename } from 'node:path';
import type { Command } from 'commander';
import { reportOf } from '../../engine/report-envelope.js';
import { runRules } from '../../engine/run-rules.js';
import { assertTrustReadable } from '../../evidence/trust-readable.js';
import type { CertificateInfo } from '../../model/certificate.js';
import { ToolError } from '../../model/errors.js';
import type { ChainCheckEvent, Evidence, EvidenceEvent, InputSummary } from '../../model/evidence.js';
import { fetchIssuerChain } from '../../pki/aia.js';
import { dedupeCertificates } from '../../pki/chain.js';
import { describePse, type PseDescription } from '../../pki/pse-nodes.js';
import { PROFILES, type ProfileId, verifyChain } from '../../pki/verify.js';
import { readInputs } from '../../readers/index.js';
import { pseReader } from '../../readers/pse/reader.js';
import { sapgenpseReader } from '../../readers/sapgenpse/reader.js';
import type { Reader, SecretProvider } from '../../readers/types.js';
import { X509_READERS } from '../../readers/x509/reader.js';
import { verifySections } from '../../report/sections/verify-sections.js';
import { summarizeVerdict } from '../../rules/chain-problem.js';
import { RULES } from '../../rules/index.js';
import { exitCodeForFindings, FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import type { CliIo } from '../io.js';
import { outputFormat, printView, useColor } from '../print-view.js';
import { createSecretProvider } from '../secret-provider.js';
import { formatOption, noColorOption } from '../shared-options.js';
import { writeReportArtifacts } from '../write-out.js';
import type { RegisterCommand } from './types.js';

interface VerifyOptions {
  trust?: string[];
  host?: string;
  profile?: string;
  javaStore?: string;
  fetchIssuers?: boolean;
  json?: boolean;
  format?: string;
  color?: boolean;
  out?: string;
  at?: string;
  failOn?: string;
  passwordFile?: string;
  pinFile?: string;
}

const HELP_AFTER = `
Profiles (judged side by side; the first one listed decides the exit code):
  sap-icm   SAP ICM with CommonCryptoLib: trusts exactly the --trust list (any member, root or
            intermediate, closes the chain), never fetches missing intermediates, no OS store;
            host name checked against CN and subjectAltName (wildcard = one left-most label)
  browser   Mozilla root store (bundled), AIA-fetched intermediates with --fetch-issuers,
            subjectAltName only, refuses SHA-1 and RSA keys under 2048 bits
  java      the --java-store list (a cacerts export), no AIA, SAN else CN
  Default: sap-icm,browser (plus java when --java-store is given).

Trust lists: PEM/DER/PKCS#7/PKCS#12 files, PSE files (--pin-file), sapgenpse maintain_pk -l output.
A list named like a PSE (SAPSSLA.pem, sapssla_list.txt) is matched to its STRUST node.

Examples:
  pse-doctor verify chain.pem --trust SAPSSLA.pem --host api.example.com
  pse-doctor verify server.p7b --trust SAPSSLC.pse --pin-file pin.txt --profile sap-icm
  pse-doctor verify leaf.pem --trust sapssla_list.txt --fetch-issuers --out fix/
  pse-doctor verify chain.pem --trust SAPSSLA.pem --java-store cacerts.pem --json

Exit codes (verify):
  0  the first profile trusts the chain (no finding at or above --fail-on)
  1  it does not (findings at or above --fail-on)
  2  usage or input error (missing file, unreadable certificate, wrong password)`;

/** Most certificates in one verify input set (chain + lists). */
const MAX_FILES = 64;

function parseProfiles(value: string | undefined, javaStore: boolean): ProfileId[] {
  if (!value) return ['sap-icm', 'browser', ...(javaStore ? (['java'] as const) : [])];
  const list = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((p) => !(PROFILES as readonly string[]).includes(p));
  if (bad.length > 0 || list.length === 0) {
    throw new ToolError('usage', {
      message: `--profile takes a comma-separated list of ${PROFILES.join(', ')} (got "${value}").`,
    });
  }
  if (list.includes('java') && !javaStore) {
    throw new ToolError('usage', {
      message: 'The java profile needs --java-store <file> (a cacerts export as PEM, or PKCS#12).',
    });
  }
  return [...new Set(list)] as ProfileId[];
}

function parseAt(value: string | undefined, io: CliIo): Date {
  if (!value) return io.now?.() ?? new Date();
  const t = Date.parse(value);
  if (!Number.isFinite(t))
    throw new ToolError('usage', { message: `--at takes an ISO date (got "${value}").` });
  return new Date(t);
}

/** Certificate containers, PSE files and sapgenpse listings: what a chain or a trust list comes in. */
const READERS: readonly Reader[] = [...X509_READERS, pseReader, sapgenpseReader];

/**
 * Read one path (a file, or a folder of such files) through the shared input pipeline, numbering its
 * inputs after those already read.
 */
async function readPath(
  path: string,
  io: CliIo,
  offset: number,
  secrets: SecretProvider,
  now: Date,
): Promise<{ inputs: InputSummary[]; events: EvidenceEvent[] }> {
  const evidence = await readInputs([path], { secrets, now, cwd: io.cwd, readers: READERS });
  for (const e of evidence.events) e.source = { ...e.source, input: e.source.input + offset };
  return { inputs: evidence.inputs, events: evidence.events };
}

function certificatesOf(events: readonly EvidenceEvent[]): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  for (const e of events) {
    if (e.kind === 'certificates') out.push(...e.certificates);
    else if (e.kind === 'trust-list') out.push(...e.list.certificates);
  }
  return out;
}

/** The STRUST node a trust input stands for: from the PSE/listing evidence, else from its file name. */
function pseOfTrustInput(path: string, events: readonly EvidenceEvent[]): PseDescription | undefined {
  for (const e of events) {
    if (e.kind === 'trust-list' && e.list.storeKind === 'sap-pse' && (e.list.node || e.list.basename)) {
      const d = describePse(e.list.basename ?? e.list.file ?? path);
      return { ...d, ...(e.list.node ? { node: e.list.node } : {}) };
    }
  }
  const stem = basename(path).replace(/\.[A-Za-z0-9]+$/, '');
  const pseStem = /^(SAP[A-Za-z0-9_]*?)(?:[-_ .](?:list|export|certs?|trust\w*))?$/i.exec(stem)?.[1];
  if (pseStem) {
    const d = describePse(`${pseStem.toUpperCase()}.pse`);
    if (d.node) return d;
  }
  return undefined;
}

function trustName(paths: readonly string[], pse: PseDescription | undefined): string {
  if (pse?.node && pse.basename) return `${pse.basename} (${pse.node})`;
  if (paths.length === 0) return 'an empty trust list (no --trust given)';
  return paths.map((p) => basename(p)).join(' + ');
}

async function runVerify(chainPath: string, opts: VerifyOptions, io: CliIo): Promise<number> {
  const now = parseAt(opts.at, io);
  const profiles = parseProfiles(opts.profile, Boolean(opts.javaStore));
  const failOn = parseFailOn(opts.failOn);
  const trustPaths = opts.trust ?? [];
  if (trustPaths.length + 2 > MAX_FILES)
    throw new ToolError('usage', { message: `At most ${MAX_FILES - 2} --trust files.` });
  const secrets = createSecretProvider(io, opts);

  const inputs: InputSummary[] = [];
  const events: EvidenceEvent[] = [];
  const read = async (path: string) => {
    const output = await readPath(path, io, inputs.length, secrets, now);
    inputs.push(...output.inputs);
    events.push(...output.events);
    return output;
  };

  const chainOut = await read(chainPath);
  const chain = certificatesOf(chainOut.events);
  if (chain.length === 0) {
    throw new ToolError('bad-certificate', { name: chainPath, reason: 'it holds no certificate' });
  }
  const trust: CertificateInfo[] = [];
  let trustPse: PseDescription | undefined;
  for (const path of trustPaths) {
    const out = await read(path);
    assertTrustReadable(path, out.events);
    trust.push(...certificatesOf(out.events));
    trustPse ??= pseOfTrustInput(path, out.events);
  }
  let javaStore: CertificateInfo[] | undefined;
  if (opts.javaStore) javaStore = certificatesOf((await read(opts.javaStore)).events);

  const base = {
    chain,
    now,
    trust: dedupeCertificates(trust),
    trustName: trustName(trustPaths, trustPse),
    ...(opts.host ? { host: opts.host } : {}),
    ...(javaStore ? { javaStore, javaStoreName: basename(opts.javaStore ?? '') } : {}),
  };
  let verdicts = verifyChain(base, profiles);

  let fetched: CertificateInfo[] = [];
  const fetchNotes: string[] = [];
  if (opts.fetchIssuers) {
    const gap = verdicts.find((v) => v.chain.end === 'issuer-missing' && v.chain.missing)?.chain.missing;
    if (gap) {
      if (!gap.below.aiaIssuers?.length)
        fetchNotes.push(`--fetch-issuers: ${gap.below.subject} names no caIssuers URL (AIA).`);
      else {
        const { fetches, issuers } = await fetchIssuerChain(gap.below);
        for (const f of fetches)
          fetchNotes.push(
            f.error
              ? `AIA ${f.url}: ${f.error}`
              : `AIA ${f.url}: ${f.certificates.length} certificate(s) fetched`,
          );
        if (issuers.length > 0) {
          fetched = issuers;
          verdicts = verifyChain({ ...base, fetched: issuers }, profiles);
        }
      }
    }
  }

  // The chain and its lists are the evidence; the chain-verdict rule judges it like any other rule.
  const chainSource = events.find((e) => e.source.input === 0)?.source ?? { input: 0, line: 1 };
  const check: ChainCheckEvent = {
    kind: 'chain-check',
    source: { input: chainSource.input, line: chainSource.line },
    chain,
    profiles: [...profiles],
    trust: base.trust,
    trustName: base.trustName,
    ...(trustPse ? { trustPse } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    ...(javaStore
      ? { javaStore, javaStoreName: basename(opts.javaStore ?? ''), javaStorePath: opts.javaStore ?? '' }
      : {}),
    ...(fetched.length ? { fetched } : {}),
  };
  const evidence: Evidence = {
    inputs: inputs.map((s, i) =>
      i === 0 && fetchNotes.length ? { ...s, warnings: [...s.warnings, ...fetchNotes] } : s,
    ),
    events: [check],
    lines: { [`${check.source.input}:${check.source.line}`]: `subject=${chain[0]?.subject ?? ''}` },
  };
  const { findings, ruleErrors } = runRules(evidence, RULES, { now });
  const report = reportOf(
    { inputs: evidence.inputs, events: [...events, check], findings, ruleErrors },
    now,
    {
      verification: verdicts.map(summarizeVerdict),
    },
  );
  const written = opts.out ? writeReportArtifacts(opts.out, io, report, 'verify-report.json') : [];
  const sections = verifySections(report, now, { javaHint: !javaStore && !opts.profile, written });
  await printView(io, { report, sections }, outputFormat(opts), {
    color: useColor(io, opts.color === false),
  });
  return exitCodeForFindings(report.findings, failOn);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers `verify`. */
export const registerVerify: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('verify')
    .description(
      "Would SAP's ICM, holding exactly this certificate list, trust the chain? (side by side with browser and Java)",
    )
    .argument(
      '<chain>',
      'the chain the server sends: PEM/DER/PKCS#7/PKCS#12 file, leaf first or in any order',
    )
    .option(
      '-t, --trust <file>',
      'trust list: PEM/PKCS#7/PKCS#12, a PSE file, or sapgenpse maintain_pk -l output (repeatable)',
      collect,
    )
    .option('-H, --host <name>', 'host name or IP the SAP system connects to (for the name check)')
    .option('-p, --profile <list>', `profiles, comma-separated: ${PROFILES.join(', ')}`)
    .option('--java-store <file>', 'cacerts-like trust store for the java profile (PEM or PKCS#12)')
    .option(
      '--fetch-issuers',
      'download missing CAs from the AIA caIssuers URL (network; only to NAME them, never to trust)',
    )
    .option('--json', 'print the JSON Report (same as --format json)')
    .addOption(formatOption())
    .addOption(noColorOption())
    .option('-o, --out <dir>', 'write the certificate(s) to import (PEM) and verify-report.json there')
    .option('--at <date>', 'judge validity at this ISO date instead of now')
    .option('--fail-on <severity>', FAIL_ON_HELP)
    .option('--password-file <file>', 'password of PKCS#12 inputs (or PSE_DOCTOR_PASSWORD)')
    .option('--pin-file <file>', 'PIN of PSE inputs (or PSE_DOCTOR_PIN)')
    .addHelpText('after', HELP_AFTER)
    .action(async (chainPath: string, opts: VerifyOptions) => {
      setExit(await runVerify(chainPath, opts, io));
    });
};
