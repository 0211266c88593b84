/** @module Tool errors: input and usage problems as coded data, with one catalogue of friendly texts. */

/** Every code a ToolError can carry, with its message template. `{name}` placeholders come from `data`. */
export const TOOL_ERRORS = {
  'file-not-found':
    'No file at {path}. Pass the path to a trace, PSE or certificate file, or "-" for standard input.',
  'not-readable': 'Cannot read {path}: {reason}.',
  'empty-input': '{name} is empty: there is nothing to analyze.',
  'binary-input':
    '{name} does not look like text, a certificate or a PSE file. Pass an ICM trace (dev_icm), an error message, a PSE or a certificate.',
  'unknown-format': 'Cannot tell what {name} is. {hint}',
  'too-large': '{name} is larger than the limit of {limit}.',
  'bad-gzip': '{name} looks gzip-compressed but cannot be decompressed: {reason}.',
  'pin-required':
    '{name} is PIN-protected. Give the PIN with --pin-file <file>, the PSE_DOCTOR_PIN environment variable, or at the prompt.',
  'wrong-pin': 'The PIN for {name} is wrong (the PIN check value does not match).',
  'password-required':
    '{name} is password-protected. Give the password with --password-file <file>, the PSE_DOCTOR_PASSWORD environment variable, or at the prompt.',
  'wrong-password': 'The password for {name} is wrong.',
  'lps-protected':
    '{name} is LPS-protected: its key is bound to the host that made it. On that host run "sapgenpse maintain_pk -l -p {name}" (or export_p12) and give pse-doctor that output.',
  'cred-v2':
    '{name} is a cred_v2 SSO credential file, not a PSE. Pass the PSE files of the sec folder instead.',
  'corrupt-pse': '{name} is not a readable PSE: {reason}.',
  'bad-certificate': 'Cannot read a certificate from {name}: {reason}.',
  usage: '{message}',
  'unknown-kb-id': 'No knowledge-base entry for "{query}".',
  network: '{message}',
  'unsupported-pse': '{name} is a PSE in a form pse-doctor cannot read yet: {reason}.',
  'invalid-report': 'This report cannot be saved: {reason}.',
  'store-unavailable': 'Cannot use the history database {target}: {reason}',
} as const;

export type ToolErrorCode = keyof typeof TOOL_ERRORS;

/** Render a message template with its data. */
export function formatToolError(code: ToolErrorCode, data: Record<string, unknown>): string {
  return TOOL_ERRORS[code].replace(/\{(\w+)\}/g, (_m, key: string) =>
    data[key] === undefined ? `{${key}}` : String(data[key]),
  );
}

/** An input or usage problem. The CLI prints `message` and exits 2; it is never a crash. */
export class ToolError extends Error {
  readonly code: ToolErrorCode;
  readonly data: Record<string, unknown>;

  constructor(code: ToolErrorCode, data: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(formatToolError(code, data), options);
    this.name = 'ToolError';
    this.code = code;
    this.data = data;
  }
}

export function isToolError(err: unknown): err is ToolError {
  return err instanceof ToolError;
}
