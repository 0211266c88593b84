/**
 * @module The pse-doctor MCP server on the official SDK: tools, resources and prompts over stdio. Stdout
 * carries only the protocol; diagnostics go to stderr. Every tool failure is an MCP tool error (isError)
 * with a clear sentence; nothing a tool does can end the server.
 */
import { readFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { isToolError, type ToolError } from '../model/errors.js';
import { TOOL_VERSION } from '../version.js';
import type { AllowedFolders } from './allowed-folders.js';
import { findKeyMaterial } from './key-material.js';
import { PROMPTS, renderPrompt } from './prompts.js';
import { listResources, PACKAGE_ROOT, readResource } from './resources.js';
import type { ServerSecrets } from './run-command.js';
import { type ToolContext, type ToolLimits, toolDefinitions } from './tools.js';

/** Counts tool calls in progress, so the server can finish them before it closes. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await fn();
    } finally {
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves when no call is in progress, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export interface McpServerOptions {
  folders: AllowedFolders;
  secrets: ServerSecrets;
  limits: ToolLimits;
  enableProbe: boolean;
  /** Where diagnostics go (stderr). Never stdout: that is the protocol channel. */
  log: (line: string) => void;
  now?: () => Date;
  /** Tracks calls in progress (serveStdio finishes them before closing). */
  inFlight?: InFlight;
}

const INSTRUCTIONS = `pse-doctor diagnoses SAP SSL/TLS, PSE and SNC errors from the user's own evidence, locally.
Use "analyze" for error messages and traces, "explain" for a code or question, "pse" for PSE files, "cert" for certificates, "verify" for "would the ICM trust this chain with this PSE?", and "probe" (only when enabled) for a live endpoint.
Every finding names the evidence lines it rests on, its rule with citation and kb:// entries (read them as resources). Quote those; keep the stated confidence; when the evidence is thin, say so and ask for what the result says to collect next. Files are readable only inside the folders the user allowed at start; PINs and passwords are never tool arguments.`;

/** The Report JSON Schema shipped in docs/, used as the outputSchema of the Report tools. */
function loadReportSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(`${PACKAGE_ROOT}docs/report.schema.json`, 'utf8')) as Record<
    string,
    unknown
  >;
}

/** A ToolError's sentence, with the CLI's ways of giving a PIN or password replaced by this server's. */
function mcpMessage(err: ToolError): string {
  const name = String(err.data.name ?? 'The file');
  if (err.code === 'pin-required')
    return `${name} is PIN-protected. Start pse-doctor mcp with the PSE_DOCTOR_PIN environment variable or --pin-file <file>; a PIN is never a tool argument.`;
  if (err.code === 'password-required')
    return `${name} is password-protected. Start pse-doctor mcp with PSE_DOCTOR_PASSWORD or --password-file <file>; a password is never a tool argument.`;
  if (err.code === 'wrong-pin')
    return `${err.message} This server uses the PIN it was started with (PSE_DOCTOR_PIN or --pin-file); restart it with the right one.`;
  if (err.code === 'wrong-password')
    return `${err.message} This server uses the password it was started with (PSE_DOCTOR_PASSWORD or --password-file).`;
  return err.message;
}

function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Build the server with its handlers (not yet connected). */
export function createMcpServer(options: McpServerOptions): Server {
  const reportSchema = loadReportSchema();
  const tools = toolDefinitions(options.enableProbe);
  const ctx: ToolContext = {
    folders: options.folders,
    secrets: options.secrets,
    limits: options.limits,
    cwd: options.folders.roots[0] ?? process.cwd(),
    ...(options.now ? { now: options.now } : {}),
  };
  const secretValues = [options.secrets.pin, options.secrets.password];
  const server = new Server(
    { name: 'pse-doctor', title: 'pse-doctor — SAP SSL/TLS diagnosis', version: TOOL_VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema,
      outputSchema: (t.output === 'report' ? reportSchema : t.output) as { type: 'object' },
      annotations: {
        title: t.title,
        readOnlyHint: true,
        openWorldHint: t.name === 'probe',
      },
    })),
  }));

  const inFlight = options.inFlight ?? new InFlight();
  server.setRequestHandler(CallToolRequestSchema, (request) => inFlight.run(() => callTool(request.params)));

  async function callTool(params: {
    name: string;
    arguments?: Record<string, unknown>;
  }): Promise<CallToolResult> {
    const { name, arguments: args } = params;
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      const hint =
        name === 'probe' ? ' It is available only when the server is started with --enable-probe.' : '';
      return toolError(`No tool "${name}".${hint} Tools: ${tools.map((t) => t.name).join(', ')}.`);
    }
    const started = Date.now();
    try {
      const answer = await tool.run(args, ctx);
      const result: CallToolResult = {
        content: [{ type: 'text', text: answer.text }],
        structuredContent: answer.structured,
        ...(answer.meta ? { _meta: answer.meta } : {}),
      };
      const found = findKeyMaterial(JSON.stringify(result), secretValues);
      if (found) {
        options.log(`${name}: answer withheld (it contained ${found})`);
        return toolError(
          `The answer was withheld: it contained ${found}. pse-doctor never sends key material or secrets; please report this.`,
        );
      }
      options.log(`${name}: ok (${Date.now() - started} ms)`);
      return result;
    } catch (err) {
      if (isToolError(err)) {
        options.log(`${name}: input error (${err.code})`);
        return toolError(mcpMessage(err));
      }
      const message = err instanceof Error ? err.message : String(err);
      options.log(`${name}: internal error: ${message}`);
      return toolError(`pse-doctor ${name} failed with an internal error: ${message}. Please report it.`);
    }
  }

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: listResources() }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      {
        uriTemplate: 'kb://{id}',
        name: 'kb-entry',
        title: 'Knowledge-base entry',
        description:
          'Any code, message, parameter, transaction or PSE by id or alias (kb://WSS040, kb://-102).',
        mimeType: 'text/markdown',
      },
    ],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    try {
      return { contents: [readResource(request.params.uri)] };
    } catch (err) {
      if (isToolError(err)) throw new McpError(ErrorCode.InvalidParams, err.message);
      throw err;
    }
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: PROMPTS.map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      arguments: p.arguments,
    })),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    try {
      const prompt = PROMPTS.find((p) => p.name === request.params.name);
      const text = renderPrompt(request.params.name, request.params.arguments ?? {});
      return {
        ...(prompt ? { description: prompt.description } : {}),
        messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
      };
    } catch (err) {
      if (isToolError(err)) throw new McpError(ErrorCode.InvalidParams, err.message);
      throw err;
    }
  });
  return server;
}

/** How long calls still running when standard input ends may take to finish and answer. */
const DRAIN_MS = 60_000;

/**
 * Serve over stdio until the client closes standard input; calls still running then finish and answer
 * first. Console output is sent to stderr, so no stray log line can corrupt the protocol on stdout.
 */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  for (const method of ['log', 'info', 'debug', 'warn'] as const) {
    console[method] = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  }
  const inFlight = new InFlight();
  const server = createMcpServer({ ...options, inFlight });
  const transport = new StdioServerTransport(process.stdin, process.stdout, {
    maxBufferSize: Math.max(64 * 1024 * 1024, options.limits.maxTextBytes * 8),
  });
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  server.onerror = (err) => options.log(`protocol error: ${err.message}`);
  await server.connect(transport);
  await closed;
  await new Promise((resolve) => setImmediate(resolve)); // requests already read have started
  await inFlight.idle(DRAIN_MS);
  // The SDK sends a result a few promise steps after its handler returns; closing earlier drops it.
  await new Promise((resolve) => setImmediate(resolve));
  await server.close().catch(() => {});
}
