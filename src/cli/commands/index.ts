/**
 * @module The explicit registry of CLI commands, in the order `--help` lists them.
 *
 * Every command is registered lazily: its module is imported only when the command runs, so a quick
 * `pse-doctor explain WSS040` does not load probe, serve or analyze. To add a command, append one
 * `lazyCommand({...})` entry whose `description` and `args` equal the real command's (a test checks
 * that, and that no command module is imported statically here).
 */
import { lazyCommand } from './lazy-command.js';
import type { RegisterCommand } from './types.js';

export const COMMANDS: RegisterCommand[] = [
  lazyCommand({
    name: 'analyze',
    args: '<inputs...>',
    description: 'diagnose SSL/TLS, PSE and SNC failures from traces, messages, PSE and certificate files',
    load: async () => (await import('./analyze.js')).registerAnalyze,
  }),
  lazyCommand({
    name: 'explain',
    args: '[query...]',
    description: 'explain an SAP SSL/TLS, PSE or SNC code, message, parameter or transaction (offline)',
    load: async () => (await import('./explain.js')).registerExplain,
  }),
  lazyCommand({
    name: 'serve',
    description:
      'Run the local web app: drop traces or paste errors, see the diagnosis, keep a shared history.',
    load: async () => (await import('./serve.js')).registerServe,
  }),
  lazyCommand({
    name: 'verify',
    args: '<chain>',
    description:
      "Would SAP's ICM, holding exactly this certificate list, trust the chain? (side by side with browser and Java)",
    load: async () => (await import('./verify.js')).registerVerify,
  }),
  lazyCommand({
    name: 'probe',
    args: '<target>',
    description:
      'Handshake with a live endpoint and say what the ICM would see: chain as sent, versions, SNI, client certificate, what to change',
    load: async () => (await import('./probe.js')).registerProbe,
  }),
  lazyCommand({
    name: 'cert',
    args: '<files...>',
    description:
      'Inspect certificate files (PEM, DER, PKCS#7, PKCS#12, STRUST export, sapgenpse listing, folders)',
    load: async () => (await import('./cert.js')).registerCert,
  }),
  lazyCommand({
    name: 'pse',
    args: '<paths...>',
    description:
      'Read SAP PSE files offline: STRUST node, own certificate, trusted certificates; a sec folder at once',
    load: async () => (await import('./pse.js')).registerPse,
  }),
  lazyCommand({
    name: 'landscape',
    args: '<collected>',
    description:
      'Every PSE of every system at once: inventory, what expires or breaks next and when, baseline gaps, drift between instances',
    load: async () => (await import('./landscape.js')).registerLandscape,
  }),
  lazyCommand({
    name: 'mcp',
    description:
      'Serve the diagnosis tools, knowledge base and prompts to an AI client over the Model Context Protocol (stdio)',
    load: async () => (await import('./mcp.js')).registerMcp,
  }),
];
