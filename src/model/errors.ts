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

/**
 * The same errors in the web's words, where they differ: the page has a PIN or password field, not options
 * or environment variables. `usage` and `unknown-format` take `webMessage` / `webHint` from the data when
 * the thrower gives them (falling back to the terminal words).
 */
export const TOOL_ERRORS_WEB: Partial<Record<ToolErrorCode, string>> = {
  'file-not-found': 'No file {path}.',
  'pin-required': '{name} is PIN-protected: type its PIN in the PIN field and send it again.',
  'password-required': '{name} is password-protected: type its password and send it again.',
  'lps-protected':
    '{name} is LPS-protected: its key is bound to the host that made it. On that host run "sapgenpse maintain_pk -l -p {name}" and analyze that output here.',
};

/** Render a message template with its data. */
export function formatToolError(code: ToolErrorCode, data: Record<string, unknown>): string {
  return TOOL_ERRORS[code].replace(/\{(\w+)\}/g, (_m, key: string) =>
    data[key] === undefined ? `{${key}}` : String(data[key]),
  );
}

/** The web's words for an error (see `TOOL_ERRORS_WEB`). */
export function formatToolErrorWeb(code: ToolErrorCode, data: Record<string, unknown>): string {
  const web = {
    ...data,
    ...(data.webMessage !== undefined ? { message: data.webMessage } : {}),
    ...(data.webHint !== undefined ? { hint: data.webHint } : {}),
  };
  const template = TOOL_ERRORS_WEB[code] ?? TOOL_ERRORS[code];
  return template.replace(/\{(\w+)\}/g, (_m, key: string) =>
    web[key as keyof typeof web] === undefined ? `{${key}}` : String(web[key as keyof typeof web]),
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

  /** The message in the web's words (no command-line options): what the server answers. */
  get webMessage(): string {
    return formatToolErrorWeb(this.code, this.data);
  }
}

export function isToolError(err: unknown): err is ToolError {
  return err instanceof ToolError;
}
