/**
 * @module `pse-doctor mcp`: serve pse-doctor's tools, knowledge base and prompts to an AI client over the
 * Model Context Protocol on stdio. The SDK is imported only when this command runs.
 */
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { ToolError } from '../../model/errors.js';
import type { CliIo } from '../io.js';
import { readSecretFile } from '../secret-provider.js';
import type { RegisterCommand } from './types.js';

interface McpOptions {
  allow?: string[];
  enableProbe?: boolean;
  pinFile?: string;
  passwordFile?: string;
  maxInput: string;
}

/** Most pasted text in one call (as the largest part `serve` holds in memory). */
const MAX_TEXT_BYTES = 4 * 1024 * 1024;

const HELP_AFTER = `
Speaks MCP (JSON-RPC) on standard input/output; an AI client (Claude Desktop, VS Code, an IDE agent)
starts it. Tools: analyze, explain, verify, pse, cert (and probe with --enable-probe). Resources:
every knowledge-base entry as kb://<id>, and pse-doctor://rules. Prompts: diagnose-error,
plan-root-ca-rotation.

Safety:
  Files are readable only inside the --allow folders (real paths: no way out through "..", symbolic
  links or hard links). Without --allow, tools take pasted text only.
  No network unless --enable-probe. PINs and passwords come only from PSE_DOCTOR_PIN / --pin-file and
  PSE_DOCTOR_PASSWORD / --password-file, never from the client; they, and private keys, never appear in
  an answer or a log. Diagnostics go to standard error; standard output is the protocol only.

Examples:
  pse-doctor mcp --allow /usr/sap/ABC/D00/work --allow /usr/sap/ABC/D00/sec
  PSE_DOCTOR_PIN=... pse-doctor mcp --allow ./evidence
  pse-doctor mcp --allow ./evidence --pin-file ~/.pse-pin --enable-probe --max-input 500MB

Register it in a client (e.g. claude_desktop_config.json or .vscode/mcp.json):
  { "mcpServers": { "pse-doctor": { "command": "npx",
      "args": ["pse-doctor", "mcp", "--allow", "/home/me/sap-evidence"] } } }

Exit codes (mcp): 0 the client closed the connection; 2 usage error (bad option, missing folder or PIN file).`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function runMcp(opts: McpOptions, io: CliIo): Promise<void> {
  const [{ parseByteSize, formatBytes }, { AllowedFolders }] = await Promise.all([
    import('../../server/request-body.js'),
    import('../../mcp/allowed-folders.js'),
  ]);
  const maxInputBytes = parseByteSize(opts.maxInput);
  if (maxInputBytes === undefined)
    throw new ToolError('usage', {
      message: `--max-input must be a size like 200MB or 1G (got "${opts.maxInput}").`,
    });
  const folders = AllowedFolders.resolve(opts.allow ?? [], io.cwd);
  const env = (name: string) =>
    io.env[name] !== undefined && io.env[name] !== '' ? io.env[name] : undefined;
  const pin = opts.pinFile ? readSecretFile(opts.pinFile, io) : env('PSE_DOCTOR_PIN');
  const password = opts.passwordFile ? readSecretFile(opts.passwordFile, io) : env('PSE_DOCTOR_PASSWORD');
  const limits = { maxInputBytes, maxTextBytes: Math.min(MAX_TEXT_BYTES, maxInputBytes) };
  const log = (line: string) => io.stderr.write(`pse-doctor mcp: ${line}\n`);
  for (const root of folders.roots)
    if (dirname(root) === root)
      log(
        `WARNING: --allow ${root} lets the client read every file this user can read; name the evidence folders instead.`,
      );
  log(
    `serving over stdio; ${folders.roots.length ? `may read ${folders.roots.join(', ')}` : 'no --allow folder: pasted text only'}; ` +
      `PIN ${pin !== undefined ? 'set' : 'not set'}; probe ${opts.enableProbe ? 'ON (network)' : 'off'}; ` +
      `inputs up to ${formatBytes(maxInputBytes)}`,
  );
  const { serveStdio } = await import('../../mcp/server.js');
  await serveStdio({
    folders,
    secrets: { ...(pin !== undefined ? { pin } : {}), ...(password !== undefined ? { password } : {}) },
    limits,
    enableProbe: Boolean(opts.enableProbe),
    log,
    ...(io.now ? { now: io.now } : {}),
  });
  log('client closed the connection');
}

/** Registers `mcp`. */
export const registerMcp: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('mcp')
    .description(
      'Serve the diagnosis tools, knowledge base and prompts to an AI client over the Model Context Protocol (stdio)',
    )
    .option('-a, --allow <folder>', 'a folder whose files the tools may read (repeatable)', collect)
    .option('--enable-probe', 'offer the probe tool (live TLS handshakes: network access)')
    .option('--pin-file <file>', 'file holding the PIN of PIN-protected PSEs (or set PSE_DOCTOR_PIN)')
    .option('--password-file <file>', 'file holding the password of PKCS#12 inputs (or PSE_DOCTOR_PASSWORD)')
    .option('--max-input <size>', 'most bytes of files one tool call may read, e.g. 200MB, 1G', '200MB')
    .addHelpText('after', HELP_AFTER)
    .action(async (opts: McpOptions) => {
      await runMcp(opts, io);
      setExit(0);
    });
};
