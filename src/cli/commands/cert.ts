/**
 * @module `pse-doctor cert`: inspect certificate containers (PEM, DER, PKCS#7, PKCS#12, STRUST exports,
 * sapgenpse listings, folders of them): certificates leaf first, SAP-style, with findings for expired or
 * weak ones; `--json` prints the Report, `--export-pem` writes each certificate as a PEM file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { diagnose } from '../../analyze.js';
import { isToolError, ToolError } from '../../model/errors.js';
import type { Evidence } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import { certificateFileName } from '../../pki/import-plan.js';
import { parseSapgenpseListing } from '../../readers/sapgenpse/listing.js';
import { sniffSapgenpse } from '../../readers/sapgenpse/reader.js';
import { readInputBytes, statInput } from '../../readers/source.js';
import type { SecretProvider } from '../../readers/types.js';
import { describeWalkProblems, walkFolder } from '../../readers/walk-folder.js';
import {
  type CertificateContainer,
  decodeText,
  detectContainer,
  MAX_CONTAINER_BYTES,
  readCertificatesSync,
} from '../../readers/x509/read-certificates.js';
import { certificateEvents } from '../../readers/x509/reader.js';
import { stripControlChars } from '../../report/control-chars.js';
import { type CertInput, certSections } from '../../report/sections/cert-sections.js';

export { describeValidity } from '../../report/sections/certificate-entry.js';

import { exitCodeForFindings, FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import type { CliIo } from '../io.js';
import { outputFormat, printView, useColor } from '../print-view.js';
import { createSecretProvider } from '../secret-provider.js';
import { formatOption, noColorOption } from '../shared-options.js';
import type { RegisterCommand } from './types.js';

interface CertOptions {
  passwordFile?: string;
  json?: boolean;
  format?: string;
  color?: boolean;
  exportPem?: string;
  failOn?: string;
}

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

async function readOne(
  bytes: Buffer,
  name: string,
  index: number,
  passwords: SecretProvider,
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
    const password = await passwords.get('password', name);
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
  passwords: SecretProvider,
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
      // The one folder rule (readers/walk-folder): sub-folders, hidden entries skipped, sorted.
      const walk = walkFolder(path, given);
      let skipped = 0;
      let found = 0;
      for (const file of walk.files) {
        const name = file.shown;
        try {
          const read = await readOne(await readFileBytes(file.path, name), name, inputs.length, passwords);
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
      notes.push(...describeWalkProblems(walk));
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
  const { inputs, notes } = await readInputs(paths, io, createSecretProvider(io, opts));
  const report = buildCertReport(inputs, now);
  if (opts.exportPem) {
    const dir = resolve(io.cwd, opts.exportPem);
    const written = exportPem(dir, inputs);
    notes.push(
      `Wrote ${written.length} PEM file${written.length === 1 ? '' : 's'} to ${opts.exportPem}${written.length ? `: ${written.join(', ')}` : ''}.`,
    );
  }
  const format = outputFormat(opts);
  // With --json the Report alone goes to stdout; the notes go to stderr.
  if (format === 'json') for (const n of notes) io.stderr.write(`pse-doctor: ${stripControlChars(n)}\n`);
  await printView(
    io,
    { report, sections: certSections(inputs, report, now, format === 'json' ? [] : notes) },
    format,
    { color: useColor(io, opts.color === false) },
  );
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
    .option('--json', 'print the JSON Report (events carry the certificates; = --format json)')
    .addOption(formatOption())
    .addOption(noColorOption())
    .option('--export-pem <dir>', 'write each certificate as a PEM file into <dir>')
    .option('--fail-on <severity>', FAIL_ON_HELP, 'error')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], opts: CertOptions) => {
      await runCert(files, opts, io, setExit);
    });
};
