/** @module Checks the arguments of the library's `analyze()` / `readEvidence()` / `diagnose()`: bad ones are ToolErrors, never TypeErrors. */
import { ToolError } from './model/errors.js';
import type { InputSpec } from './readers/index.js';
import type { SecretProvider } from './readers/types.js';

function usage(message: string): ToolError {
  return new ToolError('usage', { message });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the text "${value.slice(0, 40)}"` : typeof value;
}

/** Throws a `usage` ToolError unless `specs` is an array of paths, `-`, `{ name, bytes }` or `{ name, stream }`. */
export function checkInputSpecs(specs: unknown): asserts specs is InputSpec[] {
  if (!Array.isArray(specs))
    throw usage(
      `analyze() takes an array of inputs (paths, "-", { name, bytes } or { name, stream }), not ${describe(specs)}.`,
    );
  if (specs.length === 0) throw usage('analyze() needs at least one input.');
  specs.forEach((spec, i) => {
    const at = `input ${i + 1}`;
    if (typeof spec === 'string') {
      if (spec.trim() === '') throw usage(`${at} is an empty path (it would read the current folder).`);
      if (spec.includes('\u0000')) throw usage(`${at} is a path with a NUL character.`);
      return;
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
      throw usage(`${at} must be a path or { name, bytes } / { name, stream }, not ${describe(spec)}.`);
    const s = spec as { name?: unknown; bytes?: unknown; stream?: unknown };
    if (typeof s.name !== 'string' || s.name === '') throw usage(`${at} needs a "name" (text).`);
    if ('bytes' in s) {
      if (!(s.bytes instanceof Uint8Array)) throw usage(`${at}: "bytes" must be a Uint8Array or Buffer.`);
      return;
    }
    const stream = s.stream as { [Symbol.asyncIterator]?: unknown } | undefined;
    if (!stream || typeof stream[Symbol.asyncIterator] !== 'function')
      throw usage(`${at} needs "bytes" (a Uint8Array) or "stream" (an async iterable).`);
  });
}

/** Throws unless `unopenedPse` is absent, `'reject'` or `'report'`. */
export function checkUnopenedPse(value: unknown): void {
  if (value === undefined || value === 'reject' || value === 'report') return;
  throw usage(`"unopenedPse" must be "reject" or "report", not ${describe(value)}.`);
}

/** Throws unless `now` is absent or a valid Date. */
export function checkNow(now: unknown): void {
  if (now === undefined) return;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw usage('"now" must be a valid Date.');
}

/**
 * The provider wrapped so a PIN/password that is not text (a number, an object) is a ToolError naming
 * the input, instead of a TypeError deep in a reader.
 */
export function checkedSecrets(secrets: unknown): SecretProvider | undefined {
  if (secrets === undefined) return undefined;
  const provider = secrets as Partial<SecretProvider> | null;
  if (typeof provider !== 'object' || provider === null || typeof provider.get !== 'function')
    throw usage('"secrets" must be an object with a get(kind, inputName) function.');
  const get = provider.get.bind(provider);
  return {
    async get(kind, inputName) {
      const value: unknown = await get(kind, inputName);
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string')
        throw usage(
          `The ${kind === 'pin' ? 'PIN' : 'password'} provider returned ${describe(value)} for ${inputName}; it must return text or undefined.`,
        );
      return value;
    },
  };
}
