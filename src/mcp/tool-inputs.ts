/**
 * @module The argument schemas of the MCP tools (zod), their JSON Schema for `tools/list`, and the check
 * that turns a bad argument into one clear sentence. No tool takes a PIN or password.
 */
import { z } from 'zod';
import { KB_KINDS } from '../kb/types.js';
import { ToolError } from '../model/errors.js';

/** Most paths in one call. */
export const MAX_PATHS = 64;
/** Longest explain query (as `pse-doctor explain`). */
export const MAX_QUERY = 20_000;

const path = z.string().min(1).max(4096);
const paths = z.array(path).max(MAX_PATHS);
const pathsDescription =
  'Files or folders inside the folders this server was started with (--allow); relative paths start at the first of them.';

export const analyzeInput = z
  .strictObject({
    text: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Pasted evidence: an SM59/SOAMANAGER/abapGit/Java error message, an ICM trace excerpt, a sapgenpse listing or PEM certificates.',
      ),
    name: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('A name for the pasted text in the report (default "pasted text").'),
    paths: paths
      .optional()
      .describe(
        `${pathsDescription} Traces (dev_icm, dev_w*), messages, PSEs, certificates, saved evidence.`,
      ),
  })
  .refine((v) => v.text !== undefined || (v.paths?.length ?? 0) > 0, {
    message: 'Give "text" (pasted evidence) or "paths" (files under the allowed folders), or both.',
  });

export const explainInput = z.strictObject({
  query: z
    .string()
    .min(1)
    .max(MAX_QUERY)
    .describe(
      'A code (WSS040, -102, SSSLERR_PEER_CERT_UNTRUSTED, ICM_HTTP_SSL_ERROR), a profile parameter, a transaction, a pasted message or a question.',
    ),
  kind: z.enum(KB_KINDS).optional().describe('Only entries of this kind.'),
  icm: z.boolean().optional().describe('Read a bare number such as 407 as an ICM_HTTP code.'),
});

const host = z
  .string()
  .regex(/^[A-Za-z0-9*][A-Za-z0-9.*_:[\]-]{0,252}$/, 'a host name or IP address')
  .describe('Host name or IP address the SAP system connects to (checked against CN and subjectAltName).');

export const verifyInput = z.strictObject({
  chain: path.describe(`The chain the server sends (PEM/DER/PKCS#7/PKCS#12). ${pathsDescription}`),
  trust: paths
    .optional()
    .describe(
      `Trust lists: PSE files, sapgenpse "maintain_pk -l" listings, PEM/PKCS#7/PKCS#12. ${pathsDescription}`,
    ),
  host: host.optional(),
  profiles: z
    .array(z.enum(['sap-icm', 'browser', 'java']))
    .min(1)
    .max(3)
    .optional()
    .describe('Verification profiles, the first decides (default sap-icm, browser; java needs javaStore).'),
  javaStore: path.optional().describe('A cacerts export (PEM or PKCS#12) for the java profile.'),
  at: z.iso.datetime({ offset: true }).optional().describe('Judge validity at this ISO time instead of now.'),
});

export const pseInput = z.strictObject({
  paths: paths
    .min(1)
    .describe(`PSE files or sec folders (every *.pse and cred_v2 inside). ${pathsDescription}`),
  warnDays: z
    .string()
    .regex(/^\d{1,5}(,\d{1,5})?$/, 'one or two day counts, e.g. 30,90')
    .optional()
    .describe('Own certificates expiring within n days: warning; within m days: info (default 30,90).'),
});

export const certInput = z
  .strictObject({
    paths: paths
      .optional()
      .describe(
        `Certificate files or folders (PEM, DER, PKCS#7, PKCS#12, STRUST exports, listings). ${pathsDescription}`,
      ),
    pem: z.string().min(1).optional().describe('Pasted certificates (PEM blocks or a sapgenpse listing).'),
  })
  .refine((v) => v.pem !== undefined || (v.paths?.length ?? 0) > 0, {
    message: 'Give "paths" (certificate files under the allowed folders) or "pem" (pasted certificates).',
  });

export const probeInput = z.strictObject({
  target: z
    .string()
    .regex(
      /^(?:https:\/\/)?[A-Za-z0-9[][A-Za-z0-9.:[\]_-]{0,300}(?:\/[!-~]{0,500})?$/,
      'https://host[:port][/path] or host[:port]',
    )
    .describe('https://host[:port][/path] or host[:port] (port 443 by default).'),
  trust: paths
    .optional()
    .describe(`The trust list to judge with (PSE, listing, PEM/P7/P12, folder). ${pathsDescription}`),
  sni: z
    .boolean()
    .optional()
    .describe('Send SNI (default true; false acts as icm/HTTPS/client_sni_enabled = FALSE).'),
  scan: z.boolean().optional().describe('Scan TLS 1.0–1.3 (default true).'),
  resolve: z
    .string()
    .regex(/^[0-9A-Fa-f.:]{2,45}$/, 'an IP address')
    .optional()
    .describe('Connect to this IP address instead of resolving the host (SNI and name check keep the host).'),
  timeoutMs: z
    .number()
    .int()
    .min(500)
    .max(30_000)
    .optional()
    .describe('Time limit per step in ms (default 8000).'),
});

/** Argument names that carry secrets: refused with a sentence that says where secrets come from. */
const SECRET_KEYS = /^(pin|pins|password|passwd|pass|secret|pse_?pin|pinfile|pin_?file|password_?file)$/i;

/** Parse tool arguments; a bad argument becomes a ToolError with one readable message. */
export function parseArgs<T>(schema: z.ZodType<T>, args: unknown): T {
  const given = args && typeof args === 'object' ? Object.keys(args as object) : [];
  const secret = given.find((k) => SECRET_KEYS.test(k));
  if (secret)
    throw new ToolError('usage', {
      message: `"${secret}" is not accepted as a tool argument: PINs and passwords never travel through the client. Start the server with PSE_DOCTOR_PIN / --pin-file (PSE PIN) or PSE_DOCTOR_PASSWORD / --password-file (PKCS#12 password).`,
    });
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  throw new ToolError('usage', {
    message: `Invalid arguments: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
  });
}

/** JSON Schema (draft-07) of a tool's arguments for `tools/list`. */
export function inputJsonSchema(schema: z.ZodType): { type: 'object'; [key: string]: unknown } {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return { ...json, type: 'object' };
}
