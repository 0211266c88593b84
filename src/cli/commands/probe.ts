/**
 * @module `pse-doctor probe <url|host[:port]>`: ask the endpoint what the ICM would see — the chain as sent,
 * protocol versions, SNI dependence, client-certificate demands — and say what to change in SAP.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { serializeEvidence } from '../../evidence/saved-evidence.js';
import { assertTrustReadable } from '../../evidence/trust-readable.js';
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import { isToolError, ToolError } from '../../model/errors.js';
import type { EvidenceEvent, InputSummary } from '../../model/evidence.js';
import { ipVersion, useQuickIpCheckInNode } from '../../model/ip-address.js';
import { dedupeCertificates } from '../../pki/chain.js';
import { describePse } from '../../pki/pse-nodes.js';
import { loadClientIdentity } from '../../probe/client-identity.js';
import { fetchMissingIssuers } from '../../probe/fetch-issuers.js';
import { probeEndpoint } from '../../probe/probe.js';
import { buildProbeReport } from '../../probe/probe-report.js';
import { parseProbeTarget, parseProxy } from '../../probe/target.js';
import type { ProbeOptions } from '../../probe/types.js';
import { bestReader } from '../../readers/detect.js';
import { looksLikePseContainer } from '../../readers/pse/pse-container.js';
import { pseReader } from '../../readers/pse/reader.js';
import { sapgenpseReader } from '../../readers/sapgenpse/reader.js';
import { bytesSource, HEAD_BYTES, inputError, readInputBytes } from '../../readers/source.js';
import type { Reader, ReaderOutput, SecretProvider } from '../../readers/types.js';
import { describeWalkProblems, walkFolder } from '../../readers/walk-folder.js';
import { detectContainer } from '../../readers/x509/read-certificates.js';
import { X509_READERS } from '../../readers/x509/reader.js';
import { stripControlCharsKeepLines } from '../../report/control-chars.js';
import { probeSections } from '../../report/sections/probe-sections.js';
import { TOOL_VERSION } from '../../version.js';
import { exitCodeForFindings, FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import type { CliIo } from '../io.js';
import { outputFormat, printView, useColor } from '../print-view.js';
import { createSecretProvider } from '../secret-provider.js';
import { formatOption, noColorOption } from '../shared-options.js';
import { writeReportArtifacts } from '../write-out.js';
import type { RegisterCommand } from './types.js';

interface ProbeCliOptions {
  trust?: string[];
  sni?: boolean;
  clientCert?: string;
  clientKey?: string;
  passwordFile?: string;
  pinFile?: string;
  proxy?: string;
  fetchIssuers?: boolean;
  http?: boolean;
  httpMethod?: string;
  timeout?: string;
  scan?: boolean;
  json?: boolean;
  format?: string;
  color?: boolean;
  saveEvidence?: string;
  out?: string;
  failOn?: string;
  transcript?: boolean;
  resolve?: string;
}

const HELP_AFTER = `
What one probe does (a few TLS handshakes, no application data unless --http):
  main         the handshake the ICM would make (TLS 1.2–1.3, SNI unless --no-sni)
  sni-compare  the same with SNI flipped: does the server's answer depend on SNI?
  versions     one handshake per version TLS 1.0, 1.1, 1.2, 1.3 (--no-scan skips them)
The chain is recorded exactly as the server sends it (read from the handshake messages), then judged
as the ICM holding the --trust list would judge it (sap-icm), beside a browser (Mozilla roots).

Trust lists (--trust, repeatable): a PSE file (--pin-file or PSE_DOCTOR_PIN), sapgenpse maintain_pk -l
output, PEM/DER/PKCS#7/PKCS#12 files, or a folder of such files. Without --trust, the root the chain
leads to is named as what the PSE must hold.

Client certificate (--client-cert): PEM with certificate + key (or --client-key), or PKCS#12
(--password-file or PSE_DOCTOR_PASSWORD), or a PSE such as SAPSSLC.pse: its own certificate, chain and RSA
key, PIN from --pin-file or PSE_DOCTOR_PIN. Keys stay in memory for the handshake only and are never shown.

Proxy: --proxy http://[user@]host:port; the password from PSE_DOCTOR_PROXY_PASSWORD (keeps it out of
the process list) or in the URL.

Examples:
  pse-doctor probe https://api.example.com
  pse-doctor probe api.example.com:8443 --trust SAPSSLA.pse --pin-file pin.txt
  pse-doctor probe https://host --no-sni
  pse-doctor probe https://host --client-cert client.p12 --password-file pw.txt
  pse-doctor probe https://host --proxy http://proxy:3128 --fetch-issuers --out fix/
  pse-doctor probe https://host --json
  pse-doctor probe https://host --save-evidence case.json   and later, offline: pse-doctor analyze case.json

Exit codes (probe):
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on
  2  usage or input error (bad target, unreadable --trust file, wrong password)`;

const READERS: readonly Reader[] = [...X509_READERS, pseReader, sapgenpseReader];
/** A trust file (PSE, listing, PEM bundle) is read whole, up to this size. */
const MAX_TRUST_FILE_BYTES = 64 * 1024 * 1024;

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 50 || Number(value) > 600_000) {
    throw new ToolError('usage', {
      message: `--timeout takes milliseconds between 50 and 600000 (got "${value}").`,
    });
  }
  return Number(value);
}

function parseHttp(enabled: boolean | undefined, method: string | undefined): ProbeOptions['http'] {
  if (method === undefined) return enabled ? { method: 'HEAD' } : undefined;
  const m = method.toUpperCase();
  if (m !== 'HEAD' && m !== 'GET')
    throw new ToolError('usage', { message: `--http-method takes HEAD or GET (got "${method}").` });
  return { method: m };
}

function readSmallFile(path: string, io: CliIo, limit = 1024 * 1024): Buffer {
  const abs = resolve(io.cwd, path);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) throw new ToolError('not-readable', { path, reason: 'it is not a file' });
    size = st.size;
  } catch (err) {
    if (err instanceof ToolError) throw err;
    throw new ToolError('file-not-found', { path });
  }
  if (size > limit)
    throw new ToolError('too-large', { name: path, limit: `${Math.round(limit / 1024)} KiB` });
  try {
    return readFileSync(abs);
  } catch (err) {
    throw new ToolError('not-readable', { path, reason: (err as NodeJS.ErrnoException).code ?? 'error' });
  }
}

/**
 * Read one trust file with the best-fitting reader (PEM/DER/PKCS#7/PKCS#12, PSE, sapgenpse listing).
 * One small function: it moves to the shared `readInputs` pipeline once that exists.
 */
async function readTrustFile(
  abs: string,
  shown: string,
  index: number,
  secrets: SecretProvider,
  now: Date,
): Promise<ReaderOutput> {
  // Read once (a FIFO or pipe too), capped; the reader then works on the bytes in memory.
  const bytes = await readInputBytes(abs, shown, MAX_TRUST_FILE_BYTES);
  const source = bytesSource(shown, bytes);
  const head = bytes.subarray(0, HEAD_BYTES);
  if (head.length === 0) throw new ToolError('empty-input', { name: shown });
  const best = bestReader(READERS, head, basename(abs));
  if (!best) {
    throw new ToolError('unknown-format', {
      name: shown,
      hint: 'A trust list is a PSE file, sapgenpse maintain_pk -l output, or certificate files (PEM, DER, PKCS#7, PKCS#12).',
    });
  }
  return best.reader.read(source, { input: index, secrets, now });
}

/**
 * Expand `--trust` arguments (files and folders) to files. Folders follow the one walking rule
 * (readers/walk-folder); `cred_v2` holds no trust list and is left out. Entries the walk could not use
 * are told on standard error.
 */
export function expandTrustPaths(
  paths: readonly string[],
  io: CliIo,
): { abs: string; shown: string; inFolder?: boolean }[] {
  const out: { abs: string; shown: string; inFolder?: boolean }[] = [];
  for (const p of paths) {
    const abs = resolve(io.cwd, p);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch (err) {
      throw inputError(err, p);
    }
    if (st.isDirectory()) {
      const walk = walkFolder(abs, p, { accept: (name) => !/^cred_v2$/i.test(name) });
      for (const f of walk.files) out.push({ abs: f.path, shown: f.shown, inFolder: true });
      for (const note of describeWalkProblems(walk))
        io.stderr.write(stripControlCharsKeepLines(`pse-doctor: ${note}\n`));
    } else out.push({ abs, shown: p });
  }
  return out;
}

interface TrustRead {
  list: TrustList;
  inputs: { summary: InputSummary; events: EvidenceEvent[] }[];
}

/** Read the trust inputs (input indexes start at 1: the probe is input 0) and merge them into one list. */
async function readTrust(
  paths: readonly string[],
  opts: ProbeCliOptions,
  io: CliIo,
  now: Date,
): Promise<TrustRead> {
  const secrets = createSecretProvider(io, opts);
  const files = expandTrustPaths(paths, io);
  const inputs: TrustRead['inputs'] = [];
  const certs: CertificateInfo[] = [];
  let named: TrustList | undefined;
  for (const f of files) {
    let out: ReaderOutput;
    try {
      out = await readTrustFile(f.abs, f.shown, inputs.length + 1, secrets, now);
    } catch (err) {
      // A sec folder holds more than trust lists (cred_v2, tickets, logs): skip what no reader knows.
      const skippable =
        isToolError(err) && ['unknown-format', 'empty-input', 'cred-v2', 'binary-input'].includes(err.code);
      if (!f.inFolder || !skippable) throw err;
      io.stderr.write(stripControlCharsKeepLines(`pse-doctor: skipped ${f.shown}: ${err.message}\n`));
      continue;
    }
    assertTrustReadable(f.shown, out.events);
    inputs.push({ summary: out.summary, events: out.events });
    for (const e of out.events) {
      if (e.kind === 'trust-list') {
        certs.push(...e.list.certificates);
        if (!named && e.list.node) named = e.list;
      } else if (e.kind === 'certificates') certs.push(...e.certificates);
    }
  }
  const list: TrustList = { storeKind: 'sap-pse', certificates: dedupeCertificates(certs) };
  const single = files.length === 1 ? files[0] : undefined;
  const describedFrom = named?.basename ?? named?.file ?? (single ? basename(single.abs) : undefined);
  const pse = describedFrom ? describePse(describedFrom) : undefined;
  if (named?.file ?? single) list.file = named?.file ?? single?.shown ?? '';
  if (named?.basename ?? pse?.basename) list.basename = named?.basename ?? pse?.basename ?? '';
  const node = named?.node ?? pse?.node;
  if (node) {
    list.node = node;
    const context = named?.context ?? pse?.context;
    const application = named?.application ?? pse?.application;
    if (context) list.context = context;
    if (application) list.application = application;
  } else if (files.length > 1) {
    list.basename = `${files.length} files`;
  }
  if (list.certificates.length === 0) {
    for (const i of inputs)
      i.summary.warnings.push('This trust input holds no certificate: every chain is untrusted with it.');
  }
  return { list, inputs };
}

async function runProbe(targetText: string, opts: ProbeCliOptions, io: CliIo): Promise<number> {
  useQuickIpCheckInNode(); // this process's own handshakes (src/model/ip-address.ts)
  const failOn = parseFailOn(opts.failOn);
  const target = parseProbeTarget(targetText);
  if (opts.resolve !== undefined) {
    if (!ipVersion(opts.resolve))
      throw new ToolError('usage', { message: `--resolve takes an IP address (got "${opts.resolve}").` });
    target.address = opts.resolve;
  }
  const timeoutMs = parseTimeout(opts.timeout);
  const http = parseHttp(opts.http, opts.httpMethod);
  const proxy = opts.proxy ? parseProxy(opts.proxy, io.env.PSE_DOCTOR_PROXY_PASSWORD) : undefined;
  const now = io.now?.() ?? new Date();
  const trust = opts.trust?.length ? await readTrust(opts.trust, opts, io, now) : undefined;

  let clientIdentity: ProbeOptions['clientIdentity'];
  if (opts.clientCert) {
    const bytes = readSmallFile(opts.clientCert, io);
    const keyBytes = opts.clientKey ? readSmallFile(opts.clientKey, io) : undefined;
    // The one secret provider: a PSE's PIN, or the password of a PKCS#12 file or an encrypted PEM key,
    // asked only for the kind of file given.
    const secrets = createSecretProvider(io, opts);
    const isPse = /\.pse$/i.test(opts.clientCert) || looksLikePseContainer(bytes.subarray(0, 64));
    const encrypted =
      detectContainer(bytes) === 'pkcs12' ||
      /ENCRYPTED/.test(bytes.toString('latin1')) ||
      /ENCRYPTED/.test(keyBytes?.toString('latin1') ?? '');
    const pin = isPse ? await secrets.get('pin', opts.clientCert) : undefined;
    const password = !isPse && encrypted ? await secrets.get('password', opts.clientCert) : undefined;
    clientIdentity = loadClientIdentity({
      name: opts.clientCert,
      bytes,
      ...(pin !== undefined ? { pin } : {}),
      ...(keyBytes ? { keyBytes } : {}),
      ...(password !== undefined ? { password } : {}),
    });
  } else if (opts.clientKey) {
    throw new ToolError('usage', { message: '--client-key needs --client-cert <file>.' });
  }

  const { result } = await probeEndpoint(target, {
    sni: opts.sni !== false,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(proxy ? { proxy } : {}),
    ...(clientIdentity ? { clientIdentity } : {}),
    ...(http ? { http } : {}),
    versionScan: opts.scan !== false,
  });
  if (opts.fetchIssuers) await fetchMissingIssuers(result, timeoutMs !== undefined ? { timeoutMs } : {});

  const { report, evidence } = buildProbeReport({
    result,
    ...(trust ? { trust: trust.list, trustInputs: trust.inputs } : {}),
    now,
  });
  if (opts.saveEvidence) {
    const target = resolve(io.cwd, opts.saveEvidence);
    try {
      writeFileSync(target, serializeEvidence(evidence, { savedAt: now, toolVersion: TOOL_VERSION }), 'utf8');
    } catch (err) {
      throw new ToolError('not-readable', { path: opts.saveEvidence, reason: (err as Error).message });
    }
    io.stderr.write(
      `pse-doctor: evidence saved to ${opts.saveEvidence} (diagnose it again with: pse-doctor analyze ${opts.saveEvidence})\n`,
    );
  }
  const written = opts.out ? writeReportArtifacts(opts.out, io, report, 'probe-report.json') : [];
  const sections = probeSections(report, now, { transcript: Boolean(opts.transcript), written });
  await printView(io, { report, sections }, outputFormat(opts), {
    color: useColor(io, opts.color === false),
  });
  return exitCodeForFindings(report.findings, failOn);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers `probe`. */
export const registerProbe: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('probe')
    .description(
      'Handshake with a live endpoint and say what the ICM would see: chain as sent, versions, SNI, client certificate, what to change',
    )
    .argument('<target>', 'https://host[:port][/path] or host[:port] (port 443 by default)')
    .option(
      '-t, --trust <file>',
      'the trust list to judge with: PSE file, sapgenpse listing, PEM/P7/P12, or a folder (repeatable)',
      collect,
    )
    .option(
      '--resolve <ip>',
      'connect to this IP address instead of resolving the host (SNI and name check keep the host)',
    )
    .option('--no-sni', 'send no SNI in the main handshake (as with icm/HTTPS/client_sni_enabled = FALSE)')
    .option(
      '--client-cert <file>',
      'client identity for mutual TLS: PEM with key, PKCS#12, or a PSE (e.g. SAPSSLC.pse)',
    )
    .option('--client-key <file>', 'PEM private key, when --client-cert holds only the certificate')
    .option('--password-file <file>', 'password of the PKCS#12 / encrypted key (or PSE_DOCTOR_PASSWORD)')
    .option('--pin-file <file>', 'PIN of a --trust or --client-cert PSE (or PSE_DOCTOR_PIN)')
    .option(
      '--proxy <url>',
      'HTTP forward proxy http://[user@]host:port (password: PSE_DOCTOR_PROXY_PASSWORD)',
    )
    .option(
      '--fetch-issuers',
      "fetch a missing CA from the certificate's AIA URL (http/https) to NAME it, never to trust it",
    )
    .option(
      '--http',
      'after the handshake, send one HTTP HEAD request for the URL path and show the status line',
    )
    .option('--http-method <method>', 'HEAD (default) or GET for --http (implies --http)')
    .option(
      '--timeout <ms>',
      'time limit per step (TCP connect, proxy, TLS handshake, HTTP answer); default 8000',
    )
    .option('--no-scan', 'skip the TLS 1.0–1.3 version scan')
    .option('--json', 'print the JSON Report (same as --format json)')
    .addOption(formatOption())
    .addOption(noColorOption())
    .option(
      '--save-evidence <file>',
      'also save the probe as evidence (JSON); "analyze <file>" diagnoses it again offline',
    )
    .option('-o, --out <dir>', 'write the certificate(s) to import (PEM) and probe-report.json there')
    .option('--fail-on <severity>', FAIL_ON_HELP)
    .option('--transcript', 'also print the numbered transcript of every handshake')
    .addHelpText('after', HELP_AFTER)
    .action(async (target: string, opts: ProbeCliOptions) => {
      setExit(await runProbe(target, opts, io));
    });
};
