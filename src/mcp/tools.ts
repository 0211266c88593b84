/**
 * @module The MCP tools: analyze, explain, verify, pse, cert and (with --enable-probe) probe. Each checks its
 * arguments and paths, runs the same library or command code as the CLI, and answers with the Report as
 * structured content, a short grounded text, and the grounding in `_meta`.
 */
import { analyze } from '../analyze.js';
import { describeEntryKind, lookup, renderEntryText } from '../kb/index.js';
import type { KbEntry } from '../kb/types.js';
import { ToolError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import type { SecretProvider } from '../readers/types.js';
import { formatBytes } from '../server/request-body.js';
import type { AllowedFolders, AllowedPath } from './allowed-folders.js';
import { GENERIC_COLLECT, groundReport, kbUri } from './grounding.js';
import { renderGroundedText } from './render-text.js';
import { runCommandJson, type ServerSecrets } from './run-command.js';
import {
  analyzeInput,
  certInput,
  explainInput,
  inputJsonSchema,
  parseArgs,
  probeInput,
  pseInput,
  verifyInput,
} from './tool-inputs.js';

/** Limits of one tool call, as `serve` limits one upload. */
export interface ToolLimits {
  /** Bytes of files (and folder contents) one call may read; `serve --max-upload` default: 200 MB. */
  maxInputBytes: number;
  /** Bytes of pasted text one call may carry. */
  maxTextBytes: number;
}

/** What every tool handler gets from the server. */
export interface ToolContext {
  folders: AllowedFolders;
  secrets: ServerSecrets;
  limits: ToolLimits;
  /** Directory the in-process commands run in (only absolute real paths are passed to them). */
  cwd: string;
  now?: () => Date;
}

/** A tool answer before the key-material guard: text, structured content, grounding. */
export interface ToolAnswer {
  text: string;
  structured: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  /** `report` = docs/report.schema.json; otherwise the tool's own JSON Schema. */
  output: 'report' | Record<string, unknown>;
  run(args: unknown, ctx: ToolContext): Promise<ToolAnswer>;
}

/** Check every path of a call against the allowed folders and the size limit; returns them resolved. */
function checkPaths(ctx: ToolContext, given: readonly string[], pasted = 0): AllowedPath[] {
  const checked = given.map((p) => ctx.folders.check(p));
  const total = checked.reduce((sum, p) => sum + p.bytes, pasted);
  if (total > ctx.limits.maxInputBytes) {
    const what =
      checked.length === 1 && pasted === 0 ? (checked[0]?.given ?? 'the input') : 'the inputs of this call';
    throw new ToolError('too-large', { name: what, limit: formatBytes(ctx.limits.maxInputBytes) });
  }
  return checked;
}

function checkText(ctx: ToolContext, text: string, name: string): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > ctx.limits.maxTextBytes)
    throw new ToolError('too-large', { name, limit: formatBytes(ctx.limits.maxTextBytes) });
  return bytes;
}

/** The server's PIN/password as the library's secret provider (never from a tool argument). */
function secretProvider(secrets: ServerSecrets): SecretProvider {
  return { get: async (kind) => (kind === 'pin' ? secrets.pin : secrets.password) };
}

function reportAnswer(report: Report, heading: string, diagnosis: boolean): ToolAnswer {
  const grounding = groundReport(report, diagnosis);
  return {
    text: renderGroundedText(report, grounding, heading),
    structured: report as unknown as Record<string, unknown>,
    meta: { 'pse-doctor/grounding': grounding },
  };
}

const analyzeTool: ToolDefinition = {
  name: 'analyze',
  title: 'Diagnose SAP SSL/TLS, PSE and SNC failures',
  description:
    'Read the evidence — pasted error messages or trace excerpts, or files under the allowed folders (ICM traces dev_icm/dev_w*, PSE files, sapgenpse listings, certificates, saved evidence) — and diagnose it: what failed, in which PSE (STRUST node), which certificate to import or parameter to change, with steps. Every finding carries the input and line numbers it rests on, its rule and citation, and kb:// entries; thin evidence gives ranked hypotheses and says what to collect next.',
  inputSchema: inputJsonSchema(analyzeInput),
  output: 'report',
  async run(args, ctx) {
    const input = parseArgs(analyzeInput, args);
    const name = input.name ?? 'pasted text';
    const pasted = input.text !== undefined ? checkText(ctx, input.text, name) : 0;
    const checked = checkPaths(ctx, input.paths ?? [], pasted);
    const specs = [
      ...(input.text !== undefined ? [{ name, bytes: Buffer.from(input.text, 'utf8') }] : []),
      ...checked.map((p) => p.real),
    ];
    const now = ctx.now?.() ?? new Date();
    const report = await analyze(specs, { secrets: secretProvider(ctx.secrets), now, cwd: ctx.cwd });
    return reportAnswer(report, 'pse-doctor analyze', true);
  },
};

function entrySummary(e: KbEntry) {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    uri: kbUri(e.id),
    file: e.file,
    ...(e.shortText ? { shortText: e.shortText } : {}),
    notes: e.notes,
    causes: e.causes,
    uncertain: e.uncertain,
  };
}

const ENTRY_SCHEMA = {
  type: 'object',
  required: ['id', 'kind', 'title', 'uri', 'file', 'notes', 'causes', 'uncertain'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    title: { type: 'string' },
    uri: { type: 'string', description: 'Read it as a resource for the whole entry.' },
    file: { type: 'string', description: 'Source file of the entry in the pse-doctor package.' },
    shortText: { type: 'string', description: "SAP's short text, verbatim." },
    notes: { type: 'array', items: { type: 'string' }, description: 'SAP Note / KBA numbers.' },
    causes: { type: 'array', items: { type: 'string' } },
    uncertain: {
      type: 'array',
      items: { type: 'string' },
      description: 'What about this entry no SAP source confirms.',
    },
  },
};

const EXPLAIN_OUTPUT = {
  type: 'object',
  required: ['query', 'found', 'exact', 'entry', 'matches', 'next'],
  properties: {
    query: { type: 'string' },
    found: { type: 'boolean', description: 'True when one entry answers the query for sure.' },
    exact: { type: ['string', 'null'], description: 'The entry id the query names exactly, if any.' },
    entry: { oneOf: [ENTRY_SCHEMA, { type: 'null' }] },
    matches: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'title', 'uri', 'score', 'reason'],
        properties: {
          id: { type: 'string' },
          kind: { type: 'string' },
          title: { type: 'string' },
          uri: { type: 'string' },
          score: { type: 'number' },
          reason: { enum: ['exact', 'mentioned', 'similar', 'text'] },
        },
      },
    },
    hint: { type: 'string' },
    next: { type: 'array', items: { type: 'string' }, description: 'Commands to run next.' },
  },
};

const explainTool: ToolDefinition = {
  name: 'explain',
  title: 'Explain an SAP SSL/PSE/SNC code, message, parameter or question',
  description:
    'Offline answers from the pse-doctor knowledge base (about 290 entries): SSSLERR/SSSLRC codes, ICM_HTTP codes, SAP messages (WSS040, TRUST086, SCLNT_HTTP…), TLS alerts, profile parameters, transactions, PSE files. Takes a code in any written form, pasted message text or a question; typos are tolerated. Cite the kb:// resource of the entry.',
  inputSchema: inputJsonSchema(explainInput),
  output: EXPLAIN_OUTPUT,
  async run(args) {
    const input = parseArgs(explainInput, args);
    const query = input.query.trim();
    const result = lookup(query, {
      icm: Boolean(input.icm),
      ...(input.kind ? { kind: input.kind } : {}),
      limit: 8,
    });
    const best = result.confident ? result.matches[0]?.entry : undefined;
    const next = best ? best.next : GENERIC_COLLECT;
    const structured = {
      query,
      found: best !== undefined,
      exact: result.exact?.id ?? null,
      entry: best ? entrySummary(best) : null,
      matches: result.matches.map((m) => ({
        id: m.entry.id,
        kind: m.entry.kind,
        title: m.entry.title,
        uri: kbUri(m.entry.id),
        score: m.score,
        reason: m.reason,
      })),
      ...(result.hint ? { hint: result.hint } : {}),
      next,
    };
    const text: string[] = [];
    if (best) {
      text.push(renderEntryText(best, { color: false, width: 100 }).trimEnd());
      text.push(
        '',
        `Source: ${kbUri(best.id)} (${best.file})${best.notes.length ? `; SAP Note ${best.notes.join(', ')}` : ''}`,
      );
    } else {
      text.push(`No entry answers "${query.slice(0, 80)}" for sure.`);
      if (result.hint) text.push(result.hint);
      if (result.matches.length) {
        text.push('Closest entries (read them as resources before relying on them):');
        for (const m of result.matches)
          text.push(`- ${kbUri(m.entry.id)} ${m.entry.title} [${describeEntryKind(m.entry)}]`);
      }
      text.push('To diagnose instead of guess, collect:', ...next.map((n) => `- ${n}`));
    }
    return { text: text.join('\n'), structured };
  },
};

const verifyTool: ToolDefinition = {
  name: 'verify',
  title: "Would SAP's ICM trust this chain?",
  description:
    "Judge a certificate chain against a trust list (a PSE, a sapgenpse listing or PEM files) as SAP's ICM does — it trusts exactly the PSE's list, fetches no intermediates, uses no OS store — beside a browser and Java, with the host name check. Says which certificate to import into which PSE.",
  inputSchema: inputJsonSchema(verifyInput),
  output: 'report',
  async run(args, ctx) {
    const input = parseArgs(verifyInput, args);
    const [chain, ...rest] = checkPaths(ctx, [
      input.chain,
      ...(input.trust ?? []),
      ...(input.javaStore ? [input.javaStore] : []),
    ]);
    const trust = rest.slice(0, input.trust?.length ?? 0);
    const javaStore = input.javaStore ? rest[rest.length - 1] : undefined;
    const argv = [
      'verify',
      (chain as AllowedPath).real,
      ...trust.flatMap((t) => ['--trust', t.real]),
      ...(input.host ? [`--host=${input.host}`] : []),
      ...(input.profiles ? [`--profile=${input.profiles.join(',')}`] : []),
      ...(javaStore ? [`--java-store=${javaStore.real}`] : []),
      ...(input.at ? [`--at=${input.at}`] : []),
    ];
    const report = await runCommandJson(argv, ctx.secrets, ctx.cwd);
    return reportAnswer(report, 'pse-doctor verify', false);
  },
};

const pseTool: ToolDefinition = {
  name: 'pse',
  title: 'Read SAP PSE files offline',
  description:
    'Read PSE files or a whole sec folder offline (version 2 and 4, plain or PIN-protected): STRUST node, own certificate and expiry, trusted certificates, hygiene findings. The PIN comes only from the server (PSE_DOCTOR_PIN or --pin-file at start), never from the client; private keys are never read out.',
  inputSchema: inputJsonSchema(pseInput),
  output: 'report',
  async run(args, ctx) {
    const input = parseArgs(pseInput, args);
    const checked = checkPaths(ctx, input.paths);
    const argv = [
      'pse',
      ...checked.map((p) => p.real),
      ...(input.warnDays ? [`--warn-days=${input.warnDays}`] : []),
    ];
    const report = await runCommandJson(argv, ctx.secrets, ctx.cwd);
    return reportAnswer(report, 'pse-doctor pse', false);
  },
};

const certTool: ToolDefinition = {
  name: 'cert',
  title: 'Inspect certificate files',
  description:
    'Read certificates from PEM, DER, PKCS#7, PKCS#12, STRUST exports, sapgenpse listings or folders (under the allowed folders), or pasted PEM: subject, issuer, validity, key, SHA-256, chain order, with findings for expired or weak certificates. Private keys are never read.',
  inputSchema: inputJsonSchema(certInput),
  output: 'report',
  async run(args, ctx) {
    const input = parseArgs(certInput, args);
    const pasted = input.pem !== undefined ? checkText(ctx, input.pem, 'the pasted certificates') : 0;
    const checked = checkPaths(ctx, input.paths ?? [], pasted);
    const argv = ['cert', ...(input.pem !== undefined ? ['-'] : []), ...checked.map((p) => p.real)];
    const report = await runCommandJson(argv, ctx.secrets, ctx.cwd, input.pem);
    return reportAnswer(report, 'pse-doctor cert', false);
  },
};

const probeTool: ToolDefinition = {
  name: 'probe',
  title: 'Handshake with a live TLS endpoint',
  description:
    'Connect to a live endpoint (network: enabled because the server was started with --enable-probe) and say what the ICM would see: the chain exactly as sent, TLS versions, SNI dependence, client-certificate request, judged against a trust list from the allowed folders, with the SSSLERR/ICM code the ICM would report.',
  inputSchema: inputJsonSchema(probeInput),
  output: 'report',
  async run(args, ctx) {
    const input = parseArgs(probeInput, args);
    const trust = checkPaths(ctx, input.trust ?? []);
    const argv = [
      'probe',
      input.target,
      ...trust.flatMap((t) => ['--trust', t.real]),
      ...(input.sni === false ? ['--no-sni'] : []),
      ...(input.scan === false ? ['--no-scan'] : []),
      ...(input.resolve ? [`--resolve=${input.resolve}`] : []),
      ...(input.timeoutMs ? [`--timeout=${input.timeoutMs}`] : []),
    ];
    const report = await runCommandJson(argv, ctx.secrets, ctx.cwd);
    return reportAnswer(report, 'pse-doctor probe', false);
  },
};

/** The tools a server offers: probe only when the network was enabled at start. */
export function toolDefinitions(enableProbe: boolean): ToolDefinition[] {
  return [analyzeTool, explainTool, verifyTool, pseTool, certTool, ...(enableProbe ? [probeTool] : [])];
}
