/**
 * @module The MCP prompts: "diagnose this error" and "plan a root CA rotation". Each tells the assistant
 * which pse-doctor tools to call and to answer only from what they return, quoting lines and kb entries.
 */
import { ToolError } from '../model/errors.js';

export interface PromptArgument {
  name: string;
  description: string;
  required: boolean;
}

export interface PromptDefinition {
  name: string;
  title: string;
  description: string;
  arguments: PromptArgument[];
  render(args: Record<string, string | undefined>): string;
}

/** Longest prompt argument accepted (a pasted message fits; whole traces go to `analyze` as files). */
const MAX_ARGUMENT = 100_000;

const GROUNDING_RULES = `Rules for your answer:
- State only what the pse-doctor results say. For every cause you name, quote the evidence line it rests on (input name and line number from the finding), the rule id, and the kb:// entry it cites; read that resource before explaining it in your own words.
- Keep the confidence pse-doctor gives (certain / likely / possible). When no finding is certain, say the evidence is thin, list the ranked hypotheses, and ask for exactly what the result says to collect next.
- Never ask for, repeat or store a PIN, password or private key. PINs reach pse-doctor only from its own start-up configuration.
- SAP's ICM trusts exactly the certificate list of the PSE used for the call (STRUST node): not the operating system store, not a Java keystore, and it does not fetch missing intermediates.`;

const diagnose: PromptDefinition = {
  name: 'diagnose-error',
  title: 'Diagnose this error',
  description:
    'Diagnose an SAP SSL/TLS, PSE or SNC error (SM59, SOAMANAGER, abapGit, ICM trace excerpt) with pse-doctor and answer from its findings only.',
  arguments: [
    { name: 'error', description: 'The error text or trace excerpt, as shown', required: true },
    {
      name: 'files',
      description:
        'Optional: paths of traces, PSEs or certificates under the allowed folders, comma-separated',
      required: false,
    },
  ],
  render(args) {
    const files = (args.files ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return [
      'Diagnose this SAP SSL/TLS error with the pse-doctor tools.',
      '',
      'The error as shown:',
      '```',
      args.error ?? '',
      '```',
      '',
      files.length
        ? `1. Call the "analyze" tool with "text" set to the error above and "paths" set to ${JSON.stringify(files)}.`
        : '1. Call the "analyze" tool with "text" set to the error above. If the user has the ICM trace (dev_icm) or the PSE, add them as "paths".',
      '2. For each code in the findings you want to explain, read its kb:// resource (or call "explain").',
      '3. When a finding says which certificate to import, name it, the PSE / STRUST node it goes into and the sapgenpse command, exactly as the finding gives them, followed by its steps and how to confirm.',
      '',
      GROUNDING_RULES,
    ].join('\n');
  },
};

const rotation: PromptDefinition = {
  name: 'plan-root-ca-rotation',
  title: 'Plan a root CA rotation',
  description:
    'Plan the change to a new root (or intermediate) CA across the PSEs of an SAP system, grounded in its own PSE files and certificates.',
  arguments: [
    {
      name: 'sec_folder',
      description: 'The sec folder (or a copy of it) under the allowed folders, e.g. /usr/sap/ABC/D00/sec',
      required: false,
    },
    {
      name: 'new_ca',
      description: 'Path of the new CA certificate (PEM/DER) under the allowed folders',
      required: false,
    },
    {
      name: 'old_ca',
      description: 'The subject or file of the CA being replaced',
      required: false,
    },
  ],
  render(args) {
    const sec = args.sec_folder?.trim();
    const next = args.new_ca?.trim();
    const old = args.old_ca?.trim();
    return [
      'Plan a root CA rotation for an SAP system with the pse-doctor tools.',
      old ? `The CA being replaced: ${old}` : 'Ask which CA is being replaced if it is not clear.',
      '',
      sec
        ? `1. Call "pse" with paths ["${sec}"] to list every PSE, its STRUST node, its own certificate and the certificates it trusts.`
        : '1. Ask for the sec folder (or copies of its PSE files, or "sapgenpse maintain_pk -l" listings), then call "pse" on it to list every PSE, its STRUST node, its own certificate and trusted certificates.',
      next
        ? `2. Call "cert" with paths ["${next}"] to read the new CA: subject, validity, key, SHA-256.`
        : '2. Ask for the new CA certificate and call "cert" on it: subject, validity, key, SHA-256.',
      '3. From the "pse" result, list which PSEs trust the old CA (their trust list) and which own certificates were issued by it (those need a new certificate request signed by the new CA).',
      '4. Where a chain signed by the new CA is available, call "verify" with it and each PSE as "trust", to show which PSE would reject it today.',
      '5. Write the plan in this order: import the new CA into every PSE that trusts the old one (keep the old CA until every peer has switched); renew own certificates issued by the old CA; save each PSE in STRUST (TRUST086 means the ICM was notified, otherwise ICM exit soft); confirm with "verify" or a test call; remove the old CA only at the end.',
      '6. Name each PSE by file and STRUST node, and give the sapgenpse command of every import as the tools report it.',
      '',
      GROUNDING_RULES,
    ].join('\n');
  },
};

export const PROMPTS: readonly PromptDefinition[] = [diagnose, rotation];

/** The text of a prompt with its arguments, or a ToolError for an unknown prompt or missing argument. */
export function renderPrompt(name: string, args: Record<string, string | undefined> = {}): string {
  const prompt = PROMPTS.find((p) => p.name === name);
  if (!prompt)
    throw new ToolError('usage', {
      message: `No prompt "${name}". Prompts: ${PROMPTS.map((p) => p.name).join(', ')}.`,
    });
  for (const a of prompt.arguments) {
    const value = args[a.name];
    if (a.required && (value === undefined || value.trim() === ''))
      throw new ToolError('usage', { message: `The prompt "${name}" needs "${a.name}": ${a.description}.` });
    if (value !== undefined && value.length > MAX_ARGUMENT)
      throw new ToolError('usage', { message: `"${a.name}" is longer than ${MAX_ARGUMENT} characters.` });
  }
  return prompt.render(args);
}
