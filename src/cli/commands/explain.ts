/**
 * @module `pse-doctor explain`: offline answers for SAP SSL/PSE/SNC codes, messages, parameters,
 * transactions and pasted error texts, from the knowledge base. Imports only commander and src/kb
 * so that a cold `explain` stays fast.
 */
import type { Command } from 'commander';
import {
  describeEntryKind,
  KB_KINDS,
  type KbEntry,
  type KbKind,
  listEntries,
  lookupCold,
  renderEntryText,
} from '../../kb/index.js';
import { ToolError } from '../../model/errors.js';
import type { CliIo } from '../io.js';
import type { RegisterCommand } from './types.js';

/** The options of `explain` as commander hands them to the action (see plainExplainArgs in main.ts). */
export interface ExplainOptions {
  icm?: boolean;
  list?: boolean;
  kind?: string;
  json?: boolean;
}

/** Longest query accepted (a pasted trace excerpt fits; a whole trace belongs to `analyze`). */
const MAX_QUERY = 20_000;
const MAX_STDIN = 1024 * 1024;

const HELP_AFTER = `
Examples:
  pse-doctor explain WSS040                 also "WSS 040", wss040, WSS/040
  pse-doctor explain SCLNT_HTTP407          also ICM_HTTP_SSL_ERROR, "HTTP error 407", --icm 407
  pse-doctor explain -102                   also SSSLERR_PEER_CERT_UNTRUSTED, SSSLRC_…, "(- 102)"
  pse-doctor explain "peer not trusted"     free text: ranked matches, typos tolerated
  pse-doctor explain icm/HTTPS/client_sni_enabled
  pse-doctor explain STRUST
  pse-doctor explain - < error.txt          read a pasted message from standard input
  pse-doctor explain --list --kind parameter

Exit codes (explain):
  0  an entry was found (or --list)
  1  no entry matches for sure: closest matches and next steps are printed
  2  usage error`;

function kindOf(value: string | undefined): KbKind | undefined {
  if (value === undefined) return undefined;
  if ((KB_KINDS as readonly string[]).includes(value)) return value as KbKind;
  throw new ToolError('usage', { message: `--kind must be one of ${KB_KINDS.join(', ')} (got "${value}").` });
}

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_STDIN) throw new ToolError('too-large', { name: 'standard input', limit: '1 MiB' });
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function summary(e: KbEntry): { id: string; kind: KbKind; title: string } {
  return { id: e.id, kind: e.kind, title: e.title };
}

/** What to run when the answer depends on evidence the user has not given yet. */
function genericNextSteps(): string[] {
  return [
    'pse-doctor analyze dev_icm        # ICM trace at level 2 (SMICM), after reproducing the error',
    'pse-doctor analyze message.txt    # the full error text from SM59, SOAMANAGER or the application',
    'pse-doctor explain --list         # every code, message, parameter and transaction known here',
  ];
}

function printList(io: CliIo, kind: KbKind | undefined, json: boolean): void {
  const entries = listEntries(kind ? { kind } : {});
  if (json) {
    const list = entries.map((e) => ({
      ...summary(e),
      aliases: e.aliases,
      ...(e.shortText ? { shortText: e.shortText } : {}),
    }));
    io.stdout.write(`${JSON.stringify({ count: list.length, entries: list }, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  let lastKind: string | undefined;
  for (const e of entries) {
    if (e.kind !== lastKind) {
      out.push(`${lastKind ? '\n' : ''}${e.kind}\n`);
      lastKind = e.kind;
    }
    out.push(`  ${e.id.padEnd(38)} ${e.title}\n`);
  }
  out.push(`\n${entries.length} entries. Run "pse-doctor explain <id>" for one.\n`);
  io.stdout.write(out.join(''));
}

/** Register `explain` on the program. */
export const registerExplain: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('explain')
    .description('explain an SAP SSL/TLS, PSE or SNC code, message, parameter or transaction (offline)')
    .argument(
      '[query...]',
      'a code, message id, parameter, transaction or pasted error text ("-" reads stdin)',
    )
    .option('--icm', 'read a bare number such as 407 as an ICM_HTTP_* code (= SCLNT_HTTP message number)')
    .option('--list', 'list the entries of the knowledge base (with --kind: of one kind)')
    .option('--kind <kind>', `only entries of one kind: ${KB_KINDS.join(', ')}`)
    .option('--json', 'print JSON instead of text')
    // Negative code numbers (-102) must reach the query, not the option parser.
    .allowUnknownOption()
    .addHelpText('after', HELP_AFTER)
    .action((words: string[], opts: ExplainOptions) => runExplain(words, opts, io, setExit));
};

/** What `explain` does with the words of its query and its options (commander's action, and main.ts). */
export async function runExplain(
  words: string[],
  opts: ExplainOptions,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const kind = kindOf(opts.kind);
  const bad = words.find((w) => /^--?[A-Za-z]/.test(w));
  if (bad)
    throw new ToolError('usage', {
      message: `Unknown option ${bad} for explain (see pse-doctor explain --help).`,
    });
  if (opts.list) {
    if (words.length > 0) throw new ToolError('usage', { message: '--list takes no query.' });
    printList(io, kind, Boolean(opts.json));
    setExit(0);
    return;
  }
  let query = words.join(' ').trim();
  if (query === '-') query = (await readStdin(io)).trim();
  if (query === '') {
    throw new ToolError('usage', {
      message:
        'Give a code, message id, parameter or error text to explain, or --list. Example: pse-doctor explain WSS040',
    });
  }
  if (query.length > MAX_QUERY) {
    throw new ToolError('usage', {
      message: `The query is longer than ${MAX_QUERY} characters. For whole traces use: pse-doctor analyze <file>`,
    });
  }
  // One lookup per process: an exact name is read without loading the whole knowledge base.
  const result = lookupCold(query, { icm: Boolean(opts.icm), ...(kind ? { kind } : {}), limit: 8 });
  const best = result.confident ? result.matches[0]?.entry : undefined;
  const others = result.matches.filter((m) => m.entry !== best);
  const next = best ? best.next : genericNextSteps();

  if (opts.json) {
    const payload = {
      query,
      found: best !== undefined,
      exact: result.exact?.id ?? null,
      entry: best ?? null,
      matches: result.matches.map((m) => ({ ...summary(m.entry), score: m.score, reason: m.reason })),
      ...(result.hint ? { hint: result.hint } : {}),
      next,
    };
    io.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
    setExit(best ? 0 : 1);
    return;
  }

  // One write per run: fewer partial outputs when a pager or `head` closes the pipe early.
  const out: string[] = [];
  const color = io.isTTY && !io.env.NO_COLOR;
  const columns = Number(io.env.COLUMNS);
  const width = Number.isFinite(columns) && columns >= 40 ? Math.min(columns, 120) : 80;
  const display = query.length > 70 ? `${query.slice(0, 67).replace(/\s+/g, ' ')}…` : query;
  if (best) {
    if (!result.exact) out.push(`Best match for "${display}":\n\n`);
    out.push(renderEntryText(best, { color, width }));
    const also = others.slice(0, result.exact ? 0 : 5);
    if (also.length) {
      out.push('\nAlso relevant:\n');
      for (const m of also) out.push(`  ${m.entry.id.padEnd(34)} ${m.entry.title}\n`);
    }
    io.stdout.write(out.join(''));
    setExit(0);
    return;
  }
  out.push(`No entry is named "${display}".\n`);
  if (result.hint) out.push(`${result.hint}\n`);
  if (others.length) {
    out.push('\nClosest matches:\n');
    for (const m of others)
      out.push(`  ${m.entry.id.padEnd(34)} ${m.entry.title}  [${describeEntryKind(m.entry)}]\n`);
    out.push(`\nShow one with: pse-doctor explain ${others[0]!.entry.id}\n`);
  }
  out.push('\nIf you have the trace or the full message, let pse-doctor read it:\n');
  for (const step of next) out.push(`  $ ${step}\n`);
  io.stdout.write(out.join(''));
  setExit(1);
}
