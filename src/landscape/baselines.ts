/**
 * @module `--baseline`: lists of roots a landscape must trust (SAP's BTP trust store as PSE or PEM, a
 * partner's roots in a folder), read into trust lists marked as baselines (never judged as PSEs in use).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CertificateInfo } from '../model/certificate.js';
import { isToolError, ToolError } from '../model/errors.js';
import type { InputSummary, TrustListEvent } from '../model/evidence.js';
import { dedupeCertificates } from '../pki/chain.js';
import { looksLikePseContainer } from '../readers/pse/pse-container.js';
import { readPseEvidence } from '../readers/pse/reader.js';
import type { SecretProvider } from '../readers/types.js';
import { describeWalkProblems, walkFolder } from '../readers/walk-folder.js';
import { readCertificatesSync } from '../readers/x509/read-certificates.js';

const CERT_FILE = /\.(?:pem|crt|cer|der|p7b|p7c|pse)$/i;

async function certificatesOfFile(
  path: string,
  shown: string,
  secrets: SecretProvider,
): Promise<CertificateInfo[]> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ToolError('file-not-found', { path: shown });
    throw new ToolError('not-readable', { path: shown, reason: code ?? 'error' });
  }
  if (/\.pse$/i.test(shown) || looksLikePseContainer(bytes.subarray(0, 64))) {
    const result = await readPseEvidence(bytes, shown, { input: 0, line: 1 }, secrets, shown);
    if (result.error) throw result.error;
    const list = result.events.find((e) => e.kind === 'trust-list');
    return list?.kind === 'trust-list' ? list.list.certificates : [];
  }
  return readCertificatesSync(bytes, shown).certificates;
}

/**
 * `--baseline-scope client,server,all,<PSE file>` → tokens (`client`, `server`, `all`, upper-case file
 * names ending in `.PSE`). Throws a usage ToolError naming a bad token.
 */
export function parseBaselineScope(value: string): string[] {
  const tokens: string[] = [];
  for (const raw of value.split(',')) {
    const t = raw.trim();
    if (!t) continue;
    const word = t.toLowerCase();
    if (word === 'client' || word === 'server' || word === 'all') tokens.push(word);
    else if (/^[A-Za-z0-9_.-]{1,128}$/.test(t))
      tokens.push((/\.pse$/i.test(t) ? t : `${t}.pse`).toUpperCase());
    else
      throw new ToolError('usage', {
        message: `--baseline-scope takes client, server, all or PSE file names, separated by commas; got "${t.slice(0, 40)}".`,
      });
  }
  if (tokens.length === 0)
    throw new ToolError('usage', {
      message: '--baseline-scope needs at least one of client, server, all or a PSE file name.',
    });
  return [...new Set(tokens)];
}

/** Read one `--baseline` argument (file or folder) into a baseline trust list. */
export async function readBaseline(
  arg: string,
  cwd: string,
  input: number,
  secrets: SecretProvider,
  scope?: readonly string[],
): Promise<{ event: TrustListEvent; summary: InputSummary }> {
  const abs = resolve(cwd, arg);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(abs);
  } catch {
    throw new ToolError('file-not-found', { path: arg });
  }
  const certs: CertificateInfo[] = [];
  const warnings: string[] = [];
  if (st.isDirectory()) {
    // The one folder rule (readers/walk-folder); a baseline takes certificate and PSE files.
    const walk = walkFolder(abs, arg, { accept: (name) => CERT_FILE.test(name) });
    for (const file of walk.files) {
      try {
        certs.push(...(await certificatesOfFile(file.path, file.shown, secrets)));
      } catch (err) {
        if (!isToolError(err)) throw err;
        warnings.push(`Skipped ${file.relative}: ${err.message}`);
      }
    }
    warnings.push(...describeWalkProblems(walk));
  } else certs.push(...(await certificatesOfFile(abs, arg, secrets)));
  const certificates = dedupeCertificates(certs);
  if (certificates.length === 0) {
    throw new ToolError('usage', { message: `The baseline ${arg} holds no certificates.` });
  }
  return {
    event: {
      kind: 'trust-list',
      source: { input, line: 1 },
      list: {
        storeKind: 'file-list',
        file: arg,
        baseline: arg,
        certificates,
        ...(scope?.length ? { baselineScope: [...scope] } : {}),
      },
    },
    summary: {
      name: arg,
      format: 'baseline',
      bytes: st.isDirectory() ? 0 : st.size,
      lines: 0,
      unrecognizedLines: 0,
      warnings,
    },
  };
}
