/**
 * @module The one secret provider of every command: a PSE PIN or a PKCS#12 password from its file
 * (--pin-file / --password-file), else its variable (PSE_DOCTOR_PIN / PSE_DOCTOR_PASSWORD), else a prompt
 * without echo on a terminal. Never from argv; asked once per run and kind, only when an input needs it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ToolError } from '../model/errors.js';
import type { SecretProvider } from '../readers/types.js';
import type { CliIo } from './io.js';

/** Longest PIN or password accepted from a file or the prompt (this only bounds input). */
const MAX_PIN_LENGTH = 1024;

/** A terminal input stream that can switch off echo. */
interface RawCapable {
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Read a PIN or password file: its content without one trailing line break. */
export function readSecretFile(path: string, io: CliIo): string {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ToolError('file-not-found', { path });
    throw new ToolError('not-readable', { path, reason: code ?? 'error' });
  }
  const pin = text.replace(/\r?\n$/, '');
  if (pin.length > MAX_PIN_LENGTH)
    throw new ToolError('usage', { message: `The file ${path} is too long to hold a PIN or password.` });
  return pin;
}

/**
 * Ask for a PIN or password on the terminal with echo off. Undefined when stdin is not a terminal.
 * Ctrl-C cancels with a usage error; Backspace edits.
 */
export function promptSecret(io: CliIo, label: string, name: string): Promise<string | undefined> {
  const stdin = io.stdin as unknown as RawCapable;
  if (!io.stdinIsTTY || typeof stdin.setRawMode !== 'function') return Promise.resolve(undefined);
  io.stderr.write(`${label} for ${name} (not shown): `);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolvePin, reject) => {
    let pin = '';
    const finish = (error?: ToolError) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) {
        pin = '';
        reject(error);
      } else resolvePin(pin);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new ToolError('usage', { message: `${label} entry cancelled.` }));
        if (ch === '\u007f' || ch === '\b') pin = pin.slice(0, -1);
        else if (pin.length < MAX_PIN_LENGTH && ch >= ' ') pin += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Where each kind of secret may come from on the command line. */
export interface SecretFiles {
  pinFile?: string | undefined;
  passwordFile?: string | undefined;
}

const SOURCES = {
  pin: { file: 'pinFile', env: 'PSE_DOCTOR_PIN', label: 'PIN' },
  password: { file: 'passwordFile', env: 'PSE_DOCTOR_PASSWORD', label: 'Password' },
} as const;

/**
 * The secret provider of one run, the same for every command: per kind, the file, else the variable
 * (an empty one counts as unset), else one prompt on a terminal; each answer is reused for the run.
 * Undefined when none is given (the reader then says the input needs one). Nothing is printed or kept.
 */
export function createSecretProvider(io: CliIo, files: SecretFiles = {}): SecretProvider {
  const pending: Partial<Record<'pin' | 'password', Promise<string | undefined>>> = {};
  return {
    get(kind, inputName) {
      const source = SOURCES[kind];
      pending[kind] ??= (async () => {
        const file = files[source.file];
        if (file) return readSecretFile(file, io);
        const env = io.env[source.env];
        if (env !== undefined && env !== '') return env;
        return promptSecret(io, source.label, inputName);
      })();
      return pending[kind];
    },
  };
}
