/**
 * @module `pse-doctor cert`: inspect certificate containers (PEM, DER, PKCS#7, PKCS#12, STRUST exports,
 * sapgenpse listings, folders of them): certificates leaf first, SAP-style, with findings for expired or
 * weak ones; `--json` prints the Report, `--export-pem` writes each certificate as a PEM file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { diagnose } from '../../analyze.js';
import type { CertificateInfo } from '../../model/certificate.js';
import { isToolError, ToolError } from '../../model/errors.js';
import type { Evidence, EvidenceEvent, InputSummary } from '../../model/evidence.js';
import type { Finding, Report } from '../../model/report.js';
import { certificateFileName } from '../../pki/import-plan.js';
import { findRoot } from '../../pki/root-store.js';
import { parseSapgenpseListing } from '../../readers/sapgenpse/listing.js';
import { sniffSapgenpse } from '../../readers/sapgenpse/reader.js';
import { readInputBytes, statInput } from '../../readers/source.js';
import { type ChainPosition, chainPositions } from '../../readers/x509/chain-order.js';
import {
  type CertificateContainer,
  decodeText,
  detectContainer,
  MAX_CONTAINER_BYTES,
  readCertificatesSync,
} from '../../readers/x509/read-certificates.js';
import { CONTAINER_NAMES, certificateEvents } from '../../readers/x509/reader.js';
import { stripControlCharsKeepLines } from '../../report/control-chars.js';
import { weaknessOf } from '../../rules/weak-certificate/rule.js';
import { exitCodeForFindings, FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import type { CliIo } from '../io.js';
import type { RegisterCommand } from './types.js';

interface CertOptions {
  passwordFile?: string;
  json?: boolean;
  exportPem?: string;
  failOn?: string;
}

/** Most files read from folders in one run. */
const MAX_FOLDER_FILES = 2000;
/** How deep folders are searched. */
const MAX_FOLDER_DEPTH = 4;
/** Days before expiry that the text output marks a certificate as expiring soon. */
const SOON_DAYS = 30;

const HELP_AFTER = `
Reads PEM (one or many blocks, text around them is fine), DER, PKCS#7 (.p7b/.p7c, PEM or DER),
PKCS#12 (.p12/.pfx), STRUST exports (Base64 or binary), sapgenpse "maintain_pk -l" / "get_my_name -v"
listings, and folders of such files. Private keys are never read or shown.

PKCS#12 password: --password-file <file>, or the PSE_DOCTOR_PASSWORD environment variable, or a prompt
when standard input is a terminal. It is never accepted on the command line.

Examples:
  pse-doctor cert server.crt
  pse-doctor cert chain.pem bundle.p7b
  pse-doctor cert store.p12 --password-file pw.txt
  pse-doctor cert ./certs --export-pem ./pem-out
  pse-doctor cert sapsslc_list.txt --json

Exit codes (cert):
  0  no finding at or above --fail-on (default: error)
  1  a certificate is expired / not yet valid (or weak, with --fail-on warning)
  2  usage or input error (unreadable file, wrong password)`;

/** Where a PKCS#12 password comes from; read lazily, only when a file needs one. */
interface PasswordSource {
  get(name: string): Promise<string | undefined>;
}

function passwordSource(io: CliIo, opts: CertOptions): PasswordSource {
  let cached: string | undefined;
  let asked = false;
  return {
    async get(name) {
      if (opts.passwordFile) {
        const path = resolve(io.cwd, opts.passwordFile);
        if (!existsSync(path)) throw new ToolError('file-not-found', { path: opts.passwordFile });
        // Only the first line counts; editors add a trailing newline.
        return readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
      }
      const env = io.env.PSE_DOCTOR_PASSWORD;
      if (env !== undefined) return env;
      if (asked) return cached;
      if (!io.stdinIsTTY) return undefined;
      asked = true;
      cached = await promptHidden(io, `Password for ${name}: `);
      return cached;
    },
  };
}

/** Read a line from a terminal without echo. */
async function promptHidden(io: CliIo, prompt: string): Promise<string> {
  io.stderr.write(prompt);
  const stdin = io.stdin as NodeJS.ReadStream;
  const raw = typeof stdin.setRawMode === 'function';
  if (raw) stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((done, fail) => {
      let value = '';
      const onData = (chunk: Buffer | string) => {
        for (const ch of String(chunk)) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            io.stderr.write('\n');
            done(value);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            fail(new ToolError('usage', { message: 'Cancelled.' }));
            return;
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    if (raw) stdin.setRawMode(false);
    stdin.pause();
  }
}

/** One input as `cert` read it. */
interface CertInput {
  name: string;
  summary: InputSummary;
  events: EvidenceEvent[];
  lines: Record<string, string>;
  container?: CertificateContainer;
}

async function readOne(
  bytes: Buffer,
  name: string,
  index: number,
  passwords: PasswordSource,
): Promise<CertInput | undefined> {
  const kind = detectContainer(bytes);
  if (!kind) {
    const text = decodeText(bytes.subarray(0, 64 * 1024), 'utf8');
    if (bytes[0] !== 0x30 && sniffSapgenpse(text) >= 0.7) {
      const parsed = parseSapgenpseListing(decodeText(bytes, 'utf8'), { input: index, name });
      return {
        name,
        summary: {
          name,
          format: 'sapgenpse-listing',
          bytes: bytes.length,
          lines: parsed.lineCount,
          unrecognizedLines: parsed.unrecognized.length,
          ...(parsed.unrecognized.length ? { unrecognizedSample: parsed.unrecognized.slice(0, 10) } : {}),
          warnings: parsed.warnings,
        },
        events: parsed.events,
        lines: parsed.lines,
      };
    }
    return undefined;
  }
  let container: CertificateContainer;
  if (kind === 'pkcs12') {
    // Try without a password first: certificates-only stores may need none.
    const password = await passwords.get(name);
    container = readCertificatesSync(bytes, name, password === undefined ? {} : { password });
  } else {
    container = readCertificatesSync(bytes, name);
  }
  const { events, lines } = certificateEvents(name, container, index);
  const outside = container.outsideLines ?? [];
  return {
    name,
    container,
    events,
    lines,
    summary: {
      name,
      format: kind,
      bytes: bytes.length,
      lines: container.textLines ?? 0,
      unrecognizedLines: outside.length,
      ...(outside.length ? { unrecognizedSample: outside.slice(0, 10) } : {}),
      warnings: container.warnings,
    },
  };
}

/** A file's bytes, capped; a FIFO, pipe or device is read once as a stream with the same cap. */
function readFileBytes(path: string, name: string): Promise<Buffer> {
  return readInputBytes(path, name, MAX_CONTAINER_BYTES);
}

/** Files of a folder (sorted, hidden entries skipped), searched a few levels deep. */
function listFolder(dir: string, depth = 0, out: string[] = []): string[] {
  if (depth > MAX_FOLDER_DEPTH || out.length >= MAX_FOLDER_FILES) return out;
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) listFolder(path, depth + 1, out);
    else if (st.isFile()) out.push(path);
    if (out.length >= MAX_FOLDER_FILES) break;
  }
  return out;
}

async function readStdin(io: CliIo): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_CONTAINER_BYTES) {
      throw new ToolError('too-large', {
        name: 'standard input',
        limit: `${MAX_CONTAINER_BYTES / 1024 / 1024} MiB`,
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Read every path (files, folders, `-`) into inputs; folder members that are not certificates are skipped. */
async function readInputs(
  paths: string[],
  io: CliIo,
  passwords: PasswordSource,
): Promise<{ inputs: CertInput[]; notes: string[] }> {
  const inputs: CertInput[] = [];
  const notes: string[] = [];
  for (const given of paths) {
    if (given === '-') {
      const bytes = await readStdin(io);
      if (bytes.length === 0) throw new ToolError('empty-input', { name: 'standard input' });
      const read = await readOne(bytes, 'stdin', inputs.length, passwords);
      if (!read) throw unknownFormat('standard input');
      inputs.push(read);
      continue;
    }
    const path = isAbsolute(given) ? given : resolve(io.cwd, given);
    // stat follows links: a missing path, a link loop and a permission problem each say what they are.
    if ((await statInput(path, given)).isDirectory()) {
      const files = listFolder(path);
      let skipped = 0;
      let found = 0;
      for (const file of files) {
        const name = join(given, relative(path, file));
        try {
          const read = await readOne(await readFileBytes(file, name), name, inputs.length, passwords);
          if (read) {
            inputs.push(read);
            found++;
          } else skipped++;
        } catch (err) {
          if (!isToolError(err)) throw err;
          // One bad member must not hide the rest of the folder.
          notes.push(`${name}: ${err.message}`);
        }
      }
      if (files.length >= MAX_FOLDER_FILES)
        notes.push(`${given}: only the first ${MAX_FOLDER_FILES} files were read.`);
      if (skipped > 0)
        notes.push(
          `${given}: ${skipped} file${skipped === 1 ? '' : 's'} skipped (not a certificate, PKCS#7/#12 or sapgenpse listing).`,
        );
      if (found === 0) notes.push(`${given}: no certificate files found.`);
      continue;
    }
    const read = await readOne(await readFileBytes(path, given), given, inputs.length, passwords);
    if (!read) throw unknownFormat(given);
    inputs.push(read);
  }
  return { inputs, notes };
}

function unknownFormat(name: string): ToolError {
  return new ToolError('unknown-format', {
    name,
    hint: 'Expected a certificate as PEM, DER, PKCS#7 (.p7b/.p7c), PKCS#12 (.p12/.pfx), a STRUST export or a sapgenpse listing.',
  });
}

/** Colon-separated upper-case hex of a fingerprint. */
function colonFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Validity line with days left or an expired / not-yet-valid mark. */
export function describeValidity(cert: CertificateInfo, now: Date): string {
  if (!cert.notAfter && !cert.notBefore) return 'not shown';
  const from = cert.notBefore ? formatTime(cert.notBefore) : '?';
  const to = cert.notAfter ? formatTime(cert.notAfter) : '?';
  const day = 86_400_000;
  let mark = '';
  if (cert.notAfter && Date.parse(cert.notAfter) < now.getTime()) {
    const ago = Math.floor((now.getTime() - Date.parse(cert.notAfter)) / day);
    mark = `EXPIRED ${ago} day${ago === 1 ? '' : 's'} ago`;
  } else if (cert.notBefore && Date.parse(cert.notBefore) > now.getTime()) {
    const until = Math.ceil((Date.parse(cert.notBefore) - now.getTime()) / day);
    mark = `NOT YET VALID (starts in ${until} day${until === 1 ? '' : 's'})`;
  } else if (cert.notAfter) {
    const left = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / day);
    mark = left <= SOON_DAYS ? `expires in ${left} day${left === 1 ? '' : 's'}` : `${left} days left`;
  }
  return `${from} → ${to}${mark ? `  [${mark}]` : ''}`;
}

/** What Node's bundled Mozilla store says about a certificate. */
function mozillaStatus(cert: CertificateInfo): string {
  try {
    if (cert.sha256 && findRoot({ sha256: cert.sha256 }))
      return 'yes: this exact certificate is a bundled root';
    if (cert.selfSigned) {
      const same = findRoot({ dn: cert.subject });
      if (!same) return 'no';
      if (cert.sha256) return 'no (a bundled root has the same name but is a different certificate)';
      if (cert.sha1) {
        return same.sha1 === cert.sha1
          ? 'yes: same SHA-1 fingerprint as a bundled root'
          : 'no (a bundled root has the same name but another fingerprint)';
      }
      // Listings often print no fingerprint: name and serial are the best match available.
      return same.serial === cert.serial
        ? 'yes: a bundled root has the same name and serial'
        : 'a bundled root has the same name, but another serial';
    }
    if (cert.issuer) {
      const query = cert.authorityKeyId
        ? { dn: cert.issuer, keyId: cert.authorityKeyId }
        : { dn: cert.issuer };
      const root = findRoot(query);
      if (root) return `no; its issuer is the bundled root "${root.subject}"`;
    }
  } catch {
    // An unparsable DN only means we cannot say.
  }
  return 'no';
}

const POSITION_LABEL: Record<ChainPosition | 'trusted' | 'own' | 'chain', string> = {
  leaf: 'leaf',
  intermediate: 'intermediate CA',
  root: 'root CA',
  unknown: 'certificate',
  trusted: 'trusted',
  own: 'own certificate',
  chain: 'chain',
};

function renderCertificate(
  out: string[],
  cert: CertificateInfo,
  index: number,
  label: string,
  now: Date,
  extra: { friendlyName?: string } = {},
): void {
  const field = (name: string, value: string | undefined) => {
    if (value) out.push(`      ${name.padEnd(14)}${value}`);
  };
  out.push(`  [${index}] ${label}: ${cert.subject || '(subject not shown)'}`);
  field('Name in file', extra.friendlyName);
  field('Issuer', cert.issuer);
  field('Serial', cert.serial);
  field('Valid', describeValidity(cert, now));
  if (cert.key) {
    const weakKey = weaknessOf({ key: cert.key }).length > 0 ? '  [WEAK: below 2048-bit RSA / P-256]' : '';
    const size = cert.key.curve ? cert.key.curve : cert.key.size ? String(cert.key.size) : '';
    field('Key', `${cert.key.algorithm}${size ? ` ${size}` : ''}${weakKey}`);
  }
  if (cert.signatureAlgorithm) {
    const weak = weaknessOf({
      signatureAlgorithm: cert.signatureAlgorithm,
      ...(cert.selfSigned !== undefined ? { selfSigned: cert.selfSigned } : {}),
    }).find((w) => w.kind === 'md5' || w.kind === 'sha1');
    field(
      'Signature',
      `${cert.signatureAlgorithm}${weak ? `  [WEAK: ${weak.kind === 'md5' ? 'MD5' : 'SHA-1'}]` : ''}`,
    );
  }
  field('SAN', cert.subjectAltNames?.join(', '));
  field('SKI', cert.subjectKeyId);
  field('AKI', cert.authorityKeyId);
  field('AIA issuers', cert.aiaIssuers?.join(', '));
  if (cert.isCA !== undefined) field('CA', cert.isCA ? 'yes' : 'no (end entity)');
  if (cert.selfSigned) field('Self-signed', 'yes');
  field('SHA-256', cert.sha256 ? colonFingerprint(cert.sha256) : undefined);
  field('SHA-1', cert.sha1 ? colonFingerprint(cert.sha1) : undefined);
  if (cert.sha256 || cert.issuer) field('Mozilla store', mozillaStatus(cert));
}

function renderInput(out: string[], input: CertInput, now: Date): void {
  const { summary } = input;
  const format = input.container ? CONTAINER_NAMES[input.container.container] : 'sapgenpse listing';
  for (const event of input.events) {
    if (event.kind === 'certificates') {
      const n = event.certificates.length;
      out.push(
        `${summary.name} — ${format}, ${n} certificate${n === 1 ? '' : 's'}${n > 1 ? ', leaf first' : ''}`,
      );
      const protection = input.container?.protection;
      if (protection?.encryption.length)
        out.push(
          `  Protected with ${[...new Set(protection.encryption)].join(', ')}${protection.mac ? `; MAC ${protection.mac}` : ''}`,
        );
      const positions = chainPositions(event.certificates);
      const names = friendlyNames(input.container, event.certificates);
      event.certificates.forEach((c, i) => {
        renderCertificate(
          out,
          c,
          i + 1,
          POSITION_LABEL[positions[i] ?? 'unknown'],
          now,
          names[i] ? { friendlyName: names[i] } : {},
        );
      });
    } else if (event.kind === 'trust-list') {
      const { list } = event;
      const n = list.certificates.length;
      const where = list.node ? ` for ${list.basename ?? list.file} (STRUST: ${list.node})` : '';
      out.push(`${summary.name} — ${format}: trust list${where}, ${n} certificate${n === 1 ? '' : 's'}`);
      list.certificates.forEach((c, i) => {
        renderCertificate(out, c, i + 1, POSITION_LABEL.trusted, now);
      });
    } else if (event.kind === 'sapgenpse') {
      const pse = event.pseNode?.node ? `${event.pseFile} (STRUST: ${event.pseNode.node})` : event.pseFile;
      if (event.error) {
        out.push(
          `${summary.name} — sapgenpse ${event.command ?? ''} error${pse ? ` for ${pse}` : ''}: ${event.error.message}`,
        );
        continue;
      }
      if (event.request) {
        out.push(
          `${summary.name} — sapgenpse ${event.command ?? 'get_pse'}: certificate REQUEST${pse ? ` for ${pse}` : ''} (not a certificate)`,
        );
        if (event.request.subject) out.push(`      ${'Subject'.padEnd(14)}${event.request.subject}`);
        if (event.request.keyType)
          out.push(
            `      ${'Key'.padEnd(14)}${event.request.keyType}${event.request.keySize ? ` ${event.request.keySize}` : ''}`,
          );
        continue;
      }
      out.push(
        `${summary.name} — sapgenpse ${event.command ?? 'get_my_name'}${pse ? ` for ${pse}` : ''}${event.ssoUser ? `, SSO user ${event.ssoUser}` : ''}`,
      );
      let i = 1;
      if (event.own) renderCertificate(out, event.own, i++, POSITION_LABEL.own, now);
      for (const c of event.chain ?? [])
        renderCertificate(out, c, i++, c.selfSigned ? 'PKRoot' : 'FCPath', now);
    }
  }
  for (const w of summary.warnings) out.push(`  note: ${w}`);
  out.push('');
}

function friendlyNames(
  container: CertificateContainer | undefined,
  ordered: CertificateInfo[],
): (string | undefined)[] {
  if (!container?.friendlyNames) return [];
  const bySha = new Map<string, string>();
  container.certificates.forEach((c, i) => {
    const name = container.friendlyNames?.[i];
    if (c.sha256 && name) bySha.set(c.sha256, name);
  });
  return ordered.map((c) => (c.sha256 ? bySha.get(c.sha256) : undefined));
}

function renderFindings(out: string[], findings: Finding[]): void {
  if (findings.length === 0) {
    out.push('No problems found in these certificates.');
    return;
  }
  out.push(`Findings (${findings.length}):`);
  for (const f of findings) {
    out.push(`  ${f.severity.toUpperCase().padEnd(8)}${f.title}`);
    out.push(`          ${f.summary}`);
  }
}

/** Write each certificate as a PEM file into `dir`; returns the file names written. */
function exportPem(dir: string, inputs: CertInput[]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    for (const event of input.events) {
      const certs =
        event.kind === 'certificates'
          ? event.certificates
          : event.kind === 'trust-list'
            ? event.list.certificates
            : [];
      for (const cert of certs) {
        if (!cert.pem || !cert.sha256 || seen.has(cert.sha256)) continue;
        seen.add(cert.sha256);
        const base = certificateFileName(cert.subject, '');
        let name = `${base}.pem`;
        for (let n = 2; existsSync(join(dir, name)); n++) {
          if (readFileSync(join(dir, name), 'utf8') === cert.pem) break;
          name = `${base}_${n}.pem`;
        }
        writeFileSync(join(dir, name), cert.pem.endsWith('\n') ? cert.pem : `${cert.pem}\n`);
        written.push(name);
      }
    }
  }
  return written;
}

/** Build the Report for the inputs `cert` read (rules run on the certificate events). */
export function buildCertReport(inputs: CertInput[], now: Date): Report {
  const evidence: Evidence = { inputs: [], events: [], lines: {} };
  for (const input of inputs) {
    evidence.inputs.push(input.summary);
    evidence.events.push(...input.events);
    Object.assign(evidence.lines, input.lines);
  }
  return diagnose(evidence, { now });
}

async function runCert(
  paths: string[],
  opts: CertOptions,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const failOn = parseFailOn(opts.failOn);
  if (paths.length === 0)
    throw new ToolError('usage', { message: 'Name at least one certificate file or folder.' });
  const now = io.now?.() ?? new Date();
  const { inputs, notes } = await readInputs(paths, io, passwordSource(io, opts));
  const report = buildCertReport(inputs, now);
  if (opts.exportPem) {
    const dir = resolve(io.cwd, opts.exportPem);
    const written = exportPem(dir, inputs);
    notes.push(
      `Wrote ${written.length} PEM file${written.length === 1 ? '' : 's'} to ${opts.exportPem}${written.length ? `: ${written.join(', ')}` : ''}.`,
    );
  }
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    for (const n of notes) io.stderr.write(`pse-doctor: ${stripControlCharsKeepLines(n)}\n`);
  } else {
    const out: string[] = [];
    for (const input of inputs) renderInput(out, input, now);
    for (const n of notes) out.push(`note: ${n}`);
    if (notes.length) out.push('');
    renderFindings(out, report.findings);
    io.stdout.write(stripControlCharsKeepLines(`${out.join('\n')}\n`));
  }
  setExit(exitCodeForFindings(report.findings, failOn));
}

/** Register `pse-doctor cert`. */
export const registerCert: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('cert')
    .description(
      'Inspect certificate files (PEM, DER, PKCS#7, PKCS#12, STRUST export, sapgenpse listing, folders)',
    )
    .argument('<files...>', 'certificate files or folders ("-" reads standard input)')
    .option('--password-file <file>', 'file whose first line is the PKCS#12 password')
    .option('--json', 'print the JSON Report (events carry the certificates)')
    .option('--export-pem <dir>', 'write each certificate as a PEM file into <dir>')
    .option('--fail-on <severity>', FAIL_ON_HELP, 'error')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], opts: CertOptions) => {
      await runCert(files, opts, io, setExit);
    });
};
